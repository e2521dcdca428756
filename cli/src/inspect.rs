//! What a parse found, in terms people use: fingerprints, key ids, sizes,
//! capabilities, user ids, signature facts. Built from a reply and its
//! payload for the CLI and tests; the handler itself never runs this.

use crate::fingerprint::{hex_upper, Fingerprint};
use crate::parse::read_packet_header;
use pgp_umd_proto::openpgp::*;
use pgp_umd_proto::{Curve, FieldKind, Key, PacketRole, Range, Reply, SigRole, Signature, Status};
use serde::Serialize;

/// A primary key or subkey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    pub version: u8,
    /// RFC 9580 public-key algorithm id.
    pub algorithm: u8,
    /// Modulus or prime size for RSA, DSA, ElGamal; curve size for EC keys.
    pub bits: Option<u32>,
    /// Curve name as gpg prints it, or null.
    pub curve: Option<&'static str>,
    pub fingerprint: String,
    pub key_id: String,
    /// Creation time, Unix seconds.
    pub created: u32,
    /// From the key flags of the newest self-signature (binding signature
    /// for subkeys); null when that signature has no key flags.
    pub capabilities: Option<Vec<&'static str>>,
}

/// One certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertInfo {
    pub primary: KeyInfo,
    pub subkeys: Vec<KeyInfo>,
    pub user_ids: Vec<String>,
}

/// One signature packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SigInfo {
    pub version: u8,
    #[serde(rename = "type")]
    pub sig_type: u8,
    pub pubkey_algorithm: u8,
    pub hash_algorithm: u8,
    pub issuer_key_id: Option<String>,
    pub issuer_fingerprint: Option<String>,
    pub created: Option<u32>,
    /// The two left octets of the signed hash, 4 hex digits.
    pub hash_prefix: String,
}

/// Splits a binary keyring into its certificates: each starts at a
/// public-key packet. Only packet headers are read; each part is then parsed
/// on its own.
pub fn split_certificates(data: &[u8]) -> Result<Vec<&[u8]>, Status> {
    let mut starts = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let (_, hdr) = read_packet_header(&data[pos..])?;
        if hdr.tag == TAG_PUBLIC_KEY || pos == 0 {
            starts.push(pos);
        }
        pos += hdr.header_len + hdr.body_len;
    }
    let ends = starts.iter().skip(1).copied().chain([data.len()]);
    Ok(starts.iter().zip(ends).map(|(&s, e)| &data[s..e]).collect())
}

/// The key's algorithm as gpg names it: `rsa4096`, `dsa3072`, `elg2048`,
/// or the curve (`ed25519`, `cv25519`, `nistp256`, `brainpoolP256r1`).
pub fn algorithm_label(k: &KeyInfo) -> String {
    if let Some(c) = k.curve {
        return c.to_string();
    }
    let bits = k.bits.map_or(String::new(), |b| b.to_string());
    match k.algorithm {
        PK_RSA | PK_RSA_ENCRYPT_ONLY | PK_RSA_SIGN_ONLY => format!("rsa{bits}"),
        PK_DSA => format!("dsa{bits}"),
        PK_ELGAMAL | PK_ELGAMAL_SIGN => format!("elg{bits}"),
        PK_ED448 => "ed448".into(),
        PK_X448 => "cv448".into(),
        n => format!("algo{n}"),
    }
}

/// Unix seconds as an ISO 8601 date (`2024-03-01`), as gpg prints them.
pub fn iso_date(secs: u32) -> String {
    chrono::DateTime::from_timestamp(i64::from(secs), 0)
        .map_or_else(|| secs.to_string(), |t| t.format("%Y-%m-%d").to_string())
}

/// Unix seconds as an ISO 8601 time in UTC (`2024-03-01T12:00:00Z`).
pub fn iso_time(secs: u32) -> String {
    chrono::DateTime::from_timestamp(i64::from(secs), 0).map_or_else(
        || secs.to_string(),
        |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
}

/// Splits a binary detached-signature file into its signature packets (a
/// file signed by several keys holds one per signer); marker, trust and
/// padding packets are skipped. Only packet headers are read; each packet
/// is then parsed (or sent to the kernel) on its own. Any other packet, or
/// a file without a signature, is an error.
pub fn split_signatures(data: &[u8]) -> Result<Vec<&[u8]>, Status> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let rest = data.get(pos..).unwrap_or_default();
        let (_, hdr) = read_packet_header(rest)?;
        let len = hdr
            .header_len
            .checked_add(hdr.body_len)
            .ok_or(Status::Truncated)?;
        let packet = rest.get(..len).ok_or(Status::Truncated)?;
        match hdr.tag {
            TAG_SIGNATURE => out.push(packet),
            TAG_MARKER | TAG_TRUST | TAG_PADDING => {}
            _ => return Err(Status::NotASignature),
        }
        pos += len;
    }
    if out.is_empty() {
        return Err(if data.is_empty() {
            Status::EmptyPayload
        } else {
            Status::NotASignature
        });
    }
    Ok(out)
}

