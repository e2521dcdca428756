//! Standard output of the commands. `println!` panics when the reader has
//! gone (`pgp-umd inspect FILE | head -1`); a tool in a pipeline should stop
//! quietly instead, with the status shells see when a process dies of
//! SIGPIPE.

use std::fmt;
use std::io::{self, Write};

/// Exit status after a write to a closed pipe: 128 + SIGPIPE (13).
pub const EXIT_BROKEN_PIPE: i32 = 141;

/// Writes one line (what `outln!` formats) to standard output.
pub fn line(args: fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_BROKEN_PIPE);
        }
        eprintln!("pgp-umd: standard output: {e}");
        std::process::exit(2);
    }
}
