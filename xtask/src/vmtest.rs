//! `cargo xtask vm-test`: for each kernel, fetch it, build the modules and the
//! initramfs, boot, and judge the logs.

use crate::error::{Error, Result};
use crate::kernel::{self, Series};
use crate::report::{self, Summary};
use crate::util::{self, Step};
use crate::{hostpkgs, initramfs, kmod, qemu};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Options of `vm-test`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Kernels to test, in order.
    pub kernels: Vec<Series>,
    /// `--extra-dir`.
    pub extra_dirs: Vec<PathBuf>,
    /// `--script`.
    pub script: Option<PathBuf>,
    /// `--only-script`: run the script instead of the default tests.
    pub only_script: bool,
    /// `--with-rpm`: add `rpmkeys` and rpm's configuration to the initramfs.
    pub with_rpm: bool,
    /// `--fail-demo`: add a deliberately failing test.
    pub fail_demo: bool,
    /// `--warn-demo`: add a test that loads a module that WARNs.
    pub warn_demo: bool,
    /// Run only one ordinary test beside the demos (the self-check proves
    /// the harness can fail; it need not repeat the whole suite).
    pub demo_only: bool,
    /// `--timeout SECS`: wall-clock bound per boot.
    pub timeout: Duration,
    /// `--bench`: boot without the debug options (allocator poisoning,
    /// KFENCE, panic on WARN), as a kernel is shipped, for timing runs.
    pub bench: bool,
    /// Print the scripts' output as plain text (the demo), not as TAP.
    pub readable: bool,
    /// Results go to `target/vm/<results>/<kernel>/`; empty: `target/vm/<kernel>/`.
    pub results: String,
    /// `--modules-from DIR`: an install tree laid out as `/lib/modules`
    /// (e.g. `dkms install --installtree DIR`). Per kernel, every `.ko`
    /// below `DIR/<release>/` goes to the same relative path under
    /// `/lib/modules/<release>/` and replaces the harness's build of the
    /// module of that name.
    pub modules_from: Option<PathBuf>,
    /// Run these scripts of `selftests/` instead of the default list.
    pub tests: Vec<String>,
    /// Appended to the kernel command line; `NAME=value` words the kernel
    /// does not know reach `/init`, and so the tests, as environment
    /// variables (e.g. `PGP_UMD_TEST_TIMEOUT`, selftests/run_tests.sh).
    pub extra_cmdline: String,
}

/// Default wall-clock bound of one boot (a smoke-test boot takes ~20-30 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// The `TEST_PROGS` list of a kselftest Makefile (`:=`/`=`/`+=`, backslash
/// continuations).
pub fn test_progs(makefile: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_list = false;
    for line in makefile.lines() {
        let body = if in_list {
            Some(line)
        } else {
            let t = line.trim_start();
            t.strip_prefix("TEST_PROGS")
                .map(str::trim_start)
                .and_then(|r| {
                    r.strip_prefix(":=")
                        .or_else(|| r.strip_prefix("+="))
                        .or_else(|| r.strip_prefix('='))
                })
        };
        let Some(body) = body else { continue };
        let body = body.split('#').next().unwrap_or("");
        in_list = body.trim_end().ends_with('\\');
        out.extend(
            body.split_whitespace()
                .filter(|w| *w != "\\")
                .map(str::to_string),
        );
    }
    out
}

/// One kernel's result.
pub struct KernelResult {
    /// Which kernel.
    pub series: Series,
    /// What the boot amounted to.
    pub summary: Summary,
    /// Wall time for this kernel (download to verdict).
    pub elapsed: Duration,
}

/// Run the harness and print the per-kernel summary; `Ok(true)` when every
/// kernel passed.
pub fn run(opts: &Options) -> Result<bool> {
    let results = run_all(opts)?;
    Ok(print_summary(&results, opts))
}

/// Run the harness for every kernel of `opts`.
pub fn run_all(opts: &Options) -> Result<Vec<KernelResult>> {
    let repo = util::workspace_root();
    if let Some(s) = &opts.script {
        if !s.is_file() {
            return Err(Error::Usage(format!(
                "--script {}: no such file",
                s.display()
            )));
        }
    }
    for d in &opts.extra_dirs {
        if !d.is_dir() {
            return Err(Error::Usage(format!(
                "--extra-dir {}: no such directory",
                d.display()
            )));
        }
    }
    if opts.only_script && opts.script.is_none() {
        return Err(Error::Usage("--only-script needs --script FILE".into()));
    }
    if let Some(d) = &opts.modules_from {
        if !d.is_dir() {
            return Err(Error::Usage(format!(
                "--modules-from {}: no such directory",
                d.display()
            )));
        }
    }
    hostpkgs::ensure(hostpkgs::VM_HOST_PACKAGES)?;
    if opts.with_rpm {
        hostpkgs::ensure(hostpkgs::RPM_HOST_PACKAGES)?;
    }

    let mut tests = Vec::new();
    if !opts.tests.is_empty() {
        tests = opts.tests.clone();
    } else if !opts.only_script {
        tests = test_progs(&util::read(&repo.join("selftests/Makefile"))?);
        if opts.demo_only {
            tests.truncate(1);
        }
        if opts.fail_demo {
            tests.push("fail_demo.sh".into());
        }
        if opts.warn_demo {
            tests.push("warn_demo.sh".into());
        }
    }

    let vm_dir = repo.join("target/vm");
    let cache = vm_dir.join("cache");
    let out_dir = vm_dir.join(&opts.results);
    let mut results = Vec::new();
    for &series in &opts.kernels {
        let start = Instant::now();
        let summary = run_one(
            series,
            opts,
            &repo,
            &out_dir.join(series.name()),
            &cache,
            &tests,
        )?;
        results.push(KernelResult {
            series,
            summary,
            elapsed: start.elapsed(),
        });
    }
    Ok(results)
}

