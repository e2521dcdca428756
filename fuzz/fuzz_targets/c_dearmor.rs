//! (a) The kernel's C armor decoder (pgp_dearmor) on arbitrary text.
//!
//! Input: a control octet (bit 0: the key label, else the signature label),
//! then the text.
//!
//! Invariants: no out-of-bounds access (ASan builds; the buffers are exact
//! size), the output never longer than the input, and whatever the C
//! accepts the Rust decoder (`armor::decode_all`) decodes to exactly one
//! block with that label and the same octets: the kernel is never more
//! lenient than the handler's decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_fuzz::cffi::c_dearmor;
use pgp_umd_handler::armor::decode_all;

fuzz_target!(|data: &[u8]| {
    let Some((&control, text)) = data.split_first() else {
        return;
    };
    let key = control & 1 == 1;
    if let Ok(c) = c_dearmor(text, key) {
        let label = if key { "PUBLIC KEY BLOCK" } else { "SIGNATURE" };
        match decode_all(text) {
            Ok(blocks) => {
                assert_eq!(
                    blocks.len(),
                    1,
                    "C accepted armor with {} blocks",
                    blocks.len()
                );
                assert_eq!(blocks[0].label, label, "C accepted another label");
                assert_eq!(blocks[0].data, c, "C and Rust decode to different octets");
            }
            Err(e) => panic!("C accepted armor the Rust decoder refuses: {e:?}"),
        }
    }
});
