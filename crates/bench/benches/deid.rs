#![allow(missing_docs)] // criterion_group! generates an undocumented function
//! Anonymize the 20 MB corpus (`gen_corpus.py OUT 20 42`) as one file, with each preset (and
//! pseudonymize with free text scrubbed, the two-pass path), against the ≥ 100 MB/s target;
//! parsing the same file alone in the same run for the ratio.

use std::hint::black_box;

use bench::corpus;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pipehat_deid::{Anonymizer, FreeText, Policy, Preset};

fn benchmarks(c: &mut Criterion) {
    let corpus = corpus();
    let safe_harbor = Anonymizer::new(&Policy::preset(Preset::SafeHarbor), None).expect("a policy");
    let pseudonymize = Anonymizer::new(
        &Policy::preset(Preset::Pseudonymize),
        Some(b"benchmark key 256"),
    )
    .expect("a policy");
    let scrubbing = Policy {
        free_text: FreeText::Scrub,
        ..Policy::preset(Preset::Pseudonymize)
    };
    let pseudonymize_scrub =
        Anonymizer::new(&scrubbing, Some(b"benchmark key 256")).expect("a policy");
    let output = safe_harbor.anonymize(&corpus);
    eprintln!(
        "{} messages, {} values changed by safe-harbor",
        output.receipt.messages,
        output.receipt.changes.len()
    );

    let mut group = c.benchmark_group("deid");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("pipehat safe-harbor", |b| {
        b.iter(|| black_box(safe_harbor.anonymize(&corpus).bytes.len()));
    });
    group.bench_function("pipehat pseudonymize", |b| {
        b.iter(|| black_box(pseudonymize.anonymize(&corpus).bytes.len()));
    });
    group.bench_function("pipehat pseudonymize, free text scrubbed", |b| {
        b.iter(|| black_box(pseudonymize_scrub.anonymize(&corpus).bytes.len()));
    });
    group.bench_function("pipehat parse only", |b| {
        b.iter(|| black_box(pipehat::File::parse(&corpus).messages().len()));
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
