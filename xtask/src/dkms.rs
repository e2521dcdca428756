//! The DKMS source tree (`cargo xtask dkms-tree`) and its test
//! (`cargo xtask dkms-check`): `dkms add/build/install` against every Debian
//! kernel's extracted headers (7.x: in the trixie build root) in a scratch
//! DKMS tree under `target/dkms/`, then the VM smoke tests with the modules
//! DKMS installed.

use crate::error::{Error, IoContext, Result};
use crate::kernel::{self, Series};
use crate::util::{self, capture, capture_any, show, Step};
use crate::{hostpkgs, vmtest};
use std::path::{Path, PathBuf};
use std::process::Command;

/// DKMS package name (kmod/dkms.conf).
pub const PACKAGE: &str = "pgp-umd";

/// The production modules: (name, directory below the tree).
pub const MODULES: &[(&str, &str)] = &[
    ("umd_mgmt", "umd"),
    ("pgp_umd", "pgp"),
    ("pgp_umd_loader", "pgp"),
];

/// The handler as shipped in the tree, relative to it.
pub const HANDLER: &str = "pgp/pgp-umd-handler.bin";

/// What DKMS's own key generation puts in the certificate's subject.
const DKMS_SIGNER: &str = "DKMS module signing key";

/// Selftests run on the DKMS-built modules: the DKMS-specific check first,
/// then the smoke tests of loading, keys and signatures.
const VM_TESTS: &[&str] = &["dkms_modules.sh", "module_load.sh", "pgp_pkey_verify.sh"];

/// The package version: that of the `pgp-umd-handler` crate.
pub fn version(repo: &Path) -> Result<String> {
    let toml = util::read(&repo.join("handler/Cargo.toml"))?;
    package_version(&toml).ok_or_else(|| Error::NotFound("version in handler/Cargo.toml".into()))
}

/// `version = "..."` of the `[package]` table of a Cargo.toml.
fn package_version(toml: &str) -> Option<String> {
    let mut in_package = false;
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(v) = line
                .strip_prefix("version")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
            {
                return Some(v.trim().trim_matches('"').to_string());
            }
        }
    }
    None
}

/// Whether `kmod/<dir>/<name>` belongs to the DKMS tree: the Kbuild and the
/// sources of the production modules (not the test-only lying loader).
fn shipped(name: &str) -> bool {
    let source = name == "Kbuild" || [".c", ".h", ".S"].iter().any(|ext| name.ends_with(ext));
    source && !name.contains("lying")
}

/// Write the DKMS source tree to `parent/pgp-umd-<version>/` (laid out as
/// `/usr/src/pgp-umd-<version>/`) and return its path: kmod/Makefile,
/// dkms.conf with the version filled in, include/, the sources of umd/ and
/// pgp/, and the static handler built now with runtime/build-static.sh, its
/// SHA-256 (checked by the Makefile before every build) and how it was built.
pub fn make_tree(repo: &Path, parent: &Path) -> Result<PathBuf> {
    let version = version(repo)?;
    let step = Step::start(format!("DKMS source tree {PACKAGE}-{version}"));
    let kmod = repo.join("kmod");
    let dir = parent.join(format!("{PACKAGE}-{version}"));
    util::rm_rf(&dir)?;
    util::mkdir(&dir)?;
    util::copy(&kmod.join("Makefile"), &dir.join("Makefile"))?;
    let conf = util::read(&kmod.join("dkms.conf"))?;
    if !conf.contains("@VERSION@") {
        return Err(Error::Failed(
            "kmod/dkms.conf: no @VERSION@ to fill in".into(),
        ));
    }
    util::write(&dir.join("dkms.conf"), conf.replace("@VERSION@", &version))?;
    util::copy_tree(&kmod.join("include"), &dir.join("include"))?;
    for sub in ["umd", "pgp"] {
        let from = kmod.join(sub);
        for entry in std::fs::read_dir(&from).ctx(|| format!("read {}", from.display()))? {
            let path = entry.ctx(|| format!("read {}", from.display()))?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if path.is_file() && shipped(&name) {
                util::copy(&path, &dir.join(sub).join(&name))?;
            }
        }
    }

    let built = PathBuf::from(
        capture(
            Command::new(repo.join("runtime/build-static.sh"))
                .args(["pgp-umd-handler", "pgp-umd-handler"]),
        )?
        .trim(),
    );
    let handler = dir.join(HANDLER);
    util::copy(&built, &handler)?;
    let pgp = dir.join("pgp");
    let sum = capture(
        Command::new("sha256sum")
            .arg("pgp-umd-handler.bin")
            .current_dir(&pgp),
    )?;
    util::write(&pgp.join("pgp-umd-handler.bin.sha256"), &sum)?;
    util::write(
        &pgp.join("pgp-umd-handler.bin.source"),
        provenance(repo, &sum)?,
    )?;
    step.done();
    Ok(dir)
}

