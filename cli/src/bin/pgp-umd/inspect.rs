//! `pgp-umd inspect`: runs each input through the same request function the
//! handler runs, checks the reply with the validator, and prints the result.

use crate::input::{self, Exit};
use pgp_umd_cli::inspect::{
    algorithm_label, describe_certificate, describe_signature, iso_date, iso_time, KeyInfo,
};
use pgp_umd_cli::pipeline::{self, Object, PipelineError};
use pgp_umd_cli::rpm_check::{algorithm_name, hash_name};
use pgp_umd_proto::{Op, Reply};
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;

/// What one file held: how many certificates and signatures, how many of
/// them the parser refused.
#[derive(Default)]
struct Tally {
    certificates: usize,
    signatures: usize,
    refused: usize,
}

impl Tally {
    /// The summary line: `FILE: 3 certificates, 1 signature: all parsed`
    /// or `…: 1 refused`.
    fn line(&self, file: &str) -> String {
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let verdict = if self.refused == 0 {
            "all parsed".to_owned()
        } else {
            format!("{} refused", self.refused)
        };
        format!(
            "{file}: {}, {}: {verdict}",
            plural(self.certificates, "certificate"),
            plural(self.signatures, "signature")
        )
    }
}

/// Prints one object of a file: its description, or why it was refused
/// (a line on standard error, an object of kind `error` in JSON).
fn print_object(
    file: &str,
    index: usize,
    object: &Object,
    result: Result<&Reply, PipelineError>,
    json: bool,
) {
    let reply = match result {
        Ok(reply) => reply,
        Err(e) => {
            let what = match object.op {
                Op::ParseSignature => "signature",
                _ => "certificate",
            };
            if json {
                outln!(
                    "{}",
                    json!({
                        "file": file, "kind": "error", "index": index, "object": what,
                        "status": e.status().map(|s| s.name()),
                        "offset": match e { PipelineError::Parse { offset, .. } => Some(offset), _ => None },
                        "error": e.to_string(),
                    })
                );
            } else {
                eprintln!("pgp-umd: {file}: {what} {index}: {e}");
            }
            return;
        }
    };
    let blob = object.bytes.as_slice();
    if object.op == Op::ParseSignature {
        let Some(sig) = describe_signature(blob, reply) else {
            return;
        };
        if json {
            let mut v = serde_json::to_value(&sig).unwrap_or_default();
            v["file"] = json!(file);
            v["kind"] = json!("signature");
            v["index"] = json!(index);
            v["pubkey_algorithm_name"] = json!(algorithm_name(sig.pubkey_algorithm));
            v["hash_algorithm_name"] = json!(hash_name(u32::from(sig.hash_algorithm)));
            v["created_iso"] = json!(sig.created.map(iso_time));
            outln!("{v}");
        } else {
            outln!(
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
        return;
    }
    let Some(info) = describe_certificate(blob, reply) else {
        return;
    };
    if json {
        let mut v = serde_json::to_value(&info).unwrap_or_default();
        v["file"] = json!(file);
        v["kind"] = json!("key");
        v["index"] = json!(index);
        name_key(&mut v["primary"], &info.primary);
        for (i, k) in info.subkeys.iter().enumerate() {
            name_key(&mut v["subkeys"][i], k);
        }
        outln!("{v}");
    } else {
        print_certificate(file, &info);
    }
}

/// Prints every certificate and signature of `path` (see [`pipeline`]) and
/// the summary line; returns whether every one parsed.
fn inspect_file(path: &Path, json: bool, reply: &mut Reply) -> Result<bool, String> {
    let data = input::read(path).map_err(|e| format!("cannot read {e}"))?;
    let file = input::shown(path);
    let mut tally = Tally::default();
    pipeline::run(&data, reply, |object, result| {
        match object.op {
            Op::ParseSignature => tally.signatures += 1,
            _ => tally.certificates += 1,
        }
        if result.is_err() {
            tally.refused += 1;
        }
        let index = tally.certificates + tally.signatures;
        print_object(&file, index, object, result, json);
    })
    .map_err(|e| e.to_string())?;
    if !json {
        outln!("{}", tally.line(&file));
    }
    Ok(tally.refused == 0)
}

/// Adds the names people read beside a key's raw values in JSON.
fn name_key(v: &mut serde_json::Value, k: &KeyInfo) {
    v["algorithm_name"] = json!(algorithm_label(k));
    v["created_iso"] = json!(iso_time(k.created));
}

fn print_certificate(file: &str, c: &pgp_umd_cli::inspect::CertInfo) {
    let key_line = |label: &str, k: &KeyInfo| {
        outln!(
            "  {label} v{} {} {} created {} caps {}",
            k.version,
            algorithm_label(k),
            k.fingerprint,
            iso_date(k.created),
            k.capabilities.as_ref().map_or("-".into(), |c| c.join(","))
        );
    };
    outln!("{file}: key {}", c.primary.key_id);
    key_line("primary", &c.primary);
    for uid in &c.user_ids {
        outln!("  uid     {uid}");
    }
    for s in &c.subkeys {
        key_line("subkey ", s);
    }
}

/// Runs `inspect` over `files`: every object of every file is processed;
/// the exit code is 2 if a file could not be read or split, or any of its
/// certificates or signatures could not be parsed.
pub fn run(files: &[std::path::PathBuf], json: bool) -> ExitCode {
    let mut reply = Box::new(Reply::zeroed());
    let mut exit = Exit::default();
    for path in files {
        match inspect_file(path, json, &mut reply) {
            Ok(true) => {}
            Ok(false) => exit.error(),
            Err(e) => {
                if json {
                    outln!(
                        "{}",
                        json!({
                            "file": input::shown(path), "kind": "error", "index": null,
                            "object": "file", "status": null, "offset": null, "error": e,
                        })
                    );
                } else {
                    eprintln!("pgp-umd: {}: {e}", input::shown(path));
                }
                exit.error();
            }
        }
    }
    exit.code()
}
