#!/usr/bin/env bash
# Builds one UMD handler binary static (+crt-static, glibc), release profile,
# and prints its path on stdout. For any handler on umd-runtime:
#
#   runtime/build-static.sh PACKAGE BIN [FEATURES]
#
# Output: target/static[-FEATURES]/x86_64-unknown-linux-gnu/release/BIN
# (FEATURES with spaces or commas become dashes in the directory name).
#
# +crt-static is scoped to this one build: RUSTFLAGS with an explicit
# --target do not reach build scripts and proc-macros, and the separate
# target directory keeps every other build (tests, sanitizers, fuzzing)
# dynamic.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 PACKAGE BIN [FEATURES]" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
package=$1
bin=$2
features=${3:-}
triple=x86_64-unknown-linux-gnu
if [ -n "$features" ]; then
    dir="$root/target/static-$(printf '%s' "$features" | tr ' ,' '--')"
    feature_args=(--features "$features")
else
    dir="$root/target/static"
    feature_args=()
fi
# Panic locations of dependencies name their sources under $CARGO_HOME:
# remap it (and, should any path of the checkout appear, the checkout) so
# the bytes do not depend on who builds where (docs/install.md).
cargo_home=${CARGO_HOME:-$HOME/.cargo}
sep=$'\x1f'
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS
CARGO_ENCODED_RUSTFLAGS="-C${sep}target-feature=+crt-static${sep}--remap-path-prefix=$cargo_home=/cargo${sep}--remap-path-prefix=$root=/src" \
    cargo build --quiet --release --locked --manifest-path "$root/Cargo.toml" \
    --target "$triple" --target-dir "$dir" \
    -p "$package" --bin "$bin" "${feature_args[@]}" >&2
echo "$dir/$triple/release/$bin"
