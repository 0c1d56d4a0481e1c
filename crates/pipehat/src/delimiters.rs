//! The delimiters a message declares in its header.
//!
//! MSH-1 is the field separator: the byte right after `MSH` (or `FHS`, `BHS`). MSH-2 holds the
//! encoding characters, positionally: component, repetition, escape, subcomponent and, from
//! v2.7, truncation. Real senders get this wrong in every way, so reading is lenient and says
//! what it did:
//!
//! - a missing character, or one that cannot be a delimiter (a control or non-ASCII byte),
//!   takes its recommended value (`^ ~ \ &`); a space means "not used" (some senders write
//!   `^~ &` to say they never escape); a letter or digit is used as declared, with a warning;
//! - one character can have one role only: the field separator first, then the structural
//!   separators in order (component, repetition, subcomponent), then the escape and truncation
//!   characters. So `^~&` — a common shorthand — reads as component `^`, repetition `~`,
//!   subcomponent `&` and no escape character;
//! - more than five characters: the extra ones are ignored.
//!
//! Each of these is a [`Diagnostic`]. Only a field separator that cannot be one (a letter, a
//! digit, a space, a control or non-ASCII byte) makes the header unreadable.

use core::fmt;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::error::{Error, ErrorKind};
use crate::span::Span;

/// The role of a delimiter in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DelimiterRole {
    /// Separates fields (MSH-1).
    Field,
    /// Separates components (MSH-2, first character).
    Component,
    /// Separates repetitions of a field (MSH-2, second character).
    Repetition,
    /// Opens and closes escape sequences (MSH-2, third character).
    Escape,
    /// Separates subcomponents (MSH-2, fourth character).
    Subcomponent,
    /// Marks a truncated value (MSH-2, fifth character; HL7 v2.7 and later).
    Truncation,
}

impl DelimiterRole {
    /// The character HL7 recommends for the role: `| ^ ~ \ & #`.
    #[must_use]
    pub const fn recommended(self) -> u8 {
        match self {
            Self::Field => b'|',
            Self::Component => b'^',
            Self::Repetition => b'~',
            Self::Escape => b'\\',
            Self::Subcomponent => b'&',
            Self::Truncation => b'#',
        }
    }
}

impl fmt::Display for DelimiterRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Field => "field separator",
            Self::Component => "component separator",
            Self::Repetition => "repetition separator",
            Self::Escape => "escape character",
            Self::Subcomponent => "subcomponent separator",
            Self::Truncation => "truncation character",
        })
    }
}

/// The delimiters of a message: one field separator, and the encoding characters that are in
/// use (each distinct from the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delimiters {
    field: u8,
    component: Option<u8>,
    repetition: Option<u8>,
    escape: Option<u8>,
    subcomponent: Option<u8>,
    truncation: Option<u8>,
}

impl Default for Delimiters {
    /// The recommended set, `|^~\&`, without a truncation character.
    fn default() -> Self {
        Self {
            field: b'|',
            component: Some(b'^'),
            repetition: Some(b'~'),
            escape: Some(b'\\'),
            subcomponent: Some(b'&'),
            truncation: None,
        }
    }
}

/// The MSH-2 positions, in the order roles claim their character (see the module docs).
const PRECEDENCE: [(DelimiterRole, usize); 5] = [
    (DelimiterRole::Component, 0),
    (DelimiterRole::Repetition, 1),
    (DelimiterRole::Subcomponent, 3),
    (DelimiterRole::Escape, 2),
    (DelimiterRole::Truncation, 4),
];

impl Delimiters {
    /// The field separator (MSH-1).
    #[must_use]
    pub const fn field(&self) -> u8 {
        self.field
    }

    /// The component separator, if the message has one.
    #[must_use]
    pub const fn component(&self) -> Option<u8> {
        self.component
    }

    /// The repetition separator, if the message has one.
    #[must_use]
    pub const fn repetition(&self) -> Option<u8> {
        self.repetition
    }

    /// The escape character, if the message has one.
    #[must_use]
    pub const fn escape(&self) -> Option<u8> {
        self.escape
    }

    /// The subcomponent separator, if the message has one.
    #[must_use]
    pub const fn subcomponent(&self) -> Option<u8> {
        self.subcomponent
    }

    /// The truncation character (v2.7+), if the message declares one.
    #[must_use]
    pub const fn truncation(&self) -> Option<u8> {
        self.truncation
    }

