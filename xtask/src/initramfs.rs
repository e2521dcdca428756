//! Builds the test initramfs: busybox-static, keyctl and its libraries, the
//! static helpers (pgp-umd, add_key_bench, add_key_signals,
//! pkey_verify_bench, verify_bench), the project's and the needed kernel
//! modules, the selftests and test data, extra directories, and an `/init`
//! that runs the tests and powers off.

use crate::error::{Error, IoContext, Result};
use crate::kernel::Extracted;
use crate::util::{self, capture, run, Step};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The VM's `/init`.
pub const INIT: &str = include_str!("../vm/init");

/// What goes into one initramfs.
pub struct Spec<'a> {
    /// The kernel it is for (release name, its modules).
    pub kernel: &'a Extracted,
    /// The project's freshly built `.ko` files.
    pub project_modules: &'a [PathBuf],
    /// Modules from an install tree (`vm-test --modules-from`).
    pub installed_modules: &'a [Installed],
    /// The repository root (selftests/ and testdata/ are taken from it).
    pub repo: &'a Path,
    /// Test scripts to run, in order, as named inside /selftests.
    pub tests: Vec<String>,
    /// `--extra-dir` directories.
    pub extra_dirs: &'a [PathBuf],
    /// `--script` file.
    pub script: Option<&'a Path>,
    /// `--with-rpm`: add the host's `rpmkeys` (benchmarks against rpm).
    pub with_rpm: bool,
}

/// A module of an install tree: it goes to `lib/modules/<release>/<rel>`.
pub struct Installed {
    /// Module name (underscores).
    pub name: String,
    /// The file on the host.
    pub file: PathBuf,
    /// Its path relative to the kernel's directory of the install tree,
    /// ending in `.ko` (the file is decompressed on the way in).
    pub rel: PathBuf,
}

/// Build `out/initramfs.cpio.gz` (staging tree `out/initramfs/`, file
/// listing `out/initramfs.txt`) and return the archive's path.
pub fn build(spec: &Spec<'_>, out: &Path) -> Result<PathBuf> {
    let step = Step::start(format!("initramfs for {}", spec.kernel.pkgs.release));
    let root = out.join("initramfs");
    util::rm_rf(&root)?;
    for d in ["proc", "sys", "dev", "tmp", "run", "root", "etc"] {
        util::mkdir(&root.join(d))?;
    }
    add_busybox(&root)?;
    add_binary_with_libs(&root, "keyctl")?;
    add_static_tool(spec.repo, &root, "pgp-umd-cli", "pgp-umd")?;
    add_static_c(
        &root,
        &spec.repo.join("selftests/add_key_bench.c"),
        "add_key_bench",
    )?;
    add_static_c(
        &root,
        &spec.repo.join("selftests/add_key_signals.c"),
        "add_key_signals",
    )?;
    add_static_c(
        &root,
        &spec.repo.join("selftests/pkey_verify_bench.c"),
        "pkey_verify_bench",
    )?;
    add_static_c(
        &root,
        &spec.repo.join("selftests/verify_bench.c"),
        "verify_bench",
    )?;
    if spec.with_rpm {
        add_rpmkeys(&root)?;
    }

    let release = &spec.kernel.pkgs.release;
    let mods = root.join("lib/modules").join(release);
    let extra = mods.join("extra");
    util::mkdir(&extra)?;
    for ko in spec.project_modules {
        copy_into(ko, &extra)?;
    }
    for m in spec.installed_modules {
        util::write(&mods.join(&m.rel), util::read_module(&m.file)?)?;
    }
    add_kernel_modules(spec.kernel, &mods)?;

    let selftests = root.join("selftests");
    util::copy_tree(&spec.repo.join("selftests"), &selftests)?;
    let testdata = spec.repo.join("testdata");
    if testdata.is_dir() {
        // Everything but the corpus generator: its sources (and its build,
        // hundreds of MB once the corpus was regenerated) are no test data.
        let entries = std::fs::read_dir(&testdata)
            .map_err(|e| Error::Failed(format!("read {}: {e}", testdata.display())))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::Failed(format!("read testdata: {e}")))?;
            let (src, name) = (entry.path(), entry.file_name());
            let dst = root.join("testdata").join(&name);
            if name == "generator" {
                continue;
            } else if src.is_dir() {
                util::copy_tree(&src, &dst)?;
            } else {
                util::mkdir(&root.join("testdata"))?;
                util::copy(&src, &dst)?;
            }
        }
    }
    for dir in spec.extra_dirs {
        let name = dir
            .file_name()
            .ok_or_else(|| Error::Usage(format!("--extra-dir {}: no name", dir.display())))?;
        util::copy_tree(dir, &root.join("extra").join(name))?;
        for f in util::files_below(dir)? {
            if f.extension().is_some_and(|e| e == "ko") {
                copy_into(&f, &extra)?;
            }
        }
    }
    let mut tests = spec.tests.clone();
    if let Some(script) = spec.script {
        let name = script
            .file_name()
            .ok_or_else(|| Error::Usage(format!("--script {}: no name", script.display())))?;
        let dst = selftests.join(name);
        util::copy(script, &dst)?;
        chmod(&dst, 0o755)?;
        tests.push(name.to_string_lossy().into_owned());
    }
    util::write(&selftests.join("tests.list"), tests.join("\n") + "\n")?;

    let init = root.join("init");
    util::write(&init, INIT)?;
    chmod(&init, 0o755)?;

    let archive = out.join("initramfs.cpio.gz");
    let listing = out.join("initramfs.txt");
    run(Command::new("sh")
        .arg("-c")
        .arg(
            "cd \"$1\" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 > \"$2\" \
             && find . -printf '%M %10s %p %l\\n' | LC_ALL=C sort -k3 > \"$3\"",
        )
        .arg("sh")
        .arg(&root)
        .arg(&archive)
        .arg(&listing))?;
    step.done();
    Ok(archive)
}

