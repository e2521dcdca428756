//! Sealing: panic hook, root dropped, no core dumps, non-dumpable, seccomp
//! filter.

use crate::exit::{exit, ExitStatus};
use crate::io::{STDERR, STDIN, STDOUT};
use core::fmt;
use core::sync::atomic::{AtomicBool, Ordering};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule,
};
use std::collections::BTreeMap;

/// Whether diagnostics may be written to fd 2. True until [`seal`] installs
/// a filter that does not allow it.
pub(crate) static STDERR_ALLOWED: AtomicBool = AtomicBool::new(true);

/// The fixed message the panic hook writes (only when stderr is kept).
pub const PANIC_MESSAGE: &[u8] = b"umd-runtime: handler panicked\n";

/// How to seal the process.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SealConfig {
    /// Also allow `write` on fd 2, for the fixed diagnostics of the panic
    /// hook and [`crate::fatal`]. Off by default: a UMD's stderr goes nowhere
    /// useful, and every allowed call is one more a compromised handler has.
    pub allow_stderr: bool,
}

/// The uid and gid a handler started as root switches to: the overflow ids
/// ("nobody", "nogroup"), the ids the kernel's umd_mgmt checks for
/// (`UMD_HANDLER_ID` in kmod/umd/umd_core.h).
pub const UNPRIVILEGED_ID: u32 = 65534;

/// Why [`seal`] failed. The process must not serve requests then.
#[derive(Debug)]
pub enum SealError {
    /// Leaving root failed: the call (`setgroups`, `setresgid`,
    /// `PR_CAPBSET_DROP`, `setresuid`) and its errno.
    DropRoot(&'static str, i32),
    /// `setrlimit(RLIMIT_CORE, 0)` failed with this errno.
    CoreLimit(i32),
    /// `prctl(PR_SET_DUMPABLE, 0)` failed with this errno.
    Dumpable(i32),
    /// Building or compiling the seccomp filter failed.
    Filter(seccompiler::BackendError),
    /// Installing the seccomp filter failed.
    Install(seccompiler::Error),
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CoreLimit(e) => write!(f, "setrlimit(RLIMIT_CORE): errno {e}"),
            Self::DropRoot(call, e) => write!(f, "leaving root: {call}: errno {e}"),
            Self::Dumpable(e) => write!(f, "prctl(PR_SET_DUMPABLE): errno {e}"),
            Self::Filter(e) => write!(f, "building the seccomp filter: {e}"),
            Self::Install(e) => write!(f, "installing the seccomp filter: {e}"),
        }
    }
}

impl std::error::Error for SealError {}

impl SealError {
    /// A fixed one-line message naming the failed step (no formatting code).
    pub fn fixed_message(&self) -> &'static [u8] {
        match self {
            Self::CoreLimit(_) => b"umd-runtime: sealing failed: setrlimit(RLIMIT_CORE)\n",
            Self::DropRoot(..) => b"umd-runtime: sealing failed: leaving root\n",
            Self::Dumpable(_) => b"umd-runtime: sealing failed: prctl(PR_SET_DUMPABLE)\n",
            Self::Filter(_) => b"umd-runtime: sealing failed: building the seccomp filter\n",
            Self::Install(_) => b"umd-runtime: sealing failed: installing the seccomp filter\n",
        }
    }
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Replaces the panic hook with one that writes [`PANIC_MESSAGE`] to fd 2 if
/// stderr is kept, then `_exit`s with [`ExitStatus::Panic`]. It formats
/// nothing, takes no backtrace and ignores `RUST_BACKTRACE`, so a panic after
/// sealing makes no system call but `write(2)` and `exit_group`.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|_| {
        if STDERR_ALLOWED.load(Ordering::Relaxed) {
            let _ = crate::io::write_all(STDERR, PANIC_MESSAGE);
        }
        exit(ExitStatus::Panic)
    }));
}

/// Highest capability number tried by [`drop_root`]: the bounding set has
/// one bit per capability of a 64-bit mask.
const MAX_CAP: libc::c_ulong = 63;

