//! `cargo xtask man [DIR]`: the manual pages and shell completions of the
//! `pgp-umd` command, generated from its clap definitions by the command
//! itself (clap_mangen, clap_complete), into DIR (default target/man):
//! `man1/pgp-umd*.1`, `completions/pgp-umd.bash`, `completions/_pgp-umd`
//! (zsh), `completions/pgp-umd.fish`. docs/install.md says where they go.

use crate::error::Result;
use crate::util::{self, capture, run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The shells completions are written for, with their file names.
const COMPLETIONS: &[(&str, &str)] = &[
    ("bash", "pgp-umd.bash"),
    ("zsh", "_pgp-umd"),
    ("fish", "pgp-umd.fish"),
];

pub fn generate(out: &Path) -> Result<PathBuf> {
    let repo = util::workspace_root();
    // The same static build the VM images carry.
    let mut build = Command::new(repo.join("runtime/build-static.sh"));
    build.args(["pgp-umd-cli", "pgp-umd"]);
    let bin = PathBuf::from(capture(&mut build)?.trim());
    let man1 = out.join("man1");
    util::rm_rf(&man1)?;
    run(Command::new(&bin).arg("manpages").arg(&man1))?;
    let comp = out.join("completions");
    util::mkdir(&comp)?;
    for (shell, file) in COMPLETIONS {
        let script = capture(Command::new(&bin).args(["completions", shell]))?;
        util::write(&comp.join(file), script)?;
    }
    Ok(out.to_path_buf())
}
