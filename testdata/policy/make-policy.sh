#!/usr/bin/env bash
# Regenerates testdata/policy/: certificates shaped to test which
# self-signature decides a key's expiry and capabilities, revocations the
# kernel cannot evaluate, signature expiry, back-signatures and signature
# versions (README.md here). Made by testdata/generator (sequoia), which also
# records sequoia's verdicts (NAME.sequoia.json); gpg's verdicts are recorded
# here (NAME.colons, NAME.packets). CI never runs this: its outputs are
# committed.
set -euo pipefail
export LC_ALL=C TZ=UTC
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
rm -f ./*.pgp ./*.asc ./*.colons ./*.packets ./*.sequoia.json
# Built outside testdata/, which the VM harness copies into its initramfs.
CARGO_TARGET_DIR=../../target/generator cargo run --quiet --release --manifest-path ../generator/Cargo.toml -- policy "$HERE"
WORK=$(mktemp -d /tmp/pgp-umd-policy.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for f in ./*.pgp; do
    name=$(basename "$f" .pgp)
    home="$WORK/$name"
    mkdir -m 700 "$home"
    # A keyring holding only this certificate, listed at real time.
    gpg --homedir "$home" --batch --quiet --import "$f" 2>/dev/null || true
    gpg --homedir "$home" --batch --with-colons --with-subkey-fingerprints \
        --fingerprint --list-keys >"$name.colons" 2>/dev/null || true
    gpg --homedir "$home" --batch --list-packets "$f" >"$name.packets" 2>/dev/null || true
    gpgconf --homedir "$home" --kill all >/dev/null 2>&1 || true
done
ls ./*.pgp | wc -l
