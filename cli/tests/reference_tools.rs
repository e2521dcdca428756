//! `pgp-umd inspect --json` against the tools that made the corpus:
//! `gpg --with-colons` for every gpg-made key, `gpg --list-packets` for every
//! gpg-made signature (and the hand-encoded v3 ones, which gpg verified), and
//! sequoia's own report for the v6 material gpg 2.2 cannot read.

mod common;

use common::{parse_colons, testdata, ColonKey};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(testdata(dir))
        .expect("testdata directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no .{ext} files in testdata/{dir}");
    v
}

/// Runs the CLI and returns its JSON lines.
fn inspect(path: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_pgp-umd"))
        .args(["inspect", "--json"])
        .arg(path)
        .output()
        .expect("run pgp-umd");
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn caps_letters(v: &Value) -> String {
    let mut letters: Vec<char> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| match c.as_str()? {
                    "certify" => Some('c'),
                    "sign" => Some('s'),
                    "encrypt" => Some('e'),
                    "authenticate" => Some('a'),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    letters.sort_unstable();
    letters.into_iter().collect()
}

fn sorted(s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    c.sort_unstable();
    c.into_iter().collect()
}

fn assert_key_matches(file: &Path, ours: &Value, gpg: &ColonKey) {
    let ctx = format!("{} key {}", file.display(), gpg.fingerprint);
    assert_eq!(ours["fingerprint"], gpg.fingerprint.as_str(), "{ctx}");
    assert_eq!(ours["key_id"], gpg.key_id.as_str(), "{ctx}");
    assert_eq!(ours["algorithm"], gpg.algorithm, "{ctx}");
    assert_eq!(ours["bits"], gpg.bits, "{ctx}");
    assert_eq!(ours["created"], gpg.created, "{ctx}");
    assert_eq!(ours["curve"].as_str(), gpg.curve.as_deref(), "{ctx}");
    assert_eq!(
        caps_letters(&ours["capabilities"]),
        sorted(&gpg.caps),
        "{ctx}"
    );
}

#[test]
fn keys_agree_with_gpg_colons() {
    let mut checked = 0;
    for pgp in files("keys", "pgp") {
        let colons = pgp.with_extension("colons");
        let Ok(text) = std::fs::read_to_string(&colons) else {
            panic!("{} has no .colons expectation", pgp.display());
        };
        let expected = parse_colons(&text);
        for variant in [pgp.clone(), pgp.with_extension("asc")] {
            let ours = inspect(&variant);
            assert_eq!(ours.len(), expected.len(), "{}", variant.display());
            for (o, e) in ours.iter().zip(&expected) {
                assert_eq!(o["kind"], "key");
                let subkeys = o["subkeys"].as_array().expect("subkeys");
                assert_eq!(subkeys.len() + 1, e.keys.len(), "{}", variant.display());
                assert_key_matches(&variant, &o["primary"], &e.keys[0]);
                for (s, k) in subkeys.iter().zip(&e.keys[1..]) {
                    assert_key_matches(&variant, s, k);
                }
                // Packet order here; gpg lists the primary user id first.
                let mut uids: Vec<&str> = o["user_ids"]
                    .as_array()
                    .expect("user_ids")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                let mut gpg_uids: Vec<&str> = e.uids.iter().map(String::as_str).collect();
                uids.sort_unstable();
                gpg_uids.sort_unstable();
                assert_eq!(uids, gpg_uids, "{}", variant.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} certificates checked");
}

/// The facts of one signature as `gpg --list-packets` prints them.
#[derive(Debug, Default)]
struct PacketsSig {
    algo: u64,
    key_id: String,
    version: u64,
    created: u64,
    class: u64,
    digest: u64,
    prefix: String,
    issuer_fpr: Option<String>,
}

fn after<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = &line[line.find(key)? + key.len()..];
    Some(rest.split([',', ')']).next().unwrap_or(rest).trim())
}

fn parse_packets(text: &str) -> PacketsSig {
    let mut s = PacketsSig::default();
    for line in text.lines() {
        if let Some(v) = after(line, ":signature packet: algo ") {
            s.algo = v.parse().expect("algo");
            s.key_id = after(line, "keyid ").expect("keyid").to_owned();
        }
        if let Some(v) = after(line, "version ") {
            s.version = v.parse().expect("version");
            s.created = after(line, "created ")
                .expect("created")
                .parse()
                .expect("created");
            let class = after(line, "sigclass 0x").expect("sigclass");
            s.class = u64::from_str_radix(class, 16).expect("class");
        }
        if let Some(v) = after(line, "digest algo ") {
            s.digest = v.parse().expect("digest");
            s.prefix = after(line, "begin of digest ")
                .expect("prefix")
                .replace(' ', "")
                .to_uppercase();
        }
        if let Some(v) = after(line, "(issuer fpr v4 ") {
            s.issuer_fpr = Some(v.to_owned());
        }
    }
    s
}

fn assert_sig_matches(file: &Path, ours: &Value, gpg: &PacketsSig) {
    let ctx = file.display().to_string();
    assert_eq!(ours["kind"], "signature", "{ctx}");
    assert_eq!(ours["version"], gpg.version, "{ctx}");
    assert_eq!(ours["type"], gpg.class, "{ctx}");
    assert_eq!(ours["pubkey_algorithm"], gpg.algo, "{ctx}");
    assert_eq!(ours["hash_algorithm"], gpg.digest, "{ctx}");
    assert_eq!(ours["issuer_key_id"], gpg.key_id.as_str(), "{ctx}");
    assert_eq!(ours["created"], gpg.created, "{ctx}");
    assert_eq!(ours["hash_prefix"], gpg.prefix.as_str(), "{ctx}");
    assert_eq!(
        ours["issuer_fingerprint"].as_str(),
        gpg.issuer_fpr.as_deref(),
        "{ctx}"
    );
}

#[test]
fn signatures_agree_with_gpg_list_packets() {
    let mut checked = 0;
    for dir in ["sigs", "v3"] {
        for sig in files(dir, "sig") {
            let text = std::fs::read_to_string(sig.with_extension("packets"))
                .unwrap_or_else(|_| panic!("{} has no .packets expectation", sig.display()));
            let expected = parse_packets(&text);
            for variant in [sig.clone(), sig.with_extension("asc")] {
                let ours = inspect(&variant);
                assert_eq!(ours.len(), 1, "{}", variant.display());
                assert_sig_matches(&variant, &ours[0], &expected);
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "only {checked} signatures checked");
}

/// Fields sequoia reports that this project reports the same way.
/// Deliberate differences (see testdata/DIFFERENCES.md): sequoia names
/// curves differently and counts 25519 keys as 256 bits where gpg (and this
/// project) says 255.
fn assert_same_as_sequoia_key(file: &Path, ours: &Value, theirs: &Value) {
    for field in ["version", "algorithm", "fingerprint", "key_id", "created"] {
        assert_eq!(ours[field], theirs[field], "{} {field}", file.display());
    }
    assert_eq!(
        caps_letters(&ours["capabilities"]),
        caps_letters(&theirs["capabilities"]),
        "{} capabilities",
        file.display()
    );
}

#[test]
fn v6_material_agrees_with_sequoia() {
    let mut checked = 0;
    for json in files("v6", "json") {
        let expected: Value =
            serde_json::from_slice(&std::fs::read(&json).expect("read json")).expect("json");
        let data = json.with_extension(if expected["kind"] == "key" {
            "pgp"
        } else {
            "sig"
        });
        for variant in [data.clone(), data.with_extension("asc")] {
            let ours = inspect(&variant);
            assert_eq!(ours.len(), 1, "{}", variant.display());
            let o = &ours[0];
            if expected["kind"] == "key" {
                assert_same_as_sequoia_key(&variant, &o["primary"], &expected["primary"]);
                let (os, es) = (&o["subkeys"], &expected["subkeys"]);
                let os = os.as_array().expect("our subkeys");
                let es = es.as_array().expect("sequoia subkeys");
                assert_eq!(os.len(), es.len(), "{}", variant.display());
                for (a, b) in os.iter().zip(es) {
                    assert_same_as_sequoia_key(&variant, a, b);
                }
            } else {
                for field in [
                    "version",
                    "type",
                    "pubkey_algorithm",
                    "hash_algorithm",
                    "issuer_key_id",
                    "issuer_fingerprint",
                    "created",
                    "hash_prefix",
                ] {
                    assert_eq!(o[field], expected[field], "{} {field}", variant.display());
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} v6 files checked");
}

/// Distribution-style key files (testdata/distro, made by
/// testdata/distro.py: listings and sentences before the armor, two or three
/// blocks, CRLF, headers): `pgp-umd inspect` finds exactly the keys that
/// `gpg --show-keys --with-colons` lists, in order, and every key that
/// `rpmkeys --import` put in its database (NAME.rpmkeys).
#[test]
fn distribution_key_files_agree_with_gpg_and_rpm() {
    let mut checked = 0;
    for asc in files("distro", "asc") {
        let colons = std::fs::read_to_string(asc.with_extension("colons")).expect("NAME.colons");
        let expected = parse_colons(&colons);
        let ours = inspect(&asc);
        let ctx = asc.display().to_string();
        assert_eq!(ours.len(), expected.len(), "{ctx}: certificates");
        for (o, e) in ours.iter().zip(&expected) {
            let subkeys = o["subkeys"].as_array().expect("subkeys");
            assert_eq!(subkeys.len() + 1, e.keys.len(), "{ctx}");
            assert_key_matches(&asc, &o["primary"], &e.keys[0]);
            for (s, k) in subkeys.iter().zip(&e.keys[1..]) {
                assert_key_matches(&asc, s, k);
            }
        }
        let rpm = std::fs::read_to_string(asc.with_extension("rpmkeys")).expect("NAME.rpmkeys");
        let ours_short: Vec<String> = ours
            .iter()
            .filter_map(|o| o["primary"]["fingerprint"].as_str())
            .map(|f| f[f.len() - 8..].to_ascii_lowercase())
            .collect();
        let mut imported = 0;
        for line in rpm.lines().filter(|l| l.starts_with("gpg-pubkey-")) {
            let short = line.split('-').nth(2).expect("gpg-pubkey-VERSION-RELEASE");
            assert!(
                ours_short.iter().any(|s| s == short),
                "{ctx}: rpm imported {line}, inspect does not list it"
            );
            imported += 1;
        }
        assert!(imported >= 1, "{ctx}: rpm imported nothing");
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} distribution-style files");
}