/// If the process runs as root (a UMD: the kernel's usermode helper starts
/// it as uid 0 with only `CAP_SETUID`, `CAP_SETGID` and `CAP_SETPCAP`), it
/// becomes [`UNPRIVILEGED_ID`] for good: no supplementary groups, every gid
/// and uid that id, an empty bounding set; the last step (every uid
/// non-zero) empties the permitted, effective and ambient sets. Done with
/// the system calls, not by the kernel in the helper's credentials, so the
/// kernel's per-user process count moves with the uid. A process not
/// running as root is left alone (tests run the handler as any user).
fn drop_root() -> Result<(), SealError> {
    let id = UNPRIVILEGED_ID;
    // SAFETY: geteuid has no arguments and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(());
    }
    // SAFETY: an empty list: no memory is read.
    if unsafe { libc::setgroups(0, core::ptr::null()) } != 0 {
        return Err(SealError::DropRoot("setgroups", errno()));
    }
    // SAFETY: integer arguments only.
    if unsafe { libc::setresgid(id, id, id) } != 0 {
        return Err(SealError::DropRoot("setresgid", errno()));
    }
    for cap in 0..=MAX_CAP {
        // SAFETY: PR_CAPBSET_DROP takes an integer argument.
        if unsafe { libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) } != 0 {
            let e = errno();
            if e == libc::EINVAL {
                break; // past the kernel's last capability
            }
            return Err(SealError::DropRoot("prctl(PR_CAPBSET_DROP)", e));
        }
    }
    // SAFETY: integer arguments only.
    if unsafe { libc::setresuid(id, id, id) } != 0 {
        return Err(SealError::DropRoot("setresuid", errno()));
    }
    Ok(())
}

fn limit_core() -> Result<(), SealError> {
    let zero = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `zero` is a valid rlimit that outlives the call.
    if unsafe { libc::setrlimit(libc::RLIMIT_CORE, &zero) } != 0 {
        return Err(SealError::CoreLimit(errno()));
    }
    Ok(())
}

fn set_nondumpable() -> Result<(), SealError> {
    // SAFETY: PR_SET_DUMPABLE takes an integer argument; no memory is passed.
    if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } != 0 {
        return Err(SealError::Dumpable(errno()));
    }
    Ok(())
}

fn fd_is(fd: i32) -> Result<SeccompRule, SealError> {
    let fd = u64::try_from(fd).unwrap_or(u64::MAX);
    let cond = SeccompCondition::new(0, SeccompCmpArgLen::Qword, SeccompCmpOp::Eq, fd)
        .map_err(SealError::Filter)?;
    SeccompRule::new(vec![cond]).map_err(SealError::Filter)
}

/// The filter: `read(0, ..)`, `write(1, ..)`, `write(2, ..)` if
/// `allow_stderr`, `exit_group`; every other call (or another fd, or another
/// architecture/ABI) kills the process.
pub fn filter_program(cfg: &SealConfig) -> Result<BpfProgram, SealError> {
    let mut write_rules = vec![fd_is(STDOUT)?];
    if cfg.allow_stderr {
        write_rules.push(fd_is(STDERR)?);
    }
    let rules: BTreeMap<i64, Vec<SeccompRule>> = [
        (libc::SYS_read, vec![fd_is(STDIN)?]),
        (libc::SYS_write, write_rules),
        (libc::SYS_exit_group, vec![]),
    ]
    .into_iter()
    .collect();
    let arch = std::env::consts::ARCH
        .try_into()
        .map_err(|e| SealError::Install(seccompiler::Error::Backend(e)))?;
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::KillProcess,
        SeccompAction::Allow,
        arch,
    )
    .map_err(SealError::Filter)?;
    filter.try_into().map_err(SealError::Filter)
}

/// Seals the process, in this order: panic hook ([`install_panic_hook`]),
/// root left for [`UNPRIVILEGED_ID`] if it runs as root ([`drop_root`]),
/// `RLIMIT_CORE = 0`, `PR_SET_DUMPABLE = 0` (exec resets it, so the handler
/// sets it itself), then the seccomp filter ([`filter_program`]), installed
/// with `PR_SET_NO_NEW_PRIVS`. Reserve all memory before calling this: after
/// it, `brk`/`mmap` kill the process.
///
/// With the cargo feature `insecure-skip-seccomp` the filter is skipped and a
/// warning is written to stderr (debugging only, never a default).
pub fn seal(cfg: &SealConfig) -> Result<(), SealError> {
    install_panic_hook();
    drop_root()?;
    limit_core()?;
    set_nondumpable()?;
    if cfg!(feature = "insecure-skip-seccomp") {
        let _ = crate::io::write_all(
            STDERR,
            b"umd-runtime: WARNING: seccomp filter skipped (insecure-skip-seccomp)\n",
        );
        return Ok(());
    }
    let program = filter_program(cfg)?;
    STDERR_ALLOWED.store(cfg.allow_stderr, Ordering::Relaxed);
    let installed = seccompiler::apply_filter(&program);
    // Freeing the program after the filter could reach munmap/brk: keep it.
    core::mem::forget(program);
    if let Err(e) = installed {
        STDERR_ALLOWED.store(true, Ordering::Relaxed);
        return Err(SealError::Install(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_builds_and_is_small() {
        let p = filter_program(&SealConfig::default()).expect("program");
        let q = filter_program(&SealConfig { allow_stderr: true }).expect("program");
        assert!(!p.is_empty() && p.len() < q.len() && q.len() < 64);
    }
}
