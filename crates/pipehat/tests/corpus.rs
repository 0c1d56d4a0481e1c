//! Every file of the shared corpus (`../shared/corpus`, real HL7 v2 from public projects) splits
//! into segments losslessly: each segment is the input at its span, spans are in order and never
//! hold a terminator, and the bytes between them are only terminators, blank space, MLLP
//! framing and the leading byte order mark.
//!
//! Without the corpus (a user's fresh clone) the test skips loudly; with `CI` set it fails.

/// The corpus has 1,118 message files (321 originals, 797 derived); fewer means a broken copy.
const MIN_FILES: usize = 1_100;

/// `SOURCES.md` counts 350 + 797 messages, as lines starting with `MSH`: an independent count
/// that the splitter must reproduce.
const LINES_STARTING_MSH: usize = 1_147;

/// Two of those lines are prose in HAPI's `guide.txt` (`MSH MSH:9,12`): a space cannot be a
/// field separator, so they are not MSH segments.
const MSH_SEGMENTS: usize = LINES_STARTING_MSH - 2;

#[test]
fn every_corpus_file_splits_losslessly() {
    let Some(dir) = testkit::corpus_dir() else {
        return;
    };
    let files = testkit::message_files(&dir);
    assert!(
        files.len() >= MIN_FILES,
        "only {} files under {}",
        files.len(),
        dir.display()
    );

    let (mut segments, mut msh_lines, mut headers, mut messages) = (0, 0, 0, 0);
    let (mut file_messages, mut unreadable) = (0, 0);
    let mut codes = std::collections::BTreeMap::<&str, usize>::new();
    for path in &files {
        let input = std::fs::read(path).expect("readable corpus file");
        let name = path.strip_prefix(&dir).unwrap_or(path).display();
        let bom = if input.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let mut covered_to = 0;
        for segment in pipehat::segments(&input) {
            let span = segment.span();
            assert!(span.start >= covered_to, "{name}: span {span:?} overlaps");
            assert_eq!(&input[span.range()], segment.as_bytes(), "{name}: {span:?}");
            assert!(
                !segment
                    .as_bytes()
                    .iter()
                    .any(|b| matches!(b, b'\r' | b'\n')),
                "{name}: terminator inside {span:?}"
            );
            assert_gap_is_blank(&input, covered_to.max(bom), span.start, &name);
            covered_to = span.end;
            segments += 1;
            msh_lines += usize::from(segment.as_bytes().starts_with(b"MSH"));
            headers += usize::from(segment.id() == b"MSH");
            assert_reassembles(&segment, &name);
            if segment.id() == b"MSH" {
                messages += assert_message_parses(&input, &segment, &name);
            }
        }
        assert_gap_is_blank(&input, covered_to.max(bom), input.len(), &name);

        let file = pipehat::File::parse(&input);
        assert_eq!(
            file.rewrite(|_, _| None),
            input,
            "{name}: unchanged rewrite"
        );
        // Through the editable model too: every message re-encodes to its own bytes.
        let through_buf = file.rewrite(|_, message| {
            let buf = pipehat::MessageBuf::parse(message.as_bytes().to_vec()).expect("a message");
            Some(buf.into_bytes())
        });
        assert_eq!(through_buf, input, "{name}: rewrite through MessageBuf");
        let json = serde_json::to_string(&pipehat::json::Lossless(&file)).expect("JSON");
        let back: pipehat::json::LosslessFile = serde_json::from_str(&json).expect("lossless JSON");
        let bytes = pipehat::json::from_lossless(&back).expect("bytes from lossless JSON");
        assert_eq!(bytes, input, "{name}: lossless JSON round trip");
        for message in file.messages() {
            serde_json::to_string(&pipehat::json::Readable(message)).expect("readable JSON");
        }
        for message in file.messages() {
            assert_ack_answers(message, &name);
        }
        file_messages += file.messages().len();
        unreadable += file.unreadable().len();
        let diagnostics = file.messages().iter().flat_map(|m| m.diagnostics());
        for diagnostic in file.diagnostics().iter().chain(diagnostics) {
            *codes.entry(diagnostic.code()).or_default() += 1;
        }
    }
    eprintln!("corpus diagnostics: {codes:?}");
    assert_eq!(file_messages, MSH_SEGMENTS, "messages File::parse finds");
    assert_eq!(
        unreadable,
        LINES_STARTING_MSH - MSH_SEGMENTS,
        "unreadable headers"
    );
    eprintln!(
        "corpus: {} files, {segments} segments, {headers} MSH segments, {messages} messages parsed",
        files.len()
    );
    assert_eq!(msh_lines, LINES_STARTING_MSH, "lines starting with MSH");
    assert_eq!(headers, MSH_SEGMENTS, "MSH segments found in the corpus");
    assert_eq!(messages, MSH_SEGMENTS, "messages parsed");
}

