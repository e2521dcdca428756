//! Project automation.
//!
//! - `cargo xtask test`: everything CI runs (host packages, fmt, clippy,
//!   checkpatch, cargo test, the fuzz smoke, dkms-check, VM tests, and the VM
//!   harness's self-check).
//! - `cargo xtask demo [--kernel K]`: build everything, boot a Debian kernel
//!   and show the project at work (xtask/vm/demo.sh).
//! - `cargo xtask man [DIR]`: the `pgp-umd` manual pages and shell
//!   completions (default DIR: target/man).
//! - `cargo xtask compare-gpg DIR`: `pgp-umd inspect --json` against
//!   `gpg --show-keys` on every file below DIR (cli/tests/realworld.rs).
//! - `cargo xtask vm-test [...]`: boot Debian's 6.1 / 6.12 kernels in QEMU and
//!   run the kselftest-style tests of `selftests/` there (docs/vm-harness.md).
#![forbid(unsafe_code)]

mod buildroot;
mod dkms;
mod error;
mod hostpkgs;
mod initramfs;
mod kernel;
mod kmod;
mod kselftest;
mod man;
mod qemu;
mod report;
mod util;
mod vmtest;

use error::{Error, Result};
use kernel::Series;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  demo        build everything, boot a Debian kernel in QEMU and show keys
              added with keyctl padd, RPM and detached signatures checked by
              the kernel, and refused inputs (xtask/vm/demo.sh)
      --kernel 6.1|6.12|7.3|latest|all   which kernel(s) (default: 6.12)
  test        what CI runs: apt-get install of missing host packages,
              cargo fmt --check, clippy --all-features -D warnings (workspace
              and fuzz/), checkpatch, cargo test,
              fuzz/smoke.sh, dkms-check, vm-test --kernel all, kselftest,
              then vm-selfcheck
  compare-gpg DIR
              pgp-umd inspect --json against gpg --show-keys on every file
              below DIR: the certificates, keys and subkeys each lists
  vm-test     boot Debian kernels in QEMU and run the selftests/ there
      --kernel 6.1|6.12|7.3|latest|all   which kernel(s) (default: all;
                              7.3 = latest: the newest 7.x of trixie-backports)
      --extra-dir DIR         copy DIR into the initramfs as /extra/<name>; its
                              *.ko files also go to /lib/modules/$(uname -r)/extra
                              (repeatable)
      --script FILE           run FILE inside the VM after the default tests
      --only-script           run only the --script FILE
      --bench                 boot without the debug options (slub_debug,
                              KFENCE, panic_on_warn): for benchmark scripts
      --modules-from DIR      take the modules found below DIR/<release>/ (a
                              `dkms install --installtree DIR` tree) instead of
                              the harness's build of the same name
      --with-rpm              add rpmkeys, its libraries and /usr/lib/rpm
                              (for the RPM benchmark)
      --fail-demo             add a deliberately failing test (run must fail)
      --warn-demo             add a test module that WARNs (run must fail)
      --timeout SECS          wall-clock bound per boot (default 600)
  vm-selfcheck [--kernel K]   prove the harness can fail: the --fail-demo and
              --warn-demo runs must each fail for the expected reason
  man [DIR]   write the pgp-umd manual pages (DIR/man1) and bash, zsh and
              fish completions (DIR/completions), generated from its
              command-line definitions (default DIR: target/man)
  dkms-tree [DIR]   write the DKMS source tree (kmod sources, the prebuilt
              static handler and its SHA-256) to DIR/pgp-umd-<version>/
              (default DIR: target/dkms-tree; docs/install.md)
  kselftest [--kernel K]   install selftests/ as tools/testing/selftests/pgp-umd
              of Debian's linux-source-6.12 with the tree's kselftest
              `make install`, then run the installed run_kselftest.sh in the
              VM (default kernel: 6.12)
  dkms-check [--kernel K]   dkms add/build/install against the extracted
              Debian headers in a scratch tree (target/dkms/), then the VM
              smoke tests with the modules DKMS installed
";

