//! The message tree: a message's segments placed in the groups of its structure.
//!
//! A structure (`ORU_R01`) is a tree of segments, groups (`PATIENT_RESULT`, `ORDER_OBSERVATION`,
//! `OBSERVATION`), repetitions and choices. [`MessageTree`] matches a message's segments against
//! it once, the way a receiver reads a message — each segment at the nearest place ahead that
//! accepts it: repeating the current element, moving on in the current group, entering a group
//! that can start with it, or leaving groups for an enclosing one — and says where each segment
//! is (which instance of which group) and what did not fit ([`Problem`]: what validation
//! reports). Conversion to FHIR reads an ORU by order group this way.
//!
//! ```
//! use pipehat::Message;
//! use pipehat_dict::{MessageTree, Version};
//!
//! let message = Message::parse(
//!     b"MSH|^~\\&|LAB|HOSP|||20261122||ORU^R01|1|P|2.5.1\rPID|1||7\r\
//!       OBR|1|||CBC\rOBX|1|NM|718-7||13.5\rOBR|2|||BMP\rOBX|1|NM|2345-7||5.1\rOBX|2|NM|2951-2||140\r",
//! )?;
//! let tree = MessageTree::of(&message, Version::V2_5_1).unwrap();
//! assert_eq!(tree.structure(), "ORU_R01");
//! let places: Vec<String> = tree.placements().iter().flatten().map(ToString::to_string).collect();
//! assert_eq!(places[6], "PATIENT_RESULT[1]/ORDER_OBSERVATION[2]/OBSERVATION[2]/OBX");
//! // Group paths in `get`: the OBX of the second observation of the second order.
//! let value = tree.get(&message, "PATIENT_RESULT/ORDER_OBSERVATION[2]/OBSERVATION[2]/OBX-5")?;
//! assert_eq!(value.map(|v| v.text().into_owned()).as_deref(), Some("140"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use pipehat::{Element, Message, Path};

use crate::{Structure, StructureElement, Version};

mod matcher;

use matcher::Matcher;

/// A structure as a tree, ready to match messages against (build it once per structure).
#[derive(Debug, Clone)]
pub struct StructureTree {
    root: Node,
}

#[derive(Debug, Clone)]
struct Node {
    name: &'static str,
    min: u32,
    max: Option<u32>,
    /// `None` for a segment.
    children: Option<Vec<Node>>,
    /// For a group: the segment ids it can start with.
    first: Vec<&'static str>,
    /// A choice: an instance is exactly one of its children.
    choice: bool,
}

/// Child `index`'s name in a group path: its name, numbered when an earlier sibling has the
/// same one — ADT_A17 has PID twice at the top level, the second named `PID2` (as HAPI names
/// it).
fn path_name(children: &[Node], index: usize) -> String {
    let name = children[index].name;
    let ordinal = children[..index].iter().filter(|c| c.name == name).count() + 1;
    if ordinal > 1 {
        format!("{name}{ordinal}")
    } else {
        name.to_owned()
    }
}

impl StructureTree {
    /// The tree of `structure`.
    #[must_use]
    pub fn new(structure: &Structure) -> StructureTree {
        let children: Vec<Node> = structure.elements().map(Node::from_element).collect();
        let mut root = Node {
            name: structure.id,
            min: 1,
            max: Some(1),
            children: Some(children),
            first: Vec::new(),
            choice: false,
        };
        root.first = first_set(root.children.as_deref().unwrap_or(&[]), false);
        StructureTree { root }
    }

    /// The structure's id (`ORU_R01`).
    #[must_use]
    pub fn id(&self) -> &'static str {
        self.root.name
    }

    /// Places segment ids (a message's, in order) in the tree.
    #[must_use]
    pub fn place(&self, ids: &[&str]) -> Placed {
        self.run::<true>(ids)
    }

    /// What of segment ids (a message's, in order) does not fit the tree: [`StructureTree::place`]'s
    /// problems, without recording where each segment is (what validation needs).
    #[must_use]
    pub fn problems(&self, ids: &[&str]) -> Vec<Problem> {
        self.run::<false>(ids).problems
    }

    fn run<const RECORD: bool>(&self, ids: &[&str]) -> Placed {
        Matcher::<RECORD>::run(&self.root, ids)
    }
}

