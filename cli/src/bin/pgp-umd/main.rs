//! `pgp-umd`: the project's command-line tool for people.
#![forbid(unsafe_code)]

/// `println!` for the commands' output: a closed pipe ends the process
/// quietly (output.rs) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}

mod cli;
mod input;
mod inspect;
mod keyring;
mod output;
mod rpm_verify;
mod verify;

use clap::{CommandFactory, Parser};
use cli::{Cli, Command, KeyringCommand};
use std::process::ExitCode;

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Inspect { json, files } => inspect::run(&files, json),
        Command::RpmVerify {
            keyring,
            verbose,
            header_only,
            json,
            files,
        } => rpm_verify::run(&files, &keyring, verbose, header_only, json),
        Command::Verify {
            keyring,
            json,
            signature,
            data,
        } => verify::run(&keyring, &signature, &data, json),
        Command::Keyring {
            command:
                KeyringCommand::Import {
                    keyring,
                    json,
                    files,
                },
        } => keyring::run(&files, &keyring, json),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "pgp-umd",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Manpages { dir } => manpages(&dir),
    }
}

/// Writes the manual pages into `dir`: `pgp-umd.1` and one page per
/// subcommand (`pgp-umd-verify.1`, ...).
fn manpages(dir: &std::path::Path) -> ExitCode {
    match std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(Cli::command(), dir))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pgp-umd: {}: {e}", dir.display());
            ExitCode::from(input::EXIT_ERROR)
        }
    }
}
