//! The kernel's pure C (kmod/pgp), linked in by build.rs, as safe Rust
//! functions for the C fuzz targets. Every buffer handed to C is an
//! exact-size heap copy, so AddressSanitizer sees any read past its end.
//! The one module of the fuzz crate with `unsafe` (the calls into C); every
//! block carries a `SAFETY:` comment.
#![allow(unsafe_code)]

use pgp_umd_proto::{Op, Reply, MAX_KEYS};

/// `struct pgp_reply_fault_info`.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
struct FaultInfo {
    table: u8,
    fault: u8,
    row: u16,
}

/// Fingerprint room per key, `PGP_FPR_MAX`.
pub const FPR_MAX: usize = 32;

extern "C" {
    fn pgp_reply_check(
        op: u16,
        seq: u32,
        payload: *const u8,
        len: usize,
        reply: *const Reply,
        fault: *mut FaultInfo,
    ) -> i32;
    fn pgp_reply_unpack(reply: *mut Reply, len: usize) -> i32;
    fn pgp_ed25519_verify(public: *const u8, sig: *const u8, hram: *const u8) -> i32;
    fn pgp_dearmor(
        input: *const u8,
        len: usize,
        label: *const core::ffi::c_char,
        scratch: *mut u8,
        out: *mut u8,
        out_len: *mut usize,
    ) -> i32;
    fn fz_cert_policy(
        payload: *const u8,
        len: usize,
        reply: *const Reply,
        now: u64,
        flags: u32,
        sel: *const u8,
        sel_len: usize,
        fpr: *mut u8,
        fpr_len: *mut u8,
    ) -> i32;
    fn fz_sig_policy(
        payload: *const u8,
        len: usize,
        reply: *const Reply,
        data: *const u8,
        data_len: usize,
        now: u64,
        flags: u32,
    ) -> i32;
}

/// Real digests and signature verification (OpenSSL).
pub const FZ_OPENSSL: u32 = 0x1;
/// The fake backend accepts every signature whose encoding it could build.
pub const FZ_FAKE_VERIFY_OK: u32 = 0x2;
/// Select the key named by the selector bytes.
pub const FZ_SELECTOR: u32 = 0x4;
/// Data signatures with SHA-1 allowed.
pub const FZ_ALLOW_SHA1: u32 = 0x8;

/// `pgp_reply_check`: `Ok` or the first fault as "fault TABLE FAULT ROW",
/// the form the Rust validator's verdict is printed in by [`rust_verdict`].
pub fn c_reply_check(op: Op, seq: u32, payload: &[u8], reply: &Reply) -> Result<(), String> {
    let copy = payload.to_vec().into_boxed_slice();
    let mut f = FaultInfo::default();
    // SAFETY: `copy` is valid for `copy.len()` bytes, `reply` is a whole
    // `struct pgp_umd_reply` (same repr(C) layout, checked by the proto
    // crate's layout tests), `f` is writable; C keeps no pointer after return.
    let r = unsafe { pgp_reply_check(op.raw(), seq, copy.as_ptr(), copy.len(), reply, &mut f) };
    if r == 0 {
        Ok(())
    } else {
        Err(format!("fault {} {} {}", f.table, f.fault, f.row))
    }
}

/// `pgp_reply_unpack`: the packed reply `packed` received into a buffer
/// whose every byte was `junk` (as the kernel's reused work area may hold
/// anything), unpacked in place; `None` when C refuses it or when it is
/// longer than the buffer (the kernel never reads that much).
pub fn c_unpack(packed: &[u8], junk: u8) -> Option<Box<Reply>> {
    use zerocopy::IntoBytes;
    let mut reply = Box::new(Reply::zeroed());
    let bytes = reply.as_mut_bytes();
    bytes.fill(junk);
    let n = packed.len();
    bytes.get_mut(..n)?.copy_from_slice(packed);
    // SAFETY: `reply` is a whole `struct pgp_umd_reply` (same layout, checked
    // by the proto crate's layout tests), writable; C reads and writes only
    // inside it and keeps no pointer after return.
    let r = unsafe { pgp_reply_unpack(&mut *reply, n) };
    (r == 0).then_some(reply)
}

/// The Rust validator's verdict in the C driver's form.
pub fn rust_verdict(op: Op, seq: u32, payload: &[u8], reply: &Reply) -> Result<(), String> {
    pgp_umd_proto::validate::validate_reply(op, seq, payload, reply).map_err(|e| {
        format!(
            "fault {} {} {}",
            e.table as u8,
            e.fault as u8,
            e.row.min(0xFFFF)
        )
    })
}

