//! Fingerprints and key ids (RFC 9580 §5.5.4). The parser computes the
//! primary key's so that it never skips a signature naming it (runs of
//! skipped packets, `pgp_umd_proto::skip`); the CLI shows them to people. The
//! kernel computes its own.

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