    /// The delimiter for a role, if in use.
    #[must_use]
    pub const fn get(&self, role: DelimiterRole) -> Option<u8> {
        match role {
            DelimiterRole::Field => Some(self.field),
            DelimiterRole::Component => self.component,
            DelimiterRole::Repetition => self.repetition,
            DelimiterRole::Escape => self.escape,
            DelimiterRole::Subcomponent => self.subcomponent,
            DelimiterRole::Truncation => self.truncation,
        }
    }

    fn set(&mut self, role: DelimiterRole, byte: Option<u8>) {
        match role {
            DelimiterRole::Field => self.field = byte.unwrap_or(b'|'),
            DelimiterRole::Component => self.component = byte,
            DelimiterRole::Repetition => self.repetition = byte,
            DelimiterRole::Escape => self.escape = byte,
            DelimiterRole::Subcomponent => self.subcomponent = byte,
            DelimiterRole::Truncation => self.truncation = byte,
        }
    }

    /// The role `byte` plays, if any.
    #[must_use]
    pub fn role_of(&self, byte: u8) -> Option<DelimiterRole> {
        [
            DelimiterRole::Field,
            DelimiterRole::Component,
            DelimiterRole::Repetition,
            DelimiterRole::Escape,
            DelimiterRole::Subcomponent,
            DelimiterRole::Truncation,
        ]
        .into_iter()
        .find(|&role| self.get(role) == Some(byte))
    }

    /// Reads the delimiters from a header segment (`MSH`, `FHS` or `BHS` and what follows, up
    /// to the end of the segment), which starts at byte `offset` of the input. What is odd but
    /// readable goes into `diagnostics`.
    pub(crate) fn read(
        header: &[u8],
        offset: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Self, Error> {
        let at = |start: usize, len: usize| Span::new(offset + start, offset + start + len);
        let Some(&field) = header.get(3) else {
            return Err(Error::new(
                ErrorKind::MissingFieldSeparator,
                at(0, header.len()),
            ));
        };
        if !is_usable(field) {
            return Err(Error::new(
                ErrorKind::InvalidFieldSeparator { byte: field },
                at(3, 1),
            ));
        }
        if field != DelimiterRole::Field.recommended() {
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::UnusualFieldSeparator { byte: field },
                at(3, 1),
            ));
        }

        let rest = &header[4..];
        let declared = &rest[..memchr::memchr(field, rest).unwrap_or(rest.len())];
        let msh2 = at(4, declared.len());
        if declared.len() < 4 {
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::MissingEncodingCharacters {
                    declared: declared.len(),
                },
                msh2,
            ));
        } else if declared.len() > 5 {
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::TooManyEncodingCharacters {
                    declared: declared.len(),
                },
                msh2,
            ));
        }

        let mut delimiters = Self {
            field,
            component: None,
            repetition: None,
            escape: None,
            subcomponent: None,
            truncation: None,
        };
        for (role, position) in PRECEDENCE {
            let candidate = match declared.get(position) {
                Some(b' ') => None,
                Some(&byte) if is_usable(byte) => Some(byte),
                Some(&byte) if byte.is_ascii_alphanumeric() => {
                    diagnostics.push(Diagnostic::new(
                        DiagnosticKind::AlphanumericEncodingCharacter { role, byte },
                        at(4 + position, 1),
                    ));
                    Some(byte)
                }
                Some(&byte) => {
                    diagnostics.push(Diagnostic::new(
                        DiagnosticKind::InvalidEncodingCharacter { role, byte },
                        at(4 + position, 1),
                    ));
                    fallback(role)
                }
                None => fallback(role),
            };
            let Some(byte) = candidate else { continue };
            match delimiters.role_of(byte) {
                None => delimiters.set(role, Some(byte)),
                Some(kept) => diagnostics.push(Diagnostic::new(
                    DiagnosticKind::DuplicateEncodingCharacter {
                        kept,
                        dropped: role,
                        byte,
                    },
                    if position < declared.len() {
                        at(4 + position, 1)
                    } else {
                        msh2
                    },
                )),
            }
        }
        Ok(delimiters)
    }
}

/// The value a role takes when MSH-2 does not give a usable one (the truncation character is
/// used only when declared).
fn fallback(role: DelimiterRole) -> Option<u8> {
    (role != DelimiterRole::Truncation).then(|| role.recommended())
}

