//! A profile's constraints: segments' usage and cardinality, then their fields', components' and
//! subcomponents' usage, cardinality, length, fixed value and value set.

use pipehat::Segment;

use super::Run;
use crate::location::{At, Loc};
use crate::profile::{self, ElementConstraint, Profile, ProfileUsage};

impl<'m, 'a, 'o, 'c> Run<'m, 'a, 'o, 'c> {
    pub(super) fn check_profile(&mut self, profile: &Profile, segments: &[Segment<'a>]) {
        let end = self.message.span().end;
        let whose = if profile.name.is_empty() {
            "the profile".to_owned()
        } else {
            format!("profile '{}'", profile.name)
        };
        for (id, constraint) in &profile.segments {
            let found: Vec<(usize, &Segment<'a>)> = segments
                .iter()
                .enumerate()
                .filter(|(_, s)| s.id() == id.as_bytes())
                .collect();
            let count = found.len() as u32;
            let first_at = |found: &[(usize, &Segment<'a>)]| {
                found.first().map_or(
                    At {
                        path: None,
                        segment: segments.len() + 1,
                        span: pipehat::Span::new(end, end),
                    },
                    |(i, s)| At {
                        path: None,
                        segment: i + 1,
                        span: s.span(),
                    },
                )
            };
            match constraint.usage {
                Some(ProfileUsage::R) if count == 0 => {
                    let message = format!("segment {id} is required by {whose} but absent");
                    self.report("profile.segment-usage", first_at(&found), message, None);
                }
                Some(ProfileUsage::X) if count > 0 => {
                    let message = format!("segment {id} is not used in {whose} but present");
                    self.report("profile.segment-usage", first_at(&found), message, None);
                }
                _ => {}
            }
            let min = constraint.min.unwrap_or(0);
            let too_few = count > 0 && count < min;
            // An X segment that is present was reported above, whatever its Max says.
            let too_many = constraint.max.is_some_and(|max| count > max)
                && constraint.usage != Some(ProfileUsage::X);
            if too_few || too_many {
                let at = if too_many {
                    let (i, s) = found[constraint.max.unwrap_or(0) as usize];
                    At {
                        path: None,
                        segment: i + 1,
                        span: s.span(),
                    }
                } else {
                    first_at(&found)
                };
                let message = format!(
                    "segment {id} occurs {count} time{}; {whose} allows {}",
                    if count == 1 { "" } else { "s" },
                    bounds(min, constraint.max)
                );
                self.report("profile.segment-cardinality", at, message, None);
            }
            for (occurrence, (index, segment)) in found.iter().enumerate() {
                for (key, element) in &constraint.fields {
                    if let Some((field, component, subcomponent)) = profile::element_key(key) {
                        let loc = Loc::field(segment.id(), occurrence + 1, *index, field);
                        let below = (component, subcomponent);
                        self.check_profile_element(segment, loc, below, element, &whose);
                    }
                }
            }
        }
    }

    fn check_profile_element(
        &mut self,
        segment: &Segment<'a>,
        field_loc: Loc<'_>,
        (component, subcomponent): (Option<usize>, Option<usize>),
        constraint: &ElementConstraint,
        whose: &str,
    ) {
        let field = segment.field(field_loc.field);
        let segment_end = segment.span().end;
        let repetitions: Vec<pipehat::Repetition<'a>> = match &field {
            Some(f) if !f.is_empty() => f.repetitions().collect(),
            _ => Vec::new(),
        };
        if component.is_none() {
            let span = field
                .as_ref()
                .map_or(pipehat::Span::new(segment_end, segment_end), |f| f.span());
            let count = repetitions.len() as u32;
            match constraint.usage {
                Some(ProfileUsage::R) if count == 0 => {
                    let message =
                        format!("{} is required by {whose} but empty", self.named(field_loc));
                    self.report("profile.required", field_loc.at(span), message, None);
                    return;
                }
                Some(ProfileUsage::X) if count > 0 => {
                    let text = field
                        .as_ref()
                        .map(|f| f.text().into_owned())
                        .unwrap_or_default();
                    let message = format!(
                        "{} is not used in {whose} but has a value",
                        self.named(field_loc)
                    );
                    self.report("profile.not-used", field_loc.at(span), message, Some(&text));
                    return;
                }
                _ => {}
            }
            let min = constraint.min.unwrap_or(0);
            if count > 0 && (count < min || constraint.max.is_some_and(|max| count > max)) {
                let message = format!(
                    "{} repeats {count} time{}; {whose} allows {}",
                    self.named(field_loc),
                    if count == 1 { "" } else { "s" },
                    bounds(min, constraint.max)
                );
                self.report("profile.cardinality", field_loc.at(span), message, None);
            }
        }
        for (r, repetition) in repetitions.iter().enumerate() {
            let mut loc = Loc {
                repetition: (repetitions.len() > 1).then_some(r + 1),
                ..field_loc
            };
            // The value the constraint is about: the repetition, or a component or subcomponent.
            let (text, span) = match (component, subcomponent) {
                (None, _) => (repetition.text(), repetition.span()),
                (Some(c), sub) => {
                    loc = loc.child(c);
                    let Some(part) = repetition.component(c) else {
                        if constraint.usage == Some(ProfileUsage::R) {
                            let message =
                                format!("{} is required by {whose} but empty", self.named(loc));
                            let end = repetition.span().end;
                            self.report(
                                "profile.required",
                                loc.at(pipehat::Span::new(end, end)),
                                message,
                                None,
                            );
                        }
                        continue;
                    };
                    match sub {
                        None => (part.text(), part.span()),
                        Some(sub) => {
                            loc = loc.child(sub);
                            match part.subcomponent(sub) {
                                Some(piece) => (piece.text(), piece.span()),
                                None => (
                                    std::borrow::Cow::Borrowed(""),
                                    pipehat::Span::new(part.span().end, part.span().end),
                                ),
                            }
                        }
                    }
                }
            };
            if component.is_some() {
                match constraint.usage {
                    Some(ProfileUsage::R) if text.is_empty() => {
                        let message =
                            format!("{} is required by {whose} but empty", self.named(loc));
                        self.report("profile.required", loc.at(span), message, None);
                        continue;
                    }
                    Some(ProfileUsage::X) if !text.is_empty() => {
                        let message =
                            format!("{} is not used in {whose} but has a value", self.named(loc));
                        self.report("profile.not-used", loc.at(span), message, Some(&text));
                        continue;
                    }
                    _ => {}
                }
            }
            if text.is_empty() {
                continue;
            }
            if let Some(max) = constraint.max_length {
                let length = text.chars().count();
                if length > max as usize {
                    let message = format!(
                        "{} is {length} characters long; {whose} allows {max}",
                        self.named(loc)
                    );
                    self.report("profile.length", loc.at(span), message, Some(&text));
                }
            }
            if let Some(fixed) = &constraint.fixed
                && *text != **fixed
            {
                let message = format!(
                    "{}{} not '{fixed}', the value {whose} fixes",
                    self.named(loc),
                    self.quoted(&text)
                );
                self.report("profile.fixed", loc.at(span), message, Some(&text));
            }
            let in_values = constraint
                .values
                .as_ref()
                .map(|values| values.iter().any(|v| *v == *text));
            let in_table = constraint.table.map(|t| {
                self.version
                    .table(t)
                    .is_none_or(|table| !table.has_codes() || table.contains(&text))
            });
            if in_values == Some(false) || in_table == Some(false) {
                let allowed = match (&constraint.values, constraint.table) {
                    (Some(values), _) => values.join(", "),
                    (None, Some(t)) => format!("the codes of HL7 table {t:04}"),
                    (None, None) => String::new(),
                };
                let message = format!(
                    "{}{} not one of {whose}'s values ({allowed})",
                    self.named(loc),
                    self.quoted(&text)
                );
                self.report("profile.value-set", loc.at(span), message, Some(&text));
            }
        }
    }
}

/// "exactly 1", "1 to 3", "at least 2", "at most 4".
fn bounds(min: u32, max: Option<u32>) -> String {
    match (min, max) {
        (min, Some(max)) if min == max => format!("exactly {min}"),
        (0, Some(max)) => format!("at most {max}"),
        (min, Some(max)) => format!("{min} to {max}"),
        (min, None) => format!("at least {min}"),
    }
}
