//! ASCII armor (RFC 9580 §6.2): the twin of the kernel's de-armorer
//! (kmod/pgp/pgp_armor.c) for the CLI and the tests. The UMD protocol carries
//! binary only: in the kernel path the kernel removes armor itself.
//!
//! Both decoders read armor as gpg reads key files: text before, between and
//! after the blocks is skipped; LF or CRLF line ends; trailing white space is
//! ignored; `Key: Value` header lines (gpg's rule: the first `:` is followed
//! by a space or ends the line), and no blank line after them is tolerated;
//! an optional CRC24 line is checked when present; the base64 must be
//! canonical (padding only at the end, zero trailing bits — gpg and rpm
//! accept non-zero trailing bits, both decoders here refuse them). [`dearmor`]
//! decides exactly as `pgp_dearmor()` does, to the errno (fuzzed against it:
//! fuzz/fuzz_targets/c_dearmor.rs).

use base64::Engine as _;

/// The label of an armored transferable public key.
pub const LABEL_KEY: &str = "PUBLIC KEY BLOCK";
/// The label of an armored signature.
pub const LABEL_SIGNATURE: &str = "SIGNATURE";
/// Armor blocks in one input (`PGP_ARMOR_MAX_BLOCKS`).
pub const MAX_BLOCKS: usize = 64;
/// Header lines in one block (`PGP_ARMOR_MAX_HEADERS`).
pub const MAX_HEADERS: usize = 32;
/// Octets of one header line without its line end and trailing white space
/// (`PGP_ARMOR_MAX_HEADER_LEN`).
pub const MAX_HEADER_LEN: usize = 1024;

const BEGIN: &[u8] = b"-----BEGIN PGP ";
const END: &[u8] = b"-----END PGP ";
const DASHES: &[u8] = b"-----";
const EBADMSG: i32 = 74;
const EMSGSIZE: i32 = 90;

/// Why an armored input could not be decoded. [`ArmorError::errno`] gives
/// the kernel's answer to the same input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArmorError {
    /// No `-----BEGIN PGP ...-----` line at all (`-EBADMSG`).
    NoArmor,
    /// A line starting `-----BEGIN PGP ` that is not the BEGIN line of an
    /// accepted label: a block of another kind (e.g. a PRIVATE KEY BLOCK
    /// among public keys) or a malformed BEGIN line (`-EBADMSG`).
    OtherLabel,
    /// A BEGIN line without its END line (`-EBADMSG`).
    Unterminated,
    /// The body is not base64 of the canonical shape: characters outside
    /// the alphabet, a length that is not a multiple of 4, padding inside
    /// (`-EBADMSG`).
    BadBase64,
    /// The base64 ends in non-zero bits that encode nothing, e.g. `QR==`
    /// (`-EBADMSG`).
    NonCanonicalBase64,
    /// The CRC24 line is malformed, does not match the data, or is not
    /// followed by the END line (`-EBADMSG`).
    BadChecksum,
    /// More than [`MAX_BLOCKS`] blocks (`-EMSGSIZE`).
    TooManyBlocks,
    /// More than [`MAX_HEADERS`] header lines in a block (`-EMSGSIZE`).
    TooManyHeaders,
    /// A header line longer than [`MAX_HEADER_LEN`] (`-EMSGSIZE`).
    HeaderTooLong,
}

impl ArmorError {
    /// The (positive) errno the kernel's `pgp_dearmor()` returns negated.
    pub fn errno(&self) -> i32 {
        match self {
            ArmorError::TooManyBlocks | ArmorError::TooManyHeaders | ArmorError::HeaderTooLong => {
                EMSGSIZE
            }
            _ => EBADMSG,
        }
    }
}

impl std::fmt::Display for ArmorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ArmorError::NoArmor => "no ASCII armor block found",
            ArmorError::OtherLabel => {
                "an armor block of another kind (or a malformed BEGIN line) is in the input"
            }
            ArmorError::Unterminated => "armor block has no END line",
            ArmorError::BadBase64 => "armor body is not valid base64",
            ArmorError::NonCanonicalBase64 => "armor body is not canonical base64 (trailing bits)",
            ArmorError::BadChecksum => "armor CRC24 checksum is malformed or wrong",
            ArmorError::TooManyBlocks => "more armor blocks than the limit",
            ArmorError::TooManyHeaders => "more armor header lines than the limit",
            ArmorError::HeaderTooLong => "an armor header line is longer than the limit",
        })
    }
}

