//! Debian kernel packages: resolve the newest 6.1 / 6.12 / 7.x build by name,
//! download the image, headers, headers-common and kbuild packages (for 7.x
//! also the binary, base and modules packages the image depends on) with
//! `apt-get download`, and `dpkg -x` them into a cache (nothing is
//! installed). 7.x comes from trixie-backports, reached through an apt
//! configuration private to the harness ([`Apt`]).

use crate::buildroot::{self, BuildRoot};
use crate::error::{Error, IoContext, Result};
use crate::util::{self, capture, run, Step};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A kernel series the harness supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Series {
    /// Debian 12's 6.1 LTS: `linux-image-6.1.0-NN-amd64`.
    V6_1,
    /// Debian 12's 6.12 from the security suite: `linux-image-6.12.NNN+deb12-amd64`.
    V6_12,
    /// The newest 7.x of trixie-backports, `linux-image-7.M.P+deb13-amd64`
    /// (7.3 when written). Built in the trixie root of `buildroot.rs`.
    Latest,
}

impl Series {
    /// Every supported series, oldest first.
    pub const ALL: [Series; 3] = [Series::V6_1, Series::V6_12, Series::Latest];

    /// The short name used on the command line and under `target/vm/`.
    pub fn name(self) -> &'static str {
        match self {
            Series::V6_1 => "6.1",
            Series::V6_12 => "6.12",
            Series::Latest => "latest",
        }
    }

    /// Parse `6.1` / `6.12` / `latest` (also `7.3`, `7`: the newest 7.x,
    /// whatever its minor version).
    pub fn parse(s: &str) -> Option<Series> {
        match s {
            "7" | "7.3" => Some(Series::Latest),
            _ => Series::ALL.into_iter().find(|k| k.name() == s),
        }
    }

    /// Whether its packages come from trixie-backports through the harness's
    /// private apt configuration.
    pub fn private_apt(self) -> bool {
        self == Series::Latest
    }

    /// Whether its modules are built in the trixie root (the host's gcc-12
    /// and glibc 2.36 cannot run its kbuild).
    pub fn needs_buildroot(self) -> bool {
        self == Series::Latest
    }

    /// If `pkg` is an image package of this series, its sort key (the ABI
    /// number NN of 6.1.0-NN, the patch level NNN of 6.12.NNN, minor and
    /// patch level of 7.M.P).
    fn image_rank(self, pkg: &str) -> Option<u32> {
        if self == Series::Latest {
            let middle = pkg
                .strip_prefix("linux-image-7.")?
                .strip_suffix("+deb13-amd64")?;
            let (minor, patch) = middle.split_once('.')?;
            let num = |t: &str| -> Option<u32> {
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                t.parse().ok()
            };
            let (minor, patch) = (num(minor)?, num(patch)?);
            if patch >= 100_000 {
                return None;
            }
            return minor.checked_mul(100_000)?.checked_add(patch);
        }
        let middle = match self {
            Series::V6_1 => pkg
                .strip_prefix("linux-image-6.1.0-")?
                .strip_suffix("-amd64")?,
            Series::V6_12 => pkg
                .strip_prefix("linux-image-6.12.")?
                .strip_suffix("+deb12-amd64")?,
            Series::Latest => return None,
        };
        if middle.is_empty() || !middle.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        middle.parse().ok()
    }

    /// Kernel modules (from the image package) that tests need in the VM,
    /// besides the project's own. Their dependencies are added automatically.
    pub fn needed_modules(self) -> &'static [&'static str] {
        match self {
            // CONFIG_CRYPTO_SHA512=m on 6.1: SHA-384/512 signatures need it.
            Series::V6_1 => &["sha512_generic"],
            Series::V6_12 | Series::Latest => &[],
        }
    }

    /// Extra kernel command line for this series.
    pub fn extra_cmdline(self) -> &'static str {
        match self {
            Series::V6_1 => "",
            Series::V6_12 | Series::Latest => "kfence.sample_interval=1",
        }
    }
}

