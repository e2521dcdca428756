//! The C user-space tests really run under a memory checker: the
//! AddressSanitizer the drivers are built with (build_c_program) reports a
//! one-octet heap over-read, and the reply sanitizer's driver, built without
//! sanitizers, runs clean under Valgrind's memcheck (no invalid read, no use
//! of uninitialized values, no definite leak) on every reply of the corpus
//! and single-octet alterations of them. Both checkers are shown to report
//! a one-octet over-read, so neither can pass by not running.

mod common;

use common::{
    build_c_program, build_c_program_plain, meaningful_ranges, negative_corpus, push_base_record,
    reply_for, valid_corpus,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A program reading one octet past a 4-octet heap block (through memcpy,
/// which UBSan does not check), built by `build`.
fn overread_probe(name: &str, build: fn(&str, &[&str], &[&str]) -> PathBuf) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pgp-umd-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let src = dir.join("overread.c");
    std::fs::write(
        &src,
        "#include <stdlib.h>\n#include <string.h>\n\
         int main(int argc, char **argv)\n{\n\
         \tchar *p = malloc(4), buf[8];\n\n\
         \t(void)argv;\n\tmemset(p, 1, 4);\n\
         \tmemcpy(buf, p, argc + 4);\n\
         \treturn buf[4];\n}\n",
    )
    .expect("write probe");
    // An absolute path stays absolute when joined to kmod/pgp.
    let probe = build(name, &[src.to_str().expect("utf-8")], &[]);
    let _ = std::fs::remove_dir_all(&dir);
    probe
}

#[test]
fn asan_of_the_c_tests_reports_a_heap_over_read() {
    let probe = overread_probe("asan-probe", build_c_program);
    let out = Command::new(&probe).output().expect("run probe");
    let _ = std::fs::remove_file(&probe);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the over-read went unnoticed");
    assert!(
        stderr.contains("AddressSanitizer: heap-buffer-overflow"),
        "no ASan report: {stderr}"
    );
}

#[test]
fn memcheck_reports_a_heap_over_read() {
    let probe = overread_probe("memcheck-probe", build_c_program_plain);
    let out = memcheck(&probe, b"");
    let _ = std::fs::remove_file(&probe);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(99), "memcheck: {stderr}");
    assert!(
        stderr.contains("Invalid read"),
        "no memcheck report: {stderr}"
    );
}

/// Runs `program` under memcheck with `input` on stdin (the drivers read
/// all of it before answering); errors exit 99.
fn memcheck(program: &Path, input: &[u8]) -> Output {
    let mut child = Command::new("valgrind")
        .args([
            "--tool=memcheck",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
            "--track-origins=yes",
            "-q",
        ])
        .arg(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run valgrind (cargo xtask test installs it)");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input).expect("feed the program");
    }
    child.wait_with_output().expect("valgrind output")
}

#[test]
fn reply_sanitizer_driver_is_clean_under_valgrind_memcheck() {
    const SEQ: u32 = 7;
    let driver = build_c_program_plain(
        "reply-check-plain",
        &["pgp_reply.c", "user/reply_check_main.c"],
        &[],
    );
    let mut input = Vec::new();
    let mut records = 0;
    let mut cases = valid_corpus();
    cases.extend(negative_corpus());
    for (i, (path, op)) in cases.iter().enumerate() {
        let payload = std::fs::read(path).expect("read");
        let reply = reply_for(*op, SEQ, &payload);
        push_base_record(&mut input, *op, SEQ, &payload, &reply);
        records += 1;
        // Alterations of every 7th octet of the used rows of some replies.
        if i % 4 == 0 {
            for at in meaningful_ranges(&reply).into_iter().flatten().step_by(7) {
                input.push(b'P');
                input.extend_from_slice(&(at as u32).to_ne_bytes());
                input.push(0x80);
                records += 1;
            }
        }
    }
    let out = memcheck(&driver, &input);
    let _ = std::fs::remove_file(&driver);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "memcheck: {stderr}");
    let lines = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(lines, records, "one verdict per record");
}
