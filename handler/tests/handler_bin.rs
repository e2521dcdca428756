//! The static handler binary, driven through real pipes. Every test has a
//! deadline (the watchdog kills the handler and the test fails).

mod process;

use pgp_umd_proto::{
    Op, ReplyHeader, RequestHeader, Status, MAGIC, MAX_PAYLOAD, REQUEST_HEADER_SIZE, VERSION,
};
use process::*;
use std::os::unix::process::ExitStatusExt;
use std::time::Duration;
use zerocopy::FromBytes;

const EXIT_EOF: i32 = 0;
const EXIT_TRUNCATED: i32 = 5;
const EXIT_FRAMING: i32 = 6;
const EXIT_WRITE_ERROR: i32 = 4;

const OPS: [Op; 3] = [Op::Health, Op::ParseKey, Op::ParseSignature];

fn status_of(reply: &[u8]) -> (u32, u32) {
    let (h, _) = ReplyHeader::read_from_prefix(reply).expect("reply header");
    (h.status, h.seq)
}

fn spawn() -> Proc {
    Proc::spawn(&release_binary(), Opts::default())
}

#[test]
fn static_binary_is_static() {
    let bin = release_binary();
    let out = std::process::Command::new("file")
        .arg(&bin)
        .output()
        .expect("file(1)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("static"), "not static: {text}");
    let ldd = std::process::Command::new("ldd")
        .arg(&bin)
        .output()
        .expect("ldd");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&ldd.stdout),
        String::from_utf8_lossy(&ldd.stderr)
    );
    assert!(
        all.contains("statically linked") || all.contains("not a dynamic"),
        "{all}"
    );
    let size = std::fs::metadata(&bin).expect("stat").len();
    eprintln!("pgp-umd-handler size: {size} bytes");
    assert!(
        size <= 1_200_000,
        "static binary is {size} bytes (goal 1.2 MB)"
    );
}

#[test]
fn corpus_every_op_byte_identical() {
    let corpus = corpus();
    assert!(!corpus.is_empty());
    let mut p = spawn();
    let mut seq = 0u32;
    let mut ok = 0;
    for (name, data) in &corpus {
        for op in OPS {
            seq += 1;
            let req = request(op.raw(), seq, data);
            if data.len() > MAX_PAYLOAD as usize {
                continue;
            }
            p.send(&req).expect("send");
            let got = p
                .reply()
                .unwrap_or_else(|| panic!("no reply for {name} {op:?}"));
            assert!(got == expected(&req), "{name} {op:?}: reply differs");
            ok += usize::from(status_of(&got).0 == 0);
        }
    }
    let (st, _) = p.wait();
    assert_eq!(st.code(), Some(EXIT_EOF));
    eprintln!(
        "{} files x {} ops, {ok} OK replies",
        corpus.len(),
        OPS.len()
    );
    assert!(ok > 0, "no request of the corpus parsed");
}

fn sample_requests(n: u32) -> Vec<Vec<u8>> {
    let corpus = corpus();
    (0..n)
        .map(|i| {
            let (_, data) = &corpus[i as usize % corpus.len()];
            let op = OPS[i as usize % OPS.len()];
            request(op.raw(), 1000 + i, data)
        })
        .collect()
}