/// Pick the newest image package of `series` among `apt-cache search` output.
pub fn newest_image(series: Series, search_output: &str) -> Option<String> {
    search_output
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|p| series.image_rank(p).map(|r| (r, p)))
        .max_by_key(|(r, _)| *r)
        .map(|(_, p)| p.to_string())
}

/// The package names of one `Depends:` field, first alternative of each.
pub fn depends_names(depends: &str) -> Vec<String> {
    depends
        .split(',')
        .filter_map(|d| d.split('|').next())
        .filter_map(|d| d.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The packages of one kernel build.
#[derive(Clone, Debug)]
pub struct Packages {
    /// Which series.
    pub series: Series,
    /// `uname -r` of the kernel, e.g. `6.1.0-56-amd64`.
    pub release: String,
    /// Debian version shared by all four packages, e.g. `6.1.192-2`.
    pub version: String,
    /// image (for 7.x then binary, base, modules), headers, headers-common,
    /// kbuild.
    pub names: Vec<String>,
    /// The apt configuration they were found with.
    pub apt: Apt,
}

fn field(show: &str, name: &str) -> Option<String> {
    show.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(|v| v.trim().to_string())
}

/// How the harness asks apt about one series: the system's configuration
/// (Debian 12's own suites), or, for 7.x, a private one under
/// `<cache>/apt/`: its own sources list (trixie and trixie-backports, signed
/// by the archive keys Debian 12's `debian-archive-keyring` ships), package
/// lists and package cache. The system's sources are never touched.
#[derive(Clone, Debug, Default)]
pub struct Apt {
    /// `-o` options, empty for the system's configuration.
    opts: Vec<String>,
    /// The private list directory (refreshed by [`Apt::refresh`]).
    lists: Option<PathBuf>,
}

/// The private sources list.
const PRIVATE_SOURCES: &str = "\
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
";

/// Private lists older than this are fetched again (a newer kernel build
/// replaces an old one in the archive).
const PRIVATE_LISTS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

impl Apt {
    /// The apt configuration for `series`.
    pub fn for_series(series: Series, cache: &Path) -> Result<Apt> {
        if !series.private_apt() {
            return Ok(Apt::default());
        }
        let dir = cache.join("apt");
        let sources = dir.join("sources.list");
        let parts = dir.join("sources.list.d");
        let lists = dir.join("lists");
        let pkgcache = dir.join("cache");
        for d in [
            &parts,
            &lists.join("partial"),
            &pkgcache.join("archives/partial"),
        ] {
            util::mkdir(d)?;
        }
        util::write(&sources, PRIVATE_SOURCES)?;
        let opt = |k: &str, v: &Path| format!("{k}={}", v.display());
        let opts = vec![
            opt("Dir::Etc::SourceList", &sources),
            opt("Dir::Etc::SourceParts", &parts),
            opt("Dir::State::Lists", &lists),
            opt("Dir::Cache", &pkgcache),
            "Acquire::Languages=none".to_string(),
            "APT::Architectures=amd64".to_string(),
        ];
        let apt = Apt {
            opts,
            lists: Some(lists),
        };
        apt.refresh()?;
        Ok(apt)
    }

    /// `program` (apt-get, apt-cache) with this configuration.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        for o in &self.opts {
            cmd.arg("-o").arg(o);
        }
        cmd
    }

    /// `apt-get update` (of the private lists, when they are missing or old).
    fn refresh(&self) -> Result<()> {
        let Some(lists) = &self.lists else {
            return Ok(());
        };
        let stamp = lists.join(".pgp-umd-updated");
        let fresh = std::fs::metadata(&stamp)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age < PRIVATE_LISTS_MAX_AGE);
        if fresh {
            return Ok(());
        }
        self.update()?;
        util::write(&stamp, "")
    }

    fn update(&self) -> Result<()> {
        run(self.command("apt-get").args(["-q", "update"]))
    }
}

