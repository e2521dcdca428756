//! `cargo xtask kselftest`: `selftests/` inside a real kernel source tree, as
//! `tools/testing/selftests/pgp-umd/` of Debian's `linux-source-6.12`,
//! installed with the tree's own kselftest `make ... install`, and the
//! installed `run_kselftest.sh` run in the VM (`xtask/vm/kselftest.sh`).

use crate::error::{Error, Result};
use crate::kernel::Series;
use crate::util::{self, capture, run, Step};
use crate::{hostpkgs, vmtest};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's kernel source package (the one checkpatch uses too).
const SOURCE_PACKAGE: &str = "linux-source-6.12";

/// What the kselftest install needs of the tree: the selftests' top Makefile,
/// lib.mk and runner, and the make fragments they include.
const TREE_MEMBERS: &[&str] = &[
    "Makefile",
    "scripts/*.include",
    "tools/scripts/*",
    "tools/testing/selftests/Makefile",
    "tools/testing/selftests/*.*",
    "tools/testing/selftests/kselftest/*",
];

/// Host packages the install step uses.
const HOST_PACKAGES: &[&str] = &[
    "rsync",    // lib.mk installs the tests with rsync
    "xz-utils", // the source tarball is .tar.xz
    "make",     // the kselftest Makefiles
    "gcc",      // lib.mk builds the C helper (add_key_bench) with $(CC)
];

const MARKER: &str = ".pgp-umd-extracted";

/// Seconds `xtask/vm/kselftest.sh` may run in the VM (the whole default
/// suite, ~7 minutes on 6.12 under TCG).
const KSELFTEST_SCRIPT_TIMEOUT_SECS: u64 = 1100;

/// The kselftest part of Debian's kernel source under `dir/` (downloaded
/// with `apt-get download`, only [`TREE_MEMBERS`] unpacked), reused while
/// the package version is unchanged. Returns the tree's root.
fn source_tree(dir: &Path) -> Result<PathBuf> {
    let show =
        capture(Command::new("apt-cache").args(["show", "--no-all-versions", SOURCE_PACKAGE]))?;
    let version = show
        .lines()
        .find_map(|l| l.strip_prefix("Version:"))
        .map(str::trim)
        .ok_or_else(|| Error::NotFound(format!("Version of {SOURCE_PACKAGE}")))?
        .to_string();
    let tree = dir.join(SOURCE_PACKAGE);
    let want = format!("{SOURCE_PACKAGE} {version}\n");
    if util::read(&tree.join(MARKER)).ok().as_deref() == Some(want.as_str()) {
        return Ok(tree);
    }
    let step = Step::start(format!(
        "download {SOURCE_PACKAGE} ({version}) and unpack its kselftest framework"
    ));
    let debs = dir.join("deb");
    util::rm_rf(&debs)?;
    util::rm_rf(&tree)?;
    util::mkdir(&debs)?;
    run(Command::new("apt-get")
        .current_dir(&debs)
        .args(["-q", "download"])
        .arg(format!("{SOURCE_PACKAGE}={version}")))?;
    let deb = util::files_below(&debs)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::NotFound(format!("{SOURCE_PACKAGE} .deb")))?;
    let mut script = format!(
        "dpkg-deb --fsys-tarfile \"$1\" | tar -xO './usr/src/{SOURCE_PACKAGE}.tar.xz' | \
         tar -xJ -C \"$2\" --strip-components=1 --wildcards --no-wildcards-match-slash"
    );
    for m in TREE_MEMBERS {
        script.push_str(&format!(" '{SOURCE_PACKAGE}/{m}'"));
    }
    util::mkdir(&tree)?;
    run(Command::new("bash")
        .args(["-o", "pipefail", "-c"])
        .arg(&script)
        .arg("bash")
        .arg(&deb)
        .arg(&tree))?;
    util::rm_rf(&debs)?;
    util::write(&tree.join(MARKER), want)?;
    step.done();
    Ok(tree)
}

/// Copy `selftests/` into the tree as `tools/testing/selftests/pgp-umd/`,
/// run `make -C tools/testing/selftests TARGETS=pgp-umd install` into
/// `out/`, and check that the installed list is the Makefile's
/// `TEST_PROGS`. Returns the install directory.
pub fn install(repo: &Path, dir: &Path) -> Result<PathBuf> {
    hostpkgs::ensure(HOST_PACKAGES)?;
    let tree = source_tree(dir)?;
    let step = Step::start("kselftest install of tools/testing/selftests/pgp-umd");
    let selftests = tree.join("tools/testing/selftests");
    let ours = selftests.join("pgp-umd");
    util::rm_rf(&ours)?;
    util::copy_tree(&repo.join("selftests"), &ours)?;
    // The VM gets it as /extra/<last component>.
    let out = dir.join("installed/kselftest");
    util::rm_rf(&out)?;
    run(Command::new("make")
        .arg("-C")
        .arg(&selftests)
        .arg("TARGETS=pgp-umd")
        .arg(format!("INSTALL_PATH={}", out.display()))
        .arg("install"))?;
    let listed: Vec<String> = util::read(&out.join("kselftest-list.txt"))?
        .lines()
        .filter_map(|l| l.strip_prefix("pgp-umd:"))
        .map(str::to_string)
        .collect();
    let want = vmtest::test_progs(&util::read(&repo.join("selftests/Makefile"))?);
    if listed != want {
        return Err(Error::Failed(format!(
            "kselftest-list.txt lists {listed:?}, selftests/Makefile's TEST_PROGS are {want:?}"
        )));
    }
    step.done();
    Ok(out)
}

/// `cargo xtask kselftest`: install as above, then boot each kernel with the
/// install tree as `/extra/kselftest` and run `xtask/vm/kselftest.sh`.
pub fn check(kernels: &[Series]) -> Result<bool> {
    let repo = util::workspace_root();
    let installed = install(&repo, &repo.join("target/kselftest"))?;
    let opts = vmtest::Options {
        kernels: kernels.to_vec(),
        timeout: vmtest::DEFAULT_TIMEOUT * 2,
        // The whole suite is one script here: its own per-script limit
        // (selftests/run_tests.sh, default 300 s) would cut it.
        extra_cmdline: format!("PGP_UMD_TEST_TIMEOUT={}", KSELFTEST_SCRIPT_TIMEOUT_SECS),
        results: "kselftest".into(),
        extra_dirs: vec![installed],
        script: Some(repo.join("xtask/vm/kselftest.sh")),
        only_script: true,
        ..Default::default()
    };
    vmtest::run(&opts)
}
