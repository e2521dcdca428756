//! Test-only helpers (cargo feature `test-ops`): system calls the filter
//! forbids, to prove that it kills the process. Never in a release blob.

use crate::exit::{exit, ExitStatus};

/// A system call the seccomp filter must refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forbidden {
    /// `openat(AT_FDCWD, "/etc/passwd", O_RDONLY)`.
    Open,
    /// An anonymous private `mmap` of one page.
    Mmap,
    /// `socket(AF_INET, SOCK_STREAM, 0)`.
    Socket,
    /// `write(3, ..)`: an allowed call on a forbidden fd.
    WriteOtherFd,
}

/// Makes the forbidden call. Under the filter it never returns (SIGSYS);
/// without it, exits with [`ExitStatus::NotSealed`].
pub fn forbidden_syscall(which: Forbidden) -> ! {
    match which {
        Forbidden::Open => {
            // SAFETY: the path is a valid NUL-terminated string; the result is ignored.
            let _ = unsafe { libc::open(c"/etc/passwd".as_ptr(), libc::O_RDONLY) };
        }
        Forbidden::Mmap => {
            // SAFETY: an anonymous mapping with a null hint touches no existing memory.
            let _ = unsafe {
                libc::mmap(
                    core::ptr::null_mut(),
                    4096,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
        }
        Forbidden::Socket => {
            // SAFETY: plain integer arguments; the result is ignored.
            let _ = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0) };
        }
        Forbidden::WriteOtherFd => {
            let _ = crate::io::write_all(3, b"x");
        }
    }
    exit(ExitStatus::NotSealed)
}
