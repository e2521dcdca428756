//! The pgp-umd user mode driver handler: the program the kernel starts from
//! the blob in the loader module. It speaks only the pgp-umd protocol on
//! stdin/stdout, sealed by `umd-runtime` (see docs/handler.md).
//!
//! Framing decisions, from the header alone:
//! - magic, version, op, flags and length all good: read the payload, answer.
//! - unknown op, or non-zero flags/reserved, with a length within
//!   `MAX_PAYLOAD`: the header is still in this version's layout, so the
//!   length is trusted: read and discard the payload, answer `UNKNOWN_OP` /
//!   `BAD_FLAGS`, go on.
//! - bad magic, bad version, or a length over `MAX_PAYLOAD`: the stream
//!   cannot be trusted (no known place where the next request starts, and an
//!   oversized payload is not drained): answer `BAD_MAGIC` / `BAD_VERSION` /
//!   `PAYLOAD_TOO_LARGE` (or `UNKNOWN_OP` when the op is also unknown) and exit
//!   with status 6.
//! - end of input inside a payload: answer `TRUNCATED`, exit with status 5;
//!   inside a header: exit with status 5; between requests: exit 0.
//!
//! With the `test-ops` feature, ops 0xF001..=0xF007 (outside the protocol's
//! ops, see docs/handler.md) trigger a panic, forbidden system calls or a stall.
#![forbid(unsafe_code)]

use pgp_umd_handler::request;
use pgp_umd_proto::{
    Reply, RequestHeader, ShortReply, Status, MAGIC, MAX_PAYLOAD, REPLY_SIZE, REQUEST_HEADER_SIZE,
    SHORT_REPLY_SIZE, VERSION,
};
use umd_runtime::{BumpArena, ExitStatus, Frame, Handler, OnExhaustion, SealConfig, StaticBuf};
use zerocopy::FromBytes;

/// The handler allocates nothing itself; this only serves std's start-up
/// allocations, so an allocation after sealing can never reach brk/mmap.
#[global_allocator]
static ARENA: BumpArena<{ 64 * 1024 }> = BumpArena::new(OnExhaustion::Exit);

const MAX_PAYLOAD_BYTES: usize = MAX_PAYLOAD as usize;
static HEADER: StaticBuf<REQUEST_HEADER_SIZE> = StaticBuf::new();
static PAYLOAD: StaticBuf<MAX_PAYLOAD_BYTES> = StaticBuf::new();
static REPLY: StaticBuf<REPLY_SIZE> = StaticBuf::new();
static PACKED_REPLY: StaticBuf<REPLY_SIZE> = StaticBuf::new();
static SHORT_REPLY: StaticBuf<SHORT_REPLY_SIZE> = StaticBuf::new();

struct PgpHandler {
    /// Where the parser writes.
    reply: &'static mut Reply,
    /// The packed form sent for PARSE_KEY.
    packed: &'static mut [u8; REPLY_SIZE],
    /// The short form sent for every other op.
    short: &'static mut ShortReply,
    /// Arena allocation count when the first request arrived (after sealing).
    #[cfg(feature = "test-ops")]
    allocations_at_start: Option<usize>,
    /// What the test-only misbehaving build does wrong.
    #[cfg(feature = "misbehaving-handler")]
    misbehaviour: pgp_umd_handler::misbehave::Misbehaviour,
}

fn parse_header(header: &[u8]) -> Option<RequestHeader> {
    RequestHeader::read_from_bytes(header).ok()
}

impl Handler for PgpHandler {
    fn frame(&mut self, header: &[u8]) -> Frame {
        let Some(h) = parse_header(header) else {
            return Frame::Exit;
        };
        #[cfg(feature = "test-ops")]
        if h.magic == MAGIC && h.version == VERSION {
            self.allocations_at_start
                .get_or_insert(ARENA.stats().allocations);
            test_ops::run(h.op);
        }
        match request::check_header(&h) {
            _ if h.magic != MAGIC || h.version != VERSION => Frame::ReplyAndExit,
            _ if h.payload_len > MAX_PAYLOAD => Frame::ReplyAndExit,
            Ok(_) | Err(Status::UnknownOp | Status::BadFlags) => {
                Frame::Payload(h.payload_len as usize)
            }
            Err(_) => Frame::ReplyAndExit,
        }
    }

