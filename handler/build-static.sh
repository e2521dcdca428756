#!/usr/bin/env bash
# Builds the static, release-profile pgp-umd-handler (the blob the kernel
# loads) and prints its path on stdout.
#
#   handler/build-static.sh              -> target/static/x86_64-unknown-linux-gnu/release/pgp-umd-handler
#   handler/build-static.sh test-ops     -> target/static-test-ops/.../pgp-umd-handler (tests only)
#
# +crt-static is scoped to this one build: RUSTFLAGS with an explicit
# --target do not reach build scripts and proc-macros, and the separate
# target directory keeps every other build (tests, sanitizers, fuzzing)
# dynamic. CARGO_TARGET_DIR for the other builds is not touched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
features=${1:-}
triple=x86_64-unknown-linux-gnu
if [ -n "$features" ]; then
    dir="$root/target/static-$features"
    feature_args=(--features "$features")
else
    dir="$root/target/static"
    feature_args=()
fi
unset CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS
RUSTFLAGS="-C target-feature=+crt-static" \
    cargo build --quiet --release --locked --manifest-path "$root/Cargo.toml" \
    --target "$triple" --target-dir "$dir" \
    -p pgp-umd-handler --bin pgp-umd-handler "${feature_args[@]}" >&2
echo "$dir/$triple/release/pgp-umd-handler"
