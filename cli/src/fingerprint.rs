//! Fingerprints and key ids (RFC 9580 §5.5.4) as people read them: the
//! computation is the parser's.

pub use pgp_umd_parser::fingerprint::Fingerprint;

/// Uppercase hexadecimal, as gpg prints fingerprints and key ids.
pub fn hex_upper(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02X}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9580 Appendix A.3: the sample v6 Ed25519 certificate's primary key.
    #[test]
    fn v6_fingerprint_matches_rfc_sample() {
        let body = [
            0x06, 0x63, 0x87, 0x7f, 0xe3, 0x1b, 0x00, 0x00, 0x00, 0x20, 0xf9, 0x4d, 0xa7, 0xbb,
            0x48, 0xd6, 0x0a, 0x61, 0xe5, 0x67, 0x70, 0x6a, 0x65, 0x87, 0xd0, 0x33, 0x19, 0x99,
            0xbb, 0x9d, 0x89, 0x1a, 0x08, 0x24, 0x2e, 0xad, 0x84, 0x54, 0x3d, 0xf8, 0x95, 0xa3,
        ];
        let fpr = Fingerprint::of_key_body(&body).expect("v6 body");
        assert_eq!(
            hex_upper(fpr.as_bytes()),
            "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9"
        );
        assert_eq!(hex_upper(&fpr.key_id()), "CB186C4F0609A697");
    }
}
