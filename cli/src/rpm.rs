//! A reader of the RPM package layout, just far enough to check a header
//! signature: the lead, the signature header, and the main header, whose
//! bytes are exactly what rpm's header-only signatures sign.
//!
//! Layout (rpm 4 package format):
//!
//! ```text
//! lead             96 bytes, magic ED AB EE DB, major version 3 or 4,
//!                  signature type 5 ("header-style signature")
//! signature header header magic 8E AD E8 01 + 4 reserved bytes,
//!                  index count (u32 BE), data length (u32 BE),
//!                  index entries (16 bytes each: tag, type, offset, count),
//!                  data; then zero padding to a multiple of 8 bytes
//! main header      the same structure, not padded
//! payload          (never read here)
//! ```
//!
//! rpm hashes the main header from its magic (with the reserved bytes)
//! through the end of its data: for a package file that is the whole
//! immutable region, and rpm refuses a package whose region tag (63,
//! `HEADERIMMUTABLE`) does not cover the whole header. This reader applies the
//! same rule, so [`RpmHeaders::region`] is the signed data.
//!
//! Every count and offset is checked against named bounds and against the
//! bytes actually present before it is used; the reader never allocates
//! more than the input holds, and errors are values, never panics.
#![forbid(unsafe_code)]

use std::fmt;
use std::io::Read;

/// Length of the lead.
pub const LEAD_LEN: usize = 96;
/// The first four bytes of every RPM package.
pub const LEAD_MAGIC: [u8; 4] = [0xED, 0xAB, 0xEE, 0xDB];
/// The lead's signature type for packages with a signature header.
pub const LEAD_SIGNATURE_TYPE_HEADER: u16 = 5;
/// The first four bytes of a header; four reserved bytes follow.
pub const HEADER_MAGIC: [u8; 4] = [0x8E, 0xAD, 0xE8, 0x01];
/// Magic, reserved bytes, index count, data length.
pub const HEADER_PREAMBLE_LEN: usize = 16;
/// Length of one index entry.
pub const INDEX_ENTRY_LEN: usize = 16;
/// The signature header is padded to this alignment.
pub const SIGNATURE_HEADER_ALIGN: usize = 8;

/// Most index entries in a signature header (rpm writes about ten).
pub const MAX_SIGNATURE_ENTRIES: u32 = 64;
/// Most data bytes in a signature header (rpm reserves 4 KiB for signatures;
/// file-verity signatures can make it larger).
pub const MAX_SIGNATURE_DATA: u32 = 16 * 1024 * 1024;
/// Most index entries in a main header (rpm's own limit).
pub const MAX_MAIN_ENTRIES: u32 = 0x10000;
/// Most bytes of a main header including preamble and index: what one
/// verification request may carry as data.
pub const MAX_REGION_LEN: u32 = pgp_umd_proto::VERIFY_MAX_DATA;
/// Most bytes of one header signature packet (an RSA 16384 signature is
/// about 2 KiB).
pub const MAX_SIGNATURE_PACKET: usize = 64 * 1024;
/// The entries' values may add up to this many times the data length (rpm
/// writes each value once: at most 1).
pub const VALUE_BYTES_PER_DATA_BYTE: usize = 2;
/// Most elements of a tag 278 string array.
pub const MAX_OPENPGP_SIGNATURES: u32 = 16;

/// Region tag of the signature header (`HEADERSIGNATURES`).
pub const TAG_HEADER_SIGNATURES: u32 = 62;
/// Region tag of the main header (`HEADERIMMUTABLE`).
pub const TAG_HEADER_IMMUTABLE: u32 = 63;
/// Tag old packages have in their signature region trailer (`HEADERIMAGE`).
pub const TAG_HEADER_IMAGE: u32 = 61;
/// Header-only DSA or EdDSA signature packet (`DSAHEADER`, BIN).
pub const TAG_DSA_HEADER: u32 = 267;
/// Header-only RSA signature packet (`RSAHEADER`, BIN).
pub const TAG_RSA_HEADER: u32 = 268;
/// Header-only OpenPGP signatures, base64 (`OPENPGP`, string array).
pub const TAG_OPENPGP: u32 = 278;

