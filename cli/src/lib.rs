//! The pgp-umd handler library: a zero-copy, allocation-free OpenPGP parser
//! that answers protocol requests with a map of the payload, plus the helpers
//! the CLI uses for people (fingerprints, ASCII armor).
#![forbid(unsafe_code)]

pub mod armor;
pub mod fingerprint;
pub mod inspect;
pub mod lies;
pub mod misbehave;
pub mod parse;
pub mod request;
pub mod rpm;
pub mod rpm_check;

pub use pgp_umd_proto as proto;
