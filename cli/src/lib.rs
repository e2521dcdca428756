//! The library of the `pgp-umd` command: what people's tools need around
//! the parser (fingerprints, ASCII armor, descriptions of certificates and
//! signatures, RPM packages, the kernel's verification interface) and the
//! one pipeline from a file to validated replies ([`pipeline`]).
#![forbid(unsafe_code)]

pub mod armor;
pub mod fingerprint;
pub mod inspect;
pub mod pipeline;
pub mod rpm;
pub mod rpm_check;

pub use pgp_umd_parser::{parse, request};
pub use pgp_umd_proto as proto;
