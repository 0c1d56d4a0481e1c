//! A segment's fields against its definition: unknown segments and fields, required fields,
//! fields not supported or withdrawn, repetitions and lengths; then each repetition's value is
//! handed to the data type checks.

use std::borrow::Cow;

use pipehat::Segment;
use pipehat_dict::Usage;

use super::Run;
use crate::location::{At, Loc};
use crate::plan::FieldPlan;
use crate::walk::{Piece, Walk};

impl<'m, 'a, 'o, 'c> Run<'m, 'a, 'o, 'c> {
    pub(super) fn check_segment(&mut self, segment: &Segment<'a>, index: usize, occurrence: usize) {
        let Some(plan) = self.segment_plan(segment.id()) else {
            let id = String::from_utf8_lossy(segment.id());
            if !id.starts_with('Z') && id.len() == 3 {
                let message = format!("segment {id} is not defined in HL7 v{}", self.version);
                let at = At {
                    path: None,
                    segment: index + 1,
                    span: segment.span(),
                };
                self.report("segment.unknown", at, message, None);
            }
            return;
        };
        let id = String::from_utf8_lossy(segment.id());
        let header = segment.is_header();
        let mut present = 0;
        let mut fields = std::mem::take(&mut self.buffers[0]);
        fields.clear();
        if header {
            fields.extend(
                segment
                    .fields()
                    .map(|f| self.walk.piece(f.as_bytes(), f.span().start)),
            );
        } else {
            let bytes = segment.as_bytes();
            let id_len = segment.id().len();
            if id_len < bytes.len() {
                let start = segment.span().start + id_len + 1;
                self.walk
                    .split(&bytes[id_len + 1..], start, Walk::FIELD, &mut fields);
            }
        }
        for (i, field) in fields.iter().enumerate() {
            let number = i + 1;
            present = number;
            if header && number <= 2 {
                continue;
            }
            let loc = Loc::field(segment.id(), occurrence, index, number);
            let Some(field_plan) = plan.fields.get(i) else {
                if !field.is_empty() {
                    let message = format!(
                        "{loc} has a value, but {id} has {} fields in HL7 v{}",
                        plan.field_count, self.version
                    );
                    let text = field.text(&self.walk);
                    self.report("field.unknown", loc.at(field.span()), message, Some(&text));
                }
                continue;
            };
            self.check_field(field, field_plan, loc, segment);
        }
        self.buffers[0] = fields;
        for number in present + 1..=plan.field_count {
            if let Some(field_plan) = plan.fields.get(number - 1)
                && field_plan.def.usage == Usage::Required
                && !(header && number == 12)
            {
                let loc = Loc::field(segment.id(), occurrence, index, number);
                let message = self.words(loc, None, format_args!(" is required but absent"));
                let end = segment.span().end;
                self.report(
                    "field.required",
                    loc.at(pipehat::Span::new(end, end)),
                    message,
                    None,
                );
            }
        }
    }

    fn check_field(
        &mut self,
        field: &Piece<'a>,
        plan: &FieldPlan<'_>,
        loc: Loc<'_>,
        segment: &Segment<'a>,
    ) {
        let def = &plan.def;
        if field.is_empty() {
            // An empty MSH-12 is msh.version-missing.
            let msh12 = loc.field == 12 && segment.is_header();
            if def.usage == Usage::Required && !msh12 {
                let message = self.words(loc, None, format_args!(" is required but empty"));
                self.report("field.required", loc.at(field.span()), message, None);
            }
            return;
        }
        if def.usage == Usage::NotSupported {
            let message = format!(
                "{} is not supported in HL7 v{} but has a value",
                self.named(loc),
                self.version
            );
            let text = field.text(&self.walk);
            self.report(
                "field.not-supported",
                loc.at(field.span()),
                message,
                Some(&text),
            );
        } else if def.data_type == "WD" || def.usage == Usage::Withdrawn {
            let message = format!(
                "{} was withdrawn in HL7 v{} but has a value",
                self.named(loc),
                self.version
            );
            let text = field.text(&self.walk);
            self.report(
                "field.withdrawn",
                loc.at(field.span()),
                message,
                Some(&text),
            );
        }
        // A plain field (a primitive type without format or table) with no repetition, no
        // component and no escape: one value, of which only the length is checked.
        if plan.plain && field.flags & (Walk::REPETITION | Walk::COMPONENT | Walk::ESCAPE) == 0 {
            if !field.is_null() {
                self.check_length(&plan.def, field, loc);
            }
            return;
        }
        let mut repetitions = std::mem::take(&mut self.buffers[1]);
        repetitions.clear();
        self.walk.parts(field, Walk::REPETITION, &mut repetitions);
        self.check_repetitions(field, plan, &repetitions, loc, segment);
        self.buffers[1] = repetitions;
    }

