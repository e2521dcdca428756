//! TEST ONLY: the handler that tells one of the lies of `lies.rs` in every
//! reply (`pgp_umd_loader_lying`).
#![forbid(unsafe_code)]

use pgp_umd_handler::Hooks;
use pgp_umd_proto::{Op, Reply, RequestHeader};
use pgp_umd_test_handlers::lies;
use umd_runtime::{BumpArena, OnExhaustion};

#[global_allocator]
static ARENA: BumpArena<{ pgp_umd_handler::ARENA_BYTES }> = BumpArena::new(OnExhaustion::Exit);

struct Lying;

impl Hooks for Lying {
    fn after_reply(&mut self, header: &RequestHeader, payload: &[u8], reply: &mut Reply) {
        if header.op == Op::ParseSignature.raw() {
            lies::tell_signature(lies::signature_lie_for(payload), reply);
        } else {
            lies::tell(header.seq, payload, reply);
        }
    }
}

fn main() {
    pgp_umd_handler::run(Lying)
}
