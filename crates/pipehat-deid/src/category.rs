//! What a value is, for de-identification: every leaf of a message (a subcomponent, or the
//! component or field it is when it has no parts) gets one [`Category`], from its position and
//! the dictionary's data types. The category decides the method a policy applies.
//!
//! The rules are safe by default: anything the rules do not recognise as harmless — text,
//! identifiers, values of unknown segments and of fields beyond the definition — is treated as
//! an identifier. Only coded values found in their HL7 table, well-formed numbers and times,
//! and a short allow-list of fields that describe the message rather than a person are kept.

use pipehat_dict::{DataTypeDef, Version};
use serde::{Deserialize, Serialize};

/// What a leaf holds, as far as de-identification is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// On the allow-list: describes the message or a clinical concept, not a person
    /// (delimiters, message type, version, observation identifiers, units…).
    Allowed,
    /// A coded value (ID, IS, CE/CWE identifiers and coding systems): kept only when its HL7
    /// table lists it.
    Code,
    /// The display text of a coded value: kept only when it is the table's own description of
    /// the code beside it.
    CodeText,
    /// A number (NM, SI): kept only when it is a well-formed number.
    Number,
    /// A time of day (TM): kept only when well-formed.
    Time,
    /// A date or date/time (DT, DTM, TS).
    Date,
    /// A date of birth: like [`Category::Date`], and ages over 89 are aggregated.
    BirthDate,
    /// An age (the value of an age observation: OBX-5 where OBX-3 is an age code or OBX-6 is
    /// years): kept up to 89; an older age becomes 90, which stands for 90 or older.
    Age,
    /// A family name (surname, own and partner surname, prefixes).
    FamilyName,
    /// A given or middle name.
    GivenName,
    /// A street address or other sub-city designation (street, other designation, county,
    /// census tract).
    Street,
    /// A city.
    City,
    /// A state or province: kept when it looks like a code.
    State,
    /// A ZIP or postal code.
    PostalCode,
    /// A country: kept when it looks like a code.
    Country,
    /// A telephone number or one of its parts.
    Telecom,
    /// An email address.
    Email,
    /// Any other text: identifiers, free-standing strings, unknown values.
    Identifier,
    /// Free text (TX, FT, notes, text observations).
    FreeText,
    /// An encapsulated or referenced payload (ED, RP): images, PDFs, biometrics.
    Binary,
    /// A value of a segment or field the dictionary does not define (Z-segments, fields past
    /// the definition, components past the data type).
    Unknown,
}

impl Category {
    /// The category's name as the JSON and the receipt print it (`family-name`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Allowed => "allowed",
            Category::Code => "code",
            Category::CodeText => "code-text",
            Category::Number => "number",
            Category::Time => "time",
            Category::Date => "date",
            Category::BirthDate => "birth-date",
            Category::Age => "age",
            Category::FamilyName => "family-name",
            Category::GivenName => "given-name",
            Category::Street => "street",
            Category::City => "city",
            Category::State => "state",
            Category::PostalCode => "postal-code",
            Category::Country => "country",
            Category::Telecom => "telecom",
            Category::Email => "email",
            Category::Identifier => "identifier",
            Category::FreeText => "free-text",
            Category::Binary => "binary",
            Category::Unknown => "unknown",
        }
    }
}

/// Fields kept as they are, whatever they hold: they describe the message, not a person.
/// Documented, with the reason for each, in `docs/deidentification.md`.
pub(crate) const ALLOWED_FIELDS: &[(&str, usize)] = &[
    // Delimiters, applications and facilities (systems, not people), message type, processing
    // id, version, acknowledgment types, country, character sets, language, profile ids.
    ("MSH", 1),
    ("MSH", 2),
    ("MSH", 3),
    ("MSH", 4),
    ("MSH", 5),
    ("MSH", 6),
    ("MSH", 9),
    ("MSH", 11),
    ("MSH", 12),
    ("MSH", 15),
    ("MSH", 16),
    ("MSH", 17),
    ("MSH", 18),
    ("MSH", 19),
    ("MSH", 20),
    ("MSH", 21),
    // Batch and file headers: delimiters and applications/facilities, as in MSH.
    ("FHS", 1),
    ("FHS", 2),
    ("FHS", 3),
    ("FHS", 4),
    ("FHS", 5),
    ("FHS", 6),
    ("BHS", 1),
    ("BHS", 2),
    ("BHS", 3),
    ("BHS", 4),
    ("BHS", 5),
    ("BHS", 6),
    // Batch and file message counts.
    ("BTS", 1),
    ("FTS", 1),
    // Observation sub-id: a grouping number inside an order.
    ("OBX", 4),
];

