//! The sample UMD's handler (kmod/sample): the kernel sends one native-endian
//! u32 offset, the handler answers with 128 KiB in which the byte at that
//! offset is 1 and every other byte 0. It is built static
//! (`runtime/build-static.sh sample-umd-handler sample_umd`) and embedded in
//! `sample_umd_loader.ko`.
//!
//! Any offset outside [0, 128 KiB) ends the process without an answer
//! (framing error, exit status 6): the manager never sends one.
//!
//! With the cargo feature `test-ops` (the blob of
//! `sample_umd_loader_test.ko`, never the sample's own blob) two more
//! requests exist, for the VM tests:
//! - `0xFFFFFFFF` stalls until the handler is killed (a handler that never
//!   answers);
//! - `0xFFFFFFFE` is followed by [`BIG_IN`] payload bytes and answered with
//!   the last [`BIG_OUT`] of them: the sizes of the PGP UMD's largest request
//!   (24-byte header + 128 KiB payload) and of its reply, so the kernel side
//!   is tested with exactly those.
//!
//! Everything else (sealing, static buffers, framing, the loop) is
//! `umd-runtime`; see docs/handler.md and docs/umd_mgmt.md.
#![forbid(unsafe_code)]

use umd_runtime::{BumpArena, ExitStatus, FnHandler, Frame, OnExhaustion, SealConfig, StaticBuf};

/// Reply size: 128 KiB, twice a pipe's default capacity, so the kernel side
/// must read it in pieces.
const REPLY_LEN: usize = 128 * 1024;
/// The test-only "stall until killed" request.
#[cfg(feature = "test-ops")]
const STALL: u32 = u32::MAX;
/// The test-only "big" request.
#[cfg(feature = "test-ops")]
const BIG: u32 = u32::MAX - 1;
/// Payload of the big request: a PGP UMD request header and the largest payload.
#[cfg(feature = "test-ops")]
const BIG_IN: usize = 24 + 1024 * 1024 - 1;
/// Reply to the big request: the size of the PGP UMD's reply.
#[cfg(feature = "test-ops")]
const BIG_OUT: usize = 58_144;
#[cfg(feature = "test-ops")]
const PAYLOAD_LEN: usize = BIG_IN;
#[cfg(not(feature = "test-ops"))]
const PAYLOAD_LEN: usize = 0;

#[global_allocator]
static ARENA: BumpArena<{ 16 * 1024 }> = BumpArena::new(OnExhaustion::Exit);
static HEADER: StaticBuf<4> = StaticBuf::new();
static PAYLOAD: StaticBuf<PAYLOAD_LEN> = StaticBuf::new();
static REPLY: StaticBuf<REPLY_LEN> = StaticBuf::new();

fn request(header: &[u8]) -> Option<u32> {
    Some(u32::from_ne_bytes(header.try_into().ok()?))
}

fn offset(header: &[u8]) -> Option<usize> {
    request(header)
        .and_then(|o| usize::try_from(o).ok())
        .filter(|&o| o < REPLY_LEN)
}

fn frame(header: &[u8]) -> Frame {
    #[cfg(feature = "test-ops")]
    match request(header) {
        Some(STALL) => umd_runtime::stall(),
        Some(BIG) => return Frame::Payload(BIG_IN),
        _ => {}
    }
    match offset(header) {
        Some(_) => Frame::Payload(0),
        None => Frame::Exit,
    }
}

fn main() {
    let (Some(header), Some(payload), Some(reply)) = (HEADER.take(), PAYLOAD.take(), REPLY.take())
    else {
        umd_runtime::fatal(ExitStatus::SetupFailed, b"sample_umd: buffers taken\n");
    };
    // Bytes of `reply` that may be non-zero: the offset set last time, and
    // (test-ops) the first `dirty` bytes after a big reply.
    let mut last = 0;
    let mut dirty = 0;
    let mut handler = FnHandler {
        frame,
        respond: |h: &[u8], p: &[u8], reply: &mut [u8]| {
            #[cfg(feature = "test-ops")]
            if request(h) == Some(BIG) {
                reply[..BIG_OUT].copy_from_slice(&p[p.len() - BIG_OUT..]);
                dirty = BIG_OUT;
                return BIG_OUT;
            }
            let _ = p;
            reply[..dirty].fill(0);
            dirty = 0;
            // Clear only the byte set last time: O(1) per request.
            reply[last] = 0;
            if let Some(o) = offset(h) {
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
        &mut payload[..],
    )
}
