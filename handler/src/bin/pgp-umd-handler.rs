//! The pgp-umd user mode driver handler: the program the kernel starts from
//! the blob in the loader module (`pgp_umd_loader`). The request loop and
//! its framing rules are in the library (`src/lib.rs`); this binary runs
//! them without any test hook.
#![forbid(unsafe_code)]

use umd_runtime::{BumpArena, OnExhaustion};

#[global_allocator]
static ARENA: BumpArena<{ pgp_umd_handler::ARENA_BYTES }> = BumpArena::new(OnExhaustion::Exit);

fn main() {
    pgp_umd_handler::run(pgp_umd_handler::Sealed)
}
