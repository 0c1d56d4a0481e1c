//! The rules table: every rule's id, HL7 error code, severity per preset and description
//! ([`RULES`]), and the look-ups the engine makes in it.

use crate::options::Preset;
use crate::report::Severity;

/// A rule: its stable id, HL7 error code, severity in the tolerant and the strict preset
/// (`None`: not checked), and what it checks.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The stable id, e.g. `field.required`.
    pub id: &'static str,
    /// The HL7 error code (table 0357).
    pub code: u16,
    /// Severity in [`Preset::Tolerant`].
    pub tolerant: Option<Severity>,
    /// Severity in [`Preset::Strict`].
    pub strict: Option<Severity>,
    /// What it checks.
    pub description: &'static str,
}

const E: Option<Severity> = Some(Severity::Error);
const W: Option<Severity> = Some(Severity::Warning);
const I: Option<Severity> = Some(Severity::Info);

/// Every rule the validator applies (besides the parser's diagnostics, reported under their
/// own codes such as `delimiters.duplicate` or `encoding.invalid-utf8`).
pub const RULES: &[Rule] = &[
    rule(
        "msh.version-missing",
        203,
        E,
        E,
        "MSH-12 is empty or holds no version: the newest version is assumed",
    ),
    rule(
        "msh.version-unknown",
        203,
        W,
        E,
        "MSH-12 names a version the dictionary lacks: the nearest older one is used",
    ),
    rule(
        "msh.message-type-unknown",
        200,
        E,
        E,
        "MSH-9.1 is not a message type of the version",
    ),
    rule(
        "msh.event-unknown",
        201,
        E,
        E,
        "MSH-9.2 is not a trigger event of the message type in the version",
    ),
    rule(
        "msh.structure-unknown",
        200,
        E,
        E,
        "MSH-9.3 is not a message structure of the version",
    ),
    rule(
        "msh.structure-mismatch",
        201,
        W,
        E,
        "MSH-9.3 differs from the structure the version gives the event",
    ),
    rule(
        "structure.segment-missing",
        100,
        E,
        E,
        "a required segment of the structure is missing",
    ),
    rule(
        "structure.group-missing",
        100,
        E,
        E,
        "a required group of the structure is missing",
    ),
    rule(
        "structure.segment-out-of-order",
        100,
        E,
        E,
        "the structure has the segment, but not here",
    ),
    rule(
        "structure.segment-unexpected",
        100,
        E,
        E,
        "the structure does not have the segment (Z-segments are allowed anywhere)",
    ),
    rule(
        "structure.too-many",
        100,
        E,
        E,
        "a segment or group repeats more often than the structure allows",
    ),
    rule(
        "segment.unknown",
        100,
        W,
        E,
        "a segment the version does not define (not a Z-segment)",
    ),
    rule("field.required", 101, E, E, "a required field is empty"),
    rule(
        "field.repetitions",
        102,
        E,
        E,
        "a field repeats more often than allowed",
    ),
    rule(
        "field.length",
        104,
        W,
        E,
        "a field's repetition is longer than the maximum length",
    ),
    rule(
        "field.not-supported",
        102,
        I,
        W,
        "a field the version marks not supported (X) has a value",
    ),
    rule(
        "field.withdrawn",
        102,
        I,
        W,
        "a field the version withdrew (W) has a value",
    ),
    rule(
        "field.unknown",
        102,
        W,
        E,
        "a field beyond the segment's last defined field has a value",
    ),
    rule(
        "component.required",
        101,
        None,
        E,
        "a required component of a valued field is empty",
    ),
    rule(
        "component.unknown",
        102,
        I,
        E,
        "a component beyond the data type's last one has a value",
    ),
    rule(
        "value.format",
        102,
        E,
        E,
        "a DT, TM, DTM/TS, NM or SI value does not have its type's format",
    ),
    rule(
        "value.table",
        103,
        W,
        E,
        "a code is not in the version's HL7-defined table (ID fields, CNE, and CE/CWE naming an HL7 table); a warning by default, as senders often use codes added in later versions",
    ),
    rule(
        "value.user-table",
        103,
        None,
        W,
        "a code is not among a user-defined table's suggested values",
    ),
    rule(
        "value.escape",
        102,
        W,
        E,
        "a malformed escape sequence (kept as written)",
    ),
    rule(
        "obx.value-type-unknown",
        102,
        E,
        E,
        "OBX-2 names no data type of the version, so OBX-5 cannot be checked",
    ),
    rule(
        "profile.segment-usage",
        100,
        E,
        E,
        "the profile requires a segment that is absent (R), or forbids one that is present (X)",
    ),
    rule(
        "profile.segment-cardinality",
        100,
        E,
        E,
        "a segment occurs fewer or more times than the profile allows",
    ),
    rule(
        "profile.required",
        101,
        E,
        E,
        "an element the profile requires (R) is empty",
    ),
    rule(
        "profile.not-used",
        102,
        E,
        E,
        "an element the profile does not use (X) has a value",
    ),
    rule(
        "profile.cardinality",
        102,
        E,
        E,
        "a field repeats fewer or more times than the profile allows",
    ),
    rule(
        "profile.length",
        104,
        E,
        E,
        "a value is longer than the profile's maximum length",
    ),
    rule(
        "profile.fixed",
        103,
        E,
        E,
        "a value differs from the profile's fixed value",
    ),
    rule(
        "profile.value-set",
        103,
        E,
        E,
        "a value is not in the profile's value set (or table)",
    ),
];

const fn rule(
    id: &'static str,
    code: u16,
    tolerant: Option<Severity>,
    strict: Option<Severity>,
    description: &'static str,
) -> Rule {
    Rule {
        id,
        code,
        tolerant,
        strict,
        description,
    }
}

/// Whether `preset` checks the rule at all.
pub(crate) fn rule_enabled(preset: Preset, id: &str) -> bool {
    let rule = find_rule(id);
    match preset {
        Preset::Tolerant => rule.tolerant.is_some(),
        Preset::Strict => rule.strict.is_some(),
    }
}

pub(crate) fn find_rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|rule| rule.id == id)
        .unwrap_or_else(|| panic!("rule {id} is not in RULES"))
}
