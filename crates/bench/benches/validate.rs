#![allow(missing_docs)] // criterion_group! generates an undocumented function
//! Validate the 20 MB corpus message by message (parse + full validation, tolerant preset),
//! against the ≥ 100 MB/s target; and, in the same run, parsing alone for the ratio.

use std::hint::black_box;

use bench::{corpus, messages};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pipehat_validate::{Options, validate};

fn benchmarks(c: &mut Criterion) {
    let corpus = corpus();
    let messages = messages(&corpus);
    let options = Options::default();
    // Work is done and reports are produced: count findings so nothing is optimised away.
    let findings: usize = messages
        .iter()
        .map(|m| {
            validate(
                &pipehat::Message::parse(m.as_bytes()).expect("a message"),
                &options,
            )
            .findings
            .len()
        })
        .sum();
    eprintln!("{} messages, {findings} findings in all", messages.len());

    let mut group = c.benchmark_group("validate");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("pipehat parse + validate", |b| {
        b.iter(|| {
            let mut total = 0;
            for m in &messages {
                let message = pipehat::Message::parse(m.as_bytes()).expect("a message");
                total += validate(&message, &options).findings.len();
            }
            black_box(total)
        });
    });
    group.bench_function("pipehat parse only", |b| {
        b.iter(|| {
            let mut total = 0;
            for m in &messages {
                total += pipehat::Message::parse(m.as_bytes())
                    .expect("a message")
                    .segments()
                    .len();
            }
            black_box(total)
        });
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
