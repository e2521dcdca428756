//! Real certificates and key files (testdata/realworld/, made by
//! testdata/realworld.py from Debian's packages): `pgp-umd inspect --json`
//! must list exactly the certificates, primary keys and subkeys that gpg
//! lists (`NAME.colons`, `gpg --show-keys --with-colons`), and the VM's
//! expectations (testdata/vm/realworld.tsv) must be what the stricter of
//! gpg's and sequoia's facts (`NAME.sequoia.json`) and the documented
//! selection rule give.
//!
//! The same comparison runs on any directory of key files outside the
//! repository, with gpg run on the spot:
//! `PGP_UMD_COMPARE_DIR=DIR cargo test -p pgp-umd-cli --test realworld
//! compare_gpg_dir -- --nocapture` (or `cargo xtask compare-gpg DIR`).
//! Without the variable that test runs gpg on testdata/realworld itself.

mod common;

use common::policy::*;
use common::{parse_colons, testdata, ColonCert};
use pgp_umd_cli::rpm_check::errno_name;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One certificate as a list of (fingerprint, algorithm id): the primary
/// key first, then the subkeys in file order.
type Cert = Vec<(String, u64)>;

fn from_gpg(certs: &[ColonCert]) -> Vec<Cert> {
    certs
        .iter()
        .map(|c| {
            c.keys
                .iter()
                .map(|k| (k.fingerprint.clone(), k.algorithm))
                .collect()
        })
        .collect()
}

/// What `pgp-umd inspect --json FILE` lists, or why it listed nothing
/// complete (its exit status and error output).
fn from_inspect(file: &Path) -> Result<Vec<Cert>, (Vec<Cert>, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_pgp-umd"))
        .args(["inspect", "--json"])
        .arg(file)
        .output()
        .expect("run pgp-umd");
    let mut certs = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if v["kind"] != "key" {
            continue;
        }
        let key = |k: &Value| {
            (
                k["fingerprint"].as_str().unwrap_or_default().to_owned(),
                k["algorithm"].as_u64().unwrap_or_default(),
            )
        };
        let mut cert = vec![key(&v["primary"])];
        cert.extend(v["subkeys"].as_array().into_iter().flatten().map(key));
        certs.push(cert);
    }
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if out.status.success() && stderr.is_empty() {
        Ok(certs)
    } else {
        Err((certs, format!("exit {:?}: {stderr}", out.status.code())))
    }
}

/// Compares inspect's listing of `file` with gpg's; a description of every
/// difference.
fn compare(file: &Path, gpg: &[Cert]) -> Result<(), String> {
    let (have, why) = match from_inspect(file) {
        Ok(c) => (c, None),
        Err((c, why)) => (c, Some(why)),
    };
    let mut diffs = Vec::new();
    if let Some(why) = why {
        diffs.push(format!("inspect failed ({why})"));
    }
    if have.len() != gpg.len() {
        diffs.push(format!(
            "{} certificates listed, gpg lists {}",
            have.len(),
            gpg.len()
        ));
    }
    for want in gpg {
        match have.iter().find(|c| c.first() == want.first()) {
            None => diffs.push(format!("certificate {} missing", want[0].0)),
            Some(c) if c != want => diffs.push(format!(
                "certificate {}: keys {:?}, gpg: {:?}",
                want[0].0, c, want
            )),
            Some(_) => {}
        }
    }
    for c in &have {
        if !gpg.iter().any(|w| w.first() == c.first()) {
            diffs.push(format!(
                "certificate {} listed, gpg does not list it",
                c.first().map(|k| k.0.as_str()).unwrap_or("?")
            ));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("; "))
    }
}

/// The files of testdata/realworld/manifest.tsv.
fn manifest() -> Vec<PathBuf> {
    let text = std::fs::read_to_string(testdata("realworld/manifest.tsv")).expect("manifest");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| testdata("realworld").join(l.split('\t').next().unwrap_or_default()))
        .collect()
}

fn colons_of(file: &Path) -> Vec<ColonCert> {
    let mut p = file.as_os_str().to_owned();
    p.push(".colons");
    let bytes = std::fs::read(PathBuf::from(p)).expect("colons");
    parse_colons(&String::from_utf8_lossy(&bytes))
}

