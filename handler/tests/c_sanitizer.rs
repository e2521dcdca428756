//! The kernel's C reply sanitizer (kmod/pgp/pgp_reply.c), built for user
//! space with AddressSanitizer and UBSan, against the Rust validator: for
//! every reply the parser gives over the whole corpus (valid and negative),
//! and for every single-byte alteration of each, both must reach the same
//! verdict and, on rejection, report the same first fault (table, kind, row).

mod common;

use common::{
    build_c_program, meaningful_ranges, negative_corpus, push_base_record, reply_for, run_c_driver,
    valid_corpus,
};
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{Op, Reply};
use zerocopy::IntoBytes;

const SEQ: u32 = 0x0BAD_CAFE;
const FLIPS: [u8; 3] = [0x01, 0x80, 0xFF];

fn rust_verdict(op: Op, payload: &[u8], reply: &Reply) -> String {
    match validate_reply(op, SEQ, payload, reply) {
        Ok(()) => "ok".into(),
        Err(e) => format!(
            "fault {} {} {}",
            e.table as u8,
            e.fault as u8,
            e.row.min(0xFFFF)
        ),
    }
}

#[test]
fn c_sanitizer_agrees_with_rust_validator_on_every_reply_and_alteration() {
    let driver = build_c_program(
        "reply-check",
        &["pgp_reply.c", "user/reply_check_main.c"],
        &[],
    );
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let mut cases = valid_corpus();
    cases.extend(negative_corpus());
    for (path, op) in &cases {
        let payload = std::fs::read(path).expect("read");
        let mut reply = reply_for(*op, SEQ, &payload);
        push_base_record(&mut input, *op, SEQ, &payload, &reply);
        expected.push((path.clone(), rust_verdict(*op, &payload, &reply)));
        for range in meaningful_ranges(&reply) {
            for i in range {
                for flip in FLIPS {
                    input.push(b'P');
                    input.extend_from_slice(&(i as u32).to_ne_bytes());
                    input.push(flip);
                    reply.as_mut_bytes()[i] ^= flip;
                    expected.push((path.clone(), rust_verdict(*op, &payload, &reply)));
                    reply.as_mut_bytes()[i] ^= flip;
                }
            }
        }
    }
    let got = run_c_driver(&driver, &input);
    assert_eq!(got.len(), expected.len(), "one verdict per record");
    let mut disagreements = Vec::new();
    for (i, ((path, want), have)) in expected.iter().zip(&got).enumerate() {
        if want != have {
            disagreements.push(format!(
                "record {i} ({}): rust {want}, C {have}",
                path.display()
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, first: {}",
        disagreements.len(),
        disagreements[..disagreements.len().min(10)].join("\n")
    );
    let accepted = got.iter().filter(|l| **l == "ok").count();
    assert!(
        accepted >= cases.len() - 10,
        "too few accepted base cases: {accepted}"
    );
    assert!(got.len() > 50_000, "only {} records", got.len());
}

/// Short replies (PARSE_SIGNATURE): the C expansion plus check and the Rust
/// `validate_short_reply` agree on every signature of the corpus, on lying
/// counts beyond the short tables, and on junk in unused short rows.
#[test]
fn c_and_rust_agree_on_short_replies() {
    use pgp_umd_proto::validate::validate_short_reply;
    use pgp_umd_proto::ShortReply;
    let driver = build_c_program(
        "reply-check-short",
        &["pgp_reply.c", "user/reply_check_main.c"],
        &[],
    );
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let mut scratch = Box::new(Reply::zeroed());
    let mut cases = valid_corpus();
    cases.extend(negative_corpus());
    for (path, op) in cases.iter().filter(|(_, op)| *op == Op::ParseSignature) {
        let payload = std::fs::read(path).expect("read");
        let full = reply_for(*op, SEQ, &payload);
        let short = ShortReply::from_full(&full).expect("signature replies fit the short form");
        let mut variants = vec![short];
        let mut lying = short;
        lying.header.signature_count = 5;
        variants.push(lying);
        let mut lying = short;
        lying.header.key_count = 1;
        variants.push(lying);
        let mut junk = short;
        junk.subpackets[pgp_umd_proto::SHORT_MAX_SUBPACKETS - 1].type_octet = 2;
        variants.push(junk);
        for v in variants {
            input.push(b'S');
            input.extend_from_slice(&op.raw().to_ne_bytes());
            input.extend_from_slice(&SEQ.to_ne_bytes());
            input.extend_from_slice(&(payload.len() as u32).to_ne_bytes());
            input.extend_from_slice(&payload);
            input.extend_from_slice(v.as_bytes());
            let verdict = match validate_short_reply(*op, SEQ, &payload, &v, &mut scratch) {
                Ok(()) => "ok".to_owned(),
                Err(e) => format!("fault {} {} {}", e.table as u8, e.fault as u8, e.row),
            };
            expected.push(verdict);
        }
    }
    let got = run_c_driver(&driver, &input);
    assert_eq!(got, expected);
    // Each group: the real reply passes, the three lies do not.
    for group in got.chunks(4) {
        assert_eq!(group[0], "ok");
        assert!(group[1..].iter().all(|v| v.starts_with("fault")));
    }
    assert!(got.len() >= 4 * 40);
}
