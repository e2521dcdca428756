#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Ed25519 keys in the kernel (pgp_umd_ed25519.c, docs/kernel-api.md): keys
# added from gpg's v4 EdDSALegacy certificate and sequoia's v6 Ed25519 one
# get this module's asymmetric key subtype ("PGP.ed25519" in /proc/keys),
# and keyctl pkey_query and pkey_verify work on them: pkey_verify accepts
# each tool's signature over testdata's data (digest and R || S made from
# the signature files by testdata/pkey/make-pkey.py and checked there with
# the `cryptography` package, independent of this project) and refuses it
# with one bit flipped; other encodings and operations are refused. Each key
# holds a reference on pgp_umd until it is destroyed. The lying handler
# (handler/src/lies.rs) cannot get an Ed25519 key accepted. Ed448 is
# refused with ENOPKG (testdata/pkey/ed448-v6.pgp, make-ed448.py).
# (keyctl padd of every Ed25519 certificate with and without selectors:
# pgp_keys.sh; detached signatures and the EdDSA RPM: pgp_verify.sh.)
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader pgp_umd_loader_lying

d=$testdata/pkey
# Certificates the lying handler is given, 16 requests each (every lie twice).
lie_certs="keys/ed25519.pgp keys/ed25519-certonly-signsub.pgp v6/v6-ed25519.pgp
	v6/v6-ed25519-certonly-signsub.pgp"
ktap_plan 23

check "modprobe pgp_umd" modprobe pgp_umd
ring=$(keyctl newring pgp_ed25519 @u)
refcnt()
{
	cat /sys/module/pgp_umd/refcnt
}
before=$(refcnt)

v4=$(keyctl padd asymmetric "" "$ring" < "$testdata/keys/ed25519.pgp" 2>&1)
check "gpg's v4 EdDSALegacy certificate added" test "$v4" -gt 0
v6=$(keyctl padd asymmetric "" "$ring" < "$testdata/v6/v6-ed25519.pgp" 2>&1)
check "sequoia's v6 Ed25519 certificate added" test "$v6" -gt 0
check "each key holds a reference on pgp_umd" test "$(refcnt)" -eq $((before + 2))
line=$(grep "$(printf '%08x' "$v4")" /proc/keys)
echo "# $line"
check "/proc/keys shows the subtype's description" contains "$line" "PGP.ed25519"

q=$(keyctl pkey_query "$v4" 0 2>&1)
echo "$q" | sed 's/^/# /'
check "pkey_query: 256-bit key, 64-octet signatures" \
	sh -c 'contains() { printf "%s\n" "$1" | grep -qxF -- "$2"; }
		contains "$1" key_size=256 && contains "$1" max_sig_size=64 &&
		contains "$1" max_data_size=64' - "$q"
check "pkey_query: verify only" \
	sh -c 'contains() { printf "%s\n" "$1" | grep -qxF -- "$2"; }
		contains "$1" verify=y && contains "$1" sign=n &&
		contains "$1" encrypt=n && contains "$1" decrypt=n' - "$q"

check "pkey_verify accepts gpg's v4 EdDSALegacy signature (SHA-256)" \
	keyctl pkey_verify "$v4" 0 "$d/ed25519-sha256.digest" "$d/ed25519-sha256.sigvalue"
out=$(keyctl pkey_verify "$v4" 0 "$d/ed25519-sha256.digest" "$d/ed25519-sha256-flipped.sigvalue" 2>&1)
check "pkey_verify refuses it with one bit flipped (EKEYREJECTED)" \
	contains "$out" "Key was rejected by service"
check "pkey_verify accepts sequoia's v6 Ed25519 signature (SHA-256)" \
	keyctl pkey_verify "$v6" 0 "$d/v6-ed25519-sha256.digest" "$d/v6-ed25519-sha256.sigvalue"
out=$(keyctl pkey_verify "$v6" 0 "$d/v6-ed25519-sha256.digest" \
	"$d/v6-ed25519-sha256-flipped.sigvalue" 2>&1)
check "pkey_verify refuses it with one bit flipped (EKEYREJECTED)" \
	contains "$out" "Key was rejected by service"
out=$(keyctl pkey_verify "$v6" 0 "$d/ed25519-sha256.digest" "$d/ed25519-sha256.sigvalue" 2>&1)
check "pkey_verify refuses the v4 key's signature with the v6 key" \
	contains "$out" "Key was rejected by service"
check "pkey_verify with hash=sha256 named: same verdict" \
	keyctl pkey_verify "$v4" 0 "$d/ed25519-sha256.digest" "$d/ed25519-sha256.sigvalue" hash=sha256
out=$(keyctl pkey_verify "$v4" 0 "$d/ed25519-sha256.digest" "$d/ed25519-sha256.sigvalue" \
	enc=pkcs1 2>&1)
check "pkey_verify with enc=pkcs1 refused (ENOPKG)" contains "$out" "Package not installed"
head -c 65 /dev/zero > /tmp/pgp_ed25519.long
out=$(keyctl pkey_verify "$v4" 0 /tmp/pgp_ed25519.long "$d/ed25519-sha256.sigvalue" 2>&1)
check "pkey_verify of 65 octets refused (EINVAL: max_data_size)" contains "$out" "Invalid argument"
keyctl pkey_sign "$v4" 0 "$d/ed25519-sha256.digest" > /tmp/pgp_ed25519.sig 2> /tmp/pgp_ed25519.err
rc=$?
echo "# pkey_sign (exit $rc): $(cat /tmp/pgp_ed25519.err)"
check "pkey_sign refused, nothing written: a public key" \
	sh -c "test $rc -ne 0 && ! test -s /tmp/pgp_ed25519.sig"

keyctl clear "$ring"
n=0
while [ "$(refcnt)" -ne "$before" ] && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
check "the references are dropped once the keys are destroyed" test "$(refcnt)" -eq "$before"

out=$(keyctl padd asymmetric "" "$ring" < "$testdata/pkey/ed448-v6.pgp" 2>&1)
check "a v6 Ed448 certificate refused: no Ed448 here (ENOPKG)" contains "$out" "Package not installed"

# The lying handler.
rmmod pgp_umd_loader 2>/dev/null
check "modprobe pgp_umd_loader_lying" modprobe pgp_umd_loader_lying
ok=0
for f in $lie_certs; do
	for i in $(seq 1 16); do
		keyctl padd asymmetric "" "$ring" < "$testdata/$f" >/dev/null 2>&1 && ok=$((ok + 1))
	done
done
check "no Ed25519 certificate accepted from the lying handler" test "$ok" -eq 0
check "nothing was added by the lying handler" test "$(keyctl rlist "$ring" | wc -w)" -eq 0
rmmod pgp_umd_loader_lying
id=$(keyctl padd asymmetric "" "$ring" < "$testdata/v6/v6-ed25519.pgp" 2>&1)
check "the real handler adds it again" contains "$(keyctl describe "$id" 2>&1)" "asymmetric: PGP: "
check "and the key verifies" \
	keyctl pkey_verify "$id" 0 "$d/v6-ed25519-sha256.digest" "$d/v6-ed25519-sha256.sigvalue"
keyctl unlink "$ring" @u >/dev/null 2>&1
ktap_finished