/// How the shipped handler was built, for a reproducible rebuild
/// (docs/install.md).
fn provenance(repo: &Path, sum: &str) -> Result<String> {
    let git = |args: &[&str]| capture(Command::new("git").arg("-C").arg(repo).args(args));
    let commit = git(&["rev-parse", "HEAD"])?;
    let dirty = !git(&["status", "--porcelain", "--untracked-files=no"])?
        .trim()
        .is_empty();
    let rustc = capture(Command::new("rustc").arg("-V"))?;
    Ok(format!(
        "pgp-umd-handler.bin, built by `cargo xtask dkms-tree`\n\
         commit: {}{}\n\
         toolchain: {}\n\
         command: runtime/build-static.sh pgp-umd-handler pgp-umd-handler\n\
         sha256: {}",
        commit.trim(),
        if dirty {
            " (with uncommitted changes)"
        } else {
            ""
        },
        rustc.trim(),
        sum
    ))
}

/// `dkms ACTION ...` on the scratch trees of `dirs` (`cmd`: the host's dkms,
/// or the build root's for a kernel whose kbuild the host cannot run).
fn dkms(mut cmd: Command, dirs: &Dirs, args: &[&str]) -> Command {
    cmd.args(args)
        .arg("--dkmstree")
        .arg(&dirs.tree)
        .arg("--sourcetree")
        .arg(&dirs.src)
        .arg("--installtree")
        .arg(&dirs.install);
    cmd
}

/// The scratch DKMS directories under `target/dkms/`.
struct Dirs {
    /// `--sourcetree` (what `/usr/src` is on a real system).
    src: PathBuf,
    /// `--dkmstree` (`/var/lib/dkms`).
    tree: PathBuf,
    /// `--installtree` (`/lib/modules`).
    install: PathBuf,
    /// DKMS's MOK key pair, generated by DKMS on the first build.
    mok_key: PathBuf,
    mok_cert: PathBuf,
}

/// Run `cmd`, fail with its output if it fails, and return the output.
fn run_logged(cmd: &mut Command) -> Result<String> {
    let out = capture_any(cmd)?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        eprintln!("{text}");
        return Err(Error::Command {
            command: show(cmd),
            detail: out.status.to_string(),
        });
    }
    Ok(text)
}