/// Print problems and the `N passed, M failed, K skipped` line per kernel;
/// true when all passed.
pub fn print_summary(results: &[KernelResult], opts: &Options) -> bool {
    eprintln!();
    let mut all = true;
    for r in results {
        let name = r.series.name();
        let s = &r.summary;
        let logs = Path::new("target/vm").join(&opts.results).join(name);
        for p in &s.problems {
            eprintln!("vm-test {name}: {p}");
        }
        let verdict = if s.all_passed() { "PASS" } else { "FAIL" };
        all &= s.all_passed();
        println!(
            "vm-test {name}: {} passed, {} failed, {} skipped: {verdict} ({:.0} s; logs in {}/)",
            s.passed,
            s.failed,
            s.skipped,
            r.elapsed.as_secs_f64(),
            logs.display()
        );
    }
    all
}

/// `cargo xtask vm-selfcheck`: prove the harness can fail. Runs the
/// `--fail-demo` and the `--warn-demo` runs on each kernel of `kernels` and
/// succeeds only if each run failed for exactly the expected reason.
pub fn self_check(kernels: &[Series]) -> Result<bool> {
    let base = Options {
        kernels: kernels.to_vec(),
        timeout: DEFAULT_TIMEOUT,
        demo_only: true,
        ..Options::default()
    };
    let fail_opts = Options {
        fail_demo: true,
        results: "selfcheck-fail".into(),
        ..base.clone()
    };
    let fail = run_all(&fail_opts)?;
    print_summary(&fail, &fail_opts);
    let warn_opts = Options {
        warn_demo: true,
        results: "selfcheck-warn".into(),
        ..base
    };
    let warn = run_all(&warn_opts)?;
    print_summary(&warn, &warn_opts);
    let mut ok = true;
    for r in &fail {
        let s = &r.summary;
        let good = !s.all_passed() && s.failed == 1 && s.problems.is_empty();
        ok &= good;
        println!(
            "vm-selfcheck {}: --fail-demo {}",
            r.series.name(),
            if good {
                "failed as expected (one failed test, nothing else)"
            } else {
                "did NOT fail as expected"
            }
        );
    }
    for r in &warn {
        let s = &r.summary;
        let good = !s.all_passed() && s.problems.iter().any(|p| p.contains("WARNING:"));
        ok &= good;
        println!(
            "vm-selfcheck {}: --warn-demo {}",
            r.series.name(),
            if good {
                "failed as expected (kernel WARNING in the log)"
            } else {
                "did NOT fail as expected"
            }
        );
    }
    Ok(ok)
}

