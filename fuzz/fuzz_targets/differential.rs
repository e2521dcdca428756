//! Differential target: this parser against sequoia-openpgp 2.x (parse only,
//! pure-Rust crypto backend so that fingerprints are real SHA-1/SHA-256).
//!
//! Input: one control octet (bit 0: 0 = PARSE_KEY, 1 = PARSE_SIGNATURE),
//! then the payload. Both sides give a verdict; if they agree on "accept",
//! they must report the same fields:
//! - keys (in packet order): version, algorithm, fingerprint, creation time,
//!   bits, curve; user ids in order; every signature packet's version, type,
//!   public-key and hash algorithms and hash prefix;
//! - a lone signature: the same signature fields, plus its creation time and
//!   issuer key id.
//!
//! Any disagreement must match a row of `fuzz/differences.tsv` (deliberate
//! differences, each with its reason); anything else is a finding.
//!
//! sequoia's verdict: `PacketParser` over the exact bytes (no armor
//! detection, unread body octets buffered) yields no error and no
//! `Packet::Unknown`; then, for keys, `CertParser` yields exactly one
//! `Ok(Cert)`; for signatures, the input is exactly one signature packet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openpgp::crypto::mpi::PublicKey as Mpis;
use openpgp::packet::key::{KeyParts, KeyRole};
use openpgp::packet::Key;
use openpgp::parse::{Dearmor, PacketParserBuilder, PacketParserResult, Parse};
use openpgp::types::Curve as SqCurve;
use openpgp::Packet;
use pgp_umd_cli::fingerprint::hex_upper;
use pgp_umd_cli::inspect::{
    describe_certificate, describe_signature, sig_created, sig_issuer_key_id, KeyInfo,
};
use pgp_umd_fuzz::with_replies;
use pgp_umd_parser::parse::read_packet_header;
use pgp_umd_parser::request::handle;
use pgp_umd_proto::openpgp::{key_field_kinds, v6_salt_len};
use pgp_umd_proto::{Op, Reply, RequestHeader, Status, NONE};
use sequoia_openpgp as openpgp;
use std::time::UNIX_EPOCH;

/// One deliberate difference: a row of differences.tsv.
struct Row {
    op: String,
    field: String,
    ours: String,
    sequoia: String,
    reason: String,
}

fn rows() -> &'static [Row] {
    static ROWS: std::sync::OnceLock<Vec<Row>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| {
        include_str!("../differences.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                assert!(f.len() == 5, "differences.tsv: five columns: {l}");
                Row {
                    op: f[0].into(),
                    field: f[1].into(),
                    ours: f[2].into(),
                    sequoia: f[3].into(),
                    reason: f[4].into(),
                }
            })
            .collect()
    })
}

/// Glob with `*` only.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// The packets of `payload` as (tag, body), as far as they frame.
fn packets(payload: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    let mut rest = payload;
    while let Ok((body, h)) = read_packet_header(rest) {
        out.push((h.tag, &body[..h.body_len]));
        rest = &body[h.body_len..];
    }
    out
}

/// The (type octet, body) of the subpackets of both areas of a v4 or v6
/// signature packet body, as far as they decode.
fn sig_subpackets(b: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    let width = match b.first() {
        Some(4) => 2,
        Some(6) => 4,
        _ => return out,
    };
    let mut at = 4;
    for _ in 0..2 {
        let Some(count) = b.get(at..at + width) else {
            return out;
        };
        let count = count.iter().fold(0usize, |n, &o| (n << 8) | usize::from(o));
        at += width;
        let Some(mut area) = b.get(at..at.saturating_add(count)) else {
            return out;
        };
        at += count;
        while let Some(&o1) = area.first() {
            let (len, hdr): (usize, usize) = match o1 {
                0..=191 => (usize::from(o1), 1),
                192..=254 => match area.get(1) {
                    Some(&o2) => (((usize::from(o1) - 192) << 8) + usize::from(o2) + 192, 2),
                    None => return out,
                },
                255 => match area.get(1..5) {
                    Some(l) => (u32::from_be_bytes([l[0], l[1], l[2], l[3]]) as usize, 5),
                    None => return out,
                },
            };
            let Some(sp) = area.get(hdr..hdr.saturating_add(len)) else {
                return out;
            };
            let Some((&ty, body)) = sp.split_first() else {
                return out;
            };
            out.push((ty, body));
            area = &area[hdr + len..];
        }
    }
    out
}

