//! The Rust reply validator (`validate_reply`), the reference for the
//! kernel's C sanitizer.
//!
//! Input: a control octet, a payload, then edits. The payload is parsed
//! (op from the control octet) and the parser's reply must validate. Then
//! the edits (offset, value) overwrite octets of that reply, or (control bit
//! 0x80) the input's tail is taken as raw reply bytes; the validator must
//! not panic on the result. And if it accepts an edited reply of a
//! successful parse and it still claims success, it must say the same thing: a
//! successful reply is fully determined by the payload, so the validator
//! accepting a different one would let a lying handler through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_fuzz::ctarget::accepted_is_honest;
use pgp_umd_fuzz::with_replies;
use pgp_umd_parser::request::handle;
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{Op, RequestHeader, REPLY_SIZE};
use zerocopy::IntoBytes;

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let op = match control & 3 {
        0 => Op::Health,
        1 | 3 => Op::ParseKey,
        _ => Op::ParseSignature,
    };
    let seq = u32::from(control);
    // Payload length in the next two octets (bounded by what is there).
    let (payload, edits) = match rest {
        [a, b, tail @ ..] => {
            let n = usize::from(u16::from_le_bytes([*a, *b])).min(tail.len());
            tail.split_at(n)
        }
        _ => (rest, &[][..]),
    };
    with_replies(|reply, edited| {
        let header = RequestHeader::new(op, seq, payload.len() as u32);
        handle(&header, payload, reply);
        if let Err(e) = validate_reply(op, seq, payload, reply) {
            panic!("the parser's own reply fails validation: {e:?}");
        }
        let edited_bytes = edited.as_mut_bytes();
        edited_bytes.copy_from_slice(reply.as_bytes());
        if control & 0x80 != 0 {
            // Raw reply bytes laid over the parser's reply.
            let n = edits.len().min(REPLY_SIZE);
            edited_bytes[..n].copy_from_slice(&edits[..n]);
        } else {
            for e in edits.chunks_exact(3) {
                let off = usize::from(u16::from_le_bytes([e[0], e[1]]));
                // Most of a reply is unused rows: aim at the used part often.
                let used = 32 + usize::from(reply.header.packet_count) * 16;
                let off = if control & 0x40 != 0 {
                    off % used.max(1)
                } else {
                    off % REPLY_SIZE
                };
                edited_bytes[off] = e[2];
            }
        }
        if validate_reply(op, seq, payload, edited).is_ok() {
            accepted_is_honest("validator", reply, edited);
        }
    });
});
