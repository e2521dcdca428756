//! Key material and signature value fields (RFC 9580 §3.2, §5.5.5, §5.2.3).

use super::{check, expect, PResult};
use nom::bytes::complete::take;
use nom::number::complete::{be_u16, be_u8};
use pgp_umd_proto::validate::{mpi_is_exact, mpi_is_sound_value};
use pgp_umd_proto::{FieldKind, Status};

/// One field of key material or a signature value, as found.
pub(crate) struct Field<'a> {
    pub kind: FieldKind,
    /// The whole encoding: length prefix and value.
    pub bytes: &'a [u8],
}

/// An MPI: two-octet bit count, then exactly that many bits, no leading zeros.
/// A signature value's bit count may overstate its top octet's bits
/// (`pgp_umd_proto::validate::mpi_is_sound_value`).
fn mpi(i: &[u8], value_rule: bool) -> PResult<'_, &[u8]> {
    let start = i;
    let (i, bits) = expect(Status::BadMpi, be_u16)(i)?;
    let (i, value) = expect(Status::BadMpi, take(usize::from(bits).div_ceil(8)))(i)?;
    let encoding = &start[..2 + value.len()];
    let sound = if value_rule {
        mpi_is_sound_value(encoding)
    } else {
        mpi_is_exact(encoding)
    };
    check(sound, Status::BadMpi)?;
    Ok((i, encoding))
}

/// A curve OID with its length octet; 0 and 0xFF are reserved lengths.
fn oid(i: &[u8], bad: Status) -> PResult<'_, &[u8]> {
    let start = i;
    let (i, len) = expect(bad, be_u8)(i)?;
    check(len != 0 && len != 0xFF, bad)?;
    let (i, _) = expect(bad, take(usize::from(len)))(i)?;
    Ok((i, &start[..1 + usize::from(len)]))
}

/// ECDH KDF parameters: length 3, reserved 1, hash id, cipher id.
fn kdf(i: &[u8], bad: Status) -> PResult<'_, &[u8]> {
    let (rest, bytes) = expect(bad, take(4usize))(i)?;
    check(bytes[0] == 3 && bytes[1] == 1, bad)?;
    Ok((rest, bytes))
}

/// Reads the fields `layout` prescribes from `i` (a single opaque field with
/// the rest of `i` when the layout is unknown) and requires them to fill `i`
/// exactly. `bad` is the status for any error other than an MPI's;
/// `values` selects the MPI rule of signature values.
pub(crate) fn read_fields<'a, const N: usize>(
    i: &'a [u8],
    layout: Option<&[(FieldKind, usize)]>,
    bad: Status,
    values: bool,
) -> Result<([Option<Field<'a>>; N], usize), Status> {
    let mut out: [Option<Field<'a>>; N] = [const { None }; N];
    let Some(layout) = layout else {
        out[0] = Some(Field {
            kind: FieldKind::Opaque,
            bytes: i,
        });
        return Ok((out, 1));
    };
    let mut rest = i;
    for (slot, &(kind, size)) in out.iter_mut().zip(layout) {
        let parsed = match kind {
            FieldKind::Mpi => mpi(rest, values),
            FieldKind::Oid => oid(rest, bad),
            FieldKind::Kdf => kdf(rest, bad),
            FieldKind::Native | FieldKind::Opaque => expect(bad, take(size))(rest),
        };
        let (next, bytes) = parsed.map_err(|e| match e {
            nom::Err::Error(f) | nom::Err::Failure(f) => f.0,
            nom::Err::Incomplete(_) => bad,
        })?;
        *slot = Some(Field { kind, bytes });
        rest = next;
    }
    if !rest.is_empty() {
        return Err(bad);
    }
    Ok((out, layout.len()))
}