/// Whether the input really shows the difference `reason` names. Every
/// reason id used in differences.tsv must be known here.
fn confirms(reason: &str, payload: &[u8]) -> bool {
    let pk = packets(payload);
    match reason {
        "secret-key-policy" => pk.iter().any(|&(t, _)| t == 5 || t == 7),
        // A v4/v6 ECDH, ECDSA or EdDSALegacy key whose OID length octet is
        // 0 or 0xFF (RFC 9580 §5.5.5.4: reserved).
        "oid-length-reserved" => pk.iter().any(|&(t, b)| {
            let material = match b.first() {
                Some(4) => 6,
                Some(6) => 10,
                _ => return false,
            };
            matches!(t, 5 | 6 | 7 | 14)
                && matches!(b.get(5), Some(18 | 19 | 22))
                && matches!(b.get(material), Some(0 | 0xFF))
        }),
        // A v6 signature whose salt size octet is not the hash's (RFC 9580
        // §5.2.3, Table 23).
        "v6-salt-size" => pk.iter().any(|&(t, b)| {
            let wrong_salt = || -> Option<bool> {
                let be32 = |at: usize| -> Option<usize> {
                    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
                };
                let hashed = be32(4)?;
                let unhashed = be32(8usize.checked_add(hashed)?)?;
                let salt_at = 8 + hashed + 4 + unhashed + 2;
                Some(Some(usize::from(*b.get(salt_at)?)) != v6_salt_len(*b.get(3)?))
            };
            t == 2 && b.first() == Some(&6) && wrong_salt() == Some(true)
        }),
        // A signature packet whose issuer claims disagree: the key ids of its
        // issuer (16) and issuer fingerprint (33) subpackets, in either area,
        // are not all the same.
        "inconsistent-issuers" => pk.iter().any(|&(t, b)| {
            let mut ids = Vec::new();
            for (ty, body) in sig_subpackets(b) {
                match (ty & 0x7F, body) {
                    (16, id) if id.len() == 8 => ids.push(id.to_vec()),
                    (33, [4, fpr @ ..]) if fpr.len() == 20 => ids.push(fpr[12..].to_vec()),
                    (33, [6, fpr @ ..]) if fpr.len() == 32 => ids.push(fpr[..8].to_vec()),
                    _ => {}
                }
            }
            t == 2 && ids.windows(2).any(|w| w[0] != w[1])
        }),
        // sequoia decodes subpacket contents (fixed sizes per type, inner
        // structure) and refuses the packet when one does not decode; this
        // parser frames subpackets and leaves their contents to the kernel.
        // The row matches sequoia's own "Malformed subpacket" error; here the
        // input must hold a signature packet with subpackets.
        "subpacket-contents" => pk
            .iter()
            .any(|&(t, b)| t == 2 && !sig_subpackets(b).is_empty()),
        // A public key or subkey packet with a public-key algorithm this
        // parser has no layout for: it maps the material as one OPAQUE field
        // (docs/protocol.md); sequoia reads unknown material as MPIs and calls
        // what is left over secret key material.
        "unknown-pk-algorithm" => pk.iter().any(|&(t, b)| {
            matches!(t, 6 | 14)
                && matches!(b.first(), Some(4 | 6))
                && b.get(5).is_some_and(|&a| key_field_kinds(a).is_none())
        }),
        // Field rows: the row names the algorithm and both values exactly.
        "bits-25519" | "native-curve-name" => true,
        other => panic!("differences.tsv: reason {other} unknown to `confirms`"),
    }
}

/// The reason id of the row excusing this disagreement, if any.
fn excused(
    op: &str,
    field: &str,
    ours: &str,
    sequoia: &str,
    payload: &[u8],
) -> Option<&'static str> {
    rows()
        .iter()
        .find(|r| {
            (r.op == "*" || r.op == op)
                && glob(&r.field, field)
                && glob(&r.ours, ours)
                && glob(&r.sequoia, sequoia)
                && confirms(&r.reason, payload)
        })
        .map(|r| r.reason.as_str())
}

type Facts = Vec<(String, String)>;

