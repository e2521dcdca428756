//! Shared helpers for tests over the committed corpus.
#![allow(dead_code)]

use pgp_umd_handler::request::handle;
use pgp_umd_proto::{Op, Reply, RequestHeader};
use std::path::{Path, PathBuf};

pub fn testdata(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(sub)
}

/// Every binary key (`.pgp`) and signature (`.sig`) of the valid corpus,
/// with the op that parses it.
pub fn valid_corpus() -> Vec<(PathBuf, Op)> {
    let mut out = Vec::new();
    for dir in ["keys", "sigs", "v3", "v6"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(testdata(dir))
            .expect("testdata directory")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            match p.extension().and_then(|e| e.to_str()) {
                // Keyrings hold several certificates: one request each.
                Some("pgp") if !p.to_string_lossy().contains("keyring") => {
                    out.push((p, Op::ParseKey))
                }
                Some("sig") => out.push((p, Op::ParseSignature)),
                _ => {}
            }
        }
    }
    assert!(out.len() > 80, "corpus too small: {}", out.len());
    out
}

/// The reply the request function gives for `payload`.
pub fn reply_for(op: Op, seq: u32, payload: &[u8]) -> Box<Reply> {
    let mut reply = Box::new(Reply::zeroed());
    let len = u32::try_from(payload.len()).expect("payload fits u32");
    handle(&RequestHeader::new(op, seq, len), payload, &mut reply);
    reply
}

/// Byte ranges of a reply that carry meaning: the header and the used rows.
pub fn meaningful_ranges(reply: &Reply) -> Vec<std::ops::Range<usize>> {
    use zerocopy::IntoBytes;
    let base = reply.as_bytes().as_ptr() as usize;
    let span = |bytes: &[u8]| {
        let start = bytes.as_ptr() as usize - base;
        start..start + bytes.len()
    };
    vec![
        span(reply.header.as_bytes()),
        span(reply.packets().as_bytes()),
        span(reply.keys().as_bytes()),
        span(reply.signatures().as_bytes()),
        span(reply.subpackets().as_bytes()),
    ]
}

/// Every negative-corpus input with the op its manifest names.
pub fn negative_corpus() -> Vec<(PathBuf, Op)> {
    let text = std::fs::read_to_string(testdata("negative/manifest.tsv")).expect("manifest");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let op = if f[1] == "key" {
                Op::ParseKey
            } else {
                Op::ParseSignature
            };
            (testdata("negative").join(f[0]), op)
        })
        .collect()
}
