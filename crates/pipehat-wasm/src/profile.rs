//! `profileFromXml(text)`: HL7 v2 XML conformance profiles as the JSON profile `validate` takes.

use wasm_bindgen::prelude::*;

use crate::failure::fail;
use crate::to_js;

/// `profileFromXml(text)`: an HL7 v2 XML conformance profile as the JSON profile `validate`
/// takes.
#[wasm_bindgen(js_name = profileFromXml, unchecked_return_type = "Profile")]
pub fn profile_from_xml(text: &str) -> Result<JsValue, JsError> {
    let profile = pipehat_validate::Profile::from_xml(text).map_err(|e| fail("profile", e))?;
    to_js(&profile)
}
