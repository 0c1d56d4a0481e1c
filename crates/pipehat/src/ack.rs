//! Acknowledgments: the ACK (or NAK) a receiver sends back for a message.
//!
//! The reply's MSH comes from the original: sender and receiver swapped (MSH-3/4 ↔ MSH-5/6), the
//! same delimiters, processing id (MSH-11), version (MSH-12) and character set (MSH-18), a new
//! control id (MSH-10) and time (MSH-7) that the caller supplies (the core reads no clock: it
//! also runs in browsers). MSH-9 is `ACK`, with the trigger event from v2.3 and the structure
//! `ACK` from v2.3.1. MSA-2 echoes the original MSH-10. Errors become ERR segments in the form of
//! the message's version: before v2.5 one ERR whose ERR-1 repeats (segment^sequence^field^code);
//! from v2.5 one ERR per error with ERR-2 location, ERR-3 code (table 0357), ERR-4 severity
//! (table 0516) and ERR-7 diagnostic text.
//!
//! ```
//! use pipehat::{Acknowledgment, AckCode, AckError, Message};
//!
//! let message = Message::parse(b"MSH|^~\\&|LAB|HOSP|EHR|CLINIC|202611220214||ORU^R01^ORU_R01|42|P|2.5.1\rPID|1\r")?;
//! let ack = Acknowledgment::new(AckCode::ApplicationError, "ACK42", "202611220215")
//!     .error(AckError::new(101, "PID-3 Patient Identifier List is required").at("PID-3".parse()?))
//!     .build(&message);
//! assert_eq!(
//!     String::from_utf8(ack)?,
//!     "MSH|^~\\&|EHR|CLINIC|LAB|HOSP|202611220215||ACK^R01^ACK|ACK42|P|2.5.1\r\
//!      MSA|AE|42\r\
//!      ERR||PID^1^3|101^Required field missing^HL70357|E|||PID-3 Patient Identifier List is required\r"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::escape::encode;
use std::borrow::Cow;

use crate::elements::{Component, Field};
use crate::{Charset, Delimiters, Message, Path, Severity};

/// MSA-1, the acknowledgment code (HL7 table 0008).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AckCode {
    /// `AA`: original mode, application accept.
    ApplicationAccept,
    /// `AE`: original mode, application error.
    ApplicationError,
    /// `AR`: original mode, application reject.
    ApplicationReject,
    /// `CA`: enhanced mode, commit accept.
    CommitAccept,
    /// `CE`: enhanced mode, commit error.
    CommitError,
    /// `CR`: enhanced mode, commit reject.
    CommitReject,
}

impl AckCode {
    /// The code as written in MSA-1.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            AckCode::ApplicationAccept => "AA",
            AckCode::ApplicationError => "AE",
            AckCode::ApplicationReject => "AR",
            AckCode::CommitAccept => "CA",
            AckCode::CommitError => "CE",
            AckCode::CommitReject => "CR",
        }
    }
}

impl core::fmt::Display for AckCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that is not an acknowledgment code of table 0008.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckCodeError(String);

impl core::fmt::Display for AckCodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "an acknowledgment code is AA, AE, AR, CA, CE or CR, not {:?}",
            self.0
        )
    }
}

impl std::error::Error for AckCodeError {}

/// Reads MSA-1 as written: `AA`, `AE`, `AR`, `CA`, `CE` or `CR` (exactly, in capitals).
///
/// ```
/// use pipehat::AckCode;
///
/// assert_eq!("AE".parse(), Ok(AckCode::ApplicationError));
/// assert!("ok".parse::<AckCode>().is_err());
/// ```
impl core::str::FromStr for AckCode {
    type Err = AckCodeError;

    fn from_str(text: &str) -> Result<Self, AckCodeError> {
        Ok(match text {
            "AA" => AckCode::ApplicationAccept,
            "AE" => AckCode::ApplicationError,
            "AR" => AckCode::ApplicationReject,
            "CA" => AckCode::CommitAccept,
            "CE" => AckCode::CommitError,
            "CR" => AckCode::CommitReject,
            _ => return Err(AckCodeError(text.to_owned())),
        })
    }
}

/// One error to report in an ERR segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckError {
    code: u16,
    severity: Severity,
    location: Option<Path>,
    text: String,
}

impl AckError {
    /// An error with an HL7 error code (table 0357: 100 segment sequence, 101 required field
    /// missing, 102 data type, 103 table value not found, 104 value too long, 200–207
    /// unsupported message/event/processing id/version, key and application errors) and a
    /// diagnostic text. Its severity is error; see [`AckError::severity`].
    #[must_use]
    pub fn new(code: u16, text: impl Into<String>) -> Self {
        Self {
            code,
            severity: Severity::Error,
            location: None,
            text: text.into(),
        }
    }

