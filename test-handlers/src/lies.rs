//! Lies a compromised handler could tell, for tests of the kernel's checks.
//!
//! Only the test-only `lying-handler` build of the handler binary applies
//! them, one per request: to the reply of PARSE_KEY (sent packed: only rows
//! within the counts reach the kernel) one of [`LIES`], chosen by the
//! request's sequence number ([`tell`]); to the short reply of
//! PARSE_SIGNATURE one of [`SIG_LIES`], chosen by the payload's last octet
//! ([`signature_lie_for`]), so a test that knows the signature file knows
//! the lie, and the kernel's retry after a wrong sequence number meets the
//! same lie again. The host test `lies.rs` proves the reply validator and the
//! kernel's C code reject each of them on every corpus input; the VM test
//! `pgp_adversarial.sh` proves the kernel does, with the documented errno.

use pgp_umd_parser::parse::{self, Honesty};
use pgp_umd_proto::{Op, PacketRole, Reply, ReplyHeader, SigRole, Status, NONE};

/// The lies, in the order [`tell`] cycles through them.
pub const LIES: &[&str] = &[
    "hide a revocation (or the last signature) as an ignored packet",
    "drop the last packet",
    "shift the first signature's hashed area (none: misstate a header length)",
    "claim another public-key algorithm",
    "move a key field or signature value boundary (none: misstate a header length)",
    "answer with another sequence number",
    "unlink a back-signature (or move a hash prefix; none: misstate a header length)",
    "claim success for a refusal, or refuse a success",
    "skip the primary key's own signatures over user ids as third-party ones \
     (none: misstate a header length)",
];

/// Index in [`LIES`] of the lie only the certificate policy can catch.
pub const SKIPPED_SELF_SIGNATURE_LIE: usize = 8;

