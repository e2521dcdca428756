//! The pure C of the UMD core (kmod/umd/umd_xfer.c: whole messages over
//! partial transfers, error mapping) and of the sample manager
//! (kmod/sample/sample_umd_check.c), built for user space with
//! AddressSanitizer and UBSan, warnings as errors, and run:
//! kmod/umd/user/pure_test_main.c.

use std::path::Path;
use std::process::Command;

#[test]
fn umd_pure_c_passes_its_user_space_test() {
    let kmod = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = std::env::temp_dir().join(format!("umd-pure-test-{}", std::process::id()));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(cc)
        .args(["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror"])
        .args(["-fsanitize=address,undefined", "-fno-sanitize-recover=all"])
        .arg(kmod.join("umd/user/pure_test_main.c"))
        .arg(kmod.join("umd/umd_xfer.c"))
        .arg(kmod.join("sample/sample_umd_check.c"))
        .arg("-o")
        .arg(&out)
        .status()
        .expect("run the C compiler");
    assert!(status.success(), "building the pure C test failed");
    let run = Command::new(&out).output().expect("run the pure C test");
    let _ = std::fs::remove_file(&out);
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(text.contains("all passed"), "{text}");
}
