//! Test-data generator for pgp-umd (runs only when the corpus is regenerated).
//!
//! Subcommands:
//!   v6 OUTDIR DATA      v6 (RFC 9580) keys and detached signatures, with JSON
//!                       expectations computed by sequoia.
//!   v3 OUTDIR DATA      an RSA v4 certificate (sequoia) and hand-encoded v3
//!                       detached signatures by it (RFC 4880 section 5.2.2).
//!   v3-sign TSK DATA HASH TIME OUT
//!                       a hand-encoded v3 binary signature (type 0x00) over
//!                       DATA by the signing-capable RSA key of the
//!                       unprotected secret certificate TSK (gpg
//!                       --export-secret-keys), HASH sha256 or sha512, made at
//!                       TIME (Unix seconds); used for the v3 RPM of
//!                       testdata/rpm (the header signature re-made as v3).
//!   policy OUTDIR       certificates for the key-property policy (which
//!                       self-signature decides expiry and capabilities,
//!                       revocations, back-signatures), with sequoia's verdicts.
//!   check NEGDIR        parses every file listed in NEGDIR/manifest.tsv with
//!                       sequoia and prints whether sequoia accepts it.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value};

use openpgp::armor;
use openpgp::cert::prelude::*;
use openpgp::crypto::mpi;
use openpgp::crypto::Signer as _;
use openpgp::packet::prelude::*;
use openpgp::parse::{Dearmor, PacketParserBuilder, PacketParserResult, Parse};
use openpgp::policy::StandardPolicy;
use openpgp::serialize::{Marshal, MarshalInto};
use openpgp::types::{Curve, HashAlgorithm, KeyFlags, SignatureType};
use openpgp::{Cert, Packet, PacketPile, Profile};
use sequoia_openpgp as openpgp;

mod collision;
mod policy;

/// 2024-01-01T12:00:00Z, the creation time of every generated key.
const KEY_TIME: u64 = 1_704_110_400;
/// 2024-03-01T12:00:00Z, the creation time of every generated signature.
const SIG_TIME: u64 = 1_709_294_400;

fn t(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn unix(st: SystemTime) -> u64 {
    st.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("v6") if args.len() == 4 => v6(Path::new(&args[2]), Path::new(&args[3])),
        Some("v3") if args.len() == 4 => v3(Path::new(&args[2]), Path::new(&args[3])),
        Some("v3-sign") if args.len() == 7 => v3_sign(&args[2..]),
        Some("check") if args.len() == 3 => check(Path::new(&args[2])),
        Some("policy") if args.len() == 3 => policy::policy(Path::new(&args[2])),
        Some("collision") if args.len() == 4 => {
            collision::collision(Path::new(&args[2]), Path::new(&args[3]))
        }
        Some("view") if args.len() == 4 => policy::view(Path::new(&args[2]), Path::new(&args[3])),
        _ => bail!(
            "usage: generator v6 OUTDIR DATA | v3 OUTDIR DATA | v3-sign TSK DATA HASH TIME OUT | check NEGDIR | policy OUTDIR | view KEYRING OUT.json | collision OUTDIR DATA"
        ),
    }
}

fn curve_name(c: &Curve) -> String {
    match c {
        Curve::NistP256 => "nistp256".into(),
        Curve::NistP384 => "nistp384".into(),
        Curve::NistP521 => "nistp521".into(),
        Curve::BrainpoolP256 => "brainpoolP256r1".into(),
        Curve::BrainpoolP384 => "brainpoolP384r1".into(),
        Curve::BrainpoolP512 => "brainpoolP512r1".into(),
        Curve::Ed25519 => "ed25519".into(),
        Curve::Cv25519 => "cv25519".into(),
        other => format!("{other:?}"),
    }
}