/// `cargo xtask dkms-check`: make the tree, check that an altered handler
/// stops the build, `dkms add`, then for each kernel
/// `dkms build` and `dkms install` against its extracted headers (signing
/// with a MOK key pair DKMS generates, as on a Secure Boot system), check
/// what was installed, and run the VM tests of [`VM_TESTS`] with those
/// modules. `Ok(true)` when everything passed.
pub fn check(kernels: &[Series]) -> Result<bool> {
    let repo = util::workspace_root();
    hostpkgs::ensure(hostpkgs::VM_HOST_PACKAGES)?;
    hostpkgs::ensure(hostpkgs::DKMS_HOST_PACKAGES)?;
    let base = repo.join("target/dkms");
    let dirs = Dirs {
        src: base.join("src"),
        tree: base.join("tree"),
        install: base.join("install"),
        mok_key: base.join("mok.key"),
        mok_cert: base.join("mok.pub"),
    };
    util::rm_rf(&base)?;
    for d in [&dirs.src, &dirs.tree, &dirs.install] {
        util::mkdir(d)?;
    }
    let source = make_tree(&repo, &dirs.src)?;
    refuses_altered_handler(&source, &base.join("altered"))?;
    let version = version(&repo)?;
    let mv = format!("{PACKAGE}/{version}");
    run_logged(&mut dkms(Command::new("dkms"), &dirs, &["add", &mv]))?;

    let cache = repo.join("target/vm/cache");
    for &series in kernels {
        let pkgs = kernel::resolve(series, &cache)?;
        let k = kernel::fetch(&pkgs, &cache)?;
        let release = &pkgs.release;
        let step = Step::start(format!("dkms build and install for {release}"));
        let headers = k.headers();
        let sign_file = sign_file(&k.root)?;
        let mut build = dkms(
            k.command(&repo, "dkms"),
            &dirs,
            &["build", &mv, "-k", release],
        );
        build
            .arg("--kernelsourcedir")
            .arg(&headers)
            .env("sign_file", &sign_file)
            .env("mok_signing_key", &dirs.mok_key)
            .env("mok_certificate", &dirs.mok_cert);
        let out = run_logged(&mut build)?;
        let built = dirs.tree.join(PACKAGE).join(&version).join(release);
        let log = util::read(&built.join("x86_64/log/make.log"))?;
        let warnings: Vec<&str> = log.lines().filter(|l| l.contains("warning:")).collect();
        if !warnings.is_empty() {
            eprintln!("{log}");
            return Err(Error::Failed(format!(
                "dkms build for {release}: {} compiler warning(s)",
                warnings.len()
            )));
        }
        if !log.contains("pgp-umd-handler.bin: OK") {
            eprintln!("{log}");
            return Err(Error::Failed(format!(
                "dkms build for {release}: the handler's SHA-256 was not checked"
            )));
        }
        if !out.contains("Signing module") {
            eprintln!("{out}");
            return Err(Error::Failed(format!(
                "dkms build for {release}: DKMS did not sign the modules"
            )));
        }
        // DKMS refuses to install for a kernel without a modules directory.
        util::mkdir(&dirs.install.join(release))?;
        let mut install = dkms(
            k.command(&repo, "dkms"),
            &dirs,
            &["install", &mv, "-k", release, "--no-depmod"],
        );
        install.arg("--kernelsourcedir").arg(&headers);
        run_logged(&mut install)?;
        check_installed(&dirs, release, &source)?;
        step.done();
    }

    let opts = vmtest::Options {
        kernels: kernels.to_vec(),
        timeout: vmtest::DEFAULT_TIMEOUT,
        results: "dkms".into(),
        modules_from: Some(dirs.install.clone()),
        tests: VM_TESTS.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    };
    vmtest::run(&opts)
}

/// A copy of the tree whose handler differs in one byte must fail to build,
/// at the SHA-256 check, before any compiler runs.
fn refuses_altered_handler(source: &Path, scratch: &Path) -> Result<()> {
    util::rm_rf(scratch)?;
    util::copy_tree(source, scratch)?;
    let handler = scratch.join(HANDLER);
    let mut bytes = std::fs::read(&handler).ctx(|| format!("read {}", handler.display()))?;
    let Some(b) = bytes.get_mut(1000) else {
        return Err(Error::Failed(format!("{}: too short", handler.display())));
    };
    *b ^= 1;
    util::write(&handler, &bytes)?;
    let mut make = Command::new("make");
    make.arg("-C")
        .arg(scratch)
        .args(["KDIR=/nonexistent", "modules"]);
    let out = capture_any(&mut make)?;
    let text = String::from_utf8_lossy(&out.stdout);
    if out.status.success() || !text.contains("pgp-umd-handler.bin: FAILED") {
        return Err(Error::Failed(format!(
            "`{}` did not stop at the handler's SHA-256 check",
            show(&make)
        )));
    }
    util::rm_rf(scratch)
}