/// Resolve the newest build of `series` from the apt package lists.
pub fn resolve(series: Series, cache: &Path) -> Result<Packages> {
    let apt = Apt::for_series(series, cache)?;
    let pattern = match series {
        Series::V6_1 => r"^linux-image-6\.1\.0-[0-9]+-amd64$",
        Series::V6_12 => r"^linux-image-6\.12\.[0-9]+\+deb12-amd64$",
        Series::Latest => r"^linux-image-7\.[0-9]+\.[0-9]+\+deb13-amd64$",
    };
    let search = || {
        capture(
            apt.command("apt-cache")
                .args(["search", "--names-only", pattern]),
        )
    };
    let mut found = newest_image(series, &search()?);
    if found.is_none() {
        // A fresh machine may have no package lists yet.
        apt.update()?;
        found = newest_image(series, &search()?);
    }
    let image = found.ok_or_else(|| {
        Error::NotFound(format!(
            "no linux-image package for {} in apt's lists",
            series.name()
        ))
    })?;
    let release = image
        .strip_prefix("linux-image-")
        .unwrap_or(&image)
        .to_string();
    let show = |pkg: &str| {
        capture(
            apt.command("apt-cache")
                .args(["show", "--no-all-versions", pkg]),
        )
    };
    let headers = format!("linux-headers-{release}");
    let hshow = show(&headers)?;
    let version =
        field(&hshow, "Version").ok_or_else(|| Error::NotFound(format!("Version of {headers}")))?;
    let deps = depends_names(&field(&hshow, "Depends").unwrap_or_default());
    let pick = |prefix: &str| {
        deps.iter()
            .find(|d| d.starts_with(prefix))
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("{prefix}* in the Depends of {headers}")))
    };
    let common = pick("linux-headers-")?;
    let kbuild = pick("linux-kbuild-")?;
    let mut names = vec![image.clone()];
    // 7.x: the image is a meta package over binary (vmlinuz), base (config,
    // System.map) and modules packages of the same release.
    let ideps = depends_names(&field(&show(&image)?, "Depends").unwrap_or_default());
    for part in ["binary", "base", "modules"] {
        let want = format!("linux-{part}-{release}");
        if ideps.contains(&want) {
            names.push(want);
        }
    }
    names.extend([headers, common, kbuild]);
    Ok(Packages {
        series,
        release,
        version,
        names,
        apt,
    })
}

/// An extracted kernel build in the cache.
#[derive(Clone, Debug)]
pub struct Extracted {
    /// The packages.
    pub pkgs: Packages,
    /// Where all packages were `dpkg -x`-ed.
    pub root: PathBuf,
    /// For a series that [`Series::needs_buildroot`], the root kbuild runs in.
    pub buildroot: Option<BuildRoot>,
}

impl Extracted {
    /// The compressed kernel image (7.x: in the modules directory, no /boot).
    pub fn vmlinuz(&self) -> PathBuf {
        let in_modules = self.modules_dir().join("vmlinuz");
        if in_modules.is_file() {
            return in_modules;
        }
        self.root
            .join("boot")
            .join(format!("vmlinuz-{}", self.pkgs.release))
    }

    /// The kernel build directory for `make -C`.
    pub fn headers(&self) -> PathBuf {
        self.root
            .join("usr/src")
            .join(format!("linux-headers-{}", self.pkgs.release))
    }

    /// The kernel's own modules (7.x: under /usr/lib).
    pub fn modules_dir(&self) -> PathBuf {
        let usr = self.root.join("usr/lib/modules").join(&self.pkgs.release);
        if usr.is_dir() {
            return usr;
        }
        self.root.join("lib/modules").join(&self.pkgs.release)
    }

    /// A command running `program` where this kernel's kbuild can run: on
    /// the host, or in the build root (with `repo` visible at its own path).
    pub fn command(&self, repo: &Path, program: &str) -> Command {
        match &self.buildroot {
            Some(b) => b.command(repo, program),
            None => Command::new(program),
        }
    }
}

