//! `cargo run -p pipehat-dict --example lookup -- VERSION NAME…`: print what the dictionary has
//! for segments, data types, tables (numbers) or structures, e.g. `2.5.1 PID XPN 1 ADT_A01`.

use pipehat_dict::{StructureElement, Version};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(version) = args
        .first()
        .and_then(|v| Version::resolve(v))
        .map(|r| r.version)
    else {
        eprintln!("usage: lookup VERSION NAME…");
        std::process::exit(2);
    };
    for name in &args[1..] {
        if let Ok(number) = name.parse::<u16>() {
            if let Some(table) = version.table(number) {
                let codes: Vec<String> = table.codes().map(|c| c.value.to_owned()).collect();
                println!(
                    "table {number:04} {} (user-defined: {}): {}",
                    table.name,
                    table.is_user_defined(),
                    codes.join(" ")
                );
            }
        } else if let Some(segment) = version.segment(name) {
            println!("{} {}", segment.id, segment.name);
            for f in segment.fields() {
                println!(
                    "  {}-{} {} {} {} rep={:?} len={:?} table={:?}",
                    segment.id,
                    f.position,
                    f.name,
                    f.data_type,
                    f.usage.code(),
                    f.max_repetitions,
                    f.max_length,
                    f.table
                );
            }
        } else if let Some(data_type) = version.data_type(name) {
            println!("{} {}", data_type.id, data_type.name);
            for c in data_type.components() {
                println!(
                    "  {}.{} {} {} {} len={:?} table={:?}",
                    data_type.id,
                    c.position,
                    c.name,
                    c.data_type,
                    c.usage.code(),
                    c.max_length,
                    c.table
                );
            }
        } else if let Some(structure) = version.structure(name) {
            fn show(elements: impl Iterator<Item = StructureElement>, depth: usize) {
                for e in elements {
                    println!(
                        "{}{} [{}..{:?}]{}",
                        "  ".repeat(depth),
                        e.name,
                        e.min,
                        e.max,
                        if e.is_choice() { " (choice)" } else { "" }
                    );
                    show(e.children(), depth + 1);
                }
            }
            println!("{}", structure.id);
            show(structure.elements(), 1);
        } else {
            println!("{name}: not in HL7 v{version}");
        }
    }
}
