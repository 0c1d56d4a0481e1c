//! Spot checks of the generated dictionary against a second source.
//!
//! Every expected value here was read from a source the generator does not take that fact from
//! (never from the generator's output): the HL7 v2 standard's chapters and tables as published
//! by HL7 International ("std"), npm `hl7-dictionary@1.0.1` ("hd", for facts the generator takes
//! from hl7types), and redox's v2.5 event map, npm `@redoxengine/redox-hl7-v2@1.0.1` ("redox").

use pipehat_dict::{Usage, Version};

fn field(version: Version, segment: &str, position: usize) -> pipehat_dict::ElementDef<'static> {
    version
        .field(segment, position)
        .unwrap_or_else(|| panic!("{version} {segment}-{position} is not in the dictionary"))
}

#[test]
fn pid_7_is_ts_until_2_5_1_and_dtm_from_2_6() {
    // hd: 2.1 DT "Date of birth"; 2.3–2.5 TS; 2.6, 2.7 DTM. std: 2.8 DTM.
    assert_eq!(field(Version::V2_1, "PID", 7).data_type, "DT");
    assert_eq!(field(Version::V2_3, "PID", 7).data_type, "TS");
    assert_eq!(field(Version::V2_5_1, "PID", 7).data_type, "TS");
    assert_eq!(field(Version::V2_6, "PID", 7).data_type, "DTM");
    assert_eq!(field(Version::V2_8, "PID", 7).data_type, "DTM");
    assert_eq!(field(Version::V2_5, "PID", 7).name, "Date/Time of Birth");
    // hd: length 26 in 2.5, 24 in 2.6.
    assert_eq!(field(Version::V2_5, "PID", 7).max_length, Some(26));
}

#[test]
fn msh_21_appears_in_2_4() {
    // hd: MSH has 20 fields in 2.3.1; MSH-21 exists from 2.4 (Conformance Statement ID), and is
    // Message Profile Identifier (EI) from 2.5.
    assert!(Version::V2_3_1.field("MSH", 21).is_none());
    assert!(Version::V2_3_1.field("MSH", 20).is_some());
    assert!(Version::V2_4.field("MSH", 21).is_some());
    let profile = field(Version::V2_5, "MSH", 21);
    assert_eq!(
        (profile.name, profile.data_type),
        ("Message Profile Identifier", "EI")
    );
    assert_eq!(profile.max_repetitions, None);
    // hd: MSH has 14 fields in 2.1.
    assert_eq!(
        Version::V2_1.segment("MSH").map(|s| s.field_count()),
        Some(14)
    );
}

#[test]
fn msh_header_fields() {
    // hd 2.5: MSH-1 Field Separator ST R len 1; MSH-9 Message Type MSG R; MSH-10 Message Control
    // ID ST R len 20.
    let separator = field(Version::V2_5, "MSH", 1);
    assert_eq!(
        (separator.name, separator.data_type),
        ("Field Separator", "ST")
    );
    assert_eq!(separator.usage, Usage::Required);
    assert_eq!(separator.max_length, Some(1));
    let message_type = field(Version::V2_5_1, "MSH", 9);
    assert_eq!(
        (message_type.name, message_type.data_type),
        ("Message Type", "MSG")
    );
    assert_eq!(message_type.usage, Usage::Required);
    let control_id = field(Version::V2_5, "MSH", 10);
    assert_eq!(
        (control_id.name, control_id.max_length),
        ("Message Control ID", Some(20))
    );
}

#[test]
fn pid_identifiers_and_names() {
    // hd 2.5: PID-3 Patient Identifier List CX R repeating; PID-5 Patient Name XPN R repeating.
    let ids = field(Version::V2_5_1, "PID", 3);
    assert_eq!((ids.name, ids.data_type), ("Patient Identifier List", "CX"));
    assert_eq!((ids.usage, ids.max_repetitions), (Usage::Required, None));
    let name = field(Version::V2_5_1, "PID", 5);
    assert_eq!((name.name, name.data_type), ("Patient Name", "XPN"));
    assert_eq!((name.usage, name.max_repetitions), (Usage::Required, None));
    // hd 2.1: PID-13 Phone number - home, TN, up to 3 repetitions (the standard's "Y/3").
    let phone = field(Version::V2_1, "PID", 13);
    assert_eq!((phone.data_type, phone.max_repetitions), ("TN", Some(3)));
}

