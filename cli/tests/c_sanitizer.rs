//! The kernel's C reply sanitizer (kmod/pgp/pgp_reply.c), built for user
//! space with AddressSanitizer and UBSan, against the Rust validator: for
//! every reply the parser gives over the whole corpus (valid and negative),
//! and for every single-byte alteration of each, both must reach the same
//! verdict and, on rejection, report the same first fault (table, kind, row).

mod common;

use common::{
    build_c_program, meaningful_ranges, negative_corpus, push_base_record, push_case, reply_for,
    run_c_driver, valid_corpus,
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
            push_case(&mut input, b'S', *op, SEQ, &payload);
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

/// Packed replies (PARSE_KEY) as the kernel receives them: the C unpacking
/// (over a buffer full of junk, as the kernel's reused work area may be) plus
/// check and the Rust `validate_packed_reply` agree on every key reply of the
/// corpus, on each lie of the lying handler, on counts beyond the tables and
/// on lengths other than the header gives.
#[test]
fn c_and_rust_agree_on_packed_replies() {
    use pgp_umd_proto::validate::validate_packed_reply;
    use pgp_umd_proto::{MAX_PACKETS, REPLY_SIZE};
    use pgp_umd_test_handlers::lies;
    let driver = build_c_program(
        "reply-check-packed",
        &["pgp_reply.c", "user/reply_check_main.c"],
        &[],
    );
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let mut scratch = Box::new(Reply::zeroed());
    let mut packed = Box::new([0u8; REPLY_SIZE]);
    let mut cases = valid_corpus();
    cases.extend(negative_corpus());
    let mut groups = 0;
    for (path, op) in cases.iter().filter(|(_, op)| *op == Op::ParseKey) {
        let payload = std::fs::read(path).expect("read");
        let honest = reply_for(*op, SEQ, &payload);
        let mut variants: Vec<Vec<u8>> = Vec::new();
        let size = honest.write_packed(&mut packed).expect("counts fit");
        let wire = packed[..size].to_vec();
        variants.push(wire.clone());
        let mut short_by_one = wire.clone();
        short_by_one.pop();
        variants.push(short_by_one);
        let mut long_by_one = wire.clone();
        long_by_one.push(0);
        variants.push(long_by_one);
        // One packet row too many, sent in full: the length matches the
        // count, so only the check of the count against its table refuses.
        let mut too_many = honest.header;
        too_many.packet_count = MAX_PACKETS as u16 + 1;
        too_many.key_count = 0;
        too_many.signature_count = 0;
        too_many.subpacket_count = 0;
        let mut bytes = too_many.as_bytes().to_vec();
        for _ in 0..=MAX_PACKETS {
            bytes.extend_from_slice(honest.packets[0].as_bytes());
        }
        variants.push(bytes);
        for seq in 0..lies::LIES.len() as u32 {
            let mut lying = honest.clone();
            lies::tell(seq, &payload, &mut lying);
            let size = lying.write_packed(&mut packed).expect("lies keep counts");
            variants.push(packed[..size].to_vec());
        }
        for v in &variants {
            push_case(&mut input, b'K', *op, SEQ, &payload);
            input.extend_from_slice(&(v.len() as u32).to_ne_bytes());
            input.extend_from_slice(v);
            let verdict = match validate_packed_reply(*op, SEQ, &payload, v, &mut scratch) {
                Ok(()) => "ok".to_owned(),
                Err(e) => format!("fault {} {} {}", e.table as u8, e.fault as u8, e.row),
            };
            expected.push(verdict);
        }
        groups += 1;
        // The honest reply unpacks to exactly the reply the parser made.
        validate_packed_reply(*op, SEQ, &payload, &wire, &mut scratch).ok();
        assert_eq!(scratch.as_bytes(), honest.as_bytes(), "{}", path.display());
    }
    let got = run_c_driver(&driver, &input);
    assert_eq!(got, expected);
    let per_group = 4 + lies::LIES.len();
    for group in got.chunks(per_group) {
        let honest_ok = group[0] == "ok";
        // Wrong lengths and counts are refused whatever the reply says.
        assert!(group[1..4].iter().all(|v| v == "fault 0 3 0"), "{group:?}");
        // An accepted reply stays accepted by no lie, except the skipped
        // self-signature lie: consistent in every row, it is refused by the
        // certificate policy (tests/lies.rs), not by the sanitizer.
        if honest_ok {
            assert!(
                group[4..4 + lies::SKIPPED_SELF_SIGNATURE_LIE]
                    .iter()
                    .all(|v| v.starts_with("fault")),
                "{group:?}"
            );
        }
    }
    assert!(groups >= 40, "only {groups} key replies");
}