/// `SHA1HEADER` (signature header, STRING): SHA-1 of the main header, hex.
pub const TAG_SHA1_HEADER: u32 = 269;
/// `SHA256HEADER` (signature header, STRING): SHA-256 of the main header, hex.
pub const TAG_SHA256_HEADER: u32 = 273;
/// `SIGMD5` (signature header, BIN, 16 bytes): MD5 of the main header and
/// the payload, the legacy digest of packages older than rpm 4.14.
pub const TAG_MD5: u32 = 1004;
/// `PAYLOADDIGEST` (main header, STRING_ARRAY): digest of the payload as
/// stored in the file, hex.
pub const TAG_PAYLOAD_DIGEST: u32 = 5092;
/// `PAYLOADDIGESTALGO` (main header, INT32): the OpenPGP hash id of the
/// payload digests.
pub const TAG_PAYLOAD_DIGEST_ALGO: u32 = 5093;
/// `PAYLOADDIGESTALT` (main header, STRING_ARRAY): the alternative payload
/// digest (of the uncompressed payload), hex.
pub const TAG_PAYLOAD_DIGEST_ALT: u32 = 5097;
/// Length of an MD5 digest.
pub const MD5_LEN: usize = 16;
/// Most hex digits of a digest string (SHA-512: 128).
pub const MAX_DIGEST_HEX: usize = 128;

/// Header entry data types.
pub mod types {
    pub const NULL: u32 = 0;
    pub const CHAR: u32 = 1;
    pub const INT8: u32 = 2;
    pub const INT16: u32 = 3;
    pub const INT32: u32 = 4;
    pub const INT64: u32 = 5;
    pub const STRING: u32 = 6;
    pub const BIN: u32 = 7;
    pub const STRING_ARRAY: u32 = 8;
    pub const I18NSTRING: u32 = 9;
}

/// Which part of the package an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Lead,
    SignatureHeader,
    MainHeader,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Lead => "lead",
            Part::SignatureHeader => "signature header",
            Part::MainHeader => "main header",
        })
    }
}

/// Why a package could not be read.
#[derive(Debug)]
pub enum RpmError {
    /// Reading failed (other than by ending early).
    Io(std::io::Error),
    /// The file ends inside `part`.
    Truncated(Part),
    /// The lead magic is missing.
    NotAnRpm,
    /// A lead major version other than 3 or 4.
    UnsupportedLeadVersion(u8),
    /// A lead signature type other than 5 (header-style).
    UnsupportedSignatureType(u16),
    /// The header magic (or its version byte) is wrong.
    BadHeaderMagic(Part),
    /// More index entries than the bound for this header.
    TooManyEntries { part: Part, count: u32, max: u32 },
    /// The header is larger than the bound for it.
    TooLarge { part: Part, len: u64, max: u64 },
    /// An entry whose type is not a known header type.
    BadEntryType {
        part: Part,
        index: u32,
        tag: u32,
        typ: u32,
    },
    /// An entry whose data lies (partly) outside the data area, is
    /// misaligned, or whose strings are not terminated inside it.
    BadEntryData { part: Part, index: u32, tag: u32 },
    /// The entries' values add up to more than the bound allows: entries
    /// that share their data (entry `index` went over).
    OverlappingValues { part: Part, index: u32 },
    /// The region tag or its trailer is missing or inconsistent, or the
    /// region does not cover the whole header.
    BadRegion { part: Part, reason: &'static str },
    /// A header signature tag with the wrong type, size or encoding.
    BadSignatureTag { tag: u32, reason: &'static str },
    /// A digest tag with the wrong type, size or encoding.
    BadDigestTag { tag: u32, reason: &'static str },
}

impl fmt::Display for RpmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RpmError::Io(e) => write!(f, "cannot read: {e}"),
            RpmError::Truncated(p) => write!(f, "truncated: the file ends inside the {p}"),
            RpmError::NotAnRpm => write!(f, "not an RPM package (no lead magic)"),
            RpmError::UnsupportedLeadVersion(v) => {
                write!(f, "unsupported RPM lead version {v}")
            }
            RpmError::UnsupportedSignatureType(t) => {
                write!(f, "unsupported lead signature type {t} (expected 5)")
            }
            RpmError::BadHeaderMagic(p) => write!(f, "{p}: bad header magic"),
            RpmError::TooManyEntries { part, count, max } => {
                write!(f, "{part}: {count} index entries (at most {max})")
            }
            RpmError::TooLarge { part, len, max } => {
                write!(f, "{part}: {len} bytes (at most {max})")
            }
            RpmError::BadEntryType {
                part,
                index,
                tag,
                typ,
            } => write!(
                f,
                "{part}: entry {index} (tag {tag}) has unknown type {typ}"
            ),
            RpmError::BadEntryData { part, index, tag } => write!(
                f,
                "{part}: entry {index} (tag {tag}) points outside its data or is misaligned"
            ),
            RpmError::OverlappingValues { part, index } => write!(
                f,
                "{part}: entry {index}: the entries' values overlap far beyond the data length"
            ),
            RpmError::BadRegion { part, reason } => write!(f, "{part}: bad region: {reason}"),
            RpmError::BadSignatureTag { tag, reason } => {
                write!(f, "signature tag {tag}: {reason}")
            }
            RpmError::BadDigestTag { tag, reason } => write!(f, "digest tag {tag}: {reason}"),
        }
    }
}

