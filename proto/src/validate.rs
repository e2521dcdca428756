//! The reply validator: the rules the kernel applies to a handler's reply,
//! checked against the kernel's own copy of the payload.
//!
//! It trusts nothing in the reply. Every range must lie inside the payload,
//! the packet table must tile the payload, each signature's subpacket slices
//! must tile its areas, and every classification (tag, version, algorithm,
//! lengths) must match the bytes it describes. The C sanitizer in kmod/
//! implements the same rules; this is their reference.

use crate::openpgp::{self, curve_of_oid, key_field_kinds, sig_value_kinds, v6_salt_len};
use crate::skip::{walk_run, RunFault};
use crate::{
    Curve, FieldKind, Key, Op, Packet, PacketRole, Range, Reply, ShortReply, Signature, Status,
    Subpacket, FORMAT_LEGACY, FORMAT_OPENPGP, MAGIC, MAX_EMBED_DEPTH, MAX_KEYS, MAX_PACKETS,
    MAX_PAYLOAD, MAX_SIGNATURES, MAX_SUBKEYS, MAX_SUBPACKETS, MAX_SUBPACKETS_PER_AREA,
    MAX_USER_IDS, NONE, VERSION,
};
use zerocopy::IntoBytes;

/// The table a fault was found in. The C sanitizer uses the same numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Table {
    Header = 0,
    Packets = 1,
    Keys = 2,
    Signatures = 3,
    Subpackets = 4,
}

/// What is wrong with a reply. The C sanitizer uses the same numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Fault {
    /// Magic, version, op or sequence number not echoed.
    BadEcho = 0,
    /// Not a status this protocol defines.
    UnknownStatus = 1,
    /// A refusal that still fills tables, or a health reply with rows.
    RowsWithoutSuccess = 2,
    /// A count above its table's size or a protocol bound.
    CountTooLarge = 3,
    /// A row past the count, or a reserved field, is not zero.
    NotZeroed = 4,
    /// A range outside the payload or outside the range that should hold it.
    OutOfBounds = 5,
    /// Rows do not tile their area exactly (gap, overlap, short or long).
    NotTiled = 6,
    /// A packet header does not encode the tag, format or length claimed.
    HeaderMismatch = 7,
    /// A packet type that has no place in this op's payload.
    BadPacketType = 8,
    /// A role, target or item reference that does not match the payload.
    BadReference = 9,
    /// A key or signature field that does not match the bytes it covers.
    FieldMismatch = 10,
    /// An MPI whose bit count does not match its octets.
    BadMpi = 11,
    /// A classification byte (version, type, algorithm) not found at its place.
    ClassMismatch = 12,
}

/// A rejected reply: where and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub table: Table,
    pub row: usize,
    pub fault: Fault,
}

/// The verdict of a check: the first fault found, if any.
pub type Check = Result<(), Invalid>;

fn fail(table: Table, row: usize, fault: Fault) -> Invalid {
    Invalid { table, row, fault }
}

fn ensure(ok: bool, table: Table, row: usize, fault: Fault) -> Check {
    if ok {
        Ok(())
    } else {
        Err(fail(table, row, fault))
    }
}

/// Checks `reply` as the answer to request `op`/`seq` over `payload`.
///
/// `Ok(())` means the reply is a well-formed refusal or a complete, exact map
/// of the payload. The caller still decides policy (which key to use, which
/// signatures to verify) from its own bytes.
pub fn validate_reply(op: Op, seq: u32, payload: &[u8], reply: &Reply) -> Check {
    let h = &reply.header;
    let hdr = |ok, fault| ensure(ok, Table::Header, 0, fault);
    hdr(
        h.magic == MAGIC && h.version == VERSION && h.op == op.raw() && h.seq == seq,
        Fault::BadEcho,
    )?;
    hdr(h.reserved == 0, Fault::NotZeroed)?;
    let status = Status::from_raw(h.status).ok_or(fail(Table::Header, 0, Fault::UnknownStatus))?;
    hdr(payload.len() <= MAX_PAYLOAD as usize, Fault::OutOfBounds)?;
    let counts = [
        (usize::from(h.packet_count), MAX_PACKETS),
        (usize::from(h.key_count), MAX_KEYS),
        (usize::from(h.signature_count), MAX_SIGNATURES),
        (usize::from(h.subpacket_count), MAX_SUBPACKETS),
    ];
    hdr(
        counts.iter().all(|&(n, max)| n <= max),
        Fault::CountTooLarge,
    )?;
    check_unused_rows_zero(reply)?;

    if status != Status::Ok || op == Op::Health {
        hdr(
            counts.iter().all(|&(n, _)| n == 0),
            Fault::RowsWithoutSuccess,
        )?;
        return hdr(
            status != Status::Ok || h.error_offset == 0,
            Fault::NotZeroed,
        );
    }
    hdr(h.error_offset == 0, Fault::NotZeroed)?;
    let v = Validator { payload, reply };
    v.packets(op)?;
    v.keys()?;
    v.signatures()
}

