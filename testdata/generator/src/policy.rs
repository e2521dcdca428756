//! `policy OUTDIR`: certificates shaped to test which self-signature the
//! kernel reads a key's expiry and capabilities from, revocations it cannot
//! evaluate, signature expiry, back-signatures and signature versions
//! (testdata/policy/README.md lists them).
//!
//! Each certificate is written packet by packet, so the order and the exact
//! signatures are what the case needs. Next to `NAME.pgp` goes
//! `NAME.sequoia.json`: sequoia's standard-policy verdict for every key, at
//! the time the generator ran (the cases' dates are far from today on both
//! sides, so the verdicts do not drift).

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::Result;
use serde_json::{json, Value};

use openpgp::cert::prelude::*;
use openpgp::crypto::mpi;
use openpgp::packet::key::{Key4, PrimaryRole, PublicParts, SecretParts, SubordinateRole};
use openpgp::packet::prelude::*;
use openpgp::packet::signature::subpacket::{Subpacket, SubpacketValue};
use openpgp::policy::StandardPolicy;
use openpgp::serialize::MarshalInto;
use openpgp::types::{HashAlgorithm, KeyFlags, ReasonForRevocation, RevocationKey, SignatureType};
use openpgp::parse::Parse;
use openpgp::types::RevocationStatus;
use openpgp::{Cert, Packet};
use sequoia_openpgp as openpgp;

use crate::{old_header, t, unix, v3_packet};

/// 2020-01-01T12:00:00Z: keys of the expired cases.
const T2020: u64 = 1_577_880_000;
/// 2024-01-01T12:00:00Z: keys of the other cases.
const T2024: u64 = 1_704_110_400;
const MONTH: u64 = 30 * 86_400;
const YEAR: u64 = 365 * 86_400;

type Primary = Key<SecretParts, PrimaryRole>;
type Sub = Key<SecretParts, SubordinateRole>;

fn primary(time: u64) -> Result<Primary> {
    let mut k: Primary = Key4::generate_rsa(2048)?.into();
    k.set_creation_time(t(time))?;
    Ok(k)
}

fn subkey(time: u64) -> Result<Sub> {
    let mut k: Sub = Key4::generate_rsa(2048)?.into();
    k.set_creation_time(t(time))?;
    Ok(k)
}

fn flags(sign: bool, auth: bool) -> KeyFlags {
    let mut f = KeyFlags::empty().set_certification();
    if sign {
        f = f.set_signing();
    }
    if auth {
        f = f.set_authentication();
    }
    f
}

/// A user id self-signature (positive certification) made at `time`.
fn uid_sig(
    pk: &Primary,
    uid: &UserID,
    time: u64,
    f: KeyFlags,
    primary_uid: bool,
    key_validity: Option<u64>,
) -> Result<Signature> {
    let mut signer = pk.clone().into_keypair()?;
    let mut b = SignatureBuilder::new(SignatureType::PositiveCertification)
        .set_signature_creation_time(t(time))?
        .set_key_flags(f)?
        .set_hash_algo(HashAlgorithm::SHA256);
    if primary_uid {
        b = b.set_primary_userid(true)?;
    }
    if let Some(v) = key_validity {
        b = b.set_key_validity_period(Duration::from_secs(v))?;
    }
    Ok(uid.bind(&mut signer, &Cert::from_packets(vec![Packet::from(pk.clone())].into_iter())?, b)?)
}

/// The back-signature of `sub` (type 0x19), made by the subkey.
fn backsig(pk: &Primary, sub: &Sub, time: u64) -> Result<Signature> {
    let mut sub_signer = sub.clone().into_keypair()?;
    Ok(SignatureBuilder::new(SignatureType::PrimaryKeyBinding)
        .set_signature_creation_time(t(time))?
        .set_hash_algo(HashAlgorithm::SHA256)
        .sign_primary_key_binding(&mut sub_signer, pk, sub)?)
}

