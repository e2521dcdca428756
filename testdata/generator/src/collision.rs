//! `collision OUTDIR DATA`: two RSA certificates whose v4 key ids are equal
//! (testdata/collision/README.md), and signatures by each that name their
//! issuer by that key id only.
//!
//! A v4 key id is the low 64 bits of the key's SHA-1 fingerprint, so two
//! keys with the same id are a 64-bit collision: Pollard's rho with
//! distinguished points finds one in about 2^32 fingerprints. What varies
//! is the public exponent (odd, 64 bits, coprime to λ(n)) and which of two
//! moduli is used; the fingerprinted bytes up to the exponent are hashed
//! once, so each step costs one SHA-1 compression. No library does this
//! search, hence the hand-written loop; the keys and signatures themselves
//! are made by sequoia.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context, Result};
use num_bigint_dig::{BigUint, ModInverse};
use num_integer::Integer;
use num_traits::ToPrimitive;
use serde_json::json;
use sha1::digest::generic_array::GenericArray;

use openpgp::crypto::mpi;
use openpgp::packet::key::{Key4, PrimaryRole, SecretParts};
use openpgp::packet::prelude::*;
use openpgp::packet::signature::subpacket::{Subpacket, SubpacketValue};
use openpgp::serialize::{Marshal, MarshalInto};
use openpgp::types::{HashAlgorithm, KeyFlags, SignatureType};
use openpgp::{Cert, KeyID, Packet};
use sequoia_openpgp as openpgp;

use crate::t;

/// A trail ends at a key id whose low bits are zero: 2^-20 of them.
const DISTINGUISHED_BITS: u32 = 20;
/// A trail longer than this is looping without a distinguished point.
const MAX_TRAIL: u64 = 32 << DISTINGUISHED_BITS;
/// How many moduli the search varies over (2 bits of a step's input).
const MODULI: usize = 4;
/// Key creation times are below this (2023-11-14), so none is in the future.
const TIME_LIMIT: u64 = 1_700_000_000;
/// Body of a v4 RSA key with a 2048-bit modulus and a 33-bit exponent:
/// version, time, algorithm, n (2 + 256), e (2 + 5). sequoia's RSA signs
/// with exponents below 2^33 only, hence 33 bits.
const BODY_LEN: usize = 1 + 4 + 1 + 2 + 256 + 2 + 5;
/// What the fingerprint hashes: 0x99, the 2-octet length, the body.
const HASHED_LEN: usize = 3 + BODY_LEN;
/// The hashed bytes with SHA-1's padding: five blocks.
const PADDED_LEN: usize = 320;

/// One of the moduli, with what the search needs of it.
struct Modulus {
    p: BigUint,
    q: BigUint,
    lambda: BigUint,
    /// The padded bytes the fingerprint hashes; time and exponent are
    /// written in per step.
    padded: [u8; PADDED_LEN],
}