#[test]
fn administrative_sex_and_its_table() {
    // hd 2.5: PID-8 Administrative Sex IS, table 1. std 2.8: CWE.
    let sex = field(Version::V2_5_1, "PID", 8);
    assert_eq!(
        (sex.name, sex.data_type, sex.table),
        ("Administrative Sex", "IS", Some(1))
    );
    assert_eq!(field(Version::V2_8, "PID", 8).data_type, "CWE");
    // std 2.5.1 table 0001: A Ambiguous, F Female, M Male, N Not applicable, O Other, U Unknown.
    let table = Version::V2_5_1.table(1).expect("table 0001");
    assert_eq!(table.name, "Administrative Sex");
    let codes: Vec<_> = table.codes().map(|c| c.value).collect();
    assert_eq!(codes, ["A", "F", "M", "N", "O", "U"]);
    assert_eq!(table.code("F").and_then(|c| c.description), Some("Female"));
    assert_eq!(table.code("X"), None);
}

#[test]
fn patient_class_and_event_type() {
    // hd 2.5: PV1-2 Patient Class IS R table 4; EVN-1 Event Type Code ID table 3.
    let class = field(Version::V2_5, "PV1", 2);
    assert_eq!(
        (class.name, class.data_type, class.table),
        ("Patient Class", "IS", Some(4))
    );
    assert_eq!(class.usage, Usage::Required);
    let event = field(Version::V2_5, "EVN", 1);
    assert_eq!(
        (event.name, event.data_type, event.table),
        ("Event Type Code", "ID", Some(3))
    );
    // std 2.5 table 0003 lists A04 (ADT/ACK - Register a patient).
    assert!(Version::V2_5.table(3).and_then(|t| t.code("A04")).is_some());
}

#[test]
fn observation_value_varies() {
    // hd 2.5: OBX-5 Observation Value, type VARIES, repeating; NTE-3 Comment FT repeating.
    let value = field(Version::V2_5_1, "OBX", 5);
    assert_eq!(
        (value.name, value.data_type),
        ("Observation Value", "varies")
    );
    assert_eq!(value.max_repetitions, None);
    let comment = field(Version::V2_5, "NTE", 3);
    assert_eq!(
        (comment.name, comment.data_type, comment.max_repetitions),
        ("Comment", "FT", None)
    );
    // std 2.5 table 0125 (Value Type) lists ST, NM, CWE… and the field that names it is OBX-2.
    assert_eq!(field(Version::V2_5, "OBX", 2).table, Some(125));
}

#[test]
fn data_type_components() {
    // hd 2.5: XPN "Extended Person Name" component 1 Family Name (FN), FN.1 Surname (ST);
    // XAD "Extended Address" component 5 Zip or Postal Code (ST); TS.1 Time (DTM), TS.2
    // Degree of Precision (ID, table 529).
    let xpn = Version::V2_5.data_type("XPN").expect("XPN");
    assert_eq!(xpn.name, "Extended Person Name");
    let family = xpn.component(1).expect("XPN.1");
    assert_eq!((family.name, family.data_type), ("Family Name", "FN"));
    let surname = Version::V2_5.data_type("FN").and_then(|t| t.component(1));
    assert_eq!(
        surname.map(|c| (c.name, c.data_type)),
        Some(("Surname", "ST"))
    );
    let xad = Version::V2_5.data_type("XAD").expect("XAD");
    assert_eq!(xad.name, "Extended Address");
    assert_eq!(xad.component(5).map(|c| c.name), Some("Zip or Postal Code"));
    let ts = Version::V2_5.data_type("TS").expect("TS");
    assert_eq!(ts.component(1).map(|c| c.data_type), Some("DTM"));
    let precision = ts.component(2).expect("TS.2");
    assert_eq!(
        (precision.name, precision.table),
        ("Degree of Precision", Some(529))
    );
    // std: ST and DTM are primitive.
    assert!(
        Version::V2_5
            .data_type("ST")
            .is_some_and(|t| t.is_primitive())
    );
    assert!(
        Version::V2_8
            .data_type("DTM")
            .is_some_and(|t| t.is_primitive())
    );
}

