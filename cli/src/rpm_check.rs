//! The verdict on one RPM package's header signature: read the package
//! ([`crate::rpm`]), hand each header-only signature and the header region
//! to a [`Verifier`], and turn the answer into one line (`OK <keyid>`,
//! `BAD <reason>`, `NOSIG`).
//!
//! `pgp-umd rpm-verify` passes a verifier that asks the kernel through
//! `/sys/kernel/security/pgp_umd/verify`; the tests pass one built on
//! sequoia-openpgp. The request layout and the errno table of that interface
//! (docs/kernel-api.md) live here so they are tested without a kernel.
#![forbid(unsafe_code)]

use crate::inspect::describe_signature;
use crate::request::handle;
use crate::rpm::{read_rpm, RpmError, RpmHeaders};
use pgp_umd_proto::{Op, Reply, RequestHeader, Status, VerifyRequest};
use std::fmt;
use std::io::Read;

/// The errno values the verification interface returns (libc's constants
/// for the target, asm-generic numbering on x86-64 and arm64).
pub mod errno {
    pub use libc::{
        EACCES, EBADMSG, EINVAL, EIO, EKEYEXPIRED, EKEYREJECTED, EKEYREVOKED, EMSGSIZE, ENOENT,
        ENOKEY, ENOPKG, ENOPROTOOPT, EPERM, EPROTO, ETIMEDOUT,
    };
}

/// The one table of the interface's errno values: the number, its usual
/// name (printed for scripts), and what it means (docs/kernel-api.md).
pub const ERRNO_TABLE: &[(i32, &str, &str)] = &[
    (
        errno::EINVAL,
        "EINVAL",
        "the request or the signature type was refused",
    ),
    (
        errno::EMSGSIZE,
        "EMSGSIZE",
        "signature or data larger than the interface accepts",
    ),
    (
        errno::EBADMSG,
        "EBADMSG",
        "the signature packet is malformed",
    ),
    (
        errno::ENOKEY,
        "ENOKEY",
        "no key with the signature's issuer in the keyring",
    ),
    (
        errno::EKEYREVOKED,
        "EKEYREVOKED",
        "the key has been revoked",
    ),
    (
        errno::EKEYREJECTED,
        "EKEYREJECTED",
        "the signature does not verify",
    ),
    (
        errno::EKEYEXPIRED,
        "EKEYEXPIRED",
        "the signature or its key has expired",
    ),
    (
        errno::ENOPKG,
        "ENOPKG",
        "this kernel cannot verify the signature's algorithm or hash",
    ),
    (errno::EIO, "EIO", "the parser (user mode driver) failed"),
    (
        errno::EPROTO,
        "EPROTO",
        "the parser (user mode driver) gave a reply the kernel refused",
    ),
    (
        errno::ETIMEDOUT,
        "ETIMEDOUT",
        "the parser (user mode driver) did not answer in time",
    ),
    (
        errno::ENOPROTOOPT,
        "ENOPROTOOPT",
        "the pgp_umd loader module could not be loaded",
    ),
    (
        errno::EPERM,
        "EPERM",
        "permission denied (needs root and CAP_SYS_ADMIN)",
    ),
    (
        errno::EACCES,
        "EACCES",
        "permission denied (needs root and CAP_SYS_ADMIN)",
    ),
    (errno::ENOENT, "ENOENT", "no such keyring"),
];

/// The usual name of `e` (`"ENOKEY"`), or `E<number>` for one outside
/// [`ERRNO_TABLE`].
pub fn errno_name(e: i32) -> String {
    ERRNO_TABLE
        .iter()
        .find(|(n, _, _)| *n == e)
        .map_or_else(|| format!("E{e}"), |(_, name, _)| (*name).to_string())
}

/// What `e` means for this interface, from [`ERRNO_TABLE`].
pub fn errno_meaning(e: i32) -> Option<&'static str> {
    ERRNO_TABLE
        .iter()
        .find(|(n, _, _)| *n == e)
        .map(|(_, _, m)| *m)
}

/// Why a verifier did not accept a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// `-EINVAL`: the request or the signature type was refused.
    Invalid,
    /// `-EMSGSIZE`: signature or data larger than the interface allows.
    TooLarge,
    /// `-EBADMSG`: the signature packet is malformed.
    Malformed,
    /// `-ENOKEY`: no key with the signature's issuer in the keyring.
    NoKey,
    /// `-EKEYREJECTED`: the signature does not verify, or its hash is refused.
    Rejected,
    /// `-EKEYEXPIRED`: the signature has expired.
    Expired,
    /// `-ENOPKG`: the algorithm or hash cannot be verified by this kernel
    /// (answered before any key lookup).
    Unsupported,
    /// `-EIO`, `-EPROTO`, `-ETIMEDOUT`: the handler failed.
    HandlerFailed(i32),
    /// `-ENOPROTOOPT`: the loader module could not be loaded.
    NoLoader,
    /// `-EPERM`, `-EACCES`: not allowed.
    Permission,
    /// The interface is absent or unusable (e.g. module not loaded).
    Unavailable(String),
    /// Any other errno.
    Errno(i32),
}

