//! Reference cross-check: every corpus file parsed by this parser
//! (`request::handle` + `inspect`) and by sequoia-openpgp 2.x, field by field.
//!
//! * Accepted inputs: every field both sides report must be identical — per
//!   key (primary and each subkey, in packet order): version, algorithm,
//!   fingerprint, key id, creation time, bits, curve; per signature (the
//!   detached ones and every signature packet inside certificates, in packet
//!   order): version, type, public-key and hash algorithm, issuer key id,
//!   issuer fingerprint, creation time, hash prefix; per certificate: user
//!   ids in order and the subkey count.
//! * Verdicts: both must accept every valid corpus file and the incomplete
//!   negative class; both must reject the malformed class.
//!
//! What "sequoia accepts" means, precisely:
//! 1. `PacketParser` over the exact input bytes, armor detection disabled,
//!    unread body octets buffered (so that octets a packet parser leaves
//!    unconsumed are an error, "Unexpected body data"), iterated with `next()`
//!    (no recursion into containers). Any error → reject.
//! 2. Any `Packet::Unknown` (a packet sequoia could not parse, or a reserved
//!    or unknown tag) → reject.
//! 3. Key op: `CertParser` over those packets must yield exactly one item and
//!    that item is `Ok(Cert)`; anything else (an error, no cert, several
//!    certs) → reject. Signature op: exactly one packet, a `Signature`.
//!
//! Deliberate differences are declared, one value pair at a time, in
//! `testdata/differences.tsv` and explained in `testdata/DIFFERENCES.md`.
//! Any other disagreement fails this test; so does a declaration that no
//! input uses any more.

mod common;

use common::{reply_for, testdata};
use openpgp::crypto::mpi::PublicKey as SqMpis;
use openpgp::packet::key::{KeyParts, KeyRole};
use openpgp::packet::{Key, Signature as SqSignature};
use openpgp::parse::{Dearmor, PacketParserBuilder, PacketParserResult, Parse};
use openpgp::types::Curve as SqCurve;
use openpgp::Packet;
use pgp_umd_cli::fingerprint::hex_upper;
use pgp_umd_cli::inspect::{
    describe_certificate, describe_signature, sig_created, sig_issuer_fingerprint,
    sig_issuer_key_id, split_certificates, CertInfo, KeyInfo,
};
use pgp_umd_parser::parse::read_packet_header;
use pgp_umd_proto::{Op, PacketRole, Reply, Signature, Status, NONE};
use sequoia_openpgp as openpgp;
use std::cell::Cell;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// Written where a side reports nothing for a field.
const ABSENT: &str = "-";

// ---------------------------------------------------------------------------
// The declared differences.

struct Declared {
    input: String,
    field: String,
    ours: String,
    sequoia: String,
    reason: String,
    used: Cell<usize>,
}

/// `*` matches any run of characters; everything else is literal.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    if !text.ends_with(last) {
        return false;
    }
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

fn load_declared() -> Vec<Declared> {
    let tsv = std::fs::read_to_string(testdata("differences.tsv"))
        .expect("testdata/differences.tsv (the declared differences)");
    let doc = std::fs::read_to_string(testdata("DIFFERENCES.md"))
        .expect("testdata/DIFFERENCES.md (their explanation)");
    let mut out = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            f.len(),
            5,
            "differences.tsv line {}: want 5 tab-separated columns \
             (input, field, ours, sequoia, reason), got {line:?}",
            n + 1
        );
        let anchor = format!("<a id=\"{}\"></a>", f[4]);
        assert!(
            doc.contains(&anchor),
            "differences.tsv line {}: reason {:?} has no entry ({anchor}) in DIFFERENCES.md",
            n + 1,
            f[4]
        );
        out.push(Declared {
            input: f[0].into(),
            field: f[1].into(),
            ours: f[2].into(),
            sequoia: f[3].into(),
            reason: f[4].into(),
            used: Cell::new(0),
        });
    }
    out
}

/// Collects comparisons and reports every undeclared disagreement at once.
struct Check {
    declared: Vec<Declared>,
    failures: Vec<String>,
    compared: usize,
}

impl Check {
    fn new() -> Self {
        Check {
            declared: load_declared(),
            failures: Vec::new(),
            compared: 0,
        }
    }

