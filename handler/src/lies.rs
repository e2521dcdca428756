//! Lies a compromised handler could tell, for tests of the kernel's checks.
//!
//! Only the test-only `lying-handler` build of the handler binary applies
//! them (one per request, chosen by the request's sequence number); the host
//! test `lies.rs` proves the reply validator rejects each of them on every
//! corpus input, and the VM test proves the kernel does.

use pgp_umd_proto::{PacketRole, Reply, SigRole, Status, NONE};

/// The lies, in the order [`tell`] cycles through them.
pub const LIES: &[&str] = &[
    "hide a revocation (or the last signature) as an ignored packet",
    "drop the last packet",
    "shift the first signature's hashed area",
    "claim another public-key algorithm",
    "move a key field or signature value boundary",
    "answer with another sequence number",
    "unlink a back-signature (or move a hash prefix)",
    "claim success for a refusal, or refuse a success",
];

/// Tells lie number `seq % LIES.len()` in `reply`; returns its name.
pub fn tell(seq: u32, reply: &mut Reply) -> &'static str {
    let n = (seq as usize) % LIES.len();
    let h = reply.header;
    let refused = h.status != Status::Ok.raw() || h.packet_count == 0;
    if refused || n == 7 {
        reply.header.status = if refused {
            Status::Ok.raw()
        } else {
            Status::BadSignature.raw()
        };
        return LIES[7];
    }
    match n {
        0 => {
            let revocation = reply.signatures().iter().position(|s| {
                [
                    SigRole::KeyRevocation,
                    SigRole::SubkeyRevocation,
                    SigRole::CertRevocation,
                ]
                .iter()
                .any(|r| r.raw() == s.role)
            });
            let sig_packet = match revocation {
                Some(row) => usize::from(reply.signatures[row].packet),
                None => reply
                    .packets()
                    .iter()
                    .rposition(|p| p.role == PacketRole::Signature.raw())
                    .unwrap_or(0),
            };
            let p = &mut reply.packets[sig_packet];
            p.role = PacketRole::Ignored.raw();
            p.item = NONE;
            p.target = NONE;
        }
        1 => {
            let last = usize::from(h.packet_count).saturating_sub(1);
            reply.packets[last] = zerocopy::FromZeros::new_zeroed();
            reply.header.packet_count -= 1;
        }
        2 => reply.signatures[0].hashed_area.off ^= 1,
        3 => {
            let algo = |a: u8| if a == 1 { 19 } else { 1 };
            if h.key_count > 0 {
                reply.keys[0].pk_algo = algo(reply.keys[0].pk_algo);
            } else {
                reply.signatures[0].pk_algo = algo(reply.signatures[0].pk_algo);
            }
        }
        4 => {
            let (fields, count) = if h.key_count > 0 && reply.keys[0].field_count >= 2 {
                (&mut reply.keys[0].fields[..], 2)
            } else {
                (&mut reply.signatures[0].values[..], 1)
            };
            // Wrapping: a lie need not be arithmetic the parser would do.
            fields[0].len = fields[0].len.wrapping_sub(1);
            if count == 2 {
                fields[1].off = fields[1].off.wrapping_sub(1);
                fields[1].len = fields[1].len.wrapping_add(1);
            }
        }
        5 => reply.header.seq ^= 1,
        _ => match reply.subpackets().iter().position(|s| s.embedded != NONE) {
            Some(row) => reply.subpackets[row].embedded = NONE,
            None => reply.signatures[0].hash_prefix.off ^= 1,
        },
    }
    LIES[n]
}