/// Prints every file's verdict and fails listing the files that differ.
fn report(results: &[(PathBuf, Result<(), String>)]) {
    let mut bad = 0;
    for (file, r) in results {
        match r {
            Ok(()) => eprintln!("same as gpg: {}", file.display()),
            Err(e) => {
                bad += 1;
                eprintln!("DIFFERS: {}: {e}", file.display());
            }
        }
    }
    eprintln!(
        "{} files: {} list what gpg lists, {bad} differ",
        results.len(),
        results.len() - bad
    );
    assert_eq!(bad, 0, "inspect differs from gpg on {bad} files (above)");
}

/// The key ids (low 8 hex digits, as rpm names its `gpg-pubkey-<id>-<time>`
/// packages) of the certificates `rpmkeys --import` took from `file`.
fn rpm_imported(file: &Path) -> Vec<String> {
    let mut p = file.as_os_str().to_owned();
    p.push(".rpmkeys");
    std::fs::read_to_string(PathBuf::from(p))
        .expect("rpmkeys")
        .lines()
        .filter_map(|l| l.strip_prefix("gpg-pubkey-"))
        .filter_map(|l| l.split('-').next())
        .map(str::to_uppercase)
        .collect()
}

#[test]
fn inspect_lists_what_gpg_lists() {
    let files = manifest();
    assert!(files.len() >= 30, "{} files", files.len());
    let results: Vec<_> = files
        .iter()
        .map(|f| {
            let gpg = from_gpg(&colons_of(f));
            // Every certificate rpm imported is one gpg lists.
            for id in rpm_imported(f) {
                assert!(
                    gpg.iter().any(|c| c[0].0.ends_with(&id)),
                    "{}: rpm imported {id}, gpg does not list it",
                    f.display()
                );
            }
            (f.clone(), compare(f, &gpg))
        })
        .collect();
    report(&results);
}

