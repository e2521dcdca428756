//! Signature packets v3, v4 and v6 (RFC 9580 §5.2), their subpacket areas,
//! and embedded signatures (subpacket 32).

use super::fields::read_fields;
use super::{check, expect, Builder, Fail, PResult};
use nom::bytes::complete::take;
use nom::number::complete::{be_u16, be_u32, be_u8};
use nom::Parser;
use pgp_umd_proto::openpgp::{self, sig_value_kinds, v6_salt_len};
use pgp_umd_proto::{
    PacketRole, Range, Signature, Status, Subpacket, MAX_EMBED_DEPTH, MAX_SIG_VALUES,
    MAX_SUBPACKETS_PER_AREA, NONE,
};

/// Where a signature sits: in a packet, or embedded in another signature.
#[derive(Clone, Copy)]
struct Place {
    packet: usize,
    parent: u16,
    subpacket: u16,
    target: u16,
    depth: usize,
}

/// Parses the signature packet body `body` of packet row `row`, which
/// follows the component at packet row `target` (NONE for a lone signature).
/// Returns its signature row.
pub(crate) fn parse_signature(
    b: &mut Builder,
    body: &[u8],
    row: usize,
    target: u16,
) -> Result<usize, Status> {
    let place = Place {
        packet: row,
        parent: NONE,
        subpacket: NONE,
        target,
        depth: 0,
    };
    parse_body(b, body, place)
}

/// The parts of a signature body, before they become rows.
struct Parts<'a> {
    version: u8,
    sig_type: u8,
    pk_algo: u8,
    hash_algo: u8,
    hashed: &'a [u8],
    unhashed: Option<&'a [u8]>,
    prefix: &'a [u8],
    salt: Option<&'a [u8]>,
    issuer: Option<&'a [u8]>,
    values: &'a [u8],
}

fn bad<'a, T>(
    p: impl Parser<&'a [u8], Output = T, Error = Fail>,
) -> impl FnMut(&'a [u8]) -> PResult<'a, T> {
    expect(Status::BadSignature, p)
}

/// v3 (RFC 9580 §5.2.2): hashed length 5, type, time, key id, algorithms.
fn v3(i: &[u8]) -> PResult<'_, Parts<'_>> {
    let (i, hashed_len) = bad(be_u8)(i)?;
    check(hashed_len == 5, Status::BadSignature)?;
    let (i, hashed) = bad(take(5usize))(i)?;
    let (i, issuer) = bad(take(8usize))(i)?;
    let (i, (pk_algo, hash_algo)) = bad((be_u8, be_u8))(i)?;
    let (values, prefix) = bad(take(2usize))(i)?;
    Ok((
        &[],
        Parts {
            version: 3,
            sig_type: hashed[0],
            pk_algo,
            hash_algo,
            hashed,
            unhashed: None,
            prefix,
            salt: None,
            issuer: Some(issuer),
            values,
        },
    ))
}

/// v4 and v6 (RFC 9580 §5.2.3): areas with 2- or 4-octet counts; v6 salt.
fn v4_v6(version: u8) -> impl Fn(&[u8]) -> PResult<'_, Parts<'_>> {
    move |i| {
        let count = |i| -> PResult<'_, usize> {
            if version == 4 {
                bad(be_u16)(i).map(|(i, n)| (i, usize::from(n)))
            } else {
                bad(be_u32)(i).map(|(i, n)| (i, n as usize))
            }
        };
        let (i, (sig_type, pk_algo, hash_algo)) = bad((be_u8, be_u8, be_u8))(i)?;
        let (i, n) = count(i)?;
        let (i, hashed) = bad(take(n))(i)?;
        let (i, n) = count(i)?;
        let (i, unhashed) = bad(take(n))(i)?;
        let (i, prefix) = bad(take(2usize))(i)?;
        let (i, salt) = if version == 6 {
            let (i, len) = bad(be_u8)(i)?;
            let want = v6_salt_len(hash_algo).unwrap_or(usize::from(len));
            check(usize::from(len) == want, Status::BadSignature)?;
            let (i, salt) = bad(take(len))(i)?;
            (i, Some(salt))
        } else {
            (i, None)
        };
        Ok((
            &[],
            Parts {
                version,
                sig_type,
                pk_algo,
                hash_algo,
                hashed,
                unhashed: Some(unhashed),
                prefix,
                salt,
                issuer: None,
                values: i,
            },
        ))
    }
}

fn status_of(e: nom::Err<Fail>) -> Status {
    match e {
        nom::Err::Error(Fail(s)) | nom::Err::Failure(Fail(s)) => s,
        nom::Err::Incomplete(_) => Status::BadSignature,
    }
}

