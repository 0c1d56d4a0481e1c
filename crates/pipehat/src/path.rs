//! Paths: how to name one element of a message.
//!
//! The canonical syntax is HL7's own, 1-based: `PID-3[2].4.1` is segment PID, field 3,
//! repetition 2, component 4, subcomponent 1; `OBX[3]-5` is field 5 of the third OBX. A
//! missing index means 1: `PID-3.4` is component 4 of the first repetition. A path may stop at
//! any depth; `PID-3` names the whole field (all repetitions), `PID-3[1]` its first repetition.
//!
//! Paths users bring from other tools are accepted too, and print in the canonical form:
//!
//! | tool | example | same as |
//! |---|---|---|
//! | HAPI Terser (0-based occurrences and repetitions) | `/.PID-3(1)-4-1`, `OBX(2)-5` | `PID-3[2].4.1`, `OBX[3]-5` |
//! | python-hl7 (lettered parts, occurrence after the id) | `PID.F3.R2.C4.S1`, `OBX3.F5` | `PID-3[2].4.1`, `OBX[3]-5` |
//! | dot style (node-hl7-client, medplum, Mirth) | `PID.3.4.1`, `MSH.9.1` | `PID-3.4.1`, `MSH-9.1` |
//!
//! In the dot style the numbers are field, component, subcomponent — never a repetition.
//! python-hl7's unlettered `PID.3.2.4.1` means field, repetition, component, subcomponent, so
//! four numbers are refused as ambiguous: write `PID.F3.R2.C4.S1` or `PID-3[2].4.1`. HAPI
//! paths through groups (`/PATIENT_RESULT/ORDER_OBSERVATION/OBX-5`) need the message structure
//! and are refused here.

use core::fmt;
use core::str::FromStr;

/// The name of one element of a message: segment (and occurrence), then optionally field,
/// repetition, component and subcomponent. Parse it once with [`str::parse`] and reuse it.
///
/// ```
/// use pipehat::Path;
///
/// let path: Path = "PID-3[2].4.1".parse()?;
/// assert_eq!((path.field(), path.repetition(), path.component()), (Some(3), Some(2), Some(4)));
/// // Other tools' syntaxes print in the canonical form.
/// assert_eq!("/.PID-3(1)-4-1".parse::<Path>()?.to_string(), "PID-3[2].4.1");
/// assert_eq!("OBX3.F5".parse::<Path>()?.to_string(), "OBX[3]-5");
/// # Ok::<(), pipehat::PathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Path {
    segment: [u8; 3],
    occurrence: usize,
    field: Option<usize>,
    repetition: Option<usize>,
    component: Option<usize>,
    subcomponent: Option<usize>,
}

impl Path {
    /// The segment id, e.g. `PID`.
    #[must_use]
    pub fn segment(&self) -> &str {
        // Only ASCII letters and digits are stored.
        core::str::from_utf8(&self.segment).unwrap_or("")
    }

    /// The segment id as bytes.
    #[must_use]
    pub fn segment_id(&self) -> &[u8] {
        &self.segment
    }

    /// Which segment with that id, from 1.
    #[must_use]
    pub const fn occurrence(&self) -> usize {
        self.occurrence
    }

    /// The field number, if the path names a field or something inside one.
    #[must_use]
    pub const fn field(&self) -> Option<usize> {
        self.field
    }

    /// The repetition. `None` only when the path names a whole field (`PID-3`); a deeper path
    /// without one means the first (`PID-3.4` has repetition 1).
    #[must_use]
    pub const fn repetition(&self) -> Option<usize> {
        self.repetition
    }

    /// The component number, if any.
    #[must_use]
    pub const fn component(&self) -> Option<usize> {
        self.component
    }

    /// The subcomponent number, if any.
    #[must_use]
    pub const fn subcomponent(&self) -> Option<usize> {
        self.subcomponent
    }
}

