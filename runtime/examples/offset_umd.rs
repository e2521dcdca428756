//! A tiny UMD handler on umd-runtime, in the shape of the kmod sample UMD:
//! the request is one native-endian u32 offset (no payload), the reply is
//! 128 KiB with the byte at that offset set to 1 and every other byte 0.
//! Offset `u32::MAX` stalls until killed (a test-only request in the real
//! sample); any other offset out of range ends the process (exit status 6).
//! It uses the closure form, [`umd_runtime::FnHandler`]; the pgp handler
//! implements [`umd_runtime::Handler`] directly.
#![forbid(unsafe_code)]

use umd_runtime::{BumpArena, ExitStatus, FnHandler, Frame, OnExhaustion, SealConfig, StaticBuf};

const REPLY_LEN: usize = 128 * 1024;

#[global_allocator]
static ARENA: BumpArena<{ 16 * 1024 }> = BumpArena::new(OnExhaustion::Exit);
static HEADER: StaticBuf<4> = StaticBuf::new();
static REPLY: StaticBuf<REPLY_LEN> = StaticBuf::new();

fn offset(header: &[u8]) -> Option<usize> {
    let o = u32::from_ne_bytes(header.try_into().ok()?);
    usize::try_from(o).ok()
}

fn main() {
    let (Some(header), Some(reply)) = (HEADER.take(), REPLY.take()) else {
        umd_runtime::fatal(ExitStatus::SetupFailed, b"offset_umd: buffers taken\n");
    };
    let mut last = 0;
    let mut handler = FnHandler {
        frame: |h: &[u8]| match offset(h) {
            Some(o) if o == u32::MAX as usize => umd_runtime::stall(),
            Some(o) if o < REPLY_LEN => Frame::Payload(0),
            _ => Frame::Exit,
        },
        respond: |h: &[u8], _payload: &[u8], reply: &mut [u8]| {
            // Clear only the byte set last time: O(1) per request.
            reply[last] = 0;
            if let Some(o) = offset(h).filter(|&o| o < reply.len()) {
                reply[o] = 1;
                last = o;
            }
            reply.len()
        },
        reply: &mut reply[..],
    };
    umd_runtime::start(
        &SealConfig::default(),
        &mut handler,
        &mut header[..],
        &mut [],
    )
}
