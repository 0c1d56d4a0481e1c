//! The raw view's data: each message's place and delimiters, and lines of the text cut into
//! coloured pieces (segment ids, delimiters, encoding characters, escapes) with findings laid
//! over them.

use pipehat::File;

use super::offsets::{floor_char_boundary, line_starts};

/// Each message's byte range and delimiters: what the raw view needs to colour a line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// Where each line starts (see [`line_starts`]).
    pub lines: Vec<usize>,
    /// Each message's `[start, end)` and its delimiters.
    pub messages: Vec<(usize, usize, pipehat::Delimiters)>,
}

/// The raw view's layout of `text`, the part of `file`'s text from byte `base` on (the whole
/// text, or one message of it): its lines, and the messages of `file` within it.
pub fn layout(text: &str, file: &File<'_>, base: usize) -> Layout {
    let end = base + text.len();
    Layout {
        lines: line_starts(text),
        messages: file
            .messages()
            .iter()
            .map(|m| (m.span(), m.delimiters()))
            .filter(|(span, _)| base <= span.start && span.end <= end)
            .map(|(span, delimiters)| (span.start - base, span.end - base, delimiters))
            .collect(),
    }
}

/// A piece of a line in the raw view: its text, what it is (`seg` a segment id, `sep` a
/// delimiter, `enc` the encoding characters of MSH-2, `esc` an escape sequence, `` text), and
/// the severity of a finding it is part of (`error`, `warning`, `info`, or ``).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// The characters, as in the input.
    pub text: String,
    /// What they are, as a CSS class.
    pub kind: &'static str,
    /// The most severe finding at these characters, as a CSS class.
    pub mark: &'static str,
}

/// One line of the raw view.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawLine {
    /// Its number, from 0.
    pub number: usize,
    /// Its pieces, in order; they add up to the line without its terminator.
    pub tokens: Vec<Token>,
}

