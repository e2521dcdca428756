//! `pgp-umd verify`: asks the kernel whether the detached signatures of a
//! signature file are valid over a file with keys from a keyring (the
//! securityfs interface of docs/kernel-api.md).
//!
//! The kernel checks one signature per request. A file with one signature
//! packet goes to the kernel as it is (binary or armored: the kernel
//! de-armors). A file with several (one per signer, as Debian's
//! `Release.gpg`) is de-armored and split into packets here, and each
//! packet is one request. The rule (docs/cli.md): OK when at least one
//! signature verifies with a key of the keyring and none is bad; a missing
//! key, or an algorithm this kernel cannot verify, is reported but is not
//! bad.

use crate::input::{self, Exit};
use crate::rpm_verify::kernel_verify;
use pgp_umd_cli::pipeline;
use pgp_umd_cli::rpm_check::{explain, key_id_of_issuer, signature_facts, Failure};
use pgp_umd_proto::Op;
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;

/// The signature packets of a signature file when it holds more than one;
/// `None` when it holds one (or cannot be split, or holds anything but
/// signatures: the kernel then judges the file as it is).
fn several(sig: &[u8]) -> Option<Vec<Vec<u8>>> {
    let objects = pipeline::split(sig).ok()?;
    if objects.iter().any(|o| o.op != Op::ParseSignature) {
        return None;
    }
    let packets: Vec<Vec<u8>> = objects.into_iter().map(|o| o.bytes).collect();
    (packets.len() > 1).then_some(packets)
}

/// One signature's outcome.
struct Outcome {
    key_id: Option<String>,
    /// The fingerprint of the key that verified, as the kernel names it.
    signer: Option<String>,
    result: Result<(), Failure>,
    reason: Option<String>,
}

fn check(keyring: i32, packet: &[u8], data: &[u8]) -> Outcome {
    let facts = signature_facts(packet);
    match kernel_verify(keyring, packet, data) {
        Ok(details) => Outcome {
            key_id: Some(key_id_of_issuer(&details.issuer))
                .filter(|k| !k.is_empty())
                .or(facts.key_id),
            signer: details.signer,
            result: Ok(()),
            reason: None,
        },
        Err(f) => Outcome {
            reason: Some(explain(&f, &facts)),
            key_id: facts.key_id,
            signer: None,
            result: Err(f),
        },
    }
}

impl Outcome {
    /// `OK <key id> [<fingerprint>]` or `FAIL <ERRNO> <reason>`.
    fn line(&self) -> String {
        match &self.result {
            Ok(()) => {
                let mut line = format!("OK {}", self.key_id.as_deref().unwrap_or(""));
                if let Some(fpr) = &self.signer {
                    line.push(' ');
                    line.push_str(fpr);
                }
                line
            }
            Err(f) => format!("FAIL {} {}", f.name(), self.reason.as_deref().unwrap_or("")),
        }
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "key_id": self.key_id,
            "fingerprint": self.signer,
            "status": if self.result.is_ok() { "OK" } else { "FAIL" },
            "errno": self.result.as_ref().err().map(Failure::name),
            "reason": self.reason,
        })
    }
}

/// The outcome that decides: the first bad signature; else the first good
/// one; else the first failure to ask; else the first missing or
/// unsupported key.
fn decide(outcomes: &[Outcome]) -> Option<&Outcome> {
    let bad = |o: &&Outcome| {
        o.result
            .as_ref()
            .is_err_and(|f| f.is_verdict() && !matches!(f, Failure::NoKey | Failure::Unsupported))
    };
    outcomes
        .iter()
        .find(bad)
        .or_else(|| outcomes.iter().find(|o| o.result.is_ok()))
        .or_else(|| {
            outcomes
                .iter()
                .find(|o| o.result.as_ref().is_err_and(|f| !f.is_verdict()))
        })
        .or_else(|| outcomes.first())
}

pub fn run(keyring: &str, signature: &Path, data: &Path, json: bool) -> ExitCode {
    let fail = |e: String| {
        eprintln!("pgp-umd: {e}");
        ExitCode::from(input::EXIT_ERROR)
    };
    if signature == Path::new("-") && data == Path::new("-") {
        return fail("only one of SIGNATURE and DATA can be standard input".into());
    }
    let keyring = match input::keyring(keyring) {
        Ok(k) => k,
        Err(e) => return fail(e),
    };
    let (sig, data_bytes) = match (input::read(signature), input::read(data)) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let outcomes: Vec<Outcome> = match several(&sig) {
        Some(packets) => packets
            .iter()
            .map(|p| check(keyring, p, &data_bytes))
            .collect(),
        None => vec![check(keyring, &sig, &data_bytes)],
    };
    let Some(verdict) = decide(&outcomes) else {
        return fail("no signature".into());
    };
    let mut exit = Exit::default();
    match &verdict.result {
        Ok(()) => {}
        Err(f) if f.is_verdict() => exit.bad(),
        Err(_) => exit.error(),
    }
    if json {
        let mut v = verdict.json();
        v["signature_file"] = json!(input::shown(signature));
        v["data_file"] = json!(input::shown(data));
        v["verdict"] = v["status"].take();
        if let Some(o) = v.as_object_mut() {
            o.remove("status");
        }
        v["signatures"] = outcomes.iter().map(Outcome::json).collect();
        outln!("{v}");
    } else {
        outln!("{}", verdict.line());
        if outcomes.len() > 1 {
            for (i, o) in outcomes.iter().enumerate() {
                outln!("  signature {} of {}: {}", i + 1, outcomes.len(), o.line());
            }
        }
    }
    exit.code()
}
