//! Compiles the kernel's pure C (kmod/pgp) and fuzz/c/fuzz_shim.c for the
//! C fuzz targets, with clang's libFuzzer coverage so libFuzzer sees their
//! branches. gcc cannot emit that instrumentation: the compiler is clang-14
//! unless FUZZ_CC names another clang.
//!
//! cargo-fuzz passes `--cfg fuzzing` (CARGO_CFG_FUZZING) and, for
//! `--sanitizer address`, `-Zsanitizer=address` (CARGO_CFG_SANITIZE): the C
//! then gets `-fsanitize=fuzzer-no-link,address`, otherwise
//! `-fsanitize=fuzzer-no-link` only. Outside cargo-fuzz (clippy, check) the
//! C is compiled plain.

use std::env;

const SOURCES: &[&str] = &[
    "../kmod/pgp/pgp_reply.c",
    "../kmod/pgp/pgp_cert.c",
    "../kmod/pgp/pgp_pubkey.c",
    "../kmod/pgp/pgp_sig.c",
    "../kmod/pgp/pgp_armor.c",
    "../kmod/pgp/pgp_ed25519.c",
    "../kmod/pgp/user/ossl_ops.c",
    "c/fuzz_shim.c",
];

fn main() {
    let cc = env::var("FUZZ_CC").unwrap_or_else(|_| "clang-14".into());
    println!("cargo:rerun-if-env-changed=FUZZ_CC");
    println!("cargo:rerun-if-changed=c");
    println!("cargo:rerun-if-changed=../kmod/pgp");
    println!("cargo:rerun-if-changed=../kmod/include");
    let fuzzing = env::var_os("CARGO_CFG_FUZZING").is_some();
    let asan = env::var("CARGO_CFG_SANITIZE").is_ok_and(|s| s.split(',').any(|s| s == "address"));
    let mut b = cc::Build::new();
    b.compiler(&cc)
        .files(SOURCES)
        .flag("-std=gnu11")
        .flag("-g")
        .flag("-Wall")
        .flag("-Wextra")
        .flag("-Werror")
        .opt_level(1);
    if fuzzing {
        b.flag(if asan {
            "-fsanitize=fuzzer-no-link,address"
        } else {
            "-fsanitize=fuzzer-no-link"
        });
    }
    for s in SOURCES {
        println!("cargo:rerun-if-changed={s}");
    }
    b.compile("pgp_pure");
    println!("cargo:rustc-link-lib=crypto");
}
