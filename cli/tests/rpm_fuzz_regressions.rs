//! Replays the RPM packages the rpm_reader fuzz target found
//! (testdata/fuzz-regressions/rpm/, listed in its manifest.tsv): rpm
//! (`rpmkeys -K`, recorded in the manifest) refuses each one, and the
//! reader must refuse it too, with the error the manifest names, from
//! memory and through `Read` alike. The fuzz input that built each package
//! is kept next to it (FILE.fuzz).

mod common;

use common::{read_file, testdata};
use pgp_umd_cli::rpm::{parse_rpm, read_rpm, RpmError};

fn kind(e: &RpmError) -> String {
    match e {
        RpmError::BadEntryData { .. } => "BadEntryData".into(),
        RpmError::BadSignatureTag { reason, .. } => format!("BadSignatureTag:{reason}"),
        other => format!("{other:?}"),
    }
}

#[test]
fn rpm_fuzz_regressions_are_refused_like_rpm_does() {
    let dir = testdata("fuzz-regressions/rpm");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest");
    let mut n = 0;
    for line in manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
    {
        let f: Vec<&str> = line.split('\t').collect();
        assert!(f.len() >= 4, "manifest row needs 4 columns: {line}");
        assert!(f[1].contains("BAD"), "{}: rpm's verdict is a refusal", f[0]);
        let bytes = read_file(&dir.join(f[0]));
        let fuzz = dir.join(f[0].replace(".rpm", ".fuzz"));
        assert!(fuzz.exists(), "{}: fuzz input kept", f[0]);
        let mem = parse_rpm(&bytes).err().map(|e| kind(&e));
        assert_eq!(mem.as_deref(), Some(f[2]), "{}", f[0]);
        let streamed = read_rpm(std::io::Cursor::new(&bytes))
            .err()
            .map(|e| kind(&e));
        assert_eq!(streamed.as_deref(), Some(f[2]), "{} through Read", f[0]);
        n += 1;
    }
    assert_eq!(n, 2, "every kept package replayed");
}