impl Node {
    fn from_element(element: StructureElement) -> Node {
        if !element.is_group() {
            return Node {
                name: element.name,
                min: element.min,
                max: element.max,
                children: None,
                first: Vec::new(),
                choice: false,
            };
        }
        let children: Vec<Node> = element.children().map(Node::from_element).collect();
        let first = first_set(&children, element.is_choice());
        Node {
            name: element.name,
            min: element.min,
            max: element.max,
            children: Some(children),
            first,
            choice: element.is_choice(),
        }
    }

    fn accepts(&self, id: &str) -> bool {
        match self.children {
            None => self.name == id,
            Some(_) => self.first.contains(&id),
        }
    }

    fn contains(&self, id: &str) -> bool {
        match &self.children {
            None => self.name == id,
            Some(children) => children.iter().any(|c| c.contains(id)),
        }
    }

    fn kind(&self) -> Kind {
        match (&self.children, self.choice) {
            (None, _) => Kind::Segment,
            (Some(_), false) => Kind::Group,
            (Some(_), true) => Kind::Choice,
        }
    }

    /// How a problem names it: `PV1`, `ORDER_OBSERVATION`, or for a choice `one of OBR, RQD`.
    fn label(&self) -> String {
        if !self.choice {
            return self.name.to_owned();
        }
        let names: Vec<&str> = self.children.iter().flatten().map(|c| c.name).collect();
        format!("one of {}", names.join(", "))
    }
}

/// The segments a sequence of elements can start with: each element's, up to the first
/// required one; for a choice, every element's.
fn first_set(children: &[Node], choice: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    for child in children {
        match &child.children {
            None => out.push(child.name),
            Some(_) => out.extend(child.first.iter().copied()),
        }
        if child.min > 0 && !choice {
            break;
        }
    }
    out
}

/// What a structure element is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A segment.
    Segment,
    /// A group of segments and groups.
    Group,
    /// A choice: one of its elements.
    Choice,
}

impl Kind {
    /// `segment`, `group` or `choice`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Segment => "segment",
            Kind::Group => "group",
            Kind::Choice => "choice",
        }
    }
}

/// What did not fit the structure, in message order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required segment, group or choice was not there, before segment `before` (the segment
    /// count at the end of the message).
    Missing {
        /// What is missing.
        kind: Kind,
        /// Its name (`PV1`, `ORDER_OBSERVATION`, `one of OBR, RQD`).
        name: String,
        /// The group it was missing from (`PATIENT_RESULT/ORDER_OBSERVATION`; the structure id
        /// at the top level).
        group: String,
        /// The segment it was expected before.
        before: usize,
    },
    /// Segment `index` is one more of an element than it allows.
    TooMany {
        /// The segment.
        index: usize,
        /// What repeated.
        kind: Kind,
        /// Its name.
        name: String,
        /// How many it allows.
        max: u32,
        /// The group it is in.
        group: String,
    },
    /// The structure has segment `index`, but not at any place ahead.
    OutOfOrder {
        /// The segment.
        index: usize,
    },
    /// The structure does not have segment `index` (Z-segments are allowed anywhere).
    Unexpected {
        /// The segment.
        index: usize,
    },
}

/// One instance of a group a segment is in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupInstance {
    /// The group's name in paths (`ORDER_OBSERVATION`; `INSURANCE2` for a second group of that
    /// name in its parent).
    pub name: String,
    /// Which instance in the enclosing group's instance, from 1.
    pub instance: u32,
}

/// Where a segment is in the tree: the groups around it, outer first (choices, which are not
/// groups, left out), and which repetition of its element in the innermost one it is. A
/// Z-segment the structure does not have is placed in the group instance it comes in, numbered
/// among the segments with its id there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Placement {
    /// The groups around it, outer first; empty at the top level.
    pub groups: Vec<GroupInstance>,
    /// The segment's name in paths: its id (`OBX`), or `PID2` for the second `PID` element of
    /// its group (ADT_A17).
    pub segment: String,
    /// Which repetition of the segment element in its group's instance, from 1 (`NTE[2]`).
    pub repetition: u32,
}

