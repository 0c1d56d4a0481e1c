//! `get(input, path, { raw })`: the value a path names in every message, decoded or as written.

use wasm_bindgen::prelude::*;

use crate::failure::{Unreadable, check_file, fail};
use crate::input::Input;
use crate::options::{GetOptions, limits_of, options_of};

/// An element as written (escapes kept), as text: its bytes in its message's character set.
pub(crate) fn raw_text<'a>(
    message: &pipehat::Message<'a>,
    element: pipehat::Element<'a>,
) -> std::borrow::Cow<'a, str> {
    pipehat::charset::decode_text(element.as_bytes(), message.encoding())
}

/// `get(text, path, { raw })`: the value `path` names in every message of `text` (decoded, or
/// raw as written), `undefined` where a message lacks it.
#[wasm_bindgen(js_name = getAll, unchecked_return_type = "(string | undefined)[]")]
pub fn get_all(
    len: usize,
    text: bool,
    path: &str,
    #[wasm_bindgen(unchecked_param_type = "{ raw?: boolean } | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let options: GetOptions = options_of("get", options)?;
    let raw = options.raw == Some(true);
    let path: pipehat::Path = path
        .parse()
        .map_err(|e: pipehat::PathError| fail("path", format!("'{path}' is not a path: {e}")))?;
    let file = input.file(limits_of(options.limits));
    check_file(&file, Unreadable::Refuse)?;
    let values: js_sys::Array = file
        .messages()
        .iter()
        .map(|message| match message.get(&path) {
            None => JsValue::UNDEFINED,
            Some(element) if raw => JsValue::from_str(&raw_text(message, element)),
            Some(element) => JsValue::from_str(&element.text()),
        })
        .collect();
    Ok(values.into())
}
