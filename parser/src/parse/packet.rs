//! Packet headers (RFC 9580 §4.2): OpenPGP and legacy formats.

use super::{check, expect, Fail, PResult};
use nom::number::complete::{be_u16, be_u32, be_u8};
use pgp_umd_proto::{Status, FORMAT_LEGACY, FORMAT_OPENPGP};

/// A decoded packet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketHeader {
    pub format: u8,
    pub tag: u8,
    pub header_len: usize,
    pub body_len: usize,
}

fn header(i: &[u8]) -> PResult<'_, PacketHeader> {
    let start = i.len();
    let (i, first) = expect(Status::BadPacketHeader, be_u8)(i)?;
    check(first & 0x80 != 0, Status::BadPacketHeader)?;
    let (i, format, tag, body_len) = if first & 0x40 != 0 {
        let (i, o1) = expect(Status::Truncated, be_u8)(i)?;
        let (i, len) = match o1 {
            0..=191 => (i, usize::from(o1)),
            192..=223 => {
                let (i, o2) = expect(Status::Truncated, be_u8)(i)?;
                (i, ((usize::from(o1) - 192) << 8) + usize::from(o2) + 192)
            }
            // Keys and signatures may not use partial lengths (RFC 9580 §4.2.1.4).
            224..=254 => return Err(nom::Err::Failure(Fail(Status::PartialLength))),
            255 => {
                let (i, len) = expect(Status::Truncated, be_u32)(i)?;
                (i, len as usize)
            }
        };
        (i, FORMAT_OPENPGP, first & 0x3F, len)
    } else {
        let tag = (first >> 2) & 0x0F;
        let (i, len) = match first & 0x03 {
            0 => expect(Status::Truncated, be_u8)(i).map(|(i, n)| (i, usize::from(n)))?,
            1 => expect(Status::Truncated, be_u16)(i).map(|(i, n)| (i, usize::from(n)))?,
            2 => expect(Status::Truncated, be_u32)(i).map(|(i, n)| (i, n as usize))?,
            // Indeterminate length: only for data packets of the 1990s.
            _ => return Err(nom::Err::Failure(Fail(Status::BadPacketHeader))),
        };
        (i, FORMAT_LEGACY, tag, len)
    };
    check(tag != 0, Status::BadPacketHeader)?;
    check(i.len() >= body_len, Status::Truncated)?;
    let header_len = start - i.len();
    Ok((
        i,
        PacketHeader {
            format,
            tag,
            header_len,
            body_len,
        },
    ))
}

/// Reads the packet header at the start of `input`; the returned rest starts
/// with the body, which is known to be complete.
pub fn read_packet_header(input: &[u8]) -> Result<(&[u8], PacketHeader), Status> {
    header(input).map_err(|e| match e {
        nom::Err::Error(Fail(s)) | nom::Err::Failure(Fail(s)) => s,
        nom::Err::Incomplete(_) => Status::Truncated,
    })
}
