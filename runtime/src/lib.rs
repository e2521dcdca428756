//! Sealed runtime for user mode driver handlers (to be written).
