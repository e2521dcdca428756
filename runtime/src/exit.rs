//! Process exit without running destructors or atexit handlers: only the
//! `exit_group` system call, which the seccomp filter allows.

use core::sync::atomic::Ordering;

/// Every way a runtime-driven handler ends on its own. The discriminant is
/// the process exit code. A handler killed by the seccomp filter ends by
/// `SIGSYS` instead (shell status 159).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ExitStatus {
    /// End of input at a request boundary: the peer closed the channel.
    Eof = 0,
    /// Setting up the sandbox failed (before the first request was read).
    SetupFailed = 2,
    /// `read` on stdin failed with an error other than `EINTR`.
    ReadError = 3,
    /// `write` on stdout failed (`EPIPE`, ...) or wrote nothing.
    WriteError = 4,
    /// End of input inside a header or a payload.
    Truncated = 5,
    /// The stream cannot be trusted past this header (bad magic/version,
    /// oversized payload). An error reply may have been written first.
    Framing = 6,
    /// The bounded allocator was exhausted (see [`crate::OnExhaustion::Exit`]).
    OutOfMemory = 7,
    /// A test-only forbidden system call returned instead of killing the
    /// process: the filter is not installed.
    NotSealed = 8,
    /// A panic (message on stderr only when stderr is kept).
    Panic = 101,
}

impl ExitStatus {
    /// The process exit code.
    pub const fn code(self) -> i32 {
        self as i32
    }

    /// The status for an exit code, if it is one of ours.
    pub fn from_code(code: i32) -> Option<Self> {
        [
            Self::Eof,
            Self::SetupFailed,
            Self::ReadError,
            Self::WriteError,
            Self::Truncated,
            Self::Framing,
            Self::OutOfMemory,
            Self::NotSealed,
            Self::Panic,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// Ends the process at once with `status` (`_exit`, i.e. `exit_group`).
pub fn exit(status: ExitStatus) -> ! {
    // SAFETY: `_exit` takes a plain integer and never returns; it runs no
    // Rust or C destructors, so no invariant of this process can be observed
    // broken afterwards.
    unsafe { libc::_exit(status.code()) }
}

/// Writes `msg` to stderr if stderr is allowed (see
/// [`crate::SealConfig::allow_stderr`]), then ends the process with `status`.
pub fn fatal(status: ExitStatus, msg: &[u8]) -> ! {
    if crate::seal::STDERR_ALLOWED.load(Ordering::Relaxed) {
        // Best effort: nothing can be done about a failed diagnostic.
        let _ = crate::io::write_all(crate::io::STDERR, msg);
    }
    exit(status)
}