    /// Compares one field of one input.
    fn field(&mut self, input: &str, field: &str, ours: &str, sequoia: &str) {
        self.compared += 1;
        if ours == sequoia {
            return;
        }
        let hit = self.declared.iter().find(|d| {
            glob(&d.input, input)
                && glob(&d.field, field)
                && glob(&d.ours, ours)
                && glob(&d.sequoia, sequoia)
        });
        match hit {
            Some(d) => d.used.set(d.used.get() + 1),
            None => self.failures.push(format!(
                "{input}: {field}: this parser says {ours:?}, sequoia says {sequoia:?} \
                 (not declared in testdata/differences.tsv)"
            )),
        }
    }

    /// A failure no declaration can excuse.
    fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }

    /// Fails on every undeclared disagreement; with `check_stale`, also on
    /// every declaration no input used (only meaningful after the whole
    /// corpus went through this `Check`).
    fn finish(self, min_compared: usize, check_stale: bool) {
        let mut failures = self.failures;
        for d in &self.declared {
            if check_stale && d.used.get() == 0 {
                failures.push(format!(
                    "declared difference not seen on any input (stale?): {}\t{}\t{}\t{}\t{}",
                    d.input, d.field, d.ours, d.sequoia, d.reason
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} sequoia cross-check failure(s):\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(
            self.compared >= min_compared,
            "only {} comparisons made (expected at least {min_compared})",
            self.compared
        );
    }
}

// ---------------------------------------------------------------------------
// A common model both sides are rendered into.

#[derive(Debug)]
struct KeyFacts {
    version: String,
    algorithm: u8,
    fingerprint: String,
    key_id: String,
    created: String,
    bits: String,
    curve: String,
}

#[derive(Debug)]
struct SigFacts {
    version: String,
    sig_type: String,
    pk_algo: String,
    hash_algo: String,
    issuer_key_id: String,
    issuer_fingerprint: String,
    created: String,
    hash_prefix: String,
}

/// A parsed certificate: keys in packet order (primary first), user ids in
/// packet order, every top-level signature packet in packet order.
#[derive(Debug)]
struct CertFacts {
    keys: Vec<KeyFacts>,
    user_ids: Vec<String>,
    sigs: Vec<SigFacts>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| ABSENT.to_owned(), |v| v.to_string())
}

fn compare_key(c: &mut Check, input: &str, name: &str, ours: &KeyFacts, theirs: &KeyFacts) {
    // Fields are named after the key and this parser's algorithm id so that
    // a declaration can be narrowed to an algorithm (`*[alg=22].bits`).
    let p = format!("{name}[alg={}]", ours.algorithm);
    c.field(
        input,
        &format!("{p}.version"),
        &ours.version,
        &theirs.version,
    );
    c.field(
        input,
        &format!("{p}.algorithm"),
        &ours.algorithm.to_string(),
        &theirs.algorithm.to_string(),
    );
    c.field(
        input,
        &format!("{p}.fingerprint"),
        &ours.fingerprint,
        &theirs.fingerprint,
    );
    c.field(input, &format!("{p}.key_id"), &ours.key_id, &theirs.key_id);
    c.field(
        input,
        &format!("{p}.created"),
        &ours.created,
        &theirs.created,
    );
    c.field(input, &format!("{p}.bits"), &ours.bits, &theirs.bits);
    c.field(input, &format!("{p}.curve"), &ours.curve, &theirs.curve);
}

fn compare_sig(c: &mut Check, input: &str, name: &str, ours: &SigFacts, theirs: &SigFacts) {
    let pairs = [
        ("version", &ours.version, &theirs.version),
        ("type", &ours.sig_type, &theirs.sig_type),
        ("pk_algo", &ours.pk_algo, &theirs.pk_algo),
        ("hash_algo", &ours.hash_algo, &theirs.hash_algo),
        ("issuer_key_id", &ours.issuer_key_id, &theirs.issuer_key_id),
        (
            "issuer_fingerprint",
            &ours.issuer_fingerprint,
            &theirs.issuer_fingerprint,
        ),
        ("created", &ours.created, &theirs.created),
        ("hash_prefix", &ours.hash_prefix, &theirs.hash_prefix),
    ];
    for (f, o, t) in pairs {
        c.field(input, &format!("{name}.{f}"), o, t);
    }
}

fn compare_cert(c: &mut Check, input: &str, ours: &CertFacts, theirs: &CertFacts) {
    c.field(
        input,
        "subkey_count",
        &(ours.keys.len().saturating_sub(1)).to_string(),
        &(theirs.keys.len().saturating_sub(1)).to_string(),
    );
    for (i, (o, t)) in ours.keys.iter().zip(&theirs.keys).enumerate() {
        let name = if i == 0 {
            "primary".to_owned()
        } else {
            format!("subkey{i}")
        };
        compare_key(c, input, &name, o, t);
    }
    c.field(
        input,
        "user_ids",
        &format!("{:?}", ours.user_ids),
        &format!("{:?}", theirs.user_ids),
    );
    c.field(
        input,
        "signature_count",
        &ours.sigs.len().to_string(),
        &theirs.sigs.len().to_string(),
    );
    for (i, (o, t)) in ours.sigs.iter().zip(&theirs.sigs).enumerate() {
        compare_sig(c, input, &format!("sig{i}[type={}]", o.sig_type), o, t);
    }
}

// ---------------------------------------------------------------------------
// This parser.

fn our_key(k: &KeyInfo) -> KeyFacts {
    KeyFacts {
        version: k.version.to_string(),
        algorithm: k.algorithm,
        fingerprint: k.fingerprint.clone(),
        key_id: k.key_id.clone(),
        created: k.created.to_string(),
        bits: opt(k.bits),
        curve: opt(k.curve),
    }
}

/// Every top-level signature of a reply (embedded back-signatures are not
/// packets and are left out), in packet order.
/// The signature packets of a certificate in payload order: the mapped ones
/// from the reply, and those of skipped runs each parsed on its own with
/// the signature op (as sequoia lists every signature packet).
fn our_sigs(payload: &[u8], reply: &Reply) -> Vec<SigFacts> {
    let mut found: Vec<(u32, SigFacts)> = mapped_sigs(payload, reply)
        .into_iter()
        .map(|(s, f)| (reply.packets[usize::from(s.packet)].whole.off, f))
        .collect();
    for (off, packet) in skipped_packets(payload, reply) {
        let Ok((_, hdr)) = read_packet_header(packet) else {
            continue;
        };
        if hdr.tag != 2 {
            continue;
        }
        if let Ok(facts) = ours_sig(packet) {
            found.push((off, facts));
        }
    }
    found.sort_by_key(|(off, _)| *off);
    found.into_iter().map(|(_, f)| f).collect()
}

/// Every packet inside the skipped runs of `reply`, with its payload offset.
fn skipped_packets<'a>(payload: &'a [u8], reply: &Reply) -> Vec<(u32, &'a [u8])> {
    let mut out = Vec::new();
    for p in reply.packets() {
        if p.role != PacketRole::Skipped.raw() {
            continue;
        }
        let mut off = p.whole.off;
        let mut run = p.whole.slice(payload).expect("checked reply");
        while let Ok((next, hdr)) = read_packet_header(run) {
            let len = hdr.header_len + hdr.body_len;
            out.push((off, &run[..len]));
            off += len as u32;
            run = &next[hdr.body_len..];
            if run.is_empty() {
                break;
            }
        }
    }
    out
}

