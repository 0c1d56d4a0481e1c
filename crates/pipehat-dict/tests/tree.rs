//! The message tree over every message of the shared corpus: one placement per segment, every
//! placed segment found again by its own group path, and a message with no structure problem
//! has every segment placed.
//!
//! Without the corpus (a user's fresh clone) the test skips loudly; with `CI` set it fails.

use pipehat::File;
use pipehat_dict::{MessageTree, Version};

#[test]
fn every_placed_corpus_segment_is_found_by_its_group_path() {
    let Some(dir) = testkit::corpus_dir() else {
        return;
    };
    let (mut trees, mut placed, mut clean) = (0, 0, 0);
    for path in testkit::message_files(&dir) {
        let input = std::fs::read(&path).expect("a readable corpus file");
        for message in File::parse(&input).messages() {
            let version = Version::of_message(message);
            let Some(tree) = MessageTree::of(message, version) else {
                continue;
            };
            trees += 1;
            let placements = tree.placements();
            assert_eq!(
                placements.len(),
                message.segments().len(),
                "{}",
                path.display()
            );
            for (index, placement) in placements.iter().enumerate() {
                let Some(placement) = placement else { continue };
                placed += 1;
                let place = placement.to_string();
                assert_eq!(
                    tree.find(&place).expect("a readable group path"),
                    Some(index),
                    "{place} in {}",
                    path.display()
                );
                assert_eq!(
                    tree.get(message, &format!("{place}-1"))
                        .expect("a readable path"),
                    message
                        .segments()
                        .nth(index)
                        .and_then(|s| s.field(1))
                        .map(pipehat::Element::Field),
                    "{place}-1 in {}",
                    path.display()
                );
            }
            if tree.problems().is_empty() {
                clean += 1;
                assert!(placements.iter().all(Option::is_some), "{}", path.display());
            }
        }
    }
    assert!(
        trees > 500 && placed > 5_000 && clean > 100,
        "{trees} trees, {placed} placed, {clean} clean"
    );
}
