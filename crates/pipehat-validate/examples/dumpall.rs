//! Every report for every message of every file under a folder, in several option sets
//! (presets, version override, local dictionary, profile), as JSON, one report per line; then
//! each file's reports from `Validator::validate_file` (one index of the file's lines). Run it
//! before and after a change to the validator and compare the outputs byte for byte to show the
//! findings are unchanged.
//!
//! `cargo run -p pipehat-validate --example dumpall -- ../shared/corpus
//! crates/pipehat-validate/tests/fixtures/lab-feed.profile.json > out.txt`

/// Every file under `dir`, in name order.
fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)
        } else {
            out.push(p)
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    walk(std::path::Path::new(&args[0]), &mut files);
    let profile_json = std::fs::read_to_string(&args[1]).unwrap();
    let profile: pipehat_validate::Profile = serde_json::from_str(&profile_json).unwrap();
    let mut dict = pipehat_dict::Dictionary::new(pipehat_dict::Version::V2_5_1);
    dict.add_segment(serde_json::from_str(r#"{"id":"ZPI","name":"Z","fields":[{"name":"A","dataType":"SI"},{"name":"B","dataType":"XPN","maxRepetitions":null},{"name":"C","dataType":"CWE","table":1}]}"#).unwrap());
    dict.add_segment(serde_json::from_str(r#"{"id":"PID","name":"P","fields":[{"name":"A","dataType":"SI"},{"name":"B","dataType":"CX","usage":"R"},{"name":"C","dataType":"ID","table":1}]}"#).unwrap());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        println!("== {}", f.display());
        let file = pipehat::File::parse(&bytes);
        for m in file.messages() {
            for (i, o) in [
                pipehat_validate::Options::default(),
                pipehat_validate::Options {
                    preset: pipehat_validate::Preset::Strict,
                    ..Default::default()
                },
                pipehat_validate::Options {
                    with_values: false,
                    ..Default::default()
                },
                pipehat_validate::Options {
                    version: Some(pipehat_dict::Version::V2_3),
                    ..Default::default()
                },
                pipehat_validate::Options {
                    dictionary: Some(&dict),
                    preset: pipehat_validate::Preset::Strict,
                    ..Default::default()
                },
                pipehat_validate::Options {
                    profile: Some(&profile),
                    ..Default::default()
                },
            ]
            .iter()
            .enumerate()
            {
                let r = pipehat_validate::validate(m, o);
                println!("{i} {}", serde_json::to_string(&r).unwrap());
            }
        }
        let reports = pipehat_validate::Validator::new()
            .validate_file(&file, &pipehat_validate::Options::default());
        println!("file {}", serde_json::to_string(&reports).unwrap());
    }
}
