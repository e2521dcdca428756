//! (e) The kernel's Ed25519 verifier (kmod/pgp/pgp_ed25519.c) against
//! `ed25519-dalek`'s `verify_strict`, the rule it documents (docs/ed25519.md).
//!
//! Input: a control octet, then
//! - control bit 0 clear: key (32), signature (64), message (the rest),
//!   taken as they are (almost always refused by both);
//! - control bit 0 set: a secret seed (32), a count n, n mutations
//!   (position: u16 little-endian, xor: u8) and the message (the rest). The
//!   key made from the seed signs the message; the mutations alter the
//!   octets of key || signature || message (positions modulo their length).
//!
//! Invariants: both accept or both refuse; the C answers only 0, -EINVAL,
//! -EBADMSG or -EKEYREJECTED; an unaltered triple verifies. The one known
//! difference (dalek decodes some non-canonical key encodings the C
//! refuses) cannot decide a signature: making one for such a key needs its
//! discrete logarithm.
#![no_main]

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use libfuzzer_sys::fuzz_target;
use pgp_umd_fuzz::cffi::c_ed25519_verify;
use sha2::{Digest, Sha512};

const EINVAL: i32 = -22;
const EBADMSG: i32 = -74;
const EKEYREJECTED: i32 = -129;

fn check(key: &[u8; 32], sig: &[u8; 64], msg: &[u8]) -> bool {
    let mut h = Sha512::new();
    h.update(&sig[..32]);
    h.update(key);
    h.update(msg);
    let hram: [u8; 64] = h.finalize().into();
    let c = c_ed25519_verify(key, sig, &hram);
    assert!(
        [0, EINVAL, EBADMSG, EKEYREJECTED].contains(&c),
        "undocumented result {c}"
    );
    let dalek = VerifyingKey::from_bytes(key)
        .is_ok_and(|k| k.verify_strict(msg, &Signature::from_bytes(sig)).is_ok());
    assert_eq!(c == 0, dalek, "C {c}, dalek {dalek}");
    dalek
}

fn split<const N: usize>(data: &[u8]) -> Option<([u8; N], &[u8])> {
    let (head, rest) = data.split_at_checked(N)?;
    Some((head.try_into().ok()?, rest))
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, data)) = data.split_first() else {
        return;
    };
    if control & 1 == 0 {
        let Some((key, data)) = split::<32>(data) else {
            return;
        };
        let Some((sig, msg)) = split::<64>(data) else {
            return;
        };
        check(&key, &sig, msg);
        return;
    }
    let Some((seed, data)) = split::<32>(data) else {
        return;
    };
    let Some((&n, data)) = data.split_first() else {
        return;
    };
    let Some((edits, msg)) = data.split_at_checked(usize::from(n) * 3) else {
        return;
    };
    let sk = SigningKey::from_bytes(&seed);
    let mut all = sk.verifying_key().to_bytes().to_vec();
    all.extend_from_slice(&sk.sign(msg).to_bytes());
    all.extend_from_slice(msg);
    let len = all.len();
    for e in edits.chunks_exact(3) {
        all[usize::from(u16::from_le_bytes([e[0], e[1]])) % len] ^= e[2];
    }
    let Some((key, rest)) = split::<32>(&all) else {
        return;
    };
    let Some((sig, msg2)) = split::<64>(rest) else {
        return;
    };
    let verified = check(&key, &sig, msg2);
    if msg2 == msg && key == sk.verifying_key().to_bytes() && sig == sk.sign(msg).to_bytes() {
        assert!(verified, "an unaltered signature was refused");
    }
});
