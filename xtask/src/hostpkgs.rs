//! Host packages the harness needs, installed with apt-get when missing.

use crate::error::Result;
use crate::util::{capture_any, run, Step};
use std::process::Command;

/// Debian packages the VM harness uses on the host, and why.
pub const VM_HOST_PACKAGES: &[&str] = &[
    "qemu-system-x86", // qemu-system-x86_64
    "busybox-static",  // the initramfs userland (sh, modprobe, depmod, ...)
    "keyutils",        // keyctl, copied into the initramfs
    "cpio",            // packs the initramfs
    "gzip",            // compresses it
    "xz-utils",        // kernel modules shipped as .ko.xz
    "kmod",            // modinfo, to find a kernel module's dependencies
    "make",            // Kbuild
    "gcc-12",          // the compiler Debian 12's kernels were built with (7.x: buildroot.rs)
    "libc6-dev",       // libc.a: selftests/add_key_bench.c is built static
    "dwarves",         // pahole: BTF for modules (6.12's linux-kbuild needs it)
    "libelf1",         // objtool and resolve_btfids from linux-kbuild
    "binutils",        // ld, objcopy for Kbuild
];

/// Debian packages `cargo test` and the other host-side CI steps use, and why.
pub const TEST_HOST_PACKAGES: &[&str] = &[
    "gcc",                // C user-space tests of kmod/pgp, with ASan and UBSan
    "libssl-dev",         // OpenSSL: their crypto backend (and the C fuzz targets')
    "valgrind",           // memcheck run of the C user-space drivers
    "clang-14",           // libFuzzer coverage for the C fuzz targets (gcc has none)
    "libclang-rt-14-dev", // clang's sanitizer and libFuzzer runtimes
    "gnupg",              // gpg: the reference for keys and signatures in the tests
    "rpm",                // rpmkeys, rpmbuild, rpmsign: the RPM corpus and its verdicts
    "strace",             // proves the sealed handler makes no other system call
    "file",               // checks the handler binary is static
    "perl",               // the kernel's checkpatch.pl
    "xz-utils",           // unpacks the kernel source for checkpatch.pl
];

/// What `cargo xtask dkms-check` needs besides [`VM_HOST_PACKAGES`].
pub const DKMS_HOST_PACKAGES: &[&str] = &[
    "dkms",    // the DKMS tool itself, Debian's build
    "openssl", // DKMS generates its MOK key pair with it
];

/// What the build root for 7.x kernels (`xtask/src/buildroot.rs`) needs.
pub const BUILDROOT_HOST_PACKAGES: &[&str] = &[
    "debootstrap", // makes the Debian trixie root
    "util-linux",  // unshare: the root's bind mounts live in a private namespace
];

/// Debian packages `vm-test --with-rpm` adds: rpmkeys and rpm's configuration.
pub const RPM_HOST_PACKAGES: &[&str] = &["rpm"];

fn installed(pkg: &str) -> bool {
    match capture_any(Command::new("dpkg-query").args(["-W", "-f=${Status}", pkg])) {
        Ok(out) => {
            out.status.success()
                && String::from_utf8_lossy(&out.stdout).ends_with("install ok installed")
        }
        Err(_) => false,
    }
}

fn apt_get(args: &[&str]) -> Command {
    let mut c = Command::new("apt-get");
    c.env("DEBIAN_FRONTEND", "noninteractive")
        .args(["-o", "DPkg::Lock::Timeout=600", "-q"])
        .args(args);
    c
}

/// Install whichever of `pkgs` is missing (one `apt-get install` call).
pub fn ensure(pkgs: &[&str]) -> Result<()> {
    let missing: Vec<&str> = pkgs.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let step = Step::start(format!("apt-get install {}", missing.join(" ")));
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend(missing.iter().copied());
    if run(&mut apt_get(&args)).is_err() {
        // A fresh machine may have stale or no package lists.
        run(&mut apt_get(&["update"]))?;
        run(&mut apt_get(&args))?;
    }
    step.done();
    Ok(())
}
