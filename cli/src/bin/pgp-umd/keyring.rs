//! `pgp-umd keyring import`: adds every signing-capable key of every
//! certificate in the given files to a kernel keyring, one `keyctl padd`
//! per key with a `pgp:<fingerprint>` selector (docs/kernel-api.md). A file
//! with several certificates (armor blocks, a binary keyring) is split by
//! the pipeline (`pgp_umd_cli::pipeline`), and each add_key call carries
//! one certificate.
//!
//! This tool only proposes keys: it picks the candidates from what the
//! certificate claims, and the kernel verifies bindings, back-signatures,
//! revocations, expiry and algorithm support itself and refuses the rest.
//! It runs the keyutils `keyctl` program rather than calling add_key(2)
//! directly, which keeps this crate free of unsafe code.

use crate::input::{self, Exit};
use pgp_umd_cli::inspect::{describe_certificate, KeyInfo};
use pgp_umd_cli::parse::without_skipped;
use pgp_umd_cli::pipeline::{self, Object, PipelineError};
use pgp_umd_cli::rpm_check::keyctl_spelling;
use pgp_umd_proto::{Op, Reply};
use serde_json::{json, Value};
use std::io::Write as _;
use std::path::PathBuf;
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

/// What became of one certificate of a file.
struct CertOutcome {
    /// Its position in the file, from 1.
    index: usize,
    key_id: Option<String>,
    user_id: Option<String>,
    /// (fingerprint, serial) of every key the kernel took.
    added: Vec<(String, String)>,
    /// (fingerprint, reason) of every key the kernel refused.
    skipped: Vec<(String, String)>,
    /// Why it could not be offered at all (the parser refused it).
    error: Option<String>,
}

impl CertOutcome {
    /// One line: `added KEYID (UID): FPR as key SERIAL, …`, `skipped KEYID
    /// (UID): FPR: REASON; …` when the kernel took none of its keys, or
    /// `refused certificate N: REASON`.
    fn line(&self) -> String {
        let who = format!(
            "{} ({})",
            self.key_id.as_deref().unwrap_or("?"),
            self.user_id.as_deref().unwrap_or("")
        );
        let skipped: Vec<String> = self
            .skipped
            .iter()
            .map(|(f, why)| format!("{f}: {why}"))
            .collect();
        if let Some(e) = &self.error {
            format!("refused certificate {}: {e}", self.index)
        } else if self.added.is_empty() {
            if skipped.is_empty() {
                format!("skipped {who}: no signing-capable key")
            } else {
                format!("skipped {who}: {}", skipped.join("; "))
            }
        } else {
            let added: Vec<String> = self
                .added
                .iter()
                .map(|(f, serial)| format!("{f} as key {serial}"))
                .collect();
            let mut line = format!("added {who}: {}", added.join(", "));
            if !skipped.is_empty() {
                line.push_str(&format!("; skipped {}", skipped.join("; ")));
            }
            line
        }
    }

    fn json(&self, file: &str) -> Value {
        json!({
            "file": file,
            "index": self.index,
            "key_id": self.key_id,
            "user_id": self.user_id,
            "added": self.added.iter().map(|(f, serial)| json!({
                "fingerprint": f, "serial": serial.parse::<i64>().ok(),
            })).collect::<Vec<_>>(),
            "skipped": self.skipped.iter().map(|(f, why)| json!({
                "fingerprint": f, "reason": why,
            })).collect::<Vec<_>>(),
            "error": self.error,
        })
    }
}