    /// Where the error is.
    #[must_use]
    pub fn at(mut self, location: Path) -> Self {
        self.location = Some(location);
        self
    }

    /// How severe it is (ERR-4, table 0516: E, W, I).
    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// The text of an HL7 error code (table 0357), if it is a standard one.
#[must_use]
pub fn error_code_text(code: u16) -> Option<&'static str> {
    Some(match code {
        0 => "Message accepted",
        100 => "Segment sequence error",
        101 => "Required field missing",
        102 => "Data type error",
        103 => "Table value not found",
        104 => "Value too long",
        200 => "Unsupported message type",
        201 => "Unsupported event code",
        202 => "Unsupported processing id",
        203 => "Unsupported version id",
        204 => "Unknown key identifier",
        205 => "Duplicate key identifier",
        206 => "Application record locked",
        207 => "Application internal error",
        _ => return None,
    })
}

/// An acknowledgment to build for a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgment {
    code: AckCode,
    control_id: String,
    timestamp: String,
    text: Option<String>,
    errors: Vec<AckError>,
}

impl Acknowledgment {
    /// An acknowledgment with its code, its own control id (MSH-10) and time (MSH-7, as HL7
    /// writes it: `YYYYMMDDHHMMSS[+ZZZZ]`).
    #[must_use]
    pub fn new(code: AckCode, control_id: impl Into<String>, timestamp: impl Into<String>) -> Self {
        Self {
            code,
            control_id: control_id.into(),
            timestamp: timestamp.into(),
            text: None,
            errors: Vec::new(),
        }
    }

    /// A text message for MSA-3.
    #[must_use]
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Adds an error (ERR).
    #[must_use]
    pub fn error(mut self, error: AckError) -> Self {
        self.errors.push(error);
        self
    }

    /// The acknowledgment's bytes (segments ended by CR), in the form of `message`'s version.
    #[must_use]
    pub fn build(&self, message: &Message<'_>) -> Vec<u8> {
        let delimiters = message.delimiters();
        let msh = message
            .segments()
            .next()
            .expect("a message starts with MSH");
        let raw = |n: usize| msh.field(n).map_or(&b""[..], |f| f.as_bytes());
        let version = Version::parse(
            msh.field(12)
                .and_then(|f| f.component(1))
                .map_or(&b""[..], |c| c.as_bytes()),
        );
        // The original's delimiters when MSH-2 declares them cleanly, else the recommended
        // set: a reply must be written in delimiters it can write correctly (`MSH|^^^^` leaves
        // repetition, escape and subcomponent without a character), and the values copied from
        // the original are then re-encoded in them.
        let (target, same) = if encoding_characters(delimiters) == raw(2) {
            (delimiters, true)
        } else {
            (Delimiters::default(), false)
        };
        let copy = |n: usize| -> Cow<'_, [u8]> {
            match msh.field(n) {
                Some(field) if !same => Cow::Owned(transcode_field(field, target)),
                Some(field) => Cow::Borrowed(field.as_bytes()),
                None => Cow::Borrowed(b""),
            }
        };
        let mut out = Writer {
            out: Vec::new(),
            delimiters: target,
            charset: message.encoding(),
        };

        // MSH
        out.raw(b"MSH");
        out.out.push(target.field());
        out.raw(&encoding_characters(target));
        for field in [5, 6, 3, 4] {
            out.field_raw(&copy(field));
        }
        out.field_text(&self.timestamp);
        out.field_raw(b"");
        out.separator();
        out.raw(b"ACK");
        let trigger = msh
            .field(9)
            .and_then(|f| f.component(2))
            .map_or(Vec::new(), |c| transcode_component(c, target));
        if version >= Version(2, 3, 0) && !trigger.is_empty() {
            out.component_raw(&trigger);
            if version >= Version(2, 3, 1) {
                out.component_raw(b"ACK");
            }
        }
        out.field_text(&self.control_id);
        out.field_raw(&copy(11));
        out.field_raw(&copy(12));
        let charset = copy(18);
        if !charset.is_empty() {
            for _ in 13..18 {
                out.field_raw(b"");
            }
            out.field_raw(&charset);
        }
        out.end_segment();

        // MSA
        out.raw(b"MSA");
        out.field_raw(self.code.as_str().as_bytes());
        out.field_raw(&copy(10));
        if let Some(text) = &self.text {
            out.field_text(text);
        }
        out.end_segment();

