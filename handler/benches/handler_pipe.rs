//! Requests per second through real pipes to the static release handler, and
//! its peak RSS. Not a test: run with
//!
//!     cargo bench -p pgp-umd-handler --bench handler_pipe
//!
//! (`PGP_UMD_CORPUS=dir` picks another corpus; `BENCH_SECS` the time per case.)

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use pgp_umd_proto::{Op, MAX_PAYLOAD};
use std::io::Write;
use std::time::{Duration, Instant};

struct Case {
    name: String,
    op: Op,
    payload: Vec<u8>,
}

/// Lock-step: one request in flight, as the kernel sends them.
fn lockstep(p: &mut Proc, c: &Case, secs: f64) -> (u64, f64) {
    let req = request(c.op.raw(), 1, &c.payload);
    let want = expected(&req);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < secs {
        for _ in 0..256 {
            p.send(&req).expect("send");
            let got = p.reply().expect("reply");
            assert!(got == want);
        }
        n += 256;
    }
    (n, start.elapsed().as_secs_f64())
}

/// Pipelined: a writer thread keeps the pipe full.
fn pipelined(p: &mut Proc, c: &Case, secs: f64) -> (u64, f64, u64) {
    let req = request(c.op.raw(), 1, &c.payload);
    let want = expected(&req);
    const BATCH: usize = 256;
    let batch = req.repeat(BATCH);
    let mut stdin = p.stdin.take().expect("stdin");
    let (tx, rx) = std::sync::mpsc::channel::<bool>();
    let writer = std::thread::spawn(move || {
        while let Ok(true) = rx.recv() {
            stdin.write_all(&batch).expect("write");
        }
        stdin
    });
    let start = Instant::now();
    let mut n = 0u64;
    let _ = tx.send(true);
    loop {
        let more = start.elapsed().as_secs_f64() < secs;
        if more {
            let _ = tx.send(true);
        }
        for _ in 0..BATCH {
            let got = p.reply().expect("reply");
            assert!(got == want);
        }
        n += BATCH as u64;
        if !more {
            break;
        }
    }
    let _ = tx.send(false);
    let elapsed = start.elapsed().as_secs_f64();
    let (_, hwm) = rss_kib(p.pid);
    // The writer may have one more batch queued: drain it.
    drop(tx);
    let stdin = writer.join().expect("writer");
    p.stdin = Some(stdin);
    p.close_stdin();
    let rest = p.rest();
    assert_eq!(rest.len() % want.len(), 0);
    (n, elapsed, hwm)
}