impl fmt::Display for Placement {
    /// `PATIENT_RESULT[1]/ORDER_OBSERVATION[2]/OBX`, `NTE[2]` for a second repetition.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for group in &self.groups {
            write!(f, "{}[{}]/", group.name, group.instance)?;
        }
        f.write_str(&self.segment)?;
        if self.repetition != 1 {
            write!(f, "[{}]", self.repetition)?;
        }
        Ok(())
    }
}

/// Segment ids placed in a tree: each one's placement (`None` where it did not fit), and the
/// problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// One per segment, in order.
    pub placements: Vec<Option<Placement>>,
    /// What did not fit, in message order.
    pub problems: Vec<Problem>,
}

/// A message's segments placed in its structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageTree {
    structure: &'static str,
    placed: Placed,
}

impl MessageTree {
    /// The tree of `message` in its structure in `version`: the one MSH-9.3 names, else the
    /// structure of MSH-9.1 and MSH-9.2 ([`Version::structure_for`]); `None` when neither
    /// names one.
    #[must_use]
    pub fn of(message: &Message<'_>, version: Version) -> Option<MessageTree> {
        let structure = version.structure_of(message)?;
        Some(MessageTree::new(&StructureTree::new(&structure), message))
    }

    /// The tree of `message` in `structure`.
    #[must_use]
    pub fn new(structure: &StructureTree, message: &Message<'_>) -> MessageTree {
        let ids: Vec<String> = message
            .segments()
            .map(|s| String::from_utf8_lossy(s.id()).into_owned())
            .collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        MessageTree {
            structure: structure.id(),
            placed: structure.place(&ids),
        }
    }

    /// The structure's id (`ORU_R01`).
    #[must_use]
    pub fn structure(&self) -> &'static str {
        self.structure
    }

    /// Where each segment of the message is, in order; `None` for one that did not fit.
    #[must_use]
    pub fn placements(&self) -> &[Option<Placement>] {
        &self.placed.placements
    }

    /// What did not fit the structure.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.placed.problems
    }

    /// The segment a group path names, by its index in the message: `PATIENT_RESULT[1]/
    /// ORDER_OBSERVATION[2]/OBX` (a missing `[n]` means 1), or HAPI's
    /// `/PATIENT_RESULT/ORDER_OBSERVATION(1)/OBX` (0-based parentheses).
    ///
    /// # Errors
    /// A path that cannot be read.
    pub fn find(&self, path: &str) -> Result<Option<usize>, GroupPathError> {
        let read = group_path(path)?;
        Ok(self.find_parsed(&read.groups, &read.name, &read.path))
    }

    fn find_parsed(&self, groups: &[(String, u32)], name: &str, segment: &Path) -> Option<usize> {
        self.placements().iter().position(|placement| {
            placement.as_ref().is_some_and(|p| {
                p.segment == name
                    && p.repetition as usize == segment.occurrence()
                    && p.groups.len() == groups.len()
                    && p.groups.iter().zip(groups).all(|(have, (name, instance))| {
                        have.name == *name && have.instance == *instance
                    })
            })
        })
    }

    /// The element a group path names in `message` (the message this tree is of):
    /// `PATIENT_RESULT/ORDER_OBSERVATION[2]/OBX[3]-5.1`, or HAPI's
    /// `/PATIENT_RESULT/ORDER_OBSERVATION(1)/OBX(2)-5-1`.
    ///
    /// # Errors
    /// A path that cannot be read.
    pub fn get<'a>(
        &self,
        message: &Message<'a>,
        path: &str,
    ) -> Result<Option<Element<'a>>, GroupPathError> {
        let read = group_path(path)?;
        let Some(index) = self.find_parsed(&read.groups, &read.name, &read.path) else {
            return Ok(None);
        };
        Ok(message
            .segments()
            .nth(index)
            .and_then(|found| found.get(&read.path)))
    }
}

/// Why a group path could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPathError(String);

impl fmt::Display for GroupPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GroupPathError {}

/// A group path read: the groups with their instances, the segment's name in the innermost
/// (`PID2`), and the rest as a path.
struct GroupPath {
    groups: Vec<(String, u32)>,
    name: String,
    path: Path,
}