/// A finding's place in the raw view: byte range and severity class.
pub type Mark = (usize, usize, &'static str);

fn severity_rank(mark: &str) -> u8 {
    match mark {
        "error" => 3,
        "warning" => 2,
        "info" => 1,
        _ => 0,
    }
}

/// Lines `from..to` (from 0) of `text` coloured for the raw view, with `marks` (findings) laid
/// over them. A mark of no width (a missing value) marks the character before it.
pub fn raw_lines(
    text: &str,
    layout: &Layout,
    from: usize,
    to: usize,
    marks: &[Mark],
) -> Vec<RawLine> {
    let bytes = text.as_bytes();
    let lines = &layout.lines;
    (from..to.min(lines.len()))
        .map(|number| {
            let start = lines[number];
            let mut end = lines.get(number + 1).copied().unwrap_or(bytes.len());
            while end > start && matches!(bytes[end - 1], b'\r' | b'\n') {
                end -= 1;
            }
            let delimiters = layout
                .messages
                .iter()
                .find(|(s, e, _)| *s <= start && start < *e)
                .map(|(_, _, d)| *d);
            let kinds = match delimiters {
                Some(delimiters) => line_kinds(&bytes[start..end], delimiters),
                None => vec![(0, end - start, "")],
            };
            RawLine {
                number,
                tokens: apply_marks(text, start, end, &kinds, marks),
            }
        })
        .collect()
}

/// The pieces of one line of a message: (start, end, kind) relative to the line.
fn line_kinds(line: &[u8], delimiters: pipehat::Delimiters) -> Vec<(usize, usize, &'static str)> {
    let mut kinds = Vec::new();
    let field = delimiters.field();
    let mut at = 0;
    // The segment id, then for a header (MSH, BHS, FHS) MSH-1 and MSH-2 as they are.
    let id_end = line.iter().position(|&b| b == field).unwrap_or(line.len());
    if id_end > 0 && id_end <= 4 {
        kinds.push((0, id_end, "seg"));
        at = id_end;
        if matches!(&line[..id_end], b"MSH" | b"BHS" | b"FHS") && at < line.len() {
            kinds.push((at, at + 1, "sep"));
            at += 1;
            let encoding_end = line[at..]
                .iter()
                .position(|&b| b == field)
                .map_or(line.len(), |p| at + p);
            if encoding_end > at {
                kinds.push((at, encoding_end, "enc"));
            }
            at = encoding_end;
        }
    }
    let mut plain = at;
    while at < line.len() {
        let byte = line[at];
        if delimiters.escape() == Some(byte) {
            // An escape sequence runs to the next escape character, within the field.
            let close = line[at + 1..]
                .iter()
                .position(|&b| b == byte || b == field)
                .map(|p| at + 1 + p)
                .filter(|&p| line[p] == byte);
            if let Some(close) = close {
                if plain < at {
                    kinds.push((plain, at, ""));
                }
                kinds.push((at, close + 1, "esc"));
                at = close + 1;
                plain = at;
                continue;
            }
        } else if delimiters.role_of(byte).is_some() {
            if plain < at {
                kinds.push((plain, at, ""));
            }
            kinds.push((at, at + 1, "sep"));
            at += 1;
            plain = at;
            continue;
        }
        at += 1;
    }
    if plain < line.len() {
        kinds.push((plain, line.len(), ""));
    }
    kinds
}

/// Splits the pieces of the line `start..end` of `text` where marks begin and end.
fn apply_marks(
    text: &str,
    start: usize,
    end: usize,
    kinds: &[(usize, usize, &'static str)],
    marks: &[Mark],
) -> Vec<Token> {
    // Marks on this line, relative to it, at least one character wide.
    let here: Vec<(usize, usize, &'static str)> = marks
        .iter()
        .filter_map(|&(s, e, severity)| {
            let (s, e) = if s == e {
                (s.saturating_sub(1), s)
            } else {
                (s, e)
            };
            let s = s.max(start);
            let e = e.min(end);
            (s < e || (s == e && s == start && end == start)).then(|| {
                (
                    floor_char_boundary(text, s) - start,
                    floor_char_boundary(text, e) - start,
                    severity,
                )
            })
        })
        .collect();
    let line = &text[start..end];
    let mut tokens = Vec::new();
    for &(s, e, kind) in kinds {
        let mut cuts = vec![s, e];
        for &(ms, me, _) in &here {
            for cut in [ms, me] {
                if s < cut && cut < e {
                    cuts.push(cut);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let mark = here
                .iter()
                .filter(|(ms, me, _)| *ms <= a && b <= *me)
                .map(|(_, _, severity)| *severity)
                .max_by_key(|severity| severity_rank(severity))
                .unwrap_or("");
            let piece = line.get(a..b).unwrap_or_default();
            // Merge with the previous piece when nothing tells them apart.
            match tokens.last_mut() {
                Some(Token {
                    text,
                    kind: k,
                    mark: m,
                }) if *k == kind && *m == mark => {
                    text.push_str(piece);
                }
                _ => tokens.push(Token {
                    text: piece.to_string(),
                    kind,
                    mark,
                }),
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_ids_delimiters_encoding_characters_and_escapes() {
        let text = "MSH|^~\\&|A\\T\\B|x\rPID|1||X^Y~Z&W||\\H\\bold\\N\\";
        let layout = layout(text, &File::parse_text(text), 0);
        let lines = raw_lines(text, &layout, 0, 2, &[]);
        let kinds = |n: usize| -> Vec<(&str, String)> {
            lines[n]
                .tokens
                .iter()
                .map(|t| (t.kind, t.text.clone()))
                .collect()
        };
        assert_eq!(
            kinds(0),
            [
                ("seg", "MSH".to_string()),
                ("sep", "|".into()),
                ("enc", "^~\\&".into()),
                ("sep", "|".into()),
                ("", "A".into()),
                ("esc", "\\T\\".into()),
                ("", "B".into()),
                ("sep", "|".into()),
                ("", "x".into()),
            ]
        );
        let pid = kinds(1);
        assert_eq!(pid[0], ("seg", "PID".to_string()));
        assert!(pid.contains(&("esc", "\\H\\".to_string())));
        assert!(pid.contains(&("sep", "&".to_string())));
        assert!(pid.contains(&("sep", "~".to_string())));
    }

    #[test]
    fn marks_fall_on_their_bytes_and_a_missing_value_marks_the_delimiter_before_it() {
        let text = "MSH|^~\\&|A\rPID|1||X||19800231|F";
        let start = text.find("19800231").unwrap();
        let marks = [
            (start, start + 8, "error"),
            (text.len(), text.len(), "warning"),
        ];
        let layout = layout(text, &File::parse_text(text), 0);
        let pid = &raw_lines(text, &layout, 1, 2, &marks)[0];
        let marked: Vec<(&str, &str)> = pid
            .tokens
            .iter()
            .filter(|t| !t.mark.is_empty())
            .map(|t| (t.text.as_str(), t.mark))
            .collect();
        assert_eq!(marked, [("19800231", "error"), ("F", "warning")]);
    }
}