/// Whether a byte can serve as a delimiter: printable ASCII punctuation.
const fn is_usable(byte: u8) -> bool {
    byte.is_ascii_punctuation()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `header`, returning the delimiters as MSH-1 + MSH-2 text (`_` for a role not in
    /// use) and the diagnostic codes.
    fn read(header: &[u8]) -> (String, Vec<&'static str>) {
        let mut diagnostics = Vec::new();
        let delimiters = Delimiters::read(header, 0, &mut diagnostics).expect("readable header");
        let show = |b: Option<u8>| b.map_or('_', char::from);
        let text = [
            Some(delimiters.field()),
            delimiters.component(),
            delimiters.repetition(),
            delimiters.escape(),
            delimiters.subcomponent(),
            delimiters.truncation(),
        ]
        .into_iter()
        .map(show)
        .collect();
        (text, diagnostics.iter().map(Diagnostic::code).collect())
    }

    macro_rules! reads_as {
        ($($name:ident: $header:expr => $expected:expr, [$($code:expr),*];)*) => {$(
            #[test]
            fn $name() {
                let expected: (&str, Vec<&str>) = ($expected, vec![$($code),*]);
                let (text, codes) = read($header);
                assert_eq!((text.as_str(), codes), expected);
            }
        )*};
    }

    reads_as! {
        standard: b"MSH|^~\\&|APP" => "|^~\\&_", [];
        truncation_v27: b"MSH|^~\\&#|APP" => "|^~\\&#", [];
        caret_field_separator: b"MSH^~|\\&^A" => "^~|\\&_", ["delimiters.unusual-field-separator"];
        all_custom_with_truncation: b"MSH#*!?@%#A" => "#*!?@%", ["delimiters.unusual-field-separator"];
        colon_field_separator: b"MSH:-+?*:A" => ":-+?*_", ["delimiters.unusual-field-separator"];
        header_ends_after_msh2: b"MSH|^~\\&" => "|^~\\&_", [];
        // `^~&`: the shorthand of senders that never escape.
        three_without_escape: b"MSH|^~&|A" => "|^~_&_",
            ["delimiters.missing", "delimiters.duplicate"];
        three_without_subcomponent: b"MSH|^~\\|A" => "|^~\\&_", ["delimiters.missing"];
        two: b"MSH|^~|A" => "|^~\\&_", ["delimiters.missing"];
        empty_msh2: b"MSH||A" => "|^~\\&_", ["delimiters.missing"];
        nothing_after_field_separator: b"MSH|" => "|^~\\&_", ["delimiters.missing"];
        space_means_no_escape: b"MSH|^~ &|A" => "|^~_&_", [];
        custom_escape: b"MSH|^~*&|A" => "|^~*&_", [];
        duplicate_component: b"MSH|^^\\&|A" => "|^_\\&_", ["delimiters.duplicate"];
        duplicate_subcomponent_and_escape: b"MSH|^~&&|A" => "|^~_&_", ["delimiters.duplicate"];
        duplicate_of_field_separator_fallback: b"MSH^^A" => "^_~\\&_",
            ["delimiters.unusual-field-separator", "delimiters.missing", "delimiters.duplicate"];
        letter_is_used_as_declared: b"MSH!$r?@!LIP" => "!$r?@_",
            ["delimiters.unusual-field-separator", "delimiters.alphanumeric"];
        control_byte_is_replaced: b"MSH|^~\\\x01|x" => "|^~\\&_", ["delimiters.invalid"];
        too_many: b"MSH@%\\&$?!@x" => "@%\\&$?", ["delimiters.unusual-field-separator", "delimiters.too-many"];
        hapi_no_escape: b"MSH|^~}|A" => "|^~}&_", ["delimiters.missing"];
    }

    #[test]
    fn unreadable_field_separators_are_errors() {
        for header in [
            &b"MSHX^~\\&"[..],
            b"MSH1",
            b"MSH ^~",
            b"MSH\t^~",
            b"MSH\xC3\xA9",
        ] {
            let error = Delimiters::read(header, 10, &mut Vec::new()).unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidFieldSeparator { .. }),
                "{header:?}"
            );
            assert_eq!(error.span(), Span::new(13, 14));
        }
        let error = Delimiters::read(b"MSH", 0, &mut Vec::new()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingFieldSeparator);
    }

    #[test]
    fn diagnostics_point_at_the_character() {
        let mut diagnostics = Vec::new();
        Delimiters::read(b"MSH|^^\\&|A", 100, &mut diagnostics).unwrap();
        assert_eq!(diagnostics[0].span(), Span::new(105, 106));
        assert_eq!(
            diagnostics[0].to_string(),
            "MSH-2: '^' cannot be both the component separator and the repetition separator; \
             it is read as the component separator (bytes 105..106)"
        );
    }
}
