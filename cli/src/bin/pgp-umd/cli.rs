//! The command line, as clap reads it (the manual page and the shell
//! completions are generated from these definitions).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Text after the options of `--help` and in the manual page.
const EXIT_STATUS: &str = "\
Exit status:
  0  all good: every input verified (verify, rpm-verify), every certificate
     and signature was described (inspect), or every certificate had a key
     added (keyring import)
  1  a bad or missing signature: a signature that does not verify, has no
     key in the keyring, or whose algorithm this kernel cannot verify; a
     digest that does not match; an unsigned package; a certificate of
     which the kernel took no key
  2  usage, I/O or kernel-availability error: bad arguments, an unreadable
     or malformed input file, the kernel interface absent or failing

A FILE of `-` is standard input. KEYRING is a keyring as keyctl names it:
@u, @s, @us, @t, @p, @g, a serial number, or the name of a keyring linked
from @u or @s (`%:name` also works).";

#[derive(Parser)]
#[command(
    name = "pgp-umd",
    version,
    about = "OpenPGP for the Linux kernel through a user mode driver",
    after_help = EXIT_STATUS
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Show what the parser finds in keys and signatures (binary or armored;
    /// every certificate of a keyring or of several armor blocks), with a
    /// summary line per file.
    #[command(after_help = EXIT_STATUS)]
    Inspect {
        /// One JSON object per key or signature, one per line
        /// (docs/cli.md gives the schema).
        #[arg(long)]
        json: bool,
        /// Key or signature files; `-` is standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Check RPM packages as `rpmkeys -K` does: the header signatures
    /// through the kernel, the header and payload digests here. One line
    /// per file: `OK <key id>`, `BAD <reason>`, `NOSIG` or `ERROR <reason>`.
    #[command(after_help = EXIT_STATUS)]
    RpmVerify {
        /// Keyring to search.
        #[arg(long, default_value = "@u", value_name = "KEYRING")]
        keyring: String,
        /// One line per signature and digest before the verdict, in the
        /// manner of `rpmkeys -Kv`.
        #[arg(short, long)]
        verbose: bool,
        /// Check the header signatures and header digests only; never read
        /// the payload (its digests and the legacy MD5 are not checked).
        #[arg(long)]
        header_only: bool,
        /// One JSON object per package (docs/cli.md gives the schema).
        #[arg(long)]
        json: bool,
        /// Packages; `-` is standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Ask the kernel whether the detached signatures in SIGNATURE (binary
    /// or armored; one or several signature packets) are valid over DATA
    /// with keys of the keyring. Prints `OK <key id>` or
    /// `FAIL <ERRNO> <reason>`, then one line per signature when there are
    /// several. Succeeds when at least one signature verifies and none is
    /// bad (a missing key or an algorithm this kernel cannot verify is not
    /// bad).
    #[command(after_help = EXIT_STATUS)]
    Verify {
        /// Keyring to search.
        #[arg(long, default_value = "@u", value_name = "KEYRING")]
        keyring: String,
        /// One JSON object (docs/cli.md gives the schema).
        #[arg(long)]
        json: bool,
        /// The signature file; `-` is standard input.
        signature: PathBuf,
        /// The signed file; `-` is standard input.
        data: PathBuf,
    },
    /// Kernel keyrings.
    Keyring {
        #[command(subcommand)]
        command: KeyringCommand,
    },
    /// Print the completion script for SHELL (bash, zsh, fish, elvish,
    /// powershell); docs/install.md says where to put it.
    Completions { shell: clap_complete::Shell },
    /// Write the manual pages (roff), generated from these definitions,
    /// into DIR (`cargo xtask man` runs it).
    #[command(hide = true)]
    Manpages { dir: PathBuf },
}

#[derive(Subcommand)]
pub enum KeyringCommand {
    /// Add every signing-capable key of every certificate in FILES (binary
    /// or armored, keyrings included) with `keyctl padd asymmetric
    /// pgp:<fingerprint>`; the kernel decides which keys are valid.
    #[command(after_help = EXIT_STATUS)]
    Import {
        /// Keyring to add to.
        #[arg(long, default_value = "@u", value_name = "KEYRING")]
        keyring: String,
        /// One JSON object per file (docs/cli.md gives the schema).
        #[arg(long)]
        json: bool,
        /// Certificate files; `-` is standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}
