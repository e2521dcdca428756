//! A tiny UMD handler on umd-runtime, in the shape of the kmod sample UMD:
//! the request is one native-endian u32 offset (no payload), the reply is
//! 128 KiB with the byte at that offset set to 1 and every other byte 0.
//! Offset `u32::MAX` stalls until killed (a test-only request in the real
//! sample); any other offset out of range ends the process (exit status 6).
#![forbid(unsafe_code)]

use umd_runtime::{BumpArena, ExitStatus, Frame, Handler, OnExhaustion, SealConfig, StaticBuf};

const REPLY_LEN: usize = 128 * 1024;

#[global_allocator]
static ARENA: BumpArena<{ 16 * 1024 }> = BumpArena::new(OnExhaustion::Exit);
static HEADER: StaticBuf<4> = StaticBuf::new();
static REPLY: StaticBuf<REPLY_LEN> = StaticBuf::new();

struct Offsets {
    reply: &'static mut [u8; REPLY_LEN],
    last: usize,
}

fn offset(header: &[u8]) -> Option<u32> {
    Some(u32::from_ne_bytes(header.try_into().ok()?))
}

impl Handler for Offsets {
    fn frame(&mut self, header: &[u8]) -> Frame {
        match offset(header) {
            Some(u32::MAX) => umd_runtime::stall(),
            Some(o) if (o as usize) < REPLY_LEN => Frame::Payload(0),
            _ => Frame::Exit,
        }
    }

    fn respond(&mut self, header: &[u8], _payload: &[u8]) -> &[u8] {
        // Clear only the byte set last time: O(1) per request.
        self.reply[self.last] = 0;
        if let Some(o) = offset(header)
            .map(|o| o as usize)
            .filter(|&o| o < REPLY_LEN)
        {
            self.reply[o] = 1;
            self.last = o;
        }
        &self.reply[..]
    }

    fn reserve(&mut self) {
        self.reply.fill(0);
    }
}

fn main() {
    let (Some(header), Some(reply)) = (HEADER.take(), REPLY.take()) else {
        umd_runtime::fatal(ExitStatus::SetupFailed, b"offset_umd: buffers taken\n");
    };
    let mut handler = Offsets { reply, last: 0 };
    umd_runtime::start(
        &SealConfig::default(),
        &mut handler,
        &mut header[..],
        &mut [],
    )
}