impl std::error::Error for ArmorError {}

/// One decoded armor block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmorBlock {
    /// The label, e.g. "PUBLIC KEY BLOCK" or "SIGNATURE".
    pub label: String,
    pub data: Vec<u8>,
}

/// White space around armor lines: ASCII only, as the kernel's decoder
/// has it. Unicode white space such as U+00A0 is line content: trimming it
/// made a `Key: <U+00A0>` header line a body line here but not in the kernel
/// (fuzz finding, docs/fuzzing.md).
fn armor_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// The lines of `input` split at LF, each without trailing white space (as
/// `next_line()` in pgp_armor.c: no empty line after a final LF).
fn lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    input.split_inclusive(|&b| b == b'\n').map(|l| {
        let n = l
            .iter()
            .rposition(|&b| !armor_space(b))
            .map_or(0, |i| i + 1);
        &l[..n]
    })
}

/// Whether `input` is to be read as armor: binary OpenPGP always has the
/// high bit set in its first octet (RFC 9580 §4.2), so such an input is
/// binary; any other is armor if one of its lines starts with
/// `-----BEGIN PGP ` (as `pgp_is_armored()`).
pub fn is_armored(input: &[u8]) -> bool {
    match input.first() {
        Some(&b) if b & 0x80 == 0 => lines(input).any(|l| l.starts_with(BEGIN)),
        _ => false,
    }
}

/// gpg's header line: the first `:` is followed by a space or ends the line.
fn is_header(line: &[u8]) -> bool {
    line.iter()
        .position(|&b| b == b':')
        .is_some_and(|i| line.get(i + 1).is_none_or(|&b| b == b' '))
}

/// The label of a BEGIN line (`-----BEGIN PGP <label>-----`).
fn begin_label(line: &[u8]) -> Option<&[u8]> {
    line.strip_prefix(BEGIN)?.strip_suffix(DASHES)
}

fn is_end(line: &[u8], label: &[u8]) -> bool {
    line.strip_prefix(END)
        .and_then(|l| l.strip_suffix(DASHES))
        .is_some_and(|l| l == label)
}

fn decode_body(body: &[u8], crc: Option<u32>) -> Result<Vec<u8>, ArmorError> {
    let data = base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| match e {
            base64::DecodeError::InvalidLastSymbol(..) => ArmorError::NonCanonicalBase64,
            _ => ArmorError::BadBase64,
        })?;
    match crc {
        Some(crc) if CRC24.checksum(&data) != crc => Err(ArmorError::BadChecksum),
        _ => Ok(data),
    }
}

/// A CRC24 line without its `=`: exactly four base64 characters, 3 octets.
fn decode_crc(text: &[u8]) -> Result<u32, ArmorError> {
    if text.len() != 4 {
        return Err(ArmorError::BadChecksum);
    }
    match base64::engine::general_purpose::STANDARD
        .decode(text)
        .as_deref()
    {
        Ok(&[a, b, c]) => Ok(u32::from_be_bytes([0, a, b, c])),
        _ => Err(ArmorError::BadChecksum),
    }
}

const CRC24: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_24_OPENPGP);

