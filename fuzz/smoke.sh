#!/usr/bin/env bash
# CI smoke for the fuzz targets (stable toolchain, no sanitizer):
#   1. replays every committed corpus fuzz/corpus/TARGET through its target;
#   2. fuzzes each non-differential target for SMOKE_SECONDS (default 10),
#      starting from that corpus, new inputs going to a temporary directory.
# Exits non-zero on any crash, panic, leak of an invariant, or build failure.
# The differential target (sequoia, ~5 min to build) and sanitizer builds
# run in the campaign (fuzz/run.sh), not here; `--with-differential` adds
# the differential target's corpus replay.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SMOKE_SECONDS:-10}
targets=(packet_framing parse_key parse_signature armor request_bytes request_structured validator)

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
  cargo fuzz run --sanitizer none "$t" "$scratch/$t" "corpus/$t" -- \
    -dict=dict/openpgp.dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    >"$scratch/$t.fuzz.log" 2>&1 \
    || { tail -40 "$scratch/$t.fuzz.log"; echo "smoke: $t: fuzzing FAILED (artifact in fuzz/artifacts/$t)" >&2; exit 1; }
  grep -E '^Done|^#[0-9]+.*(DONE|pulse)' "$scratch/$t.fuzz.log" | tail -1 || true
done
if [ "${1:-}" = --with-differential ]; then
  echo "smoke: differential: replay"
  cargo fuzz run --sanitizer none --features differential --target-dir target/diff-none \
    differential corpus/differential -- -runs=0 >"$scratch/diff.log" 2>&1 \
    || { tail -40 "$scratch/diff.log"; echo "smoke: differential replay FAILED" >&2; exit 1; }
fi
echo "smoke: all targets passed in $((SECONDS - start))s"
