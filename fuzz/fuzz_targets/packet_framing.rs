//! Packet framing: walks `read_packet_header` over arbitrary bytes.
//!
//! Invariants: the rest starts right after the header and holds the whole
//! body; header lengths are the ones the two formats allow; tag 0 never
//! comes back; re-encoding the decoded header in the same length form gives
//! the input's header octets back; decoding is deterministic; the walk and
//! `split_certificates` agree on where certificates start.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_cli::inspect::split_certificates;
use pgp_umd_fuzz::encode::packet_header;
use pgp_umd_parser::parse::read_packet_header;
use pgp_umd_proto::{Status, FORMAT_LEGACY, FORMAT_OPENPGP};

fuzz_target!(|data: &[u8]| {
    let mut pos = 0;
    let mut starts = Vec::new();
    let mut encoded = Vec::new();
    let mut walk_error = None;
    while pos < data.len() {
        let input = &data[pos..];
        let result = read_packet_header(input);
        assert_eq!(result, read_packet_header(input), "not deterministic");
        let (rest, h) = match result {
            Ok(v) => v,
            Err(status) => {
                assert!(
                    matches!(
                        status,
                        Status::BadPacketHeader | Status::Truncated | Status::PartialLength
                    ),
                    "unexpected status {status:?}"
                );
                walk_error = Some(status);
                break;
            }
        };
        assert_ne!(h.tag, 0);
        assert_eq!(
            rest.len(),
            input.len() - h.header_len,
            "rest not after header"
        );
        assert!(h.body_len <= rest.len(), "body not complete");
        let form = match (h.format, h.header_len) {
            (FORMAT_OPENPGP, 2) | (FORMAT_LEGACY, 2) => 0,
            (FORMAT_OPENPGP, 3) | (FORMAT_LEGACY, 3) => 1,
            (FORMAT_OPENPGP, 6) | (FORMAT_LEGACY, 5) => 2,
            other => panic!("impossible header shape {other:?}"),
        };
        let legacy = h.format == FORMAT_LEGACY;
        if legacy {
            assert!(h.tag < 16);
        } else {
            assert!(h.tag < 64);
        }
        encoded.clear();
        // Legacy headers carry the form in their type bits; OpenPGP headers
        // carry it in the first length octet.
        if legacy {
            let ty = form;
            encoded.push(0x80 | (h.tag << 2) | ty);
            match ty {
                0 => encoded.push(h.body_len as u8),
                1 => encoded.extend_from_slice(&(h.body_len as u16).to_be_bytes()),
                _ => encoded.extend_from_slice(&(h.body_len as u32).to_be_bytes()),
            }
        } else {
            packet_header(h.tag, false, form, h.body_len, &mut encoded);
        }
        assert_eq!(
            &encoded[..],
            &input[..h.header_len],
            "header does not re-encode to its octets: {h:?}"
        );
        if h.tag == 6 || pos == 0 {
            starts.push(pos);
        }
        pos += h.header_len + h.body_len;
    }
    match split_certificates(data) {
        Ok(parts) => {
            assert!(walk_error.is_none());
            let got: Vec<usize> = parts
                .iter()
                .map(|p| p.as_ptr() as usize - data.as_ptr() as usize)
                .collect();
            assert_eq!(got, starts, "split_certificates disagrees with the walk");
            assert_eq!(parts.iter().map(|p| p.len()).sum::<usize>(), data.len());
        }
        Err(s) => assert_eq!(Some(s), walk_error),
    }
});
