//! Small helpers: running commands, progress lines with elapsed time, files.

use crate::error::{Error, IoContext, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

/// Render a command line for messages.
pub fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Run a command with inherited stdout/stderr; fail unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().map_err(|e| Error::Command {
        command: show(cmd),
        detail: e.to_string(),
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Command {
            command: show(cmd),
            detail: status.to_string(),
        })
    }
}

/// Run a command and capture its output; fail unless it exits 0 (stderr is
/// included in the error).
pub fn capture(cmd: &mut Command) -> Result<String> {
    let out = capture_any(cmd)?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(Error::Command {
            command: show(cmd),
            detail: format!(
                "{}\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        })
    }
}

/// Run a command and capture its output whatever its exit status.
pub fn capture_any(cmd: &mut Command) -> Result<Output> {
    cmd.stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Command {
            command: show(cmd),
            detail: e.to_string(),
        })
}

/// A long step: prints a start line and, when done, the elapsed time.
pub struct Step {
    label: String,
    start: Instant,
}

impl Step {
    /// Print `==> label` and start the clock.
    pub fn start(label: impl Into<String>) -> Step {
        let label = label.into();
        eprintln!("==> {label} ...");
        Step {
            label,
            start: Instant::now(),
        }
    }

    /// Print `    label: done in 1.2 s`.
    pub fn done(self) {
        eprintln!(
            "    {}: done in {:.1} s",
            self.label,
            self.start.elapsed().as_secs_f64()
        );
    }
}

/// The workspace root (parent of the xtask crate).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// `mkdir -p`.
pub fn mkdir(p: &Path) -> Result<()> {
    std::fs::create_dir_all(p).ctx(|| format!("create directory {}", p.display()))
}

/// Remove a directory tree if it exists.
pub fn rm_rf(p: &Path) -> Result<()> {
    match std::fs::remove_dir_all(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).ctx(|| format!("remove {}", p.display()))
        }
        _ => Ok(()),
    }
}

/// Write a file, creating its parent directory.
pub fn write(p: &Path, data: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = p.parent() {
        mkdir(parent)?;
    }
    std::fs::write(p, data).ctx(|| format!("write {}", p.display()))
}

/// Read a text file.
pub fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).ctx(|| format!("read {}", p.display()))
}

/// Copy a file, creating the destination's parent directory and keeping the
/// permission bits.
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        mkdir(parent)?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .ctx(|| format!("copy {} to {}", from.display(), to.display()))
}

/// Copy a directory tree (files, directories, symlinks as links).
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    mkdir(to)?;
    let entries = std::fs::read_dir(from).ctx(|| format!("read directory {}", from.display()))?;
    for entry in entries {
        let entry = entry.ctx(|| format!("read directory {}", from.display()))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let ft = entry
            .file_type()
            .ctx(|| format!("stat {}", src.display()))?;
        if ft.is_dir() {
            copy_tree(&src, &dst)?;
        } else if ft.is_symlink() {
            let target = std::fs::read_link(&src).ctx(|| format!("readlink {}", src.display()))?;
            let _ = std::fs::remove_file(&dst);
            std::os::unix::fs::symlink(&target, &dst)
                .ctx(|| format!("symlink {}", dst.display()))?;
        } else {
            copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// Make `to` hold the files of `from`, copying only files whose content
/// differs (unchanged files keep their mtime, so an incremental build there
/// stays incremental). Files only in `to` are left alone.
pub fn sync_tree(from: &Path, to: &Path) -> Result<()> {
    for src in files_below(from)? {
        let rel = src.strip_prefix(from).unwrap_or(&src);
        let dst = to.join(rel);
        let same = match (std::fs::read(&src), std::fs::read(&dst)) {
            (Ok(a), Ok(b)) => a == b,
            (Err(e), _) => return Err(e).ctx(|| format!("read {}", src.display())),
            _ => false,
        };
        if !same {
            copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// Every regular file below `dir`, recursively, sorted.
pub fn files_below(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let entries = std::fs::read_dir(&d).ctx(|| format!("read directory {}", d.display()))?;
        for entry in entries {
            let entry = entry.ctx(|| format!("read directory {}", d.display()))?;
            let ft = entry
                .file_type()
                .ctx(|| format!("stat {}", entry.path().display()))?;
            if ft.is_dir() {
                todo.push(entry.path());
            } else if ft.is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The bytes of a kernel module file, decompressed when it is a `.ko.xz`,
/// `.ko.zst` or `.ko.gz` (Debian's 7.x kernels and DKMS for them compress
/// modules; busybox's modprobe in the VM loads only plain `.ko` files).
pub fn read_module(file: &Path) -> Result<Vec<u8>> {
    let tool = match file.extension().and_then(|e| e.to_str()) {
        Some("xz") => "xz",
        Some("zst") => "zstd",
        Some("gz") => "gzip",
        _ => return std::fs::read(file).ctx(|| format!("read {}", file.display())),
    };
    let out = Command::new(tool)
        .arg("-dc")
        .arg(file)
        .output()
        .ctx(|| format!("{tool} -dc {}", file.display()))?;
    if !out.status.success() {
        return Err(Error::Failed(format!(
            "{tool} -dc {} failed",
            file.display()
        )));
    }
    Ok(out.stdout)
}

/// `file`'s name with a compression suffix after `.ko` removed
/// (`a/b.ko.xz` -> `a/b.ko`).
pub fn plain_module_path(file: &Path) -> PathBuf {
    let s = file.to_string_lossy();
    match s.rsplit_once(".ko") {
        Some((stem, _)) => PathBuf::from(format!("{stem}.ko")),
        None => file.to_path_buf(),
    }
}