fn chmod(p: &Path, mode: u32) -> Result<()> {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
        .ctx(|| format!("chmod {}", p.display()))
}

fn copy_into(file: &Path, dir: &Path) -> Result<()> {
    let name = file
        .file_name()
        .ok_or_else(|| Error::NotFound(format!("file name of {}", file.display())))?;
    util::copy(file, &dir.join(name))
}

fn which(prog: &str) -> Result<PathBuf> {
    for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        let p = Path::new(dir).join(prog);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(Error::NotFound(format!("{prog} on the host")))
}

/// Root-relative path inside the initramfs for an absolute host path.
fn inside(root: &Path, abs: &Path) -> PathBuf {
    root.join(abs.strip_prefix("/").unwrap_or(abs))
}

/// busybox-static at /bin/busybox plus a link for every applet.
fn add_busybox(root: &Path) -> Result<()> {
    let bb = which("busybox")?;
    let dst = root.join("bin/busybox");
    util::copy(&bb, &dst)?;
    let list = capture(Command::new(&bb).arg("--list-full"))?;
    for applet in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let link = root.join(applet);
        // The applet named busybox would replace the binary with a link to itself.
        if link.file_name().is_some_and(|n| n == "busybox") || link.exists() {
            continue;
        }
        if let Some(parent) = link.parent() {
            util::mkdir(parent)?;
        }
        std::os::unix::fs::symlink("/bin/busybox", &link)
            .ctx(|| format!("symlink {}", link.display()))?;
    }
    Ok(())
}

/// One of the project's command-line tools, built static (so it needs no
/// libraries in the VM) with `runtime/build-static.sh`, as /usr/bin/BIN.
fn add_static_tool(repo: &Path, root: &Path, package: &str, bin: &str) -> Result<()> {
    let mut cmd = Command::new(repo.join("runtime/build-static.sh"));
    cmd.args([package, bin]);
    let built = PathBuf::from(capture(&mut cmd)?.trim());
    let dir = root.join("usr/bin");
    util::mkdir(&dir)?;
    util::copy(&built, &dir.join(bin))
}

