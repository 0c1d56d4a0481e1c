//! Places in the text as a text area holds it: its offsets (UTF-16, CR LF one character)
//! against bytes, where lines start, HL7's CR line ends, and the element under the caret.

use pipehat::File;
use pipehat_dict::Version;

use super::checks::version_for;

/// The offset the text area uses for byte `byte` of `text`: UTF-16 code units, with every CR LF
/// one character (a text area's value has LF line ends only).
pub fn area_offset(text: &str, byte: usize) -> usize {
    let byte = floor_char_boundary(text, byte);
    let before = &text[..byte];
    let units: usize = before.chars().map(char::len_utf16).sum();
    units - before.matches("\r\n").count()
}

/// The byte of `text` at the text area's offset `units` (see [`area_offset`]).
pub fn byte_offset(text: &str, units: usize) -> usize {
    let mut seen = 0;
    let mut previous = '\0';
    for (at, c) in text.char_indices() {
        // The LF of a CR LF is the CR's character in the text area.
        let second_of_crlf = c == '\n' && previous == '\r';
        if seen >= units && !second_of_crlf {
            return at;
        }
        if !second_of_crlf {
            seen += c.len_utf16();
        }
        previous = c;
    }
    text.len()
}

pub(super) fn floor_char_boundary(text: &str, mut byte: usize) -> usize {
    byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// Where each line of `text` starts, in bytes (lines end with CR LF, LF or CR, as a text area
/// shows them); always at least one line.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'\r', b'\n', &bytes[at..]) {
        let end = at + found;
        at = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
        starts.push(at);
    }
    starts
}

/// The line (from 0) byte `byte` is on.
pub fn line_of(starts: &[usize], byte: usize) -> usize {
    starts
        .partition_point(|&start| start <= byte)
        .saturating_sub(1)
}

/// `text` with every line end (CR LF, LF, CR) as HL7's segment terminator, CR: what a text
/// area gives back has LF, which a receiving system may not accept.
pub fn hl7_line_ends(text: &str) -> String {
    text.replace("\r\n", "\r").replace('\n', "\r")
}

/// What is under a caret at byte `byte` of `file`'s text: the element's path and name, e.g.
/// `PID-5.1 — Patient Name / Family Name (ST)`.
pub fn caret(file: &File<'_>, byte: usize, version: Option<Version>) -> Option<(String, String)> {
    // Messages are in text order and apart: the last that starts at or before the caret, if
    // the caret is not past its end.
    let messages = file.messages();
    let after = messages.partition_point(|m| m.span().start <= byte);
    let message = messages[..after].last().filter(|m| byte <= m.span().end)?;
    let (path, _) = message.path_at(byte)?;
    let description = version_for(message, version).describe(&path);
    let label = description.label();
    let data_type = description
        .data_type()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let text = if label.is_empty() {
        path.to_string()
    } else {
        format!("{path} — {label}{data_type}")
    };
    Some((path.to_string(), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_cross_between_text_and_text_area() {
        // CR LF is one character in a text area; "é" is one UTF-16 unit and two bytes; "😀"
        // two units and four bytes.
        let text = "MSH|é\r\nPID|😀|x";
        let x = text.find('x').unwrap();
        assert_eq!(
            area_offset(text, x),
            "MSH|é\nPID|😀|".encode_utf16().count()
        );
        assert_eq!(byte_offset(text, area_offset(text, x)), x);
        assert_eq!(byte_offset(text, 10_000), text.len());
        assert_eq!(line_of(&line_starts(text), x), 1);
    }
}
