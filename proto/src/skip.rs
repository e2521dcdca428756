//! Runs of skipped packets: the parts of a certificate that decide nothing.
//!
//! Real certificates carry thousands of third-party certifications, packets
//! of types this protocol does not know, and signatures of versions it does
//! not know. Mapping each would make the reply as large as the certificate.
//! Instead the handler reports consecutive packets of that kind as one
//! packet row of role [`crate::PacketRole::Skipped`], and the kernel walks
//! the run itself with [`walk_run`] (the C sanitizer has the same walk):
//! packet framing, and for a signature its version, type and issuer hints,
//! nothing more. Whether a hint names the certificate's own primary key is
//! decided later, once the kernel has computed that key's fingerprint: a
//! run may never hold a signature by the primary key.
//!
//! A packet may be skipped when it is (RFC 9580 §4.3, §5.2.3, §10.1):
//! - a marker, trust or padding packet, or one of the non-critical packet
//!   types 40 to 63 that implementations MUST ignore;
//! - a user id or user attribute (then the signatures after it up to the
//!   next mapped packet must be skippable too: a run never holds the
//!   component of a mapped signature);
//! - a signature of a version other than 3, 4 and 6, which is ignored;
//! - a certification (0x10 to 0x13) or certification revocation (0x30) over
//!   a user id or user attribute that names its issuer (issuer key id or
//!   issuer fingerprint, hashed or not): the kernel refuses the reply if any
//!   hint names the primary key.

use crate::openpgp::{
    FIRST_NONCRITICAL_TAG, LAST_NONCRITICAL_TAG, SIG_CERT_GENERIC, SIG_CERT_POSITIVE,
    SIG_CERT_REVOCATION, SUBPACKET_CRITICAL, SUBPACKET_ISSUER_FINGERPRINT, SUBPACKET_ISSUER_KEY_ID,
    TAG_MARKER, TAG_PADDING, TAG_SIGNATURE, TAG_TRUST, TAG_USER_ATTRIBUTE, TAG_USER_ID,
};
use crate::validate::{decode_packet_header, decode_subpacket_len};
use crate::PacketRole;

/// An issuer hint of a skipped signature: a key id (8 octets) or a v4 or
/// v6 fingerprint (20 or 32 octets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint<'a> {
    KeyId(&'a [u8]),
    Fingerprint(&'a [u8]),
}

/// What a skippable packet is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skippable {
    /// Marker, trust, padding or a non-critical unknown type.
    Ignored,
    /// A user id or user attribute: the component of what follows.
    Component(PacketRole),
    /// A signature of a version this protocol does not know.
    UnknownVersion,
    /// A certification or certification revocation naming its issuer.
    Certification,
}

/// Why a run was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunFault {
    /// A packet header that does not decode or runs past the run.
    Framing,
    /// A packet that may not be skipped.
    NotSkippable,
}

/// Whether packet `tag` with body `body` may be skipped after a component of
/// role `component` (`None` when none precedes it); reports the issuer hints
/// of a skippable certification through `hint`.
pub fn skippable<'a>(
    tag: u8,
    body: &'a [u8],
    component: Option<PacketRole>,
    hint: &mut dyn FnMut(Hint<'a>),
) -> Option<Skippable> {
    match tag {
        TAG_MARKER | TAG_TRUST | TAG_PADDING => Some(Skippable::Ignored),
        FIRST_NONCRITICAL_TAG..=LAST_NONCRITICAL_TAG => Some(Skippable::Ignored),
        TAG_USER_ID => Some(Skippable::Component(PacketRole::UserId)),
        TAG_USER_ATTRIBUTE => Some(Skippable::Component(PacketRole::UserAttribute)),
        TAG_SIGNATURE => {
            let version = *body.first()?;
            if !matches!(version, 3 | 4 | 6) {
                return Some(Skippable::UnknownVersion);
            }
            let over_user_id = matches!(
                component,
                Some(PacketRole::UserId | PacketRole::UserAttribute)
            );
            let mut hints = 0usize;
            let sig_type = signature_hints(version, body, &mut |h| {
                hints += 1;
                hint(h);
            })?;
            let certification = matches!(
                sig_type,
                SIG_CERT_GENERIC..=SIG_CERT_POSITIVE | SIG_CERT_REVOCATION
            );
            (over_user_id && certification && hints > 0).then_some(Skippable::Certification)
        }
        _ => None,
    }
}