/// Checks a short reply (PARSE_SIGNATURE, HEALTH): expanded into `scratch`,
/// then the same rules as [`validate_reply`]. Counts beyond the short tables
/// are refused before anything is read.
pub fn validate_short_reply(
    op: Op,
    seq: u32,
    payload: &[u8],
    short: &ShortReply,
    scratch: &mut Reply,
) -> Check {
    short
        .expand_into(scratch)
        .ok_or(fail(Table::Header, 0, Fault::CountTooLarge))?;
    validate_reply(op, seq, payload, scratch)
}

/// Checks a packed reply (PARSE_KEY) as it came off the wire: read into
/// `scratch`, then the same rules as [`validate_reply`]. Counts beyond the
/// tables, or a length other than the one the header gives, are refused
/// before any row is read.
pub fn validate_packed_reply(
    op: Op,
    seq: u32,
    payload: &[u8],
    packed: &[u8],
    scratch: &mut Reply,
) -> Check {
    scratch
        .read_packed(packed)
        .ok_or(fail(Table::Header, 0, Fault::CountTooLarge))?;
    validate_reply(op, seq, payload, scratch)
}

fn check_unused_rows_zero(reply: &Reply) -> Check {
    fn rest_zero<T: IntoBytes + zerocopy::Immutable>(rows: &[T], used: usize) -> bool {
        rows[used.min(rows.len())..]
            .as_bytes()
            .iter()
            .all(|&b| b == 0)
    }
    let h = &reply.header;
    let tables = [
        (
            rest_zero(&reply.packets, h.packet_count.into()),
            Table::Packets,
        ),
        (rest_zero(&reply.keys, h.key_count.into()), Table::Keys),
        (
            rest_zero(&reply.signatures, h.signature_count.into()),
            Table::Signatures,
        ),
        (
            rest_zero(&reply.subpackets, h.subpacket_count.into()),
            Table::Subpackets,
        ),
    ];
    for (zero, table) in tables {
        ensure(zero, table, 0, Fault::NotZeroed)?;
    }
    Ok(())
}

/// A decoded packet header: the kernel's own reading of the tag octet and
/// length octets (RFC 9580 §4.2).
pub(crate) struct PacketHeader {
    pub(crate) format: u8,
    pub(crate) tag: u8,
    pub(crate) header_len: usize,
    pub(crate) body_len: usize,
}

/// Decodes the packet header at the start of `bytes`. Partial lengths and
/// legacy indeterminate lengths are refused: no key or signature uses them.
pub(crate) fn decode_packet_header(bytes: &[u8]) -> Option<PacketHeader> {
    let first = *bytes.first()?;
    if first & 0x80 == 0 {
        return None;
    }
    let be = |n: usize| -> Option<usize> {
        let b = bytes.get(1..1 + n)?;
        Some(b.iter().fold(0usize, |acc, &x| (acc << 8) | usize::from(x)))
    };
    let (format, tag, header_len, body_len) = if first & 0x40 != 0 {
        let tag = first & 0x3F;
        let o1 = usize::from(*bytes.get(1)?);
        match o1 {
            0..=191 => (FORMAT_OPENPGP, tag, 2, o1),
            192..=223 => {
                let o2 = usize::from(*bytes.get(2)?);
                (FORMAT_OPENPGP, tag, 3, ((o1 - 192) << 8) + o2 + 192)
            }
            255 => (FORMAT_OPENPGP, tag, 6, bytes.get(2..6).map(be32)?),
            _ => return None,
        }
    } else {
        let tag = (first >> 2) & 0x0F;
        match first & 0x03 {
            0 => (FORMAT_LEGACY, tag, 2, be(1)?),
            1 => (FORMAT_LEGACY, tag, 3, be(2)?),
            2 => (FORMAT_LEGACY, tag, 5, be(4)?),
            _ => return None,
        }
    };
    (tag != 0).then_some(PacketHeader {
        format,
        tag,
        header_len,
        body_len,
    })
}

