//! Parser throughput: this parser against sequoia-openpgp's `PacketParser`,
//! side by side, on the committed corpus.
//!
//! * `keys`: every certificate of `testdata/keys/*.pgp` (keyrings split into
//!   their certificates) and `testdata/v6/*.pgp`. This parser: one
//!   `request::handle` per certificate plus the v4/v6 fingerprint of every
//!   key packet (`Fingerprint::of_key_body`). sequoia: a `PacketParser` per
//!   certificate iterating every packet, `fingerprint()` on every key packet
//!   (sequoia computes fingerprints lazily).
//! * `signatures`: every `.sig` of `testdata/sigs`, `v3`, `v6`, one parse
//!   each (no fingerprints involved).
//! * `large`: a certificate with 209 third-party certifications (65 KB) and
//!   the same grown to 1 MiB - 1 (3,380 of them), as `keys`.
//!
//! `cargo bench -p pgp-umd-cli --bench parse -- --warm-up-time 1 --measurement-time 5`
//!
//! After criterion's own report a summary prints both medians as MB/s and
//! keys/s (signatures/s) and the ratio, read back from criterion's
//! `estimates.json` files.

use criterion::{BenchmarkId, Criterion, Throughput};
use openpgp::parse::{Dearmor, PacketParserBuilder, PacketParserResult, Parse};
use openpgp::Packet;
use pgp_umd_cli::fingerprint::Fingerprint;
use pgp_umd_cli::inspect::split_certificates;
use pgp_umd_parser::request::handle;
use pgp_umd_proto::{Op, Reply, RequestHeader, Status};
use sequoia_openpgp as openpgp;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn files(dir: &str, ext: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(testdata().join(dir))
        .expect("testdata directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("corpus file"))
        .collect()
}

struct Corpus {
    items: Vec<Vec<u8>>,
    bytes: u64,
    /// Key packets (primaries and subkeys) or signatures.
    units: u64,
}

fn key_corpus() -> Corpus {
    let mut items = Vec::new();
    for data in files("keys", "pgp").into_iter().chain(files("v6", "pgp")) {
        let parts = split_certificates(&data).expect("corpus splits into certificates");
        items.extend(parts.into_iter().map(<[u8]>::to_vec));
    }
    let mut reply = Box::new(Reply::zeroed());
    let mut units = 0;
    for cert in &items {
        units += ours_key(cert, &mut reply) as u64;
    }
    let bytes = items.iter().map(|c| c.len() as u64).sum();
    Corpus {
        items,
        bytes,
        units,
    }
}

/// testdata/skip/many-certifications.pgp (209 third-party certifications,
/// 65,447 octets) and the same certificate grown with copies of its
/// certification to the protocol's largest payload (1 MiB - 1): runs of
/// skipped packets, walked but not mapped.
fn large_corpus() -> Corpus {
    let sample = std::fs::read(testdata().join("skip/many-certifications.pgp"))
        .expect("testdata/skip/many-certifications.pgp");
    let (head, cert) = (&sample[..657], &sample[657..967]);
    let mut largest = head.to_vec();
    while largest.len() + cert.len() <= pgp_umd_proto::MAX_PAYLOAD as usize {
        largest.extend_from_slice(cert);
    }
    let items = vec![sample, largest];
    let mut reply = Box::new(Reply::zeroed());
    let units = items.iter().map(|c| ours_key(c, &mut reply) as u64).sum();
    let bytes = items.iter().map(|c| c.len() as u64).sum();
    Corpus {
        items,
        bytes,
        units,
    }
}

fn sig_corpus() -> Corpus {
    let items: Vec<Vec<u8>> = ["sigs", "v3", "v6"]
        .iter()
        .flat_map(|d| files(d, "sig"))
        .collect();
    let bytes = items.iter().map(|c| c.len() as u64).sum();
    Corpus {
        units: items.len() as u64,
        items,
        bytes,
    }
}

fn header(op: Op, payload: &[u8]) -> RequestHeader {
    RequestHeader::new(
        op,
        1,
        u32::try_from(payload.len()).expect("payload fits u32"),
    )
}

/// This parser on one certificate: the request, then every key's fingerprint.
/// Returns the number of keys fingerprinted.
fn ours_key(cert: &[u8], reply: &mut Reply) -> usize {
    handle(&header(Op::ParseKey, cert), cert, reply);
    assert_eq!(
        reply.status(),
        Some(Status::Ok),
        "corpus certificate refused"
    );
    let mut n = 0;
    for k in reply.keys() {
        let p = &reply.packets[usize::from(k.packet)];
        let whole = p.whole.slice(cert).expect("packet range");
        let fpr = Fingerprint::of_key_body(&whole[usize::from(p.header_len)..]);
        black_box(fpr.expect("v4 or v6 key"));
        n += 1;
    }
    n
}

fn ours_sig(sig: &[u8], reply: &mut Reply) {
    handle(&header(Op::ParseSignature, sig), sig, reply);
    assert_eq!(reply.status(), Some(Status::Ok), "corpus signature refused");
}

/// sequoia on one input: every packet, the fingerprint of every key packet.
fn sequoia(data: &[u8]) -> usize {
    let mut ppr = PacketParserBuilder::from_bytes(data)
        .expect("sequoia parser")
        .dearmor(Dearmor::Disabled)
        .build()
        .expect("sequoia parser");
    let mut n = 0;
    while let PacketParserResult::Some(pp) = ppr {
        let (packet, next) = pp.next().expect("sequoia parses the corpus");
        match &packet {
            Packet::PublicKey(k) => {
                black_box(k.fingerprint());
            }
            Packet::PublicSubkey(k) => {
                black_box(k.fingerprint());
            }
            _ => {}
        }
        black_box(&packet);
        n += 1;
        ppr = next;
    }
    n
}

fn bench_group(c: &mut Criterion, name: &str, corpus: &Corpus, op: Op) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(corpus.bytes));
    let mut reply = Box::new(Reply::zeroed());
    g.bench_function(BenchmarkId::from_parameter("pgp-umd"), |b| {
        b.iter(|| {
            for item in &corpus.items {
                match op {
                    Op::ParseKey => {
                        ours_key(black_box(item), &mut reply);
                    }
                    _ => ours_sig(black_box(item), &mut reply),
                }
            }
        })
    });
    g.bench_function(BenchmarkId::from_parameter("sequoia"), |b| {
        b.iter(|| {
            for item in &corpus.items {
                black_box(sequoia(black_box(item)));
            }
        })
    });
    g.finish();
}