/// A C helper of the selftests, built static with the host's gcc-12 (so it
/// needs no libraries in the VM), as /usr/bin/BIN. A warning fails the run.
fn add_static_c(root: &Path, src: &Path, bin: &str) -> Result<()> {
    let dir = root.join("usr/bin");
    util::mkdir(&dir)?;
    run(Command::new("gcc-12")
        .args(["-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(dir.join(bin))
        .arg(src))
}

/// A host binary at its own path plus every library `ldd` lists.
fn add_binary_with_libs(root: &Path, prog: &str) -> Result<()> {
    let bin = which(prog)?;
    util::copy(&bin, &inside(root, &bin))?;
    let ldd = capture(Command::new("ldd").arg(&bin))?;
    for line in ldd.lines() {
        // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or
        // "/lib64/ld-linux-x86-64.so.2 (0x...)"; linux-vdso has no file.
        let path = line
            .split_once("=>")
            .map_or(line, |(_, r)| r)
            .split_whitespace()
            .next()
            .unwrap_or("");
        if path.starts_with('/') {
            let p = Path::new(path);
            util::copy(p, &inside(root, p))?;
        }
    }
    Ok(())
}

/// The host's `rpmkeys` with its libraries and rpm's configuration
/// (`/usr/lib/rpm`: rpmrc, macros, platform files), so the VM can check RPM
/// signatures with rpm itself. rpmkeys keeps its keys in an rpm database;
/// the VM makes one with `rpmkeys --dbpath DIR --import`.
fn add_rpmkeys(root: &Path) -> Result<()> {
    add_binary_with_libs(root, "rpmkeys")?;
    for dir in ["/usr/lib/rpm", "/etc/rpm"] {
        let d = Path::new(dir);
        if d.is_dir() {
            util::copy_tree(d, &inside(root, d))?;
        }
    }
    Ok(())
}

/// Find `name` (dashes and underscores equivalent) among a kernel's modules.
fn find_module(files: &[PathBuf], name: &str) -> Option<PathBuf> {
    let want = name.replace('-', "_");
    files
        .iter()
        .find(|f| {
            f.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.split_once(".ko"))
                .is_some_and(|(stem, _)| stem.replace('-', "_") == want)
        })
        .cloned()
}

/// The kernel's own modules tests need (and what they depend on), copied
/// uncompressed under `lib/modules/<release>/kernel/`, with modules.builtin
/// and modules.order so depmod/modprobe see the whole kernel.
fn add_kernel_modules(kernel: &Extracted, mods: &Path) -> Result<()> {
    let src = kernel.modules_dir();
    for f in [
        "modules.builtin",
        "modules.order",
        "modules.builtin.modinfo",
    ] {
        if src.join(f).is_file() {
            util::copy(&src.join(f), &mods.join(f))?;
        }
    }
    let wanted = kernel.pkgs.series.needed_modules();
    if wanted.is_empty() {
        return Ok(());
    }
    let files = util::files_below(&src.join("kernel"))?;
    let mut todo: Vec<String> = wanted.iter().map(|s| s.to_string()).collect();
    let mut done: Vec<String> = Vec::new();
    while let Some(name) = todo.pop() {
        if done.contains(&name) {
            continue;
        }
        let file = find_module(&files, &name)
            .ok_or_else(|| Error::NotFound(format!("module {name} in {}", kernel.pkgs.names[0])))?;
        let rel = file.strip_prefix(&src).unwrap_or(&file);
        let rel_str = rel.to_string_lossy();
        let dst = mods.join(
            rel_str
                .split_once(".ko")
                .map_or(&*rel_str, |(s, _)| s)
                .to_string()
                + ".ko",
        );
        if let Some(parent) = dst.parent() {
            util::mkdir(parent)?;
        }
        util::write(&dst, util::read_module(&file)?)?;
        let deps = capture(Command::new("modinfo").args(["-F", "depends"]).arg(&dst))?;
        todo.extend(
            deps.trim()
                .split(',')
                .filter(|d| !d.is_empty())
                .map(str::to_string),
        );
        done.push(name);
    }
    Ok(())
}