fn be32(b: &[u8]) -> usize {
    b.iter().fold(0usize, |acc, &x| (acc << 8) | usize::from(x))
}

/// Decodes a subpacket length (RFC 9580 §5.2.3.7): (length octets, length).
pub(crate) fn decode_subpacket_len(bytes: &[u8]) -> Option<(usize, usize)> {
    let o1 = usize::from(*bytes.first()?);
    match o1 {
        0..=191 => Some((1, o1)),
        192..=254 => Some((2, ((o1 - 192) << 8) + usize::from(*bytes.get(1)?) + 192)),
        _ => Some((5, bytes.get(1..5).map(be32)?)),
    }
}

struct Validator<'a> {
    payload: &'a [u8],
    reply: &'a Reply,
}

impl Validator<'_> {
    fn bytes(&self, r: Range, table: Table, row: usize) -> Result<&[u8], Invalid> {
        r.slice(self.payload)
            .ok_or(fail(table, row, Fault::OutOfBounds))
    }

    fn packet_body(&self, p: &Packet) -> Range {
        // Called only on rows `packets` accepted, whose header fits.
        let hl = u32::from(p.header_len).min(p.whole.len);
        Range {
            off: p.whole.off.saturating_add(hl),
            len: p.whole.len - hl,
        }
    }

    fn packets(&self, op: Op) -> Check {
        let t = Table::Packets;
        let packets = self.reply.packets();
        ensure(!packets.is_empty(), t, 0, Fault::NotTiled)?;
        let (mut cursor, mut last_component, mut subkeys, mut user_ids) = (0u64, NONE, 0, 0);
        // A skipped run holding a user id hides the component of whatever
        // follows it, so no mapped signature may come next.
        let mut hidden_component = false;
        let mut after_run = false;
        for (row, p) in packets.iter().enumerate() {
            ensure(u64::from(p.whole.off) == cursor, t, row, Fault::NotTiled)?;
            let bytes = self.bytes(p.whole, t, row)?;
            cursor = p.whole.end();
            if p.role == PacketRole::Skipped.raw() {
                ensure(
                    op == Op::ParseKey && row != 0 && !after_run,
                    t,
                    row,
                    Fault::BadPacketType,
                )?;
                ensure(
                    p.tag == 0 && p.header_len == 0 && p.format == 0 && !bytes.is_empty(),
                    t,
                    row,
                    Fault::HeaderMismatch,
                )?;
                ensure(
                    p.item == NONE && p.target == last_component,
                    t,
                    row,
                    Fault::BadReference,
                )?;
                let component = packets
                    .get(usize::from(last_component))
                    .and_then(|c| PacketRole::from_raw(c.role));
                let holds = walk_run(bytes, component, &mut |_| {}).map_err(|e| match e {
                    RunFault::Framing => fail(t, row, Fault::HeaderMismatch),
                    RunFault::NotSkippable => fail(t, row, Fault::BadPacketType),
                })?;
                hidden_component |= holds;
                after_run = true;
                continue;
            }
            after_run = false;
            let hdr = decode_packet_header(bytes).ok_or(fail(t, row, Fault::HeaderMismatch))?;
            ensure(
                hdr.format == p.format
                    && hdr.tag == p.tag
                    && hdr.header_len == usize::from(p.header_len)
                    && hdr.header_len + hdr.body_len == bytes.len(),
                t,
                row,
                Fault::HeaderMismatch,
            )?;
            let role = openpgp::packet_role(p.tag).ok_or(fail(t, row, Fault::BadPacketType))?;
            ensure(p.role == role.raw(), t, row, Fault::BadReference)?;
            let allowed = match op {
                Op::ParseSignature => row == 0 && role == PacketRole::Signature,
                _ => (row == 0) == (role == PacketRole::PrimaryKey),
            };
            ensure(allowed, t, row, Fault::BadPacketType)?;
            let (item_ok, target) = match role {
                PacketRole::PrimaryKey | PacketRole::Subkey => {
                    let key = self.reply.keys().get(usize::from(p.item));
                    (key.is_some_and(|k| usize::from(k.packet) == row), NONE)
                }
                PacketRole::Signature => {
                    let sig = self.reply.signatures().get(usize::from(p.item));
                    let ok = sig.is_some_and(|s| usize::from(s.packet) == row && s.parent == NONE);
                    (ok && !hidden_component, last_component)
                }
                _ => (p.item == NONE, NONE),
            };
            ensure(item_ok && p.target == target, t, row, Fault::BadReference)?;
            match role {
                PacketRole::Subkey => subkeys += 1,
                PacketRole::UserId | PacketRole::UserAttribute => user_ids += 1,
                _ => {}
            }
            if !matches!(role, PacketRole::Signature | PacketRole::Ignored) {
                last_component = row as u16;
                hidden_component = false;
            }
        }
        ensure(
            cursor == self.payload.len() as u64,
            t,
            packets.len(),
            Fault::NotTiled,
        )?;
        ensure(
            subkeys <= MAX_SUBKEYS && user_ids <= MAX_USER_IDS,
            Table::Header,
            0,
            Fault::CountTooLarge,
        )
    }

    fn keys(&self) -> Check {
        let t = Table::Keys;
        let packets = self.reply.packets();
        let key_packets = packets
            .iter()
            .filter(|p| {
                matches!(
                    PacketRole::from_raw(p.role),
                    Some(PacketRole::PrimaryKey | PacketRole::Subkey)
                )
            })
            .count();
        ensure(
            self.reply.keys().len() == key_packets,
            t,
            0,
            Fault::BadReference,
        )?;
        for (row, k) in self.reply.keys().iter().enumerate() {
            let p = packets
                .get(usize::from(k.packet))
                .filter(|p| {
                    usize::from(p.item) == row
                        && matches!(
                            PacketRole::from_raw(p.role),
                            Some(PacketRole::PrimaryKey | PacketRole::Subkey)
                        )
                })
                .ok_or(fail(t, row, Fault::BadReference))?;
            self.key(row, k, self.packet_body(p))?;
        }
        Ok(())
    }

    fn key(&self, row: usize, k: &Key, body: Range) -> Check {
        let t = Table::Keys;
        let b = self.bytes(body, t, row)?;
        let material_start = match (k.version, b.first()) {
            (4, Some(4)) => 6,
            (6, Some(6)) => 10,
            _ => return Err(fail(t, row, Fault::ClassMismatch)),
        };
        ensure(b.len() >= material_start, t, row, Fault::FieldMismatch)?;
        ensure(b[5] == k.pk_algo, t, row, Fault::ClassMismatch)?;
        if k.version == 6 {
            let count = be32(&b[6..10]);
            ensure(count == b.len() - 10, t, row, Fault::FieldMismatch)?;
        }
        ensure(k.reserved == 0, t, row, Fault::NotZeroed)?;
        let n = usize::from(k.field_count);
        let layout = key_field_kinds(k.pk_algo);
        let expected_n = layout.map_or(1, |l| l.len());
        ensure(n == expected_n, t, row, Fault::FieldMismatch)?;
        let start = body.off + material_start as u32;
        let mut curve = Curve::None;
        self.fields(
            t,
            row,
            (start, body.end()),
            &k.fields,
            &k.field_kind,
            n,
            layout,
            false,
            |kind, bytes| {
                if kind == FieldKind::Oid {
                    curve = curve_of_oid(&bytes[1..]);
                }
            },
        )?;
        ensure(k.curve == curve.raw(), t, row, Fault::ClassMismatch)
    }

    /// Checks that `fields[..n]` tile `[start, end)` with the kinds `layout`
    /// prescribes (a single opaque field when the algorithm is unknown), that
    /// unused slots are empty, and each field's encoding matches its bytes.
    #[allow(clippy::too_many_arguments)]
    fn fields(
        &self,
        t: Table,
        row: usize,
        (start, end): (u32, u64),
        fields: &[Range],
        kinds: &[u8],
        n: usize,
        layout: Option<&[(FieldKind, usize)]>,
        values: bool,
        mut visit: impl FnMut(FieldKind, &[u8]),
    ) -> Check {
        let mut cursor = u64::from(start);
        for (i, (&r, &kind)) in fields.iter().zip(kinds).enumerate() {
            if i >= n {
                ensure(r == Range::EMPTY && kind == 0, t, row, Fault::NotZeroed)?;
                continue;
            }
            ensure(u64::from(r.off) == cursor, t, row, Fault::NotTiled)?;
            cursor = r.end();
            let bytes = self.bytes(r, t, row)?;
            let (want, size) = layout.map_or((FieldKind::Opaque, 0), |l| l[i]);
            ensure(kind == want.raw(), t, row, Fault::FieldMismatch)?;
            let ok = match want {
                FieldKind::Mpi => {
                    let sound = if values {
                        mpi_is_sound_value(bytes)
                    } else {
                        mpi_is_exact(bytes)
                    };
                    ensure(sound, t, row, Fault::BadMpi)?;
                    true
                }
                FieldKind::Oid => {
                    bytes.len() >= 2 && usize::from(bytes[0]) == bytes.len() - 1 && bytes[0] != 0xFF
                }
                FieldKind::Kdf => bytes.len() == 4 && bytes[0] == 3 && bytes[1] == 1,
                FieldKind::Native => bytes.len() == size,
                FieldKind::Opaque => true,
            };
            ensure(ok, t, row, Fault::FieldMismatch)?;
            visit(want, bytes);
        }
        ensure(cursor == end, t, row, Fault::NotTiled)
    }

    fn signatures(&self) -> Check {
        let t = Table::Signatures;
        let sigs = self.reply.signatures();
        let packets = self.reply.packets();
        let subpackets = self.reply.subpackets();
        // Every row is referenced exactly once: by its packet (top level) or
        // by its embedding subpacket, and the references point back.
        let top_level = packets
            .iter()
            .filter(|p| p.role == PacketRole::Signature.raw())
            .count();
        let embedded = subpackets.iter().filter(|s| s.embedded != NONE).count();
        ensure(
            top_level + embedded == sigs.len(),
            t,
            0,
            Fault::BadReference,
        )?;
        let mut cursor = 0usize;
        for (row, s) in sigs.iter().enumerate() {
            let packet =
                packets
                    .get(usize::from(s.packet))
                    .ok_or(fail(t, row, Fault::BadReference))?;
            let (body, target, is_embedded) = if s.parent == NONE {
                ensure(
                    s.subpacket == NONE && usize::from(packet.item) == row,
                    t,
                    row,
                    Fault::BadReference,
                )?;
                (self.packet_body(packet), packet.target, false)
            } else {
                let parent_row = usize::from(s.parent);
                let parent = sigs
                    .get(parent_row)
                    .filter(|_| parent_row < row)
                    .ok_or(fail(t, row, Fault::BadReference))?;
                ensure(
                    parent.packet == s.packet && depth(sigs, parent) < MAX_EMBED_DEPTH,
                    t,
                    row,
                    Fault::BadReference,
                )?;
                let sp_row = usize::from(s.subpacket);
                let in_parent = |first: u16, count: u16| {
                    (usize::from(first)..usize::from(first) + usize::from(count)).contains(&sp_row)
                };
                let sp = subpackets
                    .get(sp_row)
                    .filter(|sp| usize::from(sp.embedded) == row)
                    .filter(|_| {
                        in_parent(parent.hashed_first, parent.hashed_count)
                            || in_parent(parent.unhashed_first, parent.unhashed_count)
                    })
                    .ok_or(fail(t, row, Fault::BadReference))?;
                let hl = u32::from(sp.header_len);
                let body = Range {
                    off: sp.whole.off + hl,
                    len: sp.whole.len.saturating_sub(hl),
                };
                (body, parent.target, true)
            };
            ensure(
                s.body == body && s.target == target,
                t,
                row,
                Fault::BadReference,
            )?;
            let target_role = (target != NONE)
                .then(|| packets.get(usize::from(target)))
                .flatten()
                .and_then(|p| PacketRole::from_raw(p.role));
            let role = openpgp::sig_role(s.sig_type, target_role, is_embedded);
            ensure(s.role == role.raw(), t, row, Fault::BadReference)?;
            self.signature(row, s)?;
            // Subpacket slices follow each other in signature order. A v3
            // signature has no subpacket areas: both slices are empty.
            if s.version == 3 {
                ensure(
                    usize::from(s.hashed_first) == cursor
                        && usize::from(s.unhashed_first) == cursor,
                    t,
                    row,
                    Fault::NotTiled,
                )?;
                continue;
            }
            for (first, count, area) in [
                (s.hashed_first, s.hashed_count, s.hashed_area),
                (s.unhashed_first, s.unhashed_count, s.unhashed_area),
            ] {
                ensure(usize::from(first) == cursor, t, row, Fault::NotTiled)?;
                let n = usize::from(count);
                ensure(n <= MAX_SUBPACKETS_PER_AREA, t, row, Fault::CountTooLarge)?;
                let slice =
                    subpackets
                        .get(cursor..cursor + n)
                        .ok_or(fail(t, row, Fault::BadReference))?;
                self.subpackets(row, cursor, slice, area)?;
                cursor += n;
            }
        }
        ensure(
            cursor == subpackets.len(),
            Table::Subpackets,
            cursor,
            Fault::NotTiled,
        )
    }

    fn signature(&self, row: usize, s: &Signature) -> Check {
        let t = Table::Signatures;
        let b = self.bytes(s.body, t, row)?;
        let at = |rel: usize, len: usize| -> Range {
            Range::span(s.body.off as usize + rel, s.body.off as usize + rel + len)
        };
        let need = |n: usize| ensure(b.len() >= n, t, row, Fault::FieldMismatch);
        let (values_start, v3) = match (s.version, b.first()) {
            (3, Some(3)) => {
                need(19)?;
                ensure(b[1] == 5, t, row, Fault::FieldMismatch)?;
                ensure(
                    b[2] == s.sig_type && b[15] == s.pk_algo && b[16] == s.hash_algo,
                    t,
                    row,
                    Fault::ClassMismatch,
                )?;
                ensure(
                    s.hashed_area == at(2, 5)
                        && s.issuer == at(7, 8)
                        && s.unhashed_area == Range::EMPTY
                        && s.hash_prefix == at(17, 2)
                        && s.salt == Range::EMPTY,
                    t,
                    row,
                    Fault::FieldMismatch,
                )?;
                (19, true)
            }
            (4, Some(4)) | (6, Some(6)) => {
                let count_len = if s.version == 4 { 2 } else { 4 };
                need(4 + count_len)?;
                ensure(
                    b[1] == s.sig_type && b[2] == s.pk_algo && b[3] == s.hash_algo,
                    t,
                    row,
                    Fault::ClassMismatch,
                )?;
                let hashed_len = be32(&b[4..4 + count_len]);
                let hashed_start = 4 + count_len;
                let unhashed_count_at = hashed_start + hashed_len;
                need(unhashed_count_at + count_len)?;
                let unhashed_len = be32(&b[unhashed_count_at..unhashed_count_at + count_len]);
                let unhashed_start = unhashed_count_at + count_len;
                let prefix_at = unhashed_start + unhashed_len;
                need(prefix_at + 2)?;
                let mut values_start = prefix_at + 2;
                let salt = if s.version == 6 {
                    need(values_start + 1)?;
                    let salt_len = usize::from(b[values_start]);
                    let expected = v6_salt_len(s.hash_algo).unwrap_or(salt_len);
                    ensure(salt_len == expected, t, row, Fault::FieldMismatch)?;
                    need(values_start + 1 + salt_len)?;
                    let salt = at(values_start + 1, salt_len);
                    values_start += 1 + salt_len;
                    salt
                } else {
                    Range::EMPTY
                };
                ensure(
                    s.hashed_area == at(hashed_start, hashed_len)
                        && s.unhashed_area == at(unhashed_start, unhashed_len)
                        && s.hash_prefix == at(prefix_at, 2)
                        && s.salt == salt
                        && s.issuer == Range::EMPTY,
                    t,
                    row,
                    Fault::FieldMismatch,
                )?;
                (values_start, false)
            }
            _ => return Err(fail(t, row, Fault::ClassMismatch)),
        };
        if v3 {
            ensure(
                s.hashed_count == 0 && s.unhashed_count == 0,
                t,
                row,
                Fault::FieldMismatch,
            )?;
        }
        let layout = sig_value_kinds(s.pk_algo);
        let n = usize::from(s.value_count);
        ensure(
            n == layout.map_or(1, |l| l.len()),
            t,
            row,
            Fault::FieldMismatch,
        )?;
        self.fields(
            t,
            row,
            (s.body.off + values_start as u32, s.body.end()),
            &s.values,
            &s.value_kind,
            n,
            layout,
            true,
            |_, _| {},
        )
    }

    fn subpackets(&self, sig_row: usize, first: usize, slice: &[Subpacket], area: Range) -> Check {
        let t = Table::Subpackets;
        let mut cursor = u64::from(area.off);
        for (i, sp) in slice.iter().enumerate() {
            let row = first + i;
            ensure(u64::from(sp.whole.off) == cursor, t, row, Fault::NotTiled)?;
            cursor = sp.whole.end();
            ensure(cursor <= area.end(), t, row, Fault::OutOfBounds)?;
            let bytes = self.bytes(sp.whole, t, row)?;
            let (len_octets, len) =
                decode_subpacket_len(bytes).ok_or(fail(t, row, Fault::HeaderMismatch))?;
            ensure(
                len >= 1
                    && len_octets + len == bytes.len()
                    && usize::from(sp.header_len) == len_octets + 1
                    && bytes[len_octets] == sp.type_octet,
                t,
                row,
                Fault::HeaderMismatch,
            )?;
            let is_embedded = sp.type_octet & !openpgp::SUBPACKET_CRITICAL
                == openpgp::SUBPACKET_EMBEDDED_SIGNATURE;
            let embedded_ok = if is_embedded {
                self.reply
                    .signatures()
                    .get(usize::from(sp.embedded))
                    .is_some_and(|e| {
                        usize::from(e.parent) == sig_row && usize::from(e.subpacket) == row
                    })
            } else {
                sp.embedded == NONE
            };
            ensure(embedded_ok, t, row, Fault::BadReference)?;
        }
        ensure(
            cursor == area.end(),
            t,
            first + slice.len(),
            Fault::NotTiled,
        )
    }
}