fn curve_name(c: &SqCurve) -> String {
    match c {
        SqCurve::NistP256 => "nistp256".into(),
        SqCurve::NistP384 => "nistp384".into(),
        SqCurve::NistP521 => "nistp521".into(),
        SqCurve::BrainpoolP256 => "brainpoolP256r1".into(),
        SqCurve::BrainpoolP384 => "brainpoolP384r1".into(),
        SqCurve::BrainpoolP512 => "brainpoolP512r1".into(),
        SqCurve::Ed25519 => "ed25519".into(),
        SqCurve::Cv25519 => "cv25519".into(),
        other => format!("sequoia:{other:?}"),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn our_key(facts: &mut Facts, n: usize, k: &KeyInfo) {
    let p = format!("key{n}[alg={}]", k.algorithm);
    facts.push((format!("{p}.version"), k.version.to_string()));
    facts.push((format!("{p}.fingerprint"), k.fingerprint.clone()));
    facts.push((format!("{p}.created"), k.created.to_string()));
    facts.push((format!("{p}.bits"), opt(k.bits)));
    facts.push((format!("{p}.curve"), opt(k.curve)));
}

fn sequoia_key<P: KeyParts, R: KeyRole>(facts: &mut Facts, n: usize, k: &Key<P, R>) {
    let p = format!("key{n}[alg={}]", u8::from(k.pk_algo()));
    let curve = match k.mpis() {
        Mpis::ECDSA { curve, .. } | Mpis::EdDSA { curve, .. } | Mpis::ECDH { curve, .. } => {
            Some(curve_name(curve))
        }
        _ => None,
    };
    facts.push((format!("{p}.version"), k.version().to_string()));
    facts.push((format!("{p}.fingerprint"), k.fingerprint().to_hex()));
    let created = k
        .creation_time()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    facts.push((format!("{p}.created"), created.to_string()));
    facts.push((format!("{p}.bits"), opt(k.mpis().bits())));
    facts.push((format!("{p}.curve"), opt(curve)));
}

fn sig_facts(facts: &mut Facts, n: usize, version: u8, typ: u8, pk: u8, hash: u8, prefix: &[u8]) {
    let p = format!("sig{n}");
    facts.push((format!("{p}.version"), version.to_string()));
    facts.push((format!("{p}.type"), typ.to_string()));
    facts.push((format!("{p}.pk_algo"), pk.to_string()));
    facts.push((format!("{p}.hash_algo"), hash.to_string()));
    facts.push((format!("{p}.prefix"), hex_upper(prefix)));
}

fn ours(op: Op, payload: &[u8], reply: &mut Reply) -> Result<Facts, String> {
    handle(
        &RequestHeader::new(op, 1, payload.len() as u32),
        payload,
        reply,
    );
    let status = Status::from_raw(reply.header.status).expect("status");
    if status != Status::Ok {
        return Err(status.name().to_owned());
    }
    let mut facts = Facts::new();
    let packet_sigs = reply.signatures().iter().filter(|s| s.parent == NONE);
    for (n, s) in packet_sigs.enumerate() {
        let prefix = s.hash_prefix.slice(payload).expect("prefix in payload");
        sig_facts(
            &mut facts,
            n,
            s.version,
            s.sig_type,
            s.pk_algo,
            s.hash_algo,
            prefix,
        );
    }
    match op {
        Op::ParseKey => {
            let info = describe_certificate(payload, reply).expect("certificate");
            our_key(&mut facts, 0, &info.primary);
            for (i, k) in info.subkeys.iter().enumerate() {
                our_key(&mut facts, i + 1, k);
            }
            for (i, u) in info.user_ids.iter().enumerate() {
                facts.push((format!("uid{i}"), u.clone()));
            }
        }
        _ => {
            let info = describe_signature(payload, reply).expect("signature");
            let s = &reply.signatures()[0];
            facts.push(("sig0.created".into(), opt(sig_created(payload, reply, s))));
            facts.push((
                "sig0.issuer".into(),
                opt(sig_issuer_key_id(payload, reply, s).map(|id| hex_upper(&id))),
            ));
            assert_eq!(info.version, s.version);
        }
    }
    facts.sort();
    Ok(facts)
}

fn sequoia_packets(data: &[u8]) -> Result<Vec<Packet>, String> {
    let mut ppr = PacketParserBuilder::from_bytes(data)
        .map_err(|e| format!("error: {e}"))?
        .dearmor(Dearmor::Disabled)
        .buffer_unread_content()
        .build()
        .map_err(|e| format!("error: {e}"))?;
    let mut packets = Vec::new();
    while let PacketParserResult::Some(pp) = ppr {
        let (packet, next) = pp.next().map_err(|e| format!("error: {e}"))?;
        if let Packet::Unknown(u) = &packet {
            return Err(format!("unknown {}: {}", u.tag(), u.error()));
        }
        packets.push(packet);
        ppr = next;
    }
    Ok(packets)
}

fn sequoia(op: Op, data: &[u8]) -> Result<Facts, String> {
    let packets = sequoia_packets(data)?;
    let mut facts = Facts::new();
    let mut sigs = 0;
    let mut sig = |facts: &mut Facts, s: &openpgp::packet::Signature| {
        sig_facts(
            facts,
            sigs,
            s.version(),
            u8::from(s.typ()),
            u8::from(s.pk_algo()),
            u8::from(s.hash_algo()),
            s.digest_prefix(),
        );
        sigs += 1;
    };
    match op {
        Op::ParseKey => {
            let certs: Vec<_> = openpgp::cert::CertParser::from(packets.clone()).collect();
            match certs.as_slice() {
                [Ok(_)] => {}
                [Err(e)] => return Err(format!("cert: {e}")),
                many => return Err(format!("{} certificates", many.len())),
            }
            let (mut keys, mut uids) = (0, 0);
            for p in &packets {
                match p {
                    Packet::PublicKey(k) => sequoia_key(&mut facts, keys, k),
                    Packet::SecretKey(k) => sequoia_key(&mut facts, keys, k),
                    Packet::PublicSubkey(k) => sequoia_key(&mut facts, keys, k),
                    Packet::SecretSubkey(k) => sequoia_key(&mut facts, keys, k),
                    Packet::UserID(u) => {
                        facts.push((
                            format!("uid{uids}"),
                            String::from_utf8_lossy(u.value()).into_owned(),
                        ));
                        uids += 1;
                        continue;
                    }
                    Packet::Signature(s) => {
                        sig(&mut facts, s);
                        continue;
                    }
                    _ => continue,
                }
                keys += 1;
            }
        }
        _ => match packets.as_slice() {
            [Packet::Signature(s)] => {
                sig(&mut facts, s);
                facts.push((
                    "sig0.created".into(),
                    opt(s
                        .signature_creation_time()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map(|d| d.as_secs())),
                ));
                let issuer = s.get_issuers().first().map(|h| {
                    let id = openpgp::KeyID::from(h);
                    id.to_hex()
                });
                facts.push(("sig0.issuer".into(), opt(issuer)));
            }
            [other] => return Err(format!("not a signature: {}", other.tag())),
            many => return Err(format!("{} packets", many.len())),
        },
    }
    facts.sort();
    Ok(facts)
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, payload)) = data.split_first() else {
        return;
    };
    let (op, op_name) = if control & 1 == 0 {
        (Op::ParseKey, "key")
    } else {
        (Op::ParseSignature, "signature")
    };
    let ours = with_replies(|reply, _| ours(op, payload, reply));
    let theirs = sequoia(op, payload);
    match (&ours, &theirs) {
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => {
            let (o, s) = match (&ours, &theirs) {
                (Ok(_), Err(e)) => ("accept".to_owned(), e.clone()),
                _ => (e.clone(), "accept".to_owned()),
            };
            if excused(op_name, "verdict", &o, &s, payload).is_none() {
                panic!(
                    "verdicts differ on {op_name} {}: ours {o}, sequoia {s}",
                    hex_upper(payload)
                );
            }
        }
        (Ok(a), Ok(b)) => {
            let keys_a: Vec<&str> = a.iter().map(|(k, _)| k.as_str()).collect();
            let keys_b: Vec<&str> = b.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(
                keys_a,
                keys_b,
                "different components on {op_name} {}",
                hex_upper(payload)
            );
            for ((field, va), (_, vb)) in a.iter().zip(b) {
                if va != vb && excused(op_name, field, va, vb, payload).is_none() {
                    panic!(
                        "{field} differs on {op_name} {}: ours {va}, sequoia {vb}",
                        hex_upper(payload)
                    );
                }
            }
        }
    }
});