fn key_curve(m: &mpi::PublicKey) -> Value {
    match m {
        mpi::PublicKey::ECDSA { curve, .. }
        | mpi::PublicKey::EdDSA { curve, .. }
        | mpi::PublicKey::ECDH { curve, .. } => json!(curve_name(curve)),
        mpi::PublicKey::Ed25519 { .. } => json!("Ed25519"),
        mpi::PublicKey::X25519 { .. } => json!("X25519"),
        mpi::PublicKey::Ed448 { .. } => json!("Ed448"),
        mpi::PublicKey::X448 { .. } => json!("X448"),
        _ => Value::Null,
    }
}

fn flags_list(f: Option<KeyFlags>) -> Value {
    let Some(f) = f else { return Value::Null };
    let mut v = vec![];
    if f.for_certification() {
        v.push("certify");
    }
    if f.for_signing() {
        v.push("sign");
    }
    if f.for_transport_encryption() || f.for_storage_encryption() {
        v.push("encrypt");
    }
    if f.for_authentication() {
        v.push("authenticate");
    }
    json!(v)
}

fn key_json<P: key::KeyParts, R: key::KeyRole>(k: &Key<P, R>, flags: Option<KeyFlags>) -> Value {
    json!({
        "version": k.version(),
        "algorithm": u8::from(k.pk_algo()),
        "algorithm_name": format!("{:?}", k.pk_algo()),
        "bits": k.mpis().bits(),
        "curve": key_curve(k.mpis()),
        "fingerprint": k.fingerprint().to_hex(),
        "key_id": k.keyid().to_hex(),
        "created": unix(k.creation_time()),
        "capabilities": flags_list(flags),
    })
}

fn cert_json(file: &str, cert: &Cert) -> Result<Value> {
    let p = StandardPolicy::new();
    let vc = cert.with_policy(&p, t(SIG_TIME))?;
    let primary = key_json(cert.primary_key().key(), vc.primary_key().key_flags());
    let mut subkeys = vec![];
    for ka in cert.keys().subkeys() {
        let flags = ka
            .clone()
            .with_policy(&p, t(SIG_TIME))
            .ok()
            .and_then(|v| v.key_flags());
        subkeys.push(key_json(ka.key(), flags));
    }
    let uids: Vec<String> = cert
        .userids()
        .map(|u| String::from_utf8_lossy(u.userid().value()).into_owned())
        .collect();
    Ok(json!({
        "file": file,
        "kind": "key",
        "source": "sequoia-openpgp 2 (the generator that made the file)",
        "primary": primary,
        "subkeys": subkeys,
        "user_ids": uids,
    }))
}

fn sig_json(file: &str, sig: &Signature, signer: &str, data: &str, extra: Value) -> Value {
    let issuer_fpr = sig.issuer_fingerprints().next().map(|f| f.to_hex());
    let issuer_kid = sig.issuers().next().map(|k| k.to_hex()).or_else(|| {
        sig.issuer_fingerprints()
            .next()
            .map(|f| openpgp::KeyID::from(f).to_hex())
    });
    let salt = match sig {
        Signature::V6(s) => json!(hex::encode_upper(s.salt())),
        _ => Value::Null,
    };
    let mut v = json!({
        "file": file,
        "kind": "signature",
        "source": "sequoia-openpgp 2 (the generator that made the file)",
        "version": sig.version(),
        "type": u8::from(sig.typ()),
        "pubkey_algorithm": u8::from(sig.pk_algo()),
        "hash_algorithm": u8::from(sig.hash_algo()),
        "issuer_key_id": issuer_kid,
        "issuer_fingerprint": issuer_fpr,
        "created": sig.signature_creation_time().map(unix),
        "hash_prefix": hex::encode_upper(sig.digest_prefix()),
        "salt": salt,
        "signer_file": signer,
        "data_file": data,
    });
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    v
}

fn write_json(path: &Path, v: &Value) -> Result<()> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    fs::write(path, s).with_context(|| format!("writing {}", path.display()))
}

fn write_armored(path: &Path, kind: armor::Kind, binary: &[u8]) -> Result<()> {
    let mut w = armor::Writer::new(Vec::new(), kind)?;
    std::io::Write::write_all(&mut w, binary)?;
    fs::write(path, w.finalize()?)?;
    Ok(())
}