/// How deeply `s` is embedded (0 for a signature packet).
fn depth(sigs: &[Signature], s: &Signature) -> usize {
    let mut d = 0;
    let mut cur = s;
    while cur.parent != NONE {
        d += 1;
        match sigs.get(usize::from(cur.parent)) {
            Some(p) if d <= MAX_EMBED_DEPTH => cur = p,
            _ => return usize::MAX,
        }
    }
    d
}

/// An MPI (RFC 9580 §3.2) whose bit count names exactly its octets: no
/// leading zero octet, and the top octet's highest set bit where the count says.
pub fn mpi_is_exact(bytes: &[u8]) -> bool {
    mpi_bits(bytes).is_some_and(|(claimed, held, _)| claimed == held)
}

/// The bit count an MPI claims, the bits its value octets hold and their
/// number; `None` when shorter than its count field or its top value octet
/// is zero.
fn mpi_bits(bytes: &[u8]) -> Option<(usize, usize, usize)> {
    let (count, value) = bytes.split_first_chunk::<2>()?;
    let claimed = usize::from(u16::from_be_bytes(*count));
    let held = match value.first() {
        None => 0,
        Some(0) => return None,
        Some(&top) => 8 * value.len() - top.leading_zeros() as usize,
    };
    Some((claimed, held, value.len()))
}

/// The MPI rule for signature values: as [`mpi_is_exact`], except that the
/// bit count may overstate the value's length within its top octet (some
/// implementations wrote EdDSA's R and S with a bit count of 256 whatever
/// their top bits; gpg and sequoia read them). The octets are still exactly
/// those the bit count names, and the top octet is not zero, so the value
/// has one encoding length and is read the same way.
pub fn mpi_is_sound_value(bytes: &[u8]) -> bool {
    mpi_bits(bytes)
        .is_some_and(|(claimed, held, octets)| claimed.div_ceil(8) == octets && claimed >= held)
}
