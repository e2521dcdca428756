#!/usr/bin/env bash
# CI smoke for the fuzz targets (stable toolchain, no sanitizer, but see 3.):
#   1. replays every committed corpus fuzz/corpus/TARGET through its target;
#   2. fuzzes each non-differential target for SMOKE_SECONDS (default 10),
#      starting from that corpus, new inputs going to a temporary directory.
#   3. the C targets (kmod/pgp's C built by clang-14 through fuzz/build.rs)
#      and the RPM reader are among them; their corpora are also replayed in
#      an AddressSanitizer build (RUSTC_BOOTSTRAP=1), which is what sees an
#      out-of-bounds read in the C (SMOKE_ASAN=0 skips this part).
# Exits non-zero on any crash, panic, leak of an invariant, or build failure.
# The differential target (sequoia, ~5 min to build) and sanitizer builds
# run in the campaign (fuzz/run.sh), not here; `--with-differential` adds
# the differential target's corpus replay.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SMOKE_SECONDS:-10}
c_targets=(c_dearmor c_reply_lies c_reply_honest c_sig_hashed c_ed25519 rpm_reader)
targets=(packet_framing parse_key parse_signature armor request_bytes request_structured validator
  "${c_targets[@]}")

# `cargo xtask test` installs clang-14 and libclang-rt-14-dev (xtask/src/hostpkgs.rs).
command -v "${FUZZ_CC:-clang-14}" >/dev/null \
  || { echo "smoke: ${FUZZ_CC:-clang-14} missing (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 1; }
if ! command -v cargo-fuzz >/dev/null; then
  echo "smoke: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# cargo-fuzz sets RUSTFLAGS itself, which overrides any target rustflags of
# a .cargo/config.toml (so the handler's crt-static there cannot reach a
# fuzz build); a crt-static or other flags inherited in the environment
# would, and static glibc does not mix with the sanitizers: drop them.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
start=$SECONDS
cargo fuzz build --sanitizer none
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in "${targets[@]}"; do
  [ -d "corpus/$t" ] || { echo "smoke: no corpus for $t" >&2; exit 1; }
  echo "smoke: $t: replay $(ls "corpus/$t" | wc -l) inputs"
  cargo fuzz run --sanitizer none "$t" "corpus/$t" -- -runs=0 >"$scratch/$t.replay.log" 2>&1 \
    || { tail -40 "$scratch/$t.replay.log"; echo "smoke: $t: corpus replay FAILED" >&2; exit 1; }
  echo "smoke: $t: fuzz ${seconds}s"
  mkdir -p "$scratch/$t"
  dict=dict/openpgp.dict
  [ -f "dict/$t.dict" ] && dict=dict/$t.dict
  cargo fuzz run --sanitizer none "$t" "$scratch/$t" "corpus/$t" -- \
    -dict="$dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    >"$scratch/$t.fuzz.log" 2>&1 \
    || { tail -40 "$scratch/$t.fuzz.log"; echo "smoke: $t: fuzzing FAILED (artifact in fuzz/artifacts/$t)" >&2; exit 1; }
  grep -E '^Done|^#[0-9]+.*(DONE|pulse)' "$scratch/$t.fuzz.log" | tail -1 || true
done
if [ "${SMOKE_ASAN:-1}" != 0 ]; then
  echo "smoke: ASan build of the C and RPM targets"
  RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer address --target-dir target/asan
  for t in "${c_targets[@]}"; do
    echo "smoke: $t: ASan replay $(ls "corpus/$t" | wc -l) inputs"
    RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer address --target-dir target/asan "$t" "corpus/$t" \
      -- -runs=0 -rss_limit_mb=4096 >"$scratch/$t.asan.log" 2>&1 \
      || { tail -40 "$scratch/$t.asan.log"; echo "smoke: $t: ASan corpus replay FAILED" >&2; exit 1; }
  done
fi
if [ "${1:-}" = --with-differential ]; then
  echo "smoke: differential: replay"
  cargo fuzz run --sanitizer none --features differential --target-dir target/diff-none \
    differential corpus/differential -- -runs=0 >"$scratch/diff.log" 2>&1 \
    || { tail -40 "$scratch/diff.log"; echo "smoke: differential replay FAILED" >&2; exit 1; }
fi
echo "smoke: all targets passed in $((SECONDS - start))s"
