//! TEST ONLY: what the test handler binaries do wrong on purpose, for the
//! kernel's tests of its reply checks and its handler management. Each
//! binary of this crate runs the sealed handler's request loop
//! (`pgp_umd_handler::run`) with its own hooks; nothing here is part of the
//! blob `pgp_umd_loader` embeds.
#![forbid(unsafe_code)]

pub mod lies;
pub mod misbehave;
