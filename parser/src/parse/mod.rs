//! Zero-copy OpenPGP parser producing a protocol reply.
//!
//! Every function here reads sub-slices of the one payload slice and writes
//! rows of the fixed [`Reply`]; nothing allocates. Positions written into the
//! reply are offsets of those sub-slices within the payload.

mod fields;
mod key;
mod packet;
mod signature;

use crate::fingerprint::Fingerprint;
use pgp_umd_proto::openpgp::{
    self, TAG_MARKER, TAG_PADDING, TAG_PUBLIC_KEY, TAG_PUBLIC_SUBKEY, TAG_SECRET_KEY,
    TAG_SECRET_SUBKEY, TAG_SIGNATURE, TAG_TRUST, TAG_USER_ATTRIBUTE, TAG_USER_ID,
};
use pgp_umd_proto::skip::{self, Hint};
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
///
/// What decides nothing is reported as runs of skipped packets (see
/// [`pgp_umd_proto::skip`]): third-party certifications, unknown-version
/// signatures, non-critical unknown packets, and user ids whose every
/// signature is one of those. Everything else is mapped row by row, and a
/// mapped signature that does not parse refuses the certificate.
pub fn parse_certificate(payload: &[u8], reply: &mut Reply) -> Result<(), ParseError> {
    parse_certificate_as(payload, reply, Honesty::Honest)
}

/// How [`parse_certificate_as`] treats the primary key's own signatures.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Honesty {
    /// Never skips a signature that names the primary key.
    Honest,
    /// TEST ONLY (the lying handler of `lies.rs`): skips them like
    /// third-party ones, which the kernel must catch.
    HideOwnSignatures,
}

/// [`parse_certificate`], or with [`Honesty::HideOwnSignatures`] the lie a
/// compromised handler would tell to hide self-signatures from the kernel.
pub fn parse_certificate_as(
    payload: &[u8],
    reply: &mut Reply,
    honesty: Honesty,
) -> Result<(), ParseError> {
    let mut b = Builder {
        payload,
        reply,
        limits: FULL,
    };
    if payload.is_empty() {
        return Err(ParseError {
            status: Status::EmptyPayload,
            offset: 0,
        });
    }
    let mut walk = CertWalk {
        honesty,
        primary: None,
        last_component: NONE,
        component: None,
        run_start: None,
        user_ids: 0,
    };
    let mut rest = payload;
    while !rest.is_empty() {
        let at = b.offset(rest);
        let err = |status| ParseError { status, offset: at };
        let (next, hdr) = read_packet_header(rest).map_err(err)?;
        let whole = &rest[..hdr.header_len + hdr.body_len];
        let body = &whole[hdr.header_len..];
        let first = at == 0;
        match hdr.tag {
            TAG_PUBLIC_KEY if first => {}
            TAG_PUBLIC_KEY => return Err(err(Status::MultipleCertificates)),
            TAG_SECRET_KEY | TAG_SECRET_SUBKEY => return Err(err(Status::SecretKey)),
            _ if first => return Err(err(Status::NotACertificate)),
            _ => {}
        }
        if !first && walk.may_skip(hdr.tag, body, &next[hdr.body_len..]) {
            walk.skip(at);
            if let Some(role) = openpgp::packet_role(hdr.tag)
                .filter(|r| matches!(r, PacketRole::UserId | PacketRole::UserAttribute))
            {
                walk.component = Some(role);
            }
        } else {
            walk.close_run(&mut b, at).map_err(err)?;
            walk.map_packet(&mut b, &hdr, whole).map_err(err)?;
        }
        rest = &next[hdr.body_len..];
    }
    walk.close_run(&mut b, payload.len())
        .map_err(|status| ParseError {
            status,
            offset: payload.len(),
        })
}

/// The packets of a certificate the kernel decides on: the mapped rows of
/// `reply` (an OK reply to PARSE_KEY over `payload`), in order, without the
/// runs of skipped packets. Their concatenation is a certificate the kernel
/// gives the same verdict as the whole (runs decide nothing, and no mapped
/// signature follows a run that holds its component), and is what user
/// space can add when the whole is over add_key(2)'s reach
/// (docs/kernel-api.md, "Large certificates").
pub fn without_skipped<'a>(
    payload: &'a [u8],
    reply: &'a Reply,
) -> impl Iterator<Item = &'a [u8]> + 'a {
    reply
        .packets()
        .iter()
        .filter(|p| p.role != PacketRole::Skipped.raw())
        .filter_map(move |p| p.whole.slice(payload))
}