fn parse_body(b: &mut Builder, body: &[u8], place: Place) -> Result<usize, Status> {
    let (&version, rest) = body.split_first().ok_or(Status::BadSignature)?;
    let parts = match version {
        3 => v3(rest),
        4 | 6 => v4_v6(version)(rest),
        _ => return Err(Status::UnknownSignatureVersion),
    }
    .map_err(status_of)?
    .1;
    let (values, n_values) = read_fields::<MAX_SIG_VALUES>(
        parts.values,
        sig_value_kinds(parts.pk_algo),
        Status::BadSignature,
        true,
    )?;

    let row = b.push_signature()?;
    let opt_range = |b: &Builder, s: Option<&[u8]>| s.map_or(Range::EMPTY, |s| b.range(s));
    let target_role = (place.target != NONE)
        .then(|| PacketRole::from_raw(b.reply.packets[usize::from(place.target)].role))
        .flatten();
    let mut sig = Signature {
        packet: place.packet as u16,
        parent: place.parent,
        subpacket: place.subpacket,
        target: place.target,
        role: openpgp::sig_role(parts.sig_type, target_role, place.parent != NONE).raw(),
        version: parts.version,
        sig_type: parts.sig_type,
        pk_algo: parts.pk_algo,
        hash_algo: parts.hash_algo,
        value_count: n_values as u8,
        value_kind: [0; MAX_SIG_VALUES],
        hashed_first: b.reply.header.subpacket_count,
        hashed_count: 0,
        unhashed_first: 0,
        unhashed_count: 0,
        body: b.range(body),
        hashed_area: b.range(parts.hashed),
        unhashed_area: opt_range(b, parts.unhashed),
        hash_prefix: b.range(parts.prefix),
        salt: opt_range(b, parts.salt),
        issuer: opt_range(b, parts.issuer),
        values: [Range::EMPTY; MAX_SIG_VALUES],
    };
    for (i, v) in values.iter().flatten().enumerate() {
        sig.value_kind[i] = v.kind.raw();
        sig.values[i] = b.range(v.bytes);
    }
    if parts.version != 3 {
        sig.hashed_count = parse_area(b, parts.hashed)?;
        sig.unhashed_first = b.reply.header.subpacket_count;
        sig.unhashed_count = parse_area(b, parts.unhashed.unwrap_or(&[]))?;
    } else {
        sig.unhashed_first = sig.hashed_first;
    }
    b.reply.signatures[row] = sig;

    // Embedded signatures get their rows after this signature's subpackets,
    // so each signature's subpacket slices stay contiguous.
    let first = usize::from(sig.hashed_first);
    let last = usize::from(sig.unhashed_first) + usize::from(sig.unhashed_count);
    for sp_row in first..last {
        let sp = b.reply.subpackets[sp_row];
        if sp.type_octet & !openpgp::SUBPACKET_CRITICAL != openpgp::SUBPACKET_EMBEDDED_SIGNATURE {
            continue;
        }
        if place.depth >= MAX_EMBED_DEPTH {
            return Err(Status::BadSubpacket);
        }
        let start = (sp.whole.off + u32::from(sp.header_len)) as usize;
        let inner = &b.payload[start..sp.whole.end() as usize];
        let inner_place = Place {
            packet: place.packet,
            parent: row as u16,
            subpacket: sp_row as u16,
            target: place.target,
            depth: place.depth + 1,
        };
        let inner_row = parse_body(b, inner, inner_place).map_err(|s| match s {
            Status::TooManySignatures | Status::TooManySubpackets => s,
            _ => Status::BadSubpacket,
        })?;
        b.reply.subpackets[sp_row].embedded = inner_row as u16;
    }
    Ok(row)
}

/// One subpacket: (length octets, type octet, body).
fn subpacket(i: &[u8]) -> PResult<'_, (usize, u8, &[u8])> {
    let start = i.len();
    let (i, o1) = expect(Status::BadSubpacket, be_u8)(i)?;
    let (i, len) = match o1 {
        0..=191 => (i, usize::from(o1)),
        192..=254 => {
            let (i, o2) = expect(Status::BadSubpacket, be_u8)(i)?;
            (i, ((usize::from(o1) - 192) << 8) + usize::from(o2) + 192)
        }
        255 => expect(Status::BadSubpacket, be_u32)(i).map(|(i, n)| (i, n as usize))?,
    };
    let len_octets = start - i.len();
    // The length counts the type octet, so 0 is not a subpacket.
    check(len >= 1, Status::BadSubpacket)?;
    let (i, content) = expect(Status::BadSubpacket, take(len))(i)?;
    Ok((i, (len_octets, content[0], &content[1..])))
}

/// Parses a subpacket area into consecutive subpacket rows; returns the count.
fn parse_area(b: &mut Builder, area: &[u8]) -> Result<u16, Status> {
    let mut rest = area;
    let mut n = 0usize;
    while !rest.is_empty() {
        let (next, (len_octets, type_octet, _)) = subpacket(rest).map_err(status_of)?;
        n += 1;
        if n > MAX_SUBPACKETS_PER_AREA {
            return Err(Status::TooManySubpackets);
        }
        let row = b.push_subpacket()?;
        let whole = &rest[..rest.len() - next.len()];
        b.reply.subpackets[row] = Subpacket {
            whole: b.range(whole),
            header_len: (len_octets + 1) as u8,
            type_octet,
            embedded: NONE,
        };
        rest = next;
    }
    Ok(n as u16)
}
