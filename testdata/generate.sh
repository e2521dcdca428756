#!/usr/bin/env bash
# Regenerates the whole pgp-umd OpenPGP test corpus under testdata/.
#
# Needs: gpg (2.2), python3, cargo (builds testdata/generator with sequoia).
# CI never runs this script: its outputs are committed. Run it by hand after a
# change, review the diff, commit exactly one generated set.
#
# It is idempotent: it wipes and rewrites keys/, sigs/, v6/, v3/ and negative/.
# gpg's key material is random, so a rerun gives new keys; dates are fixed with
# --faked-system-time so creation/expiry/signature times are stable.
set -euo pipefail
export LC_ALL=C TZ=UTC

HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"

OUT_DIRS=(keys sigs v6 v3 negative secret)
rm -rf "${OUT_DIRS[@]}"
mkdir -p "${OUT_DIRS[@]}"

WORK=$(mktemp -d /tmp/pgp-umd-testdata.XXXXXX)
cleanup() {
    rc=$?
    if [ $rc != 0 ] && [ -f "$WORK/gpg.log" ]; then tail -5 "$WORK/gpg.log" >&2; fi
    for h in "$WORK"/home*; do
        [ -d "$h" ] && gpgconf --homedir "$h" --kill all >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# The generation keyring holds every secret key.
export GNUPGHOME="$WORK/home-gen"
mkdir -m 700 "$GNUPGHOME"
cat >"$GNUPGHOME/gpg.conf" <<'EOF'
no-auto-key-locate
no-emit-version
EOF

T2024='20240101T120000!'   # default creation time of every key: 1704110400
T2020='20200101T120000!'   # for expired keys/subkeys: 1577880000

gpgq() { # gpgq FAKETIME ARGS...
    local t=$1; shift
    gpg --batch --quiet --no-tty --passphrase '' --pinentry-mode loopback \
        --faked-system-time "$t" "$@" 2>>"$WORK/gpg.log"
}

fpr_of() { cat "$WORK/$1.fpr"; }

# newkey NAME TIME "UID" ALGO USAGE EXPIRE
newkey() {
    local name=$1 t=$2 uid=$3 algo=$4 usage=$5 exp=$6
    gpgq "$t" --quick-gen-key "$uid" "$algo" "$usage" "$exp"
    gpg --batch --with-colons --list-keys "=$uid" 2>/dev/null |
        awk -F: '/^fpr/{print $10; exit}' >"$WORK/$name.fpr"
    [ -s "$WORK/$name.fpr" ] || { echo "no fpr for $name" >&2; exit 1; }
}
# addsub NAME TIME ALGO USAGE EXPIRE
addsub() { gpgq "$2" --quick-add-key "$(fpr_of "$1")" "$3" "$4" "$5"; }

echo "== generating gpg keys"
newkey rsa2048 "$T2024" "RSA 2048 <rsa2048@test.pgp-umd.invalid>" rsa2048 cert,sign never
addsub rsa2048 "$T2024" rsa2048 encr never
newkey rsa3072 "$T2024" "RSA 3072 <rsa3072@test.pgp-umd.invalid>" rsa3072 cert,sign never
addsub rsa3072 "$T2024" rsa3072 encr never
newkey rsa4096 "$T2024" "RSA 4096 <rsa4096@test.pgp-umd.invalid>" rsa4096 cert,sign never
addsub rsa4096 "$T2024" rsa4096 encr never
newkey dsa3072-elg "$T2024" "DSA 3072 ElGamal <dsa3072@test.pgp-umd.invalid>" dsa3072 cert,sign never
addsub dsa3072-elg "$T2024" elg3072 encr never
newkey ecdsa-p256 "$T2024" "ECDSA P-256 <p256@test.pgp-umd.invalid>" nistp256 cert,sign never
addsub ecdsa-p256 "$T2024" nistp256 encr never
newkey ecdsa-p384 "$T2024" "ECDSA P-384 <p384@test.pgp-umd.invalid>" nistp384 cert,sign never
addsub ecdsa-p384 "$T2024" nistp384 encr never
newkey ecdsa-p521 "$T2024" "ECDSA P-521 <p521@test.pgp-umd.invalid>" nistp521 cert,sign never
addsub ecdsa-p521 "$T2024" nistp521 encr never
newkey ecdsa-brainpoolp256 "$T2024" "ECDSA brainpoolP256r1 <bp256@test.pgp-umd.invalid>" brainpoolP256r1 cert,sign never
addsub ecdsa-brainpoolp256 "$T2024" brainpoolP256r1 encr never
newkey ed25519 "$T2024" "Ed25519 legacy <ed25519@test.pgp-umd.invalid>" ed25519 cert,sign never
addsub ed25519 "$T2024" cv25519 encr never
# Certify-only primaries whose signing capability lives in a subkey.
newkey rsa-certonly-signsub "$T2024" "RSA certify-only <rsa-signsub@test.pgp-umd.invalid>" rsa3072 cert never
addsub rsa-certonly-signsub "$T2024" rsa3072 sign never
addsub rsa-certonly-signsub "$T2024" rsa3072 encr never
newkey ed25519-certonly-signsub "$T2024" "Ed25519 certify-only <ed-signsub@test.pgp-umd.invalid>" ed25519 cert never
addsub ed25519-certonly-signsub "$T2024" ed25519 sign never
addsub ed25519-certonly-signsub "$T2024" cv25519 encr never
# Two user ids.
newkey rsa2048-two-uids "$T2024" "Two Uids First <uid1@test.pgp-umd.invalid>" rsa2048 cert,sign never
gpgq "$T2024" --quick-add-uid "$(fpr_of rsa2048-two-uids)" "Two Uids Second <uid2@test.pgp-umd.invalid>"
# Expired: made in 2020, valid for one year.
newkey rsa2048-expired "$T2020" "RSA expired <expired@test.pgp-umd.invalid>" rsa2048 cert,sign 1y
addsub rsa2048-expired "$T2020" rsa2048 encr 1y
# Valid primary, signing subkey that expired in 2021.
newkey rsa2048-expired-subkey "$T2020" "RSA expired subkey <expired-sub@test.pgp-umd.invalid>" rsa2048 cert never
addsub rsa2048-expired-subkey "$T2020" rsa2048 sign 1y
# Revoked key (revocation applied below, after it made a signature).
newkey rsa2048-revoked "$T2024" "RSA revoked <revoked@test.pgp-umd.invalid>" rsa2048 cert,sign never
# Key with a revoked signing subkey and a valid one.
newkey rsa2048-revoked-subkey "$T2024" "RSA revoked subkey <revoked-sub@test.pgp-umd.invalid>" rsa2048 cert never
addsub rsa2048-revoked-subkey "$T2024" rsa2048 sign never
addsub rsa2048-revoked-subkey "$T2024" rsa2048 sign never
# Third-party certification: certifier signs certified's user id.
newkey rsa2048-certifier "$T2024" "RSA certifier <certifier@test.pgp-umd.invalid>" rsa2048 cert,sign never
newkey rsa2048-certified "$T2024" "RSA certified <certified@test.pgp-umd.invalid>" rsa2048 cert,sign never
gpgq '20240102T120000!' -u "$(fpr_of rsa2048-certifier)!" --quick-sign-key \
    "$(fpr_of rsa2048-certified)" "RSA certified <certified@test.pgp-umd.invalid>"

echo "== detached signatures (gpg, v4)"
cat >sigs/data.txt <<'EOF'
pgp-umd detached signature test data
This line ends with three spaces   
This line ends with a tab	
 
The line above holds a single space; the file uses LF line endings.
Last line.
EOF
python3 - <<'EOF'
d = bytearray(open("sigs/data.txt", "rb").read())
d[0] ^= 0x01  # 'p' -> 'q': one bit changed
open("sigs/data-flipped.txt", "wb").write(bytes(d))
EOF

printf 'file\tkey_file\tsigner_fingerprint\tsig_type\thash\tcreated_faked\tgpg_verify_data\tgpg_verify_flipped\n' >sigs/manifest.tsv

# sign NAME KEYNAME HASH MODE(bin|text) [TIME] [USER-SPEC]
sign() {
    local name=$1 key=$2 hash=$3 mode=$4 t=${5:-'20240301T120000!'}
    local user=${6:-$(fpr_of "$key")}
    local args=(--digest-algo "$hash" -u "$user")
    [ "$mode" = text ] && args+=(--textmode)
    gpgq "$t" "${args[@]}" --detach-sign -o "sigs/$name.sig" sigs/data.txt
    echo "$name $key $hash $mode $t" >>"$WORK/sigs.list"
}
for k in rsa2048 rsa4096; do
    for h in SHA256 SHA384 SHA512 SHA224 SHA1; do
        lh=$(echo "$h" | tr A-Z a-z)
        sign "$k-$lh-bin" "$k" "$h" bin
        sign "$k-$lh-text" "$k" "$h" text
    done
done
sign rsa3072-sha256-bin rsa3072 SHA256 bin
# gpg refuses an ECDSA hash shorter than the curve (no SHA-256 with P-384).
for h in SHA256 SHA384 SHA512; do
    lh=$(echo "$h" | tr A-Z a-z)
    sign "ecdsa-p256-$lh-bin" ecdsa-p256 "$h" bin
done
sign ecdsa-p256-sha256-text ecdsa-p256 SHA256 text
sign ecdsa-p384-sha384-bin ecdsa-p384 SHA384 bin
sign ecdsa-p384-sha512-bin ecdsa-p384 SHA512 bin
sign ecdsa-p384-sha384-text ecdsa-p384 SHA384 text
sign ecdsa-p521-sha512-bin ecdsa-p521 SHA512 bin
sign ecdsa-brainpoolp256-sha256-bin ecdsa-brainpoolp256 SHA256 bin
sign ed25519-sha256-bin ed25519 SHA256 bin
sign ed25519-sha512-text ed25519 SHA512 text
sign dsa3072-sha256-bin dsa3072-elg SHA256 bin
sign rsa-certonly-signsub-sha256-bin rsa-certonly-signsub SHA256 bin
sign rsa-certonly-signsub-sha512-text rsa-certonly-signsub SHA512 text
sign ed25519-certonly-signsub-sha256-bin ed25519-certonly-signsub SHA256 bin
# Made while the key was valid; the key is expired / revoked now.
sign rsa2048-expired-sha256-bin rsa2048-expired SHA256 bin '20200601T120000!'
sign rsa2048-expired-subkey-sha256-bin rsa2048-expired-subkey SHA256 bin '20200601T120000!'
sign rsa2048-revoked-sha256-bin rsa2048-revoked SHA256 bin
# By the signing subkey that gets revoked next (the "!" forces that subkey).
REVSUB=$(gpg --batch --with-colons --list-keys "$(fpr_of rsa2048-revoked-subkey)" |
    awk -F: '/^sub/{getline; print $10; exit}')
sign rsa2048-revoked-subkey-sha256-bin rsa2048-revoked-subkey SHA256 bin '20240301T120000!' "$REVSUB!"

# Revoke the first of the two signing subkeys (edit-key driven by command-fd).
printf 'key 1\nrevkey\ny\n1\nsubkey revoked for the test corpus\n\ny\nsave\n' |
    gpg --batch --no-tty --passphrase '' --pinentry-mode loopback --command-fd 0 \
        --faked-system-time '20240201T120000!' \
        --edit-key "$(fpr_of rsa2048-revoked-subkey)" >>"$WORK/gpg.log" 2>&1


# Now apply the revocation certificate gpg wrote at key creation.
REV="$GNUPGHOME/openpgp-revocs.d/$(fpr_of rsa2048-revoked).rev"
sed 's/^:-----BEGIN/-----BEGIN/' "$REV" >"$WORK/revoked.rev"
gpgq "$T2024" --import "$WORK/revoked.rev"

echo "== exporting keys"
KEYS=(rsa2048 rsa3072 rsa4096 dsa3072-elg ecdsa-p256 ecdsa-p384 ecdsa-p521
      ecdsa-brainpoolp256 ed25519 rsa-certonly-signsub ed25519-certonly-signsub
      rsa2048-two-uids rsa2048-expired rsa2048-expired-subkey rsa2048-revoked
      rsa2048-revoked-subkey rsa2048-certifier rsa2048-certified)
# colons FILE.pgp OUT: raw listing from a fresh keyring holding only FILE.pgp
colons() {
    local h="$WORK/home-list-$(basename "$1")"
    mkdir -m 700 "$h"
    gpg --homedir "$h" --batch --quiet --import "$1" 2>/dev/null
    gpg --homedir "$h" --batch --with-colons --with-subkey-fingerprints \
        --fingerprint --list-keys >"$2" 2>/dev/null
}
for k in "${KEYS[@]}"; do
    gpg --batch --export "$(fpr_of "$k")" >"keys/$k.pgp"
    gpg --batch --armor --export "$(fpr_of "$k")" >"keys/$k.asc"
    colons "keys/$k.pgp" "keys/$k.colons"
    gpg --batch --list-packets "keys/$k.pgp" >"keys/$k.packets" 2>/dev/null
    printf '%s\t%s\n' "$k" "$(fpr_of "$k")" >>"$WORK/keys.tsv"
done
# A distribution-style key file: several certificates in one file.
RING=(rsa2048 rsa4096 ecdsa-p256 ed25519 rsa-certonly-signsub)
RING_FPRS=(); for k in "${RING[@]}"; do RING_FPRS+=("$(fpr_of "$k")"); done
gpg --batch --export "${RING_FPRS[@]}" >keys/keyring.pgp
gpg --batch --armor --export "${RING_FPRS[@]}" >keys/keyring.asc
# The same certificates as consecutive armor blocks in one file.
for k in "${RING[@]}"; do cat "keys/$k.asc"; done >keys/keyring-multiblock.asc
colons keys/keyring.pgp keys/keyring.colons
gpg --batch --list-packets keys/keyring.pgp >keys/keyring.packets 2>/dev/null
{
    printf 'name\tfingerprint\n'
    cat "$WORK/keys.tsv"
    printf 'keyring\t%s\n' "$(IFS=,; echo "${RING_FPRS[*]}")"
} >keys/manifest.tsv

# Unprotected secret keys, only as inputs for the SECRET_KEY negative cases.
# Dedicated keys: no key of keys/ has its secret committed.
newkey secret-ed25519 "$T2024" "Secret Ed25519 <secret-ed25519@test.pgp-umd.invalid>" ed25519 cert never
addsub secret-ed25519 "$T2024" ed25519 sign never
addsub secret-ed25519 "$T2024" cv25519 encr never
newkey secret-rsa2048 "$T2024" "Secret RSA 2048 <secret-rsa2048@test.pgp-umd.invalid>" rsa2048 cert,sign never
for k in secret-ed25519 secret-rsa2048; do
    gpg --batch --passphrase '' --pinentry-mode loopback --export-secret-keys "$(fpr_of $k)" >"secret/$k.tsk.pgp"
done
# gpg's "secret subkeys only" form: a GNU-dummy primary secret key + secret subkeys.
gpg --batch --passphrase '' --pinentry-mode loopback --export-secret-subkeys "$(fpr_of secret-ed25519)" \
    >secret/secret-ed25519.secret-subkeys.pgp

echo "== armoring and checking signatures"
# Verify each signature with a keyring holding only its signer's certificate.
while read -r name key hash mode t; do
    h="$WORK/home-verify-$key"
    if [ ! -d "$h" ]; then
        mkdir -m 700 "$h"
        gpg --homedir "$h" --batch --quiet --import "keys/$key.pgp" 2>/dev/null
    fi
    python3 "$HERE/armor.py" SIGNATURE <"sigs/$name.sig" >"sigs/$name.asc"
    gpg --batch --list-packets "sigs/$name.sig" >"sigs/$name.packets" 2>/dev/null
    v1=$(gpg --homedir "$h" --batch --status-fd 1 --verify "sigs/$name.sig" sigs/data.txt 2>/dev/null |
         awk '/^\[GNUPG:\] (GOODSIG|BADSIG|EXPKEYSIG|REVKEYSIG|EXPSIG|ERRSIG)/{print $2; exit}' || true)
    v2=$(gpg --homedir "$h" --batch --status-fd 1 --verify "sigs/$name.sig" sigs/data-flipped.txt 2>/dev/null |
         awk '/^\[GNUPG:\] (GOODSIG|BADSIG|EXPKEYSIG|REVKEYSIG|EXPSIG|ERRSIG)/{print $2; exit}' || true)
    sigtype=00; [ "$mode" = text ] && sigtype=01
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name.sig" "keys/$key.pgp" "$(fpr_of "$key")" \
        "$sigtype" "$hash" "${t%!}" "$v1" "$v2" >>sigs/manifest.tsv
done <"$WORK/sigs.list"

if [ "${SKIP_GENERATOR:-}" = 1 ]; then exit 0; fi

echo "== v6 and v3 material (sequoia generator)"
cargo build --release --quiet --manifest-path generator/Cargo.toml
GEN=generator/target/release/pgp-umd-testdata-generator
"$GEN" v6 v6 sigs/data.txt
"$GEN" v3 v3 sigs/data.txt
# Prove the hand-encoded v3 signatures with gpg.
h="$WORK/home-v3"; mkdir -m 700 "$h"
gpg --homedir "$h" --batch --quiet --import v3/rsa3072-v4cert.pgp 2>/dev/null
for s in v3/*.sig; do
    gpg --batch --list-packets "$s" >"${s%.sig}.packets" 2>/dev/null
    {
        echo "# gpg --verify $(basename "$s") data.txt"
        gpg --homedir "$h" --batch --status-fd 1 --verify "$s" sigs/data.txt 2>&1 |
            grep -v '^gpg: WARNING: This key is not certified' || true
        echo "# gpg --verify $(basename "$s") data-flipped.txt"
        gpg --homedir "$h" --batch --status-fd 1 --verify "$s" sigs/data-flipped.txt 2>&1 || true
    } | sed -E 's/(\[GNUPG:\] (NEWSIG|KEY_CONSIDERED|TRUST_UNDEFINED)).*/\1/' >"${s%.sig}.gpg-verify.txt"
done

echo "== negative corpus"
python3 mutate.py
"$GEN" check negative >negative/sequoia-check.tsv
python3 mutate.py --sequoia-accepts

echo "done: $(find keys sigs v6 v3 negative -type f | wc -l) files, $(find keys sigs v6 v3 negative secret -type f -printf "%s\n" | awk "{s+=\$1} END {print s}") bytes"