#[test]
fn trigger_events_map_to_structures() {
    // redox (v2.5): ADT^A04, ADT^A08 → ADT_A01; ADT^A28 → ADT_A05; ADT^A40 → ADT_A39;
    // SIU^S12 → SIU_S12; VXU^V04 → VXU_V04; OML^O21 → OML_O21; MFK^M02 → MFK_M01;
    // QBP^Q22 → QBP_Q21.
    let cases = [
        ("ADT", "A04", "ADT_A01"),
        ("ADT", "A08", "ADT_A01"),
        ("ADT", "A28", "ADT_A05"),
        ("ADT", "A40", "ADT_A39"),
        ("SIU", "S12", "SIU_S12"),
        ("VXU", "V04", "VXU_V04"),
        ("OML", "O21", "OML_O21"),
        ("MFK", "M02", "MFK_M01"),
        ("QBP", "Q22", "QBP_Q21"),
    ];
    for (message_type, event, structure) in cases {
        for version in [Version::V2_5, Version::V2_5_1] {
            let found = version.structure_for(message_type, event).map(|s| s.id);
            assert_eq!(found, Some(structure), "{version} {message_type}^{event}");
        }
    }
    // std (table 0354): ADT^A04 uses ADT_A01 in every version from 2.3.1 to 2.8.2.
    for version in &Version::ALL[3..] {
        assert_eq!(
            version.structure_for("ADT", "A04").map(|s| s.id),
            Some("ADT_A01"),
            "{version}"
        );
    }
    // An acknowledgment of any event uses ACK.
    assert_eq!(
        Version::V2_5_1.structure_for("ACK", "A01").map(|s| s.id),
        Some("ACK")
    );
    // hd: ORM_O01 is in 2.6 and gone in 2.7 (ORM was replaced by OMG/OML).
    assert!(Version::V2_6.structure("ORM_O01").is_some());
    assert!(Version::V2_7.structure("ORM_O01").is_none());
}

#[test]
fn oru_r01_nests_its_groups() {
    // std 2.5.1 §7.3.1: ORU_R01 = MSH [{SFT}] {PATIENT_RESULT} [DSC]; PATIENT_RESULT =
    // [PATIENT] {ORDER_OBSERVATION}; ORDER_OBSERVATION = [ORC] OBR [{NTE}] [TIMING_QTY]
    // [CTD] [{OBSERVATION}] [{FT1}] [{CTI}] [{SPECIMEN}]; OBSERVATION = OBX [{NTE}].
    let oru = Version::V2_5_1.structure("ORU_R01").expect("ORU_R01");
    let top: Vec<_> = oru.elements().map(|e| (e.name, e.min, e.max)).collect();
    assert_eq!(
        top,
        [
            ("MSH", 1, Some(1)),
            ("SFT", 0, None),
            ("PATIENT_RESULT", 1, None),
            ("DSC", 0, Some(1))
        ]
    );
    let result = oru.elements().nth(2).expect("PATIENT_RESULT");
    assert!(result.is_group());
    let order = result
        .children()
        .find(|e| e.name == "ORDER_OBSERVATION")
        .expect("ORDER_OBSERVATION");
    let names: Vec<_> = order.children().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            "ORC",
            "OBR",
            "NTE",
            "TIMING_QTY",
            "CTD",
            "OBSERVATION",
            "FT1",
            "CTI",
            "SPECIMEN"
        ]
    );
    let observation = order
        .children()
        .find(|e| e.name == "OBSERVATION")
        .expect("OBSERVATION");
    assert_eq!((observation.min, observation.max), (0, None));
    let obx = observation.children().next().expect("OBX");
    assert_eq!(
        (obx.name, obx.min, obx.max, obx.is_group()),
        ("OBX", 1, Some(1), false)
    );
}

