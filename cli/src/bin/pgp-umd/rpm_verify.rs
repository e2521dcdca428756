//! `pgp-umd rpm-verify`: checks the header signature of each RPM package
//! through the kernel's verification interface (docs/kernel-api.md).
//!
//! Everything but the question to the kernel lives in the library
//! (`pgp_umd_cli::rpm`, `pgp_umd_cli::rpm_check`) and is tested on
//! the host; [`kernel_verify`] is the only code that talks to the kernel.

use crate::input::{self, Exit};
use pgp_umd_cli::rpm_check::{
    check_package, parse_details, verify_request, Details, Failure, Report, Scope, Verdict,
    Verifier,
};
use serde_json::json;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The securityfs file that verifies one signature per write.
pub const VERIFY_PATH: &str = "/sys/kernel/security/pgp_umd/verify";

/// Most bytes of the detail line read after a successful write.
const DETAILS_MAX: usize = 512;

/// Asks the kernel whether `signature` (one binary OpenPGP signature packet)
/// is valid over `data` with a key from `keyring`: one write of the request,
/// the write's result mapped to a [`Failure`], then one read of the detail
/// line: the issuer the kernel names and the key that verified.
pub fn kernel_verify(keyring: i32, signature: &[u8], data: &[u8]) -> Result<Details, Failure> {
    verify_at(Path::new(VERIFY_PATH), keyring, signature, data)
}

/// [`kernel_verify`] through the file at `path` (a test uses a plain file).
fn verify_at(path: &Path, keyring: i32, signature: &[u8], data: &[u8]) -> Result<Details, Failure> {
    let request = verify_request(keyring, signature, data)?;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| Failure::Unavailable(format!("{}: {e}", path.display())))?;
    match file.write(&request) {
        Ok(n) if n == request.len() => {}
        Ok(n) => {
            return Err(Failure::Unavailable(format!(
                "short write: {n} of {} bytes",
                request.len()
            )))
        }
        Err(e) => {
            return Err(e
                .raw_os_error()
                .map_or_else(|| Failure::Unavailable(e.to_string()), Failure::from_errno))
        }
    }
    let mut buf = vec![0u8; DETAILS_MAX];
    let n = file
        .read(&mut buf)
        .map_err(|e| Failure::Unavailable(format!("reading the details: {e}")))?;
    let line = String::from_utf8_lossy(buf.get(..n).unwrap_or_default());
    parse_details(&line)
        .ok_or_else(|| Failure::Unavailable(format!("unexpected detail line {line:?}")))
}

/// The kernel, as a [`Verifier`].
struct Kernel {
    keyring: i32,
}

impl Verifier for Kernel {
    fn verify(&mut self, signature: &[u8], data: &[u8]) -> Result<String, Failure> {
        kernel_verify(self.keyring, signature, data).map(|d| d.issuer)
    }
}

/// The JSON object for one package (docs/cli.md).
fn to_json(file: &str, r: &Report) -> serde_json::Value {
    let (key_id, reason) = match &r.verdict {
        Verdict::Ok { key_id } => (Some(key_id.as_str()), None),
        Verdict::Bad(why) | Verdict::Error(why) => (None, Some(why.as_str())),
        Verdict::NoSig => (None, None),
    };
    json!({
        "file": file,
        "verdict": r.verdict.word(),
        "key_id": key_id,
        "reason": reason,
        "checks": r.checks,
    })
}

/// Prints one line per file (with `verbose`, one per check before it); the
/// exit code is 0 when every file is OK, 2 when one could not be checked,
/// 1 otherwise.
pub fn run(
    files: &[PathBuf],
    keyring: &str,
    verbose: bool,
    header_only: bool,
    json: bool,
) -> ExitCode {
    let keyring = match input::keyring(keyring) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("pgp-umd: {e}");
            return ExitCode::from(input::EXIT_ERROR);
        }
    };
    let scope = if header_only {
        Scope::HeaderOnly
    } else {
        Scope::Full
    };
    let mut kernel = Kernel { keyring };
    let mut exit = Exit::default();
    for path in files {
        let file = input::shown(path);
        let report = match input::open(path) {
            Ok(r) => check_package(r, &mut kernel, scope),
            Err(e) => Report {
                checks: vec![],
                verdict: Verdict::Error(format!("cannot open: {e}")),
            },
        };
        match report.verdict {
            Verdict::Ok { .. } => {}
            Verdict::Error(_) => exit.error(),
            Verdict::Bad(_) | Verdict::NoSig => exit.bad(),
        }
        if json {
            outln!("{}", to_json(&file, &report));
            continue;
        }
        if verbose {
            outln!("{file}:");
            for c in &report.checks {
                outln!("    {c}");
            }
        }
        outln!("{file}: {}", report.verdict);
    }
    exit.code()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One write carries the whole request; a file that answers nothing is
    /// reported, not trusted.
    #[test]
    fn one_write_of_the_whole_request() {
        let path = std::env::temp_dir().join(format!("pgp-umd-verify-test-{}", std::process::id()));
        std::fs::write(&path, b"").expect("create");
        let r = verify_at(&path, -4, b"SIG", b"HEADER");
        let written = std::fs::read(&path).expect("read back");
        let _ = std::fs::remove_file(&path);
        assert_eq!(
            written,
            verify_request(-4, b"SIG", b"HEADER").expect("fits")
        );
        assert!(
            matches!(r, Err(Failure::Unavailable(ref m)) if m.contains("unexpected detail line"))
        );
    }

    #[test]
    fn absent_interface() {
        let r = verify_at(Path::new("/nonexistent/pgp_umd/verify"), -4, b"S", b"D");
        assert!(matches!(r, Err(Failure::Unavailable(_))));
    }
}