#[test]
fn requests_split_across_many_small_writes() {
    let reqs = sample_requests(12);
    let all: Vec<u8> = reqs.concat();
    let mut p = spawn();
    let writer = {
        let mut stdin = p.stdin.take().expect("stdin");
        std::thread::spawn(move || {
            use std::io::Write;
            for (i, chunk) in all.chunks(7).enumerate() {
                stdin.write_all(chunk).expect("write");
                stdin.flush().expect("flush");
                if i % 50 == 0 {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        })
    };
    for r in &reqs {
        assert_eq!(p.reply().expect("reply"), expected(r));
    }
    writer.join().expect("writer");
    let (st, _) = p.wait();
    assert_eq!(st.code(), Some(EXIT_EOF));
}

#[test]
fn several_requests_in_one_write() {
    let reqs = sample_requests(40);
    let all: Vec<u8> = reqs.concat();
    let mut p = spawn();
    let writer = {
        let mut stdin = p.stdin.take().expect("stdin");
        std::thread::spawn(move || {
            use std::io::Write;
            stdin.write_all(&all).expect("write");
        })
    };
    for r in &reqs {
        assert_eq!(p.reply().expect("reply"), expected(r));
    }
    writer.join().expect("writer");
    assert!(p.rest().is_empty());
    let (st, _) = p.wait();
    assert_eq!(st.code(), Some(EXIT_EOF));
}

#[test]
fn hundred_thousand_requests_without_rss_growth() {
    let (_, sig) = pick(Op::ParseSignature, "").expect("a signature in the corpus");
    let mut p = Proc::spawn(
        &release_binary(),
        Opts {
            deadline: Duration::from_secs(240),
            ..Opts::default()
        },
    );
    let req = request(Op::ParseSignature.raw(), 7, &sig);
    let want = expected(&req);
    // Warm up with the largest request so every buffer page is touched.
    let big = vec![0x99u8; MAX_PAYLOAD as usize];
    p.send(&request(Op::ParseKey.raw(), 1, &big)).expect("send");
    p.reply().expect("reply");
    p.send(&req).expect("send");
    assert_eq!(p.reply().expect("reply"), want);
    let (rss0, _) = rss_kib(p.pid);
    const BATCH: usize = 1000;
    let batch: Vec<u8> = req.repeat(BATCH);
    let mut stdin = p.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        for _ in 0..100 {
            stdin.write_all(&batch).expect("write");
        }
        stdin
    });
    for i in 0..100_000 {
        let got = p.reply().unwrap_or_else(|| panic!("no reply {i}"));
        assert!(got == want, "reply {i} differs");
    }
    let stdin = writer.join().expect("writer");
    let (rss1, hwm) = rss_kib(p.pid);
    p.stdin = Some(stdin);
    let (st, _) = p.wait();
    eprintln!("VmRSS before {rss0} KiB, after {rss1} KiB, VmHWM {hwm} KiB");
    assert_eq!(st.code(), Some(EXIT_EOF));
    assert!(rss1 <= rss0, "RSS grew from {rss0} to {rss1} KiB");
    assert!(hwm <= 4096, "peak RSS {hwm} KiB over 4 MiB");
}

#[test]
fn eof_at_start_exits_zero_silently() {
    let mut p = spawn();
    p.close_stdin();
    assert!(p.rest().is_empty());
    let (st, err) = p.wait();
    assert_eq!(st.code(), Some(EXIT_EOF));
    assert!(err.is_empty());
}

#[test]
fn unknown_op_and_bad_flags_answered_and_stream_continues() {
    let mut p = spawn();
    let payload = b"some payload bytes";
    let mut cases = Vec::new();
    let unknown = request(0x7777, 11, payload);
    cases.push((unknown, Status::UnknownOp));
    let mut h = RequestHeader::new(Op::ParseKey, 12, payload.len() as u32);
    h.flags = 1;
    let mut flags = header_bytes(&h);
    flags.extend_from_slice(payload);
    cases.push((flags, Status::BadFlags));
    h.flags = 0;
    h.reserved = 9;
    h.seq = 13;
    let mut reserved = header_bytes(&h);
    reserved.extend_from_slice(payload);
    cases.push((reserved, Status::BadFlags));
    // Test ops do not exist in the release binary.
    for (i, op) in (0xF001u16..=0xF006).enumerate() {
        cases.push((request(op, 20 + i as u32, &[]), Status::UnknownOp));
    }
    for (req, want) in &cases {
        p.send(req).expect("send");
        let got = p.reply().expect("reply");
        assert_eq!(got, expected(req));
        assert_eq!(status_of(&got).0, want.raw());
    }
    let health = request(Op::Health.raw(), 99, &[]);
    p.send(&health).expect("send");
    assert_eq!(status_of(&p.reply().expect("reply")), (0, 99));
    let (st, _) = p.wait();
    assert_eq!(st.code(), Some(EXIT_EOF));
}

/// An untrusted header: the status is answered, then the handler exits.
fn answered_then_exit(h: RequestHeader, want: Status) {
    let mut p = spawn();
    let mut req = header_bytes(&h);
    req.extend_from_slice(&[0u8; 64]);
    p.send(&req).expect("send");
    let got = p.reply().expect("an error reply");
    assert_eq!(status_of(&got), (want.raw(), h.seq));
    assert!(p.rest().is_empty(), "nothing after the error reply");
    let (st, _) = p.wait();
    assert_eq!(st.code(), Some(EXIT_FRAMING), "{st:?}");
}

#[test]
fn bad_magic_answered_then_exit() {
    let mut h = RequestHeader::new(Op::Health, 5, 0);
    h.magic = 0x1234_5678;
    answered_then_exit(h, Status::BadMagic);
}

#[test]
fn bad_version_answered_then_exit() {
    let mut h = RequestHeader::new(Op::Health, 6, 0);
    h.version = VERSION + 1;
    answered_then_exit(h, Status::BadVersion);
}

