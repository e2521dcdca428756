//! Shared by the handler-binary tests and the pipe benchmark: building the
//! static binary, the corpus, requests, and a child process with a deadline.
#![allow(dead_code, unused_imports)]

use pgp_umd_parser::request;
use pgp_umd_proto::{
    reply_wire_size, Op, Reply, ReplyHeader, RequestHeader, ShortReply, REPLY_HEADER_SIZE,
    REPLY_SIZE,
};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use zerocopy::{FromBytes, IntoBytes};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// Builds `bin` of `package` static, as the kernel's blobs are built
/// (`runtime/build-static.sh`), and returns its path.
fn build(package: &str, bin: &str) -> Result<PathBuf, String> {
    let script = workspace_root().join("runtime/build-static.sh");
    let out = Command::new("bash")
        .arg(&script)
        .args([package, bin])
        .env_remove("RUSTFLAGS")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("running {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} {package} {bin} failed: {}",
            script.display(),
            out.status
        ));
    }
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let path = PathBuf::from(path);
    if !path.is_file() {
        return Err(format!(
            "{} did not produce {}",
            script.display(),
            path.display()
        ));
    }
    Ok(path)
}

/// The release-profile static handler, as the kernel loads it.
pub fn release_binary() -> PathBuf {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BIN.get_or_init(|| build("pgp-umd-handler", "pgp-umd-handler")) {
        Ok(p) => p.clone(),
        Err(e) => panic!("{e}"),
    }
}

/// The handler with the test-only ops (panic, forbidden system calls,
/// stall, allocation counter) of `test-handlers/` (tests only).
pub fn test_ops_binary() -> PathBuf {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BIN.get_or_init(|| build("pgp-umd-test-handlers", "pgp-umd-handler-test-ops")) {
        Ok(p) => p.clone(),
        Err(e) => panic!("{e}"),
    }
}

pub fn request(op: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
    let mut h = RequestHeader::new(Op::Health, seq, payload.len() as u32);
    h.op = op;
    let mut v = h.as_bytes().to_vec();
    v.extend_from_slice(payload);
    v
}

pub fn header_bytes(h: &RequestHeader) -> Vec<u8> {
    h.as_bytes().to_vec()
}

/// The library's reply to `request`, as the bytes the handler must send.
pub fn expected(request_bytes: &[u8]) -> Vec<u8> {
    let mut reply = Reply::zeroed();
    let mut short: ShortReply = zerocopy::FromZeros::new_zeroed();
    request::handle_bytes(request_bytes, &mut reply);
    let mut packed = [0u8; REPLY_SIZE];
    request::encode(&reply, &mut packed, &mut short).to_vec()
}

/// The size on the wire of the reply that starts with these bytes.
pub fn reply_size_at(reply_start: &[u8]) -> Option<usize> {
    ReplyHeader::read_from_prefix(reply_start)
        .ok()
        .and_then(|(h, _)| reply_wire_size(&h))
}

/// Splits a stream of replies; `None` unless it is whole replies only.
pub fn split_replies(mut out: &[u8]) -> Option<Vec<&[u8]>> {
    let mut replies = Vec::new();
    while !out.is_empty() {
        let size = reply_size_at(out)?;
        if out.len() < size {
            return None;
        }
        let (one, rest) = out.split_at(size);
        replies.push(one);
        out = rest;
    }
    Some(replies)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if name != "generator" && name != "target" {
                collect(&p, out);
            }
        } else if [".pgp", ".sig", ".gpg", ".bin", ".asc"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            out.push(p);
        }
    }
}