/// Reads a v3, v4 or v6 signature's type and its issuer hints; `None` when
/// the octets up to the end of the unhashed area do not frame exactly.
/// Subpacket bodies other than the hints are not looked at.
fn signature_hints<'a>(version: u8, body: &'a [u8], hint: &mut dyn FnMut(Hint<'a>)) -> Option<u8> {
    if version == 3 {
        if body.len() < 15 || body[1] != 5 {
            return None;
        }
        hint(Hint::KeyId(&body[7..15]));
        return Some(body[2]);
    }
    let count_len = if version == 4 { 2 } else { 4 };
    let sig_type = *body.get(1)?;
    let mut rest = body.get(4..)?;
    for _ in 0..2 {
        let count = rest
            .get(..count_len)?
            .iter()
            .fold(0usize, |n, &b| (n << 8) | usize::from(b));
        let area = rest.get(count_len..count_len.checked_add(count)?)?;
        area_hints(area, hint)?;
        rest = &rest[count_len + count..];
    }
    Some(sig_type)
}

/// Walks one subpacket area; `None` unless the subpackets tile it exactly.
/// A zero-length subpacket carries nothing and is stepped over.
fn area_hints<'a>(mut area: &'a [u8], hint: &mut dyn FnMut(Hint<'a>)) -> Option<()> {
    while !area.is_empty() {
        let (octets, len) = decode_subpacket_len(area)?;
        let content = area.get(octets..octets.checked_add(len)?)?;
        if let Some((&type_octet, b)) = content.split_first() {
            match (type_octet & !SUBPACKET_CRITICAL, b.len(), b.first()) {
                (SUBPACKET_ISSUER_KEY_ID, 8, _) => hint(Hint::KeyId(b)),
                (SUBPACKET_ISSUER_FINGERPRINT, 21, Some(4))
                | (SUBPACKET_ISSUER_FINGERPRINT, 33, Some(6)) => hint(Hint::Fingerprint(&b[1..])),
                _ => {}
            }
        }
        area = &area[octets + len..];
    }
    Some(())
}