/// Coded clinical concepts: the code, its display text and coding system (components 1–8 of
/// CE/CWE/CNE) are kept; original text (CWE-9) and anything else follows the usual rules.
pub(crate) const CONCEPT_FIELDS: &[(&str, usize)] = &[
    ("OBX", 3), // observation identifier (LOINC…)
    ("OBX", 6), // units
    ("OBR", 4), // universal service identifier
    ("RXA", 5), // administered code (CVX…)
    ("RXA", 7), // administered units
    ("SPM", 4), // specimen type
    ("DG1", 3), // diagnosis code
    ("PR1", 3), // procedure code
    ("AL1", 3), // allergen code
];

/// Observation identifiers (OBX-3.1, LOINC) whose value is a person's age.
pub(crate) const AGE_CODES: &[&str] = &["30525-0", "21612-7", "29553-5", "21611-9"];

/// Units (OBX-6.1) that make a numeric observation an age in years.
pub(crate) const AGE_UNITS: &[&str] = &["a", "yr", "yrs", "year", "years", "ann"];

/// Fields of string type that hold free text in practice (TX and FT fields are free text by
/// type).
pub(crate) const FREE_TEXT_FIELDS: &[(&str, usize)] = &[
    ("NTE", 3),
    ("OBR", 13), // relevant clinical information
    ("PV2", 12), // visit description
    ("AL1", 5),  // allergy reaction
    ("ORC", 16), // order control code reason
];

/// Whether `(segment, field)` is in `list`.
pub(crate) fn listed(list: &[(&str, usize)], segment: &[u8], field: usize) -> bool {
    list.iter()
        .any(|(id, number)| *number == field && id.as_bytes() == segment)
}

/// The category a component position of a composite data type always has, whatever its own
/// type: name parts, address parts, telephone parts, the code and text of a coded element.
fn role(data_type: &str, position: usize) -> Option<Category> {
    use Category::*;
    Some(match (data_type, position) {
        ("XPN" | "PN", 1) => FamilyName,
        ("XPN" | "PN", 2 | 3) => GivenName,
        ("XCN" | "CN" | "CNN" | "PPN", 2) => FamilyName,
        ("XCN" | "CN" | "CNN" | "PPN", 3 | 4) => GivenName,
        ("FN", _) => FamilyName,
        ("XAD" | "AD", 1 | 2 | 8 | 9 | 10) => Street,
        ("XAD" | "AD", 3) => City,
        ("XAD" | "AD", 4) => State,
        ("XAD" | "AD", 5) => PostalCode,
        ("XAD" | "AD", 6) => Country,
        ("SAD", _) => Street,
        ("XTN", 1 | 5 | 6 | 7 | 8 | 12) => Telecom,
        ("XTN", 4) => Email,
        ("XTN", 9) => Identifier,
        // A timestamp's time, whatever type the version gives it (ST in 2.2–2.4).
        ("TS", 1) => Date,
        ("CE" | "CWE" | "CNE" | "CF", 1 | 4) => Code,
        ("CE" | "CWE" | "CNE" | "CF", 2 | 5) => CodeText,
        _ => return None,
    })
}

/// The category of a primitive data type.
fn primitive(data_type: &str) -> Category {
    match data_type {
        "DT" | "DTM" | "TS" | "DIN" => Category::Date,
        "TM" => Category::Time,
        "NM" | "SI" => Category::Number,
        "ID" | "IS" => Category::Code,
        "TN" => Category::Telecom,
        "TX" | "FT" => Category::FreeText,
        "ED" | "RP" => Category::Binary,
        _ => Category::Identifier,
    }
}

/// Whether a data type's values are payloads to remove whole.
pub(crate) fn is_binary(data_type: &str) -> bool {
    matches!(data_type, "ED" | "RP")
}

/// Whether a data type is a coded element (CE, CWE, CNE, CF).
pub(crate) fn is_coded(data_type: &str) -> bool {
    matches!(data_type, "CE" | "CWE" | "CNE" | "CF")
}

/// A leaf's category and the HL7 table its codes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Leaf {
    pub category: Category,
    pub table: Option<u16>,
    /// The maximum length the dictionary gives the leaf, where it has one.
    pub max_length: Option<u32>,
    /// Whether the leaf's type has a format (NM, SI, DT, DTM, TM, TS): a redacted value of
    /// such a type is emptied, since `REDACTED` would break its format.
    pub formatted: bool,
    /// The leaf's own (primitive) data type, where the dictionary gives one.
    pub data_type: &'static str,
}

/// Whether values of a primitive type have a format to keep.
fn formatted(data_type: &str) -> bool {
    matches!(data_type, "NM" | "SI" | "DT" | "DTM" | "TM" | "TS" | "DIN")
}

/// The category of a primitive type inside a composite: free text only stands alone as a
/// field; a TX component is one more string.
fn primitive_inside(data_type: &str) -> Category {
    match primitive(data_type) {
        Category::FreeText => Category::Identifier,
        other => other,
    }
}

