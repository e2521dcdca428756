//! The `pgp-umd` command on the host (docs/cli.md): exit codes for usage
//! and I/O errors, standard input, the JSON schemas, gpg's names for
//! algorithms and dates (from gpg's colon listings of the corpus keys), and
//! the splitting of several-signature files (testdata/multisig, with gpg's
//! verdict per signature). The kernel's verdicts are the VM tests'
//! (selftests/pgp_verify.sh); here the kernel interface is absent, which
//! is itself a documented outcome (exit 2, `EUNAVAILABLE` / `ERROR`).

mod common;

use common::{parse_colons, testdata, ColonKey};
use pgp_umd_cli::inspect::split_signatures;
use serde_json::Value;
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const VERIFY: &str = "/sys/kernel/security/pgp_umd/verify";

fn kernel_present() -> bool {
    std::path::Path::new(VERIFY).exists()
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pgp-umd"))
        .args(args)
        .current_dir(testdata(""))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pgp-umd");
    if let Some(mut w) = child.stdin.take() {
        if let Some(bytes) = stdin {
            w.write_all(bytes).expect("feed stdin");
        }
    }
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn usage_and_io_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &[],
        &["frobnicate"],
        &["verify", "sigs/rsa2048-sha256-bin.sig"],
        &[
            "verify",
            "--keyring",
            "@x",
            "sigs/rsa2048-sha256-bin.sig",
            "sigs/data.txt",
        ],
        &[
            "verify",
            "--keyring",
            "0",
            "sigs/rsa2048-sha256-bin.sig",
            "sigs/data.txt",
        ],
        &["verify", "-", "-"],
        &["verify", "no/such.sig", "sigs/data.txt"],
        &["verify", "sigs/rsa2048-sha256-bin.sig", "no/such.txt"],
        &["rpm-verify"],
        &["rpm-verify", "--keyring", "@nope", "rpm/unsigned.rpm"],
        &["rpm-verify", "no/such.rpm"],
        &["inspect", "no/such.asc"],
        &["inspect", "sigs/data.txt"],
        &["keyring", "import", "no/such.asc"],
        &["keyring", "import", "--keyring", "@x", "keys/rsa2048.asc"],
    ];
    for args in cases {
        let o = run(args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {o:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        let out = stdout(&o);
        assert!(
            !err.contains("Err(") && !out.contains("Err(") && !err.contains("Os {"),
            "{args:?}: Debug text in {err} {out}"
        );
    }
}

#[test]
fn help_documents_the_exit_codes() {
    for args in [
        &["--help"][..],
        &["verify", "--help"],
        &["rpm-verify", "--help"],
    ] {
        let o = run(args, None);
        assert_eq!(o.status.code(), Some(0));
        let text = stdout(&o);
        assert!(text.contains("Exit status:"), "{args:?}");
        for code in [
            "0  all good",
            "1  a bad or missing signature",
            "2  usage, I/O",
        ] {
            assert!(text.contains(code), "{args:?}: {code}");
        }
    }
}

/// gpg's name for a key's algorithm from its colon listing: `rsa4096`,
/// `dsa3072`, `elg3072`, or the curve (field 17).
fn gpg_algorithm(k: &ColonKey) -> String {
    let len = k.bits;
    match k.algorithm {
        1..=3 => format!("rsa{len}"),
        17 => format!("dsa{len}"),
        16 | 20 => format!("elg{len}"),
        _ => k.curve.clone().unwrap_or_default(),
    }
}

/// gpg's ISO date of a colon listing's Unix time, by `date -u`.
fn iso_date(secs: u64) -> String {
    let o = Command::new("date")
        .args(["-u", "-d", &format!("@{secs}"), "+%F"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn inspect_names_algorithms_and_dates_as_gpg() {
    let mut checked = 0;
    for name in [
        "rsa2048",
        "rsa4096",
        "dsa3072-elg",
        "ecdsa-p256",
        "ecdsa-brainpoolp256",
        "ed25519",
    ] {
        let colons =
            std::fs::read_to_string(testdata(&format!("keys/{name}.colons"))).expect("colons");
        let certs = parse_colons(&colons);
        let keys = &certs[0].keys;
        let file = format!("keys/{name}.pgp");
        let o = run(&["inspect", "--json", &file], None);
        assert_eq!(o.status.code(), Some(0), "{name}");
        let v = &json_lines(&o)[0];
        assert_eq!(v["kind"], "key");
        assert_eq!(v["file"], file.as_str());
        let mut ours = vec![v["primary"].clone()];
        ours.extend(v["subkeys"].as_array().cloned().unwrap_or_default());
        assert_eq!(ours.len(), keys.len(), "{name}");
        for (k, g) in ours.iter().zip(keys) {
            assert_eq!(k["algorithm_name"], gpg_algorithm(g).as_str(), "{name}");
            assert_eq!(k["algorithm"].as_u64(), Some(g.algorithm), "{name}");
            assert_eq!(k["created"].as_u64(), Some(g.created), "{name}");
            let date = iso_date(g.created);
            assert!(
                k["created_iso"]
                    .as_str()
                    .is_some_and(|t| t.starts_with(&date)),
                "{name}: {} vs {date}",
                k["created_iso"]
            );
            checked += 1;
        }
        // The text form says the same.
        let text = stdout(&run(&["inspect", &file], None));
        for g in keys {
            assert!(text.contains(&gpg_algorithm(g)), "{name}: {text}");
            assert!(text.contains(&iso_date(g.created)), "{name}: {text}");
        }
    }
    assert!(checked >= 10, "{checked} keys");
}

#[test]
fn standard_input_is_dash() {
    let bytes = std::fs::read(testdata("keys/rsa2048.asc")).expect("read");
    let from_file = json_lines(&run(&["inspect", "--json", "keys/rsa2048.asc"], None));
    let mut from_stdin = json_lines(&run(&["inspect", "--json", "-"], Some(&bytes)));
    assert_eq!(from_stdin[0]["file"], "-");
    from_stdin[0]["file"] = from_file[0]["file"].clone();
    assert_eq!(from_stdin, from_file);

    let rpm = std::fs::read(testdata("rpm/unsigned.rpm")).expect("read");
    let o = run(&["rpm-verify", "-"], Some(&rpm));
    assert_eq!(stdout(&o), "-: NOSIG\n");
    assert_eq!(o.status.code(), Some(1));
}

/// `rpm-verify --json`: packages whose verdict needs no kernel (unsigned,
/// a changed payload: BAD by its digests whatever the signature says).
#[test]
fn rpm_verify_json_schema() {
    let o = run(
        &[
            "rpm-verify",
            "--json",
            "rpm/unsigned.rpm",
            "rpm/payload-tampered.rpm",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let v = json_lines(&o);
    assert_eq!(v.len(), 2);
    for obj in &v {
        let keys: Vec<&str> = obj
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["checks", "file", "key_id", "reason", "verdict"]);
        for c in obj["checks"].as_array().expect("checks") {
            let status = c["status"].as_str().expect("status");
            assert!(["OK", "BAD", "NOKEY", "UNSUPPORTED", "ERROR"].contains(&status));
            assert!(c["check"].is_string());
            assert_eq!(c["detail"].is_string(), status != "OK", "{c}");
        }
    }
    assert_eq!(v[0]["verdict"], "NOSIG");
    assert_eq!(v[0]["file"], "rpm/unsigned.rpm");
    let names: Vec<&str> = v[0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter_map(|c| c["check"].as_str())
        .collect();
    // rpmkeys --checksig -v on unsigned.rpm (testdata/rpm/checksig.txt).
    assert_eq!(
        names,
        [
            "Header SHA256 digest",
            "Header SHA1 digest",
            "Payload SHA256 digest",
            "MD5 digest (legacy)"
        ]
    );
    assert_eq!(v[1]["verdict"], "BAD");
    assert!(v[1]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("Payload SHA256 digest does not match")));
    // --header-only never reads the payload: unsigned is NOSIG, with only
    // the header digests.
    let o = run(
        &[
            "rpm-verify",
            "--json",
            "--header-only",
            "rpm/payload-tampered.rpm",
        ],
        None,
    );
    let v = json_lines(&o);
    assert!(v[0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .all(|c| !c["check"].as_str().unwrap_or("").starts_with("Payload")));
    if !kernel_present() {
        assert_eq!(v[0]["verdict"], "ERROR");
        assert_eq!(o.status.code(), Some(2));
    }
}

/// The several-signature files: split into exactly the parts they were
/// made of, as many as gpg reports signatures.
#[test]
fn several_signatures_split_as_gpg_counts_them() {
    let manifest = std::fs::read_to_string(testdata("multisig/manifest.tsv")).expect("manifest");
    let mut rows = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, parts, gpg) = (cols[0], cols[1], cols[2]);
        let parts: Vec<&str> = parts.split(' ').collect();
        assert_eq!(gpg.split(' ').count(), parts.len(), "{file}");
        if file.ends_with(".asc") {
            continue;
        }
        let bytes = std::fs::read(testdata(&format!("multisig/{file}"))).expect("read");
        let packets = split_signatures(&bytes).expect("splits");
        let want: Vec<Vec<u8>> = parts
            .iter()
            .map(|p| {
                let path = if p.ends_with(".part") {
                    format!("multisig/{p}")
                } else {
                    format!("sigs/{p}")
                };
                std::fs::read(testdata(&path)).expect("part")
            })
            .collect();
        assert_eq!(packets, want, "{file}");
        rows += 1;
    }
    assert!(rows >= 5);
    // Not signatures: refused, not split.
    let key = std::fs::read(testdata("keys/rsa2048.pgp")).expect("key");
    assert!(split_signatures(&key).is_err());
    assert!(split_signatures(b"").is_err());
}

/// `verify --json` without the kernel: one object, every signature listed
/// with the issuer gpg names (testdata/vm/signatures.tsv), exit 2.
#[test]
fn verify_json_schema() {
    if kernel_present() {
        return;
    }
    for (file, ids) in [
        (
            "multisig/two-good.asc",
            &["B77FA5D48822D0D1", "977C6F615B6D1BCA"][..],
        ),
        ("sigs/rsa2048-sha256-bin.sig", &["B77FA5D48822D0D1"][..]),
    ] {
        let o = run(&["verify", "--json", file, "sigs/data.txt"], None);
        assert_eq!(o.status.code(), Some(2), "{file}");
        let v = &json_lines(&o)[0];
        let keys: Vec<&str> = v
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "data_file",
                "errno",
                "fingerprint",
                "key_id",
                "reason",
                "signature_file",
                "signatures",
                "verdict"
            ]
        );
        assert_eq!(v["verdict"], "FAIL");
        assert_eq!(v["errno"], "EUNAVAILABLE");
        assert_eq!(v["signature_file"], file);
        let sigs = v["signatures"].as_array().expect("signatures");
        let got: Vec<&str> = sigs.iter().filter_map(|s| s["key_id"].as_str()).collect();
        assert_eq!(got, ids, "{file}");
        for s in sigs {
            assert_eq!(s["status"], "FAIL");
            assert!(s["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("kernel interface unavailable")));
        }
        // The text form: the verdict line, then one line per signature
        // when there are several.
        let text = stdout(&run(&["verify", file, "sigs/data.txt"], None));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("FAIL EUNAVAILABLE kernel interface unavailable"));
        let n = if ids.len() > 1 { ids.len() + 1 } else { 1 };
        assert_eq!(lines.len(), n, "{text}");
    }
}

#[test]
fn keyring_import_json_on_an_unreadable_file() {
    let o = run(&["keyring", "import", "--json", "no/such.asc"], None);
    assert_eq!(o.status.code(), Some(2));
    let v = &json_lines(&o)[0];
    assert_eq!(v["file"], "no/such.asc");
    assert_eq!(v["index"], Value::Null);
    assert_eq!(v["added"], serde_json::json!([]));
    assert_eq!(v["skipped"], serde_json::json!([]));
    assert!(v["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("cannot read no/such.asc")));
}

/// The fingerprints of the primary keys gpg lists in a colon listing.
fn gpg_primaries(colons: &str) -> Vec<String> {
    parse_colons(&std::fs::read_to_string(testdata(colons)).expect("colons"))
        .iter()
        .map(|c| c.keys[0].fingerprint.clone())
        .collect()
}

/// A file with several certificates (testdata/keys/keyring: five, as a
/// binary keyring, one armor block, and five armor blocks): `inspect`
/// lists every one, in gpg's order, one JSON object each, and a text
/// summary; exit 0.
#[test]
fn inspect_lists_every_certificate_of_a_file() {
    let want = gpg_primaries("keys/keyring.colons");
    assert_eq!(want.len(), 5);
    for file in [
        "keys/keyring.pgp",
        "keys/keyring.asc",
        "keys/keyring-multiblock.asc",
    ] {
        let o = run(&["inspect", "--json", file], None);
        assert_eq!(o.status.code(), Some(0), "{file}");
        let got = json_lines(&o);
        let fprs: Vec<&str> = got
            .iter()
            .map(|v| v["primary"]["fingerprint"].as_str().unwrap_or("?"))
            .collect();
        assert_eq!(fprs, want, "{file}");
        for (i, v) in got.iter().enumerate() {
            assert_eq!(v["kind"], "key", "{file}");
            assert_eq!(v["index"].as_u64(), Some(i as u64 + 1), "{file}");
        }
        let o = run(&["inspect", file], None);
        assert_eq!(o.status.code(), Some(0), "{file}");
        let text = stdout(&o);
        assert_eq!(text.matches(": key ").count(), 5, "{file}: {text}");
        assert!(
            text.ends_with(&format!(
                "{file}: 5 certificates, 0 signatures: all parsed\n"
            )),
            "{file}: {text}"
        );
    }
}

/// Distribution-style key files (testdata/distro: text before, between
/// and after the armor blocks, CRLF, one to three blocks): `inspect` lists
/// exactly the certificates `gpg --show-keys` lists, in its order.
#[test]
fn inspect_lists_the_certificates_of_distribution_key_files() {
    let mut files = 0;
    for entry in std::fs::read_dir(testdata("distro")).expect("distro") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("asc") {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let file = format!("distro/{name}");
        let want = gpg_primaries(&format!("distro/{}", name.replace(".asc", ".colons")));
        let o = run(&["inspect", "--json", &file], None);
        assert_eq!(o.status.code(), Some(0), "{file}");
        let got: Vec<String> = json_lines(&o)
            .iter()
            .map(|v| {
                v["primary"]["fingerprint"]
                    .as_str()
                    .unwrap_or("?")
                    .to_owned()
            })
            .collect();
        assert_eq!(got, want, "{file}");
        files += 1;
    }
    assert!(files >= 4, "{files} distribution key files");
}

/// One certificate of a keyring that the parser refuses (a primary key
/// with trailing octets, testdata/negative) is reported as such,
/// the others are still listed, and the exit status is 2.
#[test]
fn inspect_reports_a_refused_certificate_and_goes_on() {
    let mut ring = std::fs::read(testdata("keys/rsa2048.pgp")).expect("read");
    let bad = std::fs::read(testdata("negative/bad-key-trailing-octets.pgp")).expect("read");
    ring.extend_from_slice(&bad);
    ring.extend_from_slice(&std::fs::read(testdata("keys/ed25519.pgp")).expect("read"));
    let o = run(&["inspect", "--json", "-"], Some(&ring));
    assert_eq!(o.status.code(), Some(2));
    let got = json_lines(&o);
    let kinds: Vec<&str> = got
        .iter()
        .map(|v| v["kind"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(kinds, ["key", "error", "key"]);
    assert_eq!(got[1]["index"], 2);
    assert_eq!(got[1]["object"], "certificate");
    assert_eq!(got[1]["file"], "-");
    assert!(got[1]["status"].is_string(), "{}", got[1]);
    let o = run(&["inspect", "-"], Some(&ring));
    assert_eq!(o.status.code(), Some(2));
    let text = stdout(&o);
    assert!(
        text.ends_with("-: 3 certificates, 0 signatures: 1 refused\n"),
        "{text}"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("-: certificate 2: "), "{err}");
}

/// `keyring import` offers every certificate of a file, one add_key call
/// per key with that certificate alone, and reports one JSON object per
/// certificate. Here no kernel takes the keys (the host has no pgp_umd; a
/// thread keyring keeps anything away from the user's keyrings), so every
/// certificate is reported without an added key and the exit status is 1.
#[test]
fn keyring_import_reports_every_certificate() {
    if kernel_present() {
        eprintln!("SKIP: this host runs pgp_umd; the VM tests cover import");
        return;
    }
    let want = gpg_primaries("keys/keyring.colons");
    let o = run(
        &[
            "keyring",
            "import",
            "--keyring",
            "@t",
            "--json",
            "keys/keyring-multiblock.asc",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let got = json_lines(&o);
    assert_eq!(got.len(), 5, "{got:?}");
    for (i, (v, fpr)) in got.iter().zip(&want).enumerate() {
        assert_eq!(v["index"].as_u64(), Some(i as u64 + 1));
        assert_eq!(v["error"], Value::Null, "{v}");
        assert_eq!(v["added"], serde_json::json!([]), "{v}");
        assert!(
            v["key_id"].as_str().is_some_and(|k| fpr.ends_with(k)),
            "{v} vs {fpr}"
        );
    }
    let o = run(
        &["keyring", "import", "--keyring", "@t", "keys/keyring.pgp"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("skipped ")).count(),
        5,
        "{text}"
    );
    assert!(
        text.ends_with(
            "keys/keyring.pgp: 5 certificates: 0 added, 5 without a key the kernel took, 0 refused\n"
        ),
        "{text}"
    );
}

/// The manual pages and completions come from the same definitions as
/// `--help` (docs/install.md): every subcommand has its page, and the exit
/// codes are in the top page.
#[test]
fn manual_pages_and_completions() {
    let dir = std::env::temp_dir().join(format!("pgp-umd-man-{}", std::process::id()));
    let o = run(&["manpages", dir.to_str().expect("utf-8 path")], None);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    for page in [
        "pgp-umd.1",
        "pgp-umd-verify.1",
        "pgp-umd-rpm-verify.1",
        "pgp-umd-inspect.1",
        "pgp-umd-keyring-import.1",
    ] {
        let text =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page}");
        assert!(text.contains("Exit status"), "{page}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell], None);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("rpm-verify"), "{shell}");
    }
}

/// A reader that goes away early (`pgp-umd inspect FILES | head -1`) ends
/// the command with the status of a SIGPIPE death (141), not a panic. The
/// output (the corpus keys ten times over, about 150 KB) is larger than a
/// pipe's buffer, so the command is still writing when the reader closes.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read as _;
    let keys: Vec<String> = std::fs::read_dir(testdata("keys"))
        .expect("testdata/keys")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pgp"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(!keys.is_empty());
    let mut child = Command::new(env!("CARGO_BIN_EXE_pgp-umd"))
        .arg("inspect")
        .arg("--json")
        .args(std::iter::repeat_n(&keys, 10).flatten())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pgp-umd");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).expect("a first byte");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
}
