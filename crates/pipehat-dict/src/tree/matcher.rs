//! The matcher behind [`super::StructureTree`]: one pass over a message's segment ids with a
//! cursor in the structure tree (a stack of open group instances), placing each segment and
//! reporting what does not fit.

use super::{GroupInstance, Node, Placed, Placement, Problem, path_name};

struct Frame<'s> {
    node: &'s Node,
    /// Which instance of its group this frame is, from 1.
    instance: u32,
    /// The child matched last, if any.
    current: Option<usize>,
    /// How many times each child occurred in this instance of the group.
    seen: Vec<u32>,
    /// Z-segments the structure does not have, by id: how many came in this instance (a map:
    /// a message may have thousands of distinct ids).
    extra: std::collections::HashMap<String, u32>,
}

impl<'s> Frame<'s> {
    fn new(node: &'s Node, instance: u32) -> Self {
        let len = node.children.as_ref().map_or(0, Vec::len);
        Frame {
            node,
            instance,
            current: None,
            seen: vec![0; len],
            extra: std::collections::HashMap::new(),
        }
    }

    fn children(&self) -> &'s [Node] {
        self.node.children.as_deref().unwrap_or(&[])
    }
}

/// The matcher; `RECORD`: whether it records each segment's placement.
pub(super) struct Matcher<'s, const RECORD: bool> {
    stack: Vec<Frame<'s>>,
    problems: Vec<Problem>,
    placements: Vec<Option<Placement>>,
}

impl<'s, const RECORD: bool> Matcher<'s, RECORD> {
    /// Places segment ids in the tree under `root`.
    pub(super) fn run(root: &'s Node, ids: &[&str]) -> Placed {
        let mut matcher = Matcher::<RECORD> {
            stack: vec![Frame::new(root, 1)],
            problems: Vec::new(),
            placements: Vec::with_capacity(if RECORD { ids.len() } else { 0 }),
        };
        for (index, id) in ids.iter().enumerate() {
            matcher.place(root, index, id);
        }
        while matcher.stack.len() > 1 {
            matcher.close_top(ids.len());
        }
        let top = matcher.stack.pop().expect("the root frame");
        matcher.report_range_of(
            &top,
            top.current.map_or(0, |c| c + 1),
            top.seen.len(),
            ids.len(),
        );
        Placed {
            placements: matcher.placements,
            problems: matcher.problems,
        }
    }

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
        if RECORD {
            if over_limit.is_none() && !root.contains(id) && id.starts_with('Z') {
                self.record_extra(id);
            } else {
                self.placements.push(None);
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
        let (node, seen) = (&frame.children()[j], frame.seen[j]);
        if node.children.is_some() {
            self.enter(node, seen, id);
        } else {
            self.record(Some(j), node.name, seen);
        }
    }

    /// Opens instance `instance` of `group`, descending to the element that starts with `id`.
    fn enter(&mut self, group: &'s Node, instance: u32, id: &str) {
        let mut frame = Frame::new(group, instance);
        let children = frame.children();
        let Some(i) = children.iter().position(|c| c.accepts(id)) else {
            // Not reached: a group accepts only what one of its elements starts with.
            if RECORD {
                self.record(None, id_name(group, id), 1);
            }
            return;
        };
        frame.current = Some(i);
        frame.seen[i] = 1;
        let child = &children[i];
        self.stack.push(frame);
        if child.children.is_some() {
            self.enter(child, 1, id);
        } else {
            self.record(Some(i), child.name, 1);
        }
    }

    /// Records where the segment just placed is: the open groups (not choices), and its
    /// repetition in the innermost.
    fn record(&mut self, child: Option<usize>, segment: &str, repetition: u32) {
        if !RECORD {
            return;
        }
        // Each open group is its parent's current child.
        let groups = (1..self.stack.len())
            .filter(|&level| !self.stack[level].node.choice)
            .map(|level| {
                let parent = &self.stack[level - 1];
                GroupInstance {
                    name: parent.current.map_or_else(
                        || self.stack[level].node.name.to_owned(),
                        |k| path_name(parent.children(), k),
                    ),
                    instance: self.stack[level].instance,
                }
            })
            .collect();
        let top = self.stack.last().expect("the root frame");
        self.placements.push(Some(Placement {
            groups,
            segment: child.map_or_else(|| segment.to_owned(), |j| path_name(top.children(), j)),
            repetition,
        }));
    }

    /// Records a Z-segment the structure does not have, in the innermost open group instance.
    fn record_extra(&mut self, id: &str) {
        let frame = self.stack.last_mut().expect("the root frame");
        let count = frame.extra.entry(id.to_owned()).or_insert(0);
        *count += 1;
        let repetition = *count;
        self.record(None, id, repetition);
    }

    /// Closes the innermost group instance, reporting its required elements that never came.
    fn close_top(&mut self, before: usize) {
        let frame = self.stack.last().expect("a frame to close");
        let from = frame.current.map_or(0, |k| k + 1);
        let top = self.stack.len() - 1;
        self.report_range(top, from, frame.seen.len(), before);
        self.stack.pop();
    }

    /// Reports required children `from..to` of the root frame, once popped.
    fn report_range_of(&mut self, frame: &Frame<'s>, from: usize, to: usize, before: usize) {
        if frame.node.choice {
            return;
        }
        let group = frame.node.name.to_owned();
        for i in from..to {
            let child = &frame.children()[i];
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

/// The name a segment is recorded under when a group accepted it but none of its elements
/// does (cannot happen with a group's first set; kept total): the segment id's own name in
/// the group, if any.
fn id_name(group: &Node, id: &str) -> &'static str {
    group
        .children
        .iter()
        .flatten()
        .find(|c| c.contains(id))
        .map_or(group.name, |c| c.name)
}
