//! `anonymize(input, options)`: every message de-identified, and the receipt.

use wasm_bindgen::prelude::*;

use crate::failure::{Failure, Unreadable, check_file, fail};
use crate::input::Input;
use crate::options::{AnonymizeOptions, LimitsOptions, options_of};
use crate::to_js;
// Named only in doc comments (which are also the JSDoc, so they keep their words).
#[cfg(doc)]
use crate::segments;

/// An anonymized input: text for a string, bytes in each message's own character set for
/// bytes; and the receipt.
#[derive(Debug, Clone)]
pub struct AnonymizedInfo {
    /// The anonymized messages, as the input was (text or bytes).
    pub output: Input,
    /// What changed.
    pub receipt: pipehat_deid::Receipt,
}

/// Anonymizes every message of `input`: a string as text, bytes as bytes (each message read,
/// and its replacements written, in its MSH-18 character set).
///
/// # Errors
/// Input with no readable message, a message that cannot be read, or reading stopped by a limit
/// (see [`check_file`]); a policy that pseudonymizes without a key, or with one shorter than
/// [`pipehat_deid::MIN_KEY_BYTES`]; an override key that is not a path.
pub fn anonymize_input(
    input: &Input,
    options: AnonymizeOptions,
) -> Result<AnonymizedInfo, Failure> {
    // The anonymizer reads the file again with the default limits: lower ones only.
    let defaults = pipehat::Limits::default();
    let limits = options.limits.unwrap_or_default().limits();
    let limits = if limits == defaults {
        limits
    } else {
        let given = options.limits.unwrap_or_default();
        LimitsOptions {
            max_segments: given.max_segments.map(|n| n.min(100_000)),
            max_messages: given.max_messages.map(|n| n.min(10_000_000)),
        }
        .limits()
    };
    let file = input.file(limits);
    // A message it cannot read it could not look inside: its lines would be copied or dropped.
    check_file(&file, Unreadable::Refuse)?;
    let mut policy = options.policy.unwrap_or_default();
    if let Some(preset) = options.preset {
        policy.preset = preset;
    }
    if let Some(free_text) = options.free_text {
        policy.free_text = free_text;
    }
    let anonymizer =
        pipehat_deid::Anonymizer::new(&policy, options.key.as_deref().map(str::as_bytes))
            .map_err(|e| match e {
                pipehat_deid::Error::KeyRequired => Failure::new("key-required", e.to_string()),
                pipehat_deid::Error::KeyTooShort { .. } => Failure::new(
                    "key-too-short",
                    format!(
                        "{e} of UTF-8 (generateKey(), or `pipehat anonymize --generate-key`, \
                         makes a 256-bit one)"
                    ),
                ),
                _ => Failure::new("policy", e.to_string()),
            })?
            .keep_originals(options.keep_originals.unwrap_or(false));
    Ok(match input {
        Input::Bytes(bytes) => {
            let anonymized = anonymizer.anonymize(bytes);
            AnonymizedInfo {
                output: Input::Bytes(anonymized.bytes),
                receipt: anonymized.receipt,
            }
        }
        Input::Text(text) => {
            // A string is text: its values are read as the characters they are, whatever
            // MSH-18 says, and the output is text too.
            let anonymized = anonymizer.anonymize_text(text);
            AnonymizedInfo {
                output: Input::Text(anonymized.text),
                receipt: anonymized.receipt,
            }
        }
    })
}