/// Tells lie number `seq % LIES.len()` in `reply`, the honest answer over
/// `payload`; returns its name.
pub fn tell(seq: u32, payload: &[u8], reply: &mut Reply) -> &'static str {
    let n = (seq as usize) % LIES.len();
    let h = reply.header;
    let refused = h.status != Status::Ok.raw() || h.packet_count == 0;
    if n == SKIPPED_SELF_SIGNATURE_LIE && !refused {
        if !hide_own_signatures(payload, reply) {
            reply.packets[0].header_len ^= 1;
        }
        return LIES[n];
    }
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
        // Only rows within the counts reach the kernel (a packed or short
        // reply carries no other), so a lie needing a signature falls back
        // to the first packet's header length when there is none.
        _ if h.signature_count == 0 && needs_signature(n, reply) => {
            reply.packets[0].header_len ^= 1
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
            let (fields, count) = if has_two_key_fields(reply) {
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

/// Replaces `reply` with the map a handler that skips the primary key's own
/// certifications would send: consistent in every row, so only the
/// kernel's check of each skipped issuer against the primary key's
/// fingerprint can refuse it. False when that changes nothing.
fn hide_own_signatures(payload: &[u8], reply: &mut Reply) -> bool {
    if reply.header.op != Op::ParseKey.raw() {
        return false;
    }
    let mut lying = Reply::zeroed();
    if parse::parse_certificate_as(payload, &mut lying, Honesty::HideOwnSignatures).is_err()
        || lying.packets() == reply.packets()
    {
        return false;
    }
    let h = reply.header;
    reply.clone_from(&lying);
    reply.header = ReplyHeader {
        packet_count: lying.header.packet_count,
        key_count: lying.header.key_count,
        signature_count: lying.header.signature_count,
        subpacket_count: lying.header.subpacket_count,
        ..h
    };
    true
}

/// Whether lie `n` of [`LIES`] can only be told in a signature row.
fn needs_signature(n: usize, reply: &Reply) -> bool {
    match n {
        2 | 6 => true,
        3 => reply.header.key_count == 0,
        4 => !has_two_key_fields(reply),
        _ => false,
    }
}

/// Whether lie 4 can move a boundary between the first key's fields.
fn has_two_key_fields(reply: &Reply) -> bool {
    reply.header.key_count > 0 && reply.keys[0].field_count >= 2
}

/// The lies told in the short reply to PARSE_SIGNATURE, by number. Every one
/// but [`SIG_LIE_SEQ`] must make the kernel answer `-EBADMSG`; that one,
/// told again on the kernel's retry, `-EPROTO`.
pub const SIG_LIES: &[&str] = &[
    "shift the hashed area by one octet",
    "drop the creation time subpacket row (v3: leave it out of the hashed octets)",
    "drop the issuer subpacket row (v3: no issuer key id)",
    "move the hash prefix by one octet",
    "claim another public-key algorithm",
    "claim another hash algorithm",
    "claim another signature type (binary and text swapped)",
    "move the first signature value's end",
    "answer with another sequence number",
    "refuse a success (tables kept), or claim success for a refusal",
];

/// The number of the sequence-number lie in [`SIG_LIES`].
pub const SIG_LIE_SEQ: usize = 8;

/// The [`SIG_LIES`] number the lying handler tells for a PARSE_SIGNATURE
/// request with this payload: its last octet modulo the number of lies.
pub fn signature_lie_for(payload: &[u8]) -> usize {
    payload.last().map_or(0, |&b| usize::from(b)) % SIG_LIES.len()
}

const SUBPACKET_CREATION_TIME: u8 = 2;
const SUBPACKET_ISSUER: u8 = 16;
const SUBPACKET_ISSUER_FINGERPRINT: u8 = 33;

/// Removes subpacket row `row` and renumbers what follows, so the tables stay
/// consistent and only the area the row tiled is left uncovered.
fn drop_subpacket_row(reply: &mut Reply, row: usize) {
    let count = usize::from(reply.header.subpacket_count);
    if row >= count {
        return;
    }
    reply.subpackets.copy_within(row + 1..count, row);
    reply.subpackets[count - 1] = zerocopy::FromZeros::new_zeroed();
    reply.header.subpacket_count -= 1;
    let r = row as u16;
    for s in &mut reply.signatures[..usize::from(reply.header.signature_count)] {
        for (first, n) in [
            (&mut s.hashed_first, &mut s.hashed_count),
            (&mut s.unhashed_first, &mut s.unhashed_count),
        ] {
            if *first > r {
                *first -= 1;
            } else if r < *first + *n {
                *n -= 1;
            }
        }
        if s.subpacket != NONE && s.subpacket > r {
            s.subpacket -= 1;
        }
    }
}

/// The first subpacket row of signature 0 (hashed area first) whose type
/// is one of `types`.
fn find_subpacket(reply: &Reply, types: &[u8]) -> Option<usize> {
    let s = reply.signatures[0];
    let rows = [
        (s.hashed_first, s.hashed_count),
        (s.unhashed_first, s.unhashed_count),
    ];
    rows.iter()
        .flat_map(|&(first, n)| usize::from(first)..usize::from(first) + usize::from(n))
        .find(|&row| {
            reply
                .subpackets
                .get(row)
                .is_some_and(|sp| types.contains(&(sp.type_octet & 0x7F)))
        })
}

/// Tells signature lie number `lie % SIG_LIES.len()` in `reply`, the full
/// form of a PARSE_SIGNATURE reply; returns its name.
pub fn tell_signature(lie: usize, reply: &mut Reply) -> &'static str {
    let n = lie % SIG_LIES.len();
    let h = reply.header;
    let refused = h.status != Status::Ok.raw() || h.signature_count == 0;
    if refused || n == 9 {
        reply.header.status = if refused {
            Status::Ok.raw()
        } else {
            Status::BadSignature.raw()
        };
        return SIG_LIES[9];
    }
    let v3 = reply.signatures[0].version == 3;
    match n {
        0 => {
            let a = &mut reply.signatures[0].hashed_area;
            a.off = a.off.wrapping_add(1);
            a.len = a.len.wrapping_sub(1);
        }
        1 if v3 => reply.signatures[0].hashed_area.len = 1,
        1 => {
            let row = find_subpacket(reply, &[SUBPACKET_CREATION_TIME])
                .unwrap_or(usize::from(reply.signatures[0].hashed_first));
            drop_subpacket_row(reply, row);
        }
        2 if v3 => reply.signatures[0].issuer = pgp_umd_proto::Range::EMPTY,
        2 => {
            let row = find_subpacket(reply, &[SUBPACKET_ISSUER, SUBPACKET_ISSUER_FINGERPRINT])
                .unwrap_or(usize::from(reply.signatures[0].unhashed_first));
            drop_subpacket_row(reply, row);
        }
        3 => {
            let p = &mut reply.signatures[0].hash_prefix;
            p.off = p.off.wrapping_add(1);
        }
        4 => {
            let s = &mut reply.signatures[0];
            s.pk_algo = if s.pk_algo == 1 { 19 } else { 1 };
        }
        5 => {
            let s = &mut reply.signatures[0];
            s.hash_algo = if s.hash_algo == 8 { 10 } else { 8 };
        }
        6 => reply.signatures[0].sig_type ^= 1,
        7 => {
            let v = &mut reply.signatures[0].values[0];
            v.len = v.len.wrapping_sub(1);
        }
        _ => reply.header.seq ^= 1,
    }
    SIG_LIES[n]
}
