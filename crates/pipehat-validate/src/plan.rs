//! Check plans: what the validator needs of the dictionary, resolved once and kept across
//! messages — each segment's fields with their data types and tables, each data type's
//! components, each table's codes in a hash set, and the words that name an element.
//!
//! Plans are built from the standard dictionary of one version; a run with a
//! [`pipehat_dict::Dictionary`] of its own builds its segments' plans for that message only.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use pipehat_dict::{ElementDef, SegmentDef, Structure, TableDef, Version};

use pipehat_dict::tree::StructureTree;

/// Beyond this many entries a map stops growing: input with endless distinct segment ids or
/// data type names is checked without caching them.
const MAX_ENTRIES: usize = 4096;

/// A small, fast hasher for short keys (segment ids, type names, codes); the keys come from
/// messages, but the maps are bounded, so a collision attack costs only speed.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// A data type as the checks use it.
#[derive(Debug)]
pub(crate) struct TypePlan {
    /// Its components; none for a primitive.
    pub components: Vec<ComponentPlan>,
    /// Whether `types::check` knows its format.
    pub checked: bool,
    /// CE, CWE, CNE or CF: a coding system may name an HL7 table.
    pub coded: bool,
}

impl TypePlan {
    pub(crate) fn is_primitive(&self) -> bool {
        self.components.is_empty()
    }
}

/// A component of a data type, with its own type resolved (for its subcomponents).
#[derive(Debug)]
pub(crate) struct ComponentPlan {
    pub def: ElementDef<'static>,
    /// The component's type with its components (whose own types are not needed: nothing
    /// is checked below a subcomponent). `None` for a type the version lacks.
    pub sub: Option<Arc<TypePlan>>,
    /// `types::check` knows the component's type, or it is an ID: subcomponents of this
    /// component's type are checked as values.
    pub checked: bool,
    /// The component's type is primitive (or unknown): a value of it without subcomponents
    /// is one primitive value.
    pub primitive: bool,
    /// Such a value is checked at all: its type's format is known, or it names a table.
    pub primitive_checked: bool,
}

impl ComponentPlan {
    fn new(def: ElementDef<'static>, sub: Option<Arc<TypePlan>>) -> Self {
        let primitive = sub.as_ref().is_none_or(|t| t.is_primitive());
        let primitive_checked = sub
            .as_ref()
            .map_or_else(|| crate::types::is_checked(def.data_type), |t| t.checked)
            || def.table.is_some();
        ComponentPlan {
            def,
            sub,
            checked: crate::types::is_checked(def.data_type) || def.data_type == "ID",
            primitive,
            primitive_checked,
        }
    }
}

/// A field of a segment as the checks use it.
#[derive(Debug)]
pub(crate) struct FieldPlan<'d> {
    pub def: ElementDef<'d>,
    /// The field's type, resolved; `None` for `varies`, an empty id or one the version lacks.
    pub data_type: Option<Arc<TypePlan>>,
    /// Nothing below the repetition is checked but escapes and extra components: a primitive
    /// (or unknown) type without a format check or a table.
    pub plain: bool,
}

/// A segment's fields, resolved.
#[derive(Debug)]
pub(crate) struct SegmentPlan<'d> {
    pub field_count: usize,
    pub fields: Vec<FieldPlan<'d>>,
}

/// An HL7 table: its definition and its codes in a hash set.
#[derive(Debug)]
pub(crate) struct TablePlan {
    pub def: TableDef,
    codes: HashSet<&'static [u8], FxBuild>,
    /// The codes written as patterns (`HL7nnnn`, `99zzz`), matched as [`TableDef::contains`]
    /// matches them; most tables have none.
    patterns: Vec<&'static str>,
    pub user_defined: bool,
}

impl TablePlan {
    fn new(def: TableDef) -> Self {
        let codes: HashSet<&'static [u8], FxBuild> =
            def.codes().map(|c| c.value.as_bytes()).collect();
        // The same test the dictionary uses to collect pattern codes.
        let patterns = def
            .codes()
            .map(|c| c.value)
            .filter(|c| c.contains("nn") || c.contains("zz"))
            .collect();
        TablePlan {
            def,
            codes,
            patterns,
            user_defined: def.is_user_defined(),
        }
    }