/// A safe prime (p = 2p' + 1, p' prime) of `bits` bits with its top two
/// bits set, by `openssl prime`.
fn safe_prime(bits: u32) -> Result<BigUint> {
    let out = Command::new("openssl")
        .args(["prime", "-generate", "-safe", "-bits", &bits.to_string()])
        .output()
        .context("running openssl prime")?;
    if !out.status.success() {
        bail!(
            "openssl prime failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = String::from_utf8(out.stdout)?;
    BigUint::parse_bytes(text.trim().as_bytes(), 10).context("openssl prime printed no number")
}

impl Modulus {
    /// Safe primes make λ(n) = 2p'q', so every odd exponent below 2^33 is
    /// invertible and the search never finds an unusable key.
    fn new() -> Result<Self> {
        loop {
            let (p, q) = (safe_prime(1024)?, safe_prime(1024)?);
            let n = &p * &q;
            if n.bits() != 2048 || p == q {
                continue;
            }
            let lambda = (&p - 1u32).lcm(&(&q - 1u32));
            let mut padded = [0u8; PADDED_LEN];
            padded[0] = 0x99;
            padded[1..3].copy_from_slice(&(BODY_LEN as u16).to_be_bytes());
            padded[3] = 4;
            padded[8] = 1; // RSA (encrypt or sign)
            padded[9..11].copy_from_slice(&2048u16.to_be_bytes());
            padded[11..267].copy_from_slice(&n.to_bytes_be());
            padded[267..269].copy_from_slice(&33u16.to_be_bytes());
            padded[HASHED_LEN] = 0x80;
            padded[PADDED_LEN - 8..].copy_from_slice(&((HASHED_LEN as u64) * 8).to_be_bytes());
            return Ok(Modulus {
                p,
                q,
                lambda,
                padded,
            });
        }
    }

    /// The key id of this modulus with creation time `time` and exponent `e`.
    fn key_id(&self, time: u32, e: u64) -> u64 {
        let mut m = self.padded;
        m[4..8].copy_from_slice(&time.to_be_bytes());
        m[269..274].copy_from_slice(&e.to_be_bytes()[3..]);
        let mut state = [
            0x6745_2301,
            0xEFCD_AB89,
            0x98BA_DCFE,
            0x1032_5476,
            0xC3D2_E1F0,
        ];
        let blocks: Vec<_> = m
            .chunks_exact(64)
            .map(|b| *GenericArray::from_slice(b))
            .collect();
        sha1::compress(&mut state, &blocks);
        (u64::from(state[3]) << 32) | u64::from(state[4])
    }
}

/// A key the search can name: which modulus, creation time, exponent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Variant {
    modulus: usize,
    time: u32,
    e: u64,
}

/// What a step's input stands for: 2 bits pick the modulus, 31 the
/// creation time (folded below [`TIME_LIMIT`]), 31 the exponent (odd, in
/// [2^32, 2^33)).
fn variant(x: u64) -> Variant {
    Variant {
        modulus: (x >> 62) as usize % MODULI,
        time: (((x >> 31) & 0x7FFF_FFFF) % TIME_LIMIT) as u32,
        e: 1 << 32 | (x & 0x7FFF_FFFF) << 1 | 1,
    }
}

/// The step function: the key id of the key `x` stands for.
fn step(m: &[Modulus], x: u64) -> u64 {
    let v = variant(x);
    m[v.modulus].key_id(v.time, v.e)
}

/// Walks two trails that end at the same distinguished point to where they
/// merge; returns the two different inputs with equal images.
fn merge_point(
    m: &[Modulus],
    (mut a, la): (u64, u64),
    (mut b, lb): (u64, u64),
) -> Option<(u64, u64)> {
    let (mut la, mut lb) = (la, lb);
    while la > lb {
        a = step(m, a);
        la -= 1;
    }
    while lb > la {
        b = step(m, b);
        lb -= 1;
    }
    if a == b {
        return None; // one start lies on the other's trail
    }
    loop {
        let (fa, fb) = (step(m, a), step(m, b));
        if fa == fb {
            return Some((a, b));
        }
        a = fa;
        b = fb;
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Two different keys with the same key id.
fn search(m: &Arc<Vec<Modulus>>, threads: usize) -> Result<(Variant, Variant)> {
    let seen: Arc<Mutex<HashMap<u64, (u64, u64)>>> = Arc::default();
    let found: Arc<Mutex<Option<(Variant, Variant)>>> = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (m, seen, found, done) = (m.clone(), seen.clone(), found.clone(), done.clone());
            let mut rng = seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407);
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    let start = splitmix(&mut rng);
                    let (mut x, mut len) = (start, 0u64);
                    while x & ((1 << DISTINGUISHED_BITS) - 1) != 0 || len == 0 {
                        x = step(&m, x);
                        len += 1;
                        if len > MAX_TRAIL {
                            break;
                        }
                    }
                    if len > MAX_TRAIL {
                        continue;
                    }
                    let other = {
                        let mut s = seen.lock().expect("lock");
                        match s.get(&x) {
                            Some(&o) if o.0 != start => Some(o),
                            Some(_) => None,
                            None => {
                                s.insert(x, (start, len));
                                if s.len() % 256 == 0 {
                                    eprintln!("{} trails, {:.0?}", s.len(), started.elapsed());
                                }
                                None
                            }
                        }
                    };
                    let Some(other) = other else { continue };
                    let Some((a, b)) = merge_point(&m, (start, len), other) else {
                        continue;
                    };
                    let (ka, kb) = (variant(a), variant(b));
                    if ka != kb {
                        *found.lock().expect("lock") = Some((ka, kb));
                        done.store(true, Ordering::Relaxed);
                    } else {
                        eprintln!("unusable collision {ka:?} {kb:?}; going on");
                    }
                }
            })
        })
        .collect();
    for h in handles {
        if h.join().is_err() {
            bail!("a search thread panicked");
        }
    }
    let pair = found.lock().expect("lock").take();
    pair.context("the search ended without a collision")
}