#[test]
fn adt_a01_keeps_both_rol_positions() {
    // std 2.5.1 §3.3.1: ADT_A01 has ROL after PD1 and again after PV2.
    let adt = Version::V2_5_1.structure("ADT_A01").expect("ADT_A01");
    let segments: Vec<_> = adt.elements().map(|e| e.name).collect();
    assert_eq!(&segments[..5], ["MSH", "SFT", "EVN", "PID", "PD1"]);
    assert_eq!(segments.iter().filter(|s| **s == "ROL").count(), 2);
    // std 2.5 §2.14.1: ACK = MSH [{SFT}] MSA [{ERR}].
    let ack = Version::V2_5.structure("ACK").expect("ACK");
    let segments: Vec<_> = ack.elements().map(|e| (e.name, e.min, e.max)).collect();
    assert_eq!(
        segments,
        [
            ("MSH", 1, Some(1)),
            ("SFT", 0, None),
            ("MSA", 1, Some(1)),
            ("ERR", 0, None)
        ]
    );
}

#[test]
fn names_for_paths() {
    // hd 2.5: PID-11 Patient Address (XAD), XAD.5 Zip or Postal Code (ST); PID-5 XPN, XPN.1
    // Family Name (FN), FN.1 Surname.
    let describe = |version: Version, path: &str| {
        let path: pipehat::Path = path.parse().expect("a path");
        version.describe(&path)
    };
    let zip = describe(Version::V2_5_1, "PID-11[1].5");
    assert_eq!(zip.label(), "Patient Address / Zip or Postal Code");
    assert_eq!(zip.data_type(), Some("ST"));
    assert_eq!(
        describe(Version::V2_5, "PID-5.1.1").label(),
        "Patient Name / Family Name / Surname"
    );
    assert_eq!(
        describe(Version::V2_5_1, "PID-7").to_string(),
        "PID-7 Date/Time of Birth (TS)"
    );
    assert_eq!(
        describe(Version::V2_5_1, "PID").label(),
        "Patient Identification"
    );
    assert_eq!(describe(Version::V2_5_1, "PID-8").table(), Some(1));
    // Unknown segments and components past the type's end are not described.
    assert_eq!(describe(Version::V2_5_1, "ZPI-1").label(), "");
    assert!(describe(Version::V2_5_1, "PID-11.99").component.is_none());
}

#[test]
fn every_version_is_complete_enough() {
    // std: every version defines MSH, and from 2.3 PID, PV1, OBR and OBX.
    for version in Version::ALL {
        let msh = version.segment("MSH").expect("MSH");
        assert!(
            msh.name.to_lowercase().starts_with("message header"),
            "{version}"
        );
        assert!(version.segments().len() >= 30, "{version}");
        assert!(version.events().len() >= 30, "{version}");
        for segment in version.segments() {
            for field in segment.fields() {
                assert!(
                    !field.name.is_empty(),
                    "{version} {}-{} has no name",
                    segment.id,
                    field.position
                );
            }
        }
    }
    for version in &Version::ALL[2..] {
        for id in ["PID", "PV1", "OBR", "OBX"] {
            assert!(version.segment(id).is_some(), "{version} {id}");
        }
    }
    // Tables with codes exist from 2.3.1 (the sources list none before).
    assert!(Version::V2_3.table(1).is_some_and(|t| !t.has_codes()));
    assert!(Version::V2_3_1.table(1).is_some_and(|t| t.has_codes()));
}

#[test]
fn readable_json_names_what_the_message_holds() {
    // hd 2.5: PID-5 Patient Name (XPN), XPN.1 Family Name (FN), FN.1 Surname, XPN.2 Given Name.
    let message = pipehat::Message::parse(
        b"MSH|^~\\&|LAB||||||ADT^A04|1|P|2.5\rPID|1||||DOE&VAN^JOHN\rZPI|1\r",
    )
    .expect("a message");
    let json = serde_json::to_value(pipehat::json::Named(&message, &Version::V2_5)).expect("json");
    let pid = &json["segments"][1];
    assert_eq!(pid["name"], "Patient Identification");
    assert_eq!(
        pid["names"],
        serde_json::json!({
            "1": "Set ID - PID",
            "5": "Patient Name",
            "5.1": "Family Name",
            "5.1.1": "Surname",
            "5.1.2": "Own Surname Prefix",
            "5.2": "Given Name"
        })
    );
    let zpi = &json["segments"][2];
    assert_eq!(
        (zpi["name"].is_null(), zpi["names"].clone()),
        (true, serde_json::json!({}))
    );
}

