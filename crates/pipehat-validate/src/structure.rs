//! Matching a message's segments against its structure's segments and groups.
//!
//! The matcher walks the segments once with a cursor in the structure tree, the way a receiver
//! reads a message: each segment is placed at the nearest position ahead that accepts it —
//! repeating the current element, moving on to a later one in the current group, entering a
//! group that can start with it, or leaving groups for an enclosing one. What is skipped on the
//! way and was required is reported missing, by group name; a segment no position ahead accepts
//! is reported out of order (the structure has it elsewhere), repeated too often, or unexpected
//! (the structure does not have it; Z-segments are allowed anywhere).

use pipehat_dict::{Structure, StructureElement};

/// A structure element as a tree, built once per structure and version (see
/// [`crate::plan::VersionPlans::structure`]).
#[derive(Debug)]
pub(crate) struct Node {
    pub name: &'static str,
    pub min: u32,
    pub max: Option<u32>,
    /// `None` for a segment.
    pub children: Option<Vec<Node>>,
    /// For a group: the segment ids it can start with.
    first: Vec<&'static str>,
    /// A choice: an instance is exactly one of its children.
    choice: bool,
}

impl Node {
    pub(crate) fn root(structure: &Structure) -> Node {
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
        root
    }

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

    fn kind(&self) -> &'static str {
        match (&self.children, self.choice) {
            (None, _) => "segment",
            (Some(_), false) => "group",
            (Some(_), true) => "choice",
        }
    }

    /// How a finding names it: `PV1`, `ORDER_OBSERVATION`, or for a choice `one of OBR, RQD`.
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

/// What the matcher found wrong, before it becomes a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A required segment or group was not there. `before` is the index of the segment it was
    /// expected before (the segment count at the end).
    Missing {
        kind: &'static str,
        name: String,
        group: String,
        before: usize,
    },
    /// The segment at `index` occurs more often than its element allows.
    TooMany {
        index: usize,
        kind: &'static str,
        name: String,
        max: u32,
        group: String,
    },
    /// The structure has the segment, but not at any position ahead.
    OutOfOrder { index: usize },
    /// The structure does not have the segment.
    Unexpected { index: usize },
}

struct Frame<'s> {
    node: &'s Node,
    /// The child matched last, if any.
    current: Option<usize>,
    /// How many times each child occurred in this instance of the group.
    seen: Vec<u32>,
}

impl<'s> Frame<'s> {
    fn new(node: &'s Node) -> Self {
        let len = node.children.as_ref().map_or(0, Vec::len);
        Frame {
            node,
            current: None,
            seen: vec![0; len],
        }
    }

    fn children(&self) -> &'s [Node] {
        self.node.children.as_deref().unwrap_or(&[])
    }
}

/// Matches segment ids against a structure; returns the problems in message order.
pub(crate) fn check(root: &Node, ids: &[&str]) -> Vec<Problem> {
    let mut matcher = Matcher {
        stack: vec![Frame::new(root)],
        problems: Vec::new(),
    };
    for (index, id) in ids.iter().enumerate() {
        matcher.place(root, index, id);
    }
    while matcher.stack.len() > 1 {
        matcher.close_top(ids.len());
    }
    let top = matcher.stack.pop().expect("the root frame");
    matcher.report_unseen(&top, top.current.map_or(0, |c| c + 1), ids.len());
    matcher.problems
}

struct Matcher<'s> {
    stack: Vec<Frame<'s>>,
    problems: Vec<Problem>,
}

impl<'s> Matcher<'s> {
    /// The group path of the first `depth` frames, without the structure id
    /// (`PATIENT_RESULT/ORDER_OBSERVATION`); the structure id at the top level.
    fn group_name_to(&self, depth: usize) -> String {
        // A choice is not an HL7 group: the path names the groups around it.
        let names: Vec<&str> = self.stack[1..depth]
            .iter()
            .filter(|f| !f.node.choice)
            .map(|f| f.node.name)
            .collect();
        if names.is_empty() {
            self.stack[0].node.name.to_owned()
        } else {
            names.join("/")
        }
    }

    fn place(&mut self, root: &Node, index: usize, id: &str) {
        let mut over_limit: Option<(usize, usize)> = None;
        for level in (0..self.stack.len()).rev() {
            let frame = &self.stack[level];
            let children = frame.children();
            if let Some(k) = frame.current {
                let child = &children[k];
                if child.accepts(id) {
                    if child.max.is_none_or(|max| frame.seen[k] < max) {
                        self.commit(level, k, index, id);
                        return;
                    }
                    over_limit.get_or_insert((level, k));
                }
            }
            // A choice holds one element: once it has one, only that one may repeat.
            let start = match frame.current {
                Some(_) if frame.node.choice => children.len(),
                Some(k) => k + 1,
                None => 0,
            };
            if let Some(j) = (start..children.len()).find(|&j| children[j].accepts(id)) {
                self.commit(level, j, index, id);
                return;
            }
        }
        if let Some((level, k)) = over_limit {
            let node = &self.stack[level].children()[k];
            let problem = Problem::TooMany {
                index,
                kind: node.kind(),
                name: node.label(),
                max: node.max.unwrap_or(0),
                group: self.group_name_to(level + 1),
            };
            self.problems.push(problem);
        } else if root.contains(id) {
            self.problems.push(Problem::OutOfOrder { index });
        } else if !id.starts_with('Z') {
            self.problems.push(Problem::Unexpected { index });
        }
    }