fn certificate(
    m: &[Modulus],
    v: Variant,
    name: &str,
) -> Result<(Cert, Key<SecretParts, PrimaryRole>)> {
    let modulus = &m[v.modulus];
    let d = BigUint::from(v.e)
        .mod_inverse(&modulus.lambda)
        .and_then(|d| d.to_biguint())
        .context("e is not invertible")?;
    let created = t(u64::from(v.time));
    let key: Key<SecretParts, PrimaryRole> = Key4::import_secret_rsa(
        &d.to_bytes_be(),
        &modulus.p.to_bytes_be(),
        &modulus.q.to_bytes_be(),
        created,
    )?
    .into();
    if let mpi::PublicKey::RSA { e: got, .. } = key.mpis() {
        if BigUint::from_bytes_be(got.value()).to_u64() != Some(v.e) {
            bail!("sequoia derived another exponent");
        }
    }
    let uid = UserID::from(format!(
        "Key id collision {name} <collision-{name}@test.pgp-umd.invalid>"
    ));
    let mut signer = key.clone().into_keypair()?;
    let public: Packet = key.clone().take_secret().0.into();
    let sig = uid.bind(
        &mut signer,
        &Cert::from_packets(vec![public.clone()].into_iter())?,
        SignatureBuilder::new(SignatureType::PositiveCertification)
            .set_signature_creation_time(created)?
            .set_key_flags(KeyFlags::empty().set_certification().set_signing())?
            .set_hash_algo(HashAlgorithm::SHA256),
    )?;
    let cert = Cert::from_packets(vec![public, uid.into(), sig.into()].into_iter())?;
    Ok((cert, key))
}

/// A binary v4 signature over `data` made at `time`, naming its issuer by
/// key id only (in the unhashed area, where gpg writes it).
fn keyid_only_signature(
    key: &Key<SecretParts, PrimaryRole>,
    time: u64,
    data: &[u8],
) -> Result<Signature> {
    let mut signer = key.clone().into_keypair()?;
    let sig = SignatureBuilder::new(SignatureType::Binary)
        .set_signature_creation_time(t(time))?
        .set_hash_algo(HashAlgorithm::SHA256)
        .modify_unhashed_area(|mut a| {
            a.add(Subpacket::new(SubpacketValue::Issuer(key.keyid()), false)?)?;
            Ok(a)
        })?
        .sign_message(&mut signer, data)?;
    if sig.issuer_fingerprints().next().is_some() || sig.issuers().count() != 1 {
        bail!("the signature names its issuer otherwise than by one key id");
    }
    Ok(sig)
}

/// The search's key id (its own SHA-1 input) must be sequoia's.
fn self_check(m: &[Modulus]) -> Result<()> {
    for x in [
        0x1234_5678_9ABC_DEF0u64,
        0x4321_0FED_CBA9_8765,
        0x9999_AAAA_BBBB_CCCC,
        u64::MAX,
    ] {
        let v = variant(x);
        let (cert, _) = certificate(m, v, "check")?;
        let ours = KeyID::from(step(m, x));
        if cert.keyid() != ours {
            bail!(
                "{v:?}: key id {ours} by the search, {} by sequoia",
                cert.keyid()
            );
        }
    }
    Ok(())
}

pub fn collision(out: &Path, data: &Path) -> Result<()> {
    let data = fs::read(data).context("reading DATA")?;
    let moduli = Arc::new(
        (0..MODULI)
            .map(|_| Modulus::new())
            .collect::<Result<Vec<_>>>()?,
    );
    self_check(&moduli)?;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let started = Instant::now();
    let (va, vb) = search(&moduli, threads)?;
    eprintln!("collision after {:.0?}: {va:?}, {vb:?}", started.elapsed());
    fs::create_dir_all(out)?;
    let (ca, ka) = certificate(&moduli, va, "a")?;
    let (cb, kb) = certificate(&moduli, vb, "b")?;
    if ca.keyid() != cb.keyid() || ca.fingerprint() == cb.fingerprint() {
        bail!(
            "the certificates do not collide: {} {}",
            ca.fingerprint(),
            cb.fingerprint()
        );
    }
    // The data signatures are made after both keys exist.
    let signed = u64::from(va.time.max(vb.time)) + 86_400;
    for (name, cert, key) in [("a", &ca, &ka), ("b", &cb, &kb)] {
        fs::write(out.join(format!("collision-{name}.pgp")), cert.to_vec()?)?;
        fs::write(
            out.join(format!("collision-{name}.asc")),
            cert.armored().to_vec()?,
        )?;
        let tsk = cert
            .clone()
            .insert_packets(vec![Packet::from(key.clone())])?
            .0;
        let mut w = Vec::new();
        tsk.as_tsk().serialize(&mut w)?;
        fs::write(out.join(format!("collision-{name}.tsk")), w)?;
        let sig = keyid_only_signature(key, signed, &data)?;
        fs::write(
            out.join(format!("collision-{name}-keyid.sig")),
            Packet::from(sig).to_vec()?,
        )?;
    }
    let facts = json!({
        "key_id": ca.keyid().to_hex(),
        "a": { "fingerprint": ca.fingerprint().to_hex(), "created": va.time, "exponent": format!("{:#x}", va.e) },
        "b": { "fingerprint": cb.fingerprint().to_hex(), "created": vb.time, "exponent": format!("{:#x}", vb.e) },
        "same_modulus": va.modulus == vb.modulus,
        "search_seconds": started.elapsed().as_secs(),
    });
    fs::write(
        out.join("collision.json"),
        serde_json::to_string_pretty(&facts)? + "\n",
    )?;
    println!("{facts}");
    Ok(())
}