        // ERR
        if self.errors.is_empty() {
            return out.out;
        }
        if version >= Version(2, 5, 0) {
            for error in &self.errors {
                out.raw(b"ERR");
                out.field_raw(b"");
                out.separator();
                if let Some(location) = &error.location {
                    out.location(location);
                }
                out.code(error.code);
                out.field_raw(match error.severity {
                    Severity::Error => b"E",
                    Severity::Warning => b"W",
                    Severity::Info => b"I",
                });
                out.field_raw(b"");
                out.field_raw(b"");
                out.field_text(&error.text);
                out.end_segment();
            }
        } else {
            out.raw(b"ERR");
            out.separator();
            for (i, error) in self.errors.iter().enumerate() {
                if i > 0 {
                    out.out.extend(delimiters.repetition());
                }
                out.error_code_and_location(error);
            }
            out.end_segment();
        }
        out.out
    }
}

/// MSH-2 as `delimiters` write it, a space for a role declared "not used" (`^~ &`).
fn encoding_characters(delimiters: Delimiters) -> Vec<u8> {
    let mut chars: Vec<u8> = [
        delimiters.component(),
        delimiters.repetition(),
        delimiters.escape(),
        delimiters.subcomponent(),
    ]
    .iter()
    .map(|c| c.unwrap_or(b' '))
    .collect();
    chars.extend(delimiters.truncation());
    chars
}

/// A field re-written in other delimiters: the same repetitions, components and values.
fn transcode_field(field: Field<'_>, to: Delimiters) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, repetition) in field.repetitions().enumerate() {
        if i > 0 {
            out.extend(to.repetition());
        }
        for (j, component) in repetition.components().enumerate() {
            if j > 0 {
                out.extend(to.component());
            }
            out.extend(transcode_component(component, to));
        }
    }
    out
}

/// A component re-written in other delimiters: its subcomponents' values, escaped anew.
fn transcode_component(component: Component<'_>, to: Delimiters) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, subcomponent) in component.subcomponents().enumerate() {
        if k > 0 {
            out.extend(to.subcomponent());
        }
        out.extend_from_slice(&encode(&subcomponent.decoded(), to));
    }
    out
}

/// An HL7 version as numbers, for comparisons: `2.5.1` → (2, 5, 1); unreadable → (0, 0, 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Version(u8, u8, u8);

impl Version {
    fn parse(text: &[u8]) -> Self {
        let mut parts = text.split(|&b| b == b'.').map(|part| {
            core::str::from_utf8(part)
                .ok()
                .and_then(|p| p.trim().parse::<u8>().ok())
                .unwrap_or(0)
        });
        Version(
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        )
    }
}

/// Writes segments with a message's delimiters.
struct Writer {
    out: Vec<u8>,
    delimiters: Delimiters,
    /// The character set the reply's bytes are in: the original's ([`Message::encoding`]).
    charset: Charset,
}

impl Writer {
    fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    fn separator(&mut self) {
        self.out.push(self.delimiters.field());
    }

    fn field_raw(&mut self, bytes: &[u8]) {
        self.separator();
        self.raw(bytes);
    }

    fn field_text(&mut self, text: &str) {
        self.separator();
        self.text(text);
    }

