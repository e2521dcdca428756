//! Public-key and public-subkey packets, v4 and v6 (RFC 9580 §5.5.2).

use super::fields::read_fields;
use super::Builder;
use pgp_umd_proto::openpgp::{curve_of_oid, key_field_kinds};
use pgp_umd_proto::{Curve, FieldKind, Key, Range, Status, MAX_KEY_FIELDS};

/// Parses a key packet body into key row `item` (of packet row `row`).
pub(crate) fn parse_key(
    b: &mut Builder,
    body: &[u8],
    row: usize,
    item: usize,
) -> Result<(), Status> {
    let version = *body.first().ok_or(Status::BadKeyMaterial)?;
    let material_start = match version {
        2 | 3 => return Err(Status::V3Key),
        4 => 6,
        6 => 10,
        _ => return Err(Status::UnknownKeyVersion),
    };
    if body.len() < material_start {
        return Err(Status::BadKeyMaterial);
    }
    let pk_algo = body[5];
    let material = &body[material_start..];
    if version == 6 {
        // v6 states the material's length; it must be all that follows.
        let count = u32::from_be_bytes([body[6], body[7], body[8], body[9]]);
        if count as usize != material.len() {
            return Err(Status::BadKeyMaterial);
        }
    }
    let (fields, n) = read_fields::<MAX_KEY_FIELDS>(
        material,
        key_field_kinds(pk_algo),
        Status::BadKeyMaterial,
        false,
    )?;
    let mut key = Key {
        packet: row as u16,
        version,
        pk_algo,
        curve: Curve::None.raw(),
        field_count: n as u8,
        field_kind: [0; MAX_KEY_FIELDS],
        reserved: 0,
        fields: [Range::EMPTY; MAX_KEY_FIELDS],
    };
    for (i, field) in fields.iter().flatten().enumerate() {
        key.field_kind[i] = field.kind.raw();
        key.fields[i] = b.range(field.bytes);
        if field.kind == FieldKind::Oid {
            key.curve = curve_of_oid(&field.bytes[1..]).raw();
        }
    }
    b.reply.keys[item] = key;
    Ok(())
}
