//! The kernel's C armor decoder (kmod/pgp/pgp_armor.c), built for user
//! space with AddressSanitizer and UBSan: every armored file of the corpus
//! decodes to exactly the bytes of its binary twin, and broken armor is
//! refused with -EBADMSG.

mod common;

use common::{build_c_program, testdata};
use std::path::Path;
use std::process::Command;

/// Runs the decoder; `Ok(binary)` or `Err(stdout text)`.
fn dearmor(driver: &Path, kind: &str, file: &Path) -> Result<Vec<u8>, String> {
    let out = Command::new(driver)
        .arg(kind)
        .arg(file)
        .output()
        .expect("run dearmor");
    match out.status.code() {
        Some(0) => Ok(out.stdout),
        Some(1) => Err(String::from_utf8_lossy(&out.stdout).trim().to_owned()),
        other => panic!(
            "{}: dearmor crashed ({other:?}): {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn c_dearmor_matches_binary_twins_and_refuses_broken_armor() {
    let driver = build_c_program("dearmor", &["pgp_armor.c", "user/dearmor_main.c"], &[]);
    let mut checked = 0;
    for dir in ["keys", "sigs", "v3", "v6"] {
        for entry in std::fs::read_dir(testdata(dir)).expect("dir") {
            let asc = entry.expect("entry").path();
            if asc.extension().is_none_or(|e| e != "asc") {
                continue;
            }
            let name = asc.to_string_lossy().into_owned();
            if name.contains("multiblock") {
                // Several blocks in one file: the kernel takes exactly one.
                assert!(dearmor(&driver, "key", &asc).is_err(), "{name}");
                continue;
            }
            let (kind, twin) = if asc.with_extension("sig").exists() {
                ("signature", asc.with_extension("sig"))
            } else {
                ("key", asc.with_extension("pgp"))
            };
            let binary = std::fs::read(&twin).expect("binary twin");
            assert_eq!(dearmor(&driver, kind, &asc), Ok(binary), "{name}");
            // The wrong label is refused.
            let other = if kind == "key" { "signature" } else { "key" };
            assert!(dearmor(&driver, other, &asc).is_err(), "{name} as {other}");
            checked += 1;
        }
    }
    assert!(checked >= 80, "only {checked} armored files");

    // Broken variants of one real armored key.
    let good = std::fs::read_to_string(testdata("keys/rsa2048.asc")).expect("read");
    let crc_line = good
        .lines()
        .find(|l| l.starts_with('='))
        .expect("gpg writes a CRC");
    let body_line = good
        .lines()
        .find(|l| l.len() == 64)
        .expect("a full body line");
    let mut flipped_body = body_line.to_owned();
    let c = if flipped_body.starts_with('A') {
        "B"
    } else {
        "A"
    };
    flipped_body.replace_range(0..1, c);
    let broken: Vec<(&str, String)> = vec![
        ("wrong crc", good.replace(crc_line, "=AAAA")),
        (
            "altered body, old crc",
            good.replacen(body_line, &flipped_body, 1),
        ),
        (
            "no end line",
            good.replace("-----END PGP PUBLIC KEY BLOCK-----", ""),
        ),
        ("text before", format!("hello\n{good}")),
        ("text after", format!("{good}trailing words\n")),
        ("two blocks", format!("{good}{good}")),
        (
            "padding inside",
            good.replacen(body_line, &format!("{}=", &body_line[..63]), 1),
        ),
        (
            "bad character",
            good.replacen(body_line, &format!("{}*", &body_line[..63]), 1),
        ),
        ("short line", good.replacen(body_line, &body_line[..63], 1)),
        ("empty", String::new()),
    ];
    let dir = std::env::temp_dir().join(format!("pgp-umd-armor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, text) in &broken {
        let path = dir.join("case.asc");
        std::fs::write(&path, text).expect("write case");
        assert_eq!(dearmor(&driver, "key", &path), Err("-74".into()), "{name}");
    }
    // Without the CRC line the same key still decodes (RFC 9580 makes it optional).
    let path = dir.join("nocrc.asc");
    std::fs::write(&path, good.replace(&format!("{crc_line}\n"), "")).expect("write");
    let binary = std::fs::read(testdata("keys/rsa2048.pgp")).expect("read");
    assert_eq!(dearmor(&driver, "key", &path), Ok(binary));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&driver);
}

/// Fuzz finding (docs/fuzzing.md, part 2): armored text whose header lines
/// end in U+00A0 and hold a vertical tab, with no blank line before the END
/// line. The kernel's C decoder took the lines as headers (empty body); the
/// CLI's decoder trimmed the Unicode space, took a line as body and refused
/// it. Whatever the C accepts, the Rust decoder must decode alike.
#[test]
fn c_and_rust_dearmor_agree_on_unicode_space_in_headers() {
    let driver = build_c_program("dearmor", &["pgp_armor.c", "user/dearmor_main.c"], &[]);
    let input = testdata("fuzz-regressions/c_dearmor-unicode-space-header.bin");
    // The first octet is the fuzz target's control octet (1: key label).
    let bytes = std::fs::read(&input).expect("read");
    let text = &bytes[1..];
    let file = std::env::temp_dir().join(format!("dearmor-regr-{}.asc", std::process::id()));
    std::fs::write(&file, text).expect("write");
    let c = dearmor(&driver, "key", &file);
    let _ = std::fs::remove_file(&file);
    let c = c.expect("the C decoder accepts it");
    let blocks = pgp_umd_handler::armor::decode_all(text).expect("the Rust decoder accepts it");
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].label, "PUBLIC KEY BLOCK");
    assert_eq!(blocks[0].data, c);
}
