//! (d) The kernel's signature path (sanitizer, then pgp_sig_load, issuer,
//! hash plans, precheck, encodings) on v4 and v6 signature packets with
//! arbitrary hashed and unhashed areas.
//!
//! Input: control, signature type, hash algorithm, hashed spec length,
//! hashed spec, unhashed spec length, unhashed spec, then the signed data.
//! Control bit 0: v6 (else v4); bits 1-3: public-key algorithm; bit 4: five
//! octet subpacket lengths; bit 5: the hashed spec is the raw area (else
//! subpackets of [type, length % 64, body]); bit 6: a creation time
//! subpacket first; bit 7: an issuer fingerprint subpacket last.
//!
//! Invariants: the parser's reply passes both the C sanitizer and the Rust
//! validator with the same verdict; the C code behind the sanitizer runs
//! without an out-of-bounds access (ASan builds); a successful parse of a
//! binary or text signature (types 0x00, 0x01) is loaded by the kernel
//! (pgp_sig_load does not refuse what the sanitizer accepted).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_fuzz::cffi::c_sig_policy;
use pgp_umd_fuzz::ctarget::{honest, same_verdict, NOW};
use pgp_umd_fuzz::encode::{mpi, packet, subpacket_length};
use pgp_umd_fuzz::with_replies;
use pgp_umd_proto::{Op, Status};

const ALGOS: [u8; 8] = [1, 17, 19, 22, 27, 28, 3, 100];
const HASHES: [u8; 8] = [8, 10, 9, 11, 12, 14, 2, 3];

fn area(spec: &[u8], raw: bool, form: u8) -> Vec<u8> {
    if raw {
        return spec.to_vec();
    }
    let mut out = Vec::new();
    let mut s = spec;
    while let [t, l, rest @ ..] = s {
        let n = usize::from(*l % 64).min(rest.len());
        subpacket_length(n + 1, form, &mut out);
        out.push(*t);
        out.extend_from_slice(&rest[..n]);
        s = &rest[n..];
    }
    out
}

fn take<'a>(s: &mut &'a [u8]) -> &'a [u8] {
    let Some((&n, rest)) = s.split_first() else {
        return &[];
    };
    let (a, b) = rest.split_at(usize::from(n).min(rest.len()));
    *s = b;
    a
}

fuzz_target!(|data: &[u8]| {
    let [control, sig_type, hash, rest @ ..] = data else {
        return;
    };
    let mut rest = rest;
    let hashed_spec = take(&mut rest);
    let unhashed_spec = take(&mut rest);
    let signed = rest;
    let v6 = control & 1 == 1;
    let algo = ALGOS[usize::from(control >> 1) & 7];
    let hash = if hash & 0x80 != 0 {
        *hash & 0x7F
    } else {
        HASHES[usize::from(*hash) & 7]
    };
    let form = if control & 0x10 != 0 { 2 } else { 0 };
    let mut hashed = Vec::new();
    if control & 0x40 != 0 {
        subpacket_length(5, form, &mut hashed);
        hashed.push(2);
        hashed.extend_from_slice(&((NOW - 1000) as u32).to_be_bytes());
    }
    hashed.extend(area(hashed_spec, control & 0x20 != 0, form));
    if control & 0x80 != 0 {
        let fpr_len = if v6 { 32 } else { 20 };
        subpacket_length(fpr_len + 2, form, &mut hashed);
        hashed.push(33);
        hashed.push(if v6 { 6 } else { 4 });
        hashed.extend((0..fpr_len).map(|i| i as u8 ^ sig_type));
    }
    let unhashed = area(unhashed_spec, false, form);
    let mut body = vec![if v6 { 6 } else { 4 }, *sig_type, algo, hash];
    let push_area = |body: &mut Vec<u8>, a: &[u8]| {
        if v6 {
            body.extend_from_slice(&(a.len() as u32).to_be_bytes());
        } else {
            body.extend_from_slice(&(a.len().min(0xFFFF) as u16).to_be_bytes());
        }
        body.extend_from_slice(a);
    };
    push_area(&mut body, &hashed);
    push_area(&mut body, &unhashed);
    body.extend_from_slice(&[0xAB, 0xCD]);
    if v6 {
        let salt_len = match hash {
            8 => 16,
            9 => 24,
            10 => 32,
            _ => 16,
        };
        body.push(salt_len);
        body.extend((0..salt_len).map(|i| i ^ 0x5A));
    }
    match algo {
        1 | 3 => mpi(&[0x9C; 256], &mut body),
        27 => body.extend_from_slice(&[0x42; 64]),
        28 => body.extend_from_slice(&[0x42; 114]),
        _ => {
            mpi(&[0x7E; 32], &mut body);
            mpi(&[0x3D; 32], &mut body);
        }
    }
    let mut payload = Vec::new();
    packet(2, false, form, &body, &mut payload);
    with_replies(|reply, _| {
        honest(Op::ParseSignature, &payload, reply);
        assert!(
            same_verdict(Op::ParseSignature, &payload, reply),
            "honest reply rejected"
        );
        if reply.header.status == Status::Ok.raw() {
            let r = c_sig_policy(&payload, reply, signed, NOW, u32::from(*control & 8));
            if *sig_type <= 1 {
                assert_ne!(r, -74, "the kernel refused to load a parsed data signature");
            }
        }
    });
});
