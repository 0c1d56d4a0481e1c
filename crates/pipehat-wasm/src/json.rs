//! `toJSON` and `fromJSON`: messages in the readable (optionally named) JSON form, and whole
//! files in the lossless form and back to their exact bytes.

use wasm_bindgen::prelude::*;

use crate::describe::version_for;
use crate::failure::{Unreadable, check_file, fail};
use crate::input::Input;
use crate::lossless;
use crate::options::{ToJsonOptions, limits_of, options_of, serde_message};
use crate::to_js;

/// `toJSON(text, { lossless, names, version })`: every message in the readable form (an array;
/// with `names`, each segment and element named from the dictionary), or with `lossless` the
/// whole file in the form `fromJSON` turns back into the same bytes.
///
/// For bytes, values are read by each message's MSH-18, and the lossless form is of the bytes
/// themselves (what is not UTF-8 as `{"hex"}`), so `fromJSON` gives back those exact bytes.
#[wasm_bindgen(js_name = toJson, unchecked_return_type = "unknown")]
pub fn to_json(
    len: usize,
    text: bool,
    #[wasm_bindgen(unchecked_param_type = "ToJSONOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let options: ToJsonOptions = options_of("toJSON", options)?;
    let file = input.file(limits_of(options.limits));
    let lossless = options.lossless == Some(true);
    check_file(
        &file,
        if lossless {
            Unreadable::Keep
        } else {
            Unreadable::Refuse
        },
    )?;
    if lossless {
        return to_js(&pipehat::json::Lossless(&file));
    }
    let out = js_sys::Array::new();
    for message in file.messages() {
        let value = if options.names == Some(true) {
            let version =
                version_for(message, options.version.as_deref()).map_err(|e| fail("version", e))?;
            to_js(&pipehat::json::Named(message, &version))?
        } else {
            to_js(&pipehat::json::Readable(message))?
        };
        out.push(&value);
    }
    Ok(out.into())
}

/// `fromJSON(value)`: the exact bytes of a file from its lossless JSON.
///
/// The value is read by [`lossless::read`], whose depth is the format's (a field holds at most
/// repetitions, components, subcomponents): a value nested deeper is refused where it starts,
/// never followed down (6,000 nested arrays used to overflow the stack).
// The link is for readers of this source: the comment is also the JSDoc of `fromJson`.
#[allow(rustdoc::private_intra_doc_links)]
#[wasm_bindgen(js_name = fromJson)]
pub fn from_json(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
) -> Result<Vec<u8>, JsError> {
    let file = lossless::read(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| {
        fail(
            "json",
            format!("not pipehat's lossless JSON: {}", serde_message(&e)),
        )
    })?;
    pipehat::json::from_lossless(&file).map_err(|e| fail("json", e))
}