    fn check_repetitions(
        &mut self,
        field: &Piece<'a>,
        plan: &FieldPlan<'_>,
        repetitions: &[Piece<'a>],
        loc: Loc<'_>,
        segment: &Segment<'a>,
    ) {
        let def = &plan.def;
        if let Some(max) = def.max_repetitions
            && repetitions.len() > max as usize
        {
            let times = repetitions.len();
            let message = self.words(
                loc,
                None,
                format_args!(" repeats {times} times; at most {max} allowed"),
            );
            self.report("field.repetitions", loc.at(field.span()), message, None);
        }
        // OBX-5 takes its type from OBX-2.
        let mut type_plan = plan.data_type.clone();
        let mut data_type = Cow::Borrowed(def.data_type);
        if def.data_type == "varies" {
            if segment.id() != b"OBX" || loc.field != 5 {
                return;
            }
            let obx2 = segment.field(2);
            let declared = obx2
                .as_ref()
                .and_then(|f| f.component(1))
                .map(|c| c.text().into_owned())
                .unwrap_or_default();
            if declared.is_empty() {
                return;
            }
            type_plan = self.plans().data_type(&declared);
            if type_plan.is_none() {
                let obx2_loc = Loc { field: 2, ..loc };
                let (obx2_named, obx5_named) = (self.named(obx2_loc), self.named(loc));
                let message = format!(
                    "{obx2_named}{} not a data type of HL7 v{}, so {obx5_named} cannot be checked",
                    self.quoted(&declared),
                    self.version,
                );
                let span = obx2.map_or(field.span(), |f| f.span());
                self.report(
                    "obx.value-type-unknown",
                    obx2_loc.at(span),
                    message,
                    Some(&declared),
                );
                return;
            }
            data_type = Cow::Owned(declared);
        }
        let many = repetitions.len() > 1;
        for (r, repetition) in repetitions.iter().enumerate() {
            if repetition.is_empty() || repetition.is_null() {
                continue;
            }
            let rep_loc = Loc {
                repetition: many.then_some(r + 1),
                ..loc
            };
            self.check_length(def, repetition, rep_loc);
            // A plain value without components or escapes has nothing more to check.
            if plan.plain && repetition.flags & (Walk::COMPONENT | Walk::ESCAPE) == 0 {
                continue;
            }
            let mut components = std::mem::take(&mut self.buffers[2]);
            components.clear();
            self.walk
                .parts(repetition, Walk::COMPONENT, &mut components);
            self.check_typed(
                &data_type,
                type_plan.as_deref(),
                def.table,
                &components,
                rep_loc,
                0,
            );
            self.buffers[2] = components;
        }
    }

    /// The maximum length of a field's repetition (`bytes` as written, `text` decoded).
    ///
    /// Escapes decode to fewer characters than they take, so a value whose raw bytes fit the
    /// limit fits it decoded: only the ones that might not are decoded (and make a call).
    #[inline]
    fn check_length(
        &mut self,
        def: &pipehat_dict::ElementDef<'_>,
        value: &Piece<'a>,
        loc: Loc<'_>,
    ) {
        if let Some(max) = def.max_length
            && value.bytes.len() > max as usize
        {
            self.check_decoded_length(def, max, value, loc);
        }
    }

    fn check_decoded_length(
        &mut self,
        def: &pipehat_dict::ElementDef<'_>,
        max: u32,
        value: &Piece<'a>,
        loc: Loc<'_>,
    ) {
        let span = value.span();
        let text = value.text(&self.walk);
        if text.chars().count() <= max as usize {
            return;
        }
        // A code the standard lists is never too long for its own field (2.5.1's OBX-2 allows
        // 2 characters, yet table 0125 has CWE).
        let listed = def.table.is_some_and(|t| {
            (t == 125 && self.version.data_type(&text).is_some())
                || self
                    .version
                    .table(t)
                    .is_some_and(|table| table.contains(&text))
        });
        if !listed {
            let length = text.chars().count();
            let message = self.words(
                loc,
                None,
                format_args!(" is {length} characters long; at most {max} allowed"),
            );
            self.report("field.length", loc.at(span), message, Some(&text));
        }
    }
}