const MARKER: &str = ".pgp-umd-extracted";

/// The members of a `linux-modules-*` package that are extracted: the crypto
/// modules (the only kind of kernel module a test may need,
/// `Series::needed_modules`); the other 100 MB of drivers stay in the
/// package. (modules.builtin and modules.order are in `linux-base-*`.)
const MODULES_MEMBERS: &[&str] = &[
    "./usr/lib/modules/*/kernel/crypto/*",
    "./usr/lib/modules/*/kernel/lib/crypto/*",
    "./usr/lib/modules/*/kernel/arch/x86/crypto/*",
];

/// `dpkg -x` of `deb` into `root`, or for a modules package only
/// [`MODULES_MEMBERS`].
fn extract(deb: &Path, root: &Path) -> Result<()> {
    let modules = deb
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("linux-modules-"));
    if !modules {
        return run(Command::new("dpkg").arg("-x").arg(deb).arg(root));
    }
    util::mkdir(root)?;
    let mut script = String::from(
        "dpkg-deb --fsys-tarfile \"$1\" | tar -x -C \"$2\" --wildcards --no-wildcards-match-slash",
    );
    for m in MODULES_MEMBERS {
        script.push_str(&format!(" '{m}'"));
    }
    run(Command::new("bash")
        .args(["-o", "pipefail", "-c"])
        .arg(script)
        .arg("sh")
        .arg(deb)
        .arg(root))
}

/// Download and extract the packages into `cache/<release>/` unless done
/// before; for a series that needs it, make (or reuse) the build root too.
pub fn fetch(pkgs: &Packages, cache: &Path) -> Result<Extracted> {
    let buildroot = if pkgs.series.needs_buildroot() {
        Some(buildroot::ensure(cache)?)
    } else {
        None
    };
    let dir = cache.join(&pkgs.release);
    let root = dir.join("root");
    let marker = root.join(MARKER);
    let want = format!("{} {}\n", pkgs.names.join(" "), pkgs.version);
    if util::read(&marker).ok().as_deref() == Some(want.as_str()) {
        eprintln!(
            "    {} {}: cached in {}",
            pkgs.series.name(),
            pkgs.release,
            dir.display()
        );
        return Ok(Extracted {
            pkgs: pkgs.clone(),
            root,
            buildroot,
        });
    }
    let debs = dir.join("debs");
    util::rm_rf(&debs)?;
    util::rm_rf(&root)?;
    util::mkdir(&debs)?;

    let step = Step::start(format!(
        "download {} ({})",
        pkgs.names.join(" "),
        pkgs.version
    ));
    let mut cmd = pkgs.apt.command("apt-get");
    cmd.current_dir(&debs).args(["-q", "download"]);
    for n in &pkgs.names {
        cmd.arg(format!("{n}={}", pkgs.version));
    }
    run(&mut cmd)?;
    step.done();

    let step = Step::start(format!("extract {} packages", pkgs.release));
    for deb in util::files_below(&debs)? {
        extract(&deb, &root)?;
    }
    fix_headers_makefile(&root, &pkgs.release)?;
    step.done();
    util::write(&marker, want)?;
    Ok(Extracted {
        pkgs: pkgs.clone(),
        root,
        buildroot,
    })
}