/// A subkey binding signature with the given flags; a signing subkey gets
/// its back-signature (hashed, as gpg and sequoia write it).
fn binding(
    pk: &Primary,
    sub: &Sub,
    time: u64,
    f: KeyFlags,
    sig_validity: Option<u64>,
) -> Result<Signature> {
    let mut signer = pk.clone().into_keypair()?;
    let mut b = SignatureBuilder::new(SignatureType::SubkeyBinding)
        .set_signature_creation_time(t(time))?
        .set_key_flags(f.clone())?
        .set_hash_algo(HashAlgorithm::SHA256);
    if let Some(v) = sig_validity {
        b = b.set_signature_validity_period(Duration::from_secs(v))?;
    }
    if f.for_signing() {
        b = b.set_embedded_signature(backsig(pk, sub, time)?)?;
    }
    Ok(b.sign_subkey_binding(&mut signer, Some(pk.parts_as_public()), sub)?)
}

fn signing_subkey(pk: &Primary, time: u64) -> Result<Vec<Packet>> {
    let sub = subkey(time)?;
    let sig = binding(pk, &sub, time, KeyFlags::empty().set_signing(), None)?;
    Ok(vec![sub.take_secret().0.into(), sig.into()])
}

fn public(pk: &Primary) -> Packet {
    pk.clone().take_secret().0.into()
}

/// The standard policy's view of every key, now: what sequoia accepts.
fn sequoia_view(name: &str, bytes: &[u8]) -> Result<Value> {
    sequoia_view_with(name, bytes, &StandardPolicy::new())
}

fn sequoia_view_with(name: &str, bytes: &[u8], p: &StandardPolicy) -> Result<Value> {
    let now = SystemTime::now();
    let cert = match Cert::from_bytes(bytes) {
        Ok(c) => c,
        Err(e) => return Ok(json!({ "file": name, "parse_error": e.to_string() })),
    };
    let mut keys = vec![];
    for ka in cert.keys() {
        let fpr = ka.key().fingerprint().to_hex();
        let v = match ka.clone().with_policy(p, now) {
            Ok(vka) => {
                let revoked = !matches!(vka.revocation_status(), RevocationStatus::NotAsFarAsWeKnow);
                json!({
                    "fingerprint": fpr,
                    "valid": true,
                    "alive": vka.alive().is_ok(),
                    "revoked": revoked,
                    "for_signing": vka.key_flags().map(|f| f.for_signing()),
                    "key_expiration": vka.key_expiration_time().map(unix),
                    "binding_signature_expiration":
                        vka.binding_signature().signature_expiration_time().map(unix),
                })
            }
            Err(e) => json!({ "fingerprint": fpr, "valid": false, "error": e.to_string() }),
        };
        keys.push(v);
    }
    let cert_valid = cert.with_policy(p, now).map(|vc| {
        json!({
            "alive": vc.alive().is_ok(),
            "revoked": !matches!(vc.revocation_status(), RevocationStatus::NotAsFarAsWeKnow),
        })
    });
    Ok(json!({
        "file": name,
        "source": "sequoia-openpgp 2 StandardPolicy at generation time",
        "certificate": cert_valid.unwrap_or_else(|e| json!({ "valid": false, "error": e.to_string() })),
        "keys": keys,
    }))
}

/// `view KEYRING OUT`: sequoia's standard-policy verdict for every key of
/// every certificate of a binary keyring, now, as a JSON array (one
/// `sequoia_view` object per certificate, in file order). SHA-1 is accepted
/// in self-signatures and bindings (second pre-image resistance), which the
/// standard policy no longer does: the kernel applies its own documented
/// SHA-1 rule (a creation-time cutoff), recorded apart by realworld.py.
pub fn view(keyring: &Path, out: &Path) -> Result<()> {
    use openpgp::cert::CertParser;
    use openpgp::policy::HashAlgoSecurity;
    let mut p = StandardPolicy::new();
    p.accept_hash_property(
        HashAlgorithm::SHA1,
        HashAlgoSecurity::SecondPreImageResistance,
    );
    let name = keyring
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut views = vec![];
    for cert in CertParser::from_file(keyring)? {
        let bytes = match cert {
            Ok(c) => c.to_vec()?,
            Err(e) => {
                views.push(json!({ "file": name, "parse_error": e.to_string() }));
                continue;
            }
        };
        let mut v = sequoia_view_with(&name, &bytes, &p)?;
        v["source"] = json!(
            "sequoia-openpgp 2 StandardPolicy, SHA-1 accepted in self-signatures, at generation time"
        );
        views.push(v);
    }
    crate::write_json(out, &Value::Array(views))
}

