//! `pgp-umd keyring import`: adds every signing-capable key of every
//! certificate in the given files to a kernel keyring, one `keyctl padd`
//! per key with a `pgp:<fingerprint>` selector (docs/kernel-api.md).
//!
//! This tool only proposes keys: it picks the candidates from what the
//! certificate claims, and the kernel verifies bindings, back-signatures,
//! revocations, expiry and algorithm support itself and refuses the rest.
//! It runs the keyutils `keyctl` program rather than calling add_key(2)
//! directly, which keeps this crate free of unsafe code.

use crate::input::{self, Exit};
use pgp_umd_cli::armor;
use pgp_umd_cli::inspect::{describe_certificate, split_certificates, KeyInfo};
use pgp_umd_cli::rpm_check::keyctl_spelling;
use pgp_umd_parser::request::handle;
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{Op, Reply, RequestHeader, Status, MAX_PAYLOAD};
use serde_json::json;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// A key the kernel may accept: the primary if it may sign (or says
/// nothing), and every subkey whose binding grants signing.
fn candidates(primary: &KeyInfo, subkeys: &[KeyInfo]) -> Vec<String> {
    let signs = |k: &KeyInfo| k.capabilities.as_ref().is_none_or(|c| c.contains(&"sign"));
    let mut out = Vec::new();
    if signs(primary) {
        out.push(primary.fingerprint.clone());
    }
    out.extend(
        subkeys
            .iter()
            .filter(|k| k.capabilities.as_ref().is_some_and(|c| c.contains(&"sign")))
            .map(|k| k.fingerprint.clone()),
    );
    out
}

/// Why a certificate could not even be proposed.
#[derive(Debug)]
enum ImportError {
    Read(String),
    Armor(armor::ArmorError),
    Parse(Status),
    TooLarge,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Read(e) => write!(f, "cannot read {e}"),
            ImportError::Armor(e) => write!(f, "{e}"),
            ImportError::Parse(s) => write!(f, "not a usable certificate: {}", s.name()),
            ImportError::TooLarge => write!(f, "larger than the protocol's maximum"),
        }
    }
}

fn certificates(path: &Path) -> Result<Vec<Vec<u8>>, ImportError> {
    let data = input::read(path).map_err(ImportError::Read)?;
    let blobs = if armor::is_armored(&data) {
        armor::decode_all(&data)
            .map_err(ImportError::Armor)?
            .into_iter()
            .map(|b| b.data)
            .collect()
    } else {
        vec![data]
    };
    let mut certs = Vec::new();
    for blob in &blobs {
        for cert in split_certificates(blob).map_err(ImportError::Parse)? {
            certs.push(cert.to_vec());
        }
    }
    Ok(certs)
}

/// Runs `keyctl padd asymmetric pgp:<fpr> <keyring>` with `cert` on stdin.
fn padd(cert: &[u8], fpr: &str, keyring: &str) -> Result<String, String> {
    let mut child = Command::new("keyctl")
        .args(["padd", "asymmetric", &format!("pgp:{fpr}"), keyring])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run keyctl: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(cert)
            .map_err(|e| format!("cannot feed keyctl: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("keyctl: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// Runs the import: one line per key (`added …` or `skipped …`), or one
/// JSON object per file. Exit code 0 when at least one key was added and
/// every file could be read and parsed, 2 when a file could not, 1 when
/// the kernel took no key.
pub fn run(files: &[PathBuf], keyring: &str, json: bool) -> ExitCode {
    let keyring = match input::keyring(keyring) {
        Ok(k) => keyctl_spelling(k),
        Err(e) => {
            eprintln!("pgp-umd: {e}");
            return ExitCode::from(input::EXIT_ERROR);
        }
    };
    let mut reply = Box::new(Reply::zeroed());
    let mut added = 0usize;
    let mut exit = Exit::default();
    for path in files {
        let file = input::shown(path);
        let (mut added_here, mut skipped_here, mut errors) = (vec![], vec![], vec![]);
        match certificates(path) {
            Err(e) => errors.push(e.to_string()),
            Ok(certs) => {
                for cert in certs {
                    let Some(len) = u32::try_from(cert.len()).ok().filter(|&n| n <= MAX_PAYLOAD)
                    else {
                        errors.push(ImportError::TooLarge.to_string());
                        continue;
                    };
                    handle(&RequestHeader::new(Op::ParseKey, 1, len), &cert, &mut reply);
                    let info = match (
                        validate_reply(Op::ParseKey, 1, &cert, &reply),
                        reply.status(),
                    ) {
                        (Ok(()), Some(Status::Ok)) => describe_certificate(&cert, &reply),
                        (_, status) => {
                            let s = status.unwrap_or(Status::InternalError);
                            errors.push(ImportError::Parse(s).to_string());
                            continue;
                        }
                    };
                    let Some(info) = info else { continue };
                    let uid = info.user_ids.first().cloned().unwrap_or_default();
                    for fpr in candidates(&info.primary, &info.subkeys) {
                        match padd(&cert, &fpr, &keyring) {
                            Ok(serial) => {
                                if !json {
                                    println!("added {fpr} ({uid}) as key {serial}");
                                }
                                added_here.push(json!({
                                    "fingerprint": fpr, "user_id": uid, "serial": serial.parse::<i64>().ok(),
                                }));
                            }
                            Err(why) => {
                                if !json {
                                    println!("skipped {fpr} ({uid}): {why}");
                                }
                                skipped_here.push(json!({
                                    "fingerprint": fpr, "user_id": uid, "reason": why,
                                }));
                            }
                        }
                    }
                }
            }
        }
        added += added_here.len();
        if !errors.is_empty() {
            exit.error();
            if !json {
                for e in &errors {
                    eprintln!("pgp-umd: {file}: {e}");
                }
            }
        }
        if json {
            println!(
                "{}",
                json!({
                    "file": file,
                    "added": added_here,
                    "skipped": skipped_here,
                    "errors": errors,
                })
            );
        }
    }
    if added == 0 {
        exit.bad();
    }
    exit.code()
}
