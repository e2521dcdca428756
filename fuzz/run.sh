#!/usr/bin/env bash
# Runs every fuzz target for TIME_PER_TARGET seconds each, one after the
# other, at the lowest CPU priority.
#
#   fuzz/run.sh TIME_PER_TARGET [--asan] [--no-differential] [TARGET...]
#
# Without TARGET: the part-1 (Rust) targets. The C sanitizer and RPM reader
# targets (c_dearmor c_reply_lies c_reply_honest c_sig_hashed c_ed25519 rpm_reader)
# are named explicitly; they need clang-14 (fuzz/build.rs). A target with
# its own dictionary fuzz/dict/TARGET.dict uses it, else openpgp.dict.
#
# Without --asan the targets build with `--sanitizer none` (stable rustc).
# With --asan they build with AddressSanitizer, which needs
# RUSTC_BOOTSTRAP=1 on a stable toolchain (set here).
# Each target runs in libFuzzer's fork mode with one job, ignoring crashes,
# so one finding does not end the run: artifacts land in
# fuzz/artifacts/TARGET/, the growing corpus in fuzz/corpus-work/TARGET/
# (seeded from the committed fuzz/corpus/TARGET/), logs in fuzz/logs/.
# Exit status: 1 if any target left a crash artifact, else 0.
set -euo pipefail
cd "$(dirname "$0")"

usage() { echo "usage: $0 TIME_PER_TARGET [--asan] [--no-differential] [TARGET...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
time_per_target=$1; shift
[[ $time_per_target =~ ^[0-9]+$ ]] || usage
asan=0; differential=1; targets=()
for a in "$@"; do
  case $a in
    --asan) asan=1 ;;
    --no-differential) differential=0 ;;
    -*) usage ;;
    *) targets+=("$a") ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=(packet_framing parse_key parse_signature armor request_bytes request_structured validator)
  [ $differential = 1 ] && targets+=(differential)
fi

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

san=(--sanitizer none)
if [ $asan = 1 ]; then
  san=(--sanitizer address)
  export RUSTC_BOOTSTRAP=1
fi

# cargo-fuzz sets RUSTFLAGS itself, which overrides any target rustflags of
# a .cargo/config.toml (so the handler's crt-static there cannot reach a
# fuzz build); a crt-static or other flags inherited in the environment
# would, and static glibc does not mix with the sanitizers: drop them.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
mkdir -p logs
stamp=$(date +%Y%m%d-%H%M%S)
found=0
for t in "${targets[@]}"; do
  feat=()
  # Own target directories, so that switching sanitizer or features never
  # rebuilds another configuration (sequoia alone takes ~5 min).
  # (The plain configuration uses cargo-fuzz's default, fuzz/target.)
  if [ "$t" = differential ]; then
    feat=(--features differential --target-dir target/diff-$([ $asan = 1 ] && echo asan || echo none))
  elif [ $asan = 1 ]; then
    feat=(--target-dir target/asan)
  fi
  work=corpus-work/$t
  mkdir -p "$work" "corpus/$t" "artifacts/$t"
  log=logs/$t-$([ $asan = 1 ] && echo asan || echo none)-$stamp.log
  echo "== $t: ${time_per_target}s $([ $asan = 1 ] && echo ASan) -> $log"
  before=$(find "artifacts/$t" -type f -name 'crash-*' | wc -l)
  # Build first (not niced: it is short), then fuzz at nice 19.
  cargo fuzz build "${san[@]}" "${feat[@]}" "$t"
  dict=dict/openpgp.dict
  [ -f "dict/$t.dict" ] && dict=dict/$t.dict
  nice -n 19 cargo fuzz run "${san[@]}" "${feat[@]}" "$t" "$work" "corpus/$t" -- \
    -dict="$dict" -max_total_time="$time_per_target" \
    -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
    -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 >"$log" 2>&1 || true
  after=$(find "artifacts/$t" -type f -name 'crash-*' | wc -l)
  grep -E '^#[0-9]+' "$log" | tail -1 || true
  if [ "$after" -gt "$before" ]; then
    echo "   $((after - before)) new crash artifact(s) in fuzz/artifacts/$t"
    found=1
  fi
done
exit $found
