//! (c) The kernel's C reply sanitizer against the Rust validator on arbitrary
//! payloads with the reply the real parser produces, then on lies about it.
//!
//! Input: the validator target's format: control octet (bit 0: key or
//! signature), payload length (2 octets, little-endian), payload, then
//! knobs for the C path behind the sanitizer (backend, selector or signed
//! data) and, for control bit 0x80, lies (4 octets each, see
//! `ctarget::apply_lies`) after the first 33 knob octets.
//!
//! Invariants: the honest reply is never rejected by the C sanitizer (the
//! Rust validator accepts it: part 1's invariant), and on every lie both
//! give the same verdict and first fault, so the C never accepts what Rust
//! rejects; an accepted lie claiming success is the honest reply. Behind the
//! sanitizer, the kernel's code runs without an out-of-bounds access, and
//! with OpenSSL each key's fingerprint equals the Rust handler's.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_fuzz::ctarget::{accepted_is_honest, apply_lies, honest, run_policy, same_verdict};
use pgp_umd_fuzz::with_replies;
use pgp_umd_proto::Op;
use zerocopy::IntoBytes;

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let op = if control & 1 == 0 {
        Op::ParseKey
    } else {
        Op::ParseSignature
    };
    let (payload, tail) = match rest {
        [a, b, tail @ ..] => {
            let n = usize::from(u16::from_le_bytes([*a, *b])).min(tail.len());
            tail.split_at(n)
        }
        _ => (rest, &[][..]),
    };
    let (knobs, lies) = tail.split_at(tail.len().min(33));
    with_replies(|reply, edited| {
        honest(op, payload, reply);
        assert!(same_verdict(op, payload, reply), "honest reply rejected");
        run_policy(op, payload, reply, knobs);
        if control & 0x80 != 0 {
            edited.as_mut_bytes().copy_from_slice(reply.as_bytes());
            apply_lies(reply, edited, lies);
            if same_verdict(op, payload, edited) {
                accepted_is_honest("C sanitizer", reply, edited);
            }
        }
    });
});