impl Path {
    /// A path built from its parts: segment id (three letters or digits), occurrence (from 1),
    /// then field, repetition, component and subcomponent, each from 1, as deep as it goes.
    /// `Path::new("PID", 1, &[3, 2, 4])` is `PID-3[2].4`; `&[3]` names the whole field, `&[]`
    /// the segment.
    ///
    /// ```
    /// use pipehat::Path;
    ///
    /// assert_eq!(Path::new("OBX", 3, &[5])?.to_string(), "OBX[3]-5");
    /// assert_eq!(Path::new("PID", 1, &[3, 1, 4])?, "PID-3.4".parse()?);
    /// assert!(Path::new("PID", 1, &[3, 0]).is_err());
    /// # Ok::<(), pipehat::PathError>(())
    /// ```
    ///
    /// # Errors
    /// [`PathErrorKind::BadSegmentId`], [`PathErrorKind::ZeroIndex`] (the occurrence or a
    /// level is 0) or [`PathErrorKind::TooDeep`] (more than four levels); the error's position
    /// is 0 for the segment id and occurrence, else the level's place in `levels` plus 1.
    pub fn new(
        segment: impl AsRef<[u8]>,
        occurrence: usize,
        levels: &[usize],
    ) -> Result<Self, PathError> {
        if levels.len() > 4 {
            return Err(PathError::new(PathErrorKind::TooDeep, 5));
        }
        if occurrence == 0 {
            return Err(PathError::new(PathErrorKind::ZeroIndex, 0));
        }
        if let Some(zero) = levels.iter().position(|&level| level == 0) {
            return Err(PathError::new(PathErrorKind::ZeroIndex, zero + 1));
        }
        let level = |i: usize| levels.get(i).copied();
        Path::of(
            segment.as_ref(),
            occurrence,
            [level(0), level(1), level(2), level(3)],
        )
        .ok_or(PathError::new(PathErrorKind::BadSegmentId, 0))
    }

    /// The path of an element found in a message; `None` if the segment id is not three letters
    /// or digits (a path cannot name it).
    pub(crate) fn of(id: &[u8], occurrence: usize, numbers: [Option<usize>; 4]) -> Option<Self> {
        let segment: [u8; 3] = id.try_into().ok()?;
        if !segment.iter().all(u8::is_ascii_alphanumeric) {
            return None;
        }
        let [field, repetition, component, subcomponent] = numbers;
        Some(normalized(Path {
            segment,
            occurrence,
            field,
            repetition,
            component,
            subcomponent,
        }))
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.segment())?;
        self.write_after_id(f)
    }
}

/// Writes the path of an element in a segment whose id a [`Path`] cannot hold (not three
/// letters or digits: `ZABC`, `Z-1`) in the canonical form: the id as written (invalid UTF-8
/// replaced), then what a `Path` prints after its id. `occurrence` and `levels` as
/// [`Path::new`] takes them.
///
/// ```
/// let mut text = String::new();
/// pipehat::path::write_with_id(&mut text, b"ZABC", 2, &[3, 1, 4])?;
/// assert_eq!(text, "ZABC[2]-3.4");
/// # Ok::<(), std::fmt::Error>(())
/// ```
///
/// # Errors
/// When `f` fails, or `occurrence` or `levels` could not make a path (a 0, more than four).
pub fn write_with_id(
    f: &mut impl fmt::Write,
    id: &[u8],
    occurrence: usize,
    levels: &[usize],
) -> fmt::Result {
    let stand_in = Path::new("ZZZ", occurrence, levels).map_err(|_| fmt::Error)?;
    f.write_str(&String::from_utf8_lossy(id))?;
    stand_in.write_after_id(f)
}

impl Path {
    /// Everything the canonical form writes after the segment id.
    fn write_after_id(&self, f: &mut impl fmt::Write) -> fmt::Result {
        if self.occurrence != 1 {
            write!(f, "[{}]", self.occurrence)?;
        }
        let Some(field) = self.field else {
            return Ok(());
        };
        write!(f, "-{field}")?;
        match self.repetition {
            // `[1]` matters only where the path stops: `PID-3[1]` is not all of `PID-3`.
            Some(1) if self.component.is_some() => {}
            Some(repetition) => write!(f, "[{repetition}]")?,
            None => {}
        }
        if let Some(component) = self.component {
            write!(f, ".{component}")?;
        }
        if let Some(subcomponent) = self.subcomponent {
            write!(f, ".{subcomponent}")?;
        }
        Ok(())
    }
}

/// Why a path could not be read, and where (a byte offset into the path text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    kind: PathErrorKind,
    position: usize,
}

