//! The request loop.

use crate::exit::{exit, fatal, ExitStatus};
use crate::io::{read_exact, write_all, ReadError, STDIN, STDOUT};
use crate::seal::{seal, SealConfig};
use zeroize::Zeroize;

/// What the loop does after reading a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// Read exactly this many payload bytes, answer with
    /// [`Handler::respond`], go on with the next request. A length larger
    /// than the payload buffer is treated as [`Frame::Exit`].
    Payload(usize),
    /// The stream cannot be trusted past this header: answer with
    /// [`Handler::respond`] on an empty payload, then exit with
    /// [`ExitStatus::Framing`].
    ReplyAndExit,
    /// Exit with [`ExitStatus::Framing`] without answering.
    Exit,
}

/// A request handler: a fixed-size header that tells the payload length, and
/// a reply computed from header and payload into the handler's own (static)
/// reply buffer.
pub trait Handler {
    /// Decides from the header alone how to go on.
    fn frame(&mut self, header: &[u8]) -> Frame;

    /// Answers one request; returns the exact reply bytes to write.
    fn respond(&mut self, header: &[u8], payload: &[u8]) -> &[u8];

    /// Input ended inside the payload (`payload` holds what arrived): the
    /// reply to write, if any, before exiting with [`ExitStatus::Truncated`].
    fn truncated(&mut self, header: &[u8], payload: &[u8]) -> Option<&[u8]> {
        let _ = (header, payload);
        None
    }

    /// Called once before sealing: touch every page the handler will use
    /// (e.g. zero its reply buffer) so no memory is first faulted in later.
    fn reserve(&mut self) {}
}

/// A [`Handler`] made of two closures and a reply buffer, for small
/// handlers: `frame` decides from the header, `respond` fills `reply` and
/// returns the reply's length (clamped to the buffer).
pub struct FnHandler<'r, F, R> {
    /// Decides from the header alone.
    pub frame: F,
    /// `(header, payload, reply buffer) -> reply length`.
    pub respond: R,
    /// The reply buffer (usually a [`crate::StaticBuf`]).
    pub reply: &'r mut [u8],
}

impl<F, R> Handler for FnHandler<'_, F, R>
where
    F: FnMut(&[u8]) -> Frame,
    R: FnMut(&[u8], &[u8], &mut [u8]) -> usize,
{
    fn frame(&mut self, header: &[u8]) -> Frame {
        (self.frame)(header)
    }

    fn respond(&mut self, header: &[u8], payload: &[u8]) -> &[u8] {
        let n = (self.respond)(header, payload, self.reply);
        &self.reply[..n.min(self.reply.len())]
    }

    fn reserve(&mut self) {
        self.reply.zeroize();
    }
}

/// Sets everything up and serves requests until the end of input:
/// [`Handler::reserve`], pre-faulting of both buffers, [`seal`] (exits with
/// [`ExitStatus::SetupFailed`] if it fails), then [`serve`].
///
/// `header.len()` is the header size and `payload.len()` the largest payload.
pub fn start<H: Handler>(
    cfg: &SealConfig,
    handler: &mut H,
    header: &mut [u8],
    payload: &mut [u8],
) -> ! {
    crate::seal::install_panic_hook();
    handler.reserve();
    header.zeroize();
    payload.zeroize();
    if let Err(e) = seal(cfg) {
        // Not sealed, so stderr is still usable. Fixed messages: no formatting code.
        fatal(ExitStatus::SetupFailed, e.fixed_message());
    }
    serve(handler, header, payload)
}

/// The loop, on an already sealed process: read exactly one header, let the
/// handler frame it, read exactly the payload, write exactly one reply,
/// zeroize the request bytes, repeat.
///
/// Ends with [`ExitStatus::Eof`] at end of input between requests,
/// [`ExitStatus::Truncated`] inside one, [`ExitStatus::ReadError`] /
/// [`ExitStatus::WriteError`] when a system call fails, and
/// [`ExitStatus::Framing`] when the handler says so.
pub fn serve<H: Handler>(handler: &mut H, header: &mut [u8], payload: &mut [u8]) -> ! {
    loop {
        match read_exact(STDIN, header) {
            Ok(()) => {}
            Err(ReadError::Eof) => exit(ExitStatus::Eof),
            Err(ReadError::Truncated { .. }) => {
                header.zeroize();
                exit(ExitStatus::Truncated)
            }
            Err(ReadError::Os(_)) => exit(ExitStatus::ReadError),
        }
        let len = match handler.frame(header) {
            Frame::Payload(len) if len <= payload.len() => len,
            Frame::Payload(_) | Frame::Exit => {
                header.zeroize();
                exit(ExitStatus::Framing)
            }
            Frame::ReplyAndExit => {
                let reply = handler.respond(header, &[]);
                let _ = write_all(STDOUT, reply);
                header.zeroize();
                exit(ExitStatus::Framing)
            }
        };
        let body = &mut payload[..len];
        match read_exact(STDIN, body) {
            Ok(()) => {}
            Err(ReadError::Eof) => {
                if let Some(reply) = handler.truncated(header, &[]) {
                    let _ = write_all(STDOUT, reply);
                }
                header.zeroize();
                exit(ExitStatus::Truncated)
            }
            Err(ReadError::Truncated { got }) => {
                let got = got.min(body.len());
                if let Some(reply) = handler.truncated(header, &body[..got]) {
                    let _ = write_all(STDOUT, reply);
                }
                header.zeroize();
                body.zeroize();
                exit(ExitStatus::Truncated)
            }
            Err(ReadError::Os(_)) => {
                header.zeroize();
                body.zeroize();
                exit(ExitStatus::ReadError)
            }
        }
        let reply = handler.respond(header, body);
        header.zeroize();
        body.zeroize();
        if write_all(STDOUT, reply).is_err() {
            exit(ExitStatus::WriteError);
        }
    }
}
