//! `pgp-umd`: the project's command-line tool for people.
#![forbid(unsafe_code)]

mod cli;
mod input;
mod inspect;
mod keyring;
mod rpm_verify;
mod verify;

use clap::Parser;
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
    }
}