fn write_case(out: &Path, name: &str, packets: Vec<Packet>, raw_tail: &[u8]) -> Result<()> {
    let mut bytes = vec![];
    for p in packets {
        bytes.extend_from_slice(&p.to_vec()?);
    }
    bytes.extend_from_slice(raw_tail);
    fs::write(out.join(format!("{name}.pgp")), &bytes)?;
    crate::write_armored(
        &out.join(format!("{name}.asc")),
        openpgp::armor::Kind::PublicKey,
        &bytes,
    )?;
    let view = sequoia_view(&format!("{name}.pgp"), &bytes)?;
    crate::write_json(&out.join(format!("{name}.sequoia.json")), &view)
}

pub fn policy(out: &Path) -> Result<()> {
    fs::create_dir_all(out)?;

    // 1. Key expiration in the user id self-signature, then a newer
    //    direct-key signature (designated revoker) without one: the key is
    //    still expired (gpg and sequoia). Shaped like Debian's old archive keys.
    {
        let pk = primary(T2020)?;
        let uid = UserID::from("Expired then direct-key <expired-dk@test.pgp-umd.invalid>");
        let us = uid_sig(&pk, &uid, T2020, flags(true, false), false, Some(YEAR))?;
        let revoker = primary(T2020)?;
        let mut signer = pk.clone().into_keypair()?;
        let dk = SignatureBuilder::new(SignatureType::DirectKey)
            .set_signature_creation_time(t(T2020 + 5 * MONTH))?
            .set_hash_algo(HashAlgorithm::SHA256)
            .set_revocation_key(RevocationKey::new(
                revoker.pk_algo(),
                revoker.fingerprint(),
                false,
            ))?
            .sign_direct_key(&mut signer, Some(pk.parts_as_public()))?;
        write_case(
            out,
            "expired-uid-then-direct-key",
            vec![public(&pk), dk.into(), uid.into(), us.into()],
            &[],
        )?;
    }

    // 2. Two user ids: the primary one (flagged) expired, a newer
    //    secondary one without expiration.
    {
        let pk = primary(T2020)?;
        let a = UserID::from("Primary expires <primary-expires@test.pgp-umd.invalid>");
        let b = UserID::from("Secondary never <secondary-never@test.pgp-umd.invalid>");
        let sa = uid_sig(&pk, &a, T2020, flags(true, false), true, Some(YEAR))?;
        let sb = uid_sig(&pk, &b, T2020 + 2 * MONTH, flags(true, false), false, None)?;
        write_case(
            out,
            "expired-primary-uid-newer-secondary",
            vec![public(&pk), a.into(), sa.into(), b.into(), sb.into()],
            &[],
        )?;
    }

    // 3. The primary user id says certify+authenticate, a newer secondary
    //    one says certify+sign; a signing subkey exists.
    {
        let pk = primary(T2024)?;
        let a = UserID::from("Primary no-sign <primary-nosign@test.pgp-umd.invalid>");
        let b = UserID::from("Secondary sign <secondary-sign@test.pgp-umd.invalid>");
        let sa = uid_sig(&pk, &a, T2024, flags(false, true), true, None)?;
        let sb = uid_sig(&pk, &b, T2024 + MONTH, flags(true, false), false, None)?;
        let mut pkts = vec![public(&pk), a.into(), sa.into(), b.into(), sb.into()];
        pkts.extend(signing_subkey(&pk, T2024)?);
        write_case(out, "secondary-uid-says-sign", pkts, &[])?;
    }

    // 4. The reverse: the primary user id says certify+sign, a newer
    //    secondary one certify only; no subkey.
    {
        let pk = primary(T2024)?;
        let a = UserID::from("Primary sign <primary-sign@test.pgp-umd.invalid>");
        let b = UserID::from("Secondary certify <secondary-cert@test.pgp-umd.invalid>");
        let sa = uid_sig(&pk, &a, T2024, flags(true, false), true, None)?;
        let sb = uid_sig(&pk, &b, T2024 + MONTH, flags(false, false), false, None)?;
        write_case(
            out,
            "primary-uid-says-sign",
            vec![public(&pk), a.into(), sa.into(), b.into(), sb.into()],
            &[],
        )?;
    }

    // 5. A newer direct-key signature says certify only, the user id
    //    certify+sign; a signing subkey exists.
    {
        let pk = primary(T2024)?;
        let uid = UserID::from("Direct-key certify-only <dk-certonly@test.pgp-umd.invalid>");
        let us = uid_sig(&pk, &uid, T2024, flags(true, false), true, None)?;
        let mut signer = pk.clone().into_keypair()?;
        let dk = SignatureBuilder::new(SignatureType::DirectKey)
            .set_signature_creation_time(t(T2024 + MONTH))?
            .set_hash_algo(HashAlgorithm::SHA256)
            .set_key_flags(flags(false, false))?
            .sign_direct_key(&mut signer, Some(pk.parts_as_public()))?;
        let mut pkts = vec![public(&pk), dk.into(), uid.into(), us.into()];
        pkts.extend(signing_subkey(&pk, T2024)?);
        write_case(out, "direct-key-certify-only", pkts, &[])?;
    }

    // 6. Certify-only primary; the signing subkey's binding signature
    //    expires in 2035 (the key itself never does).
    {
        let pk = primary(T2024)?;
        let uid = UserID::from("Binding expires <binding-expires@test.pgp-umd.invalid>");
        let us = uid_sig(&pk, &uid, T2024, flags(false, false), true, None)?;
        let sub = subkey(T2024)?;
        let validity = 2_051_222_400 - T2024; // 2035-01-01T00:00:00Z
        let sig = binding(&pk, &sub, T2024, KeyFlags::empty().set_signing(), Some(validity))?;
        write_case(
            out,
            "binding-signature-expires",
            vec![public(&pk), uid.into(), us.into(), sub.take_secret().0.into(), sig.into()],
            &[],
        )?;
    }

    // 7. The signing subkey's binding carries its real back-signature in
    //    the hashed area and a bogus one (made by another key) appended to
    //    the unhashed area, as anyone could append it.
    {
        let pk = primary(T2024)?;
        let uid = UserID::from("Appended back-signature <appended-backsig@test.pgp-umd.invalid>");
        let us = uid_sig(&pk, &uid, T2024, flags(false, false), true, None)?;
        let sub = subkey(T2024)?;
        let mut sig = binding(&pk, &sub, T2024, KeyFlags::empty().set_signing(), None)?;
        let other = subkey(T2024)?;
        let bogus = backsig(&pk, &other, T2024)?;
        sig.unhashed_area_mut().add(Subpacket::new(
            SubpacketValue::EmbeddedSignature(bogus),
            false,
        )?)?;
        write_case(
            out,
            "backsig-bogus-appended",
            vec![public(&pk), uid.into(), us.into(), sub.take_secret().0.into(), sig.into()],
            &[],
        )?;
    }

    // 8. A key revocation hashed with RIPEMD-160 (hash 3), which the kernel
    //    does not compute. (The pure-Rust backend cannot make an RSA
    //    signature over SHA3, the other such hash.)
    {
        let pk = primary(T2024)?;
        let uid = UserID::from("Revoked with RIPEMD-160 <revoked-ripemd160@test.pgp-umd.invalid>");
        let us = uid_sig(&pk, &uid, T2024, flags(true, false), true, None)?;
        let mut signer = pk.clone().into_keypair()?;
        let rev = SignatureBuilder::new(SignatureType::KeyRevocation)
            .set_signature_creation_time(t(T2024 + MONTH))?
            .set_hash_algo(HashAlgorithm::RipeMD)
            .set_reason_for_revocation(ReasonForRevocation::KeyCompromised, b"test")?
            .sign_direct_key(&mut signer, Some(pk.parts_as_public()))?;
        write_case(
            out,
            "revoked-ripemd160",
            vec![public(&pk), rev.into(), uid.into(), us.into()],
            &[],
        )?;
    }

    // 9. The user id bound only by a version 3 self-signature (RFC 4880
    //    5.2.2 encoding, positive certification): RFC 9580 keys of
    //    version 4 make version 4 signatures.
    {
        let pk = primary(T2024)?;
        let uid = UserID::from("Version 3 self-signature <v3-selfsig@test.pgp-umd.invalid>");
        let mut signer = pk.clone().into_keypair()?;
        let key_pkt = Packet::from(pk.parts_as_public().clone().role_into_primary());
        let key_bytes = key_pkt.to_vec()?;
        // Hash input: 0x99, two-octet length, key body; then the user id
        // without a header (v3), then the v3 trailer (v3_packet adds it).
        // A new-format header with a two-octet length (192..8383 octets).
        anyhow::ensure!(key_bytes[0] == 0xC6 && (192..224).contains(&key_bytes[1]));
        let key_body = &key_bytes[3..];
        let mut msg = vec![0x99, (key_body.len() >> 8) as u8, key_body.len() as u8];
        msg.extend_from_slice(key_body);
        msg.extend_from_slice(uid.value());
        let (v3sig, _) = v3_packet(
            &mut signer,
            HashAlgorithm::SHA256,
            SignatureType::PositiveCertification,
            T2024,
            &msg,
        )?;
        let mut tail = old_header(13, uid.value().len())?;
        tail.extend_from_slice(uid.value());
        tail.extend_from_slice(&v3sig);
        write_case(out, "v3-self-signature", vec![public(&pk)], &tail)?;
    }
    // 10. An RSA key with public exponent 1: every value is its own
    //     signature, so its "self-signature" is just the padded digest.
    {
        let real = primary(T2024)?;
        let n = match real.mpis() {
            mpi::PublicKey::RSA { n, .. } => n.value().to_vec(),
            _ => anyhow::bail!("not RSA"),
        };
        let key: Key<PublicParts, PrimaryRole> =
            Key4::import_public_rsa(&[1], &n, t(T2024))?.into();
        let mut forger = ExponentOne {
            key: key.clone().role_into_unspecified(),
            modulus_len: n.len(),
        };
        let uid = UserID::from("Exponent one <exponent-one@test.pgp-umd.invalid>");
        let sig = SignatureBuilder::new(SignatureType::PositiveCertification)
            .set_signature_creation_time(t(T2024))?
            .set_key_flags(flags(true, false))?
            .set_hash_algo(HashAlgorithm::SHA256)
            .sign_userid_binding(&mut forger, Some(&key), &uid)?;
        write_case(
            out,
            "rsa-exponent-one",
            vec![key.into(), uid.into(), sig.into()],
            &[],
        )?;
    }
    // 11. Certify-only RSA primary with an Ed25519 signing subkey (bound,
    //     with its back-signature): the back-signature is verified with
    //     the kernel's Ed25519 (a kernel without it refuses the subkey for
    //     its algorithm, not for a binding it could not check).
    {
        let pk = primary(T2024)?;
        let uid = UserID::from("Ed25519 signing subkey <ed-subkey@test.pgp-umd.invalid>");
        let us = uid_sig(&pk, &uid, T2024, flags(false, false), true, None)?;
        let mut sub: Sub = Key4::generate_ecc(true, openpgp::types::Curve::Ed25519)?.into();
        sub.set_creation_time(t(T2024))?;
        let sig = binding(&pk, &sub, T2024, KeyFlags::empty().set_signing(), None)?;
        write_case(
            out,
            "ed25519-signing-subkey",
            vec![public(&pk), uid.into(), us.into(), sub.take_secret().0.into(), sig.into()],
            &[],
        )?;
    }

    // 12. Certify-only primary whose only subkey, for encryption, is
    //     revoked: no signing key, which is not the same as revoked.
    {
        let pk = primary(T2024)?;
        let uid = UserID::from("Revoked encryption subkey <revoked-enc@test.pgp-umd.invalid>");
        let us = uid_sig(&pk, &uid, T2024, flags(false, false), true, None)?;
        let sub = subkey(T2024)?;
        let enc = KeyFlags::empty().set_transport_encryption().set_storage_encryption();
        let sig = binding(&pk, &sub, T2024, enc, None)?;
        let mut signer = pk.clone().into_keypair()?;
        let rev = SignatureBuilder::new(SignatureType::SubkeyRevocation)
            .set_signature_creation_time(t(T2024 + MONTH))?
            .set_hash_algo(HashAlgorithm::SHA256)
            .set_reason_for_revocation(ReasonForRevocation::KeyRetired, b"test")?
            .sign_subkey_binding(&mut signer, Some(pk.parts_as_public()), &sub)?;
        write_case(
            out,
            "revoked-encryption-subkey",
            vec![
                public(&pk),
                uid.into(),
                us.into(),
                sub.take_secret().0.into(),
                sig.into(),
                rev.into(),
            ],
            &[],
        )?;
    }
    // 13. An RSA key of a size the kernels' RSA refuses (Debian's 6.1 and
    //     6.12 accept 512, 1024, 1536, 2048, 3072 and 4096 bits only). Not
    //     8192 bits: the pure-Rust backend cannot verify above 4096, so
    //     sequoia's verdict would be no reference.
    for bits in [3104] {
        let mut pk: Primary = Key4::generate_rsa(bits)?.into();
        pk.set_creation_time(t(T2024))?;
        let uid = UserID::from(format!("RSA {bits} <rsa{bits}@test.pgp-umd.invalid>"));
        let us = uid_sig(&pk, &uid, T2024, flags(true, false), true, None)?;
        write_case(
            out,
            &format!("rsa{bits}"),
            vec![public(&pk), uid.into(), us.into()],
            &[],
        )?;
    }
    // 14. An expired RSA-1024 key: below the kernel's minimum size, so none
    //     of its self-signatures is verified, and it is refused as expired
    //     (what its self-signature says, and what gpg says).
    {
        let mut pk: Primary = Key4::generate_rsa(1024)?.into();
        pk.set_creation_time(t(T2020))?;
        let uid = UserID::from("Expired RSA 1024 <expired-rsa1024@test.pgp-umd.invalid>");
        let us = uid_sig(&pk, &uid, T2020, flags(true, false), true, Some(YEAR))?;
        write_case(
            out,
            "expired-rsa1024",
            vec![public(&pk), uid.into(), us.into()],
            &[],
        )?;
    }
    Ok(())
}