/// Handler cost alone: requests through a pipe, replies to /dev/null (no
/// reader), so the 30 KiB reply per request does not cross a pipe.
fn to_devnull(bin: &std::path::Path, c: &Case, n: usize) -> (u64, f64) {
    let req = request(c.op.raw(), 1, &c.payload);
    let all = req.repeat(n);
    let mut child = std::process::Command::new(bin)
        .env_remove("RUST_BACKTRACE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let start = Instant::now();
    stdin.write_all(&all).expect("write");
    drop(stdin);
    let st = child.wait().expect("wait");
    assert!(st.success());
    (n as u64, start.elapsed().as_secs_f64())
}

/// The ceiling: 30,496-byte messages (one reply's size) written by another
/// process (`dd` from /dev/zero) through one pipe, with no handler at all.
fn pipe_ceiling(secs: f64) -> (u64, f64) {
    use std::io::Read;
    let mut dd = std::process::Command::new("dd")
        .args([
            "if=/dev/zero",
            &format!("bs={}", pgp_umd_proto::REPLY_SIZE),
            "count=100000000",
            "status=none",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn dd");
    let mut r = dd.stdout.take().expect("stdout");
    let mut buf = vec![0u8; pgp_umd_proto::REPLY_SIZE];
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < secs {
        r.read_exact(&mut buf).expect("read");
        n += 1;
    }
    let t = start.elapsed().as_secs_f64();
    let _ = dd.kill();
    let _ = dd.wait();
    (n, t)
}

fn pick_largest(op: Op, needle: &str) -> Option<(String, Vec<u8>)> {
    let mut best: Option<(String, Vec<u8>)> = None;
    for (name, data) in corpus() {
        let req = request(op.raw(), 1, &data);
        let ok = pgp_umd_proto::Reply::read_from_bytes_status(&expected(&req)) == 0;
        if ok && name.contains(needle) && best.as_ref().is_none_or(|b| data.len() > b.1.len()) {
            best = Some((name, data));
        }
    }
    best
}

trait StatusOf {
    fn read_from_bytes_status(bytes: &[u8]) -> u32;
}

impl StatusOf for pgp_umd_proto::Reply {
    fn read_from_bytes_status(bytes: &[u8]) -> u32 {
        use zerocopy::FromBytes;
        pgp_umd_proto::Reply::read_from_bytes(bytes)
            .map(|r| r.header.status)
            .unwrap_or(u32::MAX)
    }
}

fn base(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).to_string()
}

fn main() {
    let secs: f64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let bin = release_binary();
    let size = std::fs::metadata(&bin).map(|m| m.len()).unwrap_or(0);
    println!("binary: {} ({size} bytes)", bin.display());

    let (cname, cert) = pick_largest(Op::ParseKey, "rsa4096")
        .or_else(|| pick_largest(Op::ParseKey, ""))
        .expect("a certificate in the corpus");
    let (sname, sig) = pick_largest(Op::ParseSignature, "rsa4096")
        .or_else(|| pick_largest(Op::ParseSignature, ""))
        .expect("a signature in the corpus");
    let cases = [
        Case {
            name: format!("signature {} ({} B)", base(&sname), sig.len()),
            op: Op::ParseSignature,
            payload: sig.clone(),
        },
        Case {
            name: format!("certificate {} ({} B)", base(&cname), cert.len()),
            op: Op::ParseKey,
            payload: cert.clone(),
        },
    ];

    let opts = || Opts {
        deadline: Duration::from_secs(600),
        ..Opts::default()
    };
    println!("\n| case | mode | requests | seconds | requests/s | peak RSS (VmHWM) |");
    println!("|---|---|---|---|---|---|");
    for c in &cases {
        for mode in ["lock-step", "pipelined"] {
            let mut p = Proc::spawn(&bin, opts());
            let (n, t, hwm) = if mode == "lock-step" {
                let (n, t) = lockstep(&mut p, c, secs);
                (n, t, rss_kib(p.pid).1)
            } else {
                pipelined(&mut p, c, secs)
            };
            println!(
                "| {} | {mode} | {n} | {t:.2} | {:.0} | {hwm} KiB |",
                c.name,
                n as f64 / t
            );
            let _ = p.wait();
        }
        let (n, t) = to_devnull(&bin, c, (secs * 100_000.0) as usize);
        println!(
            "| {} | replies to /dev/null | {n} | {t:.2} | {:.0} | - |",
            c.name,
            n as f64 / t
        );
    }

    let (n, t) = pipe_ceiling(secs);
    println!(
        "| (no handler: {}-byte messages through one pipe) | pipe ceiling | {n} | {t:.2} | {:.0} | - |",
        pgp_umd_proto::REPLY_SIZE,
        n as f64 / t
    );

    // Worst cases at the maximum payload: time per request, lock-step.
    let max = MAX_PAYLOAD as usize;
    let mut garbage = vec![0u8; max];
    let mut x: u32 = 12345;
    for b in garbage.iter_mut() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *b = (x >> 16) as u8;
    }
    // The certificate, then marker packets (tag 10, 3-byte body) to the end.
    let mut markers = cert.clone();
    while markers.len() + 5 <= max {
        markers.extend_from_slice(&[0xCA, 0x03, b'P', b'G', b'P']);
    }
    // The certificate, then one user id packet filling the rest.
    let mut big_uid = cert.clone();
    let body = max - cert.len() - 6;
    big_uid.push(0xCD);
    big_uid.push(0xFF);
    big_uid.extend_from_slice(&(body as u32).to_be_bytes());
    big_uid.resize(max, b'u');
    // Certificate followed by signature packets until the payload is full.
    let mut many_sigs = cert.clone();
    while many_sigs.len() + sig.len() <= max {
        many_sigs.extend_from_slice(&sig);
    }
    let worst = [
        ("random bytes", Op::ParseKey, garbage.clone()),
        ("random bytes", Op::ParseSignature, garbage),
        ("cert + marker packets", Op::ParseKey, markers),
        ("cert + 128 KiB user id", Op::ParseKey, big_uid),
        ("cert + signatures to 128 KiB", Op::ParseKey, many_sigs),
    ];
    println!("\n| worst case ({max} B payload) | op | status | requests | µs/request |");
    println!("|---|---|---|---|---|");
    let mut p = Proc::spawn(&bin, opts());
    for (name, op, payload) in worst {
        let c = Case {
            name: name.to_string(),
            op,
            payload,
        };
        let req = request(op.raw(), 1, &c.payload);
        let status = pgp_umd_proto::Reply::read_from_bytes_status(&expected(&req));
        let (n, t) = lockstep(&mut p, &c, secs / 3.0);
        println!(
            "| {name} | {op:?} | {} | {n} | {:.1} |",
            pgp_umd_proto::Status::from_raw(status).map_or("?", |s| s.name()),
            t * 1e6 / n as f64
        );
    }
    let (_, hwm) = rss_kib(p.pid);
    println!("\npeak RSS after the worst cases: {hwm} KiB");
    let _ = p.wait();
}