#[test]
fn oversized_payload_answered_then_exit() {
    for len in [MAX_PAYLOAD + 1, u32::MAX] {
        answered_then_exit(
            RequestHeader::new(Op::ParseKey, 7, len),
            Status::PayloadTooLarge,
        );
    }
    // With an unknown op as well, the op is what the library reports first.
    let mut h = RequestHeader::new(Op::ParseKey, 8, MAX_PAYLOAD + 1);
    h.op = 0x4444;
    answered_then_exit(h, Status::UnknownOp);
}

#[test]
fn max_payload_garbage_is_answered() {
    let mut p = spawn();
    let garbage: Vec<u8> = (0..MAX_PAYLOAD).map(|i| (i * 7 + 3) as u8).collect();
    for op in OPS {
        let req = request(op.raw(), 3, &garbage);
        p.send(&req).expect("send");
        let got = p.reply().expect("reply");
        assert_eq!(got, expected(&req));
        assert_ne!(status_of(&got).0, 0);
    }
    let (st, _) = p.wait();
    assert_eq!(st.code(), Some(EXIT_EOF));
}

#[test]
fn truncated_header_exits_without_reply() {
    let req = request(Op::Health.raw(), 1, &[]);
    for cut in [1, 10, REQUEST_HEADER_SIZE - 1] {
        let mut p = spawn();
        p.send(&req[..cut]).expect("send");
        p.close_stdin();
        assert!(p.rest().is_empty());
        let (st, _) = p.wait();
        assert_eq!(st.code(), Some(EXIT_TRUNCATED));
    }
}

#[test]
fn truncated_payload_answers_truncated_then_exits() {
    let (_, key) = pick(Op::ParseKey, "").expect("a key in the corpus");
    let req = request(Op::ParseKey.raw(), 77, &key);
    for cut in [REQUEST_HEADER_SIZE, REQUEST_HEADER_SIZE + 1, req.len() - 1] {
        let mut p = spawn();
        p.send(&req[..cut]).expect("send");
        p.close_stdin();
        let got = p.reply().expect("truncated reply");
        assert_eq!(status_of(&got), (Status::Truncated.raw(), 77));
        assert_eq!(got, expected(&req[..cut]));
        assert!(p.rest().is_empty());
        let (st, _) = p.wait();
        assert_eq!(st.code(), Some(EXIT_TRUNCATED));
    }
}

#[test]
fn garbage_streams_end_cleanly() {
    // A small deterministic generator; each stream is fed whole, then closed.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..40 {
        let len = (next() % 4096) as usize;
        let mut stream: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        // Half the streams start with a valid magic/version to go deeper.
        if round % 2 == 0 && stream.len() >= 8 {
            stream[..4].copy_from_slice(&MAGIC.to_ne_bytes());
            stream[4..6].copy_from_slice(&1u16.to_ne_bytes());
            stream[6..8].copy_from_slice(&((next() % 4) as u16).to_ne_bytes());
        }
        let mut p = spawn();
        let mut stdin = p.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let _ = stdin.write_all(&stream);
        });
        let out = p.rest();
        let _ = writer.join();
        let (st, _) = p.wait();
        assert!(
            split_replies(&out).is_some(),
            "round {round}: partial reply"
        );
        assert_eq!(st.signal(), None, "round {round}: killed by a signal");
        let code = st.code().unwrap_or(-1);
        assert!(
            [EXIT_EOF, EXIT_TRUNCATED, EXIT_FRAMING].contains(&code),
            "round {round}: exit {code}"
        );
    }
}

#[test]
fn closed_stdout_exits_with_write_error() {
    let mut p = spawn();
    let req = request(Op::Health.raw(), 1, &[]);
    p.send(&req).expect("send");
    p.reply().expect("reply");
    // Close our read end of its stdout, then ask again.
    let stdout = std::mem::replace(
        &mut p.stdout,
        // A placeholder: a second handler's stdout we never read.
        spawn_placeholder(),
    );
    drop(stdout);
    // Another test's child may hold the read end for an instant between its
    // fork and exec (close-on-exec), so one reply may still fit in the pipe:
    // keep asking until the handler is gone.
    for _ in 0..2000 {
        if p.send(&req).is_err() || !p.alive() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let (st, _) = p.wait();
    assert_eq!(st.code(), Some(EXIT_WRITE_ERROR), "{st:?}");
}

fn spawn_placeholder() -> std::process::ChildStdout {
    let mut child = std::process::Command::new("true")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn true");
    let out = child.stdout.take().expect("stdout");
    let _ = child.wait();
    out
}
