//! The wire protocol between the pgp-umd kernel modules and the user mode
//! handler: fixed-layout request and reply structs, constants, statuses, and
//! the reply validator that applies the kernel's rules.
//!
//! This crate is the single source of truth; `kmod/include/pgp_umd_proto.h`
//! is checked against it field by field by the layout test.
#![forbid(unsafe_code)]
#![no_std]

#[cfg(test)]
extern crate std;

mod layout;
pub mod openpgp;
pub mod skip;
pub mod validate;
mod wire;

pub use layout::{ConstLayout, FieldLayout, StructLayout};
pub use wire::*;

/// Every constant table that the C header must reproduce.
pub const ALL_CONSTANTS: &[&[ConstLayout]] = &[
    CONSTANTS,
    OPS,
    STATUSES,
    PACKET_ROLES,
    SIG_ROLES,
    FIELD_KINDS,
    CURVES,
    openpgp::OPENPGP_CONSTANTS,
];