/// Offers the signing-capable keys of one parsed certificate to the kernel:
/// one `keyctl padd` (one add_key call) per key, each with this
/// certificate alone as its payload.
fn offer(
    index: usize,
    object: &Object,
    result: Result<&Reply, PipelineError>,
    keyring: &str,
) -> CertOutcome {
    let mut out = CertOutcome {
        index,
        key_id: None,
        user_id: None,
        added: Vec::new(),
        skipped: Vec::new(),
        error: None,
    };
    let info = match result {
        Ok(reply) if object.op == Op::ParseKey => describe_certificate(&object.bytes, reply),
        Ok(_) => {
            out.error = Some("a signature, not a certificate".into());
            return out;
        }
        Err(e) => {
            out.error = Some(e.to_string());
            return out;
        }
    };
    let Some(info) = info else {
        out.error = Some("internal error: no description of a parsed certificate".into());
        return out;
    };
    out.key_id = Some(info.primary.key_id.clone());
    out.user_id = info.user_ids.first().cloned();
    let payload = within_reach(&object.bytes, reply_of(&result));
    for fpr in candidates(&info.primary, &info.subkeys) {
        match padd(&payload, &fpr, keyring) {
            Ok(serial) => out.added.push((fpr, serial)),
            Err(why) => out.skipped.push((fpr, why)),
        }
    }
    out
}

/// The largest payload add_key(2) lets reach the "pgp" parser: the kernel's
/// X.509 parser, asked first, refuses more with EMSGSIZE
/// (docs/kernel-api.md, "Large certificates").
const ADD_KEY_REACH: usize = 65_535;

fn reply_of<'a>(result: &Result<&'a Reply, PipelineError>) -> Option<&'a Reply> {
    result.as_ref().ok().copied()
}

/// What to give the kernel for `cert`: the certificate itself, or, when it
/// is over add_key(2)'s reach, only the packets the kernel decides on (its
/// runs of third-party certifications and other skipped packets left out),
/// which gets the same verdict.
fn within_reach(cert: &[u8], reply: Option<&Reply>) -> Vec<u8> {
    match reply {
        Some(reply) if cert.len() > ADD_KEY_REACH => {
            without_skipped(cert, reply).flatten().copied().collect()
        }
        _ => cert.to_vec(),
    }
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

/// Runs the import over every certificate of every file (see
/// [`pipeline`]): one line per certificate and a summary line per file, or
/// one JSON object per certificate. Exit code 0 when every certificate had
/// a key added, 1 when the kernel took no key of some certificate, 2 when
/// a file could not be read or split or a certificate could not be parsed.
pub fn run(files: &[PathBuf], keyring: &str, json: bool) -> ExitCode {
    let keyring = match input::keyring(keyring) {
        Ok(k) => keyctl_spelling(k),
        Err(e) => {
            eprintln!("pgp-umd: {e}");
            return ExitCode::from(input::EXIT_ERROR);
        }
    };
    let mut reply = Box::new(Reply::zeroed());
    let mut exit = Exit::default();
    for path in files {
        let file = input::shown(path);
        let mut outcomes = Vec::new();
        let split = input::read(path)
            .map_err(|e| format!("cannot read {e}"))
            .and_then(|data| {
                pipeline::run(&data, &mut reply, |object, result| {
                    let outcome = offer(outcomes.len() + 1, object, result, &keyring);
                    if json {
                        outln!("{}", outcome.json(&file));
                    } else {
                        outln!("{}", outcome.line());
                    }
                    outcomes.push(outcome);
                })
                .map_err(|e| e.to_string())
            });
        if let Err(e) = split {
            exit.error();
            if json {
                outln!(
                    "{}",
                    json!({
                        "file": file, "index": null, "key_id": null, "user_id": null,
                        "added": [], "skipped": [], "error": e,
                    })
                );
            } else {
                eprintln!("pgp-umd: {file}: {e}");
            }
            continue;
        }
        let refused = outcomes.iter().filter(|o| o.error.is_some()).count();
        let added = outcomes.iter().filter(|o| !o.added.is_empty()).count();
        let not_added = outcomes.len() - added - refused;
        if refused > 0 {
            exit.error();
        }
        if not_added > 0 || outcomes.is_empty() {
            exit.bad();
        }
        if !json {
            outln!(
                "{file}: {} certificate{}: {added} added, {not_added} without a key the kernel took, {refused} refused",
                outcomes.len(),
                if outcomes.len() == 1 { "" } else { "s" }
            );
        }
    }
    exit.code()
}
