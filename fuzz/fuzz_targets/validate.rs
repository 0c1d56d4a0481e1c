#![no_main]
//! Validation never panics, whatever the message: every message of any input is validated in
//! both presets, with and without values, and every finding's span lies inside the input.

use pipehat_validate::{Options, Preset, validate};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let file = pipehat::File::parse(data);
    for message in file.messages() {
        for preset in [Preset::Tolerant, Preset::Strict] {
            for with_values in [true, false] {
                let options = Options { preset, with_values, ..Options::default() };
                let report = validate(message, &options);
                for finding in &report.findings {
                    assert!(finding.location.span[0] <= finding.location.span[1]);
                    assert!(finding.location.span[1] <= data.len());
                    assert!(with_values || finding.value.is_none());
                }
                let _ = report.to_string();
            }
        }
    }
});
