//! (b) The kernel's C reply sanitizer on real payloads (testdata keys and
//! signatures) with a handler lying in every way: octets, u16 and u32
//! fields of the used rows, off-by-one edits, writes into unused rows, rows
//! copied over other rows, or raw reply bytes.
//!
//! Input: index (2 octets, picks the payload), mode, then lies (4 octets
//! each, see `ctarget::apply_lies`) or, for mode bit 0x80, raw reply octets
//! laid over the honest reply at an offset.
//!
//! Invariants: the C sanitizer gives the same verdict and first fault as the
//! Rust validator, on the honest reply (which both accept) and on the lie;
//! an accepted lie claiming success is the honest reply; the kernel's code
//! behind the sanitizer (load, fingerprints, selection, plans) runs on the
//! accepted reply without an out-of-bounds access (ASan builds); for a key,
//! the lying reply's packed form unpacks in C as in Rust.
#![no_main]

use core::mem::size_of;
use libfuzzer_sys::fuzz_target;
use pgp_umd_fuzz::cffi::c_unpack;
use pgp_umd_fuzz::ctarget::{
    accepted_is_honest, apply_lies, honest, run_policy, same_verdict, testdata_payloads,
};
use pgp_umd_fuzz::with_replies;
use pgp_umd_proto::{Key, Op, Packet, Reply, Signature, Subpacket, REPLY_HEADER_SIZE, REPLY_SIZE};
use zerocopy::IntoBytes;

/// What the kernel receives for PARSE_KEY: the lying reply packed (rows
/// past the counts are not sent), unpacked by C over a junk-filled buffer.
/// C and Rust must unpack to the same reply, and C refuse exactly the
/// packed replies Rust refuses (counts beyond the tables).
fn packed_path(edited: &Reply, junk: u8) {
    let mut wire = Box::new([0u8; REPLY_SIZE]);
    let mut rust = Box::new(Reply::zeroed());
    match edited.write_packed(&mut wire) {
        Some(size) => {
            let c = c_unpack(&wire[..size], junk).expect("C refused a packed reply Rust wrote");
            assert!(rust.read_packed(&wire[..size]).is_some());
            assert_eq!(
                c.as_bytes(),
                rust.as_bytes(),
                "C and Rust unpack differently"
            );
        }
        None => {
            // Counts beyond a table: refused by both, even with exactly as
            // many bytes as the counts claim (when that fits the buffer).
            let h = edited.header;
            let claimed = REPLY_HEADER_SIZE
                + usize::from(h.packet_count) * size_of::<Packet>()
                + usize::from(h.key_count) * size_of::<Key>()
                + usize::from(h.signature_count) * size_of::<Signature>()
                + usize::from(h.subpacket_count) * size_of::<Subpacket>();
            let mut bytes = h.as_bytes().to_vec();
            if claimed <= REPLY_SIZE {
                bytes.resize(claimed, junk);
            }
            assert!(
                c_unpack(&bytes, junk).is_none(),
                "C unpacked an oversized count"
            );
            assert!(rust.read_packed(&bytes).is_none());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [i0, i1, mode, rest @ ..] = data else {
        return;
    };
    let payloads = testdata_payloads();
    let (op, payload) = &payloads[usize::from(u16::from_le_bytes([*i0, *i1])) % payloads.len()];
    with_replies(|reply, edited| {
        honest(*op, payload, reply);
        assert!(same_verdict(*op, payload, reply), "honest reply rejected");
        edited.as_mut_bytes().copy_from_slice(reply.as_bytes());
        if mode & 0x80 != 0 {
            let [a, b, raw @ ..] = rest else { return };
            let at = usize::from(u16::from_le_bytes([*a, *b])) % REPLY_SIZE;
            let n = raw.len().min(REPLY_SIZE - at);
            edited.as_mut_bytes()[at..at + n].copy_from_slice(&raw[..n]);
        } else {
            apply_lies(reply, edited, rest);
        }
        if same_verdict(*op, payload, edited) {
            accepted_is_honest("C sanitizer", reply, edited);
            run_policy(*op, payload, edited, &[mode & 0x0F]);
        }
        if *op == Op::ParseKey {
            packed_path(edited, *mode);
        }
    });
});
