//! `pgp-umd`: the project's command-line tool for people.
#![forbid(unsafe_code)]

mod inspect;
mod keyring;
mod rpm_verify;
mod verify;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "pgp-umd",
    version,
    about = "OpenPGP for the Linux kernel through a user mode driver"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show what the parser finds in keys and signatures (binary or armored).
    Inspect {
        /// One JSON object per key or signature, one per line.
        #[arg(long)]
        json: bool,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check the header signature of RPM packages through the kernel: one
    /// line per file, `OK <keyid>`, `BAD <reason>` or `NOSIG`; the exit code
    /// is non-zero unless every file is OK.
    RpmVerify {
        /// Keyring to search: a serial, or @u, @s, @us.
        #[arg(long, default_value = "@u", value_parser = pgp_umd_handler::rpm_check::parse_keyring)]
        keyring: i32,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Ask the kernel whether SIGNATURE (one OpenPGP signature, binary or
    /// armored) is valid over DATA with a key from the keyring: prints
    /// `OK <key id>` or `FAIL <ERRNO> <reason>`.
    Verify {
        /// Keyring to search: a serial, or @u, @s, @us.
        #[arg(long, default_value = "@u", value_parser = pgp_umd_handler::rpm_check::parse_keyring)]
        keyring: i32,
        signature: PathBuf,
        data: PathBuf,
    },
    /// Kernel keyrings.
    Keyring {
        #[command(subcommand)]
        command: KeyringCommand,
    },
}

#[derive(Subcommand)]
enum KeyringCommand {
    /// Add every signing-capable key of every certificate in FILES (binary
    /// or armored, keyrings included) with `keyctl padd asymmetric
    /// pgp:<fingerprint>`; the kernel decides which keys are valid.
    Import {
        /// Keyring to add to, as keyctl understands it (@u, @s, a serial).
        #[arg(long, default_value = "@u")]
        keyring: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Inspect { json, files } => inspect::run(&files, json),
        Command::RpmVerify { keyring, files } => rpm_verify::run(&files, keyring),
        Command::Verify {
            keyring,
            signature,
            data,
        } => verify::run(keyring, &signature, &data),
        Command::Keyring {
            command: KeyringCommand::Import { keyring, files },
        } => keyring::run(&files, &keyring),
    }
}
