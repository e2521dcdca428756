//! TEST ONLY: the handler that misbehaves as `misbehave.rs` says (poison
//! input, bytes after replies), for `pgp_umd_loader_misbehaving`.
#![forbid(unsafe_code)]

use pgp_umd_handler::Hooks;
use pgp_umd_proto::{Op, Reply, Status};
use pgp_umd_test_handlers::misbehave::Misbehaviour;
use umd_runtime::{BumpArena, OnExhaustion};

#[global_allocator]
static ARENA: BumpArena<{ pgp_umd_handler::ARENA_BYTES }> = BumpArena::new(OnExhaustion::Exit);

struct Misbehaving(Misbehaviour);

impl Hooks for Misbehaving {
    fn payload<'a>(&mut self, payload: &'a [u8]) -> &'a [u8] {
        self.0.payload(payload)
    }

    fn trailing(&mut self, reply: &Reply) -> usize {
        let parse_key = reply.header.op == Op::ParseKey.raw();
        let ok = reply.header.status == Status::Ok.raw();
        self.0.trailing(parse_key, ok)
    }
}

fn main() {
    pgp_umd_handler::run(Misbehaving(Misbehaviour::default()))
}