/// Text-mode canonical form (RFC 9580 section 5.2.1.2): every line ending
/// becomes CR LF; nothing else changes (no trailing-whitespace stripping).
fn canonical_text(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    let mut prev = 0u8;
    for &b in data {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

struct V6Key {
    name: &'static str,
    suite: CipherSuite,
    certonly: bool,
    uid: &'static str,
}

fn v6(out: &Path, data_path: &Path) -> Result<()> {
    fs::create_dir_all(out)?;
    let data = fs::read(data_path)?;
    let data_name = format!(
        "../sigs/{}",
        data_path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("data.txt")
    );
    let keys = [
        V6Key {
            name: "v6-rsa3072",
            suite: CipherSuite::RSA3k,
            certonly: false,
            uid: "v6 RSA 3072 <v6-rsa3072@test.pgp-umd.invalid>",
        },
        V6Key {
            name: "v6-ecdsa-p256",
            suite: CipherSuite::P256,
            certonly: false,
            uid: "v6 ECDSA P-256 <v6-p256@test.pgp-umd.invalid>",
        },
        V6Key {
            name: "v6-ecdsa-p384",
            suite: CipherSuite::P384,
            certonly: false,
            uid: "v6 ECDSA P-384 <v6-p384@test.pgp-umd.invalid>",
        },
        V6Key {
            name: "v6-ed25519",
            suite: CipherSuite::Cv25519,
            certonly: false,
            uid: "v6 Ed25519 <v6-ed25519@test.pgp-umd.invalid>",
        },
        V6Key {
            name: "v6-rsa3072-certonly-signsub",
            suite: CipherSuite::RSA3k,
            certonly: true,
            uid: "v6 RSA certify-only <v6-rsa-signsub@test.pgp-umd.invalid>",
        },
        V6Key {
            name: "v6-ed25519-certonly-signsub",
            suite: CipherSuite::Cv25519,
            certonly: true,
            uid: "v6 Ed25519 certify-only <v6-ed-signsub@test.pgp-umd.invalid>",
        },
    ];
    let mut index = vec![];
    for k in &keys {
        let primary_flags = if k.certonly {
            KeyFlags::empty().set_certification()
        } else {
            KeyFlags::empty().set_certification().set_signing()
        };
        let mut b = CertBuilder::new()
            .set_profile(Profile::RFC9580)?
            .set_cipher_suite(k.suite)
            .set_creation_time(t(KEY_TIME))
            .set_validity_period(None)
            .set_primary_key_flags(primary_flags)
            .add_userid(k.uid);
        if k.certonly {
            b = b.add_signing_subkey();
        }
        let (cert, _rev) = b.add_transport_encryption_subkey().generate()?;
        let pgp = cert.to_vec()?;
        fs::write(out.join(format!("{}.pgp", k.name)), &pgp)?;
        let mut asc = vec![];
        cert.armored().serialize(&mut asc)?;
        fs::write(out.join(format!("{}.asc", k.name)), asc)?;
        write_json(
            &out.join(format!("{}.json", k.name)),
            &cert_json(&format!("{}.pgp", k.name), &cert)?,
        )?;
        index.push(format!("{}.pgp", k.name));

        // The signing key: the primary, or the signing subkey.
        let p = StandardPolicy::new();
        let signing = cert
            .keys()
            .with_policy(&p, t(SIG_TIME))
            .for_signing()
            .secret()
            .next()
            .ok_or_else(|| anyhow!("{}: no signing key", k.name))?;
        let mut signer = signing.key().clone().into_keypair()?;
        let signer_fpr = signing.key().fingerprint();

        let mut hashes = vec![HashAlgorithm::SHA256, HashAlgorithm::SHA512];
        if matches!(k.suite, CipherSuite::P384) {
            hashes = vec![HashAlgorithm::SHA384, HashAlgorithm::SHA512];
        }
        if k.certonly {
            hashes.truncate(1);
        }
        for (i, h) in hashes.iter().enumerate() {
            let modes: &[SignatureType] = if i == 0 {
                &[SignatureType::Binary, SignatureType::Text]
            } else {
                &[SignatureType::Binary]
            };
            for typ in modes {
                let msg = if *typ == SignatureType::Text {
                    canonical_text(&data)
                } else {
                    data.clone()
                };
                let sig = SignatureBuilder::new(*typ)
                    .set_signature_creation_time(t(SIG_TIME))?
                    .set_hash_algo(*h)
                    .sign_message(&mut signer, &msg)?;
                sig.verify_message(signer.public(), &msg)?;
                // The same signature must not verify over the flipped data.
                let mut flipped = data.clone();
                flipped[0] ^= 1;
                let flipped = if *typ == SignatureType::Text {
                    canonical_text(&flipped)
                } else {
                    flipped
                };
                let flipped_ok = sig
                    .clone()
                    .verify_message(signer.public(), &flipped)
                    .is_ok();
                let mode = if *typ == SignatureType::Text {
                    "text"
                } else {
                    "bin"
                };
                let hname = format!("{h:?}").to_lowercase();
                let name = format!("{}-{}-{}", k.name, hname, mode);
                let bin = Packet::from(sig.clone()).to_vec()?;
                fs::write(out.join(format!("{name}.sig")), &bin)?;
                write_armored(
                    &out.join(format!("{name}.asc")),
                    armor::Kind::Signature,
                    &bin,
                )?;
                write_json(
                    &out.join(format!("{name}.json")),
                    &sig_json(
                        &format!("{name}.sig"),
                        &sig,
                        &format!("{}.pgp", k.name),
                        &data_name,
                        json!({
                            "signing_key_fingerprint": signer_fpr.to_hex(),
                            "verifies_over_data": true,
                            "verifies_over_flipped_data": flipped_ok,
                        }),
                    ),
                )?;
                index.push(format!("{name}.sig"));
            }
        }
    }
    fs::write(out.join("INDEX"), index.join("\n") + "\n")?;
    Ok(())
}

/// Old-format packet header with a two-octet length (as gpg and rpm write).
fn old_header(tag: u8, len: usize) -> Result<Vec<u8>> {
    if len > 0xFFFF {
        bail!("packet too long");
    }
    Ok(vec![0x80 | (tag << 2) | 1, (len >> 8) as u8, len as u8])
}

fn mpi_bytes(m: &mpi::MPI) -> Vec<u8> {
    let v = m.value();
    let bits = m.bits();
    let mut out = vec![(bits >> 8) as u8, bits as u8];
    out.extend_from_slice(v);
    out
}

/// A hand-encoded RFC 4880 5.2.2 version 3 signature packet over `msg` by
/// `keypair` (RSA), made at `time`; returns the packet and the full digest.
fn v3_packet(
    keypair: &mut openpgp::crypto::KeyPair,
    h: HashAlgorithm,
    typ: SignatureType,
    time: u64,
    msg: &[u8],
) -> Result<(Vec<u8>, Vec<u8>)> {
    let typ_byte = u8::from(typ);
    let time = u32::try_from(time).context("time does not fit 32 bits")?;
    // RFC 4880 5.2.4: v3 hashes the data, then the 5 hashed octets
    // (signature type, creation time), with no trailer.
    let mut ctx = h.context()?.for_signature(3);
    ctx.update(msg);
    ctx.update(&[typ_byte]);
    ctx.update(&time.to_be_bytes());
    let mut digest = vec![0u8; ctx.digest_size()];
    ctx.digest(&mut digest)?;
    let value = keypair.sign(h, &digest)?;
    let s = match &value {
        mpi::Signature::RSA { s } => s.clone(),
        _ => bail!("not an RSA signature"),
    };
    let public = keypair.public();
    // RFC 4880 5.2.2 version 3 signature packet body.
    let mut body = vec![3u8, 5, typ_byte];
    body.extend_from_slice(&time.to_be_bytes());
    body.extend_from_slice(public.keyid().as_bytes());
    body.push(u8::from(public.pk_algo()));
    body.push(u8::from(h));
    body.extend_from_slice(&digest[..2]);
    body.extend_from_slice(&mpi_bytes(&s));
    let mut pkt = old_header(2, body.len())?;
    pkt.extend_from_slice(&body);
    Ok((pkt, digest))
}

fn v3(out: &Path, data_path: &Path) -> Result<()> {
    fs::create_dir_all(out)?;
    let data = fs::read(data_path)?;
    let data_name = format!(
        "../sigs/{}",
        data_path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("data.txt")
    );
    // A v4 RSA certificate, as RHEL-family keys are; v3 signatures by v4 keys
    // are what rpm packages commonly carry.
    let (cert, _rev) = CertBuilder::new()
        .set_profile(Profile::RFC4880)?
        .set_cipher_suite(CipherSuite::RSA3k)
        .set_creation_time(t(KEY_TIME))
        .set_validity_period(None)
        .set_primary_key_flags(KeyFlags::empty().set_certification().set_signing())
        .add_userid("v3 signer RSA 3072 <v3-signer@test.pgp-umd.invalid>")
        .generate()?;
    let certfile = "rsa3072-v4cert.pgp";
    fs::write(out.join(certfile), cert.to_vec()?)?;
    let mut asc = vec![];
    cert.armored().serialize(&mut asc)?;
    fs::write(out.join("rsa3072-v4cert.asc"), asc)?;
    write_json(
        &out.join("rsa3072-v4cert.json"),
        &cert_json(certfile, &cert)?,
    )?;

    let primary = cert.primary_key().key().clone().parts_into_secret()?;
    let mut keypair = primary.clone().into_keypair()?;
    let keyid = primary.keyid();
    let mut index = vec![certfile.to_string()];
    for (h, typ) in [
        (HashAlgorithm::SHA256, SignatureType::Binary),
        (HashAlgorithm::SHA512, SignatureType::Binary),
        (HashAlgorithm::SHA256, SignatureType::Text),
    ] {
        let msg = if typ == SignatureType::Text {
            canonical_text(&data)
        } else {
            data.clone()
        };
        let (pkt, digest) = v3_packet(&mut keypair, h, typ, SIG_TIME, &msg)?;

        // Check with sequoia: parses as v3 and verifies.
        let parsed = match Packet::from_bytes(&pkt).context("sequoia parses the v3 signature")? {
            Packet::Signature(s) => s,
            other => bail!("sequoia sees a {} packet", other.tag()),
        };
        if parsed.version() != 3 {
            bail!("sequoia sees version {}", parsed.version());
        }
        parsed
            .clone()
            .verify_message(primary.parts_as_public(), &msg)
            .context("sequoia verifies v3")?;

        let mode = if typ == SignatureType::Text {
            "text"
        } else {
            "bin"
        };
        let name = format!("rsa3072-v3-{}-{}", format!("{h:?}").to_lowercase(), mode);
        fs::write(out.join(format!("{name}.sig")), &pkt)?;
        write_armored(
            &out.join(format!("{name}.asc")),
            armor::Kind::Signature,
            &pkt,
        )?;
        write_json(
            &out.join(format!("{name}.json")),
            &sig_json(
                &format!("{name}.sig"),
                &parsed,
                certfile,
                &data_name,
                json!({
                    "issuer_key_id": keyid.to_hex(),
                    "signing_key_fingerprint": primary.fingerprint().to_hex(),
                    "digest": hex::encode_upper(&digest),
                    "verifies_over_data": true,
                    "encoding": "hand-encoded RFC 4880 5.2.2 v3 packet, old-format header, 2-octet length; verified by sequoia here and by gpg (see .gpg-verify.txt)",
                }),
            ),
        )?;
        index.push(format!("{name}.sig"));
    }
    fs::write(out.join("INDEX"), index.join("\n") + "\n")?;
    Ok(())
}

/// `v3-sign TSK DATA HASH TIME OUT`: see the module documentation.
fn v3_sign(args: &[String]) -> Result<()> {
    let [tsk, data, hash, time, out] = args else {
        bail!("v3-sign needs TSK DATA HASH TIME OUT");
    };
    let h = match hash.as_str() {
        "sha256" => HashAlgorithm::SHA256,
        "sha512" => HashAlgorithm::SHA512,
        other => bail!("unsupported hash {other}"),
    };
    let time: u64 = time.parse().context("TIME in Unix seconds")?;
    let cert = Cert::from_file(tsk).context("reading the secret certificate")?;
    let policy = StandardPolicy::new();
    let key = cert
        .with_policy(&policy, t(time))?
        .keys()
        .for_signing()
        .secret()
        .next()
        .ok_or_else(|| anyhow!("no signing-capable secret key at TIME"))?
        .key()
        .clone();
    let mut keypair = key.into_keypair()?;
    let msg = fs::read(data)?;
    let (pkt, _digest) = v3_packet(&mut keypair, h, SignatureType::Binary, time, &msg)?;
    // Check with sequoia before writing: a v3 packet that verifies.
    let parsed = match Packet::from_bytes(&pkt)? {
        Packet::Signature(s) if s.version() == 3 => s,
        _ => bail!("sequoia does not see a v3 signature"),
    };
    parsed
        .verify_message(keypair.public(), &msg)
        .context("sequoia verifies the v3 signature")?;
    fs::write(out, &pkt)?;
    Ok(())
}

/// Walks the packets of `bytes`; errors on a parse error or on any packet
/// sequoia could only keep as `Unknown` (it does so for malformed bodies).
/// Armor detection is off: the protocol carries binary OpenPGP only.
fn binary_parser(bytes: &[u8]) -> Result<PacketParserResult<'_>> {
    PacketParserBuilder::from_bytes(bytes)?
        .dearmor(Dearmor::Disabled)
        .buffer_unread_content() // unread body octets are an error, not dropped
        .build()
}

fn packet_walk(bytes: &[u8]) -> Result<Vec<Tag>> {
    let mut tags = vec![];
    let mut ppr = binary_parser(bytes)?;
    while let PacketParserResult::Some(pp) = ppr {
        let (packet, next) = pp.next()?;
        if let Packet::Unknown(u) = &packet {
            bail!("unparseable {} packet: {}", u.tag(), u.error());
        }
        tags.push(packet.tag());
        ppr = next;
    }
    Ok(tags)
}

fn check_key(bytes: &[u8]) -> Result<String> {
    let tags = packet_walk(bytes)?;
    let cert = Cert::try_from(binary_parser(bytes)?)?;
    let secret = if cert.is_tsk() {
        " (secret key material)"
    } else {
        ""
    };
    Ok(format!(
        "cert {} with {} packets{}",
        cert.fingerprint(),
        tags.len(),
        secret
    ))
}

fn check_sig(bytes: &[u8]) -> Result<String> {
    let _ = packet_walk(bytes)?;
    let pile = PacketPile::try_from(binary_parser(bytes)?)?;
    let packets: Vec<&Packet> = pile.descendants().collect();
    match packets.as_slice() {
        [Packet::Signature(s)] => Ok(format!("v{} signature type {}", s.version(), s.typ())),
        [_] => bail!("not a signature packet"),
        _ => bail!("{} packets, not exactly one", packets.len()),
    }
}

fn check(dir: &Path) -> Result<()> {
    let manifest = fs::read_to_string(dir.join("manifest.tsv"))?;
    println!("file\top\tclass\texpected_status\tsequoia\tdetail");
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 {
            continue;
        }
        let (file, op, class, status) = (cols[0], cols[1], cols[2], cols[3]);
        let path: PathBuf = dir.join(file);
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let r = match op {
            "key" => check_key(&bytes),
            "signature" => check_sig(&bytes),
            other => Err(anyhow!("unknown op {other}")),
        };
        let (verdict, detail) = match r {
            Ok(d) => ("accept", d),
            Err(e) => ("reject", format!("{e:#}")),
        };
        let detail = detail.replace(['\t', '\n'], " ");
        println!("{file}\t{op}\t{class}\t{status}\t{verdict}\t{detail}");
    }
    Ok(())
}
