//! Zero-copy OpenPGP parser producing a protocol reply.
//!
//! Every function here reads sub-slices of the one payload slice and writes
//! rows of the fixed [`Reply`]; nothing allocates. Positions written into the
//! reply are offsets of those sub-slices within the payload.

mod fields;
mod key;
mod packet;
mod signature;

use pgp_umd_proto::openpgp::{
    self, TAG_PUBLIC_KEY, TAG_SECRET_KEY, TAG_SECRET_SUBKEY, TAG_SIGNATURE,
};
use pgp_umd_proto::{
    PacketRole, Range, Reply, Status, MAX_KEYS, MAX_PACKETS, MAX_SIGNATURES, MAX_SUBPACKETS,
    MAX_USER_IDS, NONE, SHORT_MAX_SIGNATURES, SHORT_MAX_SUBPACKETS,
};

pub use packet::{read_packet_header, PacketHeader};

/// A parse failure: the status to report and where in the payload it arose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub status: Status,
    pub offset: usize,
}

/// The nom error type of the field parsers: just the status to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fail(pub Status);

impl<I> nom::error::ParseError<I> for Fail {
    fn from_error_kind(_: I, _: nom::error::ErrorKind) -> Self {
        // Overridden at every call site with the status that fits the field.
        Fail(Status::InternalError)
    }
    fn append(_: I, _: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

pub(crate) type PResult<'a, T> = nom::IResult<&'a [u8], T, Fail>;

/// Runs `parser`, reporting any failure as `status`.
pub(crate) fn expect<'a, T>(
    status: Status,
    mut parser: impl nom::Parser<&'a [u8], Output = T, Error = Fail>,
) -> impl FnMut(&'a [u8]) -> PResult<'a, T> {
    move |i| parser.parse(i).map_err(|e| e.map(|_| Fail(status)))
}

/// Fails with `status` unless `ok`.
pub(crate) fn check(ok: bool, status: Status) -> Result<(), nom::Err<Fail>> {
    if ok {
        Ok(())
    } else {
        Err(nom::Err::Failure(Fail(status)))
    }
}

/// How many rows of each table an op's reply form has.
#[derive(Clone, Copy)]
pub(crate) struct Limits {
    packets: usize,
    keys: usize,
    signatures: usize,
    subpackets: usize,
}

/// The full reply of PARSE_KEY.
const FULL: Limits = Limits {
    packets: MAX_PACKETS,
    keys: MAX_KEYS,
    signatures: MAX_SIGNATURES,
    subpackets: MAX_SUBPACKETS,
};

/// The short reply of PARSE_SIGNATURE.
const SHORT: Limits = Limits {
    packets: 1,
    keys: 0,
    signatures: SHORT_MAX_SIGNATURES,
    subpackets: SHORT_MAX_SUBPACKETS,
};

/// Writes rows into the reply for one payload.
pub(crate) struct Builder<'p, 'r> {
    payload: &'p [u8],
    reply: &'r mut Reply,
    limits: Limits,
}

impl<'p, 'r> Builder<'p, 'r> {
    /// The payload range covered by `sub`, a sub-slice of the payload.
    fn range(&self, sub: &[u8]) -> Range {
        let start = sub.as_ptr() as usize - self.payload.as_ptr() as usize;
        debug_assert!(start + sub.len() <= self.payload.len());
        Range::span(start, start + sub.len())
    }

    fn offset(&self, sub: &[u8]) -> usize {
        sub.as_ptr() as usize - self.payload.as_ptr() as usize
    }

    fn write_packet(
        &mut self,
        row: usize,
        hdr: &PacketHeader,
        whole: &[u8],
        role: PacketRole,
        item: u16,
        target: u16,
    ) {
        let whole = self.range(whole);
        self.reply.packets[row] = pgp_umd_proto::Packet {
            tag: hdr.tag,
            role: role.raw(),
            header_len: hdr.header_len as u8,
            format: hdr.format,
            item,
            target,
            whole,
        };
    }

    fn push_packet(&mut self) -> Result<usize, Status> {
        let n = usize::from(self.reply.header.packet_count);
        if n >= self.limits.packets {
            return Err(Status::TooManyPackets);
        }
        self.reply.header.packet_count += 1;
        Ok(n)
    }

    fn push_key(&mut self) -> Result<usize, Status> {
        let n = usize::from(self.reply.header.key_count);
        if n >= self.limits.keys {
            return Err(Status::TooManyKeys);
        }
        self.reply.header.key_count += 1;
        Ok(n)
    }

    fn push_signature(&mut self) -> Result<usize, Status> {
        let n = usize::from(self.reply.header.signature_count);
        if n >= self.limits.signatures {
            return Err(Status::TooManySignatures);
        }
        self.reply.header.signature_count += 1;
        Ok(n)
    }

    fn push_subpacket(&mut self) -> Result<usize, Status> {
        let n = usize::from(self.reply.header.subpacket_count);
        if n >= self.limits.subpackets {
            return Err(Status::TooManySubpackets);
        }
        self.reply.header.subpacket_count += 1;
        Ok(n)
    }
}

/// Zeroes the rows a previous parse used and the counts. The rest of the
/// reply is zero by invariant, so this is cheaper than clearing it all.
pub fn reset_reply(reply: &mut Reply) {
    let h = reply.header;
    let clear = |n: u16, max: usize| usize::from(n).min(max);
    reply.packets[..clear(h.packet_count, MAX_PACKETS)].fill(zeroed());
    reply.keys[..clear(h.key_count, MAX_KEYS)].fill(zeroed());
    reply.signatures[..clear(h.signature_count, MAX_SIGNATURES)].fill(zeroed());
    reply.subpackets[..clear(h.subpacket_count, MAX_SUBPACKETS)].fill(zeroed());
    reply.header = zeroed();
}

fn zeroed<T: zerocopy::FromZeros>() -> T {
    T::new_zeroed()
}

/// Parses one transferable public key (RFC 9580 §10.1) into `reply`, whose
/// tables must be empty. On error the tables may hold partial rows; the
/// caller resets them.
pub fn parse_certificate(payload: &[u8], reply: &mut Reply) -> Result<(), ParseError> {
    let mut b = Builder {
        payload,
        reply,
        limits: FULL,
    };
    let mut rest = payload;
    let (mut last_component, mut user_ids) = (NONE, 0usize);
    if payload.is_empty() {
        return Err(ParseError {
            status: Status::EmptyPayload,
            offset: 0,
        });
    }
    while !rest.is_empty() {
        let at = b.offset(rest);
        let err = |status| ParseError { status, offset: at };
        let (next, hdr) = read_packet_header(rest).map_err(err)?;
        let row = b.push_packet().map_err(err)?;
        let first = row == 0;
        let role = match hdr.tag {
            TAG_PUBLIC_KEY if first => PacketRole::PrimaryKey,
            TAG_PUBLIC_KEY => return Err(err(Status::MultipleCertificates)),
            TAG_SECRET_KEY | TAG_SECRET_SUBKEY => return Err(err(Status::SecretKey)),
            _ if first => return Err(err(Status::NotACertificate)),
            tag => openpgp::packet_role(tag).ok_or(err(Status::UnexpectedPacket))?,
        };
        let whole = &rest[..hdr.header_len + hdr.body_len];
        let body = &whole[hdr.header_len..];
        let (item, target) = match role {
            PacketRole::PrimaryKey | PacketRole::Subkey => {
                let item = b.push_key().map_err(err)?;
                key::parse_key(&mut b, body, row, item).map_err(err)?;
                (item as u16, NONE)
            }
            PacketRole::Signature => {
                let item =
                    signature::parse_signature(&mut b, body, row, last_component).map_err(err)?;
                (item as u16, last_component)
            }
            PacketRole::UserId | PacketRole::UserAttribute => {
                user_ids += 1;
                if user_ids > MAX_USER_IDS {
                    return Err(err(Status::TooManyUserIds));
                }
                (NONE, NONE)
            }
            PacketRole::Ignored => (NONE, NONE),
        };
        if !matches!(role, PacketRole::Signature | PacketRole::Ignored) {
            last_component = row as u16;
        }
        b.write_packet(row, &hdr, whole, role, item, target);
        rest = &next[hdr.body_len..];
    }
    Ok(())
}

/// Parses a payload that must be exactly one signature packet.
pub fn parse_detached_signature(payload: &[u8], reply: &mut Reply) -> Result<(), ParseError> {
    if payload.is_empty() {
        return Err(ParseError {
            status: Status::EmptyPayload,
            offset: 0,
        });
    }
    let mut b = Builder {
        payload,
        reply,
        limits: SHORT,
    };
    let err = |status| ParseError { status, offset: 0 };
    let (next, hdr) = read_packet_header(payload).map_err(err)?;
    if hdr.tag != TAG_SIGNATURE {
        return Err(err(Status::NotASignature));
    }
    let row = b.push_packet().map_err(err)?;
    let whole = &payload[..hdr.header_len + hdr.body_len];
    let item =
        signature::parse_signature(&mut b, &whole[hdr.header_len..], row, NONE).map_err(err)?;
    b.write_packet(row, &hdr, whole, PacketRole::Signature, item as u16, NONE);
    if next.len() > hdr.body_len {
        return Err(ParseError {
            status: Status::TrailingData,
            offset: whole.len(),
        });
    }
    Ok(())
}