/// `pgp_dearmor` with label "PUBLIC KEY BLOCK" (`key`) or "SIGNATURE".
pub fn c_dearmor(input: &[u8], key: bool) -> Result<Vec<u8>, i32> {
    let copy = input.to_vec().into_boxed_slice();
    // The kernel gives both buffers the input's length.
    let mut scratch = vec![0u8; input.len()].into_boxed_slice();
    let mut out = vec![0u8; input.len()].into_boxed_slice();
    let mut out_len = 0usize;
    let label: &core::ffi::CStr = if key {
        c"PUBLIC KEY BLOCK"
    } else {
        c"SIGNATURE"
    };
    // SAFETY: input, scratch and out are valid for input.len() bytes each
    // (the contract of pgp_dearmor), label is NUL-terminated, out_len writable.
    let r = unsafe {
        pgp_dearmor(
            copy.as_ptr(),
            copy.len(),
            label.as_ptr(),
            scratch.as_mut_ptr(),
            out.as_mut_ptr(),
            &mut out_len,
        )
    };
    if r != 0 {
        return Err(r);
    }
    assert!(out_len <= input.len(), "dearmor wrote past its output");
    Ok(out[..out_len].to_vec())
}

/// `pgp_ed25519_verify`: 0 or a negative errno. `hram` is
/// SHA-512(R || A || M), computed by the caller as the kernel does.
pub fn c_ed25519_verify(public: &[u8; 32], sig: &[u8; 64], hram: &[u8; 64]) -> i32 {
    let (p, s, h) = (Box::new(*public), Box::new(*sig), Box::new(*hram));
    // SAFETY: the three boxes hold exactly the 32, 64 and 64 octets
    // pgp_ed25519_verify reads; it writes nothing and keeps no pointer.
    unsafe { pgp_ed25519_verify(p.as_ptr(), s.as_ptr(), h.as_ptr()) }
}

/// What [`c_cert_policy`] found: the selection result and the fingerprints.
pub struct CertOutcome {
    pub result: i32,
    pub fingerprints: Vec<Vec<u8>>,
}

/// -EBADMSG: what the kernel answers for a reply its checks refuse.
const EBADMSG: i32 = 74;

/// Whether the kernel would go on with `reply`: `pgp_reply_check` accepts
/// it with status OK. The C behind the sanitizer indexes by the reply's
/// rows and counts, so only such a reply may reach it.
fn accepted(op: Op, payload: &[u8], reply: &Reply) -> bool {
    reply.header.status == 0 && c_reply_check(op, reply.header.seq, payload, reply).is_ok()
}

/// The kernel's certificate path (load, fingerprints, key encodings, plans,
/// selection) on a reply `pgp_reply_check` accepts with status OK; any other
/// reply gets -EBADMSG without reaching it, as in the kernel.
pub fn c_cert_policy(
    payload: &[u8],
    reply: &Reply,
    now: u64,
    flags: u32,
    selector: &[u8],
) -> CertOutcome {
    if !accepted(Op::ParseKey, payload, reply) {
        return CertOutcome {
            result: -EBADMSG,
            fingerprints: Vec::new(),
        };
    }
    let copy = payload.to_vec().into_boxed_slice();
    let sel = selector.to_vec().into_boxed_slice();
    let mut fpr = vec![0u8; MAX_KEYS * FPR_MAX];
    let mut fpr_len = [0u8; MAX_KEYS];
    // SAFETY: copy and sel are valid for their lengths; fpr holds MAX_KEYS
    // fingerprints of FPR_MAX octets and fpr_len MAX_KEYS lengths, as
    // fz_cert_policy writes at most one per key row (key_count <= MAX_KEYS
    // in a reply pgp_reply_check accepted, checked above); every row and
    // range of the reply lies inside it and inside copy (the same check).
    let result = unsafe {
        fz_cert_policy(
            copy.as_ptr(),
            copy.len(),
            reply,
            now,
            flags,
            sel.as_ptr(),
            sel.len(),
            fpr.as_mut_ptr(),
            fpr_len.as_mut_ptr(),
        )
    };
    let fingerprints = (0..usize::from(reply.header.key_count).min(MAX_KEYS))
        .map(|i| fpr[i * FPR_MAX..i * FPR_MAX + usize::from(fpr_len[i]).min(FPR_MAX)].to_vec())
        .collect();
    CertOutcome {
        result,
        fingerprints,
    }
}

/// The kernel's data-signature path on a reply `pgp_reply_check` accepts
/// with status OK; any other reply gets -EBADMSG without reaching it.
pub fn c_sig_policy(payload: &[u8], reply: &Reply, data: &[u8], now: u64, flags: u32) -> i32 {
    if !accepted(Op::ParseSignature, payload, reply) {
        return -EBADMSG;
    }
    let copy = payload.to_vec().into_boxed_slice();
    let data = data.to_vec().into_boxed_slice();
    // SAFETY: copy and data are valid for their lengths, reply is whole and
    // accepted by pgp_reply_check (checked above), so every row and range
    // it names lies inside it and inside copy.
    unsafe {
        fz_sig_policy(
            copy.as_ptr(),
            copy.len(),
            reply,
            data.as_ptr(),
            data.len(),
            now,
            flags,
        )
    }
}
