//! The request loop.

use crate::exit::{exit, fatal, ExitStatus};
use crate::io::{read_exact, write_all, Fd, ReadError, STDIN, STDOUT};
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

/// The loop, on an already sealed process: [`serve_one`] on stdin/stdout
/// until it returns an exit status, then `_exit` with it.
///
/// Ends with [`ExitStatus::Eof`] at end of input between requests,
/// [`ExitStatus::Truncated`] inside one, [`ExitStatus::ReadError`] /
/// [`ExitStatus::WriteError`] when a system call fails, and
/// [`ExitStatus::Framing`] when the handler says so.
pub fn serve<H: Handler>(handler: &mut H, header: &mut [u8], payload: &mut [u8]) -> ! {
    loop {
        if let Err(status) = serve_one(handler, header, payload, STDIN, STDOUT) {
            exit(status)
        }
    }
}

/// One request: read exactly one header from `input`, let the handler frame
/// it, read exactly the payload, write exactly one reply to `output`.
/// `Ok(())`: go on; `Err(status)`: the process must end with `status`
/// (after writing the reply the handler gave for a framing error or a
/// truncated payload, if any). Whatever happens, the header and the part of
/// the payload buffer this request used are zeroized before it returns (and
/// before the reply is written).
pub fn serve_one<H: Handler>(
    handler: &mut H,
    header: &mut [u8],
    payload: &mut [u8],
    input: Fd,
    output: Fd,
) -> Result<(), ExitStatus> {
    let mut used = 0;
    let result = one(handler, header, payload, input, output, &mut used);
    header.zeroize();
    if let Some(body) = payload.get_mut(..used) {
        body.zeroize();
    }
    result
}