mod never_panics {
    use proptest::prelude::*;

    use pipehat_dict::Version;

    proptest! {
        /// MSH-12 as anyone writes it: resolution never panics, and a result is always a
        /// version the dictionary has.
        #[test]
        fn resolving_any_text(text in ".{0,24}", digits in "[0-9.^&v ]{0,16}") {
            for input in [&text, &digits] {
                if let Some(resolution) = Version::resolve(input) {
                    prop_assert!(Version::ALL.contains(&resolution.version));
                }
            }
        }

        /// Any path the parser accepts can be described in every version.
        #[test]
        fn describing_any_path(segment in "[A-Z][A-Z0-9]{2}", numbers in proptest::collection::vec(1usize..40, 0..4)) {
            let mut text = segment;
            let parts = ["-", ".", "."];
            for (part, n) in parts.iter().zip(&numbers) {
                text.push_str(&format!("{part}{n}"));
            }
            if let Ok(path) = text.parse::<pipehat::Path>() {
                for version in Version::ALL {
                    let description = version.describe(&path);
                    let _ = (description.label(), description.to_string());
                }
            }
        }
    }
}

#[test]
fn tables_know_patterns_and_user_defined_ones() {
    // std 2.5 table 0396 lists "HL7nnnn" (HL7 table nnnn) as a pattern.
    let systems = Version::V2_5.table(396).expect("table 0396");
    assert!(systems.contains("LN") && systems.contains("HL70005"));
    assert!(!systems.contains("HL7005") && !systems.contains("XYZZY"));
    // std: 0001 (Administrative Sex) is user-defined in 2.5 (PID-8 is IS); 0125 (Value Type) and
    // 0136 (Yes/No) are HL7-defined.
    assert!(Version::V2_5.table(1).is_some_and(|t| t.is_user_defined()));
    assert!(
        Version::V2_5
            .table(125)
            .is_some_and(|t| !t.is_user_defined())
    );
    assert!(
        Version::V2_5
            .table(136)
            .is_some_and(|t| !t.is_user_defined())
    );
}

#[test]
fn choice_groups_and_added_fields() {
    // std 2.3 §4.4.1: ORM_O01's order detail is one of OBR, RQD, RQ1, RXO, ODS, ODT.
    let orm = Version::V2_3.structure("ORM_O01").expect("ORM_O01");
    fn find(
        elements: Vec<pipehat_dict::StructureElement>,
    ) -> Option<pipehat_dict::StructureElement> {
        elements.into_iter().find_map(|e| {
            if e.is_choice() {
                Some(e)
            } else {
                find(e.children().collect())
            }
        })
    }
    let choice = find(orm.elements().collect()).expect("a choice");
    let names: Vec<_> = choice.children().map(|e| e.name).collect();
    assert_eq!(names, ["OBR", "RQD", "RQ1", "RXO", "ODS", "ODT"]);
    // std 2.5.1 §7.4.2: OBX has 25 fields; OBX-23 Performing Organization Name (XON).
    let obx = Version::V2_5_1.segment("OBX").expect("OBX");
    assert_eq!(obx.field_count(), 25);
    let performing = obx.field(23).expect("OBX-23");
    assert_eq!(
        (performing.name, performing.data_type),
        ("Performing Organization Name", "XON")
    );
    // std 2.8: EVN-1 (Event Type Code) is withdrawn; EVN-2 Recorded Date/Time is DTM.
    let evn1 = field(Version::V2_8, "EVN", 1);
    assert_ne!(evn1.data_type, "DTM");
    assert_eq!(field(Version::V2_8, "EVN", 2).data_type, "DTM");
}
