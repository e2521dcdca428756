//! The runtime reused by a second, tiny handler (examples/offset_umd.rs, the
//! shape of the kmod sample UMD), run as a real process: 4-byte requests,
//! 128 KiB replies, exact framing, SIGSYS-free exit, and the stall request.
//! The example's stall request needs the `test-ops` feature (enabled in
//! `cargo test --workspace` by test-handlers/).

use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn example() -> PathBuf {
    // Integration tests live in target/<profile>/deps; `cargo test` builds
    // examples into target/<profile>/examples.
    let exe = std::env::current_exe().expect("current_exe");
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target dir")
        .join("examples");
    let path = dir.join("offset_umd");
    assert!(path.is_file(), "{} not built", path.display());
    path
}

fn wait_deadline(child: &mut std::process::Child, secs: u64) -> std::process::ExitStatus {
    let end = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            return st;
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("handler did not exit in {secs} s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn offsets_answered_exactly() {
    let mut child = Command::new(example())
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let offsets = [0u32, 1, 4095, 65536, 131071, 7];
    // Two requests in one write, the others split in single bytes.
    let mut all = Vec::new();
    for o in offsets {
        all.extend_from_slice(&o.to_ne_bytes());
    }
    let writer = std::thread::spawn(move || {
        stdin.write_all(&all[..8]).expect("write");
        for b in &all[8..] {
            stdin.write_all(&[*b]).expect("write");
            stdin.flush().expect("flush");
        }
    });
    // Replies are read on a thread so the deadline below can kill a hung handler.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reply = vec![0u8; 128 * 1024];
        for _ in offsets {
            if stdout.read_exact(&mut reply).is_err() {
                return;
            }
            let ones: Vec<usize> = (0..reply.len()).filter(|&i| reply[i] != 0).collect();
            if tx.send(ones).is_err() {
                return;
            }
        }
    });
    for o in offsets {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(ones) => assert_eq!(ones, vec![o as usize]),
            Err(e) => {
                let _ = child.kill();
                panic!("no reply for offset {o}: {e}");
            }
        }
    }
    writer.join().expect("writer");
    let st = wait_deadline(&mut child, 10);
    assert_eq!(st.code(), Some(0), "{st:?}");
}

#[test]
fn out_of_range_exits_and_stall_stalls() {
    let mut child = Command::new(example())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(&(128u32 * 1024).to_ne_bytes())
        .expect("write");
    let st = wait_deadline(&mut child, 10);
    assert_eq!(st.code(), Some(6), "{st:?}");

    let mut child = Command::new(example())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(&u32::MAX.to_ne_bytes()).expect("write");
    stdin.write_all(&5u32.to_ne_bytes()).expect("write");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "stalled handler exited"
    );
    child.kill().expect("kill");
    let st = wait_deadline(&mut child, 10);
    assert_eq!(st.signal(), Some(9));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut out)
        .expect("read");
    assert!(out.is_empty());
}