fn assert_gap_is_blank(input: &[u8], from: usize, to: usize, name: &impl std::fmt::Display) {
    let gap = &input[from..to];
    assert!(
        gap.iter()
            .all(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t')),
        "{name}: bytes {from}..{to} lost between segments: {:?}",
        String::from_utf8_lossy(gap)
    );
}

/// The segment is exactly its id and fields joined by the field separator, each field its
/// repetitions joined by the repetition separator, and so on down to subcomponents; every
/// element's span is where its bytes are.
fn assert_reassembles(segment: &pipehat::Segment<'_>, name: &impl std::fmt::Display) {
    let delimiters = segment.delimiters();
    let join = |parts: Vec<&[u8]>, separator: Option<u8>| -> Vec<u8> {
        let mut out = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.extend(separator);
            }
            out.extend_from_slice(part);
        }
        out
    };
    let fields: Vec<_> = segment.fields().collect();
    let mut rebuilt = segment.id().to_vec();
    let ordinary = if segment.is_header() && fields.len() >= 2 {
        rebuilt.extend_from_slice(fields[0].as_bytes());
        rebuilt.extend_from_slice(fields[1].as_bytes());
        &fields[2..]
    } else {
        &fields[..]
    };
    for field in ordinary {
        rebuilt.push(delimiters.field());
        rebuilt.extend_from_slice(field.as_bytes());
    }
    assert_eq!(
        rebuilt,
        segment.as_bytes(),
        "{name}: segment {:?}",
        segment.span()
    );

    for field in ordinary {
        let repetitions: Vec<_> = field.repetitions().collect();
        let parts = repetitions.iter().map(|r| r.as_bytes()).collect();
        assert_eq!(
            join(parts, delimiters.repetition()),
            field.as_bytes(),
            "{name}: {:?}",
            field.span()
        );
        for repetition in &repetitions {
            let components: Vec<_> = repetition.components().collect();
            let parts = components.iter().map(|c| c.as_bytes()).collect();
            assert_eq!(
                join(parts, delimiters.component()),
                repetition.as_bytes(),
                "{name}"
            );
            for component in &components {
                let subcomponents: Vec<_> = component.subcomponents().collect();
                let parts = subcomponents.iter().map(|s| s.as_bytes()).collect();
                assert_eq!(
                    join(parts, delimiters.subcomponent()),
                    component.as_bytes(),
                    "{name}"
                );
                let last = subcomponents.last().expect("at least one subcomponent");
                assert_eq!(last.span().end, component.span().end, "{name}");
                for subcomponent in &subcomponents {
                    assert_pieces_tile(subcomponent, name);
                }
            }
        }
    }
}

/// The message that starts at this MSH parses, starting there, with the same segments as the
/// splitter saw. Returns 1, to count it.
fn assert_message_parses(
    input: &[u8],
    msh: &pipehat::Segment<'_>,
    name: &impl std::fmt::Display,
) -> usize {
    let start = msh.span().start;
    let message = pipehat::Message::parse(&input[start..])
        .unwrap_or_else(|e| panic!("{name}: message at byte {start}: {e}"));
    assert_eq!(message.delimiters(), msh.delimiters(), "{name}");
    let from_message: Vec<_> = message.segments().map(|s| s.as_bytes()).collect();
    let from_splitter: Vec<_> = pipehat::segments(&input[start..])
        .take(from_message.len())
        .map(|s| s.as_bytes())
        .collect();
    assert_eq!(
        from_message, from_splitter,
        "{name}: message at byte {start}"
    );
    1
}

/// The escape pieces of a value cover it exactly, in order, and decoding does not panic.
fn assert_pieces_tile(value: &pipehat::Subcomponent<'_>, name: &impl std::fmt::Display) {
    let mut at = value.span().start;
    for (_, span) in value.escapes() {
        assert_eq!(
            span.start,
            at,
            "{name}: escape pieces of {:?}",
            value.span()
        );
        at = span.end;
    }
    assert_eq!(
        at,
        value.span().end,
        "{name}: escape pieces of {:?}",
        value.span()
    );
    let _ = value.decoded();
}

/// An acknowledgment of the message parses, with the same delimiters, and MSA-2 echoes MSH-10.
fn assert_ack_answers(message: &pipehat::Message<'_>, name: &impl std::fmt::Display) {
    use pipehat::{AckCode, AckError, Acknowledgment, Message};
    let ack = Acknowledgment::new(AckCode::ApplicationError, "ACK1", "20261122")
        .error(AckError::new(207, "corpus check"))
        .build(message);
    let reply = Message::parse(&ack).unwrap_or_else(|e| panic!("{name}: ACK does not parse: {e}"));
    // The original's delimiters, unless its MSH-2 left a role without a clean character:
    // then the recommended set, with the copied values re-encoded (compared as text below).
    if reply.delimiters() != message.delimiters() {
        let unclean = message.diagnostics().iter().any(|d| {
            d.code().starts_with("delimiters.") && d.code() != "delimiters.unusual-field-separator"
        });
        assert!(unclean, "{name}: clean delimiters changed in the ACK");
        assert_eq!(reply.delimiters(), pipehat::Delimiters::default(), "{name}");
    }
    let field = |m: &Message<'_>, id: &[u8], n| {
        m.segment(id)
            .and_then(|s| s.field(n))
            .map(|f| f.text().into_owned())
    };
    let control_id = field(message, b"MSH", 10).unwrap_or_default();
    assert_eq!(
        field(&reply, b"MSA", 2).unwrap_or_default(),
        control_id,
        "{name}: MSA-2"
    );
    assert_eq!(
        field(&reply, b"MSH", 3).unwrap_or_default(),
        field(message, b"MSH", 5).unwrap_or_default(),
        "{name}: MSH-3"
    );
}
