//! The two negative classes of the corpus: malformed inputs must give the
//! status testdata/negative/manifest.tsv names (from the RFC 9580 rule each
//! breaks); incomplete but well-formed ones parse, and the map says what is
//! missing. Every refusal is itself a well-formed reply.

mod common;

use common::{negative_manifest, reply_for, testdata};
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{PacketRole, Status};

#[test]
fn every_negative_input_gets_its_defined_status() {
    let rows = negative_manifest();
    let mut failures = Vec::new();
    for row in &rows {
        let payload = std::fs::read(testdata("negative").join(&row.file)).expect("read");
        let reply = reply_for(row.op, 9, &payload);
        if let Err(e) = validate_reply(row.op, 9, &payload, &reply) {
            failures.push(format!("{}: reply fails the validator: {e:?}", row.file));
        }
        let got = reply.status();
        if got != Some(row.expected) {
            failures.push(format!(
                "{}: expected {:?}, got {got:?}",
                row.file, row.expected
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let malformed = rows.iter().filter(|r| r.class == "malformed").count();
    let incomplete = rows.iter().filter(|r| r.class == "incomplete").count();
    assert!(
        malformed >= 40 && incomplete >= 4,
        "{malformed} malformed, {incomplete} incomplete"
    );
    // Every refusal status the parser can give is exercised by some input.
    for status in Status::ALL {
        let parser_status = !matches!(
            status,
            Status::Ok
                | Status::BadMagic
                | Status::BadVersion
                | Status::UnknownOp
                | Status::BadFlags
                | Status::PayloadTooLarge
                | Status::InternalError
        ) && !status.name().starts_with("TOO_MANY");
        if parser_status {
            assert!(
                rows.iter().any(|r| r.expected == *status),
                "no negative input for {}",
                status.name()
            );
        }
    }
}

#[test]
fn incomplete_certificates_parse_and_show_what_is_missing() {
    for row in negative_manifest()
        .iter()
        .filter(|r| r.class == "incomplete")
    {
        let payload = std::fs::read(testdata("negative").join(&row.file)).expect("read");
        let reply = reply_for(row.op, 1, &payload);
        assert_eq!(reply.status(), Some(Status::Ok), "{}", row.file);
        let packets = reply.packets();
        let has = |role: PacketRole| packets.iter().any(|p| p.role == role.raw());
        assert!(has(PacketRole::PrimaryKey), "{}", row.file);
        // Something a complete certificate has is absent: a binding for the
        // last component, or any signature at all.
        let last_component = packets
            .iter()
            .rposition(|p| p.role != PacketRole::Signature.raw())
            .expect("a component");
        let bare_tail = last_component == packets.len() - 1;
        assert!(bare_tail || !has(PacketRole::Signature), "{}", row.file);
    }
}