/// The state of one certificate's walk: what the next packet follows.
struct CertWalk {
    honesty: Honesty,
    /// The primary key's fingerprint, once read: hints naming it are never
    /// skipped.
    primary: Option<Fingerprint>,
    /// Packet row of the last mapped component.
    last_component: u16,
    /// Role of the last component, mapped or skipped.
    component: Option<PacketRole>,
    /// Payload offset where the open run of skipped packets began.
    run_start: Option<usize>,
    user_ids: usize,
}

impl CertWalk {
    /// Whether the packet `tag`/`body`, followed by `after`, can go into a
    /// run: the kernel accepts it there, and nothing in it is by the
    /// primary key. Trust, marker and padding packets join an open run but
    /// are mapped otherwise, as before runs existed.
    fn may_skip(&self, tag: u8, body: &[u8], after: &[u8]) -> bool {
        match tag {
            TAG_MARKER | TAG_TRUST | TAG_PADDING => self.run_start.is_some(),
            TAG_USER_ID | TAG_USER_ATTRIBUTE => {
                let role = openpgp::packet_role(tag);
                self.user_id_group_skippable(role, after)
            }
            _ => self.skippable(tag, body, self.component),
        }
    }

    fn skippable(&self, tag: u8, body: &[u8], component: Option<PacketRole>) -> bool {
        let mut names_primary = false;
        let primary = self.primary;
        let found = skip::skippable(tag, body, component, &mut |hint| {
            names_primary |= primary.is_some_and(|fpr| match hint {
                Hint::KeyId(id) => id == fpr.key_id(),
                Hint::Fingerprint(f) => f == fpr.as_bytes(),
            });
        });
        found.is_some() && !names_primary
    }

    /// Whether a user id (or attribute) can be skipped: it has signatures,
    /// and every packet after it up to the next component can be skipped.
    /// A user id without signatures stays mapped, as sequoia lists it.
    fn user_id_group_skippable(&self, role: Option<PacketRole>, mut after: &[u8]) -> bool {
        let mut signatures = 0usize;
        while !after.is_empty() {
            let Ok((next, hdr)) = read_packet_header(after) else {
                return false;
            };
            if matches!(
                hdr.tag,
                TAG_PUBLIC_KEY
                    | TAG_PUBLIC_SUBKEY
                    | TAG_SECRET_KEY
                    | TAG_SECRET_SUBKEY
                    | TAG_USER_ID
                    | TAG_USER_ATTRIBUTE
            ) {
                break;
            }
            if !self.skippable(hdr.tag, &next[..hdr.body_len], role) {
                return false;
            }
            signatures += usize::from(hdr.tag == TAG_SIGNATURE);
            after = &next[hdr.body_len..];
        }
        signatures > 0
    }

    fn skip(&mut self, at: usize) {
        self.run_start.get_or_insert(at);
    }

    /// Ends the open run, if any, at payload offset `end` with its row.
    fn close_run(&mut self, b: &mut Builder, end: usize) -> Result<(), Status> {
        let Some(start) = self.run_start.take() else {
            return Ok(());
        };
        let row = b.push_packet()?;
        b.reply.packets[row] = pgp_umd_proto::Packet {
            tag: 0,
            role: PacketRole::Skipped.raw(),
            header_len: 0,
            format: 0,
            item: NONE,
            target: self.last_component,
            whole: Range::span(start, end),
        };
        Ok(())
    }

    /// Maps one packet as its own row.
    fn map_packet(
        &mut self,
        b: &mut Builder,
        hdr: &PacketHeader,
        whole: &[u8],
    ) -> Result<(), Status> {
        let row = b.push_packet()?;
        let body = &whole[hdr.header_len..];
        let role = if row == 0 {
            PacketRole::PrimaryKey
        } else {
            openpgp::packet_role(hdr.tag).ok_or(Status::UnexpectedPacket)?
        };
        let (item, target) = match role {
            PacketRole::PrimaryKey | PacketRole::Subkey => {
                let item = b.push_key()?;
                key::parse_key(b, body, row, item)?;
                if row == 0 && self.honesty == Honesty::Honest {
                    self.primary = Fingerprint::of_key_body(body);
                }
                (item as u16, NONE)
            }
            PacketRole::Signature => {
                let item = signature::parse_signature(b, body, row, self.last_component)?;
                (item as u16, self.last_component)
            }
            PacketRole::UserId | PacketRole::UserAttribute => {
                self.user_ids += 1;
                if self.user_ids > MAX_USER_IDS {
                    return Err(Status::TooManyUserIds);
                }
                (NONE, NONE)
            }
            PacketRole::Ignored | PacketRole::Skipped => (NONE, NONE),
        };
        if !matches!(role, PacketRole::Signature | PacketRole::Ignored) {
            self.last_component = row as u16;
            self.component = Some(role);
        }
        b.write_packet(row, hdr, whole, role, item, target);
        Ok(())
    }
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
