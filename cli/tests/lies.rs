//! Every lie of the test-only lying handler is caught by the reply
//! validator (the rules the kernel applies), on every corpus input: so the
//! VM test that runs the lying handler can expect every request to fail.
//! The lies in short PARSE_SIGNATURE replies are also run through the
//! kernel's C sanitizer (kmod/pgp/pgp_reply.c, the path of
//! `pgp_umd_request()`: short-reply expansion, then the checks), which must
//! refuse each with the same fault; the sequence-number lie with the echo
//! fault (the kernel's `-EPROTO` after its retry), every other one with
//! another fault (`-EBADMSG`).

mod common;

use common::{build_c_program, negative_corpus, push_case, reply_for, run_c_driver, valid_corpus};
use pgp_umd_cli::fingerprint::Fingerprint;
use pgp_umd_proto::skip::{walk_run, Hint};
use pgp_umd_proto::validate::{
    validate_packed_reply, validate_reply, validate_short_reply, Check, Fault, Table,
};
use pgp_umd_proto::{Op, PacketRole, Reply, ShortReply, REPLY_SIZE};
use pgp_umd_test_handlers::lies::{tell, tell_signature, LIES, SIG_LIES, SIG_LIE_SEQ};
use zerocopy::IntoBytes;

/// Validates `reply` in the form the handler sends it: packed for
/// PARSE_KEY, so a lie in a row past the counts (which is never sent) does
/// not count as told.
fn validate_as_sent(op: Op, seq: u32, payload: &[u8], reply: &Reply) -> Check {
    if op != Op::ParseKey {
        return validate_reply(op, seq, payload, reply);
    }
    let mut packed = Box::new([0u8; REPLY_SIZE]);
    let size = reply.write_packed(&mut packed).expect("lies keep counts");
    validate_packed_reply(
        op,
        seq,
        payload,
        &packed[..size],
        &mut Box::new(Reply::zeroed()),
    )
}

/// The rule of `pgp_cert_check_skipped()` in kmod/pgp/pgp_cert.c: some issuer hint
/// in a skipped run names the primary key.
fn skips_a_signature_by_the_primary_key(payload: &[u8], reply: &Reply) -> bool {
    let packets = reply.packets();
    let Some(primary) = packets
        .first()
        .and_then(|p| p.whole.slice(payload))
        .and_then(|whole| whole.get(usize::from(packets[0].header_len)..))
        .and_then(Fingerprint::of_key_body)
    else {
        return false;
    };
    let mut named = false;
    let mut component = None;
    for p in packets {
        if p.role != PacketRole::Skipped.raw() {
            if p.role != PacketRole::Signature.raw() && p.role != PacketRole::Ignored.raw() {
                component = PacketRole::from_raw(p.role);
            }
            continue;
        }
        let run = p.whole.slice(payload).expect("a validated range");
        let walked = walk_run(run, component, &mut |hint| {
            named |= match hint {
                Hint::KeyId(id) => id == primary.key_id(),
                Hint::Fingerprint(f) => f == primary.as_bytes(),
            }
        });
        assert!(walked.is_ok(), "the validator walked this run");
    }
    named
}

#[test]
fn every_lie_is_rejected_on_every_input() {
    let mut cases = valid_corpus();
    cases.extend(negative_corpus());
    let mut told = vec![0usize; LIES.len()];
    for (path, op) in cases {
        let payload = std::fs::read(&path).expect("read");
        for seq in 0..LIES.len() as u32 {
            let mut reply = reply_for(op, seq, &payload);
            let lie = tell(seq, &payload, &mut reply);
            let index = LIES.iter().position(|l| *l == lie).expect("a listed lie");
            told[index] += 1;
            // The skipped self-signature lie is consistent in every row:
            // the kernel refuses it in the certificate policy, where the
            // primary key's fingerprint is known (pgp_cert_fingerprints()).
            assert!(
                validate_as_sent(op, seq, &payload, &reply).is_err()
                    || skips_a_signature_by_the_primary_key(&payload, &reply),
                "{}: lie '{lie}' accepted",
                path.display()
            );
        }
    }
    assert!(
        told.iter().all(|&n| n > 50),
        "some lie was hardly told: {told:?}"
    );
}

#[test]
fn every_signature_lie_is_rejected_by_the_validator_and_the_c_sanitizer() {
    const SEQ: u32 = 0x5167_0001;
    let mut cases: Vec<_> = valid_corpus()
        .into_iter()
        .filter(|(_, op)| *op == Op::ParseSignature)
        .collect();
    let valid = cases.len();
    cases.extend(
        negative_corpus()
            .into_iter()
            .filter(|(_, op)| *op == Op::ParseSignature),
    );
    assert!(valid > 40 && cases.len() > valid, "corpus: {}", cases.len());
    let driver = build_c_program(
        "reply-check-lies",
        &["pgp_reply.c", "user/reply_check_main.c"],
        &[],
    );
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let mut told = vec![0usize; SIG_LIES.len()];
    let mut scratch = Box::new(Reply::zeroed());
    for (path, op) in &cases {
        let payload = std::fs::read(path).expect("read");
        for lie in 0..SIG_LIES.len() {
            let mut reply = reply_for(*op, SEQ, &payload);
            let name = tell_signature(lie, &mut reply);
            let index = SIG_LIES.iter().position(|l| *l == name).expect("listed");
            told[index] += 1;
            let what = format!("{}: lie '{name}'", path.display());
            // What the handler sends: the short form of the lying reply.
            let short = ShortReply::from_full(&reply).expect("fits the short reply");
            let fault = validate_short_reply(*op, SEQ, &payload, &short, &mut scratch)
                .expect_err(&format!("{what} accepted"));
            let echo = fault.table == Table::Header && fault.fault == Fault::BadEcho;
            assert_eq!(
                echo,
                index == SIG_LIE_SEQ,
                "{what}: fault {fault:?} (the echo fault is for the sequence lie only)"
            );
            push_case(&mut input, b'S', *op, SEQ, &payload);
            input.extend_from_slice(short.as_bytes());
            expected.push((
                what,
                format!(
                    "fault {} {} {}",
                    fault.table as u8,
                    fault.fault as u8,
                    fault.row.min(0xFFFF)
                ),
            ));
        }
    }
    let got = run_c_driver(&driver, &input);
    assert_eq!(got.len(), expected.len(), "one verdict per record");
    let wrong: Vec<String> = expected
        .iter()
        .zip(&got)
        .filter(|((_, want), have)| want != *have)
        .map(|((what, want), have)| format!("{what}: rust {want}, C {have}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // Every lie is told to every valid signature (the refusal lie also to
    // every negative input).
    assert!(
        told.iter().all(|&n| n >= valid),
        "some lie was hardly told: {told:?}"
    );
}
