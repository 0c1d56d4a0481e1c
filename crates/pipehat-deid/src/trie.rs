//! A compact trie of byte strings ([`Trie`]), the scrubber's index of known values.

use crate::fast_map::FastMap;

/// A trie of byte strings, each child list in byte order and in one stretch of `labels` and
/// `targets` (made once from every value, breadth first, with no recursion: a value can be as
/// long as a field).
#[derive(Debug, Default, Clone)]
pub(crate) struct Trie {
    nodes: Vec<TrieNode>,
    labels: Vec<u8>,
    targets: Vec<u32>,
    /// The root's children by byte (0: none): most look-ups start and stop there.
    root: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct TrieNode {
    /// Where its children are in `labels` and `targets`.
    first: u32,
    count: u32,
    /// The replacement of the value ending here (`u32::MAX`: none).
    value: u32,
}

impl Trie {
    pub const ROOT: u32 = 0;

    pub fn new(known: &FastMap<Vec<u8>, u32>) -> Self {
        let mut keys: Vec<(&[u8], u32)> = known.iter().map(|(k, v)| (k.as_slice(), *v)).collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut trie = Trie {
            nodes: vec![TrieNode {
                first: 0,
                count: 0,
                value: u32::MAX,
            }],
            labels: Vec::new(),
            targets: Vec::new(),
            root: vec![0; 256],
        };
        // (node, the keys below it, its depth): every key sharing the node's bytes.
        let mut queue: Vec<(u32, usize, usize, usize)> = vec![(Self::ROOT, 0, keys.len(), 0)];
        let mut next = 0;
        while next < queue.len() {
            let (node, mut lo, hi, depth) = queue[next];
            next += 1;
            if lo < hi && keys[lo].0.len() == depth {
                trie.nodes[node as usize].value = keys[lo].1;
                lo += 1; // keys are distinct: one at most ends here
            }
            let first = trie.labels.len();
            while lo < hi {
                let byte = keys[lo].0[depth];
                let mut end = lo + 1;
                while end < hi && keys[end].0[depth] == byte {
                    end += 1;
                }
                let child = trie.nodes.len() as u32;
                trie.nodes.push(TrieNode {
                    first: 0,
                    count: 0,
                    value: u32::MAX,
                });
                trie.labels.push(byte);
                trie.targets.push(child);
                if node == Self::ROOT {
                    trie.root[usize::from(byte)] = child;
                }
                queue.push((child, lo, end, depth + 1));
                lo = end;
            }
            let entry = &mut trie.nodes[node as usize];
            entry.first = first as u32;
            entry.count = (trie.labels.len() - first) as u32;
        }
        trie
    }

    /// The child of `node` by `byte`.
    #[inline]
    pub fn child(&self, node: u32, byte: u8) -> Option<u32> {
        if node == Self::ROOT {
            return match self.root.get(usize::from(byte)) {
                Some(&child) if child != 0 => Some(child),
                _ => None,
            };
        }
        let entry = self.nodes[node as usize];
        let (first, count) = (entry.first as usize, entry.count as usize);
        let labels = &self.labels[first..first + count];
        let at = if count <= 8 {
            labels.iter().position(|&label| label == byte)?
        } else {
            labels.binary_search(&byte).ok()?
        };
        Some(self.targets[first + at])
    }

    /// The replacement of the value that ends at `node`, if one does.
    #[inline]
    pub fn value(&self, node: u32) -> Option<u32> {
        let value = self.nodes[node as usize].value;
        (value != u32::MAX).then_some(value)
    }
}
