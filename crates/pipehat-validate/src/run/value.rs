//! A value against its data type: components and subcomponents (required, beyond the type's
//! last), primitives' formats, codes in HL7 and user-defined tables, and escape sequences.

use pipehat_dict::Usage;

use super::Run;
use crate::location::Loc;
use crate::plan::TypePlan;
use crate::types;
use crate::walk::{Piece, Walk};

impl<'m, 'a, 'o, 'c> Run<'m, 'a, 'o, 'c> {
    /// Checks the parts of a value (a repetition's components, or a component's
    /// subcomponents) against a data type. `depth` 0 is a field, 1 a component.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn check_typed(
        &mut self,
        data_type: &str,
        def: Option<&TypePlan>,
        table: Option<u16>,
        parts: &[Piece<'a>],
        loc: Loc<'_>,
        depth: usize,
    ) {
        let composite = def.filter(|d| !d.is_primitive());
        let Some(composite) = composite else {
            // A primitive: its value is the first part; more parts are extra components.
            let Some(first) = parts.first() else { return };
            self.check_escapes(first, loc);
            let checked = def.map_or_else(|| types::is_checked(data_type), |d| d.checked);
            if !first.is_empty() && !first.is_null() && (checked || table.is_some()) {
                self.check_primitive(data_type, table, first, loc);
            }
            for (i, extra) in parts.iter().enumerate().skip(1) {
                if !extra.is_empty() {
                    let part_loc = loc.child(i + 1);
                    let number = i + 1;
                    let message = self.words(
                        loc,
                        None,
                        format_args!(" is a {data_type}, which has no component {number}"),
                    );
                    let text = extra.text(&self.walk);
                    self.report(
                        "component.unknown",
                        part_loc.at(extra.span()),
                        message,
                        Some(&text),
                    );
                }
            }
            return;
        };
        let count = composite.components.len();
        let any_valued = parts.iter().any(|p| !p.is_empty());
        for (i, part) in parts.iter().enumerate() {
            // A value with one part is named by its parent: PID-7, not PID-7.1.
            let part_loc = if parts.len() == 1 {
                loc
            } else {
                loc.child(i + 1)
            };
            let Some(component) = composite.components.get(i) else {
                if !part.is_empty() {
                    let number = i + 1;
                    let message = self.words(
                        loc,
                        None,
                        format_args!(
                            " is a {data_type}, which has {count} components; component {number} has a value"
                        ),
                    );
                    let text = part.text(&self.walk);
                    self.report(
                        "component.unknown",
                        part_loc.at(part.span()),
                        message,
                        Some(&text),
                    );
                }
                continue;
            };
            if part.is_empty() {
                if component.def.usage == Usage::Required
                    && any_valued
                    && self.enabled("component.required")
                {
                    let message =
                        self.words(part_loc, None, format_args!(" is required but empty"));
                    self.report(
                        "component.required",
                        part_loc.at(part.span()),
                        message,
                        None,
                    );
                }
                continue;
            }
            match part {
                // A primitive component with no subcomponent and no escape: one value, checked
                // as the walk below would check it, without walking.
                c if depth == 0
                    && component.primitive
                    && c.flags & (Walk::SUBCOMPONENT | Walk::ESCAPE) == 0 =>
                {
                    if component.primitive_checked && !c.is_null() {
                        self.check_primitive(
                            component.def.data_type,
                            component.def.table,
                            c,
                            part_loc,
                        );
                    }
                }
                c if depth == 0 => {
                    let mut subs = std::mem::take(&mut self.buffers[3]);
                    subs.clear();
                    self.walk.parts(c, Walk::SUBCOMPONENT, &mut subs);
                    self.check_typed(
                        component.def.data_type,
                        component.sub.as_deref(),
                        component.def.table,
                        &subs,
                        part_loc,
                        1,
                    );
                    self.buffers[3] = subs;
                }
                _ => {
                    // A subcomponent: checked as a primitive of the component's type.
                    self.check_escapes(part, part_loc);
                    if !part.is_null() && component.checked {
                        self.check_primitive(
                            component.def.data_type,
                            component.def.table,
                            part,
                            part_loc,
                        );
                    }
                }
            }
        }
        // Coded types naming an HL7 table in their coding system: CE/CWE/CNE.3 "HL70001".
        if composite.coded {
            for (code_at, system_at) in [(0, 2), (3, 5)] {
                let (Some(code), Some(system)) = (parts.get(code_at), parts.get(system_at)) else {
                    continue;
                };
                // Without escapes, the system's bytes say what its text says: "HL7" and a
                // number in four bytes (text of other bytes has no such number either), or
                // nothing.
                let (number, empty) = if system.flags & Walk::ESCAPE == 0 {
                    let number = system
                        .bytes
                        .strip_prefix(b"HL7")
                        .filter(|n| n.len() == 4)
                        .and_then(|n| std::str::from_utf8(n).ok())
                        .and_then(|n| n.parse::<u16>().ok());
                    (number, system.is_empty())
                } else {
                    let system_text = system.text(&self.walk);
                    let number = system_text
                        .strip_prefix("HL7")
                        .filter(|n| n.len() == 4)
                        .and_then(|n| n.parse::<u16>().ok());
                    (number, system_text.is_empty())
                };
                let table = match (number, data_type) {
                    (Some(number), _) => Some(number),
                    (None, "CNE") if code_at == 0 && empty => table,
                    _ => None,
                };
                if let Some(table) = table {
                    let code_loc = loc.child(code_at + 1);
                    self.check_code(table, "value.table", code, code_loc);
                }
            }
        }
    }

