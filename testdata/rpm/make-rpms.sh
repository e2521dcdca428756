#!/usr/bin/env bash
# Regenerates the RPM header-signature corpus under testdata/rpm/.
#
# Needs: rpm 4.18 (rpmbuild, rpmsign, rpmkeys; Debian's `rpm` package), gpg
# 2.2, python3 (stdlib), cargo (builds testdata/generator for the v3 case).
# CI never runs this script: its outputs are committed. Run it by hand, review
# the diff, commit one generated set. Keys are random on every run; key and
# signature times are fixed with gpg's --faked-system-time, and the package is
# built with SOURCE_DATE_EPOCH.
#
# Outputs (see testdata/README.md, "rpm/"):
#   keys/NAME.pgp, keys/NAME.asc   public certificates of the throwaway keys
#   *.rpm                          the packages
#   manifest.tsv                   expected verdicts
#   checksig.txt                   raw `rpmkeys --checksig -v` of every package
#   headers.tsv                    rpm's own SHA256HEADER / SIGSIZE per package
set -euo pipefail
export LC_ALL=C TZ=UTC

HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"

rm -rf keys ./*.rpm manifest.tsv checksig.txt headers.tsv
mkdir -p keys

WORK=$(mktemp -d /tmp/pgp-umd-rpm.XXXXXX)
cleanup() {
    rc=$?
    if [ $rc != 0 ] && [ -f "$WORK/log" ]; then tail -20 "$WORK/log" >&2; fi
    gpgconf --homedir "$WORK/gnupg" --kill all >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export GNUPGHOME="$WORK/gnupg"
mkdir -m 700 "$GNUPGHOME"
# rpmsign runs gpg itself: the keys have no passphrase, and batch mode with
# loopback pinentry keeps gpg from looking for a terminal.
cat >"$GNUPGHOME/gpg.conf" <<'EOF'
batch
pinentry-mode loopback
no-auto-key-locate
no-emit-version
EOF

KEY_TIME='20240101T120000!'   # 1704110400
SIG_TIME='20240301T120000!'   # 1709294400
SIG_UNIX=1709294400
export SOURCE_DATE_EPOCH=$SIG_UNIX

gpgq() { gpg --quiet --no-tty --passphrase '' --faked-system-time "$KEY_TIME" "$@" 2>>"$WORK/log"; }

# newkey NAME "UID" ALGO USAGE [SUBKEY-ALGO SUBKEY-USAGE]
newkey() {
    local name=$1 uid=$2
    gpgq --quick-gen-key "$uid" "$3" "$4" never
    gpg --with-colons --list-keys "=$uid" 2>/dev/null |
        awk -F: '/^fpr/{print $10; exit}' >"$WORK/$name.fpr"
    if [ $# -ge 6 ]; then gpgq --quick-add-key "$(cat "$WORK/$name.fpr")" "$5" "$6" never; fi
    gpg --export "$(cat "$WORK/$name.fpr")" >"keys/$name.pgp"
    gpg --armor --export "$(cat "$WORK/$name.fpr")" >"keys/$name.asc"
    # The 16-hex key id of the key that signs: the primary, or the signing subkey.
    gpg --with-colons --list-keys "$(cat "$WORK/$name.fpr")" 2>/dev/null |
        awk -F: '($1=="pub"||$1=="sub") && $12 ~ /s/ {id=$5} END {print id}' >"$WORK/$name.keyid"
}
fpr() { cat "$WORK/$1.fpr"; }
keyid() { cat "$WORK/$1.keyid"; }

echo "== keys"
newkey rpm-rsa2048 "pgp-umd RPM RSA 2048 <rpm-rsa2048@test.pgp-umd.invalid>" rsa2048 cert,sign
newkey rpm-rsa3072 "pgp-umd RPM RSA 3072 <rpm-rsa3072@test.pgp-umd.invalid>" rsa3072 cert,sign
newkey rpm-rsa4096 "pgp-umd RPM RSA 4096 <rpm-rsa4096@test.pgp-umd.invalid>" rsa4096 cert,sign
newkey rpm-rsa-signsub "pgp-umd RPM RSA certify-only <rpm-rsa-signsub@test.pgp-umd.invalid>" rsa3072 cert rsa3072 sign
newkey rpm-ed25519 "pgp-umd RPM Ed25519 <rpm-ed25519@test.pgp-umd.invalid>" ed25519 cert,sign
# Signs the wrong-key package; never imported into the verifying keyring.
newkey rpm-wrongkey "pgp-umd RPM wrong key <rpm-wrongkey@test.pgp-umd.invalid>" rsa2048 cert,sign
# The keys of the test keyring (all but the wrong key), as one armored file.
TRUSTED=(rpm-rsa2048 rpm-rsa3072 rpm-rsa4096 rpm-rsa-signsub rpm-ed25519)

echo "== building the package"
cat >"$WORK/pgp-umd-rpmtest.spec" <<'EOF'
Name: pgp-umd-rpmtest
Version: 1.0
Release: 1
Summary: pgp-umd RPM header signature test package
License: GPL-2.0-only
BuildArch: noarch

%description
A tiny package for the pgp-umd RPM header signature tests: one small file.

%install
mkdir -p %{buildroot}/usr/share/pgp-umd-rpmtest
echo 'pgp-umd RPM test payload' >%{buildroot}/usr/share/pgp-umd-rpmtest/hello.txt

%files
/usr/share/pgp-umd-rpmtest/hello.txt
EOF
rpmbuild -bb \
    --define "_topdir $WORK/rpmbuild" \
    --define 'use_source_date_epoch_as_buildtime 1' \
    --define 'clamp_mtime_to_source_date_epoch 1' \
    --define '_buildhost pgp-umd.invalid' \
    --define '_binary_payload w9.gzdio' \
    "$WORK/pgp-umd-rpmtest.spec" >>"$WORK/log" 2>&1
BASE="$WORK/rpmbuild/RPMS/noarch/pgp-umd-rpmtest-1.0-1.noarch.rpm"
cp "$BASE" unsigned.rpm

# rpmsign_as OUT KEYNAME HASH: copies the unsigned package and signs it.
# Debian's rpm defaults %__gpg to the absent gpg2; _gpg_digest_algo becomes
# gpg's --digest-algo (without it Debian's rpmsign makes SHA-512).
rpmsign_as() {
    local out=$1 key=$2 hash=$3
    cp "$BASE" "$out"
    rpmsign --addsign \
        --define '__gpg /usr/bin/gpg' \
        --define "_gpg_name $(fpr "$key")" \
        --define "_gpg_digest_algo $hash" \
        --define "_gpg_sign_cmd_extra_args --faked-system-time $SIG_TIME" \
        "$out" >>"$WORK/log" 2>&1
}

echo "== signing"
# The manifest rows: file, expected verdict, signer key file, notes.
ROWS=()
row() { ROWS+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"); }
row unsigned.rpm NOSIG - "built by rpmbuild, never signed"
for k in rsa2048 rsa3072 rsa4096; do
    for h in sha256 sha512; do
        rpmsign_as "$k-$h.rpm" "rpm-$k" "$h"
        row "$k-$h.rpm" "OK $(keyid "rpm-$k")" "keys/rpm-$k.asc" "RSA $(echo "$k" | tr -dc 0-9) v4 ${h^^} header signature, tag 268"
    done
done
rpmsign_as rsa-signsub-sha256.rpm rpm-rsa-signsub sha256
row rsa-signsub-sha256.rpm "OK $(keyid rpm-rsa-signsub)" keys/rpm-rsa-signsub.asc \
    "made by the RSA 3072 signing subkey of a certify-only primary; the key id is the subkey's"
rpmsign_as ed25519-sha256.rpm rpm-ed25519 sha256
row ed25519-sha256.rpm "OK $(keyid rpm-ed25519)" keys/rpm-ed25519.asc \
    "EdDSA (legacy, algorithm 22) in tag 267 DSAHEADER"
rpmsign_as wrongkey-sha256.rpm rpm-wrongkey sha256
row wrongkey-sha256.rpm "NOKEY $(keyid rpm-wrongkey)" keys/rpm-wrongkey.asc \
    "valid signature by a key that is not in the test keyring (rpm: NOKEY; kernel: -ENOKEY)"
python3 rpmedit.py header-byte rsa2048-sha256.rpm 1004 header-tampered.rpm
row header-tampered.rpm BAD keys/rpm-rsa2048.asc \
    "rsa2048-sha256.rpm with the case of the first SUMMARY byte flipped inside the signed header"
python3 rpmedit.py payload-byte rsa2048-sha256.rpm payload-tampered.rpm
row payload-tampered.rpm BAD keys/rpm-rsa2048.asc \
    "rsa2048-sha256.rpm with one payload byte changed: header signature good, payload digests (PAYLOADDIGEST, PAYLOADDIGESTALT) and MD5 bad"

echo "== v3 header signature (generator)"
cargo build --release --quiet --manifest-path ../generator/Cargo.toml
GEN=../generator/target/release/pgp-umd-testdata-generator
gpg --passphrase '' --export-secret-keys "$(fpr rpm-rsa3072)" >"$WORK/rsa3072.tsk"
cp "$BASE" "$WORK/v3-base.rpm"
rpmsign_as "$WORK/v3-base.rpm" rpm-rsa3072 sha256
python3 rpmedit.py region "$WORK/v3-base.rpm" "$WORK/region.bin"
"$GEN" v3-sign "$WORK/rsa3072.tsk" "$WORK/region.bin" sha256 "$SIG_UNIX" "$WORK/v3.sig"
python3 rpmedit.py set-sig "$WORK/v3-base.rpm" 268 "$WORK/v3.sig" v3-rsa3072-sha256.rpm
row v3-rsa3072-sha256.rpm "OK $(keyid rpm-rsa3072)" keys/rpm-rsa3072.asc \
    "rsa3072-sha256 with its tag 268 packet re-made as a v3 signature (RFC 4880 5.2.2) over the same header bytes, as RHEL-family packages carry"

echo "== tag 278 OPENPGP"
python3 - "$WORK/v4.sig" <<'EOF'
import struct, sys
d = open("rsa2048-sha256.rpm", "rb").read()
il = struct.unpack(">I", d[104:108])[0]
for i in range(il):
    tag, typ, off, count = struct.unpack(">IIiI", d[112 + 16 * i:128 + 16 * i])
    if tag == 268:
        start = 112 + 16 * il + off
        open(sys.argv[1], "wb").write(d[start:start + count])
EOF
python3 rpmedit.py set-sig rsa2048-sha256.rpm 278 "$WORK/v4.sig" openpgp-tag278.rpm
row openpgp-tag278.rpm "OK $(keyid rpm-rsa2048)" keys/rpm-rsa2048.asc \
    "rsa2048-sha256's packet moved from tag 268 to tag 278 OPENPGP (base64, string array); rpm 4.18 does not know tag 278 (NOSIG there)"

echo "== expected verdicts (rpmkeys)"
DB="$WORK/rpmdb"
mkdir "$DB"
for k in "${TRUSTED[@]}"; do
    rpmkeys --dbpath "$DB" --import "keys/$k.asc"
done
: >checksig.txt
printf 'file\texpected\tsigner_key\trpmkeys\tnotes\trpmkeys_K\n' >manifest.tsv
printf 'file\tsha256header\tsigsize\trpmkeys_header_sha256\n' >headers.tsv
for r in "${ROWS[@]}"; do
    IFS=$'\t' read -r f expected signer notes <<<"$r"
    out=$(rpmkeys --dbpath "$DB" --checksig -v "$f" 2>&1 || true)
    printf '%s\n' "$out" >>checksig.txt
    # rpm's verdict for the header signature: "Header V4 RSA/SHA256 Signature,
    # key ID 1234abcd: OK" -> "OK 1234abcd"; no such line -> NOSIG.
    rk=$(printf '%s\n' "$out" |
        sed -nE 's/^ *Header V[0-9]+ [A-Za-z0-9]+\/[A-Z0-9]+ Signature, key ID ([0-9a-f]+): ([A-Z]+).*/\2 \1/p' | head -1)
    [ -n "$rk" ] || rk=NOSIG
    # Keep the expected column honest: rpm's verdict must be the expected
    # one (key ids compared on the low 32 bits rpm prints), except for the
    # cases below.
    low32() { echo "$1" | tail -c 9 | tr A-F a-f; }
    case "$expected" in
    OK* | NOKEY*) rpm_should="${expected%% *} $(low32 "${expected#* }")" ;;
    BAD) rpm_should="BAD $(low32 "$(keyid rpm-rsa2048)")" ;;
    *) rpm_should=$expected ;;
    esac
    case "$f" in
    openpgp-tag278.rpm) rpm_should=NOSIG ;;                       # rpm 4.18 ignores tag 278
    payload-tampered.rpm) rpm_should="OK $(low32 "$(keyid rpm-rsa2048)")" ;; # the digests are bad
    esac
    # rpm's one-line verdict over signatures and digests (`rpmkeys -K`):
    # "digests signatures OK", "DIGESTS SIGNATURES NOT OK", ...
    k=$(rpmkeys --dbpath "$DB" --checksig "$f" 2>&1 | sed 's/^[^:]*: //' || true)
    case "$expected:$k" in
    OK*:*" OK" | NOSIG:*" OK" | UNSUPPORTED:*" OK") ;;
    BAD:*"NOT OK" | NOKEY*:*"NOT OK") ;;
    *)
        echo "$f: expected '$expected', but rpmkeys -K says '$k'" >&2
        exit 1
        ;;
    esac
    if [ "$rk" != "$rpm_should" ]; then
        echo "$f: expected '$expected', so rpmkeys should say '$rpm_should', but it says '$rk'" >&2
        exit 1
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$expected" "$signer" "$rk" "$notes" "$k" >>manifest.tsv
    hdr=$(rpm --dbpath "$DB" -qp --nosignature --nodigest --qf '%{SHA256HEADER}\t%{SIGSIZE}' "$f" 2>>"$WORK/log")
    hd=$(printf '%s\n' "$out" | sed -nE 's/^ *Header SHA256 digest: ([A-Z]+).*/\1/p')
    printf '%s\t%s\t%s\n' "$f" "$hdr" "$hd" >>headers.tsv
done

echo "done: $(ls ./*.rpm | wc -l) packages, $(cat ./*.rpm | wc -c) bytes"