fn mapped_sigs(payload: &[u8], reply: &Reply) -> Vec<(Signature, SigFacts)> {
    let mut sigs: Vec<_> = reply
        .signatures()
        .iter()
        .filter(|s| s.parent == NONE)
        .collect();
    sigs.sort_by_key(|s| s.packet);
    sigs.into_iter()
        .map(|s| {
            (
                *s,
                SigFacts {
                    version: s.version.to_string(),
                    sig_type: format!("0x{:02X}", s.sig_type),
                    pk_algo: s.pk_algo.to_string(),
                    hash_algo: s.hash_algo.to_string(),
                    issuer_key_id: opt(
                        sig_issuer_key_id(payload, reply, s).map(|id| hex_upper(&id))
                    ),
                    issuer_fingerprint: opt(
                        sig_issuer_fingerprint(payload, reply, s).map(|f| hex_upper(f.as_bytes()))
                    ),
                    created: opt(sig_created(payload, reply, s)),
                    hash_prefix: s
                        .hash_prefix
                        .slice(payload)
                        .map_or_else(|| ABSENT.to_owned(), hex_upper),
                },
            )
        })
        .collect()
}

fn ours_cert(payload: &[u8]) -> Result<CertFacts, Status> {
    let reply = reply_for(Op::ParseKey, 1, payload);
    match reply.status() {
        Some(Status::Ok) => {}
        Some(s) => return Err(s),
        None => return Err(Status::InternalError),
    }
    let CertInfo {
        primary,
        subkeys,
        mut user_ids,
    } = describe_certificate(payload, &reply).ok_or(Status::InternalError)?;
    // User ids with only third-party certifications sit in skipped runs.
    let mut uids: Vec<(u32, String)> = Vec::new();
    for p in reply.packets() {
        if p.role == PacketRole::UserId.raw() {
            uids.push((p.whole.off, String::new()));
        }
    }
    for (slot, name) in uids.iter_mut().zip(user_ids.drain(..)) {
        slot.1 = name;
    }
    for (off, packet) in skipped_packets(payload, &reply) {
        if let Ok((body, hdr)) = read_packet_header(packet) {
            if hdr.tag == 13 {
                uids.push((
                    off,
                    String::from_utf8_lossy(&body[..hdr.body_len]).into_owned(),
                ));
            }
        }
    }
    uids.sort_by_key(|(off, _)| *off);
    let user_ids = uids.into_iter().map(|(_, u)| u).collect();
    Ok(CertFacts {
        keys: std::iter::once(&primary)
            .chain(&subkeys)
            .map(our_key)
            .collect(),
        user_ids,
        sigs: our_sigs(payload, &reply),
    })
}

