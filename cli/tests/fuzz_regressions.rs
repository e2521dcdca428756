//! Replays the inputs the fuzz campaign kept (testdata/fuzz-regressions/,
//! listed in its manifest.tsv) through the request path with the fuzz
//! targets' invariants: the status the manifest names, a reply the validator
//! accepts, the same reply twice (also into a dirty buffer and through
//! `handle_bytes`), and no allocation.

mod common;

use common::testdata;
use pgp_umd_parser::request::{check_header, handle, handle_bytes};
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{Op, Reply, RequestHeader, Status};
use zerocopy::{FromBytes, IntoBytes};

struct Case {
    file: String,
    /// None: the file is a whole raw request (header and payload).
    op: Option<Op>,
    expected: Status,
}

fn manifest() -> Vec<Case> {
    let text =
        std::fs::read_to_string(testdata("fuzz-regressions/manifest.tsv")).expect("manifest");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert!(
                f.len() >= 4,
                "manifest row needs file, op, status, note: {line}"
            );
            let op = match f[1] {
                "key" => Some(Op::ParseKey),
                "signature" => Some(Op::ParseSignature),
                "request" => None,
                other => panic!("unknown op {other}"),
            };
            let expected = *Status::ALL
                .iter()
                .find(|s| s.name() == f[2])
                .unwrap_or_else(|| panic!("unknown status {}", f[2]));
            Case {
                file: f[0].into(),
                op,
                expected,
            }
        })
        .collect()
}

fn request_of(case: &Case, bytes: &[u8]) -> Vec<u8> {
    match case.op {
        None => bytes.to_vec(),
        Some(op) => {
            let h = RequestHeader::new(op, 5, bytes.len() as u32);
            [h.as_bytes(), bytes].concat()
        }
    }
}

#[test]
fn fuzz_findings_replay_with_every_invariant() {
    let cases = manifest();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    let (mut a, mut b) = (Box::new(Reply::zeroed()), Box::new(Reply::zeroed()));
    for case in &cases {
        let bytes = std::fs::read(testdata("fuzz-regressions").join(&case.file)).expect("read");
        let raw = request_of(case, &bytes);
        let Ok((header, payload)) = RequestHeader::read_from_prefix(&raw) else {
            // Shorter than a header: answered as a bad-magic request.
            let allocs = allocation_counter::measure(|| handle_bytes(&raw, &mut a));
            if allocs.count_total != 0 || a.status() != Some(case.expected) {
                failures.push(format!("{}: short request: {:?}", case.file, a.status()));
            }
            continue;
        };
        let allocs = allocation_counter::measure(|| {
            handle(&header, payload, &mut a);
            handle(&header, payload, &mut b);
        });
        if allocs.count_total != 0 {
            failures.push(format!("{}: the request path allocated", case.file));
        }
        if a.as_bytes() != b.as_bytes() {
            failures.push(format!("{}: parse is not deterministic", case.file));
        }
        handle_bytes(&raw, &mut b);
        if a.as_bytes() != b.as_bytes() {
            failures.push(format!("{}: handle_bytes differs from handle", case.file));
        }
        if a.status() != Some(case.expected) {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                case.file,
                case.expected,
                a.status()
            ));
        }
        if let Ok(op) = check_header(&header) {
            if let Err(e) = validate_reply(op, header.seq, payload, &a) {
                failures.push(format!("{}: reply fails the validator: {e:?}", case.file));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Differential finding (docs/fuzzing.md): a v4 signature whose unhashed
/// issuer subpacket (16) contradicts its hashed issuer fingerprint (33).
/// The parser maps it (OK); `inspect` reports the fingerprint's key id, as
/// sequoia's first issuer is (the expected values are the octets of
/// subpacket 33 in the input, not this code's output).
#[test]
fn inconsistent_issuer_claims_prefer_the_fingerprint() {
    let payload = std::fs::read(testdata(
        "fuzz-regressions/differential-inconsistent-issuers.sig",
    ))
    .expect("read");
    let reply = common::reply_for(Op::ParseSignature, 5, &payload);
    assert_eq!(reply.status(), Some(Status::Ok));
    let info = pgp_umd_cli::inspect::describe_signature(&payload, &reply).expect("signature");
    assert_eq!(info.issuer_key_id.as_deref(), Some("1FE6DF3077C7FF21"));
    assert_eq!(
        info.issuer_fingerprint.as_deref(),
        Some("91B0B5F046DF6604B5FBD7A11FE6DF3077C7FF21")
    );
}
