//! The reply validator (the kernel's rules) against real replies and lies.
//!
//! Every reply the parser gives for the corpus must pass. Then every byte of
//! the meaningful part of each reply is altered in turn (three ways), and a
//! set of targeted lies a compromised handler would tell is applied: the
//! validator must reject each one.

mod common;

use common::{meaningful_ranges, reply_for, valid_corpus};
use pgp_umd_proto::validate::validate_reply;
use pgp_umd_proto::{Op, PacketRole, Reply, SigRole, Status, NONE};
use zerocopy::IntoBytes;

const SEQ: u32 = 0x1234_5678;

#[test]
fn every_corpus_reply_passes() {
    for (path, op) in valid_corpus() {
        let payload = std::fs::read(&path).expect("read");
        let reply = reply_for(op, SEQ, &payload);
        assert_eq!(reply.status(), Some(Status::Ok), "{}", path.display());
        validate_reply(op, SEQ, &payload, &reply)
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    }
}

#[test]
fn every_altered_byte_is_rejected() {
    let mut checked = 0u64;
    for (path, op) in valid_corpus() {
        let payload = std::fs::read(&path).expect("read");
        let good = reply_for(op, SEQ, &payload);
        let mut bad = good.clone();
        for range in meaningful_ranges(&good) {
            for i in range {
                for flip in [0x01u8, 0x80, 0xFF] {
                    bad.as_mut_bytes()[i] ^= flip;
                    let verdict = validate_reply(op, SEQ, &payload, &bad);
                    assert!(
                        verdict.is_err(),
                        "{}: byte {i} ^ {flip:#x} of the reply was accepted",
                        path.display()
                    );
                    bad.as_mut_bytes()[i] ^= flip;
                    checked += 1;
                }
            }
        }
        // A lie placed in an unused row is caught too.
        let n = usize::from(good.header.packet_count);
        bad.packets[n].tag = 2;
        assert!(validate_reply(op, SEQ, &payload, &bad).is_err());
        bad.packets[n].tag = 0;
    }
    assert!(checked > 50_000, "only {checked} alterations");
}

fn first_sig_row(reply: &Reply, role: SigRole) -> Option<usize> {
    reply.signatures().iter().position(|s| s.role == role.raw())
}

/// Lies a compromised handler might tell, each more subtle than a bit flip.
#[test]
fn targeted_lies_are_rejected() {
    let mut lies_checked = 0;
    for (path, op) in valid_corpus() {
        let payload = std::fs::read(&path).expect("read");
        let good = reply_for(op, SEQ, &payload);
        let mut lies: Vec<(&str, Box<Reply>)> = Vec::new();
        let mut lie = |name, f: &dyn Fn(&mut Reply)| {
            let mut r = good.clone();
            f(&mut r);
            lies.push((name, r));
        };
        lie("dropped last packet", &|r| r.header.packet_count -= 1);
        lie("claims failure but maps", &|r| {
            r.header.status = Status::Truncated.raw()
        });
        lie("claims success with nothing", &|r| {
            let status = r.header.status;
            r.clear();
            r.header = good.header;
            r.header.status = status;
            r.header.packet_count = 0;
            r.header.key_count = 0;
            r.header.signature_count = 0;
            r.header.subpacket_count = 0;
        });
        lie("wrong sequence number", &|r| r.header.seq ^= 1);
        lie("last packet one short", &|r| {
            let n = usize::from(r.header.packet_count) - 1;
            r.packets[n].whole.len -= 1;
        });
        lie("first signature's hashed area shifted", &|r| {
            r.signatures[0].hashed_area.off += 1;
        });
        lie("first signature's prefix elsewhere", &|r| {
            r.signatures[0].hash_prefix.off -= 1;
        });
        lie("first signature value one octet short", &|r| {
            r.signatures[0].values[0].len -= 1;
        });
        if good.signatures[0].hashed_count > 0 {
            lie("first subpacket dropped from its area", &|r| {
                r.signatures[0].hashed_count -= 1;
                r.signatures[0].unhashed_first -= 1;
            });
        }
        if op == Op::ParseKey {
            lie("primary claims another algorithm", &|r| {
                r.keys[0].pk_algo ^= 2
            });
            if good.keys[0].field_count >= 2 {
                lie("field boundary moved", &|r| {
                    r.keys[0].fields[0].len -= 1;
                    r.keys[0].fields[1].off -= 1;
                    r.keys[0].fields[1].len += 1;
                });
            }
            lie("primary key as a subkey", &|r| {
                r.packets[0].role = PacketRole::Subkey.raw();
            });
            lie("key field past the payload", &|r| {
                r.keys[0].fields[0].off = u32::MAX - 2;
            });
            if let Some(row) = first_sig_row(&good, SigRole::KeyRevocation) {
                lie("revocation called something else", &|r| {
                    r.signatures[row].role = SigRole::Other.raw();
                });
                lie("revocation packet hidden as ignored", &|r| {
                    let p = usize::from(r.signatures[row].packet);
                    r.packets[p].role = PacketRole::Ignored.raw();
                    r.packets[p].item = NONE;
                });
            }
            if let Some(row) = first_sig_row(&good, SigRole::PrimaryKeyBinding) {
                lie("back-signature unlinked", &|r| {
                    let sp = usize::from(r.signatures[row].subpacket);
                    r.subpackets[sp].embedded = NONE;
                });
            }
            if let Some(row) = first_sig_row(&good, SigRole::SubkeyBinding) {
                lie("binding moved to another component", &|r| {
                    r.signatures[row].target = 0;
                });
            }
        }
        for (name, r) in &lies {
            assert!(
                validate_reply(op, SEQ, &payload, r).is_err(),
                "{}: lie '{name}' accepted",
                path.display()
            );
            lies_checked += 1;
        }
    }
    assert!(lies_checked > 500, "only {lies_checked} lies checked");
}

/// A refusal must be a bare header: a handler cannot smuggle rows with it.
#[test]
fn refusals_carry_no_rows() {
    let payload = [0x00u8; 4];
    let reply = reply_for(Op::ParseKey, SEQ, &payload);
    assert_eq!(reply.status(), Some(Status::BadPacketHeader));
    validate_reply(Op::ParseKey, SEQ, &payload, &reply).expect("refusal is valid");
    let mut smuggled = reply.clone();
    smuggled.keys[0].version = 4;
    assert!(validate_reply(Op::ParseKey, SEQ, &payload, &smuggled).is_err());
}