/// The category of component `component`, subcomponent `subcomponent` (both from 1) of a value
/// of `field_type` whose HL7 table is `field_table`.
pub(crate) fn leaf(
    version: Version,
    field_type: &'static str,
    field_table: Option<u16>,
    component: usize,
    subcomponent: usize,
) -> Leaf {
    let unknown = Leaf {
        category: Category::Unknown,
        table: None,
        max_length: None,
        formatted: false,
        data_type: "",
    };
    let composite = lookup(version, field_type).filter(|def| !def.is_primitive());
    let Some(composite) = composite else {
        // A primitive: only its first component and subcomponent are defined — except where
        // an old version gives a name no components (PN in 2.1 is `family^given`).
        if let Some(category) = role(field_type, component).filter(|_| subcomponent == 1) {
            return Leaf {
                category,
                table: None,
                max_length: None,
                formatted: false,
                data_type: field_type,
            };
        }
        if component > 1 || subcomponent > 1 {
            return unknown;
        }
        return Leaf {
            category: primitive(field_type),
            table: field_table,
            max_length: None,
            formatted: formatted(field_type),
            data_type: field_type,
        };
    };
    let Some(def) = composite.component(component) else {
        return unknown;
    };
    let outer = role(field_type, component);
    // The code and text of a coded element take the field's table when they have none.
    let table = def.table.or_else(|| {
        (is_coded(field_type) && component <= 2)
            .then_some(field_table)
            .flatten()
    });
    let inner = lookup(version, def.data_type).filter(|d| !d.is_primitive());
    match inner {
        None => {
            if subcomponent > 1 {
                return unknown;
            }
            Leaf {
                category: outer.unwrap_or_else(|| primitive_inside(def.data_type)),
                table,
                max_length: def.max_length,
                formatted: formatted(def.data_type),
                data_type: def.data_type,
            }
        }
        Some(inner) => {
            if is_binary(def.data_type) {
                return Leaf {
                    category: Category::Binary,
                    table: None,
                    max_length: None,
                    formatted: false,
                    data_type: def.data_type,
                };
            }
            let Some(sub) = inner.component(subcomponent) else {
                return unknown;
            };
            let category = role(def.data_type, subcomponent)
                .or(outer)
                .unwrap_or_else(|| primitive_inside(sub.data_type));
            Leaf {
                category,
                table: sub.table,
                max_length: sub.max_length,
                formatted: formatted(sub.data_type),
                data_type: sub.data_type,
            }
        }
    }
}

/// A data type's definition in `version`, or in the latest version for types the version's
/// sources leave out.
fn lookup(version: Version, id: &str) -> Option<DataTypeDef> {
    if id.is_empty() {
        return None;
    }
    version
        .data_type(id)
        .or_else(|| Version::LATEST.data_type(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(
        version: Version,
        data_type: &'static str,
        component: usize,
        sub: usize,
    ) -> Category {
        leaf(version, data_type, None, component, sub).category
    }

    #[test]
    fn names_addresses_and_phones_by_position() {
        let v = Version::V2_5_1;
        assert_eq!(category(v, "XPN", 1, 1), Category::FamilyName);
        assert_eq!(category(v, "XPN", 2, 1), Category::GivenName);
        assert_eq!(category(v, "XPN", 7, 1), Category::Code);
        assert_eq!(category(v, "XCN", 1, 1), Category::Identifier);
        assert_eq!(category(v, "XCN", 2, 1), Category::FamilyName);
        assert_eq!(category(v, "XAD", 1, 1), Category::Street);
        assert_eq!(category(v, "XAD", 5, 1), Category::PostalCode);
        // Area code and local number are NM, but they are a phone number.
        assert_eq!(category(v, "XTN", 6, 1), Category::Telecom);
        assert_eq!(category(v, "XTN", 4, 1), Category::Email);
        assert_eq!(category(v, "TS", 1, 1), Category::Date);
        assert_eq!(category(v, "CX", 1, 1), Category::Identifier);
        assert_eq!(category(v, "CX", 5, 1), Category::Code);
        assert_eq!(category(v, "CX", 4, 2), Category::Identifier);
        assert_eq!(category(v, "ST", 1, 1), Category::Identifier);
        assert_eq!(category(v, "ST", 2, 1), Category::Unknown);
        assert_eq!(category(v, "XPN", 40, 1), Category::Unknown);
        assert_eq!(category(Version::V2_3, "XPN", 1, 1), Category::FamilyName);
    }

    #[test]
    fn coded_elements_take_the_field_table() {
        let leaf = leaf(Version::V2_5_1, "CWE", Some(189), 1, 1);
        assert_eq!((leaf.category, leaf.table), (Category::Code, Some(189)));
        let system = super::leaf(Version::V2_5_1, "CWE", Some(189), 3, 1);
        assert_eq!((system.category, system.table), (Category::Code, Some(396)));
    }
}
