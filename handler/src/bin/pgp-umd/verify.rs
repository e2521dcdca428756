//! `pgp-umd verify`: asks the kernel whether a detached signature is valid
//! over a file with a key from a keyring (the securityfs interface of
//! docs/kernel-api.md). Prints `OK <key id>` or `FAIL <ERRNO> <reason>`.

use crate::rpm_verify::kernel_verify;
use pgp_umd_handler::rpm_check::{errno, key_id_of_issuer, Failure};
use std::path::Path;
use std::process::ExitCode;

/// The errno a failure stands for, by its usual name (for scripts).
fn errno_name(f: &Failure) -> String {
    match f {
        Failure::Invalid => "EINVAL".into(),
        Failure::TooLarge => "EMSGSIZE".into(),
        Failure::Malformed => "EBADMSG".into(),
        Failure::NoKey => "ENOKEY".into(),
        Failure::Rejected => "EKEYREJECTED".into(),
        Failure::Expired => "EKEYEXPIRED".into(),
        Failure::Unsupported => "ENOPKG".into(),
        Failure::HandlerFailed(errno::EIO) => "EIO".into(),
        Failure::HandlerFailed(errno::EPROTO) => "EPROTO".into(),
        Failure::HandlerFailed(errno::ETIMEDOUT) => "ETIMEDOUT".into(),
        Failure::HandlerFailed(e) => format!("E{e}"),
        Failure::NoLoader => "ENOPROTOOPT".into(),
        Failure::Permission => "EPERM".into(),
        Failure::Unavailable(_) => "EUNAVAILABLE".into(),
        Failure::Errno(e) => format!("E{e}"),
    }
}

pub fn run(keyring: i32, signature: &Path, data: &Path) -> ExitCode {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let (sig, data) = match (read(signature), read(data)) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("pgp-umd: {e}");
            return ExitCode::FAILURE;
        }
    };
    match kernel_verify(keyring, &sig, &data) {
        Ok(issuer) => {
            println!("OK {}", key_id_of_issuer(&issuer));
            ExitCode::SUCCESS
        }
        Err(f) => {
            println!("FAIL {} {f:?}", errno_name(&f));
            ExitCode::FAILURE
        }
    }
}
