//! ASCII armor (RFC 9580 §6.2) for the CLI. The UMD protocol carries binary
//! only: in the kernel path the kernel removes armor itself.

use base64::Engine as _;

/// Why an armored file could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArmorError {
    /// No `-----BEGIN PGP ...-----` line.
    NoArmor,
    /// A BEGIN line without its END line.
    Unterminated,
    /// A header line that is not `Key: Value`.
    BadHeader,
    /// The body is not base64.
    BadBase64,
    /// The CRC24 line is malformed or does not match the data.
    BadChecksum,
}

impl std::fmt::Display for ArmorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ArmorError::NoArmor => "no ASCII armor block found",
            ArmorError::Unterminated => "armor block has no END line",
            ArmorError::BadHeader => "malformed armor header line",
            ArmorError::BadBase64 => "armor body is not valid base64",
            ArmorError::BadChecksum => "armor CRC24 checksum is malformed or wrong",
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

/// Whether `input` looks armored: its first non-blank line is a BEGIN line.
pub fn is_armored(input: &[u8]) -> bool {
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    input[start..].starts_with(b"-----BEGIN PGP ")
}

const CRC24: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_24_OPENPGP);

/// White space around armor lines: ASCII only, as the kernel's decoder
/// (kmod/pgp/pgp_armor.c) has it. Unicode white space such as U+00A0 is
/// line content: trimming it made a `Key: <U+00A0>` header line a body line
/// here but not in the kernel (fuzz finding, docs/fuzzing.md).
fn armor_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Decodes every armor block in `input`, in order. Text outside blocks is
/// ignored, as RFC 9580 allows (e.g. a comment before a key).
pub fn decode_all(input: &[u8]) -> Result<Vec<ArmorBlock>, ArmorError> {
    let text = String::from_utf8_lossy(input);
    let mut lines = text.lines().map(|l| l.trim_end_matches(armor_space));
    let mut blocks = Vec::new();
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN PGP ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END PGP {label}-----");
        blocks.push(ArmorBlock {
            label: label.to_owned(),
            data: decode_block(&mut lines, &end)?,
        });
    }
    if blocks.is_empty() {
        return Err(ArmorError::NoArmor);
    }
    Ok(blocks)
}

fn decode_block<'a>(
    lines: &mut impl Iterator<Item = &'a str>,
    end: &str,
) -> Result<Vec<u8>, ArmorError> {
    // Header lines up to the first blank line.
    let mut in_headers = true;
    let (mut body, mut crc) = (String::new(), None);
    for line in lines.by_ref() {
        if line == end {
            let data = base64::engine::general_purpose::STANDARD
                .decode(&body)
                .map_err(|_| ArmorError::BadBase64)?;
            if let Some(crc) = crc {
                if CRC24.checksum(&data) != crc {
                    return Err(ArmorError::BadChecksum);
                }
            }
            return Ok(data);
        }
        if in_headers {
            if line.trim_matches(armor_space).is_empty() {
                in_headers = false;
            } else if !line.contains(": ") {
                // RFC 9580 requires the blank line, but some writers omit it
                // when there are no headers: treat the line as body.
                in_headers = false;
                body.push_str(line.trim_matches(armor_space));
            }
            continue;
        }
        if let Some(sum) = line.strip_prefix('=') {
            crc = Some(decode_crc(sum)?);
        } else if crc.is_some() {
            return Err(ArmorError::BadChecksum);
        } else {
            body.push_str(line.trim_matches(armor_space));
        }
    }
    Err(ArmorError::Unterminated)
}

fn decode_crc(text: &str) -> Result<u32, ArmorError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim_matches(armor_space))
        .map_err(|_| ArmorError::BadChecksum)?;
    match bytes[..] {
        [a, b, c] => Ok(u32::from_be_bytes([0, a, b, c])),
        _ => Err(ArmorError::BadChecksum),
    }
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