    /// Places the segment at child `j` of the frame at `level`, closing deeper frames.
    fn commit(&mut self, level: usize, j: usize, index: usize, id: &str) {
        while self.stack.len() > level + 1 {
            self.close_top(index);
        }
        let frame = self.stack.last().expect("a frame at `level`");
        let from = frame.current.map_or(0, |k| if k == j { j } else { k + 1 });
        if from < j {
            let top = self.stack.len() - 1;
            self.report_range(top, from, j, index);
        }
        let frame = self.stack.last_mut().expect("a frame at `level`");
        frame.current = Some(j);
        frame.seen[j] += 1;
        let node = &frame.children()[j];
        if node.children.is_some() {
            self.enter(node, id);
        }
    }

    /// Opens a new instance of `group`, descending to the element that starts with `id`.
    fn enter(&mut self, group: &'s Node, id: &str) {
        let mut frame = Frame::new(group);
        let children = frame.children();
        let Some(i) = children.iter().position(|c| c.accepts(id)) else {
            return;
        };
        frame.current = Some(i);
        frame.seen[i] = 1;
        let child = &children[i];
        self.stack.push(frame);
        if child.children.is_some() {
            self.enter(child, id);
        }
    }

    /// Closes the innermost group instance, reporting its required elements that never came.
    fn close_top(&mut self, before: usize) {
        let frame = self.stack.last().expect("a frame to close");
        let from = frame.current.map_or(0, |k| k + 1);
        let top = self.stack.len() - 1;
        self.report_range(top, from, frame.seen.len(), before);
        self.stack.pop();
    }

    fn report_unseen(&mut self, frame: &Frame<'s>, from: usize, before: usize) {
        if frame.node.choice {
            return;
        }
        let group = frame.node.name.to_owned();
        for (i, child) in frame.children().iter().enumerate().skip(from) {
            if child.min > 0 && frame.seen[i] == 0 {
                self.problems.push(Problem::Missing {
                    kind: child.kind(),
                    name: child.label(),
                    group: group.clone(),
                    before,
                });
            }
        }
    }

    /// Reports required children `from..to` of the frame at `level` that were not seen.
    fn report_range(&mut self, level: usize, from: usize, to: usize, before: usize) {
        let frame = &self.stack[level];
        if frame.node.choice {
            return;
        }
        // The group's path, built only if something is missing (seldom).
        let mut group: Option<String> = None;
        let mut missing = Vec::new();
        for i in from..to {
            let child = &frame.children()[i];
            if child.min > 0 && frame.seen[i] == 0 {
                let group = group.get_or_insert_with(|| self.group_name_to(level + 1));
                missing.push(Problem::Missing {
                    kind: child.kind(),
                    name: child.label(),
                    group: group.clone(),
                    before,
                });
            }
        }
        self.problems.extend(missing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipehat_dict::Version;

    fn problems(structure: &str, ids: &str) -> Vec<Problem> {
        let structure = Version::V2_5_1.structure(structure).expect("a structure");
        let root = Node::root(&structure);
        let ids: Vec<&str> = ids.split_whitespace().collect();
        check(&root, &ids)
    }

    #[test]
    fn a_well_formed_oru_has_no_problems() {
        let ids = "MSH PID PV1 ORC OBR NTE OBX NTE OBX OBR OBX OBX PID OBR OBX";
        assert_eq!(problems("ORU_R01", ids), []);
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
        // ADT_A01 without PV1.
        let found = problems("ADT_A01", "MSH EVN PID AL1");
        assert_eq!(
            found,
            [Problem::Missing {
                kind: "segment",
                name: "PV1".into(),
                group: "ADT_A01".into(),
                before: 3
            }]
        );
    }

    #[test]
    fn a_choice_takes_one_of_its_elements() {
        let structure = Version::V2_3.structure("ORM_O01").expect("ORM_O01");
        let root = Node::root(&structure);
        assert_eq!(
            check(&root, &["MSH", "PID", "ORC", "OBR", "ORC", "RXO"]),
            []
        );
        // ORDER_DETAIL without any of its choice: ORC then ORC is fine (the detail is optional),
        // but two choices in one detail are not.
        let found = check(&root, &["MSH", "ORC", "OBR", "RXO"]);
        assert_eq!(
            found,
            [Problem::TooMany {
                index: 3,
                kind: "choice",
                name: "one of OBR, RQD, RQ1, RXO, ODS, ODT".into(),
                max: 1,
                group: "ORDER/ORDER_DETAIL".into()
            }]
        );
    }

    #[test]
    fn reports_unexpected_and_repeated_segments() {
        let found = problems("ADT_A01", "MSH EVN PID PV1 QRD ZPI PV1");
        assert_eq!(
            found,
            [
                Problem::Unexpected { index: 4 },
                Problem::TooMany {
                    index: 6,
                    kind: "segment",
                    name: "PV1".into(),
                    max: 1,
                    group: "ADT_A01".into()
                },
            ]
        );
        // EVN after PID: out of order.
        assert_eq!(
            problems("ADT_A01", "MSH PID EVN PV1")[0],
            Problem::Missing {
                kind: "segment",
                name: "EVN".into(),
                group: "ADT_A01".into(),
                before: 1
            }
        );
    }
}
