//! One request in, one reply out: the function the handler binary runs.

use crate::parse::{self, reset_reply, ParseError};
use pgp_umd_proto::{
    Op, Reply, ReplyHeader, RequestHeader, ShortReply, Status, MAGIC, MAX_PAYLOAD,
    REPLY_HEADER_SIZE, REPLY_SIZE, VERSION,
};
use zerocopy::{FromBytes, IntoBytes};

/// Checks a request header on its own: what the handler can decide before
/// reading the payload. `Ok` carries the op.
pub fn check_header(h: &RequestHeader) -> Result<Op, Status> {
    if h.magic != MAGIC {
        return Err(Status::BadMagic);
    }
    if h.version != VERSION {
        return Err(Status::BadVersion);
    }
    let op = Op::from_raw(h.op).ok_or(Status::UnknownOp)?;
    if h.flags != 0 || h.reserved != 0 {
        return Err(Status::BadFlags);
    }
    if h.payload_len > MAX_PAYLOAD {
        return Err(Status::PayloadTooLarge);
    }
    Ok(op)
}

/// Answers the request `header` + `payload` into `reply`, which must hold
/// either zeros or a previous reply of this function.
pub fn handle(header: &RequestHeader, payload: &[u8], reply: &mut Reply) {
    reset_reply(reply);
    let result = match check_header(header) {
        Err(status) => Err(ParseError { status, offset: 0 }),
        Ok(_) if payload.len() != header.payload_len as usize => Err(ParseError {
            status: Status::Truncated,
            offset: payload.len(),
        }),
        Ok(Op::Health) if !payload.is_empty() => Err(ParseError {
            status: Status::TrailingData,
            offset: 0,
        }),
        Ok(Op::Health) => Ok(()),
        Ok(Op::ParseKey) => parse::parse_certificate(payload, reply),
        Ok(Op::ParseSignature) => parse::parse_detached_signature(payload, reply),
    };
    let (status, error_offset) = match result {
        Ok(()) => (Status::Ok, 0),
        Err(e) => {
            reset_reply(reply);
            (e.status, e.offset as u32)
        }
    };
    let counts = reply.header;
    reply.header = ReplyHeader {
        magic: MAGIC,
        version: VERSION,
        op: header.op,
        seq: header.seq,
        status: status.raw(),
        error_offset,
        packet_count: counts.packet_count,
        key_count: counts.key_count,
        signature_count: counts.signature_count,
        subpacket_count: counts.subpacket_count,
        reserved: 0,
    };
}

/// Answers a request given as raw bytes: header then exactly its payload.
/// A request too short for a header is answered as a bad-magic request with
/// sequence number 0.
pub fn handle_bytes(request: &[u8], reply: &mut Reply) {
    match RequestHeader::read_from_prefix(request) {
        Ok((header, payload)) => handle(&header, payload, reply),
        Err(_) => {
            let header = RequestHeader {
                magic: 0,
                ..RequestHeader::new(Op::Health, 0, 0)
            };
            handle(&header, &[], reply);
        }
    }
}

/// The bytes the handler sends for `reply`: the packed form for PARSE_KEY,
/// the short form for every other op (see docs/protocol.md). `packed` and
/// `short` are the buffers they are built in.
pub fn encode<'a>(
    reply: &Reply,
    packed: &'a mut [u8; REPLY_SIZE],
    short: &'a mut ShortReply,
) -> &'a [u8] {
    if reply.header.op == Op::ParseKey.raw() {
        return encode_packed(reply, packed);
    }
    match ShortReply::from_full(reply) {
        Some(s) => *short = s,
        // Unreachable: the parser enforces the short tables' sizes for
        // PARSE_SIGNATURE and maps nothing for other ops. Refuse rather
        // than send rows that do not fit.
        None => {
            short.clear();
            short.header = internal_error(&reply.header);
        }
    }
    short.as_bytes()
}

fn encode_packed<'a>(reply: &Reply, packed: &'a mut [u8; REPLY_SIZE]) -> &'a [u8] {
    if let Some(size) = reply.write_packed(packed) {
        return &packed[..size];
    }
    // Unreachable: the parser never counts past a table. Answer
    // INTERNAL_ERROR with no rows rather than announce rows not sent.
    let refusal = internal_error(&reply.header);
    packed[..REPLY_HEADER_SIZE].copy_from_slice(refusal.as_bytes());
    &packed[..REPLY_HEADER_SIZE]
}

/// `h` turned into an INTERNAL_ERROR answer without rows.
fn internal_error(h: &ReplyHeader) -> ReplyHeader {
    ReplyHeader {
        status: Status::InternalError.raw(),
        packet_count: 0,
        key_count: 0,
        signature_count: 0,
        subpacket_count: 0,
        ..*h
    }
}
