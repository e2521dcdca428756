#!/usr/bin/env bash
# The part-2 campaign recorded in docs/fuzzing.md (C sanitizer and RPM
# reader targets): one job at a time (run.sh runs them in sequence, nice 19),
# half of the time without sanitizer (fast: coverage), half with
# AddressSanitizer (C and Rust: out-of-bounds reads). Most time goes to
# (b) c_reply_lies and (c) c_reply_honest. 8400 s of fuzzing in total.
set -u
cd "$(dirname "$0")"
./run.sh 1200 c_reply_lies
./run.sh 1200 c_reply_honest
./run.sh 600 c_sig_hashed
./run.sh 600 rpm_reader
./run.sh 300 c_dearmor
./run.sh 300 c_ed25519
./run.sh 1200 --asan c_reply_lies
./run.sh 1200 --asan c_reply_honest
./run.sh 600 --asan c_sig_hashed
./run.sh 600 --asan rpm_reader
./run.sh 300 --asan c_dearmor
./run.sh 300 --asan c_ed25519
echo CAMPAIGN DONE