/// Reads `GROUP[n]/GROUP[n]/SEG[n]-f.c` (or HAPI's `/GROUP(n0)/SEG(n0)-f-c`): the groups with
/// their 1-based instances, the segment's name in the group (`PID`, `PID2`), and the segment
/// part as a path (its occurrence: the repetition in the group).
fn group_path(text: &str) -> Result<GroupPath, GroupPathError> {
    let error = |why: &str| GroupPathError(format!("'{text}' is not a group path: {why}"));
    let parts: Vec<&str> = text.trim_start_matches('/').split('/').collect();
    let (segment, groups) = parts.split_last().ok_or_else(|| error("it is empty"))?;
    let mut wanted = Vec::with_capacity(groups.len());
    for group in groups {
        let (name, instance) = match group.find(['[', '(']) {
            None => (*group, 1),
            Some(at) => {
                let (close, base) = if group[at..].starts_with('[') {
                    (']', 1)
                } else {
                    (')', 0)
                };
                let number = group[at + 1..]
                    .strip_suffix(close)
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|&n| n >= base)
                    .ok_or_else(|| error(&format!("{group} has no readable instance number")))?;
                (&group[..at], number + 1 - base)
            }
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(error(&format!("'{name}' is not a group name")));
        }
        wanted.push((name.to_owned(), instance));
    }
    // A second element of the same id in the group is `PID2`: the digits after the id.
    let name_end = segment
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(segment.len());
    let name = &segment[..name_end];
    let id_only = if name.len() > 3 && name[3..].bytes().all(|b| b.is_ascii_digit()) {
        format!("{}{}", &name[..3], &segment[name_end..])
    } else {
        (*segment).to_owned()
    };
    // HAPI's segment part is `OBX(2)-5-1`; a path reads it when it starts with `/`.
    let path: Path = if id_only.contains('(') {
        format!("/{id_only}").parse()
    } else {
        id_only.parse()
    }
    .map_err(|e: pipehat::PathError| error(&e.to_string()))?;
    Ok(GroupPath {
        groups: wanted,
        name: name.to_owned(),
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(structure: &str, ids: &str) -> Vec<Problem> {
        let structure = Version::V2_5_1.structure(structure).expect("a structure");
        let ids: Vec<&str> = ids.split_whitespace().collect();
        StructureTree::new(&structure).place(&ids).problems
    }

    fn places(structure: &str, ids: &str) -> Vec<String> {
        let structure = Version::V2_5_1.structure(structure).expect("a structure");
        let ids: Vec<&str> = ids.split_whitespace().collect();
        StructureTree::new(&structure)
            .place(&ids)
            .placements
            .iter()
            .map(|p| p.as_ref().map_or("-".to_owned(), ToString::to_string))
            .collect()
    }

    #[test]
    fn a_well_formed_oru_has_no_problems_and_every_segment_a_place() {
        let ids = "MSH PID PV1 ORC OBR NTE OBX NTE OBX OBR OBX OBX PID OBR OBX";
        assert_eq!(problems("ORU_R01", ids), []);
        assert_eq!(
            places("ORU_R01", ids),
            [
                "MSH",
                "PATIENT_RESULT[1]/PATIENT[1]/PID",
                "PATIENT_RESULT[1]/PATIENT[1]/VISIT[1]/PV1",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[1]/ORC",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[1]/OBR",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[1]/NTE",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[1]/OBSERVATION[1]/OBX",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[1]/OBSERVATION[1]/NTE",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[1]/OBSERVATION[2]/OBX",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[2]/OBR",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[2]/OBSERVATION[1]/OBX",
                "PATIENT_RESULT[1]/ORDER_OBSERVATION[2]/OBSERVATION[2]/OBX",
                "PATIENT_RESULT[2]/PATIENT[1]/PID",
                "PATIENT_RESULT[2]/ORDER_OBSERVATION[1]/OBR",
                "PATIENT_RESULT[2]/ORDER_OBSERVATION[1]/OBSERVATION[1]/OBX",
            ]
        );
    }

    #[test]
    fn segments_that_do_not_fit_have_no_place() {
        assert_eq!(
            places("ADT_A01", "MSH EVN PID NTE NTE PV1 ZPI QRD PV1"),
            ["MSH", "EVN", "PID", "-", "-", "PV1", "ZPI", "-", "-"]
        );
        // Repetitions of a segment element are numbered.
        assert_eq!(
            places("ADT_A01", "MSH EVN PID PV1 AL1 AL1 AL1")[4..],
            ["AL1", "AL1[2]", "AL1[3]"]
        );
    }

    #[test]
    fn reports_missing_required_segments_by_group() {
        // OBX without an OBR: the ORDER_OBSERVATION group cannot start with OBX.
        let found = problems("ORU_R01", "MSH PID OBX");
        assert!(
            found.contains(&Problem::OutOfOrder { index: 2 }),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| matches!(p, Problem::Missing { name, .. } if name == "ORDER_OBSERVATION")),
            "{found:?}"
        );
        assert_eq!(
            problems("ADT_A01", "MSH EVN PID AL1"),
            [Problem::Missing {
                kind: Kind::Segment,
                name: "PV1".into(),
                group: "ADT_A01".into(),
                before: 3
            }]
        );
    }

    #[test]
    fn a_choice_takes_one_of_its_elements_and_is_not_a_group_in_paths() {
        let structure = Version::V2_3.structure("ORM_O01").expect("ORM_O01");
        let tree = StructureTree::new(&structure);
        let placed = tree.place(&["MSH", "PID", "ORC", "OBR", "ORC", "RXO"]);
        assert_eq!(placed.problems, []);
        assert_eq!(
            placed.placements[3]
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("ORDER[1]/ORDER_DETAIL[1]/OBR")
        );
        let found = tree.place(&["MSH", "ORC", "OBR", "RXO"]).problems;
        assert_eq!(
            found,
            [Problem::TooMany {
                index: 3,
                kind: Kind::Choice,
                name: "one of OBR, RQD, RQ1, RXO, ODS, ODT".into(),
                max: 1,
                group: "ORDER/ORDER_DETAIL".into()
            }]
        );
    }

    #[test]
    fn group_paths_name_segments_in_both_syntaxes() {
        let message = Message::parse(
            b"MSH|^~\\&|A|B|||20261122||ORU^R01|1|P|2.5.1\rPID|1\rOBR|1\rOBX|1||||a\rNTE|1||n1\r\
              NTE|2||n2\rOBR|2\rOBX|1||||b\rOBX|2||||c\r",
        )
        .unwrap();
        let tree = MessageTree::of(&message, Version::V2_5_1).unwrap();
        let text = |path: &str| {
            tree.get(&message, path)
                .unwrap()
                .map(|e| e.text().into_owned())
        };
        assert_eq!(
            text("PATIENT_RESULT/ORDER_OBSERVATION[2]/OBSERVATION[2]/OBX-5").as_deref(),
            Some("c")
        );
        assert_eq!(
            text("/PATIENT_RESULT/ORDER_OBSERVATION(1)/OBSERVATION(0)/OBX-5").as_deref(),
            Some("b")
        );
        assert_eq!(
            text("PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION/NTE[2]-3").as_deref(),
            Some("n2")
        );
        assert_eq!(
            text("/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION/NTE(1)-3").as_deref(),
            Some("n2")
        );
        assert_eq!(text("PATIENT_RESULT/ORDER_OBSERVATION[3]/OBR-1"), None);
        assert_eq!(tree.find("PATIENT_RESULT[1]/PATIENT/PID").unwrap(), Some(1));
        // ADT_A17 has PID twice at the top level: the second is PID2, as HAPI names it.
        let swap = Message::parse(
            b"MSH|^~\\&|A|B|||20261122||ADT^A17|1|P|2.5.1\rEVN|A17\rPID|1||7\rPV1|1\rPID|2||8\rPV1|2\r",
        )
        .unwrap();
        let tree = MessageTree::of(&swap, Version::V2_5_1).unwrap();
        assert_eq!(tree.find("PID2").unwrap(), Some(4));
        let second = tree
            .get(&swap, "PID2-3")
            .unwrap()
            .map(|e| e.text().into_owned());
        assert_eq!(second.as_deref(), Some("8"));
        assert!(tree.find("PATIENT_RESULT[0]/OBR").is_err());
        assert!(tree.find("PATIENT RESULT/OBR").is_err());
        assert!(tree.get(&message, "PATIENT_RESULT/OBX-").is_err());
    }
}
