//! Shared parts of the C sanitizer targets: the real payloads of testdata,
//! the honest reply, lies told about it, and the checks every target makes
//! on a (payload, reply) pair: the C sanitizer and the Rust validator give
//! the same verdict, and whatever the C sanitizer accepts is the honest reply.

use crate::cffi::{c_cert_policy, c_reply_check, c_sig_policy, rust_verdict};
use crate::cffi::{FZ_ALLOW_SHA1, FZ_FAKE_VERIFY_OK, FZ_OPENSSL, FZ_SELECTOR};
use core::mem::size_of;
use pgp_umd_cli::fingerprint::Fingerprint;
use pgp_umd_parser::request::handle;
use pgp_umd_proto::{
    Key, Op, Packet, Reply, ReplyHeader, RequestHeader, Signature, Status, Subpacket, REPLY_SIZE,
};
use std::path::Path;
use std::sync::OnceLock;
use zerocopy::IntoBytes;

/// The sequence number every C target uses.
pub const SEQ: u32 = 0x0BAD_CAFE;
/// 2026-01-01, the policy clock of the C targets (fixed, so runs replay).
pub const NOW: u64 = 1_767_225_600;

/// Every binary key (`.pgp`, not keyrings) and signature (`.sig`) of the
/// valid corpus, read once.
pub fn testdata_payloads() -> &'static [(Op, Vec<u8>)] {
    static P: OnceLock<Vec<(Op, Vec<u8>)>> = OnceLock::new();
    P.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
        let mut out = Vec::new();
        for dir in ["keys", "sigs", "v3", "v6", "skip"] {
            let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                let name = p.to_string_lossy().into_owned();
                let op = match p.extension().and_then(|e| e.to_str()) {
                    Some("pgp") if !name.contains("keyring") => Op::ParseKey,
                    Some("sig") => Op::ParseSignature,
                    _ => continue,
                };
                if let Ok(bytes) = std::fs::read(&p) {
                    out.push((op, bytes));
                }
            }
        }
        assert!(
            out.len() > 80,
            "testdata not found ({} payloads)",
            out.len()
        );
        out
    })
}

/// The parser's reply to `payload`.
pub fn honest(op: Op, payload: &[u8], reply: &mut Reply) {
    let header = RequestHeader::new(op, SEQ, payload.len() as u32);
    handle(&header, payload, reply);
}

/// Byte ranges of the reply that carry meaning: the header, then the used
/// rows of the packet, key, signature and subpacket tables.
pub fn used_ranges(reply: &Reply) -> [std::ops::Range<usize>; 5] {
    let base = reply.as_bytes().as_ptr() as usize;
    let span = |bytes: &[u8]| {
        let start = bytes.as_ptr() as usize - base;
        // An empty table: aim at its first row, still inside the reply.
        start..start + bytes.len().max(1)
    };
    [
        span(reply.header.as_bytes()),
        span(reply.packets().as_bytes()),
        span(reply.keys().as_bytes()),
        span(reply.signatures().as_bytes()),
        span(reply.subpackets().as_bytes()),
    ]
}

/// Applies lies read from `lies` to `edited` (a copy of `honest`): each lie
/// is 4 octets [kind, where, value, value]. `kind >> 5` (modulo 5) picks the
/// table whose used octets the lie edits (0 header, 1 packets, 2 keys,
/// 3 signatures, 4 subpackets), at `where` modulo their length; `kind & 7`
/// picks the lie:
/// 0, 4: a u8 written there;
/// 1: a u16 (little-endian);
/// 2: an interesting u32 (small, near `u32::MAX`, sign bit, or a u16);
/// 3, 5: a small signed delta added to the octet there (off by one);
/// 6: a u16 written anywhere in the reply (unused rows included);
/// 7: a used octet range copied one to four rows further in the same table
///    (a row claiming another row's ranges).
pub fn apply_lies(honest: &Reply, edited: &mut Reply, lies: &[u8]) {
    let ranges = used_ranges(honest);
    let bytes = edited.as_mut_bytes();
    for l in lies.chunks_exact(4) {
        let (kind, at, v) = (l[0], usize::from(l[1]), [l[2], l[3]]);
        let table = usize::from(kind >> 5) % 5;
        let r = &ranges[table];
        let off = r.start + (at * 7 + usize::from(l[2])) % r.len();
        match kind & 7 {
            0 | 4 => bytes[off] = v[0],
            1 => put(bytes, off, &u16::from_le_bytes(v).to_le_bytes()),
            2 => {
                // Interesting u32s: small, near a boundary, or the payload end.
                let x = match v[0] & 3 {
                    0 => u32::from(v[1]),
                    1 => u32::MAX - u32::from(v[1]),
                    2 => 0x8000_0000 ^ u32::from(v[1]),
                    _ => u32::from(u16::from_le_bytes(v)),
                };
                put(bytes, off, &x.to_le_bytes())
            }
            3 | 5 => bytes[off] = bytes[off].wrapping_add((v[1] as i8 % 3) as u8),
            6 => put(
                bytes,
                (usize::from(u16::from_le_bytes(v)) * 17 + at) % REPLY_SIZE,
                &[v[0], v[1]],
            ),
            _ => {
                let row = [
                    size_of::<ReplyHeader>(),
                    size_of::<Packet>(),
                    size_of::<Key>(),
                    size_of::<Signature>(),
                    size_of::<Subpacket>(),
                ][table];
                let len = (usize::from(v[1] % 16) + 1).min(r.len());
                let from = r.start + (at % r.len().saturating_sub(len).max(1));
                let to = from + row * (usize::from(v[0] % 4) + 1);
                if to + len <= REPLY_SIZE {
                    bytes.copy_within(from..from + len, to);
                }
            }
        }
    }
}