impl std::error::Error for RpmError {}

/// One header-only signature found in the signature header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderSignature {
    /// 267, 268 or 278.
    pub tag: u32,
    /// The binary OpenPGP signature packet (tag 278: base64-decoded).
    pub packet: Vec<u8>,
}

/// What [`read_rpm`] extracts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpmHeaders {
    /// The main header exactly as rpm hashes it for header signatures and
    /// for `SHA256HEADER`: magic and reserved bytes, index count, data
    /// length, index entries, data.
    pub region: Vec<u8>,
    /// File offset of the main header (= of `region`).
    pub region_offset: u64,
    /// The header-only signatures, in signature-header order (tag 278
    /// contributes one per string).
    pub signatures: Vec<HeaderSignature>,
    /// The digests the package records.
    pub digests: RecordedDigests,
}

/// The digests a package records, as found (hex strings lowercase).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordedDigests {
    /// `SHA256HEADER`: of [`RpmHeaders::region`].
    pub sha256_header: Option<String>,
    /// `SHA1HEADER`: of [`RpmHeaders::region`].
    pub sha1_header: Option<String>,
    /// `SIGMD5`: of the region followed by the payload.
    pub md5: Option<[u8; MD5_LEN]>,
    /// `PAYLOADDIGEST` (its first element): of the payload bytes.
    pub payload: Option<String>,
    /// `PAYLOADDIGESTALT` (its first element).
    pub payload_alt: Option<String>,
    /// `PAYLOADDIGESTALGO`: OpenPGP hash id (rpm's default is 8, SHA-256).
    pub payload_algo: Option<u32>,
}

/// One decoded index entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub tag: u32,
    pub typ: u32,
    pub offset: i32,
    pub count: u32,
}

/// A header held whole: preamble, index, data.
struct Header {
    bytes: Vec<u8>,
    il: u32,
    dl: u32,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(s.try_into().ok()?))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes(s.try_into().ok()?))
}

impl Header {
    fn entry(&self, i: u32) -> Option<Entry> {
        let at = HEADER_PREAMBLE_LEN
            .checked_add(usize::try_from(i).ok()?.checked_mul(INDEX_ENTRY_LEN)?)?;
        Some(Entry {
            tag: be32(&self.bytes, at)?,
            typ: be32(&self.bytes, at + 4)?,
            offset: i32::from_be_bytes(be32(&self.bytes, at + 8)?.to_be_bytes()),
            count: be32(&self.bytes, at + 12)?,
        })
    }

    fn data(&self) -> &[u8] {
        let start = HEADER_PREAMBLE_LEN + self.il as usize * INDEX_ENTRY_LEN;
        self.bytes.get(start..).unwrap_or(&[])
    }

    fn entries(&self) -> impl Iterator<Item = (u32, Entry)> + '_ {
        (0..self.il).filter_map(move |i| self.entry(i).map(|e| (i, e)))
    }

    /// The bytes of a checked entry's value.
    fn value(&self, e: &Entry) -> &[u8] {
        let data = self.data();
        let Ok(start) = usize::try_from(e.offset) else {
            return &[];
        };
        let len = value_len(data, start, e).unwrap_or(0);
        data.get(start..start.saturating_add(len)).unwrap_or(&[])
    }
}

/// Reads exactly `n` bytes, growing the buffer only as data arrives (so a
/// lying length in a short file costs no large allocation).
fn read_n<R: Read>(r: &mut R, n: usize, part: Part) -> Result<Vec<u8>, RpmError> {
    let mut v = Vec::new();
    r.take(n as u64).read_to_end(&mut v).map_err(RpmError::Io)?;
    if v.len() < n {
        return Err(RpmError::Truncated(part));
    }
    Ok(v)
}

/// Size in bytes of one element of a fixed-size type; `None` for strings.
fn elem_size(typ: u32) -> Option<usize> {
    match typ {
        types::NULL => Some(0),
        types::CHAR | types::INT8 | types::BIN => Some(1),
        types::INT16 => Some(2),
        types::INT32 => Some(4),
        types::INT64 => Some(8),
        _ => None,
    }
}

/// Length of the value of `e` starting at `start` in `data`, or `None` if
/// it does not fit, is misaligned, or has unterminated strings.
fn value_len(data: &[u8], start: usize, e: &Entry) -> Option<usize> {
    // rpm refuses an entry of any type with count 0 ("tag[i]: BAD ... count
    // 0"); accepted, a header signature tag would yield an empty packet.
    if start > data.len() || e.count == 0 {
        return None;
    }
    match e.typ {
        types::STRING | types::STRING_ARRAY | types::I18NSTRING => {
            if e.typ == types::STRING && e.count != 1 {
                return None;
            }
            let mut pos = start;
            for _ in 0..e.count {
                let nul = data.get(pos..)?.iter().position(|&b| b == 0)?;
                pos = pos.checked_add(nul)?.checked_add(1)?;
            }
            Some(pos - start)
        }
        typ => {
            let size = elem_size(typ)?;
            if size > 1 && start % size != 0 {
                return None;
            }
            let len = size.checked_mul(usize::try_from(e.count).ok()?)?;
            (start.checked_add(len)? <= data.len()).then_some(len)
        }
    }
}