impl Failure {
    /// The failure for a (positive) errno returned by the interface's write.
    pub fn from_errno(e: i32) -> Failure {
        match e {
            errno::EINVAL => Failure::Invalid,
            errno::EMSGSIZE => Failure::TooLarge,
            errno::EBADMSG => Failure::Malformed,
            errno::ENOKEY => Failure::NoKey,
            errno::EKEYREJECTED => Failure::Rejected,
            errno::EKEYEXPIRED => Failure::Expired,
            errno::ENOPKG => Failure::Unsupported,
            errno::EIO | errno::EPROTO | errno::ETIMEDOUT => Failure::HandlerFailed(e),
            errno::ENOPROTOOPT => Failure::NoLoader,
            errno::EPERM | errno::EACCES => Failure::Permission,
            e => Failure::Errno(e),
        }
    }

    /// The errno this failure stands for; `None` when the interface could
    /// not even be asked.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Failure::Invalid => Some(errno::EINVAL),
            Failure::TooLarge => Some(errno::EMSGSIZE),
            Failure::Malformed => Some(errno::EBADMSG),
            Failure::NoKey => Some(errno::ENOKEY),
            Failure::Rejected => Some(errno::EKEYREJECTED),
            Failure::Expired => Some(errno::EKEYEXPIRED),
            Failure::Unsupported => Some(errno::ENOPKG),
            Failure::HandlerFailed(e) | Failure::Errno(e) => Some(*e),
            Failure::NoLoader => Some(errno::ENOPROTOOPT),
            Failure::Permission => Some(errno::EPERM),
            Failure::Unavailable(_) => None,
        }
    }

    /// The name scripts match on: the errno's name, or `EUNAVAILABLE` when
    /// the interface could not be asked.
    pub fn name(&self) -> String {
        self.errno()
            .map_or_else(|| "EUNAVAILABLE".to_string(), errno_name)
    }

    /// Whether this is a verdict on the signature (a bad, unverifiable or
    /// keyless signature: exit code 1) rather than a failure to ask
    /// (usage, size, kernel availability: exit code 2).
    pub fn is_verdict(&self) -> bool {
        matches!(
            self,
            Failure::Invalid
                | Failure::Malformed
                | Failure::NoKey
                | Failure::Rejected
                | Failure::Expired
                | Failure::Unsupported
        )
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&explain(self, &SigFacts::default()))
    }
}

/// What the signature packet says about itself, for messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SigFacts {
    /// 16 uppercase hex digits.
    pub key_id: Option<String>,
    pub version: Option<u8>,
    pub pubkey_algorithm: Option<u8>,
    pub hash_algorithm: Option<u8>,
}

/// Parses `packet` with the handler's own parser (the same code the kernel
/// runs in its user mode driver) for the facts messages need.
pub fn signature_facts(packet: &[u8]) -> SigFacts {
    let Ok(len) = u32::try_from(packet.len()) else {
        return SigFacts::default();
    };
    if len > pgp_umd_proto::MAX_PAYLOAD {
        return SigFacts::default();
    }
    let mut reply = Box::new(Reply::zeroed());
    handle(
        &RequestHeader::new(Op::ParseSignature, 1, len),
        packet,
        &mut reply,
    );
    if reply.status() != Some(Status::Ok) {
        return SigFacts::default();
    }
    let Some(info) = describe_signature(packet, &reply) else {
        return SigFacts::default();
    };
    SigFacts {
        key_id: info
            .issuer_key_id
            .or_else(|| info.issuer_fingerprint.map(|f| key_id_of_issuer(&f))),
        version: Some(info.version),
        pubkey_algorithm: Some(info.pubkey_algorithm),
        hash_algorithm: Some(info.hash_algorithm),
    }
}

/// The 16-hex-digit key id of an issuer as the kernel reports it: a key id
/// as is, a v4 fingerprint's low 8 bytes, a v6 fingerprint's high 8 bytes.
pub fn key_id_of_issuer(issuer: &str) -> String {
    let up = issuer.trim().to_ascii_uppercase();
    let part = match up.len() {
        40 => up.get(24..),
        64 => up.get(..16),
        _ => None,
    };
    part.map_or_else(|| up.clone(), str::to_string)
}

/// The name of an RFC 9580 public-key algorithm, as rpm prints it.
pub fn algorithm_name(id: u8) -> String {
    match id {
        1..=3 => "RSA".into(),
        16 | 20 => "ElGamal".into(),
        17 => "DSA".into(),
        18 => "ECDH".into(),
        19 => "ECDSA".into(),
        22 => "EdDSA".into(),
        25 => "X25519".into(),
        26 => "X448".into(),
        27 => "Ed25519".into(),
        28 => "Ed448".into(),
        n => format!("algorithm {n}"),
    }
}

