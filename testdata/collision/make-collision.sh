#!/usr/bin/env bash
# Regenerates testdata/collision/ (README.md here): two RSA certificates with
# one v4 key id, found by testdata/generator's `collision` search (about ten
# minutes on two cores), signatures by each naming only that key id, and two
# X.509 certificates whose subject key identifier is chosen to equal an
# OpenPGP key id and a whole fingerprint. The verdicts the VM test expects
# come from sq and gpg, recorded here. CI never runs this: its outputs are
# committed.
#
#   make-collision.sh                 search anew, then everything else
#   make-collision.sh --keep-keys     keep the certificates, signatures and
#                                     collision.json; redo the rest
set -euo pipefail
export LC_ALL=C TZ=UTC
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
DATA=../sigs/data.txt
FLIPPED=../sigs/data-flipped.txt
rm -f ./*.der ./*.colons ./verdicts.tsv
if [ "${1:-}" != --keep-keys ]; then
    rm -f ./*.pgp ./*.asc ./*.tsk ./*.sig ./collision.json
    # Built outside testdata/, which the VM harness copies into its initramfs.
    CARGO_TARGET_DIR=../../target/generator cargo run --quiet --release \
        --manifest-path ../generator/Cargo.toml -- collision "$HERE" "$DATA"
fi
WORK=$(mktemp -d /tmp/pgp-umd-collision.XXXXXX)
trap 'gpgconf --homedir "$WORK/gpg" --kill all >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

# gpg's own listing: both certificates valid, one key id, two fingerprints.
mkdir -m 700 "$WORK/gpg"
for c in a b; do
    gpg --homedir "$WORK/gpg" --batch --with-colons --show-keys "collision-$c.pgp" >"collision-$c.colons"
done
keyid=$(awk -F: '$1 == "pub" { print $5 }' collision-a.colons)
[ "$keyid" = "$(awk -F: '$1 == "pub" { print $5 }' collision-b.colons)" ] ||
    { echo "gpg lists two key ids" >&2; exit 1; }

# The decoys: self-signed X.509 certificates (the kernel's own parser takes
# them) whose subject key identifier is the colliding key id, and the whole
# fingerprint of the corpus key testdata/keys/rsa2048 (signer of
# sigs/rsa2048-sha256-bin.sig, which names its issuer by fingerprint).
rsa2048_fpr=$(awk -F: '$1 == "fpr" { print $10; exit }' ../keys/rsa2048.colons)
decoy() {
    local out=$1 skid=$2
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/decoy.key" \
        -subj "/CN=pgp-umd decoy $out" -days 36500 -sha256 \
        -addext "subjectKeyIdentifier=$(echo "$skid" | sed 's/../&:/g; s/:$//')" \
        -outform DER -out "$out.der" 2>/dev/null
    openssl x509 -inform DER -in "$out.der" -noout -ext subjectKeyIdentifier |
        tr -d ' :\n' | grep -qi "$skid" || { echo "$out: wrong SKID" >&2; exit 1; }
}
decoy decoy-keyid "$keyid"
decoy decoy-fingerprint "$rsa2048_fpr"

# What sq says of each signature with both certificates at hand (it tries
# every certificate with the issuer's key id), and what gpg says with both
# in its keyring (informational: gpg 2.2 checks the first key it finds).
gpg --homedir "$WORK/gpg" --batch --quiet --import collision-a.pgp collision-b.pgp 2>/dev/null
printf 'signature\tdata\tsq\tgpg\n' >verdicts.tsv
for c in a b; do
    for d in "$DATA" "$FLIPPED"; do
        if sq verify --signer-cert collision-a.pgp --signer-cert collision-b.pgp \
            --detached "collision-$c-keyid.sig" "$d" >/dev/null 2>&1; then
            sqv=good
        else
            sqv=bad
        fi
        if gpg --homedir "$WORK/gpg" --batch --status-fd 1 --verify \
            "collision-$c-keyid.sig" "$d" 2>/dev/null | grep -q '^\[GNUPG:\] GOODSIG'; then
            gpgv=good
        else
            gpgv=bad
        fi
        printf '%s\t%s\t%s\t%s\n' "collision/collision-$c-keyid.sig" \
            "sigs/$(basename "$d")" "$sqv" "$gpgv" >>verdicts.tsv
    done
done
cat verdicts.tsv
