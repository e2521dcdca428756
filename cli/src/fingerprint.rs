//! Fingerprints and key ids (RFC 9580 §5.5.4), for people and tests. The
//! kernel computes its own; the request path never calls this.

use sha1::Digest as _;

/// A key's fingerprint: 20 octets (v4) or 32 octets (v6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fingerprint {
    V4([u8; 20]),
    V6([u8; 32]),
}

impl Fingerprint {
    /// Computes the fingerprint of a key packet body (version octet first).
    /// `None` for versions other than 4 and 6.
    pub fn of_key_body(body: &[u8]) -> Option<Fingerprint> {
        match body.first()? {
            4 => {
                let len = u16::try_from(body.len()).ok()?;
                let mut h = sha1::Sha1::new();
                h.update([0x99]);
                h.update(len.to_be_bytes());
                h.update(body);
                Some(Fingerprint::V4(h.finalize().into()))
            }
            6 => {
                let len = u32::try_from(body.len()).ok()?;
                let mut h = sha2::Sha256::new();
                h.update([0x9B]);
                h.update(len.to_be_bytes());
                h.update(body);
                Some(Fingerprint::V6(h.finalize().into()))
            }
            _ => None,
        }
    }

    /// From the bytes of an issuer-fingerprint subpacket (version octet first).
    pub fn from_issuer_subpacket(body: &[u8]) -> Option<Fingerprint> {
        match body.split_first()? {
            (4, fpr) => fpr.try_into().ok().map(Fingerprint::V4),
            (6, fpr) => fpr.try_into().ok().map(Fingerprint::V6),
            _ => None,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Fingerprint::V4(f) => f,
            Fingerprint::V6(f) => f,
        }
    }

    /// The 64-bit key id: the low 8 octets (v4) or the high 8 octets (v6).
    pub fn key_id(&self) -> [u8; 8] {
        let src = match self {
            Fingerprint::V4(f) => &f[12..],
            Fingerprint::V6(f) => &f[..8],
        };
        let mut id = [0; 8];
        id.copy_from_slice(src);
        id
    }
}

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