fn ours_sig(payload: &[u8]) -> Result<SigFacts, Status> {
    let reply = reply_for(Op::ParseSignature, 1, payload);
    match reply.status() {
        Some(Status::Ok) => {}
        Some(s) => return Err(s),
        None => return Err(Status::InternalError),
    }
    // `describe_signature` is what the CLI prints; `our_sigs` must agree
    // with it so that certificate signatures are judged the same way.
    let info = describe_signature(payload, &reply).ok_or(Status::InternalError)?;
    let mut sigs = our_sigs(payload, &reply);
    let facts = sigs.pop().ok_or(Status::InternalError)?;
    assert_eq!(facts.hash_prefix, info.hash_prefix);
    assert_eq!(facts.issuer_key_id, opt(info.issuer_key_id));
    assert_eq!(facts.issuer_fingerprint, opt(info.issuer_fingerprint));
    assert_eq!(facts.created, opt(info.created));
    Ok(facts)
}

// ---------------------------------------------------------------------------
// sequoia.

/// Steps 1 and 2 of the definition above: every packet, or why not.
fn sequoia_packets(data: &[u8]) -> Result<Vec<Packet>, String> {
    let mut ppr = PacketParserBuilder::from_bytes(data)
        .map_err(|e| e.to_string())?
        .dearmor(Dearmor::Disabled)
        .buffer_unread_content()
        .build()
        .map_err(|e| e.to_string())?;
    let mut packets = Vec::new();
    while let PacketParserResult::Some(pp) = ppr {
        let (packet, next) = pp.next().map_err(|e| e.to_string())?;
        if let Packet::Unknown(u) = &packet {
            return Err(format!("unparseable {} packet: {}", u.tag(), u.error()));
        }
        packets.push(packet);
        ppr = next;
    }
    Ok(packets)
}

fn curve_name(c: &SqCurve) -> String {
    // sequoia names curves by its enum; this parser by gpg's names
    // (DIFFERENCES.md "curve-naming"). Same curve, same name here.
    match c {
        SqCurve::NistP256 => "nistp256".into(),
        SqCurve::NistP384 => "nistp384".into(),
        SqCurve::NistP521 => "nistp521".into(),
        SqCurve::BrainpoolP256 => "brainpoolP256r1".into(),
        SqCurve::BrainpoolP384 => "brainpoolP384r1".into(),
        SqCurve::BrainpoolP512 => "brainpoolP512r1".into(),
        SqCurve::Ed25519 => "ed25519".into(),
        SqCurve::Cv25519 => "cv25519".into(),
        other => format!("sequoia:{other}"),
    }
}

