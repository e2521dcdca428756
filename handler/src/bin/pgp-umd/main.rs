//! `pgp-umd`: the project's command-line tool for people.
#![forbid(unsafe_code)]

mod inspect;

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
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Inspect { json, files } => inspect::run(&files, json),
    }
}
