//! Where a finding points: the element being checked ([`Loc`], printed as a path only when a
//! finding is made), the finding's place before line:column are known ([`At`]), and the
//! line:column of the findings' offsets in one pass ([`Positions`]).

use crate::work;

/// Where a finding points before line:column are known.
pub(crate) struct At {
    pub(crate) path: Option<String>,
    pub(crate) segment: usize,
    pub(crate) span: pipehat::Span,
}

/// Where a check is, formatted into a path only when a finding is made.
#[derive(Clone, Copy)]
pub(crate) struct Loc<'p> {
    /// `PID`, or `OBX[2]` for an occurrence after the first.
    pub(crate) segment: &'p str,
    /// The segment's index in the message, from 0.
    pub(crate) index: usize,
    pub(crate) field: usize,
    pub(crate) repetition: Option<usize>,
    pub(crate) component: Option<usize>,
    pub(crate) subcomponent: Option<usize>,
}

impl<'p> Loc<'p> {
    pub(crate) fn field(segment: &'p str, index: usize, field: usize) -> Self {
        Loc {
            segment,
            index,
            field,
            repetition: None,
            component: None,
            subcomponent: None,
        }
    }

    /// The part `number` below this one: a component of a field, a subcomponent of a component.
    pub(crate) fn child(self, number: usize) -> Self {
        if self.component.is_none() {
            Loc {
                component: Some(number),
                ..self
            }
        } else {
            Loc {
                subcomponent: Some(number),
                ..self
            }
        }
    }

    /// Appends the path: in full (as [`Display`](core::fmt::Display) writes it), or as
    /// [`pipehat::Path`] prints it (`full` false: `[1]` left out before a component). Written
    /// by hand: findings are many, and the formatting machinery costs more than the path.
    pub(crate) fn write_path(self, out: &mut String, full: bool) {
        out.push_str(self.segment);
        out.push('-');
        push_number(out, self.field);
        match self.repetition {
            Some(1) if !full && self.component.is_some() => {}
            Some(r) => {
                out.push('[');
                push_number(out, r);
                out.push(']');
            }
            None => {}
        }
        for n in [self.component, self.subcomponent].into_iter().flatten() {
            out.push('.');
            push_number(out, n);
        }
    }

    pub(crate) fn at(self, span: pipehat::Span) -> At {
        let mut path = String::with_capacity(self.segment.len() + 16);
        self.write_path(&mut path, true);
        At {
            path: Some(path),
            segment: self.index + 1,
            span,
        }
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

impl core::fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}-{}", self.segment, self.field)?;
        if let Some(r) = self.repetition {
            write!(f, "[{r}]")?;
        }
        if let Some(c) = self.component {
            write!(f, ".{c}")?;
        }
        if let Some(s) = self.subcomponent {
            write!(f, ".{s}")?;
        }
        Ok(())
    }
}

/// Line:column of the findings' offsets, which come in increasing order.
///
/// [`LineIndex::line_column`](pipehat::position::LineIndex::line_column) counts the characters
/// from the start of the offset's line: for many findings on one line (a segment with thousands
/// of extra fields, a field with thousands of components) that is quadratic. An offset on the
/// same line as the one before (no line end between them) is found by counting only the
/// characters between the two, which gives the same column; any other goes to the index, whose
/// count then starts from a line start after the previous offset. Either way each byte of the
/// input is counted about once.
pub(crate) struct Positions<'l, 'i> {
    lines: &'l pipehat::position::LineIndex<'i>,
    /// The input `lines` indexes.
    input: &'i [u8],
    /// The last offset located, and where it is.
    last: Option<(usize, pipehat::position::LineColumn)>,
}

impl<'l, 'i> Positions<'l, 'i> {
    pub(crate) fn new(lines: &'l pipehat::position::LineIndex<'i>, input: &'i [u8]) -> Self {
        Positions {
            lines,
            input,
            last: None,
        }
    }

    /// What `lines.line_column(offset)` gives.
    pub(crate) fn line_column(&mut self, offset: usize) -> pipehat::position::LineColumn {
        let offset = offset.min(self.input.len());
        let at = match self.last {
            Some((last, at)) if last <= offset => {
                let between = &self.input[last..offset];
                work::count(work::Kind::Located, between.len());
                if memchr::memchr2(b'\r', b'\n', between).is_none() {
                    // Count characters as the index does: every byte that does not continue a
                    // UTF-8 sequence.
                    let chars = between.iter().filter(|&&b| (b as i8) >= -0x40).count();
                    pipehat::position::LineColumn {
                        line: at.line,
                        column: at.column + chars,
                    }
                } else {
                    work::count(work::Kind::LineLookups, 1);
                    self.lines.line_column(offset)
                }
            }
            _ => {
                work::count(work::Kind::LineLookups, 1);
                self.lines.line_column(offset)
            }
        };
        self.last = Some((offset, at));
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Positions` gives what `LineIndex::line_column` gives, for offsets in any order, on
    /// lines ended by CR, LF and CRLF, with characters of several bytes and invalid bytes.
    #[test]
    fn positions_match_the_line_index() {
        let alphabet: [&[u8]; 9] = [
            b"a",
            b"|",
            b"\r",
            b"\n",
            b"\r\n",
            "é".as_bytes(),
            "😀".as_bytes(),
            b"\xff",
            b"\x80",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        for _ in 0..300 {
            let input: Vec<u8> = (0..next(60))
                .flat_map(|_| alphabet[next(alphabet.len())].iter().copied())
                .collect();
            let lines = pipehat::position::LineIndex::new(&input);
            // Mostly increasing, as findings come, with repeats, some going back, and past the end.
            let mut offsets: Vec<usize> = (0..next(30)).map(|_| next(input.len() + 3)).collect();
            offsets.sort_unstable();
            if next(3) == 0 {
                offsets.push(next(input.len() + 1));
                offsets.push(next(input.len() + 1));
            }
            let mut positions = Positions::new(&lines, &input);
            for offset in offsets {
                assert_eq!(
                    positions.line_column(offset),
                    lines.line_column(offset),
                    "offset {offset} of {input:?}"
                );
            }
        }
    }

    #[test]
    fn paths_written_by_hand_match_display() {
        let base = Loc::field("OBX[2]", 3, 10);
        let locs = [
            base,
            Loc {
                repetition: Some(1),
                ..base
            },
            Loc {
                repetition: Some(12),
                component: Some(1),
                ..base
            },
            Loc {
                repetition: Some(1),
                component: Some(20),
                subcomponent: Some(3),
                ..base
            },
            Loc {
                field: 0,
                component: Some(9),
                ..base
            },
        ];
        for loc in locs {
            let mut full = String::new();
            loc.write_path(&mut full, true);
            assert_eq!(full, loc.to_string());
        }
        let mut short = String::new();
        locs[3].write_path(&mut short, false);
        assert_eq!(short, "OBX[2]-10.20.3");
        let mut numbers = String::new();
        for n in [0, 7, 10, 99, 100, 12345, usize::MAX] {
            push_number(&mut numbers, n);
            numbers.push(' ');
        }
        assert_eq!(numbers, format!("0 7 10 99 100 12345 {} ", usize::MAX));
    }
}
