//! Validation time must be linear in the input for every shape of message, however the findings
//! crowd together: many on one segment (one line), in one field, one component, one value.
//!
//! The timing run is ignored (it is a measurement, not a test); run it in release mode:
//! `cargo test --release -p pipehat-validate --test linear -- --ignored --nocapture`.
//! It prints the time for sizes N, 2N and 4N of each shape; linear means each doubling about
//! doubles the time. The tests that are not ignored check what the timing run cannot: that the
//! shapes give the findings they are meant to (so the timings measure the findings' cost).

use std::time::{Duration, Instant};

use pipehat_validate::{Options, Preset, Report, validate};

const HEADER: &str = "MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rEVN||20261122\r";

/// A shape: its name, its base size N, and the message for a size.
struct Shape {
    name: &'static str,
    n: usize,
    build: fn(usize) -> String,
}

fn message(pid: &str) -> String {
    format!("{HEADER}{pid}\rPV1|1|O\r")
}

/// `count` ids that differ, of the letters and digits a segment id may have (`ZA0`, `ZA1`, …,
/// longer as needed).
fn distinct_ids(count: usize) -> Vec<String> {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    (0..count)
        .map(|mut n| {
            let mut id = String::from("ZA");
            loop {
                id.push(char::from(DIGITS[n % DIGITS.len()]));
                n /= DIGITS.len();
                if n == 0 {
                    break id;
                }
            }
        })
        .collect()
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "extra fields on one segment (field.unknown each)",
        n: 10_000,
        build: |n| message(&format!("PID|1||x{}", "|v".repeat(n))),
    },
    Shape {
        name: "extra fields, non-ASCII values (columns count characters)",
        n: 10_000,
        build: |n| message(&format!("PID|1||x{}", "|é😀".repeat(n))),
    },
    Shape {
        name: "components of one field (component.unknown each)",
        n: 100_000,
        build: |n| message(&format!("PID|1||{}", "a^".repeat(n))),
    },
    Shape {
        name: "subcomponents of one component (component.unknown each)",
        n: 100_000,
        build: |n| message(&format!("PID|1||1^^^{}", "a&".repeat(n))),
    },
    Shape {
        name: "components of a primitive field (PID-7)",
        n: 100_000,
        build: |n| message(&format!("PID|1||x||DOE||1980{}", "^a".repeat(n))),
    },
    Shape {
        name: "repetitions, a bad date in each (value.format)",
        n: 20_000,
        build: |n| message(&format!("PID|1||x||DOE||{}", "19800230~".repeat(n))),
    },
    Shape {
        name: "repetitions, an extra component in each",
        n: 20_000,
        build: |n| message(&format!("PID|1||{}", "1^^^^^^^^^^^x~".repeat(n))),
    },
    Shape {
        name: "repetitions, a code not in the table in each (value.table)",
        n: 20_000,
        build: |n| message(&format!("PID|1||x|||||{}", "Q~".repeat(n))),
    },
    Shape {
        name: "malformed escapes in one value (value.escape each)",
        n: 100_000,
        build: |n| message(&format!("PID|1||x||{}", "\\Q\\".repeat(n))),
    },
    Shape {
        name: "well-formed escapes in one value",
        n: 100_000,
        build: |n| message(&format!("PID|1||x||{}", "\\F\\".repeat(n))),
    },
    Shape {
        name: "segments, a bad date in each",
        n: 20_000,
        build: |n| message(&"PID|1||x||DOE||19800230\r".repeat(n)),
    },
    Shape {
        name: "segments with distinct ids",
        n: 10_000,
        build: |n| {
            let segments: String = distinct_ids(n)
                .iter()
                .map(|id| format!("{id}|x\r"))
                .collect();
            message(&format!("PID|1||x\r{segments}"))
        },
    },
    Shape {
        name: "segments with distinct unknown (non-Z) ids",
        n: 10_000,
        build: |n| {
            let segments: String = distinct_ids(n)
                .iter()
                .map(|id| format!("Q{}|x\r", &id[1..]))
                .collect();
            message(&format!("PID|1||x\r{segments}"))
        },
    },
];

fn run(input: &str, options: &Options<'_>) -> (Report, Duration) {
    let started = Instant::now();
    let message = pipehat::Message::parse(input.as_bytes()).expect("a message");
    let report = validate(&message, options);
    (report, started.elapsed())
}

#[test]
#[ignore = "a measurement: run in release mode with --ignored --nocapture"]
fn timings_double_when_the_input_doubles() {
    // A size slower than this is not followed by a larger one: the point is made.
    let enough = Duration::from_secs(30);
    let only = std::env::var("LINEAR_SHAPE").ok();
    // A local dictionary: segment plans are then looked up by id per message.
    let dictionary = pipehat_dict::Dictionary::new(pipehat_dict::Version::V2_5_1);
    for (name, preset, dictionary) in [
        ("tolerant", Preset::Tolerant, None),
        ("strict", Preset::Strict, None),
        (
            "strict, with a local dictionary",
            Preset::Strict,
            Some(&dictionary),
        ),
    ] {
        let options = Options {
            preset,
            dictionary,
            ..Options::default()
        };
        println!("\n{name}");
        for shape in SHAPES {
            if only.as_deref().is_some_and(|o| !shape.name.contains(o)) {
                continue;
            }
            let mut line = format!("{:<60}", shape.name);
            for factor in [1, 2, 4] {
                let n = shape.n * factor;
                let input = (shape.build)(n);
                // Warm up the validator's plans on the smallest size.
                if factor == 1 {
                    let _ = run(&(shape.build)(10), &options);
                }
                let (report, took) = run(&input, &options);
                line.push_str(&format!(
                    "  N={n}: {:>9.1} ms ({} findings)",
                    took.as_secs_f64() * 1e3,
                    report.findings.len()
                ));
                if took > enough {
                    line.push_str("  (larger sizes skipped)");
                    break;
                }
            }
            println!("{line}");
        }
    }
}

/// Each shape gives findings in proportion to its size where it is meant to, so the timings
/// measure what they say.
#[test]
fn shapes_give_the_findings_they_are_meant_to() {
    let options = Options {
        preset: Preset::Strict,
        ..Options::default()
    };
    let mut wrong = Vec::new();
    for shape in SHAPES {
        let small = run(&(shape.build)(50), &options).0.findings.len();
        let large = run(&(shape.build)(100), &options).0.findings.len();
        let grows = !shape.name.contains("well-formed") && !shape.name.contains("distinct ids");
        if (large >= small + 50) != grows {
            wrong.push(format!("{}: {small} → {large}", shape.name));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
