//! Misbehaviour of a subverted handler that no single reply check can see,
//! for tests of the kernel's handler management.
//!
//! Only the test handler binary `pgp-umd-handler-misbehaving` applies it (kmod's `pgp_umd_loader_misbehaving`, the VM test
//! `umd_harden.sh`):
//! - a request whose payload contains [`POISON`] poisons the process:
//!   from then on it answers every request with a well-formed refusal
//!   (`TRUNCATED` at offset 0, the reply of an empty payload), as a handler
//!   taken over by one input could, to refuse every later request of every
//!   user. The kernel must replace a handler after any reply that is not OK.
//! - every OK PARSE_KEY reply but the first of the process is followed by
//!   [`TRAILING_BYTES`] extra bytes in the same write. The kernel must refuse
//!   a reply followed by bytes (the stream is out of step).

/// The bytes that poison the handler.
pub const POISON: &[u8] = b"PGP-UMD-TEST-POISON";

/// Bytes sent after a reply that gets trailing bytes.
pub const TRAILING_BYTES: usize = 8;

/// The state of one handler process.
#[derive(Debug, Default)]
pub struct Misbehaviour {
    poisoned: bool,
    ok_keys: u32,
}

impl Misbehaviour {
    /// The payload the parser is given: `payload`, or nothing once poisoned
    /// (`payload` poisons when it contains [`POISON`]: the kernel sends only
    /// payloads that start like a key packet).
    pub fn payload<'a>(&mut self, payload: &'a [u8]) -> &'a [u8] {
        if payload.windows(POISON.len()).any(|w| w == POISON) {
            self.poisoned = true;
        }
        if self.poisoned {
            &[]
        } else {
            payload
        }
    }

    /// How many bytes to send after a reply: [`TRAILING_BYTES`] for every
    /// OK PARSE_KEY reply after the first one, else 0.
    pub fn trailing(&mut self, parse_key: bool, ok: bool) -> usize {
        if !parse_key || !ok {
            return 0;
        }
        self.ok_keys = self.ok_keys.saturating_add(1);
        if self.ok_keys > 1 {
            TRAILING_BYTES
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poison_sticks() {
        let mut m = Misbehaviour::default();
        assert_eq!(m.payload(b"abc"), b"abc");
        assert_eq!(m.payload(b"\xc6\x13PGP-UMD-TEST-POISON"), b"");
        assert_eq!(m.payload(b"abc"), b"");
    }

    #[test]
    fn trailing_from_the_second_ok_key() {
        let mut m = Misbehaviour::default();
        assert_eq!(m.trailing(true, false), 0);
        assert_eq!(m.trailing(false, true), 0);
        assert_eq!(m.trailing(true, true), 0);
        assert_eq!(m.trailing(true, true), 8);
        assert_eq!(m.trailing(true, true), 8);
    }
}