fn one<H: Handler>(
    handler: &mut H,
    header: &mut [u8],
    payload: &mut [u8],
    input: Fd,
    output: Fd,
    used: &mut usize,
) -> Result<(), ExitStatus> {
    match read_exact(input, header) {
        Ok(()) => {}
        Err(ReadError::Eof) => return Err(ExitStatus::Eof),
        Err(ReadError::Truncated { .. }) => return Err(ExitStatus::Truncated),
        Err(ReadError::Os(_)) => return Err(ExitStatus::ReadError),
    }
    let len = match handler.frame(header) {
        Frame::Payload(len) if len <= payload.len() => len,
        Frame::Payload(_) | Frame::Exit => return Err(ExitStatus::Framing),
        Frame::ReplyAndExit => {
            let _ = write_all(output, handler.respond(header, &[]));
            return Err(ExitStatus::Framing);
        }
    };
    *used = len;
    let body = &mut payload[..len];
    let got = match read_exact(input, body) {
        Ok(()) => len,
        Err(ReadError::Eof) => 0,
        Err(ReadError::Truncated { got }) => got.min(len),
        Err(ReadError::Os(_)) => return Err(ExitStatus::ReadError),
    };
    if got < len {
        if let Some(reply) = handler.truncated(header, &body[..got]) {
            let _ = write_all(output, reply);
        }
        return Err(ExitStatus::Truncated);
    }
    let reply = handler.respond(header, body);
    header.zeroize();
    body.zeroize();
    write_all(output, reply).map_err(|_| ExitStatus::WriteError)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::fd::{AsRawFd, FromRawFd};

    fn pipe() -> (std::fs::File, std::fs::File) {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors `pipe` writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: both descriptors were just created and are owned by nobody else.
        unsafe {
            (
                std::fs::File::from_raw_fd(fds[0]),
                std::fs::File::from_raw_fd(fds[1]),
            )
        }
    }

    /// Header: u32 payload length (u32::MAX: reply-and-exit, 0xEEEE: exit).
    /// Reply: [seen payload length, sum of the payload bytes].
    struct Sum {
        reply: [u8; 8],
    }

    impl Handler for Sum {
        fn frame(&mut self, header: &[u8]) -> Frame {
            match u32::from_ne_bytes(header.try_into().unwrap_or([0; 4])) {
                u32::MAX => Frame::ReplyAndExit,
                0xEEEE => Frame::Exit,
                n => Frame::Payload(n as usize),
            }
        }
        fn respond(&mut self, _header: &[u8], payload: &[u8]) -> &[u8] {
            let sum: u32 = payload.iter().map(|&b| u32::from(b)).sum();
            self.reply[..4].copy_from_slice(&(payload.len() as u32).to_ne_bytes());
            self.reply[4..].copy_from_slice(&sum.to_ne_bytes());
            &self.reply
        }
        fn truncated(&mut self, header: &[u8], payload: &[u8]) -> Option<&[u8]> {
            Some(self.respond(header, payload))
        }
    }

    fn req(payload: &[u8]) -> Vec<u8> {
        let mut v = (payload.len() as u32).to_ne_bytes().to_vec();
        v.extend_from_slice(payload);
        v
    }

    fn reply(len: u32, sum: u32) -> Vec<u8> {
        [len.to_ne_bytes(), sum.to_ne_bytes()].concat()
    }

    /// Runs `serve_one` over `input` until it stops; returns the statuses
    /// (Ok as None), everything written, and whether the buffers were zero
    /// after every call.
    fn drive(input: &[u8], payload_cap: usize) -> (Vec<Option<ExitStatus>>, Vec<u8>, bool) {
        let (in_r, mut in_w) = pipe();
        let (mut out_r, out_w) = pipe();
        in_w.write_all(input).expect("write");
        drop(in_w);
        let mut h = Sum { reply: [0; 8] };
        let mut header = [0u8; 4];
        let mut payload = vec![0u8; payload_cap];
        let mut results = Vec::new();
        let mut clean = true;
        loop {
            let r = serve_one(
                &mut h,
                &mut header,
                &mut payload,
                in_r.as_raw_fd(),
                out_w.as_raw_fd(),
            );
            clean &= header.iter().chain(payload.iter()).all(|&b| b == 0);
            results.push(r.err());
            if r.is_err() {
                break;
            }
        }
        drop(out_w);
        let mut out = Vec::new();
        out_r.read_to_end(&mut out).expect("read");
        (results, out, clean)
    }

    #[test]
    fn requests_answered_buffers_zeroized_eof() {
        let input = [req(b"\x01\x02\x03"), req(b""), req(&[9; 100])].concat();
        let (res, out, clean) = drive(&input, 100);
        assert_eq!(res, vec![None, None, None, Some(ExitStatus::Eof)]);
        assert_eq!(out, [reply(3, 6), reply(0, 0), reply(100, 900)].concat());
        assert!(clean, "request bytes left in a buffer");
    }

    #[test]
    fn truncated_header_and_payload() {
        let (res, out, clean) = drive(&[1, 0], 10);
        assert_eq!(res, vec![Some(ExitStatus::Truncated)]);
        assert!(out.is_empty() && clean);
        let mut input = req(&[5; 10]);
        input.truncate(4 + 7);
        let (res, out, clean) = drive(&input, 10);
        assert_eq!(res, vec![Some(ExitStatus::Truncated)]);
        assert_eq!(out, reply(7, 35), "the handler's truncated reply");
        assert!(clean);
        let (res, out, _) = drive(&req(&[5; 10])[..4], 10);
        assert_eq!(res, vec![Some(ExitStatus::Truncated)]);
        assert_eq!(out, reply(0, 0));
    }

    #[test]
    fn framing_decisions() {
        let (res, out, _) = drive(&u32::MAX.to_ne_bytes(), 10);
        assert_eq!(res, vec![Some(ExitStatus::Framing)]);
        assert_eq!(out, reply(0, 0), "reply-and-exit answers");
        let (res, out, _) = drive(&0xEEEEu32.to_ne_bytes(), 10);
        assert_eq!(res, vec![Some(ExitStatus::Framing)]);
        assert!(out.is_empty());
        // Longer than the payload buffer: exit without reading it.
        let (res, out, _) = drive(&req(&[1; 11]), 10);
        assert_eq!(res, vec![Some(ExitStatus::Framing)]);
        assert!(out.is_empty());
    }

    #[test]
    fn failed_write_and_failed_read() {
        let (in_r, mut in_w) = pipe();
        let (out_r, out_w) = pipe();
        drop(out_r);
        in_w.write_all(&req(b"x")).expect("write");
        let mut h = Sum { reply: [0; 8] };
        let r = serve_one(
            &mut h,
            &mut [0u8; 4],
            &mut [0u8; 4],
            in_r.as_raw_fd(),
            out_w.as_raw_fd(),
        );
        assert_eq!(r, Err(ExitStatus::WriteError));
        let r = serve_one(&mut h, &mut [0u8; 4], &mut [0u8; 4], -1, out_w.as_raw_fd());
        assert_eq!(r, Err(ExitStatus::ReadError));
    }
}
