#!/usr/bin/env bash
# Builds the static, release-profile pgp-umd-handler (the blob the kernel
# loads) and prints its path on stdout:
#
#   handler/build-static.sh           -> target/static/x86_64-unknown-linux-gnu/release/pgp-umd-handler
#   handler/build-static.sh test-ops  -> target/static-test-ops/x86_64-unknown-linux-gnu/release/pgp-umd-handler
#                                        (tests only, never the blob)
#
# See runtime/build-static.sh for how +crt-static is scoped to this build.
set -euo pipefail
exec "$(dirname "$0")/../runtime/build-static.sh" pgp-umd-handler pgp-umd-handler "${1:-}"
