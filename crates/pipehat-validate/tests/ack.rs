//! A report becomes an acknowledgment: MSA-1 by the findings (AE for errors, AR for an
//! unsupported version or message type, else AA) and one ERR per finding, in the form of the
//! message's version, built by the parser's ACK support.

use pipehat::{Acknowledgment, Message};
use pipehat_validate::{Options, validate};

fn ack_for(input: &[u8]) -> (Vec<u8>, usize) {
    let message = Message::parse(input).expect("a message");
    let report = validate(&message, &Options::default());
    let mut ack = Acknowledgment::new(report.ack_code(), "ACK1", "20261122090000");
    for error in report.ack_errors() {
        ack = ack.error(error);
    }
    (ack.build(&message), report.findings.len())
}

#[test]
fn errors_become_err_segments_with_code_severity_and_location() {
    let input = b"MSH|^~\\&|REG|HOSP|EHR|HOSP|20261122083000||ADT^A04|MSG1|P|2.5.1\r\
                  EVN|A04|20261122083000\rPID|1||||DOE^JANE||19800230\rPV1|1|O\r";
    let (ack, findings) = ack_for(input);
    assert_eq!(findings, 2, "PID-3 required and PID-7 not a date");
    let ack = Message::parse(&ack).expect("the ACK parses");
    let get = |path: &str| {
        ack.get(&path.parse().expect("a path"))
            .map(|e| e.text().into_owned())
            .unwrap_or_default()
    };
    assert_eq!(get("MSA-1"), "AE");
    assert_eq!(get("MSA-2"), "MSG1");
    let errs: Vec<_> = ack.segments().filter(|s| s.id() == b"ERR").collect();
    assert_eq!(errs.len(), 2);
    // v2.5: ERR-2 location (ERL), ERR-3 code (table 0357), ERR-4 severity (table 0516).
    assert_eq!(get("ERR-2.1"), "PID");
    assert_eq!(get("ERR-2.3"), "3");
    assert_eq!(get("ERR-3.1"), "101");
    assert_eq!(get("ERR-4"), "E");
    assert_eq!(get("ERR[2]-2.3"), "7");
    assert_eq!(get("ERR[2]-3.1"), "102");
    // ERR-7 Diagnostic Information: the finding's message.
    assert!(
        get("ERR[2]-7").starts_with("PID-7 Date/Time of Birth: '19800230' is not a valid date")
    );
}

#[test]
fn an_unsupported_version_is_a_reject_and_a_clean_message_an_accept() {
    let (ack, _) = ack_for(b"MSH|^~\\&|A|B|C|D|20261122||XYZ^A01|M2|P|2.5.1\r");
    let ack = Message::parse(&ack).expect("the ACK parses");
    assert_eq!(
        ack.get(&"MSA-1".parse().expect("a path"))
            .map(|e| e.text().into_owned())
            .as_deref(),
        Some("AR")
    );

    let (ack, findings) = ack_for(
        b"MSH|^~\\&|REG|HOSP|EHR|HOSP|20261122083000||ADT^A04|MSG3|P|2.5.1\r\
          EVN|A04|20261122083000\rPID|1||1^^^H^MR||DOE^JANE\rPV1|1|O\r",
    );
    assert_eq!(findings, 0);
    let ack = Message::parse(&ack).expect("the ACK parses");
    assert_eq!(
        ack.get(&"MSA-1".parse().expect("a path"))
            .map(|e| e.text().into_owned())
            .as_deref(),
        Some("AA")
    );
    assert!(ack.segments().all(|s| s.id() != b"ERR"));
}