/// What is wrong with a path. New kinds may be added in any release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathErrorKind {
    /// The path is empty.
    Empty,
    /// A segment id is three letters or digits (`PID`, `ZP1`).
    BadSegmentId,
    /// A number was expected here.
    ExpectedNumber,
    /// Indexes start at 1 (at 0 in HAPI's parentheses).
    ZeroIndex,
    /// A number too large to be an index.
    NumberTooLarge,
    /// This character does not belong here.
    Unexpected(char),
    /// More levels than segment, field, repetition, component, subcomponent.
    TooDeep,
    /// Four unlettered dot-separated numbers: python-hl7 reads them as field, repetition,
    /// component, subcomponent; other tools as field, component, subcomponent and one more.
    AmbiguousDots,
    /// A HAPI path through message groups, which needs the message structure.
    Groups,
    /// Lettered and unlettered parts mixed (`PID.F3.2`).
    MixedDots,
    /// A component without a field, or a subcomponent without a component (`PID.C4`).
    MissingLevel,
}

impl PathError {
    const fn new(kind: PathErrorKind, position: usize) -> Self {
        Self { kind, position }
    }

    /// What is wrong.
    #[must_use]
    pub const fn kind(&self) -> PathErrorKind {
        self.kind
    }

    /// Where, as a byte offset into the path text.
    #[must_use]
    pub const fn position(&self) -> usize {
        self.position
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PathErrorKind::Empty => f.write_str("the path is empty"),
            PathErrorKind::BadSegmentId => {
                f.write_str("a path starts with a segment id of three letters or digits, like PID")
            }
            PathErrorKind::ExpectedNumber => f.write_str("a number was expected"),
            PathErrorKind::ZeroIndex => {
                f.write_str("indexes start at 1 (HAPI's parenthesised ones at 0)")
            }
            PathErrorKind::NumberTooLarge => f.write_str("the number is too large"),
            PathErrorKind::Unexpected(c) => write!(f, "unexpected {c:?}"),
            PathErrorKind::TooDeep => {
                f.write_str("a path goes no deeper than field, repetition, component, subcomponent")
            }
            PathErrorKind::AmbiguousDots => f.write_str(
                "four numbers are ambiguous (python-hl7 reads field.repetition.component.\
                 subcomponent): write PID.F3.R2.C4.S1 or PID-3[2].4.1",
            ),
            PathErrorKind::MixedDots => {
                f.write_str("letter every part (PID.F3.R2) or none (PID.3.4), not some")
            }
            PathErrorKind::MissingLevel => {
                f.write_str("a component needs a field, and a subcomponent a component")
            }
            PathErrorKind::Groups => f.write_str(
                "paths through message groups need the message structure; name the segment \
                 directly, like OBX[2]-5",
            ),
        }?;
        write!(f, " (at byte {} of the path)", self.position)
    }
}

impl std::error::Error for PathError {}

impl FromStr for Path {
    type Err = PathError;

    fn from_str(text: &str) -> Result<Self, PathError> {
        let mut reader = Reader { text, at: 0 };
        if text.is_empty() {
            return Err(reader.error(PathErrorKind::Empty));
        }
        let terser = text.starts_with('/') || text.contains('(') || text.matches('-').count() > 1;
        if terser {
            let _prefix = reader.eat("/.") || reader.eat("/");
            if let Some(slash) = text[reader.at..].find('/') {
                return Err(PathError::new(PathErrorKind::Groups, reader.at + slash));
            }
            let segment = reader.segment_id()?;
            return reader.structured(segment, Syntax::TERSER).map(normalized);
        }
        let segment = reader.segment_id()?;
        if reader.peek().is_some_and(|c| c.is_ascii_digit()) || reader.peek() == Some('.') {
            return reader.dotted(segment).map(normalized);
        }
        reader
            .structured(segment, Syntax::CANONICAL)
            .map(normalized)
    }
}

/// One path, one value: below a field, a missing repetition is the first.
fn normalized(mut path: Path) -> Path {
    if path.component.is_some() && path.repetition.is_none() {
        path.repetition = Some(1);
    }
    path
}

/// How a bracketed syntax writes indexes and levels.
#[derive(Clone, Copy)]
struct Syntax {
    open: &'static str,
    close: &'static str,
    /// The first index: 1, or HAPI's 0.
    base: usize,
    /// What separates field, component and subcomponent.
    level: &'static str,
}

