//! A Debian trixie root for kernels whose build tools the host cannot run.
//!
//! Debian 7.x kernels are built with gcc-14, and their `linux-kbuild` tools
//! (`modpost`, `objtool`, `resolve_btfids`, `sign-file`) need glibc 2.38 or
//! later; a Debian 12 host has gcc-12 and glibc 2.36. So the harness makes a
//! minimal trixie root once with `debootstrap` (cached under
//! `target/vm/cache/`) and runs kbuild and DKMS for those kernels inside it:
//! `chroot` in a private mount namespace (`unshare --mount`), with the host's
//! `/dev`, a fresh `/proc` and the repository bind-mounted at its own path, so
//! every path the harness hands to `make` or `dkms` is the same inside and
//! outside, and the mounts vanish with the command.

use crate::error::{IoContext, Result};
use crate::hostpkgs;
use crate::util::{self, run, Step};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Debian release of the root.
pub const SUITE: &str = "trixie";

/// Where its packages come from (the host's own Debian mirror).
pub const MIRROR: &str = "http://deb.debian.org/debian";

/// What goes into the root besides `--variant=minbase`, and why.
pub const PACKAGES: &[&str] = &[
    "gcc-14",     // the compiler Debian's 7.x kernels were built with
    "make",       // Kbuild
    "libelf-dev", // objtool, resolve_btfids
    "libssl-dev", // sign-file's libcrypto
    "pahole",     // BTF for modules (the kernel was built with pahole 1.30)
    "bc",         // Kbuild's timeconst and friends
    "kmod",       // depmod, modinfo for Kbuild and DKMS
    "dkms",       // `cargo xtask dkms-check` builds with trixie's DKMS
    "openssl",    // DKMS generates its MOK key pair with it
    "xz-utils",   // for DKMS, should it compress modules like the kernel's own
];

const MARKER: &str = ".pgp-umd-buildroot";

/// A ready build root.
#[derive(Clone, Debug)]
pub struct BuildRoot {
    /// Its directory on the host.
    pub dir: PathBuf,
}

/// The build root under `cache/`, made with `debootstrap` unless a root with
/// the same suite and packages is there already.
pub fn ensure(cache: &Path) -> Result<BuildRoot> {
    let dir = cache.join(format!("buildroot-{SUITE}"));
    let want = format!("{SUITE} {MIRROR} {}\n", PACKAGES.join(","));
    if util::read(&dir.join(MARKER)).ok().as_deref() == Some(want.as_str()) {
        return Ok(BuildRoot { dir });
    }
    hostpkgs::ensure(hostpkgs::BUILDROOT_HOST_PACKAGES)?;
    let step = Step::start(format!(
        "debootstrap a {SUITE} build root ({})",
        PACKAGES.join(" ")
    ));
    let tmp = cache.join(format!("buildroot-{SUITE}.tmp"));
    util::rm_rf(&tmp)?;
    util::rm_rf(&dir)?;
    util::mkdir(cache)?;
    run(Command::new("debootstrap")
        .arg("--variant=minbase")
        .arg(format!("--include={}", PACKAGES.join(",")))
        .arg(SUITE)
        .arg(&tmp)
        .arg(MIRROR))?;
    util::write(&tmp.join(MARKER), &want)?;
    std::fs::rename(&tmp, &dir).ctx(|| format!("rename {} to {}", tmp.display(), dir.display()))?;
    step.done();
    Ok(BuildRoot { dir })
}

/// The script `unshare` runs: mounts, then `chroot`.
const ENTER: &str = r#"set -e
root=$1 repo=$2
shift 2
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mkdir -p "$root$repo"
mount --bind "$repo" "$root$repo"
exec chroot "$root" "$@""#;

impl BuildRoot {
    /// A command running `program` inside the root, with `repo` (the
    /// workspace) visible at its own path. Arguments added to the returned
    /// command go to `program`.
    pub fn command(&self, repo: &Path, program: &str) -> Command {
        let mut cmd = Command::new("unshare");
        cmd.args([
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            ENTER,
            "sh",
        ])
        .arg(&self.dir)
        .arg(repo)
        .arg(program)
        // The root's own tools first; nothing of the host's PATH exists there.
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        cmd
    }
}
