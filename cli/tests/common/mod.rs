//! Shared helpers for tests over the committed corpus.
#![allow(dead_code)]

pub mod policy;

use pgp_umd_parser::request::handle;
use pgp_umd_proto::{Op, Reply, RequestHeader, Status};
use std::path::{Path, PathBuf};

pub fn testdata(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(sub)
}

/// Every binary key (`.pgp`) and signature (`.sig`) of the valid corpus,
/// with the op that parses it.
pub fn valid_corpus() -> Vec<(PathBuf, Op)> {
    let mut out = Vec::new();
    for dir in ["keys", "sigs", "v3", "v6"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(testdata(dir))
            .expect("testdata directory")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            match p.extension().and_then(|e| e.to_str()) {
                // Keyrings hold several certificates: one request each.
                Some("pgp") if !p.to_string_lossy().contains("keyring") => {
                    out.push((p, Op::ParseKey))
                }
                Some("sig") => out.push((p, Op::ParseSignature)),
                _ => {}
            }
        }
    }
    assert!(out.len() > 80, "corpus too small: {}", out.len());
    out
}

/// The reply the request function gives for `payload`.
pub fn reply_for(op: Op, seq: u32, payload: &[u8]) -> Box<Reply> {
    let mut reply = Box::new(Reply::zeroed());
    let len = u32::try_from(payload.len()).expect("payload fits u32");
    handle(&RequestHeader::new(op, seq, len), payload, &mut reply);
    reply
}

/// Appends the start of a `kind` record of the reply_check driver
/// (kmod/pgp/user/reply_check_main.c): op, seq and payload, native byte
/// order. The reply in the record's form follows.
pub fn push_case(input: &mut Vec<u8>, kind: u8, op: Op, seq: u32, payload: &[u8]) {
    input.push(kind);
    input.extend_from_slice(&op.raw().to_ne_bytes());
    input.extend_from_slice(&seq.to_ne_bytes());
    input.extend_from_slice(&(payload.len() as u32).to_ne_bytes());
    input.extend_from_slice(payload);
}

/// Appends a 'B' record of the reply_check driver: the case and the reply.
pub fn push_base_record(input: &mut Vec<u8>, op: Op, seq: u32, payload: &[u8], reply: &Reply) {
    use zerocopy::IntoBytes;
    push_case(input, b'B', op, seq, payload);
    input.extend_from_slice(reply.as_bytes());
}

/// Byte ranges of a reply that carry meaning: the header and the used rows.
pub fn meaningful_ranges(reply: &Reply) -> Vec<std::ops::Range<usize>> {
    use zerocopy::IntoBytes;
    let base = reply.as_bytes().as_ptr() as usize;
    let span = |bytes: &[u8]| {
        let start = bytes.as_ptr() as usize - base;
        start..start + bytes.len()
    };
    vec![
        span(reply.header.as_bytes()),
        span(reply.packets().as_bytes()),
        span(reply.keys().as_bytes()),
        span(reply.signatures().as_bytes()),
        span(reply.subpackets().as_bytes()),
    ]
}

/// One row of testdata/negative/manifest.tsv.
pub struct NegativeRow {
    pub file: String,
    pub op: Op,
    /// "malformed" or "incomplete".
    pub class: String,
    /// The status the RFC 9580 rule the input breaks calls for.
    pub expected: Status,
}

/// The negative corpus's manifest, every row.
pub fn negative_manifest() -> Vec<NegativeRow> {
    let text = std::fs::read_to_string(testdata("negative/manifest.tsv")).expect("manifest");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let op = match f[1] {
                "key" => Op::ParseKey,
                "signature" => Op::ParseSignature,
                other => panic!("unknown op {other}"),
            };
            let expected = *Status::ALL
                .iter()
                .find(|s| s.name() == f[3])
                .unwrap_or_else(|| panic!("unknown status {}", f[3]));
            NegativeRow {
                file: f[0].into(),
                op,
                class: f[2].into(),
                expected,
            }
        })
        .collect()
}

/// Every negative-corpus input with the op its manifest names.
pub fn negative_corpus() -> Vec<(PathBuf, Op)> {
    negative_manifest()
        .into_iter()
        .map(|r| (testdata("negative").join(&r.file), r.op))
        .collect()
}

