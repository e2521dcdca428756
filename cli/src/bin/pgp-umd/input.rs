//! What every subcommand shares: reading a file or standard input, the exit
//! codes, and the `--keyring` argument.

use pgp_umd_cli::rpm_check::{parse_keyring, KeyringArg};
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitCode};

/// Exit code: all good.
pub const EXIT_OK: u8 = 0;
/// Exit code: a bad or missing signature (or digest, or key).
pub const EXIT_BAD: u8 = 1;
/// Exit code: usage, I/O or kernel-availability error (clap's usage
/// errors exit 2 as well).
pub const EXIT_ERROR: u8 = 2;

/// The worst of the outcomes so far, as an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exit(u8);

impl Default for Exit {
    fn default() -> Exit {
        Exit(EXIT_OK)
    }
}

impl Exit {
    pub fn bad(&mut self) {
        self.0 = self.0.max(EXIT_BAD);
    }
    pub fn error(&mut self) {
        self.0 = EXIT_ERROR;
    }
    pub fn code(self) -> ExitCode {
        ExitCode::from(self.0)
    }
}

/// The path as shown in messages (`-` for standard input).
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Reads `path`, or standard input when it is `-`.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    if path == Path::new("-") {
        let mut v = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut v)
            .map_err(|e| format!("standard input: {e}"))?;
        Ok(v)
    } else {
        std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Opens `path` for streaming, or standard input when it is `-`.
pub fn open(path: &Path) -> Result<Box<dyn Read>, String> {
    if path == Path::new("-") {
        Ok(Box::new(std::io::stdin().lock()))
    } else {
        std::fs::File::open(path)
            .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn Read>)
            .map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The keyring id for a `--keyring` argument: special keyrings and serials
/// as they are, names looked up with `keyctl search` from the user, then
/// the session keyring.
pub fn keyring(arg: &str) -> Result<i32, String> {
    let name = match parse_keyring(arg).map_err(|e| format!("--keyring: {e}"))? {
        KeyringArg::Id(id) => return Ok(id),
        KeyringArg::Name(n) => n,
    };
    for from in ["@u", "@s"] {
        let out = Command::new("keyctl")
            .args(["search", from, "keyring", &name])
            .output()
            .map_err(|e| format!("--keyring {name}: cannot run keyctl: {e}"))?;
        if out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout);
            return text
                .trim()
                .parse::<i32>()
                .map_err(|_| format!("--keyring {name}: keyctl answered {:?}", text.trim()));
        }
    }
    Err(format!(
        "--keyring {name}: no keyring of that name is linked from @u or @s"
    ))
}
