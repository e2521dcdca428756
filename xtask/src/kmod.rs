//! Builds the project's kernel modules against an extracted Debian kernel.

use crate::error::{Error, Result};
use crate::kernel::Extracted;
use crate::util::{self, capture_any, show, Step};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every module directory the harness builds, relative to `kmod/`, each with
/// its own Kbuild. Add new module directories here; every `.ko` they produce
/// goes to `/lib/modules/$(uname -r)/extra/` in the VM.
pub const MODULE_DIRS: &[&str] = &["tests", "umd", "sample", "pgp"];

/// A static UMD handler binary a module embeds with `.incbin`: built with
/// `runtime/build-static.sh PACKAGE BIN [FEATURES]` and copied to `dest`
/// (relative to `kmod/`) in the mirrored tree before the modules are built.
pub struct Blob {
    pub package: &'static str,
    pub bin: &'static str,
    pub features: &'static str,
    pub dest: &'static str,
}

/// Every blob the modules of [`MODULE_DIRS`] embed.
pub const BLOBS: &[Blob] = &[
    Blob {
        package: "sample-umd-handler",
        bin: "sample_umd",
        features: "",
        dest: "sample/sample_umd.bin",
    },
    Blob {
        package: "sample-umd-handler",
        bin: "sample_umd",
        features: "test-ops",
        dest: "sample/sample_umd_test.bin",
    },
    Blob {
        package: "pgp-umd-handler",
        bin: "pgp-umd-handler",
        features: "",
        dest: "pgp/pgp-umd-handler.bin",
    },
    // TEST ONLY: the handler that lies in every reply (pgp_umd_loader_lying,
    // test-handlers/src/lies.rs).
    Blob {
        package: "pgp-umd-test-handlers",
        bin: "pgp-umd-handler-lying",
        features: "",
        dest: "pgp/pgp-umd-handler-lying.bin",
    },
    // TEST ONLY: a handler that never seals itself (pgp_umd_loader_unsealed).
    Blob {
        package: "pgp-umd-test-handlers",
        bin: "pgp-umd-handler-unsealed",
        features: "insecure-skip-seccomp",
        dest: "pgp/pgp-umd-handler-unsealed.bin",
    },
    // TEST ONLY: a handler that misbehaves on purpose
    // (pgp_umd_loader_misbehaving, test-handlers/src/misbehave.rs).
    Blob {
        package: "pgp-umd-test-handlers",
        bin: "pgp-umd-handler-misbehaving",
        features: "",
        dest: "pgp/pgp-umd-handler-misbehaving.bin",
    },
];

/// Mirror `kmod/` into `out/kmod` (so builds for two kernels never share
/// objects and the source tree stays clean; unchanged files are not touched,
/// so rebuilds are incremental), build each of [`MODULE_DIRS`] with
/// `make -C <headers> M=<dir> modules`, and return the `.ko` files its
/// `modules.order` lists.
///
/// Compiler warnings fail the build (and discard the objects, so the next run
/// compiles, and warns, again); the full output is kept in
/// `out/kmod-build.log`.
pub fn build(kernel: &Extracted, src_root: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let step = Step::start(format!("build modules for {}", kernel.pkgs.release));
    let tree = out.join("kmod");
    util::sync_tree(&src_root.join("kmod"), &tree)?;
    build_blobs(src_root, &tree)?;
    let mut log = String::new();
    let mut kos = Vec::new();
    for dir in MODULE_DIRS {
        let m = tree.join(dir);
        let mut cmd = kernel.command(src_root, "make");
        cmd.arg("-C")
            .arg(kernel.headers())
            .arg(format!("M={}", m.display()))
            .arg(format!("-j{}", jobs()))
            // The test-only modules too (kmod/pgp/Kbuild).
            .arg("PGP_UMD_TEST_MODULES=1")
            .arg("modules");
        let outp = capture_any(&mut cmd)?;
        let text = format!(
            "$ {}\n{}{}",
            show(&cmd),
            String::from_utf8_lossy(&outp.stdout),
            String::from_utf8_lossy(&outp.stderr)
        );
        log.push_str(&text);
        util::write(&out.join("kmod-build.log"), &log)?;
        if !outp.status.success() {
            eprintln!("{text}");
            return Err(Error::Command {
                command: show(&cmd),
                detail: outp.status.to_string(),
            });
        }
        let warnings: Vec<&str> = text.lines().filter(|l| l.contains("warning:")).collect();
        if !warnings.is_empty() {
            eprintln!("{text}");
            util::rm_rf(&m)?;
            return Err(Error::Failed(format!(
                "kmod/{dir}: {} compiler warning(s) building for {}",
                warnings.len(),
                kernel.pkgs.release
            )));
        }
        kos.extend(built_modules(&util::read(&m.join("modules.order"))?, &m));
    }
    step.done();
    Ok(kos)
}

/// Build every [`BLOBS`] binary and copy it into `tree` (only when it
/// changed, so the module build stays incremental).
fn build_blobs(src_root: &Path, tree: &Path) -> Result<()> {
    for blob in BLOBS {
        let mut cmd = Command::new(src_root.join("runtime/build-static.sh"));
        cmd.args([blob.package, blob.bin]);
        if !blob.features.is_empty() {
            cmd.arg(blob.features);
        }
        let built = PathBuf::from(util::capture(&mut cmd)?.trim());
        let dest = tree.join(blob.dest);
        let same = match (std::fs::read(&built), std::fs::read(&dest)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !same {
            util::copy(&built, &dest)?;
        }
    }
    Ok(())
}

/// The `.ko` files a `modules.order` names (6.1 lists `.ko`, 6.12 `.o`;
/// absolute or relative to the module directory).
pub fn built_modules(order: &str, dir: &Path) -> Vec<PathBuf> {
    order
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let stem = l
                .strip_suffix(".ko")
                .or_else(|| l.strip_suffix(".o"))
                .unwrap_or(l);
            dir.join(format!("{stem}.ko"))
        })
        .collect()
}

fn jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_modules_order_of_both_kernels() {
        let d = Path::new("/b/kmod/tests");
        assert_eq!(
            built_modules("/b/kmod/tests/a.ko\n", d),
            [PathBuf::from("/b/kmod/tests/a.ko")]
        );
        assert_eq!(
            built_modules("/b/kmod/tests/a.o\nsub/b.o\n\n", d),
            [
                PathBuf::from("/b/kmod/tests/a.ko"),
                PathBuf::from("/b/kmod/tests/sub/b.ko")
            ]
        );
    }
}
