//! `pgp-umd inspect`: runs each input through the same request function the
//! handler runs, checks the reply with the validator, and prints the result.

use crate::input::{self, Exit};
use pgp_umd_cli::armor;
use pgp_umd_cli::inspect::{
    algorithm_label, describe_certificate, describe_signature, iso_date, iso_time,
    split_certificates, KeyInfo,
};
use pgp_umd_cli::rpm_check::{algorithm_name, hash_name};
use pgp_umd_parser::parse::read_packet_header;
use pgp_umd_parser::request::handle;
use pgp_umd_proto::openpgp::TAG_SIGNATURE;
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{Op, Reply, RequestHeader, Status};
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;

/// Why one input could not be described.
#[derive(Debug)]
enum InspectError {
    Read(String),
    Armor(armor::ArmorError),
    TooLarge(usize),
    Parse {
        status: Status,
        offset: u32,
    },
    /// The reply failed the validator: a parser bug, never the input's fault.
    InvalidReply(pgp_umd_proto::validate::Invalid),
}

impl std::fmt::Display for InspectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InspectError::Read(e) => write!(f, "cannot read {e}"),
            InspectError::Armor(e) => write!(f, "{e}"),
            InspectError::TooLarge(n) => write!(
                f,
                "{n} bytes is more than the protocol's maximum of {} bytes",
                pgp_umd_proto::MAX_PAYLOAD
            ),
            InspectError::Parse { status, offset } => {
                write!(
                    f,
                    "{} at byte {offset}: {}",
                    status.name(),
                    explain(*status)
                )
            }
            InspectError::InvalidReply(e) => write!(f, "internal error, reply rejected: {e:?}"),
        }
    }
}

/// A sentence for people per status.
fn explain(status: Status) -> &'static str {
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

/// Parses one binary blob with `op`, as the handler would.
fn parse(op: Op, payload: &[u8], reply: &mut Reply) -> Result<(), InspectError> {
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|&n| n <= pgp_umd_proto::MAX_PAYLOAD)
        .ok_or(InspectError::TooLarge(payload.len()))?;
    handle(&RequestHeader::new(op, 1, len), payload, reply);
    validate_reply(op, 1, payload, reply).map_err(InspectError::InvalidReply)?;
    match reply.status() {
        Some(Status::Ok) => Ok(()),
        status => Err(InspectError::Parse {
            status: status.unwrap_or(Status::InternalError),
            offset: reply.header.error_offset,
        }),
    }
}

/// The binary blobs of one file: its armor blocks, or the file itself.
fn blobs(data: &[u8]) -> Result<Vec<Vec<u8>>, InspectError> {
    if armor::is_armored(data) {
        let blocks = armor::decode_all(data).map_err(InspectError::Armor)?;
        Ok(blocks.into_iter().map(|b| b.data).collect())
    } else {
        Ok(vec![data.to_vec()])
    }
}

fn is_signature(blob: &[u8]) -> bool {
    read_packet_header(blob).is_ok_and(|(_, h)| h.tag == TAG_SIGNATURE)
}

/// Prints every key and signature of `path`; returns whether all parsed.
fn inspect_file(path: &Path, json: bool, reply: &mut Reply) -> Result<(), InspectError> {
    let data = input::read(path).map_err(InspectError::Read)?;
    let file = input::shown(path);
    for blob in blobs(&data)? {
        if is_signature(&blob) {
            parse(Op::ParseSignature, &blob, reply)?;
            let Some(sig) = describe_signature(&blob, reply) else {
                continue;
            };
            if json {
                let mut v = serde_json::to_value(&sig).unwrap_or_default();
                v["file"] = json!(file);
                v["kind"] = json!("signature");
                v["pubkey_algorithm_name"] = json!(algorithm_name(sig.pubkey_algorithm));
                v["hash_algorithm_name"] = json!(hash_name(u32::from(sig.hash_algorithm)));
                v["created_iso"] = json!(sig.created.map(iso_time));
                println!("{v}");
            } else {
                println!(
                    "{file}: signature v{} type 0x{:02x} {}/{} issuer {} created {} prefix {}",
                    sig.version,
                    sig.sig_type,
                    algorithm_name(sig.pubkey_algorithm),
                    hash_name(u32::from(sig.hash_algorithm)),
                    sig.issuer_fingerprint
                        .as_deref()
                        .or(sig.issuer_key_id.as_deref())
                        .unwrap_or("?"),
                    sig.created.map_or("?".into(), iso_date),
                    sig.hash_prefix
                );
            }
            continue;
        }
        let certs = split_certificates(&blob)
            .map_err(|status| InspectError::Parse { status, offset: 0 })?;
        for cert in certs {
            parse(Op::ParseKey, cert, reply)?;
            let Some(info) = describe_certificate(cert, reply) else {
                continue;
            };
            if json {
                let mut v = serde_json::to_value(&info).unwrap_or_default();
                v["file"] = json!(file);
                v["kind"] = json!("key");
                name_key(&mut v["primary"], &info.primary);
                for (i, k) in info.subkeys.iter().enumerate() {
                    name_key(&mut v["subkeys"][i], k);
                }
                println!("{v}");
            } else {
                print_certificate(&file, &info);
            }
        }
    }
    Ok(())
}

/// Adds the names people read beside a key's raw values in JSON.
fn name_key(v: &mut serde_json::Value, k: &KeyInfo) {
    v["algorithm_name"] = json!(algorithm_label(k));
    v["created_iso"] = json!(iso_time(k.created));
}

fn print_certificate(file: &str, c: &pgp_umd_cli::inspect::CertInfo) {
    let key_line = |label: &str, k: &pgp_umd_cli::inspect::KeyInfo| {
        println!(
            "  {label} v{} {} {} created {} caps {}",
            k.version,
            algorithm_label(k),
            k.fingerprint,
            iso_date(k.created),
            k.capabilities.as_ref().map_or("-".into(), |c| c.join(","))
        );
    };
    println!("{file}: key {}", c.primary.key_id);
    key_line("primary", &c.primary);
    for uid in &c.user_ids {
        println!("  uid     {uid}");
    }
    for s in &c.subkeys {
        key_line("subkey ", s);
    }
}

/// Runs `inspect` over `files`: every file is processed; the exit code is
/// 2 if any could not be read or parsed.
pub fn run(files: &[std::path::PathBuf], json: bool) -> ExitCode {
    let mut reply = Box::new(Reply::zeroed());
    let mut exit = Exit::default();
    for path in files {
        if let Err(e) = inspect_file(path, json, &mut reply) {
            eprintln!("pgp-umd: {}: {e}", input::shown(path));
            exit.error();
        }
    }
    exit.code()
}
