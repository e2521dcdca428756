//! The one pipeline from the bytes of a file to validated replies:
//! de-armor, split, parse, validate. `pgp-umd inspect`, `keyring import`
//! and `verify` all go through it.
//!
//! 1. **De-armor**: an armored file gives every armor block it holds (any
//!    number, [`armor::decode_all`]); a binary file is one blob.
//! 2. **Split**: a blob that starts with a signature packet is a signature
//!    file and gives its signature packets ([`split_signatures`]); any other
//!    blob is a keyring and gives its certificates, one per public-key packet
//!    ([`split_certificates`]): several transferable public keys
//!    concatenated, as `gpg --export` writes them, are several objects.
//! 3. **Parse** each object with the handler's own request function
//!    ([`handle`], the code the sealed handler runs) and
//! 4. **validate** the reply with the kernel's rules ([`validate_reply`]).
//!
//! Steps 1 and 2 fail for the whole file (nothing tells where the next
//! object would start); steps 3 and 4 fail for one object, and the others
//! are still parsed.

use crate::armor::{self, ArmorError};
use crate::inspect::{split_certificates, split_signatures};
use crate::parse::read_packet_header;
use crate::request::handle;
use pgp_umd_proto::openpgp::TAG_SIGNATURE;
use pgp_umd_proto::validate::{validate_reply, Invalid};
use pgp_umd_proto::{Op, Reply, RequestHeader, Status, MAX_PAYLOAD};
use std::fmt;

/// One certificate or signature packet of a file, in binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    /// How the handler is asked about it: `ParseKey` for a certificate,
    /// `ParseSignature` for a signature packet.
    pub op: Op,
    /// Its bytes (a copy: armored input is decoded).
    pub bytes: Vec<u8>,
}

/// Why a file or one of its objects could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PipelineError {
    /// The armor is malformed (the whole file).
    Armor(ArmorError),
    /// The packet framing is malformed, so the file cannot be split (the
    /// whole file).
    Split(Status),
    /// An object larger than the protocol's payload limit.
    TooLarge(usize),
    /// The parser refused the object.
    Parse { status: Status, offset: u32 },
    /// The reply failed the validator: a parser bug, never the input's fault.
    InvalidReply(Invalid),
}

impl PipelineError {
    /// The parser's status, where there is one (a refusal or a framing
    /// error).
    pub fn status(&self) -> Option<Status> {
        match self {
            PipelineError::Split(s) | PipelineError::Parse { status: s, .. } => Some(*s),
            _ => None,
        }
    }
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::Armor(e) => write!(f, "{e}"),
            PipelineError::Split(status) => write!(
                f,
                "{}: cannot split into packets: {}",
                status.name(),
                explain(*status)
            ),
            PipelineError::TooLarge(n) => write!(
                f,
                "{n} bytes is more than the protocol's maximum of {MAX_PAYLOAD} bytes"
            ),
            PipelineError::Parse { status, offset } => write!(
                f,
                "{} at byte {offset}: {}",
                status.name(),
                explain(*status)
            ),
            PipelineError::InvalidReply(e) => write!(f, "internal error, reply rejected: {e:?}"),
        }
    }
}

/// A sentence for people per status.
pub fn explain(status: Status) -> &'static str {
    match status {
        Status::Ok => "no error",
        Status::EmptyPayload => "the input is empty",
        Status::Truncated => "a packet runs past the end of the input",
        Status::BadPacketHeader => "not an OpenPGP packet header",
        Status::PartialLength => "partial body lengths are not allowed in keys or signatures",
        Status::V3Key => "version 3 keys are obsolete and not supported",
        Status::UnknownKeyVersion => "unsupported key packet version",
        Status::UnknownSignatureVersion => "unsupported signature packet version",
        Status::BadMpi => "malformed multiprecision integer",
        Status::BadKeyMaterial => "malformed public key material",
        Status::BadSignature => "malformed signature packet",
        Status::BadSubpacket => "malformed signature subpacket",
        Status::UnexpectedPacket => "a packet that does not belong in a certificate",
        Status::MultipleCertificates => "more than one certificate where one was expected",
        Status::NotACertificate => "does not start with a public key packet",
        Status::NotASignature => "does not start with a signature packet",
        Status::TrailingData => "data follows the signature packet",
        Status::SecretKey => "secret key material is never accepted",
        Status::TooManyPackets
        | Status::TooManyKeys
        | Status::TooManyUserIds
        | Status::TooManySignatures
        | Status::TooManySubpackets => "larger than the protocol's bounds",
        Status::BadMagic
        | Status::BadVersion
        | Status::UnknownOp
        | Status::BadFlags
        | Status::PayloadTooLarge
        | Status::InternalError => "request refused",
    }
}

