//! The message's segments against its structure: the message tree's problems
//! ([`pipehat_dict::tree`])
//! as findings — segments and groups missing, out of order, unexpected or repeated too often.

use std::borrow::Cow;

use pipehat::Segment;

use super::Run;
use crate::location::At;
use pipehat_dict::tree::{Kind, Problem};

impl<'m, 'a, 'o, 'c> Run<'m, 'a, 'o, 'c> {
    pub(super) fn check_structure(&mut self, segments: &[Segment<'a>]) {
        let Some(structure) = self.structure else {
            return;
        };
        let root = self.plans().structure(&structure);
        let ids: Vec<Cow<'_, str>> = segments
            .iter()
            .map(|s| String::from_utf8_lossy(s.id()))
            .collect();
        let id_refs: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
        let end = self.message.span().end;
        let segment_span = |index: usize| {
            segments
                .get(index)
                .map_or(pipehat::Span::new(end, end), |s| s.span())
        };
        for problem in root.problems(&id_refs) {
            match problem {
                Problem::Missing {
                    kind,
                    name,
                    group,
                    before,
                } => {
                    let span = segment_span(before);
                    let span = pipehat::Span::new(span.start, span.start);
                    let (rule, message) = if kind != Kind::Segment {
                        (
                            "structure.group-missing",
                            format!("{group}: required group {name} is missing"),
                        )
                    } else {
                        (
                            "structure.segment-missing",
                            format!("{group}: required segment {name} is missing"),
                        )
                    };
                    self.report(
                        rule,
                        At {
                            path: None,
                            segment: before + 1,
                            span,
                        },
                        message,
                        None,
                    );
                }
                Problem::TooMany {
                    index,
                    kind,
                    name,
                    max,
                    group,
                } => {
                    let message = format!(
                        "{group}: {} {name} occurs more than {max} time{}",
                        kind.as_str(),
                        if max == 1 { "" } else { "s" }
                    );
                    let at = At {
                        path: None,
                        segment: index + 1,
                        span: segment_span(index),
                    };
                    self.report("structure.too-many", at, message, None);
                }
                Problem::OutOfOrder { index } => {
                    let message = format!(
                        "segment {} is out of order: {} does not have it at this place",
                        id_refs[index], structure.id
                    );
                    let at = At {
                        path: None,
                        segment: index + 1,
                        span: segment_span(index),
                    };
                    self.report("structure.segment-out-of-order", at, message, None);
                }
                Problem::Unexpected { index } => {
                    let message =
                        format!("segment {} is not part of {}", id_refs[index], structure.id);
                    let at = At {
                        path: None,
                        segment: index + 1,
                        span: segment_span(index),
                    };
                    self.report("structure.segment-unexpected", at, message, None);
                }
                // Kinds added later are reported once this crate knows them.
                _ => {}
            }
        }
    }
}