/// Reads one header: preamble, bounded index and data.
fn read_header<R: Read>(
    r: &mut R,
    part: Part,
    max_entries: u32,
    max_data: u32,
    max_len: u64,
) -> Result<Header, RpmError> {
    let pre = read_n(r, HEADER_PREAMBLE_LEN, part)?;
    if pre.get(..4) != Some(&HEADER_MAGIC[..]) {
        return Err(RpmError::BadHeaderMagic(part));
    }
    let il = be32(&pre, 8).ok_or(RpmError::Truncated(part))?;
    let dl = be32(&pre, 12).ok_or(RpmError::Truncated(part))?;
    if il > max_entries {
        return Err(RpmError::TooManyEntries {
            part,
            count: il,
            max: max_entries,
        });
    }
    if dl > max_data {
        return Err(RpmError::TooLarge {
            part,
            len: u64::from(dl),
            max: u64::from(max_data),
        });
    }
    let total = HEADER_PREAMBLE_LEN as u64 + u64::from(il) * INDEX_ENTRY_LEN as u64 + u64::from(dl);
    if total > max_len {
        return Err(RpmError::TooLarge {
            part,
            len: total,
            max: max_len,
        });
    }
    // Bounded by max_len above, which fits usize on every supported target.
    let rest_len =
        usize::try_from(total - HEADER_PREAMBLE_LEN as u64).map_err(|_| RpmError::TooLarge {
            part,
            len: total,
            max: max_len,
        })?;
    let mut bytes = pre;
    bytes.extend_from_slice(&read_n(r, rest_len, part)?);
    let h = Header { bytes, il, dl };
    check_header(&h, part)?;
    Ok(h)
}

/// Checks every entry's type and data bounds, and the region.
fn check_header(h: &Header, part: Part) -> Result<(), RpmError> {
    let data = h.data();
    // rpm writes each entry's value once, so the values add up to at most
    // the data length. Entries pointing at the same bytes over and over
    // would make the string scans quadratic: the values may add up to
    // `VALUE_BYTES_PER_DATA_BYTE` times the data length, no more.
    let budget = data.len().saturating_mul(VALUE_BYTES_PER_DATA_BYTE);
    let mut covered = 0usize;
    for (index, e) in h.entries() {
        if e.typ > types::I18NSTRING {
            return Err(RpmError::BadEntryType {
                part,
                index,
                tag: e.tag,
                typ: e.typ,
            });
        }
        let bad = RpmError::BadEntryData {
            part,
            index,
            tag: e.tag,
        };
        let start = usize::try_from(e.offset).map_err(|_| RpmError::BadEntryData {
            part,
            index,
            tag: e.tag,
        })?;
        if start >= data.len() && !(e.typ == types::NULL && start == data.len()) {
            return Err(bad);
        }
        let len = value_len(data, start, &e).ok_or(bad)?;
        covered = covered.saturating_add(len);
        if covered > budget {
            return Err(RpmError::OverlappingValues { part, index });
        }
    }
    check_region(h, part)
}

/// The first entry must be the region tag (BIN, 16 bytes) pointing at a
/// trailer that closes the data area and whose negative offset spans every
/// index entry: the region is the whole header, as rpm requires of package
/// files.
fn check_region(h: &Header, part: Part) -> Result<(), RpmError> {
    let region_tag = match part {
        Part::SignatureHeader => TAG_HEADER_SIGNATURES,
        _ => TAG_HEADER_IMMUTABLE,
    };
    let bad = |reason| RpmError::BadRegion { part, reason };
    let first = h.entry(0).ok_or(bad("no index entries"))?;
    if first.tag != region_tag {
        return Err(bad("the first entry is not the region tag"));
    }
    if first.typ != types::BIN || first.count != INDEX_ENTRY_LEN as u32 {
        return Err(bad("region tag is not 16 bytes of BIN"));
    }
    let at = usize::try_from(first.offset).map_err(|_| bad("negative region offset"))?;
    if at.checked_add(INDEX_ENTRY_LEN) != Some(h.dl as usize) {
        return Err(bad("the region trailer does not end the data"));
    }
    let t = h.value(&first);
    let (tag, typ, neg, count) = (be32(t, 0), be32(t, 4), be32(t, 8), be32(t, 12));
    let tag_ok =
        tag == Some(region_tag) || (part == Part::SignatureHeader && tag == Some(TAG_HEADER_IMAGE));
    if !tag_ok || typ != Some(types::BIN) || count != Some(INDEX_ENTRY_LEN as u32) {
        return Err(bad("region trailer does not repeat the region tag"));
    }
    let span = neg
        .map(|n| i32::from_be_bytes(n.to_be_bytes()))
        .and_then(|n| n.checked_neg())
        .and_then(|n| u64::try_from(n).ok());
    if span != Some(u64::from(h.il) * INDEX_ENTRY_LEN as u64) {
        return Err(bad("the region does not cover every index entry"));
    }
    Ok(())
}