fn sequoia_key<P: KeyParts, R: KeyRole>(k: &Key<P, R>) -> KeyFacts {
    let curve = match k.mpis() {
        SqMpis::ECDSA { curve, .. } | SqMpis::EdDSA { curve, .. } | SqMpis::ECDH { curve, .. } => {
            curve_name(curve)
        }
        _ => ABSENT.to_owned(),
    };
    KeyFacts {
        version: k.version().to_string(),
        algorithm: u8::from(k.pk_algo()),
        fingerprint: k.fingerprint().to_hex(),
        key_id: k.keyid().to_hex(),
        created: k
            .creation_time()
            .duration_since(UNIX_EPOCH)
            .map_or_else(|_| ABSENT.to_owned(), |d| d.as_secs().to_string()),
        bits: opt(k.mpis().bits()),
        curve,
    }
}

fn sequoia_sig(s: &SqSignature) -> SigFacts {
    let issuer_fpr = s.issuer_fingerprints().next();
    SigFacts {
        version: s.version().to_string(),
        sig_type: format!("0x{:02X}", u8::from(s.typ())),
        pk_algo: u8::from(s.pk_algo()).to_string(),
        hash_algo: u8::from(s.hash_algo()).to_string(),
        issuer_key_id: opt(s
            .issuers()
            .next()
            .cloned()
            .or_else(|| issuer_fpr.map(openpgp::KeyID::from))
            .map(|id| id.to_hex())),
        issuer_fingerprint: opt(issuer_fpr.map(|f| f.to_hex())),
        created: opt(s
            .signature_creation_time()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs())),
        hash_prefix: hex_upper(s.digest_prefix()),
    }
}

/// Step 3 for the key op, then the facts from the packets in packet order
/// (sequoia's `Cert` canonicalises and reorders components, so it is used
/// for the verdict only).
fn sequoia_cert(data: &[u8]) -> Result<CertFacts, String> {
    let packets = sequoia_packets(data)?;
    let certs: Vec<_> = openpgp::cert::CertParser::from(packets.clone()).collect();
    match certs.as_slice() {
        [Ok(_)] => {}
        [Err(e)] => return Err(format!("CertParser: {e}")),
        many => return Err(format!("{} certificates, not exactly one", many.len())),
    }
    let mut facts = CertFacts {
        keys: Vec::new(),
        user_ids: Vec::new(),
        sigs: Vec::new(),
    };
    for p in &packets {
        match p {
            Packet::PublicKey(k) => facts.keys.push(sequoia_key(k)),
            Packet::SecretKey(k) => facts.keys.push(sequoia_key(k)),
            Packet::PublicSubkey(k) => facts.keys.push(sequoia_key(k)),
            Packet::SecretSubkey(k) => facts.keys.push(sequoia_key(k)),
            Packet::UserID(u) => facts
                .user_ids
                .push(String::from_utf8_lossy(u.value()).into_owned()),
            Packet::Signature(s) => facts.sigs.push(sequoia_sig(s)),
            _ => {}
        }
    }
    Ok(facts)
}

fn sequoia_detached(data: &[u8]) -> Result<SigFacts, String> {
    let packets = sequoia_packets(data)?;
    match packets.as_slice() {
        [Packet::Signature(s)] => Ok(sequoia_sig(s)),
        [other] => Err(format!("not a signature packet: {}", other.tag())),
        many => Err(format!("{} packets, not exactly one", many.len())),
    }
}

// ---------------------------------------------------------------------------
// Driving the corpus.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Valid corpus file or incomplete-but-well-formed: both must accept.
    Accept,
    /// Malformed: both must reject.
    Reject,
}

fn verdict<T, E>(r: &Result<T, E>) -> &'static str {
    if r.is_ok() {
        "accept"
    } else {
        "reject"
    }
}

/// Parses one input with both, compares verdicts and, when both accept,
/// every field.
fn check_input(c: &mut Check, input: &str, op: Op, data: &[u8], class: Class) {
    match op {
        Op::ParseKey => {
            let ours = ours_cert(data);
            let theirs = sequoia_cert(data);
            check_verdicts(c, input, class, &ours, &theirs);
            if let (Ok(o), Ok(t)) = (&ours, &theirs) {
                compare_cert(c, input, o, t);
            }
        }
        Op::ParseSignature => {
            let ours = ours_sig(data);
            let theirs = sequoia_detached(data);
            check_verdicts(c, input, class, &ours, &theirs);
            if let (Ok(o), Ok(t)) = (&ours, &theirs) {
                compare_sig(c, input, "sig", o, t);
            }
        }
        Op::Health => unreachable!("no corpus file for the health op"),
    }
}