/// The headers' Makefile includes the `-common` Makefile by absolute path under
/// /usr/src (and on 7.x sets `KBUILD_OUTPUT=/usr/src/...`); point both into
/// the extracted tree instead.
fn fix_headers_makefile(root: &Path, release: &str) -> Result<()> {
    let mk = root
        .join("usr/src")
        .join(format!("linux-headers-{release}"))
        .join("Makefile");
    let text = util::read(&mk)?;
    let usr_src = root.join("usr/src");
    let mut changed = false;
    let fixed: Vec<String> = text
        .lines()
        .map(|l| {
            if let Some(rest) = l.strip_prefix("include /usr/src/") {
                changed = true;
                format!("include {}/{rest}", usr_src.display())
            } else if let Some(rest) = l.strip_prefix("KBUILD_OUTPUT=/usr/src/") {
                format!("KBUILD_OUTPUT={}/{rest}", usr_src.display())
            } else {
                l.to_string()
            }
        })
        .collect();
    if !changed {
        return Err(Error::Failed(format!(
            "{}: no `include /usr/src/...` line to fix",
            mk.display()
        )));
    }
    std::fs::write(&mk, fixed.join("\n") + "\n").ctx(|| format!("write {}", mk.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEARCH: &str = "\
linux-image-6.1.0-9-amd64 - Linux 6.1 for 64-bit PCs (signed)
linux-image-6.1.0-56-amd64 - Linux 6.1 for 64-bit PCs (signed)
linux-image-6.1.0-56-amd64-unsigned - Linux 6.1 for 64-bit PCs
linux-image-6.1.0-56-cloud-amd64 - Linux 6.1 for x86-64 cloud (signed)
linux-image-6.1.0-56-rt-amd64 - Linux 6.1 for 64-bit PCs, PREEMPT_RT (signed)
linux-image-6.12.99+deb12-amd64 - Linux 6.12 for 64-bit PCs (signed)
linux-image-6.12.117+deb12-amd64 - Linux 6.12 for 64-bit PCs (signed)
linux-image-6.12.117+deb12-cloud-amd64 - Linux 6.12 cloud
linux-image-6.12-amd64 - Linux for 64-bit PCs (meta-package)
";

    #[test]
    fn picks_newest_plain_image_per_series() {
        assert_eq!(
            newest_image(Series::V6_1, SEARCH).as_deref(),
            Some("linux-image-6.1.0-56-amd64")
        );
        assert_eq!(
            newest_image(Series::V6_12, SEARCH).as_deref(),
            Some("linux-image-6.12.117+deb12-amd64")
        );
        assert_eq!(newest_image(Series::V6_1, ""), None);
    }

    #[test]
    fn picks_newest_7x_by_minor_then_patch() {
        let search = "\
linux-image-7.2.12+deb13-amd64 - Linux 7.2.12 for 64-bit PCs
linux-image-7.3.4+deb13-amd64 - Linux 7.3.4 for 64-bit PCs
linux-image-7.3.10+deb13-cloud-amd64 - Linux 7.3.10 cloud
linux-image-7.3.10+deb13-rt-amd64 - Linux 7.3.10 PREEMPT_RT
linux-image-7.3.4+deb13-amd64-unsigned - Linux 7.3.4
linux-image-7.1.13+deb13-amd64 - Linux 7.1.13 for 64-bit PCs
linux-image-7.10+deb13-amd64 - malformed
linux-image-6.12.117+deb12-amd64 - Linux 6.12
";
        assert_eq!(
            newest_image(Series::Latest, search).as_deref(),
            Some("linux-image-7.3.4+deb13-amd64")
        );
        assert_eq!(newest_image(Series::Latest, SEARCH), None);
        assert_eq!(Series::parse("7.3"), Some(Series::Latest));
        assert_eq!(Series::parse("latest"), Some(Series::Latest));
        assert_eq!(Series::parse("6.12"), Some(Series::V6_12));
        assert_eq!(Series::parse("5.10"), None);
    }

    #[test]
    fn parses_depends() {
        let d = "linux-base (>= 4.12~), linux-headers-6.12.117+deb12-common (= 6.12.117-1~deb12u1), \
                 linux-image-6.12.117+deb12-amd64 (= 1) | linux-image-6.12.117+deb12-amd64-unsigned (= 1), \
                 linux-kbuild-6.12.117+deb12, gcc-12";
        assert_eq!(
            depends_names(d),
            [
                "linux-base",
                "linux-headers-6.12.117+deb12-common",
                "linux-image-6.12.117+deb12-amd64",
                "linux-kbuild-6.12.117+deb12",
                "gcc-12"
            ]
        );
    }
}