/// Reads the lead and both headers from `r` (the payload is not read).
pub fn read_rpm<R: Read>(mut r: R) -> Result<RpmHeaders, RpmError> {
    let mut lead = Vec::new();
    (&mut r)
        .take(LEAD_LEN as u64)
        .read_to_end(&mut lead)
        .map_err(RpmError::Io)?;
    if lead.get(..4) != Some(&LEAD_MAGIC[..]) {
        return Err(RpmError::NotAnRpm);
    }
    if lead.len() < LEAD_LEN {
        return Err(RpmError::Truncated(Part::Lead));
    }
    let major = lead.get(4).copied().unwrap_or(0);
    if !(3..=4).contains(&major) {
        return Err(RpmError::UnsupportedLeadVersion(major));
    }
    let sig_type = be16(&lead, 78).unwrap_or(0);
    if sig_type != LEAD_SIGNATURE_TYPE_HEADER {
        return Err(RpmError::UnsupportedSignatureType(sig_type));
    }

    let sig = read_header(
        &mut r,
        Part::SignatureHeader,
        MAX_SIGNATURE_ENTRIES,
        MAX_SIGNATURE_DATA,
        HEADER_PREAMBLE_LEN as u64
            + u64::from(MAX_SIGNATURE_ENTRIES) * INDEX_ENTRY_LEN as u64
            + u64::from(MAX_SIGNATURE_DATA),
    )?;
    let pad = (SIGNATURE_HEADER_ALIGN - sig.bytes.len() % SIGNATURE_HEADER_ALIGN)
        % SIGNATURE_HEADER_ALIGN;
    read_n(&mut r, pad, Part::SignatureHeader)?;
    let signatures = header_signatures(&sig)?;

    let main = read_header(
        &mut r,
        Part::MainHeader,
        MAX_MAIN_ENTRIES,
        MAX_REGION_LEN,
        u64::from(MAX_REGION_LEN),
    )?;
    let digests = recorded_digests(&sig, &main)?;
    Ok(RpmHeaders {
        region_offset: (LEAD_LEN + sig.bytes.len() + pad) as u64,
        region: main.bytes,
        signatures,
        digests,
    })
}

/// [`read_rpm`] over bytes in memory.
pub fn parse_rpm(bytes: &[u8]) -> Result<RpmHeaders, RpmError> {
    read_rpm(bytes)
}

/// The first string of a checked STRING or STRING_ARRAY entry, which must
/// be a hex digest.
fn hex_digest(h: &Header, e: &Entry) -> Result<String, RpmError> {
    let bad = |reason| RpmError::BadDigestTag { tag: e.tag, reason };
    if e.typ != types::STRING && e.typ != types::STRING_ARRAY {
        return Err(bad("not a string"));
    }
    let v = h.value(e);
    let s = v.split(|&b| b == 0).next().unwrap_or_default();
    if s.len() > MAX_DIGEST_HEX || s.len() % 2 != 0 || !s.iter().all(u8::is_ascii_hexdigit) {
        return Err(bad("not a hex digest"));
    }
    Ok(String::from_utf8_lossy(s).to_ascii_lowercase())
}

/// The digests of the checked signature and main headers.
fn recorded_digests(sig: &Header, main: &Header) -> Result<RecordedDigests, RpmError> {
    let mut d = RecordedDigests::default();
    for (_, e) in sig.entries() {
        match e.tag {
            TAG_SHA256_HEADER => d.sha256_header = Some(hex_digest(sig, &e)?),
            TAG_SHA1_HEADER => d.sha1_header = Some(hex_digest(sig, &e)?),
            TAG_MD5 => {
                let v = sig.value(&e);
                let md5 = (e.typ == types::BIN)
                    .then(|| <[u8; MD5_LEN]>::try_from(v).ok())
                    .flatten()
                    .ok_or(RpmError::BadDigestTag {
                        tag: e.tag,
                        reason: "not 16 bytes of BIN",
                    })?;
                d.md5 = Some(md5);
            }
            _ => {}
        }
    }
    for (_, e) in main.entries() {
        match e.tag {
            TAG_PAYLOAD_DIGEST => d.payload = Some(hex_digest(main, &e)?),
            TAG_PAYLOAD_DIGEST_ALT => d.payload_alt = Some(hex_digest(main, &e)?),
            TAG_PAYLOAD_DIGEST_ALGO => {
                let v = main.value(&e);
                d.payload_algo = Some(
                    (e.typ == types::INT32)
                        .then(|| be32(v, 0))
                        .flatten()
                        .ok_or(RpmError::BadDigestTag {
                            tag: e.tag,
                            reason: "not an INT32",
                        })?,
                );
            }
            _ => {}
        }
    }
    Ok(d)
}

