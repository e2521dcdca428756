//! Shared harness for the pgp-umd fuzz targets: an allocation-counting global
//! allocator, the invariants every reply of the request path must satisfy,
//! and small OpenPGP encoders used to build structured inputs and to check
//! round trips.

use pgp_umd_parser::request::{check_header, handle, handle_bytes};
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{Op, Reply, RequestHeader, Status, REQUEST_HEADER_SIZE};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use zerocopy::{FromBytes, IntoBytes};

pub mod cffi;
pub mod ctarget;
pub mod encode;

/// Counts every allocation of this fuzz binary (libFuzzer's own C++ heap is
/// not routed through it, so only Rust code is counted).
pub struct CountingAlloc;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call unchanged to the system allocator.
#[allow(unsafe_code)] // a global allocator is an unsafe trait
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Allocations made so far by Rust code in this process.
pub fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Runs `f` and asserts it allocated nothing.
pub fn assert_no_alloc<R>(what: &str, f: impl FnOnce() -> R) -> R {
    let before = allocations();
    let r = f();
    let after = allocations();
    assert_eq!(after, before, "{what}: the request path allocated");
    r
}

thread_local! {
    // Two reply buffers, allocated once per process (outside any measurement).
    static REPLIES: RefCell<(Box<Reply>, Box<Reply>)> =
        RefCell::new((Box::new(Reply::zeroed()), Box::new(Reply::zeroed())));
}

/// Gives `f` the two reusable reply buffers.
pub fn with_replies<R>(f: impl FnOnce(&mut Reply, &mut Reply) -> R) -> R {
    REPLIES.with(|r| {
        let mut r = r.borrow_mut();
        let (a, b) = &mut *r;
        f(a, b)
    })
}

/// The reply bytes after the header: the four tables.
fn tables(reply: &Reply) -> &[u8] {
    &reply.as_bytes()[core::mem::size_of_val(&reply.header)..]
}

/// What every reply to `header` + `payload` must satisfy, whatever the input:
/// the header echoes the request, a header refusal carries the status
/// `check_header` gives and nothing else, and any reply to a well-formed
/// header passes the reply validator (the kernel's rules).
pub fn check_reply(header: &RequestHeader, payload: &[u8], reply: &Reply) {
    let h = &reply.header;
    assert_eq!(h.op, header.op, "op not echoed");
    assert_eq!(h.seq, header.seq, "seq not echoed");
    let status = Status::from_raw(h.status).expect("undefined status");
    match check_header(header) {
        Err(expected) => {
            assert_eq!(status, expected, "header refusal status");
            assert_eq!(h.error_offset, 0);
            assert!(
                tables(reply).iter().all(|&b| b == 0),
                "rows in a header refusal"
            );
            assert_eq!(
                (
                    h.packet_count,
                    h.key_count,
                    h.signature_count,
                    h.subpacket_count
                ),
                (0, 0, 0, 0)
            );
        }
        Ok(op) => {
            if let Err(e) = validate_reply(op, header.seq, payload, reply) {
                panic!("reply to op {op:?} status {status:?} fails validation: {e:?}");
            }
            if payload.len() != header.payload_len as usize {
                assert_eq!(status, Status::Truncated, "length mismatch not refused");
            } else if op == Op::Health {
                let expect = if payload.is_empty() {
                    Status::Ok
                } else {
                    Status::TrailingData
                };
                assert_eq!(status, expect);
            } else if payload.is_empty() {
                assert_eq!(status, Status::EmptyPayload);
            }
            if status != Status::Ok {
                assert!(tables(reply).iter().all(|&b| b == 0), "rows in a refusal");
                assert!(h.error_offset as usize <= payload.len(), "error offset");
            }
        }
    }
}

/// Answers the request twice through `handle` (counting allocations) and once
/// through `handle_bytes` on the serialized request; checks every reply and
/// that all three are byte-identical. Returns the status.
pub fn check_request(header: &RequestHeader, payload: &[u8], raw: Option<&[u8]>) -> Status {
    with_replies(|a, b| {
        assert_no_alloc("handle", || handle(header, payload, a));
        check_reply(header, payload, a);
        // Reuse of a dirty buffer must not change the answer: `b` still holds
        // the previous input's reply.
        assert_no_alloc("handle again", || handle(header, payload, b));
        assert!(a.as_bytes() == b.as_bytes(), "parse is not deterministic");
        if let Some(raw) = raw {
            assert_no_alloc("handle_bytes", || handle_bytes(raw, b));
            assert!(
                a.as_bytes() == b.as_bytes(),
                "handle_bytes differs from handle"
            );
        }
        Status::from_raw(a.header.status).expect("status")
    })
}

/// A request with a correct header for `op` and `payload`, checked as above
/// (also through the raw-bytes entry point, reusing `scratch`).
pub fn check_payload(op: Op, seq: u32, payload: &[u8], scratch: &mut Vec<u8>) -> Status {
    let header = RequestHeader::new(op, seq, payload.len() as u32);
    scratch.clear();
    scratch.extend_from_slice(header.as_bytes());
    scratch.extend_from_slice(payload);
    check_request(&header, payload, Some(scratch))
}

/// Splits a raw request into its header and payload, as the handler does.
pub fn split_request(raw: &[u8]) -> Option<(RequestHeader, &[u8])> {
    if raw.len() < REQUEST_HEADER_SIZE {
        return None;
    }
    RequestHeader::read_from_prefix(raw).ok()
}
