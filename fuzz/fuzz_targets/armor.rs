//! ASCII armor decoding, the CLI path (`armor::decode_all`).
//!
//! Invariants: decoding arbitrary text never panics; whatever decodes
//! re-encodes (with the tiny RFC 9580 §6.2 encoder below: headers, 64-column
//! base64, CRC24) to text that decodes to the same blocks; and the input
//! bytes themselves, armored with options chosen by the first byte (label,
//! a header line, line width, with or without CRC, CRLF line ends, text
//! before and after), decode back to exactly those bytes.
#![no_main]

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use pgp_umd_cli::armor::{decode_all, ArmorBlock};

const CRC24: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_24_OPENPGP);
const LABELS: [&str; 4] = [
    "PUBLIC KEY BLOCK",
    "SIGNATURE",
    "PRIVATE KEY BLOCK",
    "MESSAGE",
];

struct Options {
    width: usize,
    crc: bool,
    header: bool,
    crlf: bool,
    surrounding_text: bool,
}

fn encode(blocks: &[ArmorBlock], o: &Options) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let nl = if o.crlf { "\r\n" } else { "\n" };
    let mut s = String::new();
    if o.surrounding_text {
        s.push_str("Some text before the key");
        s.push_str(nl);
    }
    for b in blocks {
        s.push_str(&format!("-----BEGIN PGP {}-----{nl}", b.label));
        if o.header {
            s.push_str(&format!("Comment: fuzz{nl}"));
        }
        s.push_str(nl);
        let text = b64.encode(&b.data);
        for chunk in text.as_bytes().chunks(o.width) {
            s.push_str(std::str::from_utf8(chunk).expect("base64 is ascii"));
            s.push_str(nl);
        }
        if o.crc {
            let crc = CRC24.checksum(&b.data).to_be_bytes();
            s.push_str(&format!("={}{nl}", b64.encode(&crc[1..])));
        }
        s.push_str(&format!("-----END PGP {}-----{nl}", b.label));
        if o.surrounding_text {
            s.push_str(&format!("between or after{nl}"));
        }
    }
    s
}

fuzz_target!(|data: &[u8]| {
    // 1. Arbitrary text: no panic; a decoded result round-trips.
    if let Ok(blocks) = decode_all(data) {
        assert!(!blocks.is_empty());
        for (crc, crlf) in [(true, false), (false, true)] {
            let o = Options {
                width: 64,
                crc,
                header: crlf,
                crlf,
                surrounding_text: false,
            };
            let text = encode(&blocks, &o);
            let again = decode_all(text.as_bytes());
            assert_eq!(
                again.as_ref(),
                Ok(&blocks),
                "re-encoded armor differs:\n{text}"
            );
        }
    }
    // 2. The bytes as data: armor them, decode them back.
    let Some((&opts, payload)) = data.split_first() else {
        return;
    };
    let o = Options {
        width: [64, 76, 4, 60][usize::from(opts & 3)],
        crc: opts & 4 == 0,
        header: opts & 8 != 0,
        crlf: opts & 16 != 0,
        surrounding_text: opts & 32 != 0,
    };
    let block = ArmorBlock {
        label: LABELS[usize::from(opts >> 6)].to_owned(),
        data: payload.to_vec(),
    };
    let copies = if opts & 0x20 != 0 { 2 } else { 1 };
    let blocks = vec![block; copies];
    let text = encode(&blocks, &o);
    assert_eq!(
        decode_all(text.as_bytes()),
        Ok(blocks),
        "armor round trip:\n{text}"
    );
});
