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
use crate::rpm::{read_rpm, RpmHeaders};
use pgp_umd_proto::{Op, Reply, RequestHeader, Status, VerifyRequest};
use std::fmt;
use std::io::Read;

/// Linux errno values (asm-generic numbering, as on x86-64 and arm64) that
/// the verification interface returns.
pub mod errno {
    pub const EPERM: i32 = 1;
    pub const ENOENT: i32 = 2;
    pub const EIO: i32 = 5;
    pub const EACCES: i32 = 13;
    pub const EINVAL: i32 = 22;
    pub const ENOPKG: i32 = 65;
    pub const EPROTO: i32 = 71;
    pub const EBADMSG: i32 = 74;
    pub const EMSGSIZE: i32 = 90;
    pub const ENOPROTOOPT: i32 = 92;
    pub const ETIMEDOUT: i32 = 110;
    pub const ENOKEY: i32 = 126;
    pub const EKEYEXPIRED: i32 = 127;
    pub const EKEYREJECTED: i32 = 129;
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
    /// `-ENOPKG`: the algorithm or hash cannot be verified by this kernel.
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
}

/// What the signature packet says about itself, for messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SigFacts {
    /// 16 uppercase hex digits.
    pub key_id: Option<String>,
    pub version: Option<u8>,
    pub pubkey_algorithm: Option<u8>,
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

fn algorithm_name(id: u8) -> String {
    match id {
        1..=3 => "RSA".into(),
        17 => "DSA".into(),
        19 => "ECDSA".into(),
        22 => "EdDSA".into(),
        27 => "Ed25519".into(),
        28 => "Ed448".into(),
        n => format!("algorithm {n}"),
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
    /// Every header signature verified; the key id of the first.
    Ok { key_id: String },
    /// Not verified, with a reason for people.
    Bad(String),
    /// A well-formed package without any header-only signature.
    NoSig,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Ok { key_id } => write!(f, "OK {key_id}"),
            Verdict::Bad(reason) => write!(f, "BAD {reason}"),
            Verdict::NoSig => f.write_str("NOSIG"),
        }
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
        Failure::Unsupported => format!(
            "unsupported: the kernel cannot verify {} signatures{}",
            facts
                .pubkey_algorithm
                .map_or_else(|| "these".to_string(), algorithm_name),
            facts
                .version
                .map_or(String::new(), |v| format!(" (v{v}, by {key})"))
        ),
        Failure::HandlerFailed(e) => format!("the parser (user mode driver) failed (errno {e})"),
        Failure::NoLoader => "the pgp_umd loader module could not be loaded".into(),
        Failure::Permission => "permission denied (needs root and CAP_SYS_ADMIN)".into(),
        Failure::Unavailable(why) => format!("kernel interface unavailable: {why}"),
        Failure::Errno(e) => format!("kernel error (errno {e})"),
    }
}

/// The verdict on already-read headers.
pub fn check_headers(h: &RpmHeaders, verifier: &mut dyn Verifier) -> Verdict {
    let mut first = None;
    for sig in &h.signatures {
        match verifier.verify(&sig.packet, &h.region) {
            Ok(issuer) => {
                let key_id = if issuer.is_empty() {
                    signature_facts(&sig.packet).key_id.unwrap_or_default()
                } else {
                    key_id_of_issuer(&issuer)
                };
                first.get_or_insert(key_id);
            }
            Err(f) => {
                let reason = explain(&f, &signature_facts(&sig.packet));
                return Verdict::Bad(if h.signatures.len() > 1 {
                    format!("tag {}: {reason}", sig.tag)
                } else {
                    reason
                });
            }
        }
    }
    match first {
        Some(key_id) => Verdict::Ok { key_id },
        None => Verdict::NoSig,
    }
}

/// Reads a package from `r` and checks its header signatures.
pub fn check_package<R: Read>(r: R, verifier: &mut dyn Verifier) -> Verdict {
    match read_rpm(r) {
        Ok(h) => check_headers(&h, verifier),
        Err(e) => Verdict::Bad(e.to_string()),
    }
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

/// The issuer from the interface's detail line
/// `ok <issuer> <created> <hash>\n`.
pub fn parse_details(line: &str) -> Option<String> {
    let mut words = line.split_ascii_whitespace();
    if words.next()? != "ok" {
        return None;
    }
    let issuer = words.next()?;
    issuer
        .bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then(|| issuer.to_string())
}

/// Parses a keyring argument: a decimal serial, or `@u`, `@s`, `@us` (also
/// `@t`, `@p`, `@g`) as keyctl spells the special keyrings.
pub fn parse_keyring(s: &str) -> Result<i32, String> {
    match s {
        "@t" => Ok(-1),
        "@p" => Ok(-2),
        "@s" => Ok(-3),
        "@u" => Ok(-4),
        "@us" => Ok(-5),
        "@g" => Ok(-6),
        _ => s
            .parse::<i32>()
            .map_err(|_| format!("{s:?} is not a keyring serial or @u/@s/@us")),
    }
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
        }
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
        assert_eq!(
            parse_details("ok 0123456789ABCDEF0123456789ABCDEF01234567 1709294400 SHA256\n"),
            Some("0123456789ABCDEF0123456789ABCDEF01234567".into())
        );
        assert_eq!(
            parse_details("ok 1F055B83D96A3DDD 1 SHA256"),
            Some("1F055B83D96A3DDD".into())
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
        assert_eq!(parse_keyring("@u"), Ok(-4));
        assert_eq!(parse_keyring("@s"), Ok(-3));
        assert_eq!(parse_keyring("@us"), Ok(-5));
        assert_eq!(parse_keyring("123456"), Ok(123_456));
        assert!(parse_keyring("@x").is_err());
        assert!(parse_keyring("").is_err());
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
        use crate::rpm::HeaderSignature;
        let h = RpmHeaders {
            region: vec![1, 2, 3],
            region_offset: 0,
            signatures: vec![HeaderSignature {
                tag: 268,
                packet: vec![0xFF],
            }],
        };
        let line = |f| check_headers(&h, &mut Fails(f)).to_string();
        assert_eq!(
            line(Failure::NoKey),
            "BAD no key (unknown issuer) in the keyring"
        );
        assert_eq!(line(Failure::Malformed), "BAD malformed signature packet");
        assert_eq!(
            line(Failure::Unavailable("x".into())),
            "BAD kernel interface unavailable: x"
        );
        let none = RpmHeaders {
            signatures: vec![],
            ..h.clone()
        };
        assert_eq!(
            check_headers(&none, &mut Fails(Failure::NoKey)),
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
    }
}
