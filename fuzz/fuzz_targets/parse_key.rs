//! Key parsing: the payload of a PARSE_KEY request.
//!
//! Invariants (see `check_payload`): the reply passes the reply validator,
//! the request path allocates nothing, parsing twice (into a dirty buffer)
//! gives identical replies, and `handle_bytes` on the serialized request
//! answers the same. On success the packet table matches an independent
//! `read_packet_header` walk (a run of skipped packets: one row, no key), there is one key row per key packet, and the
//! CLI's `describe_certificate` works on the reply.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgp_umd_cli::inspect::describe_certificate;
use pgp_umd_fuzz::{check_payload, with_replies};
use pgp_umd_parser::parse::read_packet_header;
use pgp_umd_parser::request::handle;
use pgp_umd_proto::{Op, PacketRole, RequestHeader, Status};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Vec::new();
    if check_payload(Op::ParseKey, 7, data, &mut scratch) != Status::Ok {
        return;
    }
    with_replies(|reply, _| {
        handle(
            &RequestHeader::new(Op::ParseKey, 7, data.len() as u32),
            data,
            reply,
        );
        let mut pos = 0;
        let mut key_packets = 0;
        for row in reply.packets() {
            assert_eq!(row.whole.off as usize, pos);
            if row.role == PacketRole::Skipped.raw() {
                // A run: its packets decode one after the other, hold no
                // key, and end where the row does.
                assert_eq!((row.tag, row.header_len), (0, 0));
                let end = pos + row.whole.len as usize;
                while pos < end {
                    let (_, h) = read_packet_header(&data[pos..end]).expect("run packet decodes");
                    assert!(h.tag != 6 && h.tag != 14, "a key in a skipped run");
                    pos += h.header_len + h.body_len;
                }
                assert_eq!(pos, end);
                continue;
            }
            let (_, h) = read_packet_header(&data[pos..]).expect("packet row decodes");
            assert_eq!(row.whole.len as usize, h.header_len + h.body_len);
            assert_eq!(
                (row.tag, usize::from(row.header_len)),
                (h.tag, h.header_len)
            );
            key_packets += usize::from(h.tag == 6 || h.tag == 14);
            pos += h.header_len + h.body_len;
        }
        assert_eq!(pos, data.len());
        assert_eq!(reply.keys().len(), key_packets);
        let info = describe_certificate(data, reply).expect("a certificate");
        assert_eq!(info.subkeys.len() + 1, key_packets);
    });
});