fn parse_vm_args(args: &[String]) -> Result<vmtest::Options> {
    let mut opts = vmtest::Options {
        kernels: Series::ALL.to_vec(),
        timeout: vmtest::DEFAULT_TIMEOUT,
        ..Default::default()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Error::Usage(format!("{name} needs a value")))
        };
        match a.as_str() {
            "--kernel" => {
                let v = value("--kernel")?;
                opts.kernels = if v == "all" {
                    Series::ALL.to_vec()
                } else {
                    vec![Series::parse(&v).ok_or_else(|| {
                        Error::Usage(format!(
                            "--kernel {v}: expected 6.1, 6.12, 7.3 (or latest) or all"
                        ))
                    })?]
                };
            }
            "--extra-dir" => opts.extra_dirs.push(absolute(value("--extra-dir")?)),
            "--script" => opts.script = Some(absolute(value("--script")?)),
            "--only-script" => opts.only_script = true,
            "--bench" => opts.bench = true,
            "--modules-from" => opts.modules_from = Some(absolute(value("--modules-from")?)),
            "--with-rpm" => opts.with_rpm = true,
            "--fail-demo" => opts.fail_demo = true,
            "--warn-demo" => opts.warn_demo = true,
            "--timeout" => {
                let v = value("--timeout")?;
                let secs: u64 = v
                    .parse()
                    .map_err(|_| Error::Usage(format!("--timeout {v}: not a number")))?;
                opts.timeout = Duration::from_secs(secs);
            }
            other => return Err(Error::Usage(format!("unknown vm-test option {other}"))),
        }
    }
    Ok(opts)
}

/// Paths on the command line are relative to where the user ran cargo.
fn absolute(p: String) -> PathBuf {
    let p = PathBuf::from(p);
    if p.is_absolute() {
        p
    } else {
        std::env::current_dir().map_or(p.clone(), |d| d.join(&p))
    }
}

/// Clippy over every crate of the workspace with every feature (the test
/// handlers' `insecure-skip-seccomp`, the runtime's `test-ops`, ...), all
/// targets, warnings denied.
const CLIPPY_WORKSPACE: &[&str] = &[
    "clippy",
    "--workspace",
    "--all-targets",
    "--all-features",
    "--",
    "-D",
    "warnings",
];

/// The same for the fuzz crate, which is its own workspace (its
/// `[lints]` repeat the root workspace's).
const CLIPPY_FUZZ: &[&str] = &[
    "clippy",
    "--manifest-path",
    "fuzz/Cargo.toml",
    "--all-targets",
    "--all-features",
    "--",
    "-D",
    "warnings",
];

/// `cargo xtask test`: each step prints a header with elapsed time; stop at
/// the first failure.
fn ci() -> Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = util::workspace_root();
    let start = Instant::now();
    eprintln!("\n##### [    0 s] host packages");
    hostpkgs::ensure(hostpkgs::TEST_HOST_PACKAGES)?;
    let cargo_step = |args: &[&str]| {
        let mut cmd = Command::new(&cargo);
        cmd.args(args).current_dir(&root);
        cmd
    };
    let mut checkpatch = Command::new("bash");
    checkpatch
        .arg(root.join("kmod/scripts/checkpatch.sh"))
        .current_dir(&root);
    let mut fuzz_smoke = Command::new("bash");
    fuzz_smoke
        .arg(root.join("fuzz/smoke.sh"))
        .current_dir(&root);
    let mut dkms_check =
        Command::new(std::env::current_exe().map_err(|e| Error::Failed(format!("own path: {e}")))?);
    dkms_check.arg("dkms-check").current_dir(&root);
    let steps = [
        (
            "cargo fmt --check",
            cargo_step(&["fmt", "--all", "--", "--check"]),
        ),
        (
            "cargo clippy --all-features (every crate of the workspace)",
            cargo_step(CLIPPY_WORKSPACE),
        ),
        (
            "cargo clippy --all-features (fuzz/, its own workspace)",
            cargo_step(CLIPPY_FUZZ),
        ),
        ("checkpatch (kmod/scripts/checkpatch.sh)", checkpatch),
        ("cargo test", cargo_step(&["test", "--workspace"])),
        ("fuzz smoke (fuzz/smoke.sh)", fuzz_smoke),
        ("dkms-check", dkms_check),
    ];
    for (name, mut cmd) in steps {
        eprintln!("\n##### [{:>5.0} s] {name}", start.elapsed().as_secs_f64());
        if let Err(e) = util::run(&mut cmd) {
            eprintln!("##### {name} FAILED: {e}");
            return Ok(false);
        }
    }
    eprintln!(
        "\n##### [{:>5.0} s] vm-test --kernel all",
        start.elapsed().as_secs_f64()
    );
    if !vmtest::run(&parse_vm_args(&[])?)? {
        eprintln!("##### vm-test FAILED");
        return Ok(false);
    }
    eprintln!(
        "\n##### [{:>5.0} s] kselftest (installed in a kernel tree, run by run_kselftest.sh, 6.12)",
        start.elapsed().as_secs_f64()
    );
    if !kselftest::check(&[Series::V6_12])? {
        eprintln!("##### kselftest FAILED");
        return Ok(false);
    }
    eprintln!(
        "\n##### [{:>5.0} s] vm-selfcheck (the harness must be able to fail)",
        start.elapsed().as_secs_f64()
    );
    if !vmtest::self_check(&Series::ALL)? {
        eprintln!("##### vm-selfcheck FAILED");
        return Ok(false);
    }
    eprintln!(
        "\n##### [{:>5.0} s] all steps passed",
        start.elapsed().as_secs_f64()
    );
    Ok(true)
}

