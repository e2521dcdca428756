//! The one error type of xtask: plain data, printed once by `main`.

use std::fmt;

/// Everything that can make an xtask command fail.
#[derive(Debug)]
pub enum Error {
    /// Bad command line.
    Usage(String),
    /// A file system operation failed.
    Io {
        /// What was being done, with the path.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An external command could not be run or exited unsuccessfully.
    Command {
        /// The command line, for the message.
        command: String,
        /// Exit status or spawn error.
        detail: String,
    },
    /// A package or file the harness needs could not be found.
    NotFound(String),
    /// A step ran but its result is wrong (build warnings, failed tests...).
    Failed(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "usage: {m}"),
            Error::Io { context, source } => write!(f, "{context}: {source}"),
            Error::Command { command, detail } => write!(f, "`{command}` failed: {detail}"),
            Error::NotFound(m) => write!(f, "not found: {m}"),
            Error::Failed(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Attach a context to an I/O error.
pub trait IoContext<T> {
    /// Wrap the error with `context` (usually what was done and the path).
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| Error::Io {
            context: context(),
            source,
        })
    }
}