/// Where criterion writes its results (its own lookup order).
fn criterion_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CRITERION_HOME") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(PathBuf::from(d).join("criterion"));
    }
    let mut dir = Some(Path::new(env!("CARGO_MANIFEST_DIR")));
    while let Some(d) = dir {
        let cand = d.join("target/criterion");
        if cand.is_dir() {
            return Some(cand);
        }
        dir = d.parent();
    }
    None
}

/// Median time per iteration in nanoseconds, from criterion's estimates.
fn median_ns(group: &str, id: &str) -> Option<f64> {
    let path = criterion_dir()?
        .join(group)
        .join(id)
        .join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn summary(name: &str, unit: &str, corpus: &Corpus) {
    println!(
        "\n{name}: {} inputs, {} bytes, {} {unit} per iteration",
        corpus.items.len(),
        corpus.bytes,
        corpus.units
    );
    let mut rates = Vec::new();
    for id in ["pgp-umd", "sequoia"] {
        match median_ns(name, id) {
            Some(ns) => {
                let secs = ns / 1e9;
                let mbs = corpus.bytes as f64 / secs / 1e6;
                let per_s = corpus.units as f64 / secs;
                println!(
                    "  {id:8} median {:>10.1} µs  {mbs:>9.1} MB/s  {per_s:>12.0} {unit}/s",
                    ns / 1e3
                );
                rates.push(mbs);
            }
            None => println!("  {id:8} no estimate (not measured in this run)"),
        }
    }
    if let [ours, theirs] = rates[..] {
        println!("  ratio pgp-umd / sequoia: {:.1}x", ours / theirs);
    }
}

fn main() {
    let keys = key_corpus();
    let sigs = sig_corpus();
    let large = large_corpus();
    let mut c = Criterion::default().configure_from_args();
    bench_group(&mut c, "keys", &keys, Op::ParseKey);
    bench_group(&mut c, "signatures", &sigs, Op::ParseSignature);
    bench_group(&mut c, "large", &large, Op::ParseKey);
    c.final_summary();
    summary("keys", "keys", &keys);
    summary("signatures", "signatures", &sigs);
    summary("large", "keys", &large);
}