fn bytes(payload: &[u8], r: Range) -> &[u8] {
    r.slice(payload).unwrap_or(&[])
}

fn be_u32(b: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(..4)?.try_into().ok()?))
}

/// The subpackets of one area of `sig`: (type without critical bit, body).
fn area<'a>(
    payload: &'a [u8],
    reply: &'a Reply,
    first: u16,
    count: u16,
) -> impl Iterator<Item = (u8, &'a [u8])> + 'a {
    let rows = reply
        .subpackets()
        .get(usize::from(first)..usize::from(first) + usize::from(count))
        .unwrap_or(&[]);
    rows.iter().map(move |sp| {
        let whole = bytes(payload, sp.whole);
        let body = whole.get(usize::from(sp.header_len)..).unwrap_or(&[]);
        (sp.type_octet & !SUBPACKET_CRITICAL, body)
    })
}

fn hashed<'a>(
    payload: &'a [u8],
    reply: &'a Reply,
    s: &Signature,
) -> impl Iterator<Item = (u8, &'a [u8])> + 'a {
    area(payload, reply, s.hashed_first, s.hashed_count)
}

fn all_subpackets<'a>(
    payload: &'a [u8],
    reply: &'a Reply,
    s: &Signature,
) -> impl Iterator<Item = (u8, &'a [u8])> + 'a {
    hashed(payload, reply, s).chain(area(payload, reply, s.unhashed_first, s.unhashed_count))
}

/// Signature creation time: v3 from its hashed octets, else subpacket 2.
pub fn sig_created(payload: &[u8], reply: &Reply, s: &Signature) -> Option<u32> {
    if s.version == 3 {
        return be_u32(bytes(payload, s.hashed_area).get(1..)?);
    }
    hashed(payload, reply, s)
        .find(|&(t, _)| t == SUBPACKET_CREATION_TIME)
        .and_then(|(_, b)| be_u32(b))
}

/// The issuer fingerprint (subpacket 33), if present.
pub fn sig_issuer_fingerprint(payload: &[u8], reply: &Reply, s: &Signature) -> Option<Fingerprint> {
    all_subpackets(payload, reply, s)
        .find(|&(t, _)| t == SUBPACKET_ISSUER_FINGERPRINT)
        .and_then(|(_, b)| Fingerprint::from_issuer_subpacket(b))
}

/// The issuer key id: v3's field, else the key id of the issuer fingerprint
/// (subpacket 33), else subpacket 16. The fingerprint is the stronger claim
/// and wins when the two contradict each other (as sequoia's issuer order
/// does; docs/fuzzing.md, "Contradictory issuer claims"). Neither is
/// authenticated until the signature verifies.
pub fn sig_issuer_key_id(payload: &[u8], reply: &Reply, s: &Signature) -> Option<[u8; 8]> {
    if s.version == 3 {
        return bytes(payload, s.issuer).try_into().ok();
    }
    sig_issuer_fingerprint(payload, reply, s)
        .map(|f| f.key_id())
        .or_else(|| {
            all_subpackets(payload, reply, s)
                .find(|&(t, _)| t == SUBPACKET_ISSUER_KEY_ID)
                .and_then(|(_, b)| b.try_into().ok())
        })
}

fn curve_info(curve: Curve, pk_algo: u8) -> (Option<&'static str>, Option<u32>) {
    match (curve, pk_algo) {
        (Curve::NistP256, _) => (Some("nistp256"), Some(256)),
        (Curve::NistP384, _) => (Some("nistp384"), Some(384)),
        (Curve::NistP521, _) => (Some("nistp521"), Some(521)),
        (Curve::BrainpoolP256, _) => (Some("brainpoolP256r1"), Some(256)),
        (Curve::BrainpoolP384, _) => (Some("brainpoolP384r1"), Some(384)),
        (Curve::BrainpoolP512, _) => (Some("brainpoolP512r1"), Some(512)),
        (Curve::Ed25519Legacy, _) | (_, PK_ED25519) => (Some("ed25519"), Some(255)),
        (Curve::Curve25519Legacy, _) | (_, PK_X25519) => (Some("cv25519"), Some(255)),
        (_, PK_ED448) => (Some("ed448"), Some(448)),
        (_, PK_X448) => (Some("cv448"), Some(448)),
        (Curve::Secp256k1, _) => (Some("secp256k1"), Some(256)),
        _ => (None, None),
    }
}

fn key_info(payload: &[u8], reply: &Reply, row: usize, k: &Key) -> KeyInfo {
    let packet = &reply.packets[usize::from(k.packet)];
    let body = &bytes(payload, packet.whole)[usize::from(packet.header_len)..];
    let fpr = Fingerprint::of_key_body(body);
    let (curve, curve_bits) = curve_info(
        Curve::from_raw(k.curve).unwrap_or(Curve::Unknown),
        k.pk_algo,
    );
    let first_mpi_bits = (k.field_kind[0] == FieldKind::Mpi.raw())
        .then(|| bytes(payload, k.fields[0]))
        .and_then(|b| Some(u32::from(u16::from_be_bytes(b.get(..2)?.try_into().ok()?))));
    let bits = match k.pk_algo {
        PK_RSA | PK_RSA_ENCRYPT_ONLY | PK_RSA_SIGN_ONLY | PK_DSA | PK_ELGAMAL | PK_ELGAMAL_SIGN => {
            first_mpi_bits
        }
        _ => curve_bits,
    };
    KeyInfo {
        version: k.version,
        algorithm: k.pk_algo,
        bits,
        curve,
        fingerprint: fpr.map(|f| hex_upper(f.as_bytes())).unwrap_or_default(),
        key_id: fpr.map(|f| hex_upper(&f.key_id())).unwrap_or_default(),
        created: be_u32(&body[1..]).unwrap_or(0),
        capabilities: capabilities(payload, reply, row, k, fpr),
    }
}

/// Key flags of the newest self-signature about key row `row`: for the
/// primary its direct-key signatures and self-certifications, for a subkey
/// its binding signatures. Signatures are not verified here.
fn capabilities(
    payload: &[u8],
    reply: &Reply,
    row: usize,
    k: &Key,
    primary_fpr: Option<Fingerprint>,
) -> Option<Vec<&'static str>> {
    let primary = reply.keys().first()?;
    let primary_body_fpr = if row == 0 {
        primary_fpr
    } else {
        let p = &reply.packets[usize::from(primary.packet)];
        Fingerprint::of_key_body(&bytes(payload, p.whole)[usize::from(p.header_len)..])
    }?;
    let about_this_key = |s: &Signature| -> bool {
        let role = SigRole::from_raw(s.role);
        if row == 0 {
            matches!(role, Some(SigRole::DirectKey | SigRole::Certification))
        } else {
            role == Some(SigRole::SubkeyBinding) && s.target == k.packet
        }
    };
    let by_primary = |s: &Signature| {
        sig_issuer_fingerprint(payload, reply, s).map_or_else(
            || sig_issuer_key_id(payload, reply, s) == Some(primary_body_fpr.key_id()),
            |f| f == primary_body_fpr,
        )
    };
    let newest = reply
        .signatures()
        .iter()
        .filter(|s| about_this_key(s) && by_primary(s))
        .max_by_key(|s| sig_created(payload, reply, s))?;
    let flags = hashed(payload, reply, newest)
        .find(|&(t, _)| t == SUBPACKET_KEY_FLAGS)
        .and_then(|(_, b)| b.first().copied())?;
    let names = [
        (KEY_FLAG_CERTIFY, "certify"),
        (KEY_FLAG_SIGN, "sign"),
        (KEY_FLAG_ENCRYPT_COMMS | KEY_FLAG_ENCRYPT_STORAGE, "encrypt"),
        (KEY_FLAG_AUTHENTICATE, "authenticate"),
    ];
    Some(
        names
            .iter()
            .filter(|(bit, _)| flags & bit != 0)
            .map(|&(_, n)| n)
            .collect(),
    )
}