/// Fails, listing them, when a case's line from a C driver does not give
/// the verdict the case expects. `cases` yields (name, expected verdict) in
/// the order the lines in `got` answer them.
pub fn assert_verdicts<'a, W: PartialEq + std::fmt::Debug + 'a>(
    cases: impl ExactSizeIterator<Item = (&'a str, &'a W)>,
    got: &[String],
    verdict: impl Fn(&str) -> W,
) {
    let total = cases.len();
    assert_eq!(got.len(), total);
    let wrong: Vec<String> = cases
        .zip(got)
        .filter(|((_, want), line)| verdict(line) != **want)
        .map(|((name, want), line)| format!("{name}: want {want:?}, got {line}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        total,
        wrong.join("\n")
    );
}

/// One key as gpg's colon listing states it.
#[derive(Debug, PartialEq)]
pub struct ColonKey {
    /// Validity: 'r' revoked, 'e' expired, '-' and others valid here.
    pub validity: char,
    pub bits: u64,
    pub algorithm: u64,
    pub key_id: String,
    pub created: u64,
    /// Lowercase usage letters: this key's own capabilities.
    pub caps: String,
    pub curve: Option<String>,
    pub fingerprint: String,
}

#[derive(Debug, Default)]
pub struct ColonCert {
    pub keys: Vec<ColonKey>,
    pub uids: Vec<String>,
}

/// Undoes gpg's `\xNN` escaping in colon fields.
pub fn unescape(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'x') {
            if let Ok(v) = u8::from_str_radix(&s[i + 2..i + 4], 16) {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn parse_colons(text: &str) -> Vec<ColonCert> {
    let mut certs: Vec<ColonCert> = Vec::new();
    let mut pending: Option<Vec<String>> = None;
    for line in text.lines() {
        let f: Vec<String> = line.split(':').map(str::to_owned).collect();
        match f[0].as_str() {
            "pub" => {
                certs.push(ColonCert::default());
                pending = Some(f);
            }
            "sub" => pending = Some(f),
            "fpr" => {
                let Some(k) = pending.take() else { continue };
                let cert = certs.last_mut().expect("pub before fpr");
                cert.keys.push(ColonKey {
                    validity: k[1].chars().next().unwrap_or('-'),
                    bits: k[2].parse().expect("bits"),
                    algorithm: k[3].parse().expect("algo"),
                    key_id: k[4].clone(),
                    created: k[5].parse().expect("created"),
                    caps: k[11].chars().filter(char::is_ascii_lowercase).collect(),
                    curve: k.get(16).filter(|c| !c.is_empty()).cloned(),
                    fingerprint: f[9].clone(),
                });
            }
            "uid" => certs
                .last_mut()
                .expect("pub before uid")
                .uids
                .push(unescape(&f[9])),
            _ => {}
        }
    }
    certs
}

/// The pure checking code of kmod/pgp that the user-space drivers link.
pub const CHECKING_SOURCES: &[&str] = &[
    "pgp_reply.c",
    "pgp_cert.c",
    "pgp_pubkey.c",
    "pgp_sig.c",
    "pgp_armor.c",
    "pgp_ed25519.c",
];

/// Builds a user-space program from kmod/pgp sources with AddressSanitizer
/// and UBSan, warnings as errors. `sources` are relative to kmod/pgp.
pub fn build_c_program(name: &str, sources: &[&str], libs: &[&str]) -> PathBuf {
    build_c(name, sources, libs, true)
}

/// The same without sanitizers, to run under Valgrind's memcheck.
pub fn build_c_program_plain(name: &str, sources: &[&str], libs: &[&str]) -> PathBuf {
    build_c(name, sources, libs, false)
}

fn build_c(name: &str, sources: &[&str], libs: &[&str], sanitize: bool) -> PathBuf {
    // Tests of one binary run in parallel: each build gets its own file.
    static BUILDS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = std::env::temp_dir().join(format!("pgp-umd-{name}-{}-{n}", std::process::id()));
    let pgp = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kmod/pgp");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let sanitizers: &[&str] = if sanitize {
        &["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    } else {
        &[]
    };
    let status = std::process::Command::new(cc)
        .args(["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror"])
        .args(sanitizers)
        .args(sources.iter().map(|s| pgp.join(s)))
        .args(libs)
        .arg("-o")
        .arg(&out)
        .status()
        .expect("run the C compiler");
    assert!(status.success(), "building {name} failed");
    out
}

/// The bytes of a file, or a panic naming it.
pub fn read_file(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs a C driver built by [`build_c_program`] on `input` (it reads all of
/// its input before answering, so writing first is safe), removes it, and
/// returns the lines it printed. A non-zero exit (a sanitizer report) fails.
pub fn run_c_driver(driver: &Path, input: &[u8]) -> Vec<String> {
    let lines = run_c_driver_env(driver, input, &[]);
    let _ = std::fs::remove_file(driver);
    lines
}

/// Runs a C driver with extra environment variables; keeps the binary.
pub fn run_c_driver_env(driver: &Path, input: &[u8], env: &[(&str, String)]) -> Vec<String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(driver)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", driver.display()));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("feed the C driver");
    let out = child.wait_with_output().expect("C driver output");
    assert!(
        out.status.success(),
        "{} failed (sanitizer report?): {}",
        driver.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Seconds since the epoch, as the kernel's policy sees time.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}
