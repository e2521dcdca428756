#!/usr/bin/env bash
# Makes the key of the add_key benchmark (selftests/pgp_add_key_bench.sh):
# one RSA-4096 key as an OpenPGP certificate (rsa4096.pgp: primary key
# certify+sign, one user id, its self-signature; no subkey) and as a
# self-signed X.509 certificate (rsa4096.der), so the kernel verifies one
# RSA-4096 SHA-256 signature for either.
#
# gpg generates the key; gpgsm (same gpg-agent) self-signs an X.509
# certificate with that very key (Key-Grip). The script fails unless
# openssl's modulus of the X.509 certificate equals gpg's RSA n of the
# OpenPGP key (gpg --with-key-data), and exponents match.
#
# Needs gpg, gpgsm (2.2), openssl. Run by hand, commit the outputs; CI never
# runs it. The secret key lives only in a temporary GNUPGHOME.
set -euo pipefail
export LC_ALL=C TZ=UTC
cd "$(dirname "$0")"
export GNUPGHOME
GNUPGHOME=$(mktemp -d /tmp/pgp-umd-bench.XXXXXX)
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
chmod 700 "$GNUPGHOME"

UID_="pgp-umd bench RSA 4096 <bench-rsa4096@test.pgp-umd.invalid>"
gpg --batch --quiet --passphrase '' --pinentry-mode loopback \
    --faked-system-time '20240101T120000!' --cert-digest-algo SHA256 \
    --quick-gen-key "$UID_" rsa4096 cert,sign never 2>/dev/null
FPR=$(gpg --batch --with-colons --list-keys 2>/dev/null | awk -F: '/^fpr/{print $10; exit}')
GRIP=$(gpg --batch --with-colons --with-keygrip --list-keys 2>/dev/null | awk -F: '/^grp/{print $10; exit}')
cat >"$GNUPGHOME/x509.params" <<PARAMS
Key-Type: RSA
Key-Grip: $GRIP
Key-Usage: sign
Name-DN: CN=pgp-umd bench RSA 4096,O=pgp-umd
Serial: 1
Hash-Algo: SHA256
Not-Before: 20240101T120000
Not-After: 21000101T000000
PARAMS
gpgsm --batch --quiet --pinentry-mode loopback --passphrase '' \
    -o rsa4096.der --gen-key "$GNUPGHOME/x509.params" 2>/dev/null
gpg --batch --export "$FPR" >rsa4096.pgp
gpg --batch --list-packets rsa4096.pgp >rsa4096.packets 2>/dev/null
openssl x509 -inform DER -in rsa4096.der -noout -text >rsa4096.x509.txt

# The same key in both: modulus and exponent.
pgp_n=$(gpg --batch --with-colons --with-key-data --list-keys "$FPR" 2>/dev/null |
    awk -F: '/^pkd:0:/{print toupper($4); exit}')
pgp_e=$(gpg --batch --with-colons --with-key-data --list-keys "$FPR" 2>/dev/null |
    awk -F: '/^pkd:1:/{print toupper($4); exit}')
x509_n=$(openssl x509 -inform DER -in rsa4096.der -noout -modulus | sed 's/^Modulus=//')
x509_e=$(openssl x509 -inform DER -in rsa4096.der -noout -text |
    awk '/Exponent:/{print $2; exit}')
[ -n "$pgp_n" ] && [ "$pgp_n" = "$x509_n" ] || { echo "modulus differs" >&2; exit 1; }
[ "$((16#$pgp_e))" = "$x509_e" ] || { echo "exponent differs: $pgp_e / $x509_e" >&2; exit 1; }
{
    printf 'openpgp_fingerprint\t%s\n' "$FPR"
    printf 'modulus_bits\t%s\n' "$(( ${#pgp_n} * 4 ))"
    printf 'modulus_sha256\t%s\n' "$(printf '%s' "$pgp_n" | sha256sum | cut -d' ' -f1)"
    printf 'exponent\t%s\n' "$x509_e"
    printf 'x509_sha256\t%s\n' "$(sha256sum rsa4096.der | cut -d' ' -f1)"
} >manifest.tsv
cat manifest.tsv
