//! Structured requests: an `arbitrary`-derived request header (mostly valid,
//! sometimes with one fault) and a payload built as a soup of packets: real
//! packets cut from the corpus, keys and signatures assembled field by field
//! for every algorithm and version (with embedded signatures, subpackets in
//! every length form, v6 salts of right and wrong sizes), user ids, marker,
//! trust and padding packets, raw packets of any tag, and junk; finally an
//! optional one-octet overwrite and truncation.
//!
//! Invariants: those of `check_request` (validator, no allocation,
//! determinism, `handle_bytes` equals `handle`).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pgp_umd_fuzz::check_request;
use pgp_umd_fuzz::encode::{mpi, new_length, packet};
use pgp_umd_parser::parse::read_packet_header;
use pgp_umd_proto::openpgp::{oid, v6_salt_len};
use pgp_umd_proto::{RequestHeader, MAGIC, VERSION};
use std::sync::OnceLock;
use zerocopy::IntoBytes;

const CORPUS: &[&[u8]] = &[
    include_bytes!("../../testdata/keys/ed25519-certonly-signsub.pgp"),
    include_bytes!("../../testdata/keys/dsa3072-elg.pgp"),
    include_bytes!("../../testdata/keys/ecdsa-p256.pgp"),
    include_bytes!("../../testdata/keys/rsa2048-revoked-subkey.pgp"),
    include_bytes!("../../testdata/v6/v6-ed25519-certonly-signsub.pgp"),
    include_bytes!("../../testdata/v6/v6-ecdsa-p384.pgp"),
    include_bytes!("../../testdata/v6/v6-rsa3072-sha512-bin.sig"),
    include_bytes!("../../testdata/v3/rsa3072-v3-sha256-bin.sig"),
    include_bytes!("../../testdata/sigs/dsa3072-sha256-bin.sig"),
];

/// Every packet of the corpus files above.
fn corpus_packets() -> &'static [&'static [u8]] {
    static PACKETS: OnceLock<Vec<&'static [u8]>> = OnceLock::new();
    PACKETS.get_or_init(|| {
        let mut out = Vec::new();
        for file in CORPUS {
            let mut rest: &[u8] = file;
            while let Ok((_, h)) = read_packet_header(rest) {
                let n = h.header_len + h.body_len;
                out.push(&rest[..n]);
                rest = &rest[n..];
            }
        }
        out
    })
}

#[derive(Arbitrary, Debug)]
enum OpChoice {
    Key,
    Signature,
    Key2,
    Signature2,
    Health,
    Raw(u16),
}

