//! Minimal OpenPGP encoders (RFC 9580 §4.2, §5.2.3.7, §3.2) written for the
//! fuzz targets: they build structured inputs and re-encode what the parser
//! decoded so that framing round trips can be checked.

/// Length octets of an OpenPGP-format ("new") packet header or of a
/// subpacket: the shortest form, or the five-octet form when `form` is 2.
pub fn new_length(len: usize, form: u8, out: &mut Vec<u8>) {
    if len < 192 && form != 2 {
        out.push(len as u8);
    } else if len < 8384 && form != 2 {
        let v = len - 192;
        out.push(((v >> 8) as u8) + 192);
        out.push(v as u8);
    } else {
        out.push(0xFF);
        out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
    }
}

/// A whole packet header. `legacy` selects the legacy format (tags 0..15
/// only; higher tags fall back to the OpenPGP format). `form` as above; for
/// legacy 0 = shortest, 1 = two-octet, 2 = four-octet length.
pub fn packet_header(tag: u8, legacy: bool, form: u8, len: usize, out: &mut Vec<u8>) {
    if legacy && tag < 16 {
        let ty: u8 = match form {
            0 if len < 256 => 0,
            0 | 1 if len < 65536 => 1,
            _ => 2,
        };
        out.push(0x80 | (tag << 2) | ty);
        match ty {
            0 => out.push(len as u8),
            1 => out.extend_from_slice(&(len as u16).to_be_bytes()),
            _ => out.extend_from_slice(&(len as u32).to_be_bytes()),
        }
    } else {
        out.push(0xC0 | (tag & 0x3F));
        new_length(len, form, out);
    }
}

/// A packet: header then body.
pub fn packet(tag: u8, legacy: bool, form: u8, body: &[u8], out: &mut Vec<u8>) {
    packet_header(tag, legacy, form, body.len(), out);
    out.extend_from_slice(body);
}

/// Length octets of a signature subpacket (1, 2 or 5 octets). `len` counts
/// the type octet and the body.
pub fn subpacket_length(len: usize, form: u8, out: &mut Vec<u8>) {
    new_length(len, form, out)
}

/// An exact MPI (RFC 9580 §3.2) of `value` with leading zero octets removed.
pub fn mpi(value: &[u8], out: &mut Vec<u8>) {
    let start = value.iter().position(|&b| b != 0).unwrap_or(value.len());
    let v = &value[start..];
    let bits = match v.first() {
        Some(&top) => (v.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    };
    out.extend_from_slice(&(bits as u16).to_be_bytes());
    out.extend_from_slice(v);
}
