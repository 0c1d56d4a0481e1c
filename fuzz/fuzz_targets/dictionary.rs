#![no_main]
//! The dictionary's text entry points on arbitrary input: MSH-12 resolution, describing any
//! path, and naming every element of any message through the core's `Names` hook.

use pipehat_dict::Version;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (version_text, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let version = Version::resolve(version_text).map_or(Version::LATEST, |r| r.version);
    if let Ok(path) = rest.parse::<pipehat::Path>() {
        let description = version.describe(&path);
        let _ = (description.label(), description.to_string(), description.table());
    }
    if let Ok(message) = pipehat::Message::parse(rest.as_bytes()) {
        let json = serde_json::to_string(&pipehat::json::Named(&message, &version))
            .expect("named JSON serializes");
        assert!(json.starts_with("{\"segments\":["));
    }
});
