//! TEST ONLY: the handler with test ops 0xF001..=0xF007 (outside the
//! protocol's ops, see docs/handler.md): they trigger a panic, forbidden
//! system calls or a stall, or report the allocation counter. Used by
//! `handler/tests/sealed.rs`.
#![forbid(unsafe_code)]

use pgp_umd_handler::Hooks;
use pgp_umd_proto::{Reply, RequestHeader};
use umd_runtime::testing::{forbidden_syscall, Forbidden};
use umd_runtime::{BumpArena, OnExhaustion};

#[global_allocator]
static ARENA: BumpArena<{ pgp_umd_handler::ARENA_BYTES }> = BumpArena::new(OnExhaustion::Exit);

/// Panics (the panic hook must exit with status 101, no SIGSYS).
const PANIC: u16 = 0xF001;
/// `openat` → SIGSYS.
const OPEN: u16 = 0xF002;
/// `mmap` → SIGSYS.
const MMAP: u16 = 0xF003;
/// `socket` → SIGSYS.
const SOCKET: u16 = 0xF004;
/// `write(3, ..)` → SIGSYS (fd argument filtering).
const WRITE_FD3: u16 = 0xF005;
/// Never answers: blocks reading stdin until killed.
const STALL: u16 = 0xF006;
/// Answered (status UNKNOWN_OP) with `error_offset` = the number of heap
/// allocations made since the first request: the allocation counter.
const ALLOCATIONS: u16 = 0xF007;

struct TestOps {
    /// Arena allocation count when the first request arrived (after sealing).
    allocations_at_start: Option<usize>,
}

impl Hooks for TestOps {
    fn on_header(&mut self, header: &RequestHeader) {
        self.allocations_at_start
            .get_or_insert(ARENA.stats().allocations);
        match header.op {
            PANIC => panic!("forced panic (test op)"),
            OPEN => forbidden_syscall(Forbidden::Open),
            MMAP => forbidden_syscall(Forbidden::Mmap),
            SOCKET => forbidden_syscall(Forbidden::Socket),
            WRITE_FD3 => forbidden_syscall(Forbidden::WriteOtherFd),
            STALL => umd_runtime::stall(),
            _ => {}
        }
    }

    fn after_reply(&mut self, header: &RequestHeader, _payload: &[u8], reply: &mut Reply) {
        if header.op == ALLOCATIONS {
            // Reported in `error_offset`: allocations since the first request.
            let since = ARENA.stats().allocations - self.allocations_at_start.unwrap_or(0);
            reply.header.error_offset = u32::try_from(since).unwrap_or(u32::MAX);
            reply.header.seq = header.seq;
        }
    }
}

fn main() {
    pgp_umd_handler::run(TestOps {
        allocations_at_start: None,
    })
}
