//! The pgp-umd user mode driver handler: the request loop the kernel's blob
//! runs. It speaks only the pgp-umd protocol on stdin/stdout, sealed by
//! `umd-runtime` (see docs/handler.md), and answers with the parser of
//! `pgp-umd-parser`.
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
//! The sealed binary (`src/bin/pgp-umd-handler.rs`) runs [`run`] with
//! [`Sealed`], which changes nothing. The test handlers of
//! `test-handlers/` (lying, misbehaving, test ops, unsealed) run the same
//! loop with their own [`Hooks`]; none of them is part of this crate.
#![forbid(unsafe_code)]

use pgp_umd_parser::request;
use pgp_umd_parser::zerocopy::FromBytes;
use pgp_umd_proto::{
    Reply, RequestHeader, ShortReply, Status, MAGIC, MAX_PAYLOAD, REPLY_SIZE, REQUEST_HEADER_SIZE,
    SHORT_REPLY_SIZE, VERSION,
};
use umd_runtime::{ExitStatus, Frame, Handler, SealConfig, StaticBuf};

/// Size of the bump arena each handler binary installs as its global
/// allocator. The handler allocates nothing itself; the arena only serves
/// std's start-up allocations, so an allocation after sealing can never
/// reach brk/mmap.
pub const ARENA_BYTES: usize = 64 * 1024;

const MAX_PAYLOAD_BYTES: usize = MAX_PAYLOAD as usize;
static HEADER: StaticBuf<REQUEST_HEADER_SIZE> = StaticBuf::new();
static PAYLOAD: StaticBuf<MAX_PAYLOAD_BYTES> = StaticBuf::new();
static REPLY: StaticBuf<REPLY_SIZE> = StaticBuf::new();
static PACKED_REPLY: StaticBuf<REPLY_SIZE> = StaticBuf::new();
static SHORT_REPLY: StaticBuf<SHORT_REPLY_SIZE> = StaticBuf::new();

/// Where a test handler may change what the handler does. Every method's
/// default changes nothing; the sealed binary uses only the defaults
/// ([`Sealed`]).
pub trait Hooks {
    /// Called with every header in this version's layout (right magic and
    /// version) before its framing is decided.
    fn on_header(&mut self, _header: &RequestHeader) {}
    /// The payload the parser is given.
    fn payload<'a>(&mut self, payload: &'a [u8]) -> &'a [u8] {
        payload
    }
    /// Called after the parser wrote `reply`, before it is encoded.
    fn after_reply(&mut self, _header: &RequestHeader, _payload: &[u8], _reply: &mut Reply) {}
    /// How many bytes to send after the encoded reply.
    fn trailing(&mut self, _reply: &Reply) -> usize {
        0
    }
}

/// The hooks of the sealed handler: none.
pub struct Sealed;

impl Hooks for Sealed {}

struct PgpHandler<H> {
    /// Where the parser writes.
    reply: &'static mut Reply,
    /// The packed form sent for PARSE_KEY.
    packed: &'static mut [u8; REPLY_SIZE],
    /// The short form sent for every other op.
    short: &'static mut ShortReply,
    hooks: H,
}

fn parse_header(header: &[u8]) -> Option<RequestHeader> {
    RequestHeader::read_from_bytes(header).ok()
}

impl<H: Hooks> Handler for PgpHandler<H> {
    fn frame(&mut self, header: &[u8]) -> Frame {
        let Some(h) = parse_header(header) else {
            return Frame::Exit;
        };
        if h.magic == MAGIC && h.version == VERSION {
            self.hooks.on_header(&h);
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
        let payload = self.hooks.payload(payload);
        match parse_header(header) {
            Some(h) => {
                request::handle(&h, payload, self.reply);
                self.hooks.after_reply(&h, payload, self.reply);
            }
            None => request::handle_bytes(header, self.reply),
        }
        let extra = self.hooks.trailing(self.reply);
        if extra > 0 {
            let len = request::encode(self.reply, self.packed, self.short).len();
            return self.packed.get(..len + extra).unwrap_or(&self.packed[..]);
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

/// Takes the static buffers, seals the process and serves requests until
/// the kernel closes stdin (see the framing decisions above).
pub fn run<H: Hooks>(hooks: H) -> ! {
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
        hooks,
    };
    umd_runtime::start(
        &SealConfig::default(),
        &mut handler,
        &mut header[..],
        &mut payload[..],
    )
}