/// `anonymize(input, options)`: every message de-identified (the input as for [`segments`]),
/// and the receipt: `{ text, receipt }` for a string, `{ bytes, receipt }` for bytes.
#[wasm_bindgen(unchecked_return_type = "Anonymized | AnonymizedBytes")]
pub fn anonymize(
    len: usize,
    text: bool,
    #[wasm_bindgen(unchecked_param_type = "AnonymizeOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let options: AnonymizeOptions = options_of("anonymize", options)?;
    let AnonymizedInfo { output, receipt } = anonymize_input(&input, options)?;
    let out = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&out, &key.into(), value);
    match output {
        Input::Text(text) => set("text", &JsValue::from_str(&text)),
        Input::Bytes(bytes) => set("bytes", &js_sys::Uint8Array::from(bytes.as_slice()).into()),
    }
    .and_then(|_| set("receipt", &to_js(&receipt).map_err(JsValue::from)?))
    .map_err(|_| fail("internal", "the result could not be made"))?;
    Ok(out.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{MESSAGE, anonymize_text};

    #[test]
    fn free_text_is_redacted_unless_scrub_is_asked_for() {
        let note = "MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1||||||8859/1\r\
            PID|1||7||Kowalski^Łucja\rNTE|1||Łucja Kowalski fell; daughter Ewa called\r";
        let with = |free_text, policy: Option<pipehat_deid::FreeText>| AnonymizeOptions {
            free_text,
            policy: policy.map(|free_text| pipehat_deid::Policy {
                free_text,
                ..pipehat_deid::Policy::default()
            }),
            ..AnonymizeOptions::default()
        };
        let text = |options| match anonymize_text(note, options).unwrap().output {
            Input::Text(text) => text,
            Input::Bytes(_) => panic!("text in, text out"),
        };
        assert!(text(with(None, None)).contains("NTE|1||REDACTED\r"));
        // A string is text: Ł, which 8859/1 cannot hold, is a character to match, not `?`.
        let scrubbed = text(with(Some(pipehat_deid::FreeText::Scrub), None));
        assert!(
            !scrubbed.contains("Kowalski") && !scrubbed.contains("Łucja"),
            "{scrubbed}"
        );
        assert!(scrubbed.contains("fell; daughter Ewa called"), "{scrubbed}");
        // The option wins over the policy's.
        let redacted = text(with(
            Some(pipehat_deid::FreeText::Redact),
            Some(pipehat_deid::FreeText::Scrub),
        ));
        assert!(redacted.contains("NTE|1||REDACTED\r"), "{redacted}");
        assert_eq!(
            text(with(None, Some(pipehat_deid::FreeText::Scrub))),
            scrubbed
        );
    }

    #[test]
    fn anonymize_refuses_what_it_cannot_read() {
        let limits = |n| AnonymizeOptions {
            limits: Some(LimitsOptions {
                max_segments: Some(n),
                max_messages: None,
            }),
            ..AnonymizeOptions::default()
        };
        let big = format!("{MESSAGE}{}", "OBX|1\r".repeat(100_000));
        // Raising the limit does not get past the anonymizer's own.
        let failure = anonymize_text(&big, limits(200_000)).unwrap_err();
        assert!(failure.message.starts_with("line 100001: "), "{failure}");
        let damaged = format!("{MESSAGE}MSH\rPID|1||8||ROE^JOHN\r");
        let failure = anonymize_text(&damaged, AnonymizeOptions::default()).unwrap_err();
        assert!(
            failure
                .message
                .starts_with("line 3: a message cannot be read ("),
            "{failure}"
        );
        assert!(anonymize_text(MESSAGE, limits(2)).is_ok());
        let key = |key: &str| AnonymizeOptions {
            preset: Some(pipehat_deid::Preset::Pseudonymize),
            key: Some(key.to_owned()),
            ..AnonymizeOptions::default()
        };
        let short = anonymize_text(MESSAGE, key("a")).unwrap_err();
        assert_eq!(short.code, "key-too-short");
        assert!(
            short
                .message
                .starts_with("the key is 1 byte: a key needs at least 16 bytes")
        );
        assert_eq!(
            anonymize_text(MESSAGE, key("ü".repeat(7).as_str()))
                .unwrap_err()
                .code,
            "key-too-short"
        );
        assert!(anonymize_text(MESSAGE, key("ü".repeat(8).as_str())).is_ok());
        assert_eq!(
            anonymize_text(MESSAGE, key("")).unwrap_err().code,
            "key-required"
        );
        assert!(anonymize_text("", AnonymizeOptions::default()).is_err());
    }
}
