//! The RPM reader (`rpm::read_rpm`, `rpm::parse_rpm`) and the header check
//! that follows it (`rpm_check::check_headers`, `signature_facts`).
//!
//! Input: a control octet. Bit 0 clear: the rest is the file. Bit 0 set:
//! a real package of testdata/rpm (next octet picks it) with lies of 5
//! octets each [what, which, value u24]: what 0-1 the index count or data
//! length of the signature or main header, 2-5 the tag, type, offset or
//! count of an entry of the signature header, 6-9 the same in the main
//! header, 10 an octet anywhere, 11 truncation.
//!
//! Invariants: never a panic or an out-of-bounds access; reading through
//! `Read` one octet at a time gives the same result as from memory; on
//! success the region is the file's octets at region_offset and each header
//! signature is non-empty. Every real package must read at start-up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_cli::rpm::{parse_rpm, read_rpm};
use pgp_umd_cli::rpm_check::{check_headers, signature_facts, Failure, Verifier};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

const LEAD: usize = 96;

fn packages() -> &'static [Vec<u8>] {
    static P: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    P.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/rpm");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("testdata/rpm")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "rpm"))
            .collect();
        paths.sort();
        assert!(paths.len() >= 10, "testdata/rpm not found");
        paths
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).expect("read rpm");
                if let Err(e) = parse_rpm(&bytes) {
                    panic!("{}: a real package fails: {e}", p.display());
                }
                bytes
            })
            .collect()
    })
}

/// Hands out one octet per read call.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((&b, rest)), Some(slot)) => {
                *slot = b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

struct Accept(bool);

impl Verifier for Accept {
    fn verify(&mut self, _signature: &[u8], _data: &[u8]) -> Result<String, Failure> {
        if self.0 {
            Ok(String::new())
        } else {
            Err(Failure::Rejected)
        }
    }
}

fn be32(b: &[u8], at: usize) -> usize {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

fn lie(file: &mut Vec<u8>, l: &[u8]) {
    let (what, which) = (l[0] % 12, usize::from(l[1]));
    let value = u32::from_be_bytes([0, l[2], l[3], l[4]]);
    // Interesting values: small, negative as i32, or near a u32 limit.
    let value = match l[2] >> 6 {
        0 => value & 0xFFFF,
        1 => (-(i32::from(l[4]) + 1)) as u32,
        2 => u32::MAX - u32::from(l[4]),
        _ => value,
    };
    let sig_il = be32(file, LEAD + 8);
    let sig_dl = be32(file, LEAD + 12);
    let sig_len = 16 + sig_il.saturating_mul(16).saturating_add(sig_dl);
    let main = LEAD.saturating_add(sig_len.saturating_add(7) & !7);
    let main_il = be32(file, main + 8);
    let at = match what {
        0 | 1 => LEAD + 8 + 4 * usize::from(what),
        2..=5 => LEAD + 16 + 16 * (which % sig_il.max(1)) + 4 * usize::from(what - 2),
        6..=9 => main + 16 + 16 * (which % main_il.max(1)) + 4 * usize::from(what - 6),
        10 => {
            let at = (which << 8 | usize::from(l[4])) % file.len().max(1);
            if let Some(b) = file.get_mut(at) {
                *b = l[3];
            }
            return;
        }
        _ => {
            let keep = (u32::from_be_bytes([0, l[2], l[3], l[4]]) as usize) % (file.len() + 1);
            file.truncate(keep);
            return;
        }
    };
    if let Some(s) = file.get_mut(at..at + 4) {
        s.copy_from_slice(&value.to_be_bytes());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let pkgs = packages();
    let file = if control & 1 == 0 {
        rest.to_vec()
    } else {
        let [pick, lies @ ..] = rest else { return };
        let mut f = pkgs[usize::from(*pick) % pkgs.len()].clone();
        for l in lies.chunks_exact(5) {
            lie(&mut f, l);
        }
        f
    };
    let mem = parse_rpm(&file);
    let streamed = read_rpm(Trickle(&file));
    assert_eq!(
        format!("{mem:?}"),
        format!("{streamed:?}"),
        "read_rpm over a trickling reader differs from parse_rpm"
    );
    if let Ok(h) = mem {
        let start = usize::try_from(h.region_offset).expect("offset");
        assert_eq!(
            file.get(start..start + h.region.len()),
            Some(&h.region[..]),
            "region is not the file's octets at region_offset"
        );
        for s in &h.signatures {
            assert!(!s.packet.is_empty(), "empty signature packet");
            let _ = signature_facts(&s.packet);
        }
        let _ = check_headers(&h, &mut Accept(control & 2 != 0)).to_string();
    }
});
