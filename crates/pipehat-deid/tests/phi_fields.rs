//! `docs/phi-fields.md` — every field pipehat treats as identifying, per HL7 version, and why
//! (the categories its values get) — is made from the code that anonymizes, so it cannot drift:
//! this test fails when the document is out of date. `PIPEHAT_BLESS=1` rewrites it.

use std::collections::BTreeSet;
use std::fmt::Write;

use pipehat_deid::{Category, field_categories};
use pipehat_dict::Version;

/// Categories that never hold an identifier: kept when well-formed, redacted otherwise.
fn harmless(category: Category) -> bool {
    matches!(
        category,
        Category::Allowed
            | Category::Code
            | Category::CodeText
            | Category::Number
            | Category::Time
            | Category::State
            | Category::Country
    )
}

fn range(versions: &[Version]) -> String {
    // Consecutive runs of Version::ALL, written as first–last.
    let mut runs: Vec<(Version, Version)> = Vec::new();
    for &version in versions {
        let index = Version::ALL.iter().position(|v| *v == version).unwrap();
        match runs.last_mut() {
            Some((_, last)) if index > 0 && Version::ALL[index - 1] == *last => *last = version,
            _ => runs.push((version, version)),
        }
    }
    runs.iter()
        .map(|(a, b)| {
            if a == b {
                a.as_str().to_string()
            } else {
                format!("{}–{}", a.as_str(), b.as_str())
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A field's name, data type and categories in some versions.
type Row = (String, String, Vec<Category>);

fn document() -> String {
    let mut out = String::from(
        "# Fields pipehat treats as identifying, per HL7 version\n\n\
         Generated from the code that anonymizes (`pipehat_deid::field_categories`) by\n\
         `PIPEHAT_BLESS=1 cargo test -p pipehat-deid --test phi_fields`; the test fails when this\n\
         file is out of date. What each category means and what each preset does with it:\n\
         [deidentification.md](deidentification.md).\n\n\
         A field is listed when any of its components or subcomponents can hold an identifier:\n\
         a name, address, phone, date, identifier, free text, payload or unknown value. Fields not\n\
         listed hold only codes, numbers, times, regions and allow-listed values, which are kept\n\
         when well-formed and redacted otherwise. Segments the dictionary does not define\n\
         (Z-segments) and fields past a segment's definition are redacted whole.\n",
    );
    let mut ids: BTreeSet<&'static str> = BTreeSet::new();
    for version in Version::ALL {
        ids.extend(version.segments().map(|s| s.id));
    }
    for id in ids {
        let name = Version::ALL
            .iter()
            .rev()
            .find_map(|v| v.segment(id))
            .map_or("", |s| s.name);
        let fields = Version::ALL
            .iter()
            .filter_map(|v| v.segment(id))
            .map(|s| s.field_count())
            .max()
            .unwrap_or(0);
        let mut rows = String::new();
        for number in 1..=fields {
            // (name, type, categories) → versions, in version order.
            let mut groups: Vec<(Row, Vec<Version>)> = Vec::new();
            for version in Version::ALL {
                let Some(def) = version.field(id, number) else {
                    continue;
                };
                let categories = field_categories(version, id, number);
                if categories.iter().all(|c| harmless(*c)) {
                    continue;
                }
                let key = (def.name.to_string(), def.data_type.to_string(), categories);
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, versions)) => versions.push(version),
                    None => groups.push((key, vec![version])),
                }
            }
            for ((field_name, data_type, categories), versions) in groups {
                let why: Vec<&str> = categories
                    .iter()
                    .filter(|c| !harmless(**c))
                    .map(|c| c.as_str())
                    .collect();
                let _ = writeln!(
                    rows,
                    "| {id}-{number} | {field_name} | {data_type} | {} | {} |",
                    range(&versions),
                    why.join(", ")
                );
            }
        }
        if !rows.is_empty() {
            let _ = write!(
                out,
                "\n## {id} — {name}\n\n| field | name | type | versions | identifying because |\n|---|---|---|---|---|\n{rows}"
            );
        }
    }
    out
}

#[test]
fn the_phi_field_list_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/phi-fields.md");
    let expected = document();
    if std::env::var_os("PIPEHAT_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("docs/phi-fields.md written");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/phi-fields.md is out of date: run PIPEHAT_BLESS=1 cargo test -p pipehat-deid --test phi_fields"
    );
    // Spot checks, written by hand: the document says what a privacy officer would look for.
    for row in [
        "| PID-5 | Patient Name | PN | 2.1 | family-name |",
        "| PID-5 | Patient Name | XPN | 2.4–2.8.2 | date, family-name, given-name, identifier |",
        "| PID-11 | Patient Address | XAD | 2.6–2.8.2 | date, street, city, postal-code, identifier |",
        "| NK1-5 | Phone Number | XTN | 2.3–2.5.1 | telecom, email, identifier |",
        "| PID-7 | Date/Time of Birth | TS | 2.5–2.5.1 | birth-date |",
        "| PID-7 | Date/Time Of Birth | TS | 2.3.1–2.4 | birth-date, identifier |",
        "| MRG-1 | Prior Patient Identifier List | CX |",
    ] {
        assert!(expected.contains(row), "missing: {row}");
    }
}
