//! Builds the project's kernel modules against an extracted Debian kernel.

use crate::error::{Error, Result};
use crate::kernel::Extracted;
use crate::util::{self, capture_any, show, Step};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every module directory the harness builds, relative to `kmod/`, each with
/// its own Kbuild. Add new module directories here; every `.ko` they produce
/// goes to `/lib/modules/$(uname -r)/extra/` in the VM.
pub const MODULE_DIRS: &[&str] = &["tests"];

/// Copy `kmod/` to `out/kmod` (so builds for two kernels never share objects
/// and the source tree stays clean), build each of [`MODULE_DIRS`] with
/// `make -C <headers> M=<dir> modules`, and return the `.ko` files.
///
/// Compiler warnings fail the build; the full output is kept in
/// `out/kmod-build.log`.
pub fn build(kernel: &Extracted, src_root: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let step = Step::start(format!("build modules for {}", kernel.pkgs.release));
    let tree = out.join("kmod");
    util::rm_rf(&tree)?;
    util::copy_tree(&src_root.join("kmod"), &tree)?;
    let mut log = String::new();
    let mut kos = Vec::new();
    for dir in MODULE_DIRS {
        let m = tree.join(dir);
        let mut cmd = Command::new("make");
        cmd.arg("-C")
            .arg(kernel.headers())
            .arg(format!("M={}", m.display()))
            .arg(format!("-j{}", jobs()))
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
            return Err(Error::Failed(format!(
                "kmod/{dir}: {} compiler warning(s) building for {}",
                warnings.len(),
                kernel.pkgs.release
            )));
        }
        kos.extend(
            util::files_below(&m)?
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "ko")),
        );
    }
    step.done();
    Ok(kos)
}

fn jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