    /// [`TableDef::contains`], by hash.
    pub(crate) fn contains(&self, value: &str) -> bool {
        self.codes.contains(value.as_bytes())
            || self
                .patterns
                .iter()
                .any(|pattern| matches_pattern(pattern, value))
    }

    /// Whether the table lists these bytes as a code (pattern codes not matched).
    pub(crate) fn contains_bytes(&self, value: &[u8]) -> bool {
        self.codes.contains(value)
    }

    pub(crate) fn has_codes(&self) -> bool {
        !self.codes.is_empty()
    }
}

/// `HL7nnnn` matches `HL70001`, `99zzz` matches `99ABC` (`n` a digit, `z` a letter or digit),
/// as in the dictionary's `TableDef::contains`.
fn matches_pattern(pattern: &str, value: &str) -> bool {
    pattern.len() == value.len()
        && pattern.bytes().zip(value.bytes()).all(|(p, v)| match p {
            b'n' => v.is_ascii_digit(),
            b'z' => v.is_ascii_alphanumeric(),
            _ => p == v,
        })
}

/// Everything resolved for one version.
#[derive(Debug)]
pub(crate) struct VersionPlans {
    version: Version,
    /// Standard segments by id (`None`: the version does not define it).
    segments: FxMap<Box<[u8]>, Option<Arc<SegmentPlan<'static>>>>,
    /// Field-level types (components with their types) by id.
    types: FxMap<Box<str>, Option<Arc<TypePlan>>>,
    /// Component-level types (components without their types) by id.
    leaf_types: FxMap<Box<str>, Option<Arc<TypePlan>>>,
    /// Tables by id: where in `tables` (`u32::MAX`: not looked up yet), grown on demand up to
    /// the largest id met (ids are `u16`, so it stays bounded).
    table_slots: Vec<u32>,
    tables: Vec<Option<TablePlan>>,
    /// Message structures as trees, by id.
    structures: FxMap<&'static str, Arc<StructureTree>>,
    /// Labels ("Patient Name / Family Name") by segment id, field, component, subcomponent.
    labels: FxMap<([u8; 3], usize, usize, usize), Box<str>>,
}

impl VersionPlans {
    pub(crate) fn new(version: Version) -> Self {
        VersionPlans {
            version,
            segments: FxMap::default(),
            types: FxMap::default(),
            leaf_types: FxMap::default(),
            table_slots: Vec::new(),
            tables: Vec::new(),
            structures: FxMap::default(),
            labels: FxMap::default(),
        }
    }

    pub(crate) fn version(&self) -> Version {
        self.version
    }