fn check_verdicts<A, B>(
    c: &mut Check,
    input: &str,
    class: Class,
    ours: &Result<A, Status>,
    theirs: &Result<B, String>,
) {
    let why = match (ours, theirs) {
        (Err(s), Err(e)) => format!("this parser: {}; sequoia: {e}", s.name()),
        (Err(s), Ok(_)) => format!("this parser: {}; sequoia accepts", s.name()),
        (Ok(_), Err(e)) => format!("this parser accepts; sequoia: {e}"),
        (Ok(_), Ok(_)) => "both accept".into(),
    };
    // The class decides what this parser must do; no declaration excuses it.
    let ours_ok = ours.is_ok();
    if ours_ok != (class == Class::Accept) {
        c.fail(format!(
            "{input}: expected both to {}, but {why}",
            if class == Class::Accept {
                "accept"
            } else {
                "reject"
            }
        ));
        return;
    }
    if verdict(ours) != verdict(theirs) {
        let before = c.failures.len();
        c.field(input, "verdict", verdict(ours), verdict(theirs));
        if c.failures.len() > before {
            let last = c.failures.pop().unwrap_or_default();
            c.fail(format!("{last} [{why}]"));
        }
    } else {
        c.compared += 1;
    }
}

fn sorted_files(dir: &str, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(testdata(dir))
        .expect("testdata directory")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| Path::new(n).extension().is_some_and(|e| e == ext))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    v.sort();
    v
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(testdata(rel)).unwrap_or_else(|e| panic!("read testdata/{rel}: {e}"))
}

/// Every valid key file; returns the number of certificates.
fn sweep_keys(c: &mut Check) -> usize {
    let mut certs = 0;
    for dir in ["keys", "v3", "v6"] {
        for rel in sorted_files(dir, "pgp") {
            let data = read(&rel);
            let parts = split_certificates(&data)
                .unwrap_or_else(|s| panic!("{rel}: cannot split: {}", s.name()));
            if parts.len() == 1 {
                check_input(c, &rel, Op::ParseKey, &data, Class::Accept);
                certs += 1;
                continue;
            }
            // A keyring: each certificate on its own, then the whole file
            // through sequoia's CertParser must give the same certificates
            // in the same order.
            let mut our_fprs = Vec::new();
            for (i, part) in parts.iter().enumerate() {
                check_input(c, &format!("{rel}#{i}"), Op::ParseKey, part, Class::Accept);
                our_fprs.push(opt(ours_cert(part)
                    .ok()
                    .and_then(|f| f.keys.first().map(|k| k.fingerprint.clone()))));
                certs += 1;
            }
            let theirs: Vec<String> = sequoia_packets(&data)
                .map(|p| {
                    openpgp::cert::CertParser::from(p)
                        .map(|r| {
                            r.map_or_else(|e| format!("error: {e}"), |c| c.fingerprint().to_hex())
                        })
                        .collect()
                })
                .unwrap_or_else(|e| vec![format!("error: {e}")]);
            c.field(
                &rel,
                "keyring.certificates",
                &our_fprs.join(","),
                &theirs.join(","),
            );
        }
    }
    assert!(certs >= 30, "only {certs} certificates in the corpus");
    certs
}

/// Every valid detached signature; returns how many.
fn sweep_signatures(c: &mut Check) -> usize {
    let mut n = 0;
    for dir in ["sigs", "v3", "v6"] {
        for rel in sorted_files(dir, "sig") {
            let data = read(&rel);
            check_input(c, &rel, Op::ParseSignature, &data, Class::Accept);
            n += 1;
        }
    }
    assert!(n >= 55, "only {n} signatures in the corpus");
    n
}

