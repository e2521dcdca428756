//! The sample handler as a process: u32 offsets in, 128 KiB replies out,
//! exact framing; an offset out of range ends it without a reply.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REPLY_LEN: usize = 128 * 1024;

fn run(input: Vec<u8>) -> (Vec<u8>, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sample_umd"))
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        // Single bytes: the handler must assemble its 4-byte header.
        for b in input {
            if stdin.write_all(&[b]).is_err() {
                return;
            }
        }
    });
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut out)
        .expect("read");
    let _ = writer.join();
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            return (out, st.code());
        }
        assert!(Instant::now() < end, "handler did not exit");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn offsets_are_answered_exactly_then_eof_exits_cleanly() {
    let offsets = [0u32, 1, 4095, 65536, 131_071, 7];
    let input: Vec<u8> = offsets.iter().flat_map(|o| o.to_ne_bytes()).collect();
    let (out, code) = run(input);
    assert_eq!(out.len(), offsets.len() * REPLY_LEN);
    for (reply, &o) in out.chunks(REPLY_LEN).zip(&offsets) {
        let ones: Vec<usize> = (0..REPLY_LEN).filter(|&i| reply[i] != 0).collect();
        assert_eq!(ones, vec![o as usize]);
        assert_eq!(reply[o as usize], 1);
    }
    assert_eq!(code, Some(0), "end of input is a clean exit");
}

#[test]
fn out_of_range_offset_ends_without_reply() {
    for bad in [131_072u32, u32::MAX - 1, u32::MAX] {
        let mut input = 5u32.to_ne_bytes().to_vec();
        input.extend_from_slice(&bad.to_ne_bytes());
        let (out, code) = run(input);
        assert_eq!(out.len(), REPLY_LEN, "only the first request is answered");
        assert_eq!(code, Some(6), "framing error exit status for {bad:#x}");
    }
}