fn gpg_corpus() -> Vec<(String, Vec<u8>)> {
    let dir = std::env::temp_dir().join(format!("pgp-umd-handler-gpg-{}", std::process::id()));
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("temp dir");
    let gpg = |args: &[&str]| {
        let st = Command::new("gpg")
            .arg("--batch")
            .arg("--quiet")
            .arg("--homedir")
            .arg(&home)
            .args(["--pinentry-mode", "loopback", "--passphrase", ""])
            .args(args)
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("gpg must be installed when testdata/ is empty");
        assert!(st.success(), "gpg {args:?} failed");
    };
    std::fs::write(dir.join("data.txt"), b"signed data\n").expect("write");
    let mut out = Vec::new();
    for (uid, algo) in [("RSA <rsa@test>", "rsa4096"), ("Ed <ed@test>", "ed25519")] {
        gpg(&["--quick-gen-key", uid, algo, "sign", "0"]);
        let key = format!("{algo}.pgp");
        gpg(&["--output", &key, "--export", uid]);
        let sig = format!("{algo}.sig");
        gpg(&[
            "--local-user",
            uid,
            "--output",
            &sig,
            "--detach-sign",
            "data.txt",
        ]);
        for f in [key, sig] {
            out.push((f.clone(), std::fs::read(dir.join(&f)).expect("read")));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Every file of the corpus: `$PGP_UMD_CORPUS` or `testdata/` (keys/*.pgp,
/// sigs/*.sig and every other .pgp/.sig/.gpg/.bin/.asc below it); when there
/// is none yet, a few keys and signatures made with gpg.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    static CORPUS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let root = std::env::var_os("PGP_UMD_CORPUS")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("testdata"));
            let mut files = Vec::new();
            collect(&root, &mut files);
            if files.is_empty() {
                eprintln!(
                    "note: no corpus under {}; using keys generated with gpg",
                    root.display()
                );
                return gpg_corpus();
            }
            files
                .into_iter()
                .map(|p| {
                    let data = std::fs::read(&p).expect("read corpus file");
                    (p.display().to_string(), data)
                })
                .collect()
        })
        .clone()
}

/// A corpus file whose name contains `needle` and that parses as `op`.
pub fn pick(op: Op, needle: &str) -> Option<(String, Vec<u8>)> {
    corpus().into_iter().find(|(name, data)| {
        let mut reply = Reply::zeroed();
        request::handle_bytes(&request(op.raw(), 1, data), &mut reply);
        name.contains(needle) && reply.header.status == 0
    })
}

/// How to start the handler.
pub struct Opts {
    pub deadline: Duration,
    /// `None`: RUST_BACKTRACE removed; `Some(v)`: set to `v`.
    pub backtrace: Option<&'static str>,
    pub wrapper: Vec<String>,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            deadline: Duration::from_secs(30),
            backtrace: None,
            wrapper: Vec::new(),
        }
    }
}

/// A running handler with piped stdin/stdout/stderr and a watchdog that
/// kills it at the deadline (the test then fails, never hangs).
pub struct Proc {
    child: Arc<Mutex<Child>>,
    pub stdin: Option<ChildStdin>,
    pub stdout: ChildStdout,
    pub pid: u32,
    cancel: Option<mpsc::Sender<()>>,
    timed_out: Arc<Mutex<bool>>,
    deadline: Instant,
}

impl Proc {
    pub fn spawn(bin: &Path, opts: Opts) -> Proc {
        let (prog, args): (PathBuf, Vec<std::ffi::OsString>) = match opts.wrapper.split_first() {
            Some((w, rest)) => {
                let mut a: Vec<std::ffi::OsString> = rest.iter().map(Into::into).collect();
                a.push(bin.into());
                (PathBuf::from(w), a)
            }
            None => (bin.to_path_buf(), Vec::new()),
        };
        let mut cmd = Command::new(prog);
        cmd.args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match opts.backtrace {
            None => cmd.env_remove("RUST_BACKTRACE"),
            Some(v) => cmd.env("RUST_BACKTRACE", v),
        };
        let mut child = cmd.spawn().expect("spawn handler");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let pid = child.id();
        let child = Arc::new(Mutex::new(child));
        let timed_out = Arc::new(Mutex::new(false));
        let (tx, rx) = mpsc::channel::<()>();
        {
            let child = Arc::clone(&child);
            let timed_out = Arc::clone(&timed_out);
            let deadline = opts.deadline;
            std::thread::spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(deadline) {
                    if let Ok(mut t) = timed_out.lock() {
                        *t = true;
                    }
                    if let Ok(mut c) = child.lock() {
                        let _ = c.kill();
                    }
                }
            });
        }
        Proc {
            child,
            stdin,
            stdout,
            pid,
            cancel: Some(tx),
            timed_out,
            deadline: Instant::now() + opts.deadline,
        }
    }

    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self.stdin.as_mut() {
            Some(s) => s.write_all(bytes).and_then(|()| s.flush()),
            None => Err(std::io::Error::other("stdin closed")),
        }
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Reads one reply (its size follows from its header); `None` at end
    /// of output.
    pub fn reply(&mut self) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; REPLY_HEADER_SIZE];
        self.stdout.read_exact(&mut buf).ok()?;
        let size = reply_size_at(&buf)?;
        buf.resize(size, 0);
        self.stdout.read_exact(&mut buf[REPLY_HEADER_SIZE..]).ok()?;
        Some(buf)
    }

    /// Everything left on stdout until the handler closes it.
    pub fn rest(&mut self) -> Vec<u8> {
        let mut v = Vec::new();
        let _ = self.stdout.read_to_end(&mut v);
        v
    }

    pub fn alive(&self) -> bool {
        match self.child.lock() {
            Ok(mut c) => matches!(c.try_wait(), Ok(None)),
            Err(_) => false,
        }
    }

    pub fn kill(&self) {
        if let Ok(mut c) = self.child.lock() {
            let _ = c.kill();
        }
    }

    /// Closes stdin and waits for the exit; panics at the deadline.
    pub fn wait(mut self) -> (ExitStatus, Vec<u8>) {
        self.close_stdin();
        loop {
            let status = self
                .child
                .lock()
                .ok()
                .and_then(|mut c| c.try_wait().ok().flatten());
            if let Some(st) = status {
                if self.timed_out.lock().map(|t| *t).unwrap_or(false) {
                    panic!("handler did not finish before its deadline (killed)");
                }
                self.cancel = None;
                let mut err = Vec::new();
                if let Ok(mut c) = self.child.lock() {
                    if let Some(mut e) = c.stderr.take() {
                        let _ = e.read_to_end(&mut err);
                    }
                }
                return (st, err);
            }
            assert!(
                Instant::now() < self.deadline + Duration::from_secs(5),
                "handler did not exit before its deadline"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(mut c) = self.child.lock() {
            if matches!(c.try_wait(), Ok(None)) {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }
}

/// (VmRSS, VmHWM) in KiB from /proc/PID/status.
pub fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or_else(|| panic!("{name} missing in /proc/{pid}/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}
