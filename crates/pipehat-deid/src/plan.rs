//! What each position of a segment is, planned once per segment id and version and reused:
//! a field's data type, table and role ([`FieldPlan`]), each leaf's category and method
//! ([`LeafPlan`]), and the public [`field_categories`] made from the
//! same plans.

use pipehat_dict::Version;

use crate::category::{
    self, ALLOWED_FIELDS, CONCEPT_FIELDS, Category, FREE_TEXT_FIELDS, Leaf, is_binary, is_coded,
    listed,
};
use crate::fast_map::FastMap;
use crate::policy::{Compiled, Method};
use crate::walk::Place;
use crate::work;

/// Every category the values of a field get in `version`, from each component and
/// subcomponent its data type defines, as anonymization judges them (OBX-5: as a string).
/// For documentation and tools: `docs/phi-fields.md` is made from it.
///
/// ```
/// use pipehat_deid::{Category, field_categories};
/// use pipehat_dict::Version;
///
/// let pid5 = field_categories(Version::V2_5_1, "PID", 5);
/// assert!(pid5.contains(&Category::FamilyName) && pid5.contains(&Category::GivenName));
/// assert_eq!(field_categories(Version::V2_5_1, "MSH", 9), [Category::Allowed]);
/// assert_eq!(field_categories(Version::V2_5_1, "ZPI", 1), [Category::Unknown]);
/// ```
#[must_use]
pub fn field_categories(version: Version, segment: &str, field: usize) -> Vec<Category> {
    let id = segment.as_bytes();
    if listed(ALLOWED_FIELDS, id, field) || (matches!(segment, "MSH" | "FHS" | "BHS") && field <= 2)
    {
        return vec![Category::Allowed];
    }
    let definition = version.field(segment, field);
    let plan = FieldPlan::new(version, id, field, definition, None);
    if !plan.defined {
        return vec![Category::Unknown];
    }
    if is_binary(plan.field_type) {
        return vec![Category::Binary];
    }
    let leaf = |c, s| {
        plan.adjust(
            category::leaf(version, plan.field_type, plan.table, c, s),
            c,
        )
        .category
    };
    let mut found = Vec::new();
    match version
        .data_type(plan.field_type)
        .or_else(|| Version::LATEST.data_type(plan.field_type))
        .filter(|d| !d.is_primitive())
    {
        None => found.push(leaf(1, 1)),
        Some(composite) => {
            for component in composite.components() {
                let inner = version
                    .data_type(component.data_type)
                    .or_else(|| Version::LATEST.data_type(component.data_type))
                    .filter(|d| !d.is_primitive() && !is_binary(d.id));
                let subcomponents = inner.map_or(1, |d| d.components().len());
                for s in 1..=subcomponents {
                    found.push(leaf(component.position, s));
                }
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The plans for the fields of one segment id in one version, made as the fields are met.
#[derive(Debug, Default)]
pub(crate) struct SegmentPlans {
    definition: Option<pipehat_dict::SegmentDef<'static>>,
    /// By field number.
    fields: Vec<Option<FieldPlan>>,
    /// OBX-5, by OBX-2 (trimmed, upper case), when OBX-2 is there.
    values: FastMap<String, FieldPlan>,
    /// OBX-5 when OBX-2 is absent.
    untyped_value: Option<FieldPlan>,
}

impl SegmentPlans {
    pub fn new(version: Version, id: &[u8]) -> Self {
        SegmentPlans {
            definition: core::str::from_utf8(id)
                .ok()
                .and_then(|id| version.segment(id)),
            fields: Vec::new(),
            values: FastMap::default(),
            untyped_value: None,
        }
    }

    /// The plan for field `number` of segment `id`; `value_type` is OBX-2 for OBX.
    pub fn field(
        &mut self,
        policy: &Compiled,
        version: Version,
        id: &[u8],
        number: usize,
        value_type: Option<&str>,
    ) -> &mut FieldPlan {
        let definition = &self.definition;
        let make = || {
            let field_rules = policy.has_field_rules(id, number);
            if listed(ALLOWED_FIELDS, id, number) && !field_rules {
                return FieldPlan {
                    copy: true,
                    ..FieldPlan::default()
                };
            }
            let definition = definition.as_ref().and_then(|d| d.field(number));
            let mut plan = FieldPlan::new(version, id, number, definition, value_type);
            plan.binary_removed = is_binary(plan.field_type)
                && policy.method(id, number, 1, 1, plan.field_type, Category::Binary)
                    == Method::Remove;
            plan
        };
        if id == b"OBX" && number == 5 {
            work::add(1);
            return match value_type {
                None => self.untyped_value.get_or_insert_with(make),
                Some(value_type) => {
                    if !self.values.contains_key(value_type) {
                        self.values.insert(value_type.to_owned(), make());
                    }
                    self.values.get_mut(value_type).expect("made above")
                }
            };
        }
        if self.fields.len() <= number {
            self.fields.resize_with(number + 1, || None);
        }
        if self.fields[number].is_none() {
            self.fields[number] = Some(make());
        }
        self.fields[number].as_mut().expect("made above")
    }
}

/// One field and what it is, whatever segment instance it is in.
#[derive(Debug, Default)]
pub(crate) struct FieldPlan {
    field_type: &'static str,
    table: Option<u16>,
    defined: bool,
    concept: bool,
    free_text: bool,
    birth: bool,
    /// Kept as it is: an allowed field with no rule of its own.
    pub copy: bool,
    /// A payload the policy removes whole.
    pub binary_removed: bool,
    /// Each leaf's category and method, by component and subcomponent (from 0), as met.
    leaves: Vec<Vec<Option<LeafPlan>>>,
}

/// One leaf of a field: its category, its method, and the first few codes checked against its
/// table there (a position holds the same few codes thousands of times).
#[derive(Debug, Clone)]
pub(crate) struct LeafPlan {
    pub leaf: Leaf,
    pub method: Method,
    codes: Vec<(Box<[u8]>, bool)>,
}

impl LeafPlan {
    /// Whether `code` is in the leaf's table, `check` asked the first time.
    pub fn in_table(&mut self, code: &[u8], check: impl FnOnce() -> bool) -> bool {
        if let Some((_, found)) = self.codes.iter().find(|(known, _)| **known == *code) {
            return *found;
        }
        let found = check();
        if self.codes.len() < 8 {
            self.codes.push((code.into(), found));
        }
        found
    }
}

/// The last component position any data type of any version defines, and at least the last
/// one a role names (XTN-12) and the last of a coded concept (8): past it, a position's
/// category and method no longer depend on the position (see [`FieldPlan::leaf`]).
pub(crate) fn last_defined_position() -> usize {
    static LAST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LAST.get_or_init(|| {
        Version::ALL
            .iter()
            .flat_map(|version| version.data_types())
            .flat_map(|data_type| data_type.components().map(|c| c.position))
            .max()
            .unwrap_or(0)
            .max(12)
    })
}

/// A leaf the dictionary does not define.
const UNKNOWN: Leaf = Leaf {
    category: Category::Unknown,
    table: None,
    max_length: None,
    formatted: false,
    data_type: "",
};

impl FieldPlan {
    /// Field `number` of segment `id`, defined by `definition`; for OBX-5, `value_type` is
    /// OBX-2 (trimmed, upper case).
    fn new(
        version: Version,
        id: &[u8],
        number: usize,
        definition: Option<pipehat_dict::ElementDef<'static>>,
        value_type: Option<&str>,
    ) -> Self {
        let mut field_type = definition.map_or("", |d| d.data_type);
        if id == b"OBX"
            && number == 5
            && let Some(value_type) = value_type
        {
            field_type = match value_type {
                "" => "ST",
                other => version
                    .data_type(other)
                    .or_else(|| Version::LATEST.data_type(other))
                    .map_or("ST", |d| d.id),
            };
        }
        FieldPlan {
            field_type,
            table: definition.and_then(|d| d.table),
            defined: definition.is_some(),
            concept: listed(CONCEPT_FIELDS, id, number)
                || (id == b"OBX" && number == 5 && is_coded(field_type)),
            // OBX-5 is free text when OBX-2 says so; with an unknown or missing type it is one
            // more string (an identifier).
            free_text: listed(FREE_TEXT_FIELDS, id, number)
                || (id == b"OBX"
                    && number == 5
                    && value_type.is_some_and(|t| matches!(t, "ST" | "TX" | "FT"))),
            birth: definition.is_some_and(|d| d.name.contains("Birth")),
            copy: false,
            binary_removed: false,
            leaves: Vec::new(),
        }
    }

    /// The category and method of component `component`, subcomponent `subcomponent` (from
    /// 1) of this field at `place`.
    #[inline]
    pub fn leaf(
        &mut self,
        policy: &Compiled,
        version: Version,
        place: &Place<'_>,
        component: usize,
        subcomponent: usize,
    ) -> &mut LeafPlan {
        // Past the last position a data type defines or an override names, every position is
        // planned alike (unknown, or a role every position of the type has): one plan stands
        // for them all, so a field of a million components makes a few dozen plans.
        let component = component.min(policy.alike_from.0);
        let subcomponent = subcomponent.min(policy.alike_from.1);
        let (c, s) = (component - 1, subcomponent - 1);
        if !matches!(
            self.leaves.get(c).and_then(|subs| subs.get(s)),
            Some(Some(_))
        ) {
            self.new_leaf(policy, version, place, component, subcomponent);
        }
        self.leaves[c][s].as_mut().expect("made above")
    }

    /// [`FieldPlan::leaf`] the first time.
    #[cold]
    fn new_leaf(
        &mut self,
        policy: &Compiled,
        version: Version,
        place: &Place<'_>,
        component: usize,
        subcomponent: usize,
    ) {
        work::add(1);
        let (c, s) = (component - 1, subcomponent - 1);
        if self.leaves.len() <= c {
            self.leaves.resize_with(c + 1, Vec::new);
        }
        if self.leaves[c].len() <= s {
            self.leaves[c].resize(s + 1, None);
        }
        let leaf = if self.defined {
            self.adjust(
                category::leaf(
                    version,
                    self.field_type,
                    self.table,
                    component,
                    subcomponent,
                ),
                component,
            )
        } else {
            UNKNOWN
        };
        let method = policy.method(
            place.segment,
            place.number,
            component,
            subcomponent,
            self.field_type,
            leaf.category,
        );
        self.leaves[c][s] = Some(LeafPlan {
            leaf,
            method,
            codes: Vec::new(),
        });
    }

    /// A leaf's category as this field changes it: coded concepts allowed, strings of free-text
    /// fields free text, dates of birth dates birth dates.
    fn adjust(&self, mut leaf: Leaf, component: usize) -> Leaf {
        if self.concept && component <= 8 {
            leaf.category = Category::Allowed;
        } else if self.free_text && matches!(leaf.category, Category::Identifier) {
            leaf.category = Category::FreeText;
        } else if self.birth && leaf.category == Category::Date {
            leaf.category = Category::BirthDate;
        }
        leaf
    }
}

#[cfg(test)]
mod tests {

    /// Past [`super::last_defined_position`], a leaf's category does not depend on its
    /// position: what lets one plan stand for every such position.
    #[test]
    fn positions_past_the_definitions_are_alike() {
        let beyond = super::last_defined_position();
        for version in pipehat_dict::Version::ALL {
            for data_type in version.data_types() {
                for table in [None, Some(1)] {
                    for c in 1..=beyond + 3 {
                        for s in 1..=beyond + 3 {
                            if c <= beyond && s <= beyond {
                                continue;
                            }
                            let leaf =
                                |c, s| super::category::leaf(version, data_type.id, table, c, s);
                            assert_eq!(
                                leaf(c, s),
                                leaf(c.min(beyond + 1), s.min(beyond + 1)),
                                "{version:?} {} {c}.{s}",
                                data_type.id
                            );
                        }
                    }
                }
            }
        }
    }
}
