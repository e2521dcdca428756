//! The request function on raw bytes, exactly what the handler binary reads:
//! a 24-byte header and its payload.
//!
//! Invariants: a short request is a bad-magic refusal with sequence 0; a
//! header refusal carries `check_header`'s status and no rows; any other
//! reply passes the reply validator; nothing is allocated; `handle_bytes`
//! equals `handle` on the split request and is deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_fuzz::{assert_no_alloc, check_request, split_request, with_replies};
use pgp_umd_parser::request::handle_bytes;
use pgp_umd_proto::{Status, MAGIC};

fuzz_target!(|data: &[u8]| {
    match split_request(data) {
        Some((header, payload)) => {
            check_request(&header, payload, Some(data));
        }
        None => with_replies(|a, _| {
            assert_no_alloc("short request", || handle_bytes(data, a));
            assert_eq!(a.header.status, Status::BadMagic.raw());
            assert_eq!((a.header.seq, a.header.magic), (0, MAGIC));
        }),
    }
});