/// Steps 1 and 2: the certificates and signature packets of a file, in
/// file order (at least one: an empty file is an error).
pub fn split(data: &[u8]) -> Result<Vec<Object>, PipelineError> {
    let blobs = if armor::is_armored(data) {
        armor::decode_all(data)
            .map_err(PipelineError::Armor)?
            .into_iter()
            .map(|b| b.data)
            .collect()
    } else {
        vec![data.to_vec()]
    };
    let mut objects = Vec::new();
    for blob in &blobs {
        let signatures = read_packet_header(blob).is_ok_and(|(_, h)| h.tag == TAG_SIGNATURE);
        let (op, parts) = if signatures {
            (Op::ParseSignature, split_signatures(blob))
        } else {
            (Op::ParseKey, split_certificates(blob))
        };
        let parts = parts.map_err(PipelineError::Split)?;
        objects.extend(parts.into_iter().map(|p| Object {
            op,
            bytes: p.to_vec(),
        }));
    }
    if objects.is_empty() {
        return Err(PipelineError::Split(Status::EmptyPayload));
    }
    Ok(objects)
}

/// Steps 3 and 4 for one object: `reply` holds the validated map on success.
pub fn parse(object: &Object, reply: &mut Reply) -> Result<(), PipelineError> {
    let payload = object.bytes.as_slice();
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|&n| n <= MAX_PAYLOAD)
        .ok_or(PipelineError::TooLarge(payload.len()))?;
    handle(&RequestHeader::new(object.op, 1, len), payload, reply);
    validate_reply(object.op, 1, payload, reply).map_err(PipelineError::InvalidReply)?;
    match reply.status() {
        Some(Status::Ok) => Ok(()),
        status => Err(PipelineError::Parse {
            status: status.unwrap_or(Status::InternalError),
            offset: reply.header.error_offset,
        }),
    }
}

/// The whole pipeline over one file: `each` is called once per object, in
/// file order, with the object and either its validated reply or why it
/// was refused. `Err` when the file cannot be split (then `each` is never
/// called).
pub fn run(
    data: &[u8],
    reply: &mut Reply,
    mut each: impl FnMut(&Object, Result<&Reply, PipelineError>),
) -> Result<(), PipelineError> {
    for object in split(data)? {
        match parse(&object, reply) {
            Ok(()) => each(&object, Ok(reply)),
            Err(e) => each(&object, Err(e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(path: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../testdata")
            .join(path);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    #[test]
    fn binary_keyrings_and_armor_blocks_give_every_certificate() {
        let one = testdata("keys/rsa2048.pgp");
        let two = testdata("keys/ed25519.pgp");
        let mut ring = one.clone();
        ring.extend_from_slice(&two);
        let objects = split(&ring).expect("split");
        assert_eq!(
            objects,
            [
                Object {
                    op: Op::ParseKey,
                    bytes: one.clone()
                },
                Object {
                    op: Op::ParseKey,
                    bytes: two.clone()
                }
            ]
        );
        let mut armored = testdata("keys/rsa2048.asc");
        armored.extend_from_slice(b"\nText between the blocks.\n\n");
        armored.extend_from_slice(&testdata("keys/ed25519.asc"));
        assert_eq!(split(&armored).expect("split armor"), objects);

        let mut reply = Box::new(Reply::zeroed());
        let mut seen = 0;
        run(&ring, &mut reply, |o, r| {
            assert_eq!(o.op, Op::ParseKey);
            assert!(r.is_ok(), "{:?}", r.err());
            seen += 1;
        })
        .expect("run");
        assert_eq!(seen, 2);
    }

    #[test]
    fn a_refused_certificate_leaves_the_others() {
        let good = testdata("keys/rsa2048.pgp");
        // A user ID packet first: the part before the first public-key
        // packet is its own object, refused as not a certificate.
        let mut ring = vec![0xCD, 0x01, b'x'];
        ring.extend_from_slice(&good);
        let mut reply = Box::new(Reply::zeroed());
        let mut results = Vec::new();
        run(&ring, &mut reply, |_, r| {
            results.push(r.map(|_| ()).map_err(|e| e.status()));
        })
        .expect("run");
        assert_eq!(results, [Err(Some(Status::NotACertificate)), Ok(())]);
    }

    #[test]
    fn broken_framing_or_armor_refuses_the_file() {
        assert_eq!(
            split(b"\x00\x01"),
            Err(PipelineError::Split(Status::BadPacketHeader))
        );
        let armor =
            b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n";
        assert!(matches!(split(armor), Err(PipelineError::Armor(_))));
    }
}