/// Every negative input (and the committed secret keys); returns how many.
fn sweep_negative(c: &mut Check) -> usize {
    let manifest = std::fs::read_to_string(testdata("negative/manifest.tsv")).expect("manifest");
    let mut n = 0;
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let op = match f[1] {
            "key" => Op::ParseKey,
            "signature" => Op::ParseSignature,
            other => panic!("negative/manifest.tsv: unknown op {other}"),
        };
        let class = match f[2] {
            "malformed" => Class::Reject,
            "incomplete" => Class::Accept,
            other => panic!("negative/manifest.tsv: unknown class {other}"),
        };
        let rel = format!("negative/{}", f[0]);
        check_input(c, &rel, op, &read(&rel), class);
        n += 1;
    }
    // The committed secret keys: never accepted by the key op.
    for rel in sorted_files("secret", "pgp") {
        check_input(c, &rel, Op::ParseKey, &read(&rel), Class::Reject);
        n += 1;
    }
    assert!(n >= 60, "only {n} negative inputs");
    n
}

#[test]
fn valid_keys_agree_with_sequoia() {
    let mut c = Check::new();
    let certs = sweep_keys(&mut c);
    c.finish(certs * 20, false);
}

#[test]
fn signatures_agree_with_sequoia() {
    let mut c = Check::new();
    let n = sweep_signatures(&mut c);
    c.finish(n * 8, false);
}

#[test]
fn negative_corpus_verdicts_agree_with_sequoia() {
    let mut c = Check::new();
    let n = sweep_negative(&mut c);
    c.finish(n, false);
}

/// The whole corpus once more, so that a declaration no input needs any
/// more is noticed and removed.
#[test]
fn every_declared_difference_is_needed() {
    let mut c = Check::new();
    let n = sweep_keys(&mut c) + sweep_signatures(&mut c) + sweep_negative(&mut c);
    c.finish(n, true);
}

#[test]
fn glob_matches_as_documented() {
    assert!(glob("*", "anything"));
    assert!(glob(
        "negative/secret-*.pgp",
        "negative/secret-key-rsa2048.pgp"
    ));
    assert!(!glob(
        "negative/secret-*.pgp",
        "negative/secret-key-rsa2048.sig"
    ));
    assert!(glob("*[alg=22].bits", "primary[alg=22].bits"));
    assert!(!glob("*[alg=22].bits", "primary[alg=22].curve"));
    assert!(glob("a*b*c", "axxbyyc"));
    assert!(!glob("a*b*c", "ac"));
    assert!(glob("exact", "exact"));
    assert!(!glob("exact", "exactly"));
}

/// ASCII armor (the CLI's `armor::decode_all`) against sequoia's armor
/// reader on every `.asc` of the corpus: same octets, and the same octets as
/// the binary file next to it. sequoia's reader stops after one block, so for
/// a file of several blocks the first is compared and the concatenation of
/// all is compared with the binary keyring.
#[test]
fn armor_decoding_agrees_with_sequoia() {
    use openpgp::armor::{Reader, ReaderMode};
    use pgp_umd_cli::armor::decode_all;
    use std::io::Read as _;

    let mut c = Check::new();
    let mut n = 0;
    for dir in ["keys", "sigs", "v3", "v6"] {
        for rel in sorted_files(dir, "asc") {
            let text = read(&rel);
            let ours = decode_all(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let mut theirs = Vec::new();
            let sq = Reader::from_bytes(&text, ReaderMode::Tolerant(None))
                .read_to_end(&mut theirs)
                .map_err(|e| e.to_string());
            let first = ours.first().map(|b| hex_upper(&b.data));
            c.field(
                &rel,
                "armor.first_block",
                &opt(first),
                &sq.map_or_else(|e| format!("error: {e}"), |_| hex_upper(&theirs)),
            );
            // The binary twin: NAME.pgp / NAME.sig, or keyring.pgp for the
            // multi-block keyring.
            let stem = rel.trim_end_matches(".asc").replace("-multiblock", "");
            let twin = [".pgp", ".sig"]
                .iter()
                .map(|ext| format!("{stem}{ext}"))
                .find(|p| testdata(p).is_file())
                .unwrap_or_else(|| panic!("{rel}: no binary twin"));
            let all: Vec<u8> = ours.iter().flat_map(|b| b.data.iter().copied()).collect();
            if all != read(&twin) {
                c.fail(format!("{rel}: de-armored octets differ from {twin}"));
            }
            n += 1;
        }
    }
    assert!(n >= 80, "only {n} armored files");
    c.finish(n, false);
}