/// The name of an RFC 9580 hash algorithm, as rpm prints it.
pub fn hash_name(id: u32) -> String {
    match id {
        1 => "MD5".into(),
        2 => "SHA1".into(),
        3 => "RIPEMD160".into(),
        8 => "SHA256".into(),
        9 => "SHA384".into(),
        10 => "SHA512".into(),
        11 => "SHA224".into(),
        12 => "SHA3-256".into(),
        14 => "SHA3-512".into(),
        n => format!("hash {n}"),
    }
}

/// Checks one signature over `data`; on success returns the issuer the
/// verifier names (fingerprint or key id, hex).
pub trait Verifier {
    fn verify(&mut self, signature: &[u8], data: &[u8]) -> Result<String, Failure>;
}

/// The verdict on one package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A header signature verified with a key of the keyring, none was
    /// bad, and every digest present matches; the key id of the first good
    /// signature.
    Ok { key_id: String },
    /// Not verified, with a reason for people.
    Bad(String),
    /// A well-formed package whose digests match, without any header-only
    /// signature.
    NoSig,
    /// The package could not be checked (reading it or asking the kernel
    /// failed), with a reason for people.
    Error(String),
}

impl Verdict {
    /// The verdict's first word: `OK`, `BAD`, `NOSIG`, `ERROR`.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Ok { .. } => "OK",
            Verdict::Bad(_) => "BAD",
            Verdict::NoSig => "NOSIG",
            Verdict::Error(_) => "ERROR",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Ok { key_id } => write!(f, "OK {key_id}"),
            Verdict::Bad(reason) => write!(f, "BAD {reason}"),
            Verdict::NoSig => f.write_str("NOSIG"),
            Verdict::Error(reason) => write!(f, "ERROR {reason}"),
        }
    }
}

/// The outcome of one check (one line of `rpm-verify -v`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CheckStatus {
    /// Verified, or the digest matches.
    Ok,
    /// The signature does not verify, or the digest does not match.
    Bad,
    /// No key for this signature in the keyring.
    NoKey,
    /// This kernel (or this tool) cannot check it; not fatal by itself.
    Unsupported,
    /// It could not be checked (the kernel interface failed).
    Error,
}

/// One check of a package: a header signature or a digest.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// What was checked, as `rpmkeys -Kv` names it
    /// (`Header V4 RSA/SHA256 signature, key ID …`, `Payload SHA256 digest`).
    pub check: String,
    pub status: CheckStatus,
    /// The issuer's key id (signatures only), 16 hex digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// A sentence on why it is not OK; for digests, what was expected and
    /// what was computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.status {
            CheckStatus::Ok => "OK",
            CheckStatus::Bad => "BAD",
            CheckStatus::NoKey => "NOKEY",
            CheckStatus::Unsupported => "UNSUPPORTED",
            CheckStatus::Error => "ERROR",
        };
        write!(f, "{}: {word}", self.check)?;
        if let Some(d) = &self.detail {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

/// Every check of one package and the verdict they add up to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub checks: Vec<Check>,
    pub verdict: Verdict,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.verdict.fmt(f)
    }
}

/// A reason for people, naming the key or algorithm where that helps.
pub fn explain(failure: &Failure, facts: &SigFacts) -> String {
    let key = facts.key_id.as_deref().unwrap_or("(unknown issuer)");
    match failure {
        Failure::Invalid => "request refused as invalid (not a binary/text signature?)".into(),
        Failure::TooLarge => "header or signature larger than the kernel accepts".into(),
        Failure::Malformed => "malformed signature packet".into(),
        Failure::NoKey => format!("no key {key} in the keyring"),
        Failure::Rejected => format!("signature by {key} does not verify"),
        Failure::Expired => format!("signature by {key} has expired"),
        // ENOPKG names either the public-key algorithm or the hash (a
        // missing hash module, as sha512_generic on 6.1): say both.
        Failure::Unsupported => format!(
            "unsupported: the kernel cannot verify this {} signature{}: its algorithm or its \
             hash is not available here (a key of an algorithm it lacks cannot be in the \
             keyring; see the kernel log)",
            facts
                .pubkey_algorithm
                .map_or_else(|| "kind of".to_string(), algorithm_name),
            facts
                .version
                .map_or(String::new(), |v| format!(" (v{v}, by {key})"))
        ),
        Failure::HandlerFailed(e) => format!(
            "the parser (user mode driver) failed ({}: {})",
            errno_name(*e),
            errno_meaning(*e).unwrap_or("kernel error")
        ),
        Failure::NoLoader => "the pgp_umd loader module could not be loaded".into(),
        Failure::Permission => "permission denied (needs root and CAP_SYS_ADMIN)".into(),
        Failure::Unavailable(why) => format!("kernel interface unavailable: {why}"),
        Failure::Errno(e) => format!(
            "kernel error {}{}",
            errno_name(*e),
            errno_meaning(*e).map_or(String::new(), |m| format!(": {m}"))
        ),
    }
}