    /// The plan of a standard segment.
    pub(crate) fn segment(&mut self, id: &[u8]) -> Option<Arc<SegmentPlan<'static>>> {
        if let Some(plan) = self.segments.get(id) {
            return plan.clone();
        }
        let def = std::str::from_utf8(id)
            .ok()
            .and_then(|id| self.version.segment(id));
        let plan = def.map(|def| Arc::new(self.segment_plan(&def)));
        if self.segments.len() < MAX_ENTRIES {
            self.segments.insert(id.into(), plan.clone());
        }
        plan
    }

    /// The plan of a segment from any definition.
    pub(crate) fn segment_plan<'d>(&mut self, def: &SegmentDef<'d>) -> SegmentPlan<'d> {
        let fields = def
            .fields()
            .map(|def| {
                let data_type = if def.data_type == "varies" {
                    None
                } else {
                    self.data_type(def.data_type)
                };
                let plain = match &data_type {
                    Some(t) => t.is_primitive() && !t.checked,
                    None => !crate::types::is_checked(def.data_type),
                } && def.table.is_none()
                    && def.data_type != "varies";
                FieldPlan {
                    def,
                    data_type,
                    plain,
                }
            })
            .collect();
        SegmentPlan {
            field_count: def.field_count(),
            fields,
        }
    }

    /// A field-level data type: its components with their types.
    pub(crate) fn data_type(&mut self, id: &str) -> Option<Arc<TypePlan>> {
        if let Some(plan) = self.types.get(id) {
            return plan.clone();
        }
        let plan = self.version.data_type(id).map(|def| {
            let components = def
                .components()
                .map(|c| {
                    let sub = self.leaf_type(c.data_type);
                    ComponentPlan::new(c, sub)
                })
                .collect();
            Arc::new(TypePlan {
                components,
                checked: crate::types::is_checked(def.id),
                coded: matches!(def.id, "CE" | "CWE" | "CNE" | "CF"),
            })
        });
        if self.types.len() < MAX_ENTRIES {
            self.types.insert(id.into(), plan.clone());
        }
        plan
    }

    /// A component-level data type: its components, without their types.
    fn leaf_type(&mut self, id: &str) -> Option<Arc<TypePlan>> {
        if let Some(plan) = self.leaf_types.get(id) {
            return plan.clone();
        }
        let plan = self.version.data_type(id).map(|def| {
            let components = def
                .components()
                .map(|c| ComponentPlan::new(c, None))
                .collect();
            Arc::new(TypePlan {
                components,
                checked: crate::types::is_checked(def.id),
                coded: matches!(def.id, "CE" | "CWE" | "CNE" | "CF"),
            })
        });
        if self.leaf_types.len() < MAX_ENTRIES {
            self.leaf_types.insert(id.into(), plan.clone());
        }
        plan
    }

    /// A message structure of the version as a tree.
    pub(crate) fn structure(&mut self, structure: &Structure) -> Arc<StructureTree> {
        if let Some(root) = self.structures.get(structure.id) {
            return root.clone();
        }
        let root = Arc::new(StructureTree::new(structure));
        if self.structures.len() < MAX_ENTRIES {
            self.structures.insert(structure.id, root.clone());
        }
        root
    }

    /// A table of the version.
    pub(crate) fn table(&mut self, id: u16) -> Option<&TablePlan> {
        let at = usize::from(id);
        if at >= self.table_slots.len() {
            self.table_slots.resize(at + 1, u32::MAX);
        }
        if self.table_slots[at] == u32::MAX {
            self.table_slots[at] = self.tables.len() as u32;
            self.tables.push(self.version.table(id).map(TablePlan::new));
        }
        self.tables[self.table_slots[at] as usize].as_ref()
    }

    /// The label of an element of a standard segment, as `Version::describe` gives it.
    pub(crate) fn label(
        &mut self,
        segment: [u8; 3],
        field: usize,
        component: Option<usize>,
        subcomponent: Option<usize>,
    ) -> &str {
        let key = (
            segment,
            field,
            component.unwrap_or(0),
            subcomponent.unwrap_or(0),
        );
        if self.labels.len() >= MAX_ENTRIES && !self.labels.contains_key(&key) {
            self.labels.clear();
        }
        let version = self.version;
        self.labels.entry(key).or_insert_with(|| {
            let mut text = format!("{}-{field}", String::from_utf8_lossy(&segment));
            for n in [component, subcomponent].into_iter().flatten() {
                text.push_str(&format!(".{n}"));
            }
            text.parse::<pipehat::Path>()
                .map(|path| version.describe(&path).label())
                .unwrap_or_default()
                .into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_plans_contain_what_the_dictionary_tables_contain() {
        let values = [
            "HL70001", "HL7001", "HL7000A", "99ABC", "99AB", "99A-C", "LN", "L", "M", "F", "",
            "nn", "HL7nnnn", "99zzz",
        ];
        let mut patterned = 0;
        for version in Version::ALL {
            for id in [1, 4, 136, 203, 396] {
                let Some(def) = version.table(id) else {
                    continue;
                };
                let plan = TablePlan::new(def);
                patterned += usize::from(!plan.patterns.is_empty());
                for value in values {
                    assert_eq!(
                        plan.contains(value),
                        def.contains(value),
                        "{version:?} table {id} {value:?}"
                    );
                }
            }
        }
        assert!(patterned > 0, "no table with pattern codes was tried");
    }
}