/// The extracted kbuild package's `scripts/sign-file` (what DKMS uses on
/// Debian, from `/usr/lib/linux-kbuild-*`).
fn sign_file(root: &Path) -> Result<PathBuf> {
    let lib = root.join("usr/lib");
    let entries = std::fs::read_dir(&lib).ctx(|| format!("read {}", lib.display()))?;
    for entry in entries {
        let path = entry.ctx(|| format!("read {}", lib.display()))?.path();
        let kbuild = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("linux-kbuild-"));
        let tool = path.join("scripts/sign-file");
        if kbuild && tool.is_file() {
            return Ok(tool);
        }
    }
    Err(Error::NotFound(format!(
        "scripts/sign-file in {}/linux-kbuild-*",
        lib.display()
    )))
}

/// Module `name` as DKMS installed it in `dir`: `.ko`, or compressed as the
/// kernel's own modules are (DKMS 3.2 for a kernel with
/// CONFIG_MODULE_COMPRESS_XZ).
fn installed_file(dir: &Path, name: &str) -> Result<PathBuf> {
    ["ko", "ko.xz", "ko.zst", "ko.gz"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
        .ok_or_else(|| Error::NotFound(format!("{}/{name}.ko*", dir.display())))
}

/// Each of [`MODULES`] is installed in `updates/dkms/` for `release`, built
/// for it, signed with DKMS's key, and the loader embeds exactly the shipped
/// handler.
fn check_installed(dirs: &Dirs, release: &str, tree: &Path) -> Result<()> {
    let dir = dirs.install.join(release).join("updates/dkms");
    for (name, _) in MODULES {
        let ko = installed_file(&dir, name)?;
        let field = |f: &str| -> Result<String> {
            Ok(capture(Command::new("modinfo").args(["-F", f]).arg(&ko))?
                .trim()
                .to_string())
        };
        let vermagic = field("vermagic")?;
        if vermagic.split_whitespace().next() != Some(release) {
            return Err(Error::Failed(format!(
                "{}: vermagic {vermagic:?}, want {release}",
                ko.display()
            )));
        }
        let signer = field("signer")?;
        if signer != DKMS_SIGNER {
            return Err(Error::Failed(format!(
                "{}: signer {signer:?}, want {DKMS_SIGNER:?}",
                ko.display()
            )));
        }
    }
    let loader = util::read_module(&installed_file(&dir, "pgp_umd_loader")?)?;
    let handler = std::fs::read(tree.join(HANDLER)).ctx(|| format!("read {HANDLER}"))?;
    if handler.is_empty() || !loader.windows(handler.len()).any(|w| w == handler) {
        return Err(Error::Failed(format!(
            "{}/pgp_umd_loader.ko does not embed {HANDLER}",
            dir.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_version() {
        let toml =
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(package_version(toml).as_deref(), Some("0.1.0"));
        assert_eq!(package_version("[dependencies]\nversion = \"1\"\n"), None);
    }

    #[test]
    fn ships_production_sources_only() {
        assert!(shipped("Kbuild"));
        assert!(shipped("pgp_umd_main.c"));
        assert!(shipped("pgp_umd_blob.S"));
        assert!(shipped("pgp_umd.h"));
        assert!(!shipped("pgp_umd_loader_lying_main.c"));
        assert!(!shipped("pgp_umd_blob_lying.S"));
        assert!(!shipped("Makefile"));
        assert!(!shipped("pgp_umd.o"));
    }

    #[test]
    fn dkms_conf_lists_the_production_modules() {
        let conf = util::read(&util::workspace_root().join("kmod/dkms.conf"))
            .expect("kmod/dkms.conf is part of the repository");
        for (i, (name, dir)) in MODULES.iter().enumerate() {
            assert!(conf.contains(&format!("BUILT_MODULE_NAME[{i}]=\"{name}\"")));
            assert!(conf.contains(&format!("BUILT_MODULE_LOCATION[{i}]=\"{dir}/\"")));
            assert!(conf.contains(&format!("DEST_MODULE_LOCATION[{i}]=\"/updates/dkms\"")));
        }
        assert!(!conf.contains(&format!("[{}]", MODULES.len())));
    }
}
