//! Runs of skipped packets (protocol 3): what decides nothing travels as one
//! packet row the kernel walks itself. Checked on testdata/skip/ (made by
//! testdata/skip.py from a real certificate): the map is accepted, the keys
//! are those sequoia reads, and what the certificate's own key signed is
//! never skipped: when it cannot be mapped the certificate is refused.

mod common;

use common::policy::pgp_files;
use common::{reply_for, testdata};
use pgp_umd_cli::inspect::describe_certificate;
use pgp_umd_parser::parse::without_skipped;
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{Op, PacketRole, Status, MAX_PAYLOAD};
use sequoia_openpgp::parse::Parse;
use sequoia_openpgp::Cert;

fn sequoia_keys(data: &[u8]) -> Vec<String> {
    let cert = Cert::from_bytes(data).expect("sequoia reads it");
    cert.keys()
        .map(|k| k.key().fingerprint().to_hex())
        .collect()
}

#[test]
fn skipped_packets_leave_the_keys_sequoia_reads() {
    let files = pgp_files("skip");
    assert!(files.len() >= 5, "testdata/skip/: {} files", files.len());
    for path in files {
        let data = std::fs::read(&path).expect("read");
        let reply = reply_for(Op::ParseKey, 7, &data);
        assert_eq!(reply.status(), Some(Status::Ok), "{}", path.display());
        assert_eq!(validate_reply(Op::ParseKey, 7, &data, &reply), Ok(()));
        let runs = reply
            .packets()
            .iter()
            .filter(|p| p.role == PacketRole::Skipped.raw())
            .count();
        assert!(runs >= 1, "{}: nothing skipped", path.display());
        let info = describe_certificate(&data, &reply).expect("describe");
        let ours: Vec<String> = std::iter::once(&info.primary)
            .chain(&info.subkeys)
            .map(|k| k.fingerprint.clone())
            .collect();
        assert_eq!(ours, sequoia_keys(&data), "{}", path.display());
    }
}

#[test]
fn large_certificates_fit_in_a_small_reply() {
    let sample = std::fs::read(testdata("skip/many-certifications.pgp")).expect("read");
    // The key, the user id and its self-signature (657 octets), then copies
    // of one 310-octet certification: 209 in the sample, and as many as fit
    // in the protocol's largest payload (add_key(2)'s limit).
    let (head, cert) = (&sample[..657], &sample[657..967]);
    let mut largest = head.to_vec();
    while largest.len() + cert.len() <= MAX_PAYLOAD as usize {
        largest.extend_from_slice(cert);
    }
    for data in [sample, largest] {
        let reply = reply_for(Op::ParseKey, 1, &data);
        assert_eq!(reply.status(), Some(Status::Ok), "{} octets", data.len());
        assert_eq!(validate_reply(Op::ParseKey, 1, &data, &reply), Ok(()));
        // The key, the user id, its self-signature, and one run.
        assert_eq!(reply.header.packet_count, 4);
        assert_eq!(reply.header.signature_count, 1);
        assert_eq!(reply.packets[3].role, PacketRole::Skipped.raw());
    }
}

/// keys/rsa2048-certified.pgp with its third-party certification replaced by
/// `sig` (a signature packet body).
fn certified_with(sig_body: &[u8]) -> Vec<u8> {
    let base = std::fs::read(testdata("keys/rsa2048-certified.pgp")).expect("read");
    // Packets: key (272 octets), user id (48), self-signature (337), then
    // the third-party certification (testdata/keys/rsa2048-certified.packets).
    let mut out = base[..657].to_vec();
    out.extend_from_slice(&[0xC2, 0xFF]);
    out.extend_from_slice(&(sig_body.len() as u32).to_be_bytes());
    out.extend_from_slice(sig_body);
    out
}

/// A certification over the user id that names `issuer` (a v4 fingerprint)
/// and has a zero-length subpacket and an unknown algorithm: the parser
/// cannot map it.
fn unmappable_certification(issuer: &str) -> Vec<u8> {
    let mut sub = vec![22, 33, 4];
    sub.extend((0..20).map(|i| u8::from_str_radix(&issuer[2 * i..2 * i + 2], 16).expect("hex")));
    sub.push(0);
    let mut body = vec![4, 0x13, 100, 10];
    body.extend_from_slice(&(sub.len() as u16).to_be_bytes());
    body.extend_from_slice(&sub);
    body.extend_from_slice(&[0, 0, 0x12, 0x34]);
    body.extend_from_slice(b"opaque");
    body
}

#[test]
fn an_unmappable_signature_by_the_own_key_refuses_the_certificate() {
    // By someone else: skipped, the certificate parses.
    let other = certified_with(&unmappable_certification(
        "59FEF0293B8DEAA3BFBDFC7588034C33F95FC40E",
    ));
    assert_eq!(
        reply_for(Op::ParseKey, 1, &other).status(),
        Some(Status::Ok)
    );
    // The same by the primary key (AB2816ED...9E08): never skipped, and
    // since it cannot be mapped, the certificate is refused.
    let own = certified_with(&unmappable_certification(
        "AB2816EDEBE51F34F62D839B0AF64A8319009E08",
    ));
    assert_eq!(
        reply_for(Op::ParseKey, 1, &own).status(),
        Some(Status::BadSubpacket)
    );
}

/// Without its runs, a certificate gets the same map of what the kernel
/// decides on: the same keys and the same mapped signatures.
#[test]
fn without_skipped_keeps_what_the_kernel_decides_on() {
    for path in pgp_files("skip") {
        let data = std::fs::read(&path).expect("read");
        let reply = reply_for(Op::ParseKey, 1, &data);
        let small: Vec<u8> = without_skipped(&data, &reply).flatten().copied().collect();
        assert!(small.len() < data.len(), "{}", path.display());
        let again = reply_for(Op::ParseKey, 1, &small);
        assert_eq!(again.status(), Some(Status::Ok), "{}", path.display());
        let body = |r: &pgp_umd_proto::Reply, d: &[u8]| -> Vec<Vec<u8>> {
            r.packets()
                .iter()
                .filter_map(|p| p.whole.slice(d).map(<[u8]>::to_vec))
                .collect()
        };
        assert_eq!(
            body(&again, &small),
            without_skipped(&data, &reply)
                .map(<[u8]>::to_vec)
                .collect::<Vec<_>>(),
            "{}",
            path.display()
        );
        assert!(again
            .packets()
            .iter()
            .all(|p| p.role != PacketRole::Skipped.raw()));
    }
}
