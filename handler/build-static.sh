#!/usr/bin/env bash
# Builds the static, release-profile pgp-umd-handler (the blob the kernel
# loads) and prints its path on stdout:
#
#   handler/build-static.sh  -> target/static/x86_64-unknown-linux-gnu/release/pgp-umd-handler
#
# The test-only handlers are binaries of test-handlers/ (runtime/build-static.sh
# pgp-umd-test-handlers BIN). See runtime/build-static.sh for how +crt-static
# is scoped to this build.
set -euo pipefail
exec "$(dirname "$0")/../runtime/build-static.sh" pgp-umd-handler pgp-umd-handler