/// Reads every block of `input` in order; with `only`, a BEGIN line of any
/// other label refuses the input. The line-by-line decisions are those of
/// `pgp_dearmor()`.
fn blocks(input: &[u8], only: Option<&[u8]>) -> Result<Vec<ArmorBlock>, ArmorError> {
    enum State {
        Text,
        Headers,
        Body,
        AfterCrc,
    }
    let mut state = State::Text;
    let mut out = Vec::new();
    let (mut label, mut body, mut crc, mut headers): (&[u8], Vec<u8>, Option<u32>, usize) =
        (b"", Vec::new(), None, 0);
    for line in lines(input) {
        match state {
            State::Text => {
                if !line.starts_with(BEGIN) {
                    continue;
                }
                label = match (begin_label(line), only) {
                    (Some(l), Some(want)) if l == want => l,
                    (Some(l), None) => l,
                    _ => return Err(ArmorError::OtherLabel),
                };
                if out.len() == MAX_BLOCKS {
                    return Err(ArmorError::TooManyBlocks);
                }
                state = State::Headers;
                (body, crc, headers) = (Vec::new(), None, 0);
                continue;
            }
            State::Headers => {
                if line.is_empty() {
                    state = State::Body;
                    continue;
                }
                if is_header(line) {
                    headers += 1;
                    if headers > MAX_HEADERS {
                        return Err(ArmorError::TooManyHeaders);
                    }
                    if line.len() > MAX_HEADER_LEN {
                        return Err(ArmorError::HeaderTooLong);
                    }
                    continue;
                }
                // No blank line after the headers (gpg reads on): body.
                state = State::Body;
            }
            State::Body | State::AfterCrc => {}
        }
        if is_end(line, label) {
            out.push(ArmorBlock {
                label: String::from_utf8_lossy(label).into_owned(),
                data: decode_body(&body, crc)?,
            });
            state = State::Text;
            continue;
        }
        if matches!(state, State::AfterCrc) {
            return Err(ArmorError::BadChecksum);
        }
        if let Some(sum) = line.strip_prefix(b"=") {
            crc = Some(decode_crc(sum)?);
            state = State::AfterCrc;
            continue;
        }
        body.extend_from_slice(line);
    }
    match state {
        State::Text if !out.is_empty() => Ok(out),
        State::Text => Err(ArmorError::NoArmor),
        _ => Err(ArmorError::Unterminated),
    }
}

/// Decodes every armor block of `input`, whatever its label, in order; text
/// outside the blocks is skipped. The CLI uses this and decides per block.
pub fn decode_all(input: &[u8]) -> Result<Vec<ArmorBlock>, ArmorError> {
    blocks(input, None)
}

/// The kernel's de-armoring: every block must carry `label`
/// ([`LABEL_KEY`] or [`LABEL_SIGNATURE`]); the result is the concatenation
/// of the blocks' binaries (several key blocks make a binary keyring, as gpg
/// reads such a file). Same decisions as `pgp_dearmor()` in
/// kmod/pgp/pgp_armor.c, including which refusal maps to which errno.
pub fn dearmor(input: &[u8], label: &str) -> Result<Vec<u8>, ArmorError> {
    Ok(blocks(input, Some(label.as_bytes()))?
        .into_iter()
        .flat_map(|b| b.data)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc24_matches_rfc_check_value() {
        // RFC 9580 §6.1 CRC-24: init 0xB704CE, poly 0x864CFB. The catalogue
        // check value of CRC-24/OPENPGP over "123456789" is 0x21CF02.
        assert_eq!(CRC24.checksum(b"123456789"), 0x21CF02);
    }

    #[test]
    fn rejects_wrong_checksum_and_garbage() {
        let good = "-----BEGIN PGP SIGNATURE-----\n\nAQID\n=";
        let crc = base64::engine::general_purpose::STANDARD
            .encode(&CRC24.checksum(&[1, 2, 3]).to_be_bytes()[1..]);
        let ok = format!("{good}{crc}\n-----END PGP SIGNATURE-----\n");
        assert_eq!(
            decode_all(ok.as_bytes()).map(|b| b[0].data.clone()),
            Ok(vec![1, 2, 3])
        );
        let bad = format!("{good}AAAA\n-----END PGP SIGNATURE-----\n");
        assert_eq!(decode_all(bad.as_bytes()), Err(ArmorError::BadChecksum));
        let unterminated = "-----BEGIN PGP SIGNATURE-----\n\nAQID\n";
        assert_eq!(
            decode_all(unterminated.as_bytes()),
            Err(ArmorError::Unterminated)
        );
        assert_eq!(decode_all(b"hello"), Err(ArmorError::NoArmor));
        let not_b64 = "-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n";
        assert_eq!(decode_all(not_b64.as_bytes()), Err(ArmorError::BadBase64));
    }
}