    fn respond(&mut self, header: &[u8], payload: &[u8]) -> &[u8] {
        #[cfg(feature = "misbehaving-handler")]
        let payload = self.misbehaviour.payload(payload);
        match parse_header(header) {
            Some(h) => request::handle(&h, payload, self.reply),
            None => request::handle_bytes(header, self.reply),
        }
        #[cfg(feature = "test-ops")]
        if let Some(h) = parse_header(header).filter(|h| h.op == test_ops::ALLOCATIONS) {
            // Reported in `error_offset`: allocations since the first request.
            let since = ARENA.stats().allocations - self.allocations_at_start.unwrap_or(0);
            self.reply.header.error_offset = u32::try_from(since).unwrap_or(u32::MAX);
            self.reply.header.seq = h.seq;
        }
        #[cfg(feature = "lying-handler")]
        if let Some(h) = parse_header(header) {
            use pgp_umd_handler::lies;
            if h.op == pgp_umd_proto::Op::ParseSignature.raw() {
                lies::tell_signature(lies::signature_lie_for(payload), self.reply);
            } else {
                lies::tell(h.seq, payload, self.reply);
            }
        }
        #[cfg(feature = "misbehaving-handler")]
        {
            let parse_key = self.reply.header.op == pgp_umd_proto::Op::ParseKey.raw();
            let ok = self.reply.header.status == pgp_umd_proto::Status::Ok.raw();
            let extra = self.misbehaviour.trailing(parse_key, ok);
            let len = request::encode(self.reply, self.packed, self.short).len();
            if extra > 0 {
                return self.packed.get(..len + extra).unwrap_or(&self.packed[..]);
            }
        }
        request::encode(self.reply, self.packed, self.short)
    }

    fn truncated(&mut self, header: &[u8], payload: &[u8]) -> Option<&[u8]> {
        // `handle` answers TRUNCATED when the payload is shorter than announced.
        Some(self.respond(header, payload))
    }

    fn reserve(&mut self) {
        self.reply.clear();
        self.packed.fill(0);
        self.short.clear();
    }
}

#[cfg(feature = "test-ops")]
mod test_ops {
    use umd_runtime::testing::{forbidden_syscall, Forbidden};

    /// Panics (the panic hook must exit with status 101, no SIGSYS).
    pub const PANIC: u16 = 0xF001;
    /// `openat` → SIGSYS.
    pub const OPEN: u16 = 0xF002;
    /// `mmap` → SIGSYS.
    pub const MMAP: u16 = 0xF003;
    /// `socket` → SIGSYS.
    pub const SOCKET: u16 = 0xF004;
    /// `write(3, ..)` → SIGSYS (fd argument filtering).
    pub const WRITE_FD3: u16 = 0xF005;
    /// Never answers: blocks reading stdin until killed.
    pub const STALL: u16 = 0xF006;
    /// Answered (status UNKNOWN_OP) with `error_offset` = the number of heap
    /// allocations made since the first request: the allocation counter.
    pub const ALLOCATIONS: u16 = 0xF007;

    pub fn run(op: u16) {
        match op {
            PANIC => panic!("forced panic (test op)"),
            OPEN => forbidden_syscall(Forbidden::Open),
            MMAP => forbidden_syscall(Forbidden::Mmap),
            SOCKET => forbidden_syscall(Forbidden::Socket),
            WRITE_FD3 => forbidden_syscall(Forbidden::WriteOtherFd),
            STALL => umd_runtime::stall(),
            _ => {}
        }
    }
}

fn main() {
    let (Some(header), Some(payload), Some(reply), Some(packed), Some(short)) = (
        HEADER.take(),
        PAYLOAD.take(),
        REPLY.take(),
        PACKED_REPLY.take(),
        SHORT_REPLY.take(),
    ) else {
        umd_runtime::fatal(ExitStatus::SetupFailed, b"pgp-umd-handler: buffers taken\n");
    };
    let (Ok(reply), Ok(short)) = (
        Reply::mut_from_bytes(&mut reply[..]),
        ShortReply::mut_from_bytes(&mut short[..]),
    ) else {
        umd_runtime::fatal(ExitStatus::SetupFailed, b"pgp-umd-handler: reply layout\n");
    };
    let mut handler = PgpHandler {
        reply,
        packed,
        short,
        #[cfg(feature = "test-ops")]
        allocations_at_start: None,
        #[cfg(feature = "misbehaving-handler")]
        misbehaviour: Default::default(),
    };
    umd_runtime::start(
        &SealConfig::default(),
        &mut handler,
        &mut header[..],
        &mut payload[..],
    )
}
