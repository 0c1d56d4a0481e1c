//! How anonymizing time grows with the size of one part of a message: it must be linear in
//! every shape (many components, subcomponents, repetitions, fields, long free text).
//!
//! A measurement, not a test (a clock has no place in a test); run in release mode:
//!
//! ```sh
//! cargo run --release -p pipehat-deid --example scaling
//! ```
//!
//! For each shape and preset it prints the time for N, 2N and 4N and the ratios (about 2 and 4
//! when linear; 4 and 16 when quadratic). The regression test that needs no clock is
//! `linear_work` in `src/lib.rs`'s tests: it counts the anonymizer's steps for the same shapes.
//! `SCALING_N` sets N (100,000 by default), `SCALING_SHAPE` picks shapes by a part of their name.

use std::time::Instant;

use pipehat_deid::{Anonymizer, FreeText, Policy, Preset};

const HEADER: &str = "MSH|^~\\&|LAB|HOSP|||20240101120000||ORU^R01|MSG1|P|2.5.1\r";

/// A message with one part made `n` times larger.
type Shape = (&'static str, fn(usize) -> Vec<u8>);

fn message(body: &str) -> Vec<u8> {
    format!("{HEADER}{body}\r").into_bytes()
}

fn repeat(piece: &str, separator: &str, n: usize) -> String {
    let mut out = String::with_capacity((piece.len() + separator.len()) * n);
    for i in 0..n {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(piece);
        out.push_str(&(i % 1000).to_string());
    }
    out
}

const SHAPES: &[Shape] = &[
    ("components (PID-3)", |n| {
        message(&format!("PID|1||{}", repeat("ID", "^", n)))
    }),
    ("components (PID-5)", |n| {
        message(&format!("PID|1||1||{}", repeat("DOE", "^", n)))
    }),
    ("components (ZPI-1)", |n| {
        message(&format!("ZPI|{}", repeat("Z", "^", n)))
    }),
    ("subcomponents (PID-3.4)", |n| {
        message(&format!("PID|1||1^^^{}", repeat("HOSP", "&", n)))
    }),
    ("repetitions (PID-3)", |n| {
        message(&format!("PID|1||{}", repeat("MRN^^^HOSP^MR", "~", n)))
    }),
    ("repetitions (PID-11)", |n| {
        message(&format!(
            "PID|1||1||||||||{}",
            repeat("1 Main St^^Boston^MA^02139", "~", n)
        ))
    }),
    ("fields (PID)", |n| {
        message(&format!("PID|1||1||DOE^JANE|{}", repeat("X", "|", n)))
    }),
    ("fields (ZPI)", |n| {
        message(&format!("ZPI|{}", repeat("Z", "|", n)))
    }),
    ("segments (PID, NTE)", |n| {
        // At most 100,000 segments a message (the parser's limit).
        let mut body = String::new();
        for i in 0..n / 32 {
            body.push_str(&format!(
                "PID|1||MRN{i}^^^HOSP^MR||DOE{i}^JANE||19800101\rNTE|1||Called DOE{i} at home\r"
            ));
        }
        message(&body)
    }),
    ("distinct segment ids", |n| {
        // Up to 36 × 36 Z-segment ids, then again.
        const CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let ids = (n / 100).clamp(1, 36 * 36);
        let mut body = String::new();
        for i in 0..n / 100 {
            let k = i % ids;
            body.push_str(&format!(
                "Z{}{}|1\r",
                CHARS[k / 36 % 36] as char,
                CHARS[k % 36] as char
            ));
        }
        message(&body)
    }),
    ("distinct OBX-2 values", |n| {
        let mut body = String::new();
        for i in 0..n / 100 {
            body.push_str(&format!("OBX|{i}|X{i}|1^X||V{i}\r"));
        }
        message(&body)
    }),
    ("batches", |n| {
        let mut file = String::new();
        for i in 0..n / 100 {
            file.push_str("BHS|^~\\&|A\r");
            file.push_str(&format!("{HEADER}PID|1||{i}\rBTS|1\r"));
        }
        file.into_bytes()
    }),
    ("free text (NTE-3, words)", |n| {
        message(&format!(
            "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rNTE|1||{}",
            repeat(
                "Patient DOE seen on 2024-01-02 call 555-123-4567 word",
                " ",
                n / 8
            )
        ))
    }),
    ("free text (NTE-3, no spaces)", |n| {
        message(&format!(
            "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rNTE|1||{}",
            repeat("doe", ",", n / 2)
        ))
    }),
    ("free text (NTE-3, digit runs)", |n| {
        message(&format!(
            "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rNTE|1||{}x",
            repeat("1", "-", n / 2)
        ))
    }),
    ("free text (NTE-3, at signs)", |n| {
        message(&format!(
            "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rNTE|1||{}",
            repeat("a", "@", n / 2)
        ))
    }),
    ("free text (values sharing a word)", |n| {
        // Learned names `DOE A`, `DOE AA`… (2√n of them), and text `doe doe doe…`.
        let names: Vec<String> = (1..=2 * n.isqrt())
            .map(|k| format!("DOE {}", "A".repeat(k)))
            .collect();
        message(&format!(
            "PID|1||1||{}\rNTE|1||{}",
            names.join("~"),
            vec!["doe"; n / 2].join(" ")
        ))
    }),
    ("free text (OBX-5 TX)", |n| {
        message(&format!(
            "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rOBX|1|TX|1^Note||{}",
            repeat("Seen by Dr DOE today", " ", n / 4)
        ))
    }),
    ("escapes (PID-5.1)", |n| {
        message(&format!("PID|1||1||{}", repeat("D\\T\\", "", n / 2)))
    }),
];

fn seconds(anonymizer: &Anonymizer, input: &[u8]) -> f64 {
    // The best of three, so a busy machine disturbs less.
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let output = anonymizer.anonymize(input);
            let elapsed = started.elapsed().as_secs_f64();
            std::hint::black_box(output.bytes.len());
            elapsed
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let n: usize = std::env::var("SCALING_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let anonymizers = [
        (
            "safe-harbor",
            Anonymizer::new(&Policy::preset(Preset::SafeHarbor), None).unwrap(),
        ),
        (
            "pseudonymize",
            Anonymizer::new(
                &Policy::preset(Preset::Pseudonymize),
                Some(b"scaling test key"),
            )
            .unwrap(),
        ),
        (
            "pseudo+scrub",
            Anonymizer::new(
                &Policy {
                    free_text: FreeText::Scrub,
                    ..Policy::preset(Preset::Pseudonymize)
                },
                Some(b"scaling test key"),
            )
            .unwrap(),
        ),
    ];
    println!(
        "\n{:<32} {:<13} {:>10} {:>10} {:>10} {:>10} {:>10}  (N = {n} parts)",
        "shape", "preset", "N s", "2N s", "4N s", "2N/N", "4N/N"
    );
    let only = std::env::var("SCALING_SHAPE").unwrap_or_default();
    for (name, make) in SHAPES
        .iter()
        .filter(|(name, _)| name.contains(only.as_str()))
    {
        for (preset, anonymizer) in &anonymizers {
            let times: Vec<f64> = [n, 2 * n, 4 * n]
                .iter()
                .map(|&size| seconds(anonymizer, &make(size)))
                .collect();
            println!(
                "{:<32} {:<13} {:>10.4} {:>10.4} {:>10.4} {:>10.1} {:>10.1}",
                name,
                preset,
                times[0],
                times[1],
                times[2],
                times[1] / times[0],
                times[2] / times[0]
            );
        }
    }
}