/// gpg's colon listing of FILE, made now in a scratch home directory.
fn gpg_show_keys(home: &Path, file: &Path) -> Option<Vec<ColonCert>> {
    let out = Command::new("gpg")
        .arg("--homedir")
        .arg(home)
        .args([
            "--batch",
            "--show-keys",
            "--with-colons",
            "--with-subkey-fingerprints",
        ])
        .arg(file)
        .output()
        .ok()?;
    Some(parse_colons(&String::from_utf8_lossy(&out.stdout)))
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_below(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// The comparison on a directory of key files that need not be in the
/// repository (`PGP_UMD_COMPARE_DIR`), gpg run here: every file below it
/// in which gpg finds a certificate. Files where gpg finds none are not
/// key files and are counted, not compared.
#[test]
fn compare_gpg_dir() {
    if Command::new("gpg").arg("--version").output().is_err() {
        eprintln!("SKIP: gpg is not installed");
        return;
    }
    let dir = std::env::var_os("PGP_UMD_COMPARE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| testdata("realworld"));
    let home = std::env::temp_dir().join(format!("pgp-umd-compare-gpg-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("gpg home");
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    }
    let mut files = Vec::new();
    files_below(&dir, &mut files);
    let mut results = Vec::new();
    let mut not_keys = 0;
    for f in files {
        let Some(certs) = gpg_show_keys(&home, &f) else {
            continue;
        };
        if certs.is_empty() {
            not_keys += 1;
            continue;
        }
        let r = compare(&f, &from_gpg(&certs));
        results.push((f, r));
    }
    let _ = std::fs::remove_dir_all(&home);
    eprintln!(
        "{}: {not_keys} files without a certificate gpg reads",
        dir.display()
    );
    assert!(!results.is_empty(), "no key files in {}", dir.display());
    report(&results);
}

/// The rule for a file with several certificates and no selector
/// (docs/kernel-api.md, "One `keyctl padd` adds one key").
const SEVERAL_CERTIFICATES_NO_SELECTOR: i32 = libc::ENOTUNIQ;

/// sequoia's verdicts (`NAME.sequoia.json`: one object per certificate).
fn sequoia_of(file: &Path) -> Vec<Value> {
    let mut p = file.as_os_str().to_owned();
    p.push(".sequoia.json");
    let bytes = std::fs::read(PathBuf::from(p)).expect("sequoia.json");
    match serde_json::from_slice(&bytes).expect("json") {
        Value::Array(v) => v,
        other => vec![other],
    }
}

/// The stricter of gpg's and sequoia's facts about one certificate gpg
/// lists (as for testdata/policy, docs/kernel-api.md), in gpg's order. A
/// certificate sequoia does not have at all keeps gpg's facts with every
/// key invalid; a key sequoia does not list is invalid.
fn merged(gpg: &[Facts], sequoia: &[Value]) -> Vec<Facts> {
    let primary = &gpg[0].fpr;
    let Some(view) = sequoia.iter().find(|v| {
        v["keys"]
            .as_array()
            .and_then(|k| k.first())
            .is_some_and(|k| k["fingerprint"] == primary.as_str())
    }) else {
        return gpg
            .iter()
            .map(|k| Facts {
                validity: 'i',
                ..k.clone()
            })
            .collect();
    };
    let strict = stricter(gpg, view);
    gpg.iter()
        .map(|k| {
            strict
                .iter()
                .find(|s| s.fpr == k.fpr)
                .cloned()
                .unwrap_or_else(|| Facts {
                    validity: 'i',
                    ..k.clone()
                })
        })
        .collect()
}

/// The kernel's documented hash rule for self-signatures (SHA-1 only when
/// made before `sha1_cutoff`, docs/kernel-api.md), which neither gpg nor
/// sequoia applies: a key none of whose own self-signatures or bindings
/// passes it (realworld/sha1-after-cutoff.tsv, read from gpg
/// --list-packets by realworld.py) has no valid self-signature for the
/// kernel. A revocation still counts whatever its hash, and a primary key
/// whose self-signature says it has expired is refused as expired
/// (`claims_expired()` in pgp_cert.c: the errno gpg would give).
fn hash_rule(file: &str, keys: Vec<Facts>) -> Vec<Facts> {
    let notes = std::fs::read_to_string(testdata("realworld/sha1-after-cutoff.tsv"))
        .expect("sha1-after-cutoff.tsv");
    let file = file.trim_start_matches("realworld/");
    keys.into_iter()
        .enumerate()
        .map(|(i, k)| {
            let listed = notes.lines().any(|l| {
                let mut f = l.split('\t');
                f.next() == Some(file) && f.next() == Some(k.key_id.as_str())
            });
            let expired_primary = i == 0 && k.validity == 'e';
            if listed && k.validity != 'r' && !expired_primary {
                Facts { validity: 'i', ..k }
            } else {
                k
            }
        })
        .collect()
}

fn errno(e: i32) -> String {
    match e {
        libc::ENOTUNIQ => "ENOTUNIQ".to_owned(),
        e => errno_name(e),
    }
}

fn outcome(r: Result<String, i32>) -> String {
    match r {
        Ok(fpr) => format!("ok {fpr}"),
        Err(e) => errno(e),
    }
}

/// One row per (kernel, file, selector): without a selector, and with each
/// key gpg lists as `pgp:<fingerprint>`, evaluated on the certificate that
/// holds that key.
fn vm_table() -> String {
    let mut rows = vec!["# kernel\tfile\tselector\texpected".to_owned()];
    for kernel in [VM_KERNEL_6_1, VM_KERNEL_6_12] {
        for file in manifest() {
            let certs = colons_of(&file);
            let name = format!(
                "realworld/{}",
                file.file_name().unwrap_or_default().to_string_lossy()
            );
            let sequoia = sequoia_of(&file);
            let facts: Vec<Vec<Facts>> = certs
                .iter()
                .map(|c| hash_rule(&name, merged(&from_colons(c), &sequoia)))
                .collect();
            let auto = match facts.as_slice() {
                [one] => outcome(expected(one, kernel, None)),
                _ => errno(SEVERAL_CERTIFICATES_NO_SELECTOR),
            };
            rows.push(format!("{}\t{name}\t-\t{auto}", kernel.name));
            for keys in &facts {
                for (i, k) in keys.iter().enumerate() {
                    rows.push(format!(
                        "{}\t{name}\tpgp:{}\t{}",
                        kernel.name,
                        k.fpr,
                        outcome(expected(keys, kernel, Some(i)))
                    ));
                }
            }
        }
    }
    rows.join("\n") + "\n"
}

#[test]
fn vm_realworld_expectations_are_current() {
    let path = testdata("vm/realworld.tsv");
    let want = vm_table();
    if std::env::var_os("PGP_UMD_UPDATE_EXPECTATIONS").is_some() {
        std::fs::write(&path, &want).expect("write");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        have, want,
        "testdata/vm/realworld.tsv is out of date: rerun with PGP_UMD_UPDATE_EXPECTATIONS=1"
    );
    assert!(want.lines().filter(|l| l.contains("\tok ")).count() >= 20);
}
