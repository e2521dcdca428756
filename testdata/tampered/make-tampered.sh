#!/usr/bin/env bash
# Makes testdata/tampered/: certificates with a subkey an attacker added or
# whose back-signature was forged, and gpg's and sq's verdict on each.
#
# Needs gpg (2.2), sq (0.27, Debian 12) and python3 (stdlib). Run by hand,
# review, commit; CI never runs it. It wipes and rewrites this directory's
# generated files. Key material is random per run; times are fixed with
# gpg's --faked-system-time. The secret keys live only in a temporary
# GNUPGHOME and are thrown away.
set -euo pipefail
export LC_ALL=C TZ=UTC
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
find . -maxdepth 1 -type f ! -name make-tampered.sh ! -name splice.py ! -name README.md -delete

WORK=$(mktemp -d /tmp/pgp-umd-tampered.XXXXXX)
cleanup() {
    for h in "$WORK"/home*; do
        [ -d "$h" ] && gpgconf --homedir "$h" --kill all >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
export GNUPGHOME="$WORK/home-gen"
mkdir -m 700 "$GNUPGHOME"

gpgq() { # gpgq FAKETIME ARGS...
    local t=$1; shift
    gpg --batch --quiet --no-tty --passphrase '' --pinentry-mode loopback \
        --faked-system-time "$t" "$@" 2>>"$WORK/gpg.log"
}
T1='20240101T120000!'   # 1704110400: every key and subkey but two
T1b='20240102T120000!'  # 1704196800: the victim's second signing subkey (newest of its own)
T2='20240601T120000!'   # 1717243200: the donor's signing subkey (newer)
fpr_of_uid() {
    gpg --batch --with-colons --list-keys "=$1" 2>/dev/null | awk -F: '/^fpr/{print $10; exit}'
}
# subkey fingerprints of a certificate, in order
subs_of() {
    gpg --batch --with-colons --with-subkey-fingerprints --list-keys "$1" 2>/dev/null |
        awk -F: '/^sub/{getline; print $10}'
}

# The victim: certify-only primary, two signing subkeys, an encryption
# subkey (a distribution-style certificate whose signing keys are subkeys).
U1="Tamper victim <victim@test.pgp-umd.invalid>"
gpgq "$T1" --quick-gen-key "$U1" rsa3072 cert never
VICTIM=$(fpr_of_uid "$U1")
gpgq "$T1" --quick-add-key "$VICTIM" rsa3072 sign never
gpgq "$T1b" --quick-add-key "$VICTIM" rsa3072 sign never
gpgq "$T1" --quick-add-key "$VICTIM" rsa3072 encr never
# The victim with a primary that signs itself, and one signing subkey.
U2="Tamper victim signing primary <victim-sign@test.pgp-umd.invalid>"
gpgq "$T1" --quick-gen-key "$U2" rsa3072 cert,sign never
VSIGN=$(fpr_of_uid "$U2")
gpgq "$T1" --quick-add-key "$VSIGN" rsa3072 sign never
# The attacker's donor: its signing subkey is newer than the victims' keys,
# so a selection that trusted it would prefer it.
U3="Tamper donor <donor@test.pgp-umd.invalid>"
gpgq "$T1" --quick-gen-key "$U3" rsa3072 cert,sign never
DONOR=$(fpr_of_uid "$U3")
gpgq "$T2" --quick-add-key "$DONOR" rsa3072 sign never

gpg --batch --export "$VICTIM" >victim.pgp
gpg --batch --export "$VSIGN" >victim-signing-primary.pgp
gpg --batch --export "$DONOR" >donor.pgp

# One detached signature over ../sigs/data.txt by every signing key,
# made before any tampering: gpg's verdict on it after importing a tampered
# certificate says whether gpg still takes that key.
{
    printf 'signature\tkey\n'
    for k in $(subs_of "$VICTIM" | head -2) "$VSIGN" $(subs_of "$VSIGN") $(subs_of "$DONOR"); do
        gpgq '20240701T120000!' --digest-algo SHA256 -u "$k!" --detach-sign \
            -o "sig-$k.sig" ../sigs/data.txt
        printf 'sig-%s.sig\t%s\n' "$k" "$k"
    done
} >signatures.tsv

python3 splice.py

# gpg's and sq's view of every file, each alone in a fresh keyring.
n=0
for f in *.pgp; do
    n=$((n + 1))
    h="$WORK/home-$n"
    mkdir -m 700 "$h"
    gpg --homedir "$h" --batch --quiet --import "$f" 2>"${f%.pgp}.gpg-import.txt" || true
    gpg --homedir "$h" --batch --with-colons --with-subkey-fingerprints \
        --fingerprint --list-keys >"${f%.pgp}.colons" 2>/dev/null || true
    gpg --homedir "$h" --batch --check-signatures --with-colons \
        >"${f%.pgp}.check-sigs" 2>/dev/null || true
    gpg --batch --list-packets "$f" >"${f%.pgp}.packets" 2>/dev/null || true
    sq inspect --certifications "$f" >"${f%.pgp}.sq-inspect.txt" 2>&1 || true
    sed -i "s|$HERE/||" "${f%.pgp}.sq-inspect.txt"
    {
        printf 'signature\tstatus\n'
        tail -n +2 signatures.tsv | while IFS="$(printf '\t')" read -r sig _; do
            st=$(gpg --homedir "$h" --batch --status-fd 1 --verify "$sig" ../sigs/data.txt 2>/dev/null |
                awk '/^\[GNUPG:\] (GOODSIG|BADSIG|EXPKEYSIG|REVKEYSIG|ERRSIG)/{sub(/^\[GNUPG:\] /, ""); print; exit}' || true)
            printf '%s\t%s\n' "$sig" "${st:-none}"
        done
    } >"${f%.pgp}.gpg-verify.tsv"
    tail -n +2 signatures.tsv | while IFS="$(printf '\t')" read -r sig _; do
        echo "# gpg --verify $sig ../sigs/data.txt"
        gpg --homedir "$h" --batch --status-fd 1 --verify "$sig" ../sigs/data.txt 2>&1 || true
    done | grep -v '^\[GNUPG:\] \(NEWSIG\|KEY_CONSIDERED\|SIG_ID\|TRUST_UNDEFINED\)' \
        >"${f%.pgp}.gpg-verify.txt"
    python3 ../armor.py "PUBLIC KEY BLOCK" <"$f" >"${f%.pgp}.asc"
done
python3 splice.py --manifest
echo "done: $(ls *.pgp | wc -l) certificates"
