//! The request path never touches the heap: every corpus input, valid and
//! malformed, is answered with zero allocations (counted by a global
//! allocator wrapper installed for this test binary).

mod common;

use common::{testdata, valid_corpus};
use pgp_umd_parser::request::{handle, handle_bytes};
use pgp_umd_proto::{Op, Reply, RequestHeader};

#[test]
fn request_path_allocates_nothing() {
    let mut inputs: Vec<(Op, Vec<u8>)> = valid_corpus()
        .into_iter()
        .map(|(p, op)| (op, std::fs::read(p).expect("read")))
        .collect();
    for entry in std::fs::read_dir(testdata("negative")).expect("negative dir") {
        let path = entry.expect("entry").path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("pgp" | "sig")
        ) {
            let bytes = std::fs::read(&path).expect("read");
            inputs.push((Op::ParseKey, bytes.clone()));
            inputs.push((Op::ParseSignature, bytes));
        }
    }
    let raw_requests: Vec<Vec<u8>> = inputs
        .iter()
        .map(|(op, p)| {
            let h = RequestHeader::new(*op, 3, p.len() as u32);
            [zerocopy::IntoBytes::as_bytes(&h), p.as_slice()].concat()
        })
        .collect();
    let mut reply = Box::new(Reply::zeroed());
    let mut answered = 0usize;
    let info = allocation_counter::measure(|| {
        for (op, payload) in &inputs {
            let h = RequestHeader::new(*op, 3, payload.len() as u32);
            handle(&h, payload, &mut reply);
            answered += 1;
        }
        for raw in &raw_requests {
            handle_bytes(raw, &mut reply);
            handle_bytes(&raw[..raw.len() / 2], &mut reply);
            answered += 2;
        }
    });
    assert!(answered > 300, "only {answered} requests");
    assert_eq!(info.count_total, 0, "the request path allocated: {info:?}");
    // The counter works: the same harness sees an allocation when one happens.
    let control = allocation_counter::measure(|| {
        std::hint::black_box(vec![0u8; 16]);
    });
    assert_eq!(control.count_total, 1);
}