#[derive(Arbitrary, Debug)]
enum HeaderFault {
    Magic(u32),
    Version(u16),
    Flags(u32),
    Reserved(u32),
    LengthDelta(i16),
    TooLong(u32),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Algo {
    Rsa,
    RsaEncrypt,
    Dsa,
    Elgamal,
    ElgamalSign,
    Ecdsa(u8),
    Ecdh(u8),
    EddsaLegacy,
    X25519,
    X448,
    Ed25519,
    Ed448,
    Other(u8),
}

impl Algo {
    fn id(self) -> u8 {
        match self {
            Algo::Rsa => 1,
            Algo::RsaEncrypt => 2,
            Algo::Dsa => 17,
            Algo::Elgamal => 16,
            Algo::ElgamalSign => 20,
            Algo::Ecdsa(_) => 19,
            Algo::Ecdh(_) => 18,
            Algo::EddsaLegacy => 22,
            Algo::X25519 => 25,
            Algo::X448 => 26,
            Algo::Ed25519 => 27,
            Algo::Ed448 => 28,
            Algo::Other(x) => x,
        }
    }
}

const OIDS: &[&[u8]] = &[
    oid::NIST_P256,
    oid::NIST_P384,
    oid::NIST_P521,
    oid::BRAINPOOL_P256,
    oid::BRAINPOOL_P384,
    oid::BRAINPOOL_P512,
    oid::ED25519_LEGACY,
    oid::CURVE25519_LEGACY,
    oid::SECP256K1,
    &[0x2B],
];

fn oid_field(sel: u8, out: &mut Vec<u8>) {
    let o = OIDS[usize::from(sel) % OIDS.len()];
    out.push(o.len() as u8);
    out.extend_from_slice(o);
}

fn native(v: &[u8], n: usize, out: &mut Vec<u8>) {
    out.extend((0..n).map(|i| v.get(i).copied().unwrap_or(i as u8)));
}

fn nth(vals: &[Vec<u8>], i: usize) -> &[u8] {
    vals.get(i).map_or(&[1][..], |v| &v[..])
}

fn key_material(algo: Algo, vals: &[Vec<u8>], out: &mut Vec<u8>) {
    match algo {
        Algo::Rsa | Algo::RsaEncrypt => (0..2).for_each(|i| mpi(nth(vals, i), out)),
        Algo::Dsa => (0..4).for_each(|i| mpi(nth(vals, i), out)),
        Algo::Elgamal | Algo::ElgamalSign => (0..3).for_each(|i| mpi(nth(vals, i), out)),
        Algo::Ecdsa(c) => {
            oid_field(c, out);
            mpi(nth(vals, 0), out);
        }
        Algo::EddsaLegacy => {
            oid_field(6, out);
            mpi(nth(vals, 0), out);
        }
        Algo::Ecdh(c) => {
            oid_field(c, out);
            mpi(nth(vals, 0), out);
            let kdf = nth(vals, 1);
            out.extend_from_slice(&[
                3,
                1,
                kdf.first().copied().unwrap_or(8),
                kdf.get(1).copied().unwrap_or(9),
            ]);
        }
        Algo::X25519 | Algo::Ed25519 => native(nth(vals, 0), 32, out),
        Algo::X448 => native(nth(vals, 0), 56, out),
        Algo::Ed448 => native(nth(vals, 0), 57, out),
        Algo::Other(_) => out.extend_from_slice(nth(vals, 0)),
    }
}

fn sig_values(algo: Algo, vals: &[Vec<u8>], out: &mut Vec<u8>) {
    match algo {
        Algo::Rsa | Algo::RsaEncrypt => mpi(nth(vals, 0), out),
        Algo::Dsa | Algo::Ecdsa(_) | Algo::EddsaLegacy | Algo::ElgamalSign => {
            (0..2).for_each(|i| mpi(nth(vals, i), out))
        }
        Algo::Ed25519 => native(nth(vals, 0), 64, out),
        Algo::Ed448 => native(nth(vals, 0), 114, out),
        _ => out.extend_from_slice(nth(vals, 0)),
    }
}

#[derive(Arbitrary, Debug)]
struct Key {
    secret: bool,
    subkey: bool,
    v6: bool,
    created: u32,
    algo: Algo,
    values: Vec<Vec<u8>>,
    /// v6: added to the material count octets.
    count_delta: i8,
}

#[derive(Arbitrary, Debug)]
enum Sub {
    Raw {
        ty: u8,
        body: Vec<u8>,
        five_octet: bool,
    },
    CreationTime(u32),
    Issuer([u8; 8]),
    IssuerFingerprint(bool, [u8; 32]),
    KeyFlags(u8),
    Embedded {
        critical: bool,
        sig: Box<Sig>,
    },
    /// A zero-length subpacket.
    Empty,
}

fn subpackets(subs: &[Sub], depth: u8, out: &mut Vec<u8>) {
    for s in subs {
        let (ty, body, form) = match s {
            Sub::Raw {
                ty,
                body,
                five_octet,
            } => (*ty, body.clone(), if *five_octet { 2 } else { 0 }),
            Sub::CreationTime(t) => (2, t.to_be_bytes().to_vec(), 0),
            Sub::Issuer(id) => (16, id.to_vec(), 0),
            Sub::IssuerFingerprint(v6, f) => {
                let mut b = vec![if *v6 { 6 } else { 4 }];
                b.extend_from_slice(if *v6 { &f[..] } else { &f[..20] });
                (33, b, 0)
            }
            Sub::KeyFlags(f) => (0x9B, vec![*f], 0),
            Sub::Embedded { critical, sig } => {
                let mut b = Vec::new();
                if depth < 3 {
                    sig.build(depth + 1, &mut b);
                }
                (32 | if *critical { 0x80 } else { 0 }, b, 0)
            }
            Sub::Empty => {
                out.push(0);
                continue;
            }
        };
        new_length(body.len() + 1, form, out);
        out.push(ty);
        out.extend_from_slice(&body);
    }
}

#[derive(Arbitrary, Debug)]
struct Sig {
    version: u8,
    sig_type: u8,
    algo: Algo,
    hash: u8,
    hashed: Vec<Sub>,
    unhashed: Vec<Sub>,
    prefix: [u8; 2],
    salt_delta: i8,
    values: Vec<Vec<u8>>,
    created: u32,
    issuer: [u8; 8],
}

impl Sig {
    fn build(&self, depth: u8, out: &mut Vec<u8>) {
        let version = match self.version % 8 {
            0..=2 => 4,
            3..=4 => 6,
            5 | 6 => 3,
            _ => self.version,
        };
        // Mostly hashes the parser knows (salts need one).
        let hash = match self.hash % 8 {
            0 => 8,
            1 => 10,
            2 => 9,
            3 => 2,
            4 => 11,
            5 => 12,
            6 => 14,
            _ => self.hash,
        };
        out.push(version);
        match version {
            3 => {
                out.push(5);
                out.push(self.sig_type);
                out.extend_from_slice(&self.created.to_be_bytes());
                out.extend_from_slice(&self.issuer);
                out.extend_from_slice(&[self.algo.id(), hash]);
            }
            _ => {
                out.extend_from_slice(&[self.sig_type, self.algo.id(), hash]);
                for area in [&self.hashed, &self.unhashed] {
                    let mut a = Vec::new();
                    subpackets(area, depth, &mut a);
                    if version == 6 {
                        out.extend_from_slice(&(a.len() as u32).to_be_bytes());
                    } else {
                        out.extend_from_slice(&(a.len() as u16).to_be_bytes());
                    }
                    out.extend_from_slice(&a);
                }
            }
        }
        out.extend_from_slice(&self.prefix);
        if version == 6 {
            let n = v6_salt_len(hash).unwrap_or(16) as i32;
            let n = if self.salt_delta % 8 == 0 {
                n + i32::from(self.salt_delta / 8)
            } else {
                n
            };
            let n = n.clamp(0, 255) as usize;
            out.push(n as u8);
            out.extend((0..n).map(|i| i as u8));
        }
        sig_values(self.algo, &self.values, out);
    }
}

#[derive(Arbitrary, Debug)]
enum Body {
    Corpus(u8),
    Key(Key),
    Signature(Sig),
    UserId(Vec<u8>),
    UserAttribute(Vec<u8>),
    Marker,
    Trust(Vec<u8>),
    Padding(Vec<u8>),
    Raw(u8, Vec<u8>),
    Junk(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Piece {
    body: Body,
    legacy: bool,
    form: u8,
}

impl Piece {
    fn build(&self, out: &mut Vec<u8>) {
        let mut b = Vec::new();
        let tag = match &self.body {
            Body::Corpus(i) => {
                let p = corpus_packets();
                out.extend_from_slice(p[usize::from(*i) % p.len()]);
                return;
            }
            Body::Junk(j) => {
                out.extend_from_slice(j);
                return;
            }
            Body::Key(k) => {
                let mut m = Vec::new();
                key_material(k.algo, &k.values, &mut m);
                b.push(if k.v6 { 6 } else { 4 });
                b.extend_from_slice(&k.created.to_be_bytes());
                b.push(k.algo.id());
                if k.v6 {
                    let n = (m.len() as i64 + i64::from(k.count_delta % 2)).max(0) as u32;
                    b.extend_from_slice(&n.to_be_bytes());
                }
                b.extend_from_slice(&m);
                match (k.secret, k.subkey) {
                    (false, false) => 6,
                    (false, true) => 14,
                    (true, false) => 5,
                    (true, true) => 7,
                }
            }
            Body::Signature(s) => {
                s.build(0, &mut b);
                2
            }
            Body::UserId(u) => {
                b.extend_from_slice(u);
                13
            }
            Body::UserAttribute(u) => {
                b.extend_from_slice(u);
                17
            }
            Body::Marker => {
                b.extend_from_slice(b"PGP");
                10
            }
            Body::Trust(t) => {
                b.extend_from_slice(t);
                12
            }
            Body::Padding(p) => {
                b.extend_from_slice(p);
                21
            }
            Body::Raw(tag, body) => {
                b.extend_from_slice(body);
                *tag % 64
            }
        };
        packet(tag, self.legacy, self.form % 3, &b, out);
    }
}

#[derive(Arbitrary, Debug)]
struct Request {
    op: OpChoice,
    seq: u32,
    fault: Option<(u8, HeaderFault)>,
    pieces: Vec<Piece>,
    overwrite: Option<(u16, u8)>,
    truncate: Option<u16>,
}

fuzz_target!(|req: Request| {
    let mut payload = Vec::new();
    for p in &req.pieces {
        p.build(&mut payload);
        if payload.len() > 200_000 {
            break;
        }
    }
    if let Some((at, v)) = req.overwrite {
        if !payload.is_empty() {
            let at = usize::from(at) % payload.len();
            payload[at] = v;
        }
    }
    if let Some(t) = req.truncate {
        payload.truncate(usize::from(t));
    }
    let op = match req.op {
        OpChoice::Key | OpChoice::Key2 => 2,
        OpChoice::Signature | OpChoice::Signature2 => 3,
        OpChoice::Health => 1,
        OpChoice::Raw(op) => op,
    };
    let mut header = RequestHeader {
        magic: MAGIC,
        version: VERSION,
        op,
        flags: 0,
        seq: req.seq,
        payload_len: payload.len() as u32,
        reserved: 0,
    };
    // A header fault in about one request of eight.
    if let Some((gate, fault)) = &req.fault {
        if gate % 8 == 0 {
            match *fault {
                HeaderFault::Magic(m) => header.magic = m,
                HeaderFault::Version(v) => header.version = v,
                HeaderFault::Flags(f) => header.flags = f,
                HeaderFault::Reserved(r) => header.reserved = r,
                HeaderFault::LengthDelta(d) => {
                    header.payload_len = header.payload_len.wrapping_add_signed(i32::from(d))
                }
                HeaderFault::TooLong(l) => header.payload_len = l,
            }
        }
    }
    let mut raw = header.as_bytes().to_vec();
    raw.extend_from_slice(&payload);
    check_request(&header, &payload, Some(&raw));
});