/// Describes a certificate from a successful parse-key reply.
pub fn describe_certificate(payload: &[u8], reply: &Reply) -> Option<CertInfo> {
    let keys = reply.keys();
    let primary = key_info(payload, reply, 0, keys.first()?);
    let subkeys = keys
        .iter()
        .enumerate()
        .skip(1)
        .map(|(row, k)| key_info(payload, reply, row, k))
        .collect();
    let user_ids = reply
        .packets()
        .iter()
        .filter(|p| p.role == PacketRole::UserId.raw())
        .map(|p| {
            let b = &bytes(payload, p.whole)[usize::from(p.header_len)..];
            String::from_utf8_lossy(b).into_owned()
        })
        .collect();
    Some(CertInfo {
        primary,
        subkeys,
        user_ids,
    })
}

/// Describes the signature of a successful parse-signature reply.
pub fn describe_signature(payload: &[u8], reply: &Reply) -> Option<SigInfo> {
    let s = reply.signatures().first()?;
    Some(SigInfo {
        version: s.version,
        sig_type: s.sig_type,
        pubkey_algorithm: s.pk_algo,
        hash_algorithm: s.hash_algo,
        issuer_key_id: sig_issuer_key_id(payload, reply, s).map(|id| hex_upper(&id)),
        issuer_fingerprint: sig_issuer_fingerprint(payload, reply, s)
            .map(|f| hex_upper(f.as_bytes())),
        created: sig_created(payload, reply, s),
        hash_prefix: hex_upper(bytes(payload, s.hash_prefix)),
    })
}
