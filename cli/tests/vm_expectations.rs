//! The expectations the VM tests read (testdata/vm/keys.tsv): what
//! `keyctl padd asymmetric` must do with every corpus certificate on each
//! kernel, derived from the tools that made the keys (gpg's colon listing,
//! sequoia's report) and the documented selection rule. This test fails when
//! the committed table differs from what those facts give;
//! `PGP_UMD_UPDATE_EXPECTATIONS=1 cargo test --test vm_expectations`
//! rewrites it.

mod common;

use common::policy::*;
use common::{parse_colons, testdata};
use pgp_umd_cli::inspect::split_certificates;
use pgp_umd_cli::rpm_check::errno_name;
use serde_json::Value;

fn outcome(r: Result<String, i32>) -> String {
    match r {
        Ok(fpr) => format!("ok {fpr}"),
        Err(e) => errno_name(e),
    }
}

/// One row per (kernel, file, selector): auto selection and each key by
/// fingerprint, for every single-certificate file of keys/ and v6/.
fn table() -> String {
    let mut rows = vec!["# kernel\tfile\tselector\texpected".to_owned()];
    let mut certs: Vec<(String, Vec<Facts>)> = Vec::new();
    let skipped = pgp_files("skip")
        .into_iter()
        .filter(|p| p.with_extension("colons").exists());
    for path in pgp_files("keys").into_iter().chain(skipped) {
        let data = std::fs::read(&path).expect("read");
        if split_certificates(&data).map(|c| c.len()).unwrap_or(0) != 1 {
            continue;
        }
        let colons = std::fs::read_to_string(path.with_extension("colons")).expect("colons");
        let dir = path
            .parent()
            .and_then(|d| d.file_name())
            .unwrap_or_default()
            .to_string_lossy();
        let name = format!(
            "{dir}/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        certs.push((name, from_colons(&parse_colons(&colons)[0])));
    }
    for path in pgp_files("v6") {
        let json: Value =
            serde_json::from_slice(&std::fs::read(path.with_extension("json")).expect("json"))
                .expect("parse");
        let name = format!(
            "v6/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        certs.push((name, from_sequoia(&json)));
    }
    let mut notes = vec![None; certs.len()];
    for (path, _, facts, _) in policy_certificates() {
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        notes.push(kernel_note(&file));
        certs.push((format!("policy/{file}"), facts));
    }
    for kernel in [VM_KERNEL_6_1, VM_KERNEL_6_12] {
        for ((name, keys), note) in certs.iter().zip(&notes) {
            let want = |sel| outcome(with_note(expected(keys, kernel, sel), note.as_deref()));
            rows.push(format!("{}\t{name}\t-\t{}", kernel.name, want(None)));
            for (i, k) in keys.iter().enumerate() {
                rows.push(format!(
                    "{}\t{name}\tpgp:{}\t{}",
                    kernel.name,
                    k.fpr,
                    want(Some(i))
                ));
            }
        }
    }
    rows.join("\n") + "\n"
}

/// One row per (kernel, signature, data file): what `pgp-umd verify` must
/// print after every corpus key was offered with `pgp-umd keyring import`:
/// the signer's key id, or the errno (a key the kernel refuses is not in the
/// keyring, so its signatures find no key).
fn signature_table() -> String {
    let mut rows = vec!["# kernel\tsignature\tdata\texpected".to_owned()];
    for kernel in [VM_KERNEL_6_1, VM_KERNEL_6_12] {
        for (_, path, hash, signer, _, facts) in corpus_signatures() {
            let sig = path
                .strip_prefix(testdata(""))
                .expect("under testdata")
                .to_string_lossy()
                .into_owned();
            for (data, flipped) in [("sigs/data.txt", false), ("sigs/data-flipped.txt", true)] {
                let outcome = match want(hash, &facts, &signer, kernel, false, flipped) {
                    Ok(fpr) => {
                        let id = if fpr.len() == 64 {
                            &fpr[..16]
                        } else {
                            &fpr[24..]
                        };
                        format!("OK {id}")
                    }
                    Err(EKEYREJECTED) => "FAIL EKEYREJECTED".to_owned(),
                    Err(ENOPKG)
                        if signature_algorithm(signing_key(&facts, &signer), kernel).is_err() =>
                    {
                        "FAIL ENOPKG".to_owned()
                    }
                    Err(_) => "FAIL ENOKEY".to_owned(),
                };
                rows.push(format!("{}\t{sig}\t{data}\t{outcome}", kernel.name));
            }
        }
    }
    rows.join("\n") + "\n"
}

fn signing_key<'a>(facts: &'a [Facts], signer: &str) -> &'a Facts {
    facts
        .iter()
        .find(|k| k.fpr == signer || k.key_id == signer)
        .expect("signer in its certificate")
}

#[test]
fn vm_signature_expectations_are_current() {
    let path = testdata("vm/signatures.tsv");
    let want = signature_table();
    if std::env::var_os("PGP_UMD_UPDATE_EXPECTATIONS").is_some() {
        std::fs::write(&path, &want).expect("write");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        have, want,
        "testdata/vm/signatures.tsv is out of date: rerun with PGP_UMD_UPDATE_EXPECTATIONS=1"
    );
    assert!(want.lines().filter(|l| l.contains("\tOK ")).count() >= 40);
}

#[test]
fn vm_key_expectations_are_current() {
    let path = testdata("vm/keys.tsv");
    let want = table();
    if std::env::var_os("PGP_UMD_UPDATE_EXPECTATIONS").is_some() {
        std::fs::create_dir_all(testdata("vm")).expect("mkdir");
        std::fs::write(&path, &want).expect("write");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        have, want,
        "testdata/vm/keys.tsv is out of date: rerun with PGP_UMD_UPDATE_EXPECTATIONS=1"
    );
    assert!(want.lines().filter(|l| l.contains("\tok ")).count() >= 20);
}
