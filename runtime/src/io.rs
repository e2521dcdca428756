//! Exact framing on raw file descriptors: no buffering, no allocation, and
//! only the `read`/`write` system calls the seccomp filter allows.

use core::fmt;

/// A raw file descriptor number.
pub type Fd = i32;
/// Standard input: requests.
pub const STDIN: Fd = 0;
/// Standard output: replies.
pub const STDOUT: Fd = 1;
/// Standard error: only written when kept.
pub const STDERR: Fd = 2;

/// Why [`read_exact`] could not fill its buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// End of input before the first byte: a clean end of stream.
    Eof,
    /// End of input after `got` bytes (0 < got < wanted).
    Truncated {
        /// Bytes read before the end of input.
        got: usize,
    },
    /// `read` failed with this errno (never `EINTR`, which is retried).
    Os(i32),
}

/// Why [`write_all`] could not write its buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// `write` returned 0 after `written` bytes.
    Zero {
        /// Bytes written before.
        written: usize,
    },
    /// `write` failed with this errno (never `EINTR`, which is retried).
    Os(i32),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Eof => write!(f, "end of input"),
            Self::Truncated { got } => write!(f, "end of input after {got} bytes"),
            Self::Os(e) => write!(f, "read failed: errno {e}"),
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Zero { written } => write!(f, "write returned 0 after {written} bytes"),
            Self::Os(e) => write!(f, "write failed: errno {e}"),
        }
    }
}

impl std::error::Error for ReadError {}
impl std::error::Error for WriteError {}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// One `read` call into `buf`, retried on `EINTR`. `Ok(0)` is end of input
/// (or an empty `buf`).
pub fn read_some(fd: Fd, buf: &mut [u8]) -> Result<usize, ReadError> {
    loop {
        // SAFETY: `buf` is a valid, writable region of `buf.len()` bytes for
        // the duration of the call; the kernel writes at most that many.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n >= 0 {
            // `n` is non-negative and at most `buf.len()`.
            return Ok(n.unsigned_abs());
        }
        match errno() {
            libc::EINTR => continue,
            e => return Err(ReadError::Os(e)),
        }
    }
}

/// Reads exactly `buf.len()` bytes, handling short reads. An empty `buf`
/// reads nothing and succeeds.
pub fn read_exact(fd: Fd, buf: &mut [u8]) -> Result<(), ReadError> {
    let mut got = 0;
    while got < buf.len() {
        match read_some(fd, &mut buf[got..])? {
            0 if got == 0 => return Err(ReadError::Eof),
            0 => return Err(ReadError::Truncated { got }),
            n => got += n,
        }
    }
    Ok(())
}

/// Writes all of `buf`, handling short writes.
pub fn write_all(fd: Fd, buf: &[u8]) -> Result<(), WriteError> {
    let mut written = 0;
    while written < buf.len() {
        let rest = &buf[written..];
        // SAFETY: `rest` is a valid, readable region of `rest.len()` bytes
        // for the duration of the call.
        let n = unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) };
        if n > 0 {
            written += n.unsigned_abs();
        } else if n == 0 {
            return Err(WriteError::Zero { written });
        } else {
            match errno() {
                libc::EINTR => continue,
                e => return Err(WriteError::Os(e)),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::AsRawFd;

    fn pipe() -> (std::fs::File, std::fs::File) {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors `pipe` writes.
        let rc = unsafe { libc::pipe(fds.as_mut_ptr()) };
        assert_eq!(rc, 0);
        use std::os::fd::FromRawFd;
        // SAFETY: both descriptors were just created and are owned by nobody else.
        unsafe {
            (
                std::fs::File::from_raw_fd(fds[0]),
                std::fs::File::from_raw_fd(fds[1]),
            )
        }
    }

    #[test]
    fn short_reads_are_joined() {
        let (r, mut w) = pipe();
        let t = std::thread::spawn(move || {
            for b in 0u8..10 {
                w.write_all(&[b]).expect("write");
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        let mut buf = [0u8; 10];
        read_exact(r.as_raw_fd(), &mut buf).expect("read_exact");
        assert_eq!(buf, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        t.join().expect("join");
        assert_eq!(read_exact(r.as_raw_fd(), &mut buf), Err(ReadError::Eof));
    }

    #[test]
    fn eof_inside_is_truncated() {
        let (r, mut w) = pipe();
        w.write_all(b"abc").expect("write");
        drop(w);
        let mut buf = [0u8; 8];
        assert_eq!(
            read_exact(r.as_raw_fd(), &mut buf),
            Err(ReadError::Truncated { got: 3 })
        );
        assert_eq!(read_exact(r.as_raw_fd(), &mut []), Ok(()));
    }

    #[test]
    fn write_all_large_and_broken_pipe() {
        let (mut r, w) = pipe();
        let data = vec![7u8; 300_000];
        let t = std::thread::spawn(move || {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut r, &mut out).expect("read");
            out
        });
        write_all(w.as_raw_fd(), &data).expect("write_all");
        drop(w);
        assert_eq!(t.join().expect("join"), data);

        let (r, w) = pipe();
        drop(r);
        // The test harness ignores SIGPIPE like every Rust program.
        assert_eq!(
            write_all(w.as_raw_fd(), b"x"),
            Err(WriteError::Os(libc::EPIPE))
        );
        assert_eq!(
            read_some(-1, &mut [0u8; 1]),
            Err(ReadError::Os(libc::EBADF))
        );
    }
}