    /// Text (MSA-3, ERR text, MSH-7, MSH-10) escaped, in the reply's character set: ISO
    /// 8859-1 for an `8859/1` message read from bytes (a character it cannot hold becomes `?`),
    /// else UTF-8.
    fn text(&mut self, text: &str) {
        let bytes: Cow<'_, [u8]> = if self.charset == Charset::Latin1 && !text.is_ascii() {
            Cow::Owned(
                text.chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect(),
            )
        } else {
            Cow::Borrowed(text.as_bytes())
        };
        let escaped = encode(&bytes, self.delimiters);
        self.out.extend_from_slice(&escaped);
    }

    fn component_raw(&mut self, bytes: &[u8]) {
        self.out.extend(self.delimiters.component());
        self.raw(bytes);
    }

    fn end_segment(&mut self) {
        self.out.push(b'\r');
    }

    fn number(&mut self, n: Option<usize>) {
        if let Some(n) = n {
            self.raw(n.to_string().as_bytes());
        }
    }

    /// ERR-2 (ERL, v2.5+): `SEG^occurrence^field^repetition^component^subcomponent`, without
    /// trailing empty parts.
    fn location(&mut self, path: &Path) {
        self.raw(path.segment_id());
        let parts = [
            Some(path.occurrence()),
            path.field(),
            path.repetition(),
            path.component(),
            path.subcomponent(),
        ];
        let keep = parts.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
        for &part in &parts[..keep] {
            self.out.extend(self.delimiters.component());
            self.number(part);
        }
    }

    /// ERR-3 (CWE, v2.5+): `code^text^HL70357` (just the code if it is not in table 0357).
    fn code(&mut self, code: u16) {
        self.separator();
        self.raw(code.to_string().as_bytes());
        if let Some(text) = error_code_text(code) {
            self.out.extend(self.delimiters.component());
            self.text(text);
            self.component_raw(b"HL70357");
        }
    }

    /// One repetition of ERR-1 (ELD, before v2.5): `SEG^occurrence^field^code&text&HL70357`,
    /// the location parts empty when unknown.
    fn error_code_and_location(&mut self, error: &AckError) {
        let component = self.delimiters.component();
        if let Some(path) = &error.location {
            self.raw(path.segment_id());
            self.out.extend(component);
            self.number(Some(path.occurrence()));
            self.out.extend(component);
            self.number(path.field());
        } else {
            self.out.extend(component);
            self.out.extend(component);
        }
        self.out.extend(component);
        let sub = self.delimiters.subcomponent();
        self.raw(error.code.to_string().as_bytes());
        self.out.extend(sub);
        self.text(error_code_text(error.code).unwrap_or(&error.text));
        self.out.extend(sub);
        self.raw(b"HL70357");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ack(input: &str, acknowledgment: &Acknowledgment) -> String {
        let message = Message::parse(input.as_bytes()).unwrap();
        String::from_utf8(acknowledgment.build(&message)).unwrap()
    }

    const V251: &str = "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|202611220214||ORU^R01^ORU_R01|42|P|2.5.1|||AL|NE||UNICODE UTF-8\rPID|1\r";

    /// Text written into the reply is in the original's character set: ISO 8859-1 bytes for
    /// an `8859/1` message read as bytes, UTF-8 for the same message read as text.
    #[test]
    fn reply_text_is_in_the_message_character_set() {
        let latin1 = b"MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5.1||||||8859/1\rPID|1\r";
        let message = Message::parse(latin1).unwrap();
        let reply = Acknowledgment::new(AckCode::ApplicationError, "A", "2026")
            .text("Größe €")
            .build(&message);
        assert!(reply.windows(7).any(|w| w == b"Gr\xF6\xDFe ?"), "{reply:?}");
        let text = core::str::from_utf8(latin1).unwrap();
        let message = Message::parse_text(text).unwrap();
        let reply = Acknowledgment::new(AckCode::ApplicationError, "A", "2026")
            .text("Größe €")
            .build(&message);
        assert!(String::from_utf8(reply).unwrap().contains("Größe €"));
    }

    /// MSH-2 that leaves roles without a clean character (`^^^^`, nothing at all): the reply is
    /// written in the recommended delimiters, with the copied values re-encoded, and reads back
    /// with exactly the ERR structure written.
    #[test]
    fn broken_encoding_characters_get_a_reply_in_clean_delimiters() {
        for input in [
            "MSH|^^^^|LAB|HOSP|EHR|CLINIC|2026||ORU^R01|42|P|2.5.1\rPID|1\r",
            "MSH||LAB|HOSP|EHR|CLINIC|2026||ORU^R01|42|P|2.5.1\rPID|1\r",
            "MSH|\rPID|1\r",
            "MSH|^~|LAB|HOSP|EHR|CLINIC|2026||ORU^R01|42|P|2.5.1\rPID|1\r",
        ] {
            let reply = ack(
                input,
                &Acknowledgment::new(AckCode::ApplicationError, "A1", "2026")
                    .error(AckError::new(102, "x ^ y ~ z & w").at("PID-3[2].1".parse().unwrap()))
                    .error(AckError::new(101, "second")),
            );
            assert!(reply.starts_with("MSH|^~\\&|"), "{input:?} → {reply:?}");
            let parsed = Message::parse(reply.as_bytes()).unwrap();
            assert!(parsed.diagnostics().is_empty(), "{reply:?}");
            let get = |p: &str| {
                parsed
                    .get(&p.parse().unwrap())
                    .map(|e| e.text().into_owned())
            };
            if input.contains("LAB") {
                assert_eq!(get("MSH-5").as_deref(), Some("LAB"));
                assert_eq!(get("MSA-2").as_deref(), Some("42"));
                assert_eq!(get("ERR[1]-2.4").as_deref(), Some("2"), "{reply:?}");
                assert_eq!(
                    get("ERR[1]-7").as_deref(),
                    Some("x ^ y ~ z & w"),
                    "{reply:?}"
                );
                assert_eq!(get("ERR[2]-3.1").as_deref(), Some("101"));
            } else {
                // No version: one ERR, ERR-1 repeating (before v2.5).
                assert_eq!(get("ERR-1[2].4.1").as_deref(), Some("101"), "{reply:?}");
            }
        }
        // A clean odd set is kept, and copied values stay as written.
        let odd = "MSH#*@!$#LAB#H#E#C#2026##ORU*R01#42#P#2.5.1\r";
        let reply = ack(
            odd,
            &Acknowledgment::new(AckCode::ApplicationAccept, "A", "2026"),
        );
        assert!(
            reply.starts_with("MSH#*@!$#E#C#LAB#H#2026##ACK*R01*ACK#A#P#2.5.1\r"),
            "{reply}"
        );
    }

    #[test]
    fn accept_swaps_sender_and_receiver() {
        let reply = ack(
            V251,
            &Acknowledgment::new(AckCode::ApplicationAccept, "A1", "202611220215"),
        );
        assert_eq!(
            reply,
            "MSH|^~\\&|EHR|CLINIC|LAB|HOSP|202611220215||ACK^R01^ACK|A1|P|2.5.1||||||UNICODE UTF-8\r\
             MSA|AA|42\r"
        );
        // The acknowledgment is itself a message pipehat reads.
        let parsed = Message::parse(reply.as_bytes()).unwrap();
        assert!(parsed.diagnostics().is_empty());
    }

    #[test]
    fn errors_from_v2_5_on() {
        let reply = ack(
            V251,
            &Acknowledgment::new(AckCode::ApplicationReject, "A2", "20261122")
                .text("rejected | see ERR")
                .error(
                    AckError::new(102, "PID-7 '19800230' is not a date")
                        .at("PID-7".parse().unwrap()),
                )
                .error(
                    AckError::new(103, "PID-8 'Q' not in table 0001")
                        .at("PID[2]-8[1].1".parse().unwrap())
                        .severity(Severity::Warning),
                ),
        );
        let lines: Vec<&str> = reply.split('\r').collect();
        assert_eq!(lines[1], "MSA|AR|42|rejected \\F\\ see ERR");
        assert_eq!(
            lines[2],
            "ERR||PID^1^7|102^Data type error^HL70357|E|||PID-7 '19800230' is not a date"
        );
        assert_eq!(
            lines[3],
            "ERR||PID^2^8^1^1|103^Table value not found^HL70357|W|||PID-8 'Q' not in table 0001"
        );
    }

    #[test]
    fn errors_before_v2_5_repeat_err_1() {
        let input = "MSH|^~\\&|LAB|HOSP|EHR|CLINIC|2026||ADT^A01|7|P|2.4\rPID|1\r";
        let reply = ack(
            input,
            &Acknowledgment::new(AckCode::ApplicationError, "A3", "2026")
                .error(AckError::new(101, "missing").at("PID-3".parse().unwrap()))
                .error(AckError::new(207, "database down")),
        );
        assert_eq!(
            reply,
            "MSH|^~\\&|EHR|CLINIC|LAB|HOSP|2026||ACK^A01^ACK|A3|P|2.4\r\
             MSA|AE|7\r\
             ERR|PID^1^3^101&Required field missing&HL70357~^^^207&Application internal error&HL70357\r"
        );
    }

    #[test]
    fn message_type_by_version() {
        let reply = |version: &str| {
            let input = format!("MSH|^~\\&|A|B|C|D|2026||ADT^A08|9|P|{version}\r");
            let text = ack(
                &input,
                &Acknowledgment::new(AckCode::CommitAccept, "X", "2026"),
            );
            text.split('|').nth(8).unwrap().to_string()
        };
        assert_eq!(reply("2.2"), "ACK");
        assert_eq!(reply("2.3"), "ACK^A08");
        assert_eq!(reply("2.3.1"), "ACK^A08^ACK");
        assert_eq!(reply("2.8.2"), "ACK^A08^ACK");
    }

    #[test]
    fn custom_delimiters_and_escaping() {
        let input = "MSH#*!?@#A#B#C#D#2026##ADT*A01#9#P#2.5\r";
        let reply = ack(
            input,
            &Acknowledgment::new(AckCode::ApplicationError, "X#1", "2026")
                .error(AckError::new(999, "custom * code")),
        );
        assert_eq!(
            reply,
            "MSH#*!?@#C#D#A#B#2026##ACK*A01*ACK#X?F?1#P#2.5\rMSA#AE#9\rERR###999#E###custom ?S? code\r"
        );
    }
}
