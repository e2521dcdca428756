//! Debian kernel packages: resolve the newest 6.1 / 6.12 build by name, download
//! the image, headers, headers-common and kbuild packages with `apt-get
//! download`, and `dpkg -x` them into a cache (nothing is installed).

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
}

impl Series {
    /// Every supported series, oldest first.
    pub const ALL: [Series; 2] = [Series::V6_1, Series::V6_12];

    /// The short name used on the command line and under `target/vm/`.
    pub fn name(self) -> &'static str {
        match self {
            Series::V6_1 => "6.1",
            Series::V6_12 => "6.12",
        }
    }

    /// Parse `6.1` / `6.12`.
    pub fn parse(s: &str) -> Option<Series> {
        Series::ALL.into_iter().find(|k| k.name() == s)
    }

    /// If `pkg` is an image package of this series, its sort key (the ABI
    /// number NN of 6.1.0-NN, the patch level NNN of 6.12.NNN).
    fn image_rank(self, pkg: &str) -> Option<u32> {
        let middle = match self {
            Series::V6_1 => pkg
                .strip_prefix("linux-image-6.1.0-")?
                .strip_suffix("-amd64")?,
            Series::V6_12 => pkg
                .strip_prefix("linux-image-6.12.")?
                .strip_suffix("+deb12-amd64")?,
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
            Series::V6_12 => &[],
        }
    }

    /// Extra kernel command line for this series.
    pub fn extra_cmdline(self) -> &'static str {
        match self {
            Series::V6_1 => "",
            Series::V6_12 => "kfence.sample_interval=1",
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
    /// image, headers, headers-common, kbuild.
    pub names: Vec<String>,
}

fn field(show: &str, name: &str) -> Option<String> {
    show.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(|v| v.trim().to_string())
}

/// Resolve the newest build of `series` from the apt package lists.
pub fn resolve(series: Series) -> Result<Packages> {
    let pattern = match series {
        Series::V6_1 => r"^linux-image-6\.1\.0-[0-9]+-amd64$",
        Series::V6_12 => r"^linux-image-6\.12\.[0-9]+\+deb12-amd64$",
    };
    let search = || capture(Command::new("apt-cache").args(["search", "--names-only", pattern]));
    let mut found = newest_image(series, &search()?);
    if found.is_none() {
        // A fresh machine may have no package lists yet.
        run(Command::new("apt-get").args(["-q", "update"]))?;
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
    let headers = format!("linux-headers-{release}");
    let show = capture(Command::new("apt-cache").args(["show", "--no-all-versions", &headers]))?;
    let version =
        field(&show, "Version").ok_or_else(|| Error::NotFound(format!("Version of {headers}")))?;
    let depends = field(&show, "Depends").unwrap_or_default();
    let deps = depends_names(&depends);
    let pick = |prefix: &str| {
        deps.iter()
            .find(|d| d.starts_with(prefix))
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("{prefix}* in the Depends of {headers}")))
    };
    let common = pick("linux-headers-")?;
    let kbuild = pick("linux-kbuild-")?;
    Ok(Packages {
        series,
        release,
        version,
        names: vec![image, headers, common, kbuild],
    })
}

/// An extracted kernel build in the cache.
#[derive(Clone, Debug)]
pub struct Extracted {
    /// The packages.
    pub pkgs: Packages,
    /// Where all four packages were `dpkg -x`-ed.
    pub root: PathBuf,
}

impl Extracted {
    /// The compressed kernel image.
    pub fn vmlinuz(&self) -> PathBuf {
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

    /// The kernel's own modules.
    pub fn modules_dir(&self) -> PathBuf {
        self.root.join("lib/modules").join(&self.pkgs.release)
    }
}

const MARKER: &str = ".pgp-umd-extracted";

/// Download and extract the packages into `cache/<release>/` unless done before.
pub fn fetch(pkgs: &Packages, cache: &Path) -> Result<Extracted> {
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
    let mut cmd = Command::new("apt-get");
    cmd.current_dir(&debs).args(["-q", "download"]);
    for n in &pkgs.names {
        cmd.arg(format!("{n}={}", pkgs.version));
    }
    run(&mut cmd)?;
    step.done();

    let step = Step::start(format!("extract {} packages", pkgs.release));
    for deb in util::files_below(&debs)? {
        run(Command::new("dpkg").arg("-x").arg(&deb).arg(&root))?;
    }
    fix_headers_makefile(&root, &pkgs.release)?;
    step.done();
    util::write(&marker, want)?;
    Ok(Extracted {
        pkgs: pkgs.clone(),
        root,
    })
}

/// The headers' Makefile includes the `-common` Makefile by absolute path under
/// /usr/src; point it into the extracted tree instead.
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
        .map(|l| match l.strip_prefix("include /usr/src/") {
            Some(rest) => {
                changed = true;
                format!("include {}/{rest}", usr_src.display())
            }
            None => l.to_string(),
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