fn run_one(
    series: Series,
    opts: &Options,
    repo: &Path,
    out: &Path,
    cache: &Path,
    tests: &[String],
) -> Result<Summary> {
    eprintln!("=== kernel {} ===", series.name());
    let step = Step::start(format!("resolve Debian {} packages", series.name()));
    let pkgs = kernel::resolve(series, cache)?;
    eprintln!("    {} ({})", pkgs.names.join(" "), pkgs.version);
    step.done();
    let k = kernel::fetch(&pkgs, cache)?;
    util::mkdir(out)?;
    let mut kos = kmod::build(&k, repo, out)?;
    let installed = match &opts.modules_from {
        Some(dir) => installed_modules(&dir.join(&pkgs.release))?,
        None => Vec::new(),
    };
    kos.retain(|ko| !installed.iter().any(|m| m.name == module_name(ko)));
    let initrd = initramfs::build(
        &initramfs::Spec {
            kernel: &k,
            project_modules: &kos,
            installed_modules: &installed,
            repo,
            tests: tests.to_vec(),
            extra_dirs: &opts.extra_dirs,
            script: opts.script.as_deref(),
            with_rpm: opts.with_rpm,
        },
        out,
    )?;
    let mut cmdline = qemu::BASE_CMDLINE.to_string();
    if !opts.extra_cmdline.is_empty() {
        cmdline.push(' ');
        cmdline.push_str(&opts.extra_cmdline);
    }
    if !opts.bench {
        cmdline.push(' ');
        cmdline.push_str(qemu::DEBUG_CMDLINE);
        if !series.extra_cmdline().is_empty() {
            cmdline.push(' ');
            cmdline.push_str(series.extra_cmdline());
        }
    }
    let boot = qemu::Boot {
        kernel: k.vmlinuz(),
        initrd,
        cmdline,
        timeout: opts.timeout,
        console: out.join("console.raw"),
        tap: out.join("tap.raw"),
        qemu_log: out.join("qemu.log"),
    };
    util::write(
        &out.join("qemu-cmdline.txt"),
        util::show(&boot.command()) + "\n",
    )?;
    let mut attempt = 1;
    let (outcome, console, tap) = loop {
        for f in [&boot.console, &boot.tap] {
            // QEMU appends to nothing: start from empty files each boot.
            util::write(f, "")?;
        }
        let outcome = boot.run(&format!("{} {}", series.name(), pkgs.release))?;
        let console = report::clean_log(&read_bytes(&boot.console)?);
        let tap = report::clean_log(&read_bytes(&boot.tap)?);
        // Software emulation with two CPUs now and then crashes the kernel
        // in its own boot (text patching races in TCG), before /init runs
        // and so before anything of this project is loaded. Such a boot is
        // repeated once, and said so; a crash after /init always counts.
        if attempt < BOOT_ATTEMPTS && !console.contains(INIT_BANNER) && !outcome.timed_out {
            let kept = out.join(format!("console.boot{attempt}.log"));
            util::write(&kept, &console)?;
            eprintln!(
                "    kernel died before /init ran (TCG boot flake, log kept in {}); booting again",
                kept.display()
            );
            attempt += 1;
            continue;
        }
        break (outcome, console, tap);
    };
    util::write(&out.join("console.log"), &console)?;
    util::write(&out.join("tap.txt"), &tap)?;
    if opts.readable {
        print!("{}", report::plain_text(&tap));
    } else {
        print!("{tap}");
    }
    Ok(report::judge(&console, &tap, outcome.timed_out))
}

/// The module name of a `.ko` / `.ko.xz` file (dashes as underscores).
fn module_name(file: &Path) -> String {
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    name.split_once(".ko")
        .map_or(name.as_str(), |(stem, _)| stem)
        .replace('-', "_")
}

/// Whether `f` is a kernel module: `.ko`, or `.ko.xz` / `.ko.zst` / `.ko.gz`.
fn is_module_file(f: &Path) -> bool {
    let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
    name.is_some_and(|n| {
        [".ko", ".ko.xz", ".ko.zst", ".ko.gz"]
            .iter()
            .any(|ext| n.ends_with(ext))
    })
}

/// The module files below `dir` (one kernel's directory of a
/// `--modules-from` install tree; compressed ones go into the VM
/// decompressed).
fn installed_modules(dir: &Path) -> Result<Vec<initramfs::Installed>> {
    if !dir.is_dir() {
        return Err(Error::NotFound(format!(
            "{}: no modules installed for this kernel (--modules-from)",
            dir.display()
        )));
    }
    let mods: Vec<initramfs::Installed> = util::files_below(dir)?
        .into_iter()
        .filter(|f| is_module_file(f))
        .map(|f| initramfs::Installed {
            name: module_name(&f),
            rel: util::plain_module_path(f.strip_prefix(dir).unwrap_or(&f)),
            file: f,
        })
        .collect();
    if mods.is_empty() {
        return Err(Error::NotFound(format!(
            "no .ko file below {} (--modules-from)",
            dir.display()
        )));
    }
    Ok(mods)
}

/// Printed by xtask/vm/init as its first line: the kernel booted to /init.
const INIT_BANNER: &str = "pgp-umd VM: ";
/// Boots per kernel when the first dies before /init (see above).
const BOOT_ATTEMPTS: u32 = 2;

fn read_bytes(p: &Path) -> Result<Vec<u8>> {
    use crate::error::IoContext;
    std::fs::read(p).ctx(|| format!("read {}", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_test_progs() {
        let mk = "# c\nTEST_PROGS := a.sh \\\n\tb.sh \\\n  c.sh\nTEST_PROGS_EXTENDED := x.sh\nTEST_PROGS += d.sh # tail\n";
        assert_eq!(test_progs(mk), ["a.sh", "b.sh", "c.sh", "d.sh"]);
    }

    #[test]
    fn repo_makefile_lists_tests_but_not_demos() {
        let mk = util::read(&util::workspace_root().join("selftests/Makefile"))
            .expect("selftests/Makefile is part of the repository");
        let progs = test_progs(&mk);
        assert!(!progs.is_empty());
        assert!(!progs.iter().any(|p| p.contains("demo")));
        for p in &progs {
            assert!(
                util::workspace_root().join("selftests").join(p).is_file(),
                "{p} listed but missing"
            );
        }
    }
}
