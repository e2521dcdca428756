#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Detached signature files with several signatures over ../sigs/data.txt,
# as a distribution's Release.gpg holds one per archive key: each is the
# concatenation of single-signature files of ../sigs (binary, or armor
# blocks one after another), and one part is made bad on purpose.
#
#   manifest.tsv  file, the parts in order, and gpg's verdict on each
#                 signature of the file (GOODSIG, BADSIG, ERRSIG, EXPKEYSIG
#                 from `gpg --status-fd`, keys of ../keys imported)
#
# Needs: gpg, python3. Deterministic: rerunning gives the same files.
set -euo pipefail
cd "$(dirname "$0")"
S=../sigs

# The last byte of the RSA signature value flipped: well-formed, with the
# right hash prefix, but the signature does not verify (gpg: BADSIG).
python3 - "$S/rsa4096-sha256-bin.sig" rsa4096-sha256-bad.part <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[-1] ^= 0x01
open(sys.argv[2], "wb").write(d)
PY

make() { # OUT PART...
    local out=$1
    shift
    cat "$@" >"$out"
    printf '%s\t%s\n' "$out" "$(printf '%s ' "$@" | sed 's|\.\./sigs/||g; s/ $//')" >>"$WORK/rows"
}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
make two-good.sig "$S/rsa2048-sha256-bin.sig" "$S/rsa4096-sha256-bin.sig"
make two-good.asc "$S/rsa2048-sha256-bin.asc" "$S/rsa4096-sha256-bin.asc"
make unsupported-and-good.sig "$S/ed25519-sha256-bin.sig" "$S/rsa2048-sha256-bin.sig"
make nokey-and-good.sig "$S/rsa2048-expired-sha256-bin.sig" "$S/rsa4096-sha256-bin.sig"
make good-and-bad.sig "$S/rsa2048-sha256-bin.sig" rsa4096-sha256-bad.part
make nokey-only.sig "$S/rsa2048-expired-sha256-bin.sig" "$S/ecdsa-brainpoolp256-sha256-bin.sig"

export GNUPGHOME="$WORK/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --import ../keys/*.asc 2>/dev/null || true
printf 'file\tparts\tgpg\n' >manifest.tsv
while IFS="$(printf '\t')" read -r f parts; do
    words=$(gpg --batch --status-fd 1 --verify "$f" ../sigs/data.txt 2>/dev/null |
        sed -nE 's/^\[GNUPG:\] (GOODSIG|BADSIG|ERRSIG|EXPKEYSIG|REVKEYSIG) .*/\1/p' |
        tr '\n' ' ' | sed 's/ $//' || true)
    printf '%s\t%s\t%s\n' "$f" "$parts" "$words" >>manifest.tsv
done <"$WORK/rows"