/// The check of one header signature.
fn signature_check(packet: &[u8], region: &[u8], verifier: &mut dyn Verifier) -> Check {
    let facts = signature_facts(packet);
    let check = format!(
        "Header V{} {}/{} signature, key ID {}",
        facts.version.map_or("?".into(), |v| v.to_string()),
        facts
            .pubkey_algorithm
            .map_or_else(|| "?".to_string(), algorithm_name),
        facts
            .hash_algorithm
            .map_or_else(|| "?".to_string(), |h| hash_name(u32::from(h))),
        facts.key_id.as_deref().unwrap_or("?")
    );
    match verifier.verify(packet, region) {
        Ok(issuer) => {
            let key_id = if issuer.is_empty() {
                facts.key_id.clone()
            } else {
                Some(key_id_of_issuer(&issuer))
            };
            Check {
                check,
                status: CheckStatus::Ok,
                key_id,
                detail: None,
            }
        }
        Err(f) => {
            let status = match f {
                Failure::NoKey => CheckStatus::NoKey,
                Failure::Unsupported => CheckStatus::Unsupported,
                ref f if f.is_verdict() => CheckStatus::Bad,
                _ => CheckStatus::Error,
            };
            Check {
                check,
                status,
                key_id: facts.key_id.clone(),
                detail: Some(explain(&f, &facts)),
            }
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A digest check: OK when `computed` equals `expected`.
fn digest_check(check: String, expected: &str, computed: &str) -> Check {
    let ok = expected.eq_ignore_ascii_case(computed);
    Check {
        check,
        status: if ok {
            CheckStatus::Ok
        } else {
            CheckStatus::Bad
        },
        key_id: None,
        detail: (!ok).then(|| format!("expected {expected}, computed {computed}")),
    }
}

/// The checks of the main header's digests (`SHA256HEADER`, `SHA1HEADER`).
fn header_digest_checks(h: &RpmHeaders) -> Vec<Check> {
    use sha2::Digest as _;
    let mut out = Vec::new();
    if let Some(want) = &h.digests.sha256_header {
        let got = hex(&sha2::Sha256::digest(&h.region));
        out.push(digest_check("Header SHA256 digest".into(), want, &got));
    }
    if let Some(want) = &h.digests.sha1_header {
        let got = hex(&sha1::Sha1::digest(&h.region));
        out.push(digest_check("Header SHA1 digest".into(), want, &got));
    }
    out
}

/// The payload hashes rpm records (`PAYLOADDIGESTALGO`, OpenPGP ids).
enum PayloadHash {
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl PayloadHash {
    fn new(algo: u32) -> Option<PayloadHash> {
        use sha2::Digest as _;
        Some(match algo {
            2 => PayloadHash::Sha1(sha1::Sha1::new()),
            8 => PayloadHash::Sha256(sha2::Sha256::new()),
            9 => PayloadHash::Sha384(sha2::Sha384::new()),
            10 => PayloadHash::Sha512(sha2::Sha512::new()),
            11 => PayloadHash::Sha224(sha2::Sha224::new()),
            _ => return None,
        })
    }

    fn update(&mut self, b: &[u8]) {
        use sha2::Digest as _;
        match self {
            PayloadHash::Sha1(h) => h.update(b),
            PayloadHash::Sha224(h) => h.update(b),
            PayloadHash::Sha256(h) => h.update(b),
            PayloadHash::Sha384(h) => h.update(b),
            PayloadHash::Sha512(h) => h.update(b),
        }
    }

    fn hex(self) -> String {
        use sha2::Digest as _;
        match self {
            PayloadHash::Sha1(h) => hex(&h.finalize()),
            PayloadHash::Sha224(h) => hex(&h.finalize()),
            PayloadHash::Sha256(h) => hex(&h.finalize()),
            PayloadHash::Sha384(h) => hex(&h.finalize()),
            PayloadHash::Sha512(h) => hex(&h.finalize()),
        }
    }
}

/// rpm's payload digest algorithm when a package records none.
pub const DEFAULT_PAYLOAD_DIGEST_ALGO: u32 = 8;
/// Bytes read at a time from the payload.
pub const PAYLOAD_CHUNK: usize = 64 * 1024;

/// Reads the payload (the rest of `r`) and checks `PAYLOADDIGEST` /
/// `PAYLOADDIGESTALT` and the legacy MD5 (of the main header and the
/// payload). As rpm does, the payload digest is OK when either recorded
/// value matches; when neither does, both are reported.
fn payload_checks<R: Read>(h: &RpmHeaders, mut r: R) -> std::io::Result<Vec<Check>> {
    use md5::Digest as _;
    let d = &h.digests;
    let algo = d.payload_algo.unwrap_or(DEFAULT_PAYLOAD_DIGEST_ALGO);
    let wants_payload = d.payload.is_some() || d.payload_alt.is_some();
    let mut payload = wants_payload.then(|| PayloadHash::new(algo)).flatten();
    let mut md5 = d.md5.map(|_| {
        let mut m = md5::Md5::new();
        m.update(&h.region);
        m
    });
    let mut buf = vec![0u8; PAYLOAD_CHUNK];
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        if let Some(p) = payload.as_mut() {
            p.update(chunk);
        }
        if let Some(m) = md5.as_mut() {
            m.update(chunk);
        }
    }
    let mut out = Vec::new();
    let name = hash_name(algo);
    match payload {
        Some(p) => {
            let got = p.hex();
            let main = d.payload.as_deref();
            let alt = d.payload_alt.as_deref();
            if main.is_some_and(|w| w.eq_ignore_ascii_case(&got)) || alt.is_none() {
                if let Some(w) = main {
                    out.push(digest_check(format!("Payload {name} digest"), w, &got));
                }
            } else if alt.is_some_and(|w| w.eq_ignore_ascii_case(&got)) || main.is_none() {
                if let Some(w) = alt {
                    out.push(digest_check(format!("Payload {name} ALT digest"), w, &got));
                }
            } else {
                for (label, w) in [("ALT ", alt), ("", main)] {
                    if let Some(w) = w {
                        out.push(digest_check(
                            format!("Payload {name} {label}digest"),
                            w,
                            &got,
                        ));
                    }
                }
            }
        }
        None if wants_payload => out.push(Check {
            check: format!("Payload {name} digest"),
            status: CheckStatus::Unsupported,
            key_id: None,
            detail: Some(format!("payload digest algorithm {algo} is not supported")),
        }),
        None => {}
    }
    if let (Some(m), Some(want)) = (md5, d.md5) {
        out.push(digest_check(
            "MD5 digest (legacy)".into(),
            &hex(&want),
            &hex(&m.finalize()),
        ));
    }
    Ok(out)
}

/// The verdict the checks add up to, by rpm's rule: a package is OK when
/// one header signature verifies with a key of the keyring, none is bad,
/// and every digest present matches; a signature this kernel cannot verify
/// or whose key is absent is reported but not fatal when another verifies.
pub fn verdict(checks: &[Check], signatures: usize) -> Verdict {
    let is_sig = |c: &&Check| c.check.starts_with("Header V");
    let sigs: Vec<&Check> = checks.iter().filter(is_sig).collect();
    let digests: Vec<&Check> = checks.iter().filter(|c| !is_sig(c)).collect();
    let why = |c: &Check| {
        c.detail
            .clone()
            .unwrap_or_else(|| format!("{}: BAD", c.check))
    };
    let mut bad: Vec<String> = sigs
        .iter()
        .filter(|c| c.status == CheckStatus::Bad)
        .map(|c| why(c))
        .collect();
    bad.extend(
        digests
            .iter()
            .filter(|c| c.status != CheckStatus::Ok)
            .map(|c| {
                if c.status == CheckStatus::Bad {
                    format!("{} does not match", c.check)
                } else {
                    format!("{}: {}", c.check, why(c))
                }
            }),
    );
    if !bad.is_empty() {
        return Verdict::Bad(bad.join("; "));
    }
    if let Some(e) = sigs.iter().find(|c| c.status == CheckStatus::Error) {
        return Verdict::Error(why(e));
    }
    if let Some(ok) = sigs.iter().find(|c| c.status == CheckStatus::Ok) {
        return Verdict::Ok {
            key_id: ok.key_id.clone().unwrap_or_default(),
        };
    }
    match sigs.first() {
        Some(c) if signatures > 0 => Verdict::Bad(why(c)),
        _ => Verdict::NoSig,
    }
}

/// The report on already-read headers: the header signatures and the
/// header digests, never the payload (`rpm-verify --header-only`).
pub fn check_headers(h: &RpmHeaders, verifier: &mut dyn Verifier) -> Report {
    let mut checks: Vec<Check> = h
        .signatures
        .iter()
        .map(|s| signature_check(&s.packet, &h.region, verifier))
        .collect();
    checks.extend(header_digest_checks(h));
    let verdict = verdict(&checks, h.signatures.len());
    Report { checks, verdict }
}

/// How much of a package [`check_package`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Signatures and every digest, as `rpmkeys -K` (reads the payload).
    Full,
    /// Signatures and the header digests only (never reads the payload).
    HeaderOnly,
}

/// Reads a package from `r` and checks its header signatures and digests.
pub fn check_package<R: Read>(mut r: R, verifier: &mut dyn Verifier, scope: Scope) -> Report {
    let h = match read_rpm(&mut r) {
        Ok(h) => h,
        Err(RpmError::Io(e)) => {
            return Report {
                checks: vec![],
                verdict: Verdict::Error(format!("cannot read: {e}")),
            }
        }
        Err(e) => {
            return Report {
                checks: vec![],
                verdict: Verdict::Bad(e.to_string()),
            }
        }
    };
    let mut report = check_headers(&h, verifier);
    if scope == Scope::Full {
        match payload_checks(&h, r) {
            Ok(c) => report.checks.extend(c),
            Err(e) => {
                report.verdict = Verdict::Error(format!("cannot read the payload: {e}"));
                return report;
            }
        }
        report.verdict = verdict(&report.checks, h.signatures.len());
    }
    report
}

/// Size of the fixed part of a verification request.
pub const VERIFY_REQUEST_LEN: usize = core::mem::size_of::<VerifyRequest>();

/// The bytes of one write to the verification interface: the request
/// header (native byte order), the signature, the data.
pub fn verify_request(keyring: i32, signature: &[u8], data: &[u8]) -> Result<Vec<u8>, Failure> {
    let sig_len = u32::try_from(signature.len()).map_err(|_| Failure::TooLarge)?;
    let data_len = u32::try_from(data.len())
        .ok()
        .filter(|&n| n <= pgp_umd_proto::VERIFY_MAX_DATA)
        .ok_or(Failure::TooLarge)?;
    let header = VerifyRequest {
        magic: pgp_umd_proto::VERIFY_MAGIC,
        version: pgp_umd_proto::VERIFY_VERSION,
        keyring,
        flags: 0,
        sig_len,
        data_len,
    };
    let mut out = Vec::with_capacity(VERIFY_REQUEST_LEN + signature.len() + data.len());
    out.extend_from_slice(zerocopy::IntoBytes::as_bytes(&header));
    out.extend_from_slice(signature);
    out.extend_from_slice(data);
    Ok(out)
}

/// What the interface's detail line names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    /// The issuer the signature names: fingerprint or key id, hex.
    pub issuer: String,
    /// The fingerprint of the key that verified (hex), when the kernel
    /// reports it: with two keys of one key id, it says which.
    pub signer: Option<String>,
}

fn is_hex(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Parses the interface's detail line
/// `ok <issuer> <created> <hash> [<signer fingerprint>]\n`.
pub fn parse_details(line: &str) -> Option<Details> {
    let mut words = line.split_ascii_whitespace();
    if words.next()? != "ok" {
        return None;
    }
    let issuer = words.next().filter(|w| is_hex(w))?;
    let signer = words.nth(2).filter(|w| is_hex(w)).map(str::to_string);
    Some(Details {
        issuer: issuer.to_string(),
        signer,
    })
}

/// The special keyrings as keyctl spells them, with their (negative) ids.
pub const SPECIAL_KEYRINGS: &[(&str, i32)] = &[
    ("@t", -1),
    ("@p", -2),
    ("@s", -3),
    ("@u", -4),
    ("@us", -5),
    ("@g", -6),
];

/// A `--keyring` argument in one of the forms keyctl takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyringArg {
    /// A special keyring (`@u`) or a serial number: the id to use.
    Id(i32),
    /// A keyring's name (`name` or `%:name`): to be looked up.
    Name(String),
}

/// Parses a keyring argument: `@u`, `@s`, `@us`, `@t`, `@p`, `@g`, a
/// decimal serial, or a keyring name (`%:name` as keyctl spells it, or the
/// bare name).
pub fn parse_keyring(s: &str) -> Result<KeyringArg, String> {
    if let Some((_, id)) = SPECIAL_KEYRINGS.iter().find(|(n, _)| *n == s) {
        return Ok(KeyringArg::Id(*id));
    }
    if s.starts_with('@') {
        return Err(format!(
            "{s:?} is not a special keyring (@u, @s, @us, @t, @p, @g)"
        ));
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i32>()
            .ok()
            .filter(|&n| n > 0)
            .map(KeyringArg::Id)
            .ok_or_else(|| format!("{s:?} is not a keyring serial"));
    }
    let name = s.strip_prefix("%:").unwrap_or(s);
    if name.is_empty() {
        return Err("an empty keyring name".into());
    }
    Ok(KeyringArg::Name(name.to_string()))
}

/// How keyctl spells the keyring `id`: `@u` for the special ones, the
/// decimal serial otherwise.
pub fn keyctl_spelling(id: i32) -> String {
    SPECIAL_KEYRINGS
        .iter()
        .find(|(_, n)| *n == id)
        .map_or_else(|| id.to_string(), |(s, _)| (*s).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_table_matches_the_documented_interface() {
        let table = [
            (errno::EINVAL, Failure::Invalid),
            (errno::EMSGSIZE, Failure::TooLarge),
            (errno::EBADMSG, Failure::Malformed),
            (errno::ENOKEY, Failure::NoKey),
            (errno::EKEYREJECTED, Failure::Rejected),
            (errno::EKEYEXPIRED, Failure::Expired),
            (errno::ENOPKG, Failure::Unsupported),
            (errno::EIO, Failure::HandlerFailed(errno::EIO)),
            (errno::EPROTO, Failure::HandlerFailed(errno::EPROTO)),
            (errno::ETIMEDOUT, Failure::HandlerFailed(errno::ETIMEDOUT)),
            (errno::ENOPROTOOPT, Failure::NoLoader),
            (errno::EPERM, Failure::Permission),
            (errno::EACCES, Failure::Permission),
            (errno::ENOENT, Failure::Errno(errno::ENOENT)),
        ];
        for (e, f) in table {
            assert_eq!(Failure::from_errno(e), f, "errno {e}");
            // The name printed for scripts comes from the one table.
            let name = errno_name(e);
            assert!(ERRNO_TABLE.iter().any(|(n, s, _)| *n == e && *s == name));
        }
        // The numbers Linux uses on x86-64 and arm64 (asm-generic/errno.h).
        assert_eq!(
            (
                errno::ENOPKG,
                errno::ENOKEY,
                errno::EKEYEXPIRED,
                errno::EKEYREJECTED
            ),
            (65, 126, 127, 129)
        );
        assert_eq!(errno_name(9999), "E9999");
        assert_eq!(Failure::Unavailable("x".into()).name(), "EUNAVAILABLE");
        assert_eq!(Failure::NoKey.name(), "ENOKEY");
        // Verdicts on the signature (exit 1) against failures to ask (exit 2).
        assert!(Failure::Rejected.is_verdict() && Failure::Unsupported.is_verdict());
        assert!(!Failure::Unavailable(String::new()).is_verdict());
        assert!(!Failure::Permission.is_verdict() && !Failure::TooLarge.is_verdict());
    }

    #[test]
    fn request_layout() {
        let req = verify_request(-4, b"SIG", b"DATA!").expect("fits");
        assert_eq!(VERIFY_REQUEST_LEN, 24);
        assert_eq!(req.len(), 24 + 3 + 5);
        let word = |i: usize| u32::from_ne_bytes(req[i * 4..i * 4 + 4].try_into().expect("4"));
        assert_eq!(word(0), pgp_umd_proto::VERIFY_MAGIC);
        assert_eq!(word(1), pgp_umd_proto::VERIFY_VERSION);
        assert_eq!(word(2) as i32, -4);
        assert_eq!(word(3), 0);
        assert_eq!(word(4), 3);
        assert_eq!(word(5), 5);
        assert_eq!(&req[24..], b"SIGDATA!");
    }

    #[test]
    fn oversized_data_is_refused_before_the_kernel() {
        let big = vec![0u8; pgp_umd_proto::VERIFY_MAX_DATA as usize + 1];
        assert_eq!(verify_request(-4, b"S", &big), Err(Failure::TooLarge));
    }

    #[test]
    fn detail_line() {
        let fpr = "0123456789ABCDEF0123456789ABCDEF01234567";
        assert_eq!(
            parse_details(&format!("ok {fpr} 1709294400 SHA256 {fpr}\n")),
            Some(Details {
                issuer: fpr.into(),
                signer: Some(fpr.into())
            })
        );
        assert_eq!(
            parse_details(&format!("ok 1F055B83D96A3DDD 1 SHA256 {fpr}\n")),
            Some(Details {
                issuer: "1F055B83D96A3DDD".into(),
                signer: Some(fpr.into())
            })
        );
        assert_eq!(
            parse_details("ok 1F055B83D96A3DDD 1 SHA256"),
            Some(Details {
                issuer: "1F055B83D96A3DDD".into(),
                signer: None
            })
        );
        assert_eq!(parse_details(""), None);
        assert_eq!(parse_details("bad 01"), None);
        assert_eq!(parse_details("ok zz 1 SHA256"), None);
    }

    #[test]
    fn key_ids_from_issuers() {
        assert_eq!(
            key_id_of_issuer("0123456789abcdef0123456789abcdef01234567"),
            "89ABCDEF01234567"
        );
        assert_eq!(key_id_of_issuer(&"AB".repeat(32)[..]), "ABABABABABABABAB");
        assert_eq!(key_id_of_issuer("1f055b83d96a3ddd"), "1F055B83D96A3DDD");
        // Not hex: returned as is, never sliced inside a character.
        let odd = format!("{}é{}", "A".repeat(23), "B".repeat(15));
        assert_eq!(odd.len(), 40);
        assert_eq!(key_id_of_issuer(&odd), odd.to_ascii_uppercase());
    }

    #[test]
    fn keyrings() {
        let id = |s| parse_keyring(s);
        assert_eq!(id("@u"), Ok(KeyringArg::Id(-4)));
        assert_eq!(id("@s"), Ok(KeyringArg::Id(-3)));
        assert_eq!(id("@us"), Ok(KeyringArg::Id(-5)));
        assert_eq!(id("123456"), Ok(KeyringArg::Id(123_456)));
        assert_eq!(id("pgp_rpm"), Ok(KeyringArg::Name("pgp_rpm".into())));
        assert_eq!(id("%:pgp_rpm"), Ok(KeyringArg::Name("pgp_rpm".into())));
        assert!(id("@x").is_err());
        assert!(id("").is_err());
        assert!(id("%:").is_err());
        assert!(id("0").is_err());
        assert!(id("99999999999").is_err());
        assert_eq!(keyctl_spelling(-4), "@u");
        assert_eq!(keyctl_spelling(42), "42");
    }

    /// Answers every request with one failure.
    struct Fails(Failure);
    impl Verifier for Fails {
        fn verify(&mut self, _: &[u8], _: &[u8]) -> Result<String, Failure> {
            Err(self.0.clone())
        }
    }

    #[test]
    fn verdict_lines() {
        use crate::rpm::{HeaderSignature, RecordedDigests};
        let h = RpmHeaders {
            region: vec![1, 2, 3],
            region_offset: 0,
            signatures: vec![HeaderSignature {
                tag: 268,
                packet: vec![0xFF],
            }],
            digests: RecordedDigests::default(),
        };
        let line = |f| check_headers(&h, &mut Fails(f)).to_string();
        assert_eq!(
            line(Failure::NoKey),
            "BAD no key (unknown issuer) in the keyring"
        );
        assert_eq!(line(Failure::Malformed), "BAD malformed signature packet");
        assert_eq!(
            line(Failure::Unavailable("x".into())),
            "ERROR kernel interface unavailable: x"
        );
        let none = RpmHeaders {
            signatures: vec![],
            ..h.clone()
        };
        assert_eq!(
            check_headers(&none, &mut Fails(Failure::NoKey)).verdict,
            Verdict::NoSig
        );
        struct Good;
        impl Verifier for Good {
            fn verify(&mut self, _: &[u8], data: &[u8]) -> Result<String, Failure> {
                assert_eq!(data, [1, 2, 3]);
                Ok("0123456789ABCDEF0123456789ABCDEF01234567".into())
            }
        }
        assert_eq!(
            check_headers(&h, &mut Good).to_string(),
            "OK 89ABCDEF01234567"
        );
        // A wrong header digest makes a good signature BAD.
        let mut wrong = h.clone();
        wrong.digests.sha256_header = Some("00".repeat(32));
        let r = check_headers(&wrong, &mut Good);
        assert_eq!(r.to_string(), "BAD Header SHA256 digest does not match");
    }

    /// rpm's rule for several signatures: one good and none bad is OK; an
    /// unsupported or keyless one beside a good one is reported, not fatal;
    /// one bad is BAD whatever the others say.
    #[test]
    fn several_signatures() {
        use crate::rpm::{HeaderSignature, RecordedDigests};
        let sig = |b: u8| HeaderSignature {
            tag: 278,
            packet: vec![b],
        };
        let h = RpmHeaders {
            region: vec![0],
            region_offset: 0,
            signatures: vec![sig(1), sig(2)],
            digests: RecordedDigests::default(),
        };
        struct Answers(Vec<Result<String, Failure>>);
        impl Verifier for Answers {
            fn verify(&mut self, s: &[u8], _: &[u8]) -> Result<String, Failure> {
                let i = usize::from(s[0]) - 1;
                self.0[i].clone()
            }
        }
        let ok = || Ok("1F055B83D96A3DDD".to_string());
        let run = |a, b| check_headers(&h, &mut Answers(vec![a, b]));
        let r = run(Err(Failure::Unsupported), ok());
        assert_eq!(r.verdict.to_string(), "OK 1F055B83D96A3DDD");
        assert_eq!(r.checks[0].status, CheckStatus::Unsupported);
        assert_eq!(r.checks[1].status, CheckStatus::Ok);
        assert_eq!(run(ok(), Err(Failure::NoKey)).verdict.word(), "OK");
        assert_eq!(run(ok(), Err(Failure::Rejected)).verdict.word(), "BAD");
        assert_eq!(run(Err(Failure::Rejected), ok()).verdict.word(), "BAD");
        assert_eq!(
            run(Err(Failure::Unsupported), Err(Failure::NoKey))
                .verdict
                .word(),
            "BAD"
        );
        assert_eq!(
            run(ok(), Err(Failure::Unavailable("x".into())))
                .verdict
                .word(),
            "ERROR"
        );
    }
}