    /// A value of a primitive type: its format, then its table. The value is decoded to text
    /// only where a check needs it.
    fn check_primitive(
        &mut self,
        data_type: &str,
        table: Option<u16>,
        value: &Piece<'a>,
        loc: Loc<'_>,
    ) {
        if types::is_checked(data_type) {
            let text = value.text(&self.walk);
            if let Err(expected) = types::check(data_type, &text) {
                let message = self.words(loc, Some(&text), format_args!(" not {expected}"));
                self.report("value.format", loc.at(value.span()), message, Some(&text));
                return;
            }
        }
        match (data_type, table) {
            ("ID", Some(table)) => self.check_code(table, "value.table", value, loc),
            ("IS", Some(table)) => self.check_code(table, "value.user-table", value, loc),
            _ => {}
        }
    }

    fn check_code(&mut self, table: u16, rule: &'static str, value: &Piece<'a>, loc: Loc<'_>) {
        // MSH-9's codes are checked by the msh.* rules against the version's events and
        // structures, MSH-12's by msh.version-*; OBX-2's (table 0125) by
        // obx.value-type-unknown against its data types (the sources' lists of 0125 lag
        // behind: 2.5.1's lacks CWE).
        let msh = loc.id == b"MSH" && loc.occurrence == 1 && matches!(loc.field, 9 | 12);
        if msh || table == 125 {
            return;
        }
        // Whether the preset checks the codes of plain and of user-defined tables.
        let [table_enabled, user_table_enabled] = self.table_rules;
        let Some(def) = self.versions[self.plans].table(table) else {
            return;
        };
        // User-defined tables list suggestions only; coding systems (0396) are registered with
        // HL7 all the time, so a version's list is never complete.
        let user = def.user_defined || table == 396 || rule == "value.user-table";
        // A rule the preset does not check needs no look-up (the tolerant preset checks
        // neither user-defined tables nor coding systems).
        let enabled = if user {
            user_table_enabled
        } else {
            table_enabled
        };
        if !enabled || !def.has_codes() {
            return;
        }
        // A value without escapes, read as UTF-8, whose bytes are a code is that code as text.
        if value.flags & Walk::ESCAPE == 0
            && self.walk.charset.expects_utf8()
            && def.contains_bytes(value.bytes)
        {
            return;
        }
        let value_text = value.text(&self.walk);
        if def.contains(&value_text) {
            return;
        }
        let name = def.def.name;
        let span = value.span();
        let value = &*value_text;
        let rule = if user { "value.user-table" } else { rule };
        // Table 0396 reserves "99zzz" (and L) for local coding systems.
        if table == 396 && value.starts_with("99") {
            return;
        }
        let message = self.words(
            loc,
            Some(value),
            format_args!(" not in HL7 table {table:04} {name}"),
        );
        self.report(rule, loc.at(span), message, Some(value));
    }

    /// The escape sequences of a value: most hold none, known without a call.
    #[inline]
    fn check_escapes(&mut self, part: &Piece<'a>, loc: Loc<'_>) {
        if part.flags & Walk::ESCAPE != 0 {
            self.check_escape_sequences(part, loc);
        }
    }

    fn check_escape_sequences(&mut self, part: &Piece<'a>, loc: Loc<'_>) {
        let escapes = pipehat::escape::escapes(part.bytes, part.start, self.walk.delimiters);
        for (piece, span) in escapes {
            if let pipehat::escape::Piece::Malformed(bytes, problem) = piece {
                let text = String::from_utf8_lossy(bytes);
                let why = match problem {
                    pipehat::escape::EscapeProblem::Unterminated => "no closing escape character",
                    pipehat::escape::EscapeProblem::BadHex => "bad hexadecimal digits",
                    pipehat::escape::EscapeProblem::BadFormat => "bad formatting command",
                    _ => "unknown escape sequence",
                };
                let message = format!("{}: malformed escape sequence ({why})", self.named(loc));
                self.report("value.escape", loc.at(span), message, Some(&text));
            }
        }
    }
}