/// Walks a run of skipped packets that follows a mapped component of role
/// `component`. Returns whether the run holds a user id or user attribute
/// (then the next mapped packet may not be a signature); reports every
/// issuer hint through `hint`.
pub fn walk_run<'a>(
    mut run: &'a [u8],
    component: Option<PacketRole>,
    hint: &mut dyn FnMut(Hint<'a>),
) -> Result<bool, RunFault> {
    let mut component = component;
    let mut holds_component = false;
    while !run.is_empty() {
        let h = decode_packet_header(run).ok_or(RunFault::Framing)?;
        let end = h
            .header_len
            .checked_add(h.body_len)
            .filter(|&end| end <= run.len())
            .ok_or(RunFault::Framing)?;
        let body = &run[h.header_len..end];
        match skippable(h.tag, body, component, hint).ok_or(RunFault::NotSkippable)? {
            Skippable::Component(role) => {
                component = Some(role);
                holds_component = true;
            }
            Skippable::Ignored | Skippable::UnknownVersion | Skippable::Certification => {}
        }
        run = &run[end..];
    }
    Ok(holds_component)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn hints(tag: u8, body: &[u8], component: Option<PacketRole>) -> (Option<Skippable>, usize) {
        let mut n = 0;
        let found = skippable(tag, body, component, &mut |_| n += 1);
        (found, n)
    }

    /// A v4 signature of `sig_type` with `hashed` as its hashed area.
    fn v4(sig_type: u8, hashed: &[u8]) -> Vec<u8> {
        let mut b = std::vec![4, sig_type, 1, 8];
        b.extend_from_slice(&(hashed.len() as u16).to_be_bytes());
        b.extend_from_slice(hashed);
        b.extend_from_slice(&[0, 0, 0xAB, 0xCD]);
        b
    }

    const ISSUER: [u8; 10] = [9, 16, 1, 2, 3, 4, 5, 6, 7, 8];
    const UID: Option<PacketRole> = Some(PacketRole::UserId);

    #[test]
    fn third_party_certifications_over_user_ids_are_skippable() {
        for t in [0x10, 0x11, 0x12, 0x13, 0x30] {
            assert_eq!(
                hints(2, &v4(t, &ISSUER), UID),
                (Some(Skippable::Certification), 1)
            );
        }
        let uat = Some(PacketRole::UserAttribute);
        assert_eq!(
            hints(2, &v4(0x10, &ISSUER), uat).0,
            Some(Skippable::Certification)
        );
    }

    #[test]
    fn what_could_decide_is_never_skippable() {
        // Revocations, bindings and direct-key signatures, or any signature
        // after a key; a certification without an issuer hint.
        for t in [0x18, 0x1F, 0x20, 0x28, 0x00] {
            assert_eq!(hints(2, &v4(t, &ISSUER), UID).0, None, "type {t:#x}");
        }
        for c in [Some(PacketRole::PrimaryKey), Some(PacketRole::Subkey), None] {
            assert_eq!(hints(2, &v4(0x10, &ISSUER), c).0, None);
        }
        assert_eq!(hints(2, &v4(0x10, &[]), UID).0, None);
        // A subpacket running past its area, and a truncated body.
        assert_eq!(hints(2, &v4(0x10, &[9, 16, 1, 2]), UID).0, None);
        assert_eq!(hints(2, &[4, 0x10], UID).0, None);
        // Critical unknown packet types, keys, and reserved tag 0 are not.
        for tag in [1, 5, 6, 7, 14, 22, 39] {
            assert_eq!(hints(tag, b"x", UID).0, None, "tag {tag}");
        }
    }

    #[test]
    fn unknown_versions_and_noncritical_packets_are_ignored() {
        assert_eq!(
            hints(2, &[5, 0x20, 1], None).0,
            Some(Skippable::UnknownVersion)
        );
        assert_eq!(hints(2, &[], UID).0, None);
        for tag in [10, 12, 21, 40, 59, 60, 63] {
            assert_eq!(
                hints(tag, b"", None).0,
                Some(Skippable::Ignored),
                "tag {tag}"
            );
        }
    }

    #[test]
    fn hints_are_read_from_both_areas_past_zero_length_subpackets() {
        let fpr = {
            let mut f = std::vec![22, 33, 4];
            f.extend_from_slice(&[0xEE; 20]);
            f
        };
        let mut hashed = std::vec![0u8];
        hashed.extend_from_slice(&fpr);
        let mut body = std::vec![4, 0x13, 1, 8];
        body.extend_from_slice(&(hashed.len() as u16).to_be_bytes());
        body.extend_from_slice(&hashed);
        body.extend_from_slice(&(ISSUER.len() as u16).to_be_bytes());
        body.extend_from_slice(&ISSUER);
        let mut seen = Vec::new();
        let found = skippable(2, &body, UID, &mut |h| seen.push(std::format!("{h:?}")));
        assert_eq!(found, Some(Skippable::Certification));
        assert_eq!(seen.len(), 2, "{seen:?}");
    }

    #[test]
    fn a_run_with_a_user_id_hides_the_component() {
        let mut run = std::vec![0xCD, 3, b'a', b'b', b'c'];
        let sig = v4(0x10, &ISSUER);
        run.extend_from_slice(&[0xC2, sig.len() as u8]);
        run.extend_from_slice(&sig);
        // After a subkey, the user id in the run lets the certification be.
        assert_eq!(
            walk_run(&run, Some(PacketRole::Subkey), &mut |_| {}),
            Ok(true)
        );
        assert_eq!(
            walk_run(&run[5..], Some(PacketRole::Subkey), &mut |_| {}),
            Err(RunFault::NotSkippable)
        );
        assert_eq!(
            walk_run(&run[..4], UID, &mut |_| {}),
            Err(RunFault::Framing)
        );
    }
}
