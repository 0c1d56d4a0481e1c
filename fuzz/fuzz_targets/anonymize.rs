#![no_main]
//! De-identification never panics, whatever the input: every input is anonymized with both
//! presets; the output holds as many readable messages as the input, and UTF-8 in gives UTF-8
//! out.

use pipehat_deid::{Anonymizer, Policy, Preset};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let messages = pipehat::File::parse(data).messages().len();
    for (preset, key) in [(Preset::SafeHarbor, None), (Preset::Pseudonymize, Some(&b"fuzzing key, 16+"[..]))] {
        let anonymizer = Anonymizer::new(&Policy::preset(preset), key).expect("a valid policy");
        let output = anonymizer.anonymize(data);
        assert_eq!(pipehat::File::parse(&output.bytes).messages().len(), messages);
        if core::str::from_utf8(data).is_ok() {
            assert!(core::str::from_utf8(&output.bytes).is_ok());
        }
    }
});
