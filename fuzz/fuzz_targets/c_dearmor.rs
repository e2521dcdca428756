//! (a) The kernel's C armor decoder (pgp_dearmor) against its Rust twin
//! (`armor::dearmor`), differential.
//!
//! Input: a control octet, then the rest. Bit 0 of the control octet picks
//! the key label, else the signature label. Bit 1 clear: the rest is the
//! text. Bit 1 set: the rest is an options octet and a payload, and the text
//! is built from them the way distribution key files are written: the
//! payload split into one to three blocks, text before, between and after
//! them, header lines, CRLF, CRC24 lines, and deliberately broken forms
//! (non-zero trailing base64 bits, a PRIVATE KEY BLOCK mixed in).
//!
//! Invariants: no out-of-bounds access (ASan builds; the buffers are exact
//! size), the output never longer than the input, and the C and the Rust
//! decoders decide alike: both decode to the same octets, or both refuse
//! with the same errno (-EBADMSG or -EMSGSIZE). In the built mode, the
//! outcome is also known in advance: the concatenation of the blocks'
//! payloads, or -EBADMSG for the broken forms.
#![no_main]

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use pgp_umd_cli::armor::{self, dearmor};
use pgp_umd_fuzz::cffi::c_dearmor;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const CRC24: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_24_OPENPGP);
const EBADMSG: i32 = 74;

/// Sets a trailing bit in canonical base64 that ends in padding; false if
/// there is no padding (no trailing bits).
fn spoil_trailing_bits(b64: &mut String) -> bool {
    let Some(pos) = b64.trim_end_matches('=').len().checked_sub(1) else {
        return false;
    };
    if pos + 1 == b64.len() {
        return false;
    }
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let Some(v) = ALPHABET.iter().position(|&c| c == b64.as_bytes()[pos]) else {
        return false;
    };
    let spoiled = char::from(ALPHABET[v | 1]);
    b64.replace_range(pos..=pos, spoiled.encode_utf8(&mut [0; 4]));
    true
}

/// Builds armored text from `opts` and `payload`; returns it and the
/// expected outcome.
fn build(label: &str, opts: u8, payload: &[u8]) -> (Vec<u8>, Result<Vec<u8>, i32>) {
    let blocks = 1 + usize::from(opts & 3) % 3;
    let text_around = opts & 4 != 0;
    let headers = opts & 8 != 0;
    let nl = if opts & 16 != 0 { "\r\n" } else { "\n" };
    let crc = opts & 32 != 0;
    let spoil = opts & 64 != 0;
    let private = opts & 128 != 0;
    let chunk = payload.len().div_ceil(blocks).max(1);
    let parts: Vec<&[u8]> = if payload.is_empty() {
        vec![payload]
    } else {
        payload.chunks(chunk).collect()
    };
    let mut s = String::new();
    let mut broken = false;
    if text_around {
        s.push_str(&format!(
            "pub  2048R/8822D0D1 2024-01-01 Test (1) <t@example>{nl}{nl}"
        ));
    }
    for (i, part) in parts.iter().enumerate() {
        let this_label = if private && i == 1 {
            broken = true;
            "PRIVATE KEY BLOCK"
        } else {
            label
        };
        s.push_str(&format!("-----BEGIN PGP {this_label}-----{nl}"));
        if headers {
            s.push_str(&format!(
                "Version: GnuPG v1{nl}Comment: block {i}: fuzz{nl}Hash: SHA256{nl}Comment:{nl}"
            ));
        }
        s.push_str(nl);
        let mut body = B64.encode(part);
        if spoil && i + 1 == parts.len() && spoil_trailing_bits(&mut body) {
            broken = true;
        }
        for line in body.as_bytes().chunks(64) {
            s.push_str(std::str::from_utf8(line).unwrap_or_default());
            s.push_str(nl);
        }
        if crc {
            let sum = CRC24.checksum(part).to_be_bytes();
            s.push_str(&format!("={}{nl}", B64.encode(&sum[1..])));
        }
        s.push_str(&format!("-----END PGP {this_label}-----{nl}"));
        if text_around {
            s.push_str(&format!("{nl}text after block {i}{nl}"));
        }
    }
    let want = if broken {
        Err(EBADMSG)
    } else {
        Ok(payload.to_vec())
    };
    (s.into_bytes(), want)
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let key = control & 1 == 1;
    let label = if key {
        armor::LABEL_KEY
    } else {
        armor::LABEL_SIGNATURE
    };
    let (text, want) = if control & 2 != 0 {
        let Some((&opts, payload)) = rest.split_first() else {
            return;
        };
        let (text, want) = build(label, opts, payload);
        (text, Some(want))
    } else {
        (rest.to_vec(), None)
    };
    let c = c_dearmor(&text, key);
    let rust = dearmor(&text, label).map_err(|e| -e.errno());
    assert_eq!(c, rust, "C and Rust decide differently");
    if let Some(want) = want {
        assert_eq!(c, want.map_err(|e| -e), "built armor decoded wrongly");
    }
});
