//! The pgp-umd parser: a zero-copy OpenPGP parser that answers a protocol
//! request with the fixed-layout map of its payload ([`request::handle`]).
//!
//! `no_std` and without `alloc`: every function reads sub-slices of the one
//! payload and writes rows of the caller's [`pgp_umd_proto::Reply`]. The
//! sealed handler binary (`handler/`), the `pgp-umd` CLI (`cli/`), the test
//! handlers (`test-handlers/`) and the fuzz targets all run this same code.
#![forbid(unsafe_code)]
#![no_std]

pub mod fingerprint;
pub mod parse;
pub mod request;

pub use pgp_umd_proto as proto;
/// The zerocopy version of the protocol's structs, for callers that read
/// them from bytes (the handler binaries).
pub use zerocopy;
