#![allow(missing_docs)] // criterion_group! generates an undocumented function
//! Parse the 20 MB corpus message by message with pipehat and its Rust peers, doing the same
//! work with each (see `bench::CHECKSUM`), plus a full walk of every subcomponent (the walker,
//! the nested iterators, hl7-parser's).
//!
//! `cargo bench -p bench` (criterion); each peer is asserted to reach the same checksum first,
//! so a parser that skips work cannot look fast.

use std::hint::black_box;

use bench::{CHECKSUM, corpus, messages};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pipehat::{Message, Path};

fn pipehat_checksum(messages: &[&str], paths: &[Path; 3]) -> usize {
    let mut sum = 0;
    for text in messages {
        let message = Message::parse(text.as_bytes()).expect("a message");
        sum += message.segments().len();
        for path in paths {
            sum += message
                .get(path)
                .map_or(0, |element| element.as_bytes().len());
        }
    }
    sum
}

fn hl7_parser_checksum(
    messages: &[&str],
    queries: &[hl7_parser::query::LocationQuery; 3],
) -> usize {
    let mut sum = 0;
    for text in messages {
        let message = hl7_parser::Message::parse(text).expect("a message");
        sum += message.segments().count();
        for query in queries {
            sum += message
                .query(query.clone())
                .map_or(0, |r| r.raw_value().len());
        }
    }
    sum
}

fn hl7_2_checksum(messages: &[&str]) -> usize {
    let mut sum = 0;
    for text in messages {
        let message = hl7_2::parse(text).expect("a message");
        sum += message.segments().count();
        for path in ["MSH-10", "PID-5[1].1", "PID-3[2].4.1"] {
            sum += message
                .get(path)
                .expect("a path")
                .map_or(0, |value| value.len());
        }
    }
    sum
}

/// rust-hl7 0.5.0 gets two of the three reads wrong: `MSH.F10` returns MSH-11 (it numbers MSH
/// fields one off) and `PID.F3.R2.C4.S1` returns "" (subcomponent queries do not work). To
/// measure the same work it is asked for what it answers right — `MSH.F9`, and the component
/// `PID.F3.R2.C4` split at `&` here.
fn rust_hl7_checksum(messages: &[&str]) -> usize {
    let mut sum = 0;
    for text in messages {
        let message = rusthl7::message::Message::try_from(*text).expect("a message");
        sum += message.segments.len();
        sum += message.query("MSH.F9").len();
        sum += message.query("PID.F5.R1.C1").len();
        let component = message.query("PID.F3.R2.C4");
        sum += component.split('&').next().map_or(0, str::len);
    }
    sum
}

/// Visits every subcomponent of every message with the walker: the cost of reading everything.
fn pipehat_walk(messages: &[&str]) -> usize {
    let mut sum = 0;
    for text in messages {
        let message = Message::parse(text.as_bytes()).expect("a message");
        for value in message.walk() {
            sum += value.as_bytes().len() + 1;
        }
    }
    sum
}

/// The same with the nested iterators (segment → field → repetition → component → subcomponent).
fn pipehat_nested_walk(messages: &[&str]) -> usize {
    let mut sum = 0;
    for text in messages {
        let message = Message::parse(text.as_bytes()).expect("a message");
        for segment in message.segments() {
            for field in segment.fields() {
                for repetition in field.repetitions() {
                    for component in repetition.components() {
                        for subcomponent in component.subcomponents() {
                            sum += subcomponent.as_bytes().len() + 1;
                        }
                    }
                }
            }
        }
    }
    sum
}

fn hl7_parser_walk(messages: &[&str]) -> usize {
    let mut sum = 0;
    for text in messages {
        let message = hl7_parser::Message::parse(text).expect("a message");
        for segment in message.segments() {
            for field in segment.fields() {
                for repeat in field.repeats() {
                    for component in repeat.components() {
                        for subcomponent in component.subcomponents() {
                            sum += subcomponent.raw_value().len() + 1;
                        }
                    }
                }
            }
        }
    }
    sum
}

fn benchmarks(c: &mut Criterion) {
    let corpus = corpus();
    let messages = messages(&corpus);
    let paths = ["MSH-10", "PID-5[1].1", "PID-3[2].4.1"].map(|p| p.parse::<Path>().expect("path"));
    let queries = ["MSH.10", "PID.5[1].1", "PID.3[2].4.1"]
        .map(|q| hl7_parser::query::LocationQuery::parse(q).expect("query"));

    // Same work, same answer, before anything is timed.
    assert_eq!(pipehat_checksum(&messages, &paths), CHECKSUM, "pipehat");
    assert_eq!(
        hl7_parser_checksum(&messages, &queries),
        CHECKSUM,
        "hl7-parser"
    );
    assert_eq!(hl7_2_checksum(&messages), CHECKSUM, "hl7-2");
    assert_eq!(rust_hl7_checksum(&messages), CHECKSUM, "rust-hl7");
    assert_eq!(
        pipehat_walk(&messages),
        hl7_parser_walk(&messages),
        "full walk"
    );
    assert_eq!(
        pipehat_walk(&messages),
        pipehat_nested_walk(&messages),
        "walker and nested iterators"
    );

    let mut group = c.benchmark_group("per-message");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.sample_size(10);
    group.bench_function("pipehat", |b| {
        b.iter(|| pipehat_checksum(black_box(&messages), &paths))
    });
    group.bench_function("hl7-parser 0.3.0", |b| {
        b.iter(|| hl7_parser_checksum(black_box(&messages), &queries));
    });
    group.bench_function("hl7-2 0.2.7", |b| {
        b.iter(|| hl7_2_checksum(black_box(&messages)))
    });
    group.bench_function("rust-hl7 0.5.0", |b| {
        b.iter(|| rust_hl7_checksum(black_box(&messages)))
    });
    group.finish();

    let mut group = c.benchmark_group("full-walk");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.sample_size(10);
    group.bench_function("pipehat walker", |b| {
        b.iter(|| pipehat_walk(black_box(&messages)))
    });
    group.bench_function("pipehat nested iterators", |b| {
        b.iter(|| pipehat_nested_walk(black_box(&messages)))
    });
    group.bench_function("hl7-parser 0.3.0", |b| {
        b.iter(|| hl7_parser_walk(black_box(&messages)))
    });
    group.finish();

    let mut group = c.benchmark_group("classify-bytes");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.sample_size(10);
    // The floor: one pass deciding delimiter or not for every byte, as the issue measures it.
    group.bench_function("delimiter count", |b| {
        b.iter(|| {
            black_box(&corpus)
                .iter()
                .filter(|&&byte| matches!(byte, b'|' | b'^' | b'~' | b'\\' | b'&' | b'\r'))
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