fn put(bytes: &mut [u8], off: usize, v: &[u8]) {
    let end = (off + v.len()).min(bytes.len());
    bytes[off..end].copy_from_slice(&v[..end - off]);
}

/// The C sanitizer and the Rust validator give the same verdict (and the
/// same first fault) on `reply`; returns whether it was accepted.
pub fn same_verdict(op: Op, payload: &[u8], reply: &Reply) -> bool {
    let c = c_reply_check(op, SEQ, payload, reply);
    let rust = rust_verdict(op, SEQ, payload, reply);
    assert_eq!(
        c, rust,
        "C sanitizer and Rust validator disagree (C vs Rust)"
    );
    c.is_ok()
}

/// A reply a checker (`who`) accepted and that claims success must be the
/// honest one (but for error_offset, diagnostics only): a successful reply
/// is determined by the payload, so anything else is a lie let through.
pub fn accepted_is_honest(who: &str, honest: &Reply, edited: &Reply) {
    if honest.header.status != Status::Ok.raw() || edited.header.status != Status::Ok.raw() {
        return;
    }
    let mut a = honest.as_bytes().to_vec();
    let mut b = edited.as_bytes().to_vec();
    a[16..20].fill(0);
    b[16..20].fill(0);
    if a != b {
        let first = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(0);
        panic!(
            "{who} accepted a lie (first differing octet {first}: {} -> {})",
            a[first], b[first]
        );
    }
}

/// The key bodies of the key rows of an accepted reply.
fn key_bodies<'a>(payload: &'a [u8], reply: &Reply) -> Vec<&'a [u8]> {
    reply
        .keys()
        .iter()
        .filter_map(|k| {
            let p = reply.packets().get(usize::from(k.packet))?;
            let whole = p.whole.slice(payload)?;
            whole.get(usize::from(p.header_len)..)
        })
        .collect()
}

/// Runs what the kernel runs after the sanitizer on an accepted reply with
/// status OK: for a key, load, fingerprints (with OpenSSL they must equal
/// the Rust handler's), key encodings, plans and selection; for a signature,
/// load, issuer, plans, precheck and encodings. `knobs` picks the backend,
/// selector and data. Returns the C result.
pub fn run_policy(op: Op, payload: &[u8], reply: &Reply, knobs: &[u8]) -> i32 {
    if reply.header.status != Status::Ok.raw() {
        return 0;
    }
    let k = knobs.first().copied().unwrap_or(0);
    match op {
        Op::ParseKey => {
            let mut flags = u32::from(k) & (FZ_OPENSSL | FZ_FAKE_VERIFY_OK | FZ_SELECTOR);
            let sel = knobs.get(1..).unwrap_or(&[]);
            let sel = &sel[..sel.len().min(32)];
            if ![8, 20, 32].contains(&sel.len()) {
                flags &= !FZ_SELECTOR;
            }
            let out = c_cert_policy(payload, reply, NOW, flags, sel);
            if flags & FZ_OPENSSL != 0 {
                for (i, body) in key_bodies(payload, reply).iter().enumerate() {
                    let (Some(rust), Some(c)) =
                        (Fingerprint::of_key_body(body), out.fingerprints.get(i))
                    else {
                        continue;
                    };
                    // Empty: the C stopped before computing it.
                    if !c.is_empty() {
                        assert_eq!(
                            c.as_slice(),
                            rust.as_bytes(),
                            "key {i}: C and Rust fingerprints differ"
                        );
                    }
                }
            }
            out.result
        }
        Op::ParseSignature => {
            let data = knobs.get(1..).unwrap_or(&[]);
            c_sig_policy(payload, reply, data, NOW, u32::from(k) & FZ_ALLOW_SHA1)
        }
        _ => 0,
    }
}