/// The header-only signatures of a checked signature header.
fn header_signatures(sig: &Header) -> Result<Vec<HeaderSignature>, RpmError> {
    use base64::Engine as _;
    let mut out = Vec::new();
    for (_, e) in sig.entries() {
        let bad = |reason| RpmError::BadSignatureTag { tag: e.tag, reason };
        match e.tag {
            TAG_RSA_HEADER | TAG_DSA_HEADER => {
                if e.typ != types::BIN {
                    return Err(bad("not of type BIN"));
                }
                let v = sig.value(&e);
                if v.len() > MAX_SIGNATURE_PACKET {
                    return Err(bad("signature packet too large"));
                }
                out.push(HeaderSignature {
                    tag: e.tag,
                    packet: v.to_vec(),
                });
            }
            TAG_OPENPGP => {
                if e.typ != types::STRING_ARRAY {
                    return Err(bad("not a string array"));
                }
                if e.count > MAX_OPENPGP_SIGNATURES {
                    return Err(bad("too many signatures"));
                }
                let v = sig.value(&e);
                for s in v.split(|&b| b == 0).take(e.count as usize) {
                    if s.len() > MAX_SIGNATURE_PACKET.div_ceil(3) * 4 {
                        return Err(bad("signature packet too large"));
                    }
                    let packet = base64::engine::general_purpose::STANDARD
                        .decode(s)
                        .map_err(|_| bad("invalid base64"))?;
                    if packet.is_empty() {
                        return Err(bad("empty signature"));
                    }
                    out.push(HeaderSignature { tag: e.tag, packet });
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    type E = (u32, u32, i32, u32);

    /// A header with region tag `region` first (its trailer appended to
    /// `data`), then `entries`.
    fn header(region: u32, entries: &[E], data: &[u8]) -> Vec<u8> {
        let il = entries.len() as u32 + 1;
        let mut d = data.to_vec();
        let trailer_at = d.len() as i32;
        d.extend_from_slice(&region.to_be_bytes());
        d.extend_from_slice(&types::BIN.to_be_bytes());
        d.extend_from_slice(&(-16 * il as i32).to_be_bytes());
        d.extend_from_slice(&16u32.to_be_bytes());
        let mut h = vec![0x8E, 0xAD, 0xE8, 0x01, 0, 0, 0, 0];
        h.extend_from_slice(&il.to_be_bytes());
        h.extend_from_slice(&(d.len() as u32).to_be_bytes());
        for (tag, typ, off, count) in
            std::iter::once((region, types::BIN, trailer_at, 16)).chain(entries.iter().copied())
        {
            for w in [tag, typ, off as u32, count] {
                h.extend_from_slice(&w.to_be_bytes());
            }
        }
        h.extend_from_slice(&d);
        h
    }

    fn lead() -> Vec<u8> {
        let mut l = vec![0u8; LEAD_LEN];
        l[..4].copy_from_slice(&LEAD_MAGIC);
        l[4] = 3;
        l[78..80].copy_from_slice(&LEAD_SIGNATURE_TYPE_HEADER.to_be_bytes());
        l
    }

    fn package(sig: &[u8], main: &[u8]) -> Vec<u8> {
        let mut p = lead();
        p.extend_from_slice(sig);
        p.resize(p.len() + (8 - sig.len() % 8) % 8, 0);
        p.extend_from_slice(main);
        p.extend_from_slice(b"payload");
        p
    }

    fn main_header() -> Vec<u8> {
        header(
            TAG_HEADER_IMMUTABLE,
            &[(1000, types::STRING, 0, 1)],
            b"name\0",
        )
    }

    fn sig_header(entries: &[E], data: &[u8]) -> Vec<u8> {
        header(TAG_HEADER_SIGNATURES, entries, data)
    }

    #[test]
    fn minimal_package() {
        let main = main_header();
        let p = package(&sig_header(&[], b""), &main);
        let h = parse_rpm(&p).expect("parses");
        assert_eq!(h.region, main);
        assert_eq!(h.region_offset, (LEAD_LEN + 48) as u64);
        assert!(h.signatures.is_empty());
    }

    #[test]
    fn rsa_and_openpgp_signatures() {
        let sig = sig_header(&[(TAG_RSA_HEADER, types::BIN, 0, 3)], b"\x88\x01\x02");
        let h = parse_rpm(&package(&sig, &main_header())).expect("parses");
        assert_eq!(
            h.signatures,
            vec![HeaderSignature {
                tag: TAG_RSA_HEADER,
                packet: vec![0x88, 1, 2]
            }]
        );

        let sig = sig_header(&[(TAG_OPENPGP, types::STRING_ARRAY, 0, 2)], b"AQID\0BAU=\0");
        let h = parse_rpm(&package(&sig, &main_header())).expect("parses");
        let packets: Vec<_> = h.signatures.iter().map(|s| s.packet.clone()).collect();
        assert_eq!(packets, vec![vec![1, 2, 3], vec![4, 5]]);

        let sig = sig_header(
            &[(TAG_OPENPGP, types::STRING_ARRAY, 0, 1)],
            b"not base64!\0",
        );
        assert!(matches!(
            parse_rpm(&package(&sig, &main_header())),
            Err(RpmError::BadSignatureTag {
                tag: TAG_OPENPGP,
                ..
            })
        ));
        let sig = sig_header(&[(TAG_RSA_HEADER, types::STRING, 0, 1)], b"x\0");
        assert!(matches!(
            parse_rpm(&package(&sig, &main_header())),
            Err(RpmError::BadSignatureTag {
                tag: TAG_RSA_HEADER,
                ..
            })
        ));
    }

    fn main_error(main: &[u8]) -> RpmError {
        match parse_rpm(&package(&sig_header(&[], b""), main)) {
            Err(e) => e,
            Ok(h) => panic!("accepted: {h:?}"),
        }
    }

    #[test]
    fn entry_checks() {
        let m =
            |entries: &[E], data: &[u8]| main_error(&header(TAG_HEADER_IMMUTABLE, entries, data));
        // INT32 at an odd offset.
        assert!(matches!(
            m(&[(1001, types::INT32, 1, 1)], b"\0\0\0\0\0\0\0\0"),
            RpmError::BadEntryData { index: 1, .. }
        ));
        // A string without its NUL inside the data before the trailer is
        // still terminated by nothing: the trailer holds zero bytes, so cut
        // the data instead by pointing past it.
        assert!(matches!(
            m(&[(1001, types::STRING, 100, 1)], b"abc\0"),
            RpmError::BadEntryData { .. }
        ));
        // Negative offset.
        assert!(matches!(
            m(&[(1001, types::BIN, -4, 1)], b"abcd"),
            RpmError::BadEntryData { .. }
        ));
        // BIN running past the data.
        assert!(matches!(
            m(&[(1001, types::BIN, 0, 1000)], b"abcd"),
            RpmError::BadEntryData { .. }
        ));
        // STRING with count 2; STRING_ARRAY with count 0.
        assert!(matches!(
            m(&[(1001, types::STRING, 0, 2)], b"a\0b\0"),
            RpmError::BadEntryData { .. }
        ));
        assert!(matches!(
            m(&[(1001, types::STRING_ARRAY, 0, 0)], b"a\0"),
            RpmError::BadEntryData { .. }
        ));
        // Count 0 of a binary or integer type (rpm refuses any count 0).
        assert!(matches!(
            m(&[(1001, types::BIN, 0, 0)], b"abcd"),
            RpmError::BadEntryData { .. }
        ));
        assert!(matches!(
            m(&[(1001, types::INT32, 0, 0)], b"abcd"),
            RpmError::BadEntryData { .. }
        ));
        // Unknown type.
        assert!(matches!(
            m(&[(1001, 10, 0, 1)], b"a\0"),
            RpmError::BadEntryType { typ: 10, .. }
        ));
        // Many entries sharing one long string: refused once the values
        // add up to more than twice the data.
        let long = [b'x'; 100];
        let mut d = long.to_vec();
        d.push(0);
        let shared: Vec<E> = (0..3).map(|i| (1001 + i, types::STRING, 0, 1)).collect();
        assert!(matches!(
            m(&shared, &d),
            RpmError::OverlappingValues { index: 3, .. }
        ));
        // Count overflowing usize arithmetic.
        assert!(matches!(
            m(&[(1001, types::INT64, 0, u32::MAX)], b"\0\0\0\0\0\0\0\0"),
            RpmError::BadEntryData { .. }
        ));
    }

    #[test]
    fn region_checks() {
        let good = main_header();
        // Region tag not first: swap the two index entries.
        let mut swapped = good.clone();
        let (a, b) = (HEADER_PREAMBLE_LEN, HEADER_PREAMBLE_LEN + INDEX_ENTRY_LEN);
        let first: Vec<u8> = swapped[a..b].to_vec();
        let second: Vec<u8> = swapped[b..b + INDEX_ENTRY_LEN].to_vec();
        swapped[a..b].copy_from_slice(&second);
        swapped[b..b + INDEX_ENTRY_LEN].copy_from_slice(&first);
        assert!(matches!(main_error(&swapped), RpmError::BadRegion { .. }));
        // Trailer covering one entry fewer than the index holds.
        let mut short = good.clone();
        let t = short.len() - 16;
        short[t + 8..t + 12].copy_from_slice(&(-16i32).to_be_bytes());
        assert!(matches!(main_error(&short), RpmError::BadRegion { .. }));
        // Trailer naming another tag.
        let mut other = good.clone();
        other[t..t + 4].copy_from_slice(&62u32.to_be_bytes());
        assert!(matches!(main_error(&other), RpmError::BadRegion { .. }));
        // A region tag in the signature header where the main one belongs.
        let wrong = header(TAG_HEADER_SIGNATURES, &[], b"");
        assert!(matches!(main_error(&wrong), RpmError::BadRegion { .. }));
        // Data after the trailer: the region does not cover the header.
        let mut longer = header(TAG_HEADER_IMMUTABLE, &[], b"");
        longer.extend_from_slice(b"\0\0\0\0");
        longer[12..16].copy_from_slice(&20u32.to_be_bytes());
        assert!(matches!(main_error(&longer), RpmError::BadRegion { .. }));
        // No entries at all.
        let mut empty = vec![0x8E, 0xAD, 0xE8, 0x01, 0, 0, 0, 0];
        empty.extend_from_slice(&[0; 8]);
        assert!(matches!(main_error(&empty), RpmError::BadRegion { .. }));
    }

    #[test]
    fn lead_and_magic_checks() {
        let p = package(&sig_header(&[], b""), &main_header());
        let mut v2 = p.clone();
        v2[4] = 2;
        assert!(matches!(
            parse_rpm(&v2),
            Err(RpmError::UnsupportedLeadVersion(2))
        ));
        let mut st = p.clone();
        st[79] = 1;
        assert!(matches!(
            parse_rpm(&st),
            Err(RpmError::UnsupportedSignatureType(1))
        ));
        let mut hm = p.clone();
        hm[LEAD_LEN + 3] = 2;
        assert!(matches!(
            parse_rpm(&hm),
            Err(RpmError::BadHeaderMagic(Part::SignatureHeader))
        ));
        assert!(matches!(parse_rpm(b"\xED\xAB"), Err(RpmError::NotAnRpm)));
        assert!(matches!(
            parse_rpm(&p[..10]),
            Err(RpmError::Truncated(Part::Lead))
        ));
    }

    #[test]
    fn bounds() {
        let p = package(&sig_header(&[], b""), &main_header());
        let mut many = p.clone();
        many[LEAD_LEN + 8..LEAD_LEN + 12]
            .copy_from_slice(&(MAX_SIGNATURE_ENTRIES + 1).to_be_bytes());
        assert!(matches!(
            parse_rpm(&many),
            Err(RpmError::TooManyEntries {
                part: Part::SignatureHeader,
                ..
            })
        ));
        let mut big = p.clone();
        big[LEAD_LEN + 12..LEAD_LEN + 16].copy_from_slice(&(MAX_SIGNATURE_DATA + 1).to_be_bytes());
        assert!(matches!(
            parse_rpm(&big),
            Err(RpmError::TooLarge {
                part: Part::SignatureHeader,
                ..
            })
        ));
        let main_at = LEAD_LEN + 48;
        let mut main_many = p.clone();
        main_many[main_at + 8..main_at + 12].copy_from_slice(&(MAX_MAIN_ENTRIES + 1).to_be_bytes());
        assert!(matches!(
            parse_rpm(&main_many),
            Err(RpmError::TooManyEntries {
                part: Part::MainHeader,
                ..
            })
        ));
        let mut main_big = p.clone();
        main_big[main_at + 12..main_at + 16].copy_from_slice(&MAX_REGION_LEN.to_be_bytes());
        assert!(matches!(
            parse_rpm(&main_big),
            Err(RpmError::TooLarge {
                part: Part::MainHeader,
                ..
            })
        ));
        // A lying length within the bounds but beyond the file: truncated,
        // without reading (or allocating) what is not there.
        let mut lying = p.clone();
        lying[main_at + 12..main_at + 16].copy_from_slice(&(MAX_REGION_LEN / 2).to_be_bytes());
        assert!(matches!(
            parse_rpm(&lying),
            Err(RpmError::Truncated(Part::MainHeader))
        ));
    }
}
