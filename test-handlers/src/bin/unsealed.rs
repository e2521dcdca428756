//! TEST ONLY: the handler without its seccomp filter
//! (`pgp_umd_loader_unsealed`): built only with this crate's
//! `insecure-skip-seccomp` feature, which umd-runtime reports on stderr.
#![forbid(unsafe_code)]

use umd_runtime::{BumpArena, OnExhaustion};

#[global_allocator]
static ARENA: BumpArena<{ pgp_umd_handler::ARENA_BYTES }> = BumpArena::new(OnExhaustion::Exit);

fn main() {
    pgp_umd_handler::run(pgp_umd_handler::Sealed)
}