/// `cargo xtask demo`: the demo script in the VM, its output shown as the
/// user would see it in a shell.
fn demo(args: &[String]) -> Result<bool> {
    let mut opts = parse_vm_args(args)?;
    if !args.iter().any(|a| a == "--kernel") {
        opts.kernels = vec![Series::V6_12];
    }
    opts.script = Some(util::workspace_root().join("xtask/vm/demo.sh"));
    opts.only_script = true;
    opts.readable = true;
    opts.results = "demo".into();
    vmtest::run(&opts)
}

/// `pgp-umd inspect --json` against `gpg --show-keys` on every file below
/// `dir` (cli/tests/realworld.rs, `compare_gpg_dir`).
fn compare_gpg(dir: &std::path::Path) -> Result<bool> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "compare-gpg {}: no such directory",
            dir.display()
        )));
    }
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(util::workspace_root())
        .env("PGP_UMD_COMPARE_DIR", dir)
        .args([
            "test",
            "-p",
            "pgp-umd-cli",
            "--test",
            "realworld",
            "compare_gpg_dir",
        ])
        .args(["--", "--exact", "--nocapture"])
        .status()
        .map_err(|e| Error::Failed(format!("run cargo test: {e}")))?;
    Ok(status.success())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") if args.len() == 1 => ci(),
        Some("demo") => demo(&args[1..]),
        Some("vm-test") => parse_vm_args(&args[1..]).and_then(|o| vmtest::run(&o)),
        Some("vm-selfcheck") => {
            parse_vm_args(&args[1..]).and_then(|o| vmtest::self_check(&o.kernels))
        }
        Some("dkms-tree") if args.len() <= 2 => {
            let out = args.get(1).map_or_else(
                || util::workspace_root().join("target/dkms-tree"),
                |d| absolute(d.clone()),
            );
            dkms::make_tree(&util::workspace_root(), &out).map(|dir| {
                println!("{}", dir.display());
                true
            })
        }
        Some("man") if args.len() <= 2 => {
            let out = args.get(1).map_or_else(
                || util::workspace_root().join("target/man"),
                |d| absolute(d.clone()),
            );
            man::generate(&out).map(|dir| {
                println!("{}", dir.display());
                true
            })
        }
        Some("dkms-check") => parse_vm_args(&args[1..]).and_then(|o| dkms::check(&o.kernels)),
        Some("kselftest") => parse_vm_args(&args[1..]).and_then(|o| {
            let kernels = if args.iter().any(|a| a == "--kernel") {
                o.kernels
            } else {
                vec![Series::V6_12]
            };
            kselftest::check(&kernels)
        }),
        Some("compare-gpg") if args.len() == 2 => compare_gpg(&absolute(args[1].clone())),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(Error::Usage(format!("unknown command\n{USAGE}"))),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::from(2)
        }
    }
}
