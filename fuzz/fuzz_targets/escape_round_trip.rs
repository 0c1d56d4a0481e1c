#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| pipehat::fuzzing::escape_round_trip(data));