impl Syntax {
    const CANONICAL: Syntax = Syntax {
        open: "[",
        close: "]",
        base: 1,
        level: ".",
    };
    const TERSER: Syntax = Syntax {
        open: "(",
        close: ")",
        base: 0,
        level: "-",
    };
}

/// A cursor over the path text.
struct Reader<'t> {
    text: &'t str,
    at: usize,
}

impl Reader<'_> {
    fn error(&self, kind: PathErrorKind) -> PathError {
        PathError::new(kind, self.at)
    }

    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.text[self.at..].starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    fn end(&self) -> Result<(), PathError> {
        match self.peek() {
            None => Ok(()),
            Some(c) => Err(self.error(PathErrorKind::Unexpected(c))),
        }
    }

    fn segment_id(&mut self) -> Result<[u8; 3], PathError> {
        let id = self.text.as_bytes().get(self.at..self.at + 3);
        match id {
            Some(&[a, b, c]) if [a, b, c].iter().all(u8::is_ascii_alphanumeric) => {
                self.at += 3;
                Ok([a, b, c].map(|x| x.to_ascii_uppercase()))
            }
            _ => Err(self.error(PathErrorKind::BadSegmentId)),
        }
    }

    /// A decimal number; `base` 0 for HAPI's 0-based indexes. Returns the 1-based index.
    fn index(&mut self, base: usize) -> Result<usize, PathError> {
        let digits = self.text[self.at..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if digits == 0 {
            return Err(self.error(PathErrorKind::ExpectedNumber));
        }
        let number: usize = self.text[self.at..self.at + digits]
            .parse()
            .map_err(|_| self.error(PathErrorKind::NumberTooLarge))?;
        if base == 1 && number == 0 {
            return Err(self.error(PathErrorKind::ZeroIndex));
        }
        self.at += digits;
        number
            .checked_add(1 - base)
            .ok_or_else(|| self.error(PathErrorKind::NumberTooLarge))
    }

    /// An index between `open` and `close`, if present: `[2]` (from 1), or HAPI's `(1)`
    /// (from 0).
    fn enclosed(&mut self, syntax: Syntax) -> Result<Option<usize>, PathError> {
        if !self.eat(syntax.open) {
            return Ok(None);
        }
        let n = self.index(syntax.base)?;
        if !self.eat(syntax.close) {
            let found = self.peek();
            return Err(
                self.error(found.map_or(PathErrorKind::ExpectedNumber, PathErrorKind::Unexpected))
            );
        }
        Ok(Some(n))
    }

    /// `PID[2]-3[2].4.1`, or HAPI's `PID(1)-3(1)-4-1`: the two differ only in their brackets,
    /// where indexes start, and what separates component from field.
    fn structured(&mut self, segment: [u8; 3], syntax: Syntax) -> Result<Path, PathError> {
        let mut path = bare(segment, self.enclosed(syntax)?.unwrap_or(1));
        if self.eat("-") {
            path.field = Some(self.index(1)?);
            path.repetition = self.enclosed(syntax)?;
            if self.eat(syntax.level) {
                path.component = Some(self.index(1)?);
                if self.eat(syntax.level) {
                    path.subcomponent = Some(self.index(1)?);
                }
            }
        }
        if self.peek().is_some_and(|c| syntax.level.starts_with(c)) {
            return Err(self.error(PathErrorKind::TooDeep));
        }
        self.end()?;
        Ok(path)
    }

    /// `PID2.F3.R2.C4.S1` (python-hl7) or `PID.3.4.1` (field, component, subcomponent).
    fn dotted(&mut self, segment: [u8; 3]) -> Result<Path, PathError> {
        let occurrence = if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.index(1)?
        } else {
            1
        };
        let mut path = bare(segment, occurrence);
        let mut parts = Vec::new();
        while self.eat(".") {
            let letter = self
                .peek()
                .filter(char::is_ascii_alphabetic)
                .map(|c| c.to_ascii_uppercase());
            if letter.is_some() {
                self.at += 1;
            }
            parts.push((letter, self.at, self.index(1)?));
        }
        self.end()?;
        if parts.iter().any(|(letter, _, _)| letter.is_some()) {
            for &(letter, at, n) in &parts {
                let slot = match letter {
                    Some('F') => &mut path.field,
                    Some('R') => &mut path.repetition,
                    Some('C') => &mut path.component,
                    Some('S') => &mut path.subcomponent,
                    None => return Err(PathError::new(PathErrorKind::MixedDots, at)),
                    Some(c) => return Err(PathError::new(PathErrorKind::Unexpected(c), at - 1)),
                };
                if slot.replace(n).is_some() {
                    return Err(PathError::new(
                        PathErrorKind::Unexpected(letter.unwrap_or('.')),
                        at - 1,
                    ));
                }
            }
            let first_part = parts[0].1 - 1;
            if path.field.is_none() || (path.subcomponent.is_some() && path.component.is_none()) {
                return Err(PathError::new(PathErrorKind::MissingLevel, first_part));
            }
            return Ok(path);
        }
        let numbers: Vec<usize> = parts.iter().map(|&(_, _, n)| n).collect();
        match numbers[..] {
            [] => {}
            [field] => path.field = Some(field),
            [field, component] => (path.field, path.component) = (Some(field), Some(component)),
            [field, component, sub] => {
                (path.field, path.component, path.subcomponent) =
                    (Some(field), Some(component), Some(sub));
            }
            _ => return Err(PathError::new(PathErrorKind::AmbiguousDots, parts[3].1)),
        }
        Ok(path)
    }
}

