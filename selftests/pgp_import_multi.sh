#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `pgp-umd keyring import` of files with several certificates
# (testdata/keys/keyring: five certificates as a binary keyring, as one
# armor block and as five armor blocks; docs/cli.md): every certificate is
# offered, one add_key call per key with that certificate alone, each
# certificate gets one line and the file a summary, and the exit status
# says whether every certificate had a key added. The expected keys are
# those testdata/vm/keys.tsv says this kernel adds for the five files
# alone with a `pgp:` selector (from gpg's facts and the documented
# policy), so an algorithm this kernel lacks shows as a certificate
# without a key the kernel took (exit status 1).
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
command -v pgp-umd >/dev/null || ktap_skip_all "pgp-umd is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

use_profile "$testdata/vm/keys.tsv"
kernel=$profile
members="rsa2048 rsa4096 ecdsa-p256 ed25519 rsa-certonly-signsub"
want_keys=0
want_certs=0
for m in $members; do
	n=$(awk -F'\t' -v k="$kernel" -v f="keys/$m.pgp" \
		'$1 == k && $2 == f && $3 ~ /^pgp:/ && $4 ~ /^ok / { n++ } END { print n + 0 }' \
		"$testdata/vm/keys.tsv")
	want_keys=$((want_keys + n))
	[ "$n" -gt 0 ] && want_certs=$((want_certs + 1))
done
want_status=1
[ "$want_certs" -eq 5 ] && want_status=0
echo "# expected: $want_certs of 5 certificates with $want_keys keys, exit status $want_status"

# modprobe; per file: exit status, added lines, keys in the keyring,
# summary line; the JSON form.
ktap_plan $((1 + 3 * 4 + 1))

check "modprobe pgp_umd" modprobe pgp_umd

out=/tmp/pgp_import_multi.out
i=0
for f in keyring.pgp keyring.asc keyring-multiblock.asc; do
	i=$((i + 1))
	path=$testdata/keys/$f
	ring=$(keyctl newring "import_multi_$i" @u)
	pgp-umd keyring import --keyring "$ring" "$path" > "$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	check "$f: exit status $want_status" test "$rc" -eq "$want_status"
	check "$f: $want_certs certificates with a key added" \
		test "$(grep -c '^added ' "$out")" -eq "$want_certs"
	check "$f: $want_keys keys in the keyring" \
		test "$(keyctl rlist "$ring" | wc -w)" -eq "$want_keys"
	check "$f: summary line" grep -qxF \
		"$path: 5 certificates: $want_certs added, $((5 - want_certs)) without a key the kernel took, 0 refused" \
		"$out"
	keyctl unlink "$ring" @u > /dev/null
done

ring=$(keyctl newring import_multi_json @u)
pgp-umd keyring import --json --keyring "$ring" "$testdata/keys/keyring.pgp" > "$out" 2>&1
sed 's/^/# /' "$out"
check "--json: one object per certificate" test "$(grep -c '^{' "$out")" -eq 5
keyctl unlink "$ring" @u > /dev/null

ktap_finished
