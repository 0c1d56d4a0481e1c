//! Where a finding points: the element being checked ([`Loc`], made a path only when a finding
//! is made), and the finding's place before line:column are known ([`At`]).

use core::fmt;

use pipehat::Path;

/// Where a finding points before line:column are known.
pub(crate) struct At {
    pub(crate) path: Option<String>,
    pub(crate) segment: usize,
    pub(crate) span: pipehat::Span,
}

/// Where a check is, made a path only when a finding is made.
#[derive(Clone, Copy)]
pub(crate) struct Loc<'p> {
    /// The segment's id, as written.
    pub(crate) id: &'p [u8],
    /// Which segment with that id, from 1.
    pub(crate) occurrence: usize,
    /// The segment's index in the message, from 0.
    pub(crate) index: usize,
    pub(crate) field: usize,
    pub(crate) repetition: Option<usize>,
    pub(crate) component: Option<usize>,
    pub(crate) subcomponent: Option<usize>,
}

impl<'p> Loc<'p> {
    pub(crate) fn field(id: &'p [u8], occurrence: usize, index: usize, field: usize) -> Self {
        Loc {
            id,
            occurrence,
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

    /// The element's [`Path`], its id in capitals as a path read from text has it; `None` where
    /// no path can name it (an id that is not three letters or digits, a field 0).
    pub(crate) fn path(self) -> Option<Path> {
        let id: [u8; 3] = self.id.try_into().ok()?;
        let mut levels = [self.field, self.repetition.unwrap_or(1), 0, 0];
        let mut depth = if self.repetition.is_some() || self.component.is_some() {
            2
        } else {
            1
        };
        for n in [self.component, self.subcomponent].into_iter().flatten() {
            levels[depth] = n;
            depth += 1;
        }
        Path::new(
            id.map(|b| b.to_ascii_uppercase()),
            self.occurrence,
            &levels[..depth],
        )
        .ok()
    }

    pub(crate) fn at(self, span: pipehat::Span) -> At {
        use core::fmt::Write as _;
        let mut path = String::with_capacity(self.id.len() + 16);
        write!(path, "{self}").expect("a String");
        At {
            path: Some(path),
            segment: self.index + 1,
            span,
        }
    }
}

/// The path in findings' locations: as a [`Path`] prints it, except that a repetition the check
/// was about stays before a component (`PID-3[1].4`: a component of the first of several
/// repetitions, which a `Path` prints `PID-3.4`); the id as written.
impl fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Up to the repetition a `Path` prints it all, `[1]` included where it stops there.
        let head = [self.field, self.repetition.unwrap_or(0)];
        let head = &head[..if self.repetition.is_some() { 2 } else { 1 }];
        match Path::new(self.id, self.occurrence, head) {
            Ok(path) => write!(f, "{path}")?,
            // The one place for ids a path cannot hold (and a field 0).
            Err(_) => {
                f.write_str(&String::from_utf8_lossy(self.id))?;
                if self.occurrence != 1 {
                    write!(f, "[{}]", self.occurrence)?;
                }
                write!(f, "-{}", self.field)?;
                if let Some(r) = self.repetition {
                    write!(f, "[{r}]")?;
                }
            }
        }
        for n in [self.component, self.subcomponent].into_iter().flatten() {
            write!(f, ".{n}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Findings' paths as they were written by hand before `Path` printed them, and the paths
    /// that name elements in words.
    #[test]
    fn paths_print_as_findings_give_them() {
        let base = Loc::field(b"OBX", 2, 3, 10);
        let cases = [
            (base, "OBX[2]-10", Some("OBX[2]-10")),
            (
                Loc {
                    repetition: Some(1),
                    ..base
                },
                "OBX[2]-10[1]",
                Some("OBX[2]-10[1]"),
            ),
            (
                Loc {
                    repetition: Some(12),
                    component: Some(1),
                    ..base
                },
                "OBX[2]-10[12].1",
                Some("OBX[2]-10[12].1"),
            ),
            (
                Loc {
                    repetition: Some(1),
                    component: Some(20),
                    subcomponent: Some(3),
                    ..base
                },
                "OBX[2]-10[1].20.3",
                Some("OBX[2]-10.20.3"),
            ),
            (
                base.child(4).child(2),
                "OBX[2]-10.4.2",
                Some("OBX[2]-10.4.2"),
            ),
            (
                Loc::field(b"PID", 1, 1, 3).child(1),
                "PID-3.1",
                Some("PID-3.1"),
            ),
            // Ids no path holds, as written.
            (
                Loc {
                    field: 0,
                    component: Some(9),
                    ..base
                },
                "OBX[2]-0.9",
                None,
            ),
            (
                Loc {
                    repetition: Some(1),
                    ..Loc::field(b"ZPID", 3, 0, 2).child(5)
                },
                "ZPID[3]-2[1].5",
                None,
            ),
            (Loc::field(b"Z\xffD", 1, 0, 1), "Z\u{FFFD}D-1", None),
            // A path reads ids in capitals.
            (Loc::field(b"zp1", 1, 0, 7), "zp1-7", Some("ZP1-7")),
        ];
        for (loc, full, path) in cases {
            assert_eq!(loc.to_string(), full);
            assert_eq!(loc.at(pipehat::Span::new(0, 0)).path.as_deref(), Some(full));
            assert_eq!(loc.path().map(|p| p.to_string()).as_deref(), path, "{full}");
            if let Some(path) = loc.path() {
                assert_eq!(Some(path), full.parse().ok(), "{full}");
            }
        }
    }
}
