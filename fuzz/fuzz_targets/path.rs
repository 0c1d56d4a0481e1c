#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| pipehat::fuzzing::path(data));