/// A "signer" for an RSA key with e = 1: the signature value is the
/// EMSA-PKCS1-v1_5 encoding of the digest (RFC 8017 9.2), which s^1 mod n
/// reproduces. SHA-256 only.
struct ExponentOne {
    key: Key<PublicParts, openpgp::packet::key::UnspecifiedRole>,
    modulus_len: usize,
}

impl openpgp::crypto::Signer for ExponentOne {
    fn public(&self) -> &Key<PublicParts, openpgp::packet::key::UnspecifiedRole> {
        &self.key
    }

    fn sign(&mut self, hash_algo: HashAlgorithm, digest: &[u8]) -> Result<mpi::Signature> {
        anyhow::ensure!(hash_algo == HashAlgorithm::SHA256, "SHA-256 only");
        // DigestInfo prefix of SHA-256 (RFC 8017 9.2, note 1).
        const PREFIX: [u8; 19] = [
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ];
        let t_len = PREFIX.len() + digest.len();
        let mut em = vec![0u8, 1];
        em.resize(self.modulus_len - t_len - 1, 0xFF);
        em.push(0);
        em.extend_from_slice(&PREFIX);
        em.extend_from_slice(digest);
        Ok(mpi::Signature::RSA { s: mpi::MPI::new(&em) })
    }
}