fn bare(segment: [u8; 3], occurrence: usize) -> Path {
    Path {
        segment,
        occurrence,
        field: None,
        repetition: None,
        component: None,
        subcomponent: None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn built_paths_equal_parsed_ones() {
        let cases: [(&str, usize, &[usize], &str); 6] = [
            ("PID", 1, &[], "PID"),
            ("OBX", 3, &[5], "OBX[3]-5"),
            ("PID", 1, &[3, 2], "PID-3[2]"),
            ("PID", 1, &[3, 1, 4], "PID-3.4"),
            ("PID", 2, &[3, 2, 4, 1], "PID[2]-3[2].4.1"),
            ("ZP1", 1, &[1], "ZP1-1"),
        ];
        for (id, occurrence, levels, text) in cases {
            let built = Path::new(id, occurrence, levels).unwrap();
            assert_eq!(built, text.parse::<Path>().unwrap(), "{text}");
            assert_eq!(built.to_string(), text);
        }
        let kind = |id: &str, occurrence, levels: &[usize]| {
            Path::new(id, occurrence, levels).unwrap_err().kind()
        };
        assert_eq!(kind("PI", 1, &[]), PathErrorKind::BadSegmentId);
        assert_eq!(kind("PID1", 1, &[]), PathErrorKind::BadSegmentId);
        assert_eq!(kind("P-D", 1, &[]), PathErrorKind::BadSegmentId);
        assert_eq!(kind("PID", 0, &[]), PathErrorKind::ZeroIndex);
        assert_eq!(kind("PID", 1, &[3, 0]), PathErrorKind::ZeroIndex);
        assert_eq!(kind("PID", 1, &[1, 1, 1, 1, 1]), PathErrorKind::TooDeep);
        assert_eq!(Path::new(b"MSH", 1, &[9]).unwrap().to_string(), "MSH-9");
    }

    use super::*;

    fn canonical(text: &str) -> String {
        text.parse::<Path>()
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .to_string()
    }

    fn error(text: &str) -> (PathErrorKind, usize) {
        let e = text.parse::<Path>().expect_err(text);
        (e.kind(), e.position())
    }

    macro_rules! paths {
        ($($name:ident: $text:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(canonical($text), $expected);
            }
        )*};
    }

    paths! {
        segment_only: "PID" => "PID";
        segment_occurrence: "OBX[3]" => "OBX[3]";
        first_occurrence_is_implicit: "OBX[1]-5" => "OBX-5";
        field: "PID-5" => "PID-5";
        full: "PID-3[2].4.1" => "PID-3[2].4.1";
        first_repetition_is_implicit_inside: "PID-3[1].4" => "PID-3.4";
        first_repetition_is_kept_at_the_end: "PID-3[1]" => "PID-3[1]";
        occurrence_and_field: "OBX[3]-5" => "OBX[3]-5";
        lowercase_segment: "pid-5.1" => "PID-5.1";
        digit_in_segment_id: "PV1-3.1" => "PV1-3.1";
        terser: "/.PID-3(1)-4-1" => "PID-3[2].4.1";
        terser_without_prefix: "PID-3(0)-4" => "PID-3.4";
        terser_slash_only: "/PID-5-1" => "PID-5.1";
        terser_occurrence: "OBX(2)-5" => "OBX[3]-5";
        terser_first_repetition: "PID-3(0)" => "PID-3[1]";
        terser_components: "PID-5-2" => "PID-5.2";
        python_hl7: "PID.F3.R2.C4.S1" => "PID-3[2].4.1";
        python_hl7_occurrence: "OBX3.F5" => "OBX[3]-5";
        python_hl7_field_and_repeat: "PID.F3.R2" => "PID-3[2]";
        python_hl7_lowercase: "pid.f3.r2" => "PID-3[2]";
        lettered_without_repetition: "PID.F3.C4" => "PID-3.4";
        dot_style: "PID.3.4.1" => "PID-3.4.1";
        dot_style_msh: "MSH.9.1" => "MSH-9.1";
        dot_style_field: "PID.5" => "PID-5";
        dot_style_segment_digit_occurrence: "PV12.3" => "PV1[2]-3";
    }

    #[test]
    fn indexes_land_where_each_syntax_says() {
        let path: Path = "PID-3[2].4.1".parse().unwrap();
        for same in ["/.PID-3(1)-4-1", "PID-3(1)-4-1", "PID.F3.R2.C4.S1"] {
            assert_eq!(same.parse::<Path>().unwrap(), path, "{same}");
        }
        // The dot style has no repetition: its second number is a component.
        let dot: Path = "PID.3.4".parse().unwrap();
        assert_eq!((dot.repetition(), dot.component()), (Some(1), Some(4)));
        assert_eq!(dot, "PID-3[1].4".parse().unwrap());
        let field: Path = "PID-3".parse().unwrap();
        assert_eq!(field.repetition(), None);
        assert_ne!(field, "PID-3[1]".parse().unwrap());
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(error(""), (PathErrorKind::Empty, 0));
        assert_eq!(error("PI"), (PathErrorKind::BadSegmentId, 0));
        assert_eq!(error("P-D-5"), (PathErrorKind::BadSegmentId, 0));
        assert_eq!(error("PID-"), (PathErrorKind::ExpectedNumber, 4));
        assert_eq!(error("PID-0"), (PathErrorKind::ZeroIndex, 4));
        assert_eq!(error("PID-3[0]"), (PathErrorKind::ZeroIndex, 6));
        assert_eq!(error("PID-3[2"), (PathErrorKind::ExpectedNumber, 7));
        assert_eq!(error("PID-3.4.1.2"), (PathErrorKind::TooDeep, 9));
        assert_eq!(error("PID-3x"), (PathErrorKind::Unexpected('x'), 5));
        assert_eq!(error("PID.3.2.4.1"), (PathErrorKind::AmbiguousDots, 10));
        assert_eq!(error("PID.F3.X2"), (PathErrorKind::Unexpected('X'), 7));
        assert_eq!(error("PID.C4"), (PathErrorKind::MissingLevel, 4));
        assert_eq!(error("PID.F3.S1"), (PathErrorKind::MissingLevel, 4));
        assert_eq!(error("PID.F3.2"), (PathErrorKind::MixedDots, 7));
        assert_eq!(error("PID.F3.F4"), (PathErrorKind::Unexpected('F'), 7));
        assert_eq!(
            error("/PATIENT_RESULT/ORDER_OBSERVATION/OBX-5"),
            (PathErrorKind::Groups, 15)
        );
        assert_eq!(error("PID-3(1)-4-1-2"), (PathErrorKind::TooDeep, 12));
        assert_eq!(
            error("PID-99999999999999999999999"),
            (PathErrorKind::NumberTooLarge, 4)
        );
        assert_eq!(error("PÏD-1"), (PathErrorKind::BadSegmentId, 0));
    }

    #[test]
    fn error_messages_read_well() {
        let e = "PID.3.2.4.1".parse::<Path>().unwrap_err();
        assert!(
            e.to_string()
                .contains("write PID.F3.R2.C4.S1 or PID-3[2].4.1")
        );
    }
}
