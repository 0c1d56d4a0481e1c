//! `cargo run --release -p pipehat-dict --example dump > dump.txt`: everything the public API
//! answers, for every version (segments and fields, data types and components, tables and codes,
//! structures, events, sample lookups and descriptions), checking on the way that each one is
//! found again by its key. Diff two dumps to show that a change to how the data is stored
//! changes nothing.
use pipehat_dict::{StructureElement, Version};
use std::fmt::Write;

fn element(out: &mut String, depth: usize, e: &StructureElement) {
    let _ = writeln!(
        out,
        "{:w$}{} min={} max={:?} group={} choice={}",
        "",
        e.name,
        e.min,
        e.max,
        e.is_group(),
        e.is_choice(),
        w = depth * 2
    );
    for c in e.children() {
        element(out, depth + 1, &c);
    }
}

fn main() {
    let mut out = String::new();
    for v in Version::ALL {
        let _ = writeln!(out, "== {v}");
        let _ = writeln!(out, "segments {}", v.segments().len());
        for s in v.segments() {
            let _ = writeln!(out, "S {} {:?} n={}", s.id, s.name, s.field_count());
            let again = v.segment(s.id).unwrap();
            assert_eq!(again.id, s.id);
            for f in s.fields() {
                let _ = writeln!(out, "  {f:?}");
                assert_eq!(v.field(s.id, f.position), Some(f));
            }
            assert_eq!(s.field(0), None);
            assert_eq!(s.field(s.field_count() + 1), None);
        }
        let _ = writeln!(out, "data_types {}", v.data_types().len());
        for d in v.data_types() {
            let _ = writeln!(
                out,
                "D {} {:?} prim={} n={}",
                d.id,
                d.name,
                d.is_primitive(),
                d.components().len()
            );
            assert_eq!(v.data_type(d.id).map(|x| x.id), Some(d.id));
            for c in d.components() {
                let _ = writeln!(out, "  {c:?}");
                assert_eq!(d.component(c.position), Some(c));
            }
        }
        let _ = writeln!(out, "tables {}", v.tables().len());
        for t in v.tables() {
            let _ = writeln!(
                out,
                "T {} {:?} ud={} has={} n={}",
                t.id,
                t.name,
                t.is_user_defined(),
                t.has_codes(),
                t.codes().len()
            );
            assert_eq!(v.table(t.id).map(|x| x.id), Some(t.id));
            for c in t.codes() {
                let _ = writeln!(out, "  {c:?}");
                assert_eq!(t.code(c.value), Some(c));
                assert!(t.contains(c.value));
            }
            for probe in ["HL70001", "99ABC", "ZZZ", "", "A"] {
                let _ = writeln!(
                    out,
                    "  probe {probe:?} contains={} code={:?}",
                    t.contains(probe),
                    t.code(probe)
                );
            }
        }
        let _ = writeln!(out, "structures {}", v.structures().len());
        for s in v.structures() {
            let _ = writeln!(out, "R {} n={}", s.id, s.elements().len());
            assert_eq!(v.structure(s.id).map(|x| x.id), Some(s.id));
            for e in s.elements() {
                element(&mut out, 1, &e);
            }
        }
        let _ = writeln!(out, "events {}", v.events().len());
        for e in v.events() {
            let _ = writeln!(
                out,
                "E {e:?} for={:?}",
                v.structure_for(e.message_type, e.trigger_event)
                    .map(|s| s.id)
            );
            assert_eq!(v.event(e.message_type, e.trigger_event), Some(e));
        }
        for (s, f) in [("PID", 7), ("MSH", 9), ("OBX", 5), ("ZZZ", 1), ("", 0)] {
            let _ = writeln!(out, "field {s}-{f} {:?}", v.field(s, f));
        }
        for (t, e) in [("ADT", "A04"), ("ACK", "A01"), ("ORU", "R01"), ("XXX", "Y")] {
            let _ = writeln!(out, "for {t}^{e} {:?}", v.structure_for(t, e).map(|s| s.id));
        }
        for p in [
            "PID-11[1].5",
            "PID-3.4.2",
            "OBX-5",
            "MSH-9.3",
            "ZZ1-1",
            "PV1-3.1",
        ] {
            let path: pipehat::Path = p.parse().unwrap();
            let d = v.describe(&path);
            let _ = writeln!(
                out,
                "describe {p} {:?} {:?} {:?}",
                d.label(),
                d.data_type(),
                d.table()
            );
        }
    }
    print!("{out}");
}
