//! Sealed runtime for user mode driver (UMD) handlers.
//!
//! A UMD handler is a small static program that a kernel module starts from a
//! blob and talks to over stdin (requests) and stdout (replies). This crate is
//! everything such a handler needs besides its own request function:
//!
//! - [`seal`]: panic hook that only writes a fixed message and `_exit`s,
//!   root left for uid/gid [`UNPRIVILEGED_ID`] (when started as root, as the
//!   kernel starts a UMD), `RLIMIT_CORE = 0`, `PR_SET_DUMPABLE = 0`, then a seccomp filter allowing
//!   only `read(0, ..)`, `write(1, ..)` (optionally `write(2, ..)`) and
//!   `exit_group`; anything else kills the process with `SIGSYS`.
//! - [`StaticBuf`]: take-once buffers in `.bss` for the request and reply, so
//!   all memory is reserved at start; [`BumpArena`]: a bounded
//!   `#[global_allocator]` over a static buffer that never calls brk/mmap.
//! - [`io`]: exact framing helpers on raw file descriptors.
//! - [`serve`] / [`start`]: the request loop, generic over a [`Handler`] that
//!   decides the payload length from a fixed-size header and answers with
//!   reply bytes. Request buffers are zeroized after every request.
//! - [`ExitStatus`]: every way the process ends, with a stable exit code.
//!
//! This is the only crate of the project with `unsafe` code; every block
//! carries a `SAFETY:` comment.
//!
//! The debug switch: building with the cargo feature `insecure-skip-seccomp`
//! makes [`seal`] skip the seccomp filter (and say so on stderr). It is never
//! a default feature and must never be used for a blob the kernel loads.
#![allow(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

mod arena;
mod buf;
mod exit;
pub mod io;
mod seal;
mod serve;
#[cfg(feature = "test-ops")]
pub mod testing;

pub use arena::{ArenaStats, BumpArena, OnExhaustion};
pub use buf::StaticBuf;
pub use exit::{exit, fatal, ExitStatus};
pub use seal::{install_panic_hook, seal, SealConfig, SealError, UNPRIVILEGED_ID};
pub use serve::{serve, serve_one, start, FnHandler, Frame, Handler};

/// Blocks forever without answering: reads and discards stdin (the only
/// blocking call the filter allows) until the peer closes it, then spins.
/// Used by test-only "stall until killed" requests; only with the
/// `test-ops` feature, never in a production handler.
#[cfg(feature = "test-ops")]
pub fn stall() -> ! {
    let mut scratch = [0u8; 256];
    loop {
        match io::read_some(io::STDIN, &mut scratch) {
            Ok(0) | Err(_) => loop {
                core::hint::spin_loop();
            },
            Ok(_) => {}
        }
    }
}
