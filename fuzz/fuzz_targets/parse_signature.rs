//! Signature parsing: the payload of a PARSE_SIGNATURE request.
//!
//! Invariants as for keys (validator, no allocation, determinism, raw entry
//! point). On success: exactly one packet row covering the payload, a
//! signature row whose body is that packet's body, and the CLI's
//! `describe_signature` agrees with the row.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_cli::inspect::describe_signature;
use pgp_umd_fuzz::{check_payload, with_replies};
use pgp_umd_parser::request::handle;
use pgp_umd_proto::{Op, RequestHeader, Status};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Vec::new();
    if check_payload(Op::ParseSignature, 9, data, &mut scratch) != Status::Ok {
        return;
    }
    with_replies(|reply, _| {
        handle(
            &RequestHeader::new(Op::ParseSignature, 9, data.len() as u32),
            data,
            reply,
        );
        assert_eq!(reply.packets().len(), 1);
        let p = reply.packets()[0];
        assert_eq!((p.whole.off, p.whole.len as usize), (0, data.len()));
        let s = reply.signatures()[0];
        assert_eq!(s.body.off, u32::from(p.header_len));
        assert_eq!(s.body.len as usize, data.len() - usize::from(p.header_len));
        let info = describe_signature(data, reply).expect("a signature");
        assert_eq!(
            (
                info.version,
                info.sig_type,
                info.pubkey_algorithm,
                info.hash_algorithm
            ),
            (s.version, s.sig_type, s.pk_algo, s.hash_algo)
        );
        assert_eq!(info.hash_prefix.len(), 4);
    });
});
