#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# OpenPGP signature verification in the kernel, through its securityfs
# interface: every corpus key is offered to a fresh keyring with
# `pgp-umd keyring import` (the kernel keeps the valid signing keys it can
# use), then every detached signature (v3, v4, v6; binary and text; every
# hash) is checked over its data and over a copy with one bit flipped, with
# the outcome testdata/vm/signatures.tsv gives for this kernel (from gpg's
# and sequoia's facts and the documented policy); then every test RPM goes
# through `pgp-umd rpm-verify` with the verdict testdata/rpm/manifest.tsv
# gives (from rpmkeys -K: signatures and digests), and each file of
# testdata/multisig (several signatures in one file) through `pgp-umd
# verify`, with the verdict its parts' rows give by the rule of docs/cli.md.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

use_profile "$testdata/vm/signatures.tsv"
kernel=$profile
sigs=$(awk -F'\t' -v k="$kernel" '$1 == k' "$testdata/vm/signatures.tsv" | wc -l)
rpms=$(awk -F'\t' 'NR > 1' "$testdata/rpm/manifest.tsv" | wc -l)
multi=$(awk -F'\t' 'NR > 1' "$testdata/multisig/manifest.tsv" | wc -l)
# modprobe, the key import, the RPM key import, each signature row, the
# wrong-keyring check, the securityfs permissions, each RPM, each
# several-signature file, standard input, a keyring by name, --json.
ktap_plan $((1 + 1 + 1 + sigs + 1 + 1 + rpms + multi + 3))

check "modprobe pgp_umd" modprobe pgp_umd

ring=$(keyctl newring pgp_verify @u)
# Every certificate file of the corpus (single certificates, armored).
keyfiles=$(ls "$testdata"/keys/*.asc "$testdata"/v6/*.asc "$testdata"/v3/*.asc |
	grep -v keyring | grep -v -- '-sha' | grep -v -- '-v3-')
pgp-umd keyring import --keyring "$ring" $keyfiles > /tmp/import.log 2>&1
sed 's/^/# /' /tmp/import.log
check "keyring import added keys" grep -q '^added ' /tmp/import.log

awk -F'\t' -v k="$kernel" '$1 == k { print $2 "\t" $3 "\t" $4 }' \
	"$testdata/vm/signatures.tsv" > /tmp/pgp_verify.rows
# The RPM keys go to a keyring of their own (the wrong-key case's key is not
# imported, on purpose).
rpmring=$(keyctl newring pgp_rpm @u)
pgp-umd keyring import --keyring "$rpmring" $(ls "$testdata"/rpm/keys/*.asc |
	grep -v wrongkey) > /tmp/rpmimport.log 2>&1
sed 's/^/# /' /tmp/rpmimport.log
check "RPM keys imported" grep -q '^added ' /tmp/rpmimport.log

while IFS="$(printf '\t')" read -r sig data want; do
	got=$(pgp-umd verify --keyring "$ring" "$testdata/$sig" "$testdata/$data" 2>&1)
	case $got in
	"$want"*) ktap_ok "$sig over $data: $want" ;;
	*)
		echo "# got: $got"
		ktap_not_ok "$sig over $data: $want"
		;;
	esac
done < /tmp/pgp_verify.rows

got=$(pgp-umd verify --keyring "$rpmring" "$testdata/sigs/rsa2048-sha256-bin.sig" \
	"$testdata/sigs/data.txt" 2>&1)
check "a key in another keyring is not found (ENOKEY)" contains "$got" "FAIL ENOKEY"
check "the verify file is root-only (0600)" \
	sh -c 'ls -l /sys/kernel/security/pgp_umd/verify | grep -q "^-rw-------"'

awk -F'\t' 'NR > 1 { print $1 "\t" $2 }' "$testdata/rpm/manifest.tsv" > /tmp/pgp_rpm.rows
while IFS="$(printf '\t')" read -r rpm want; do
	got=$(pgp-umd rpm-verify -v --keyring "$rpmring" "$testdata/rpm/$rpm" 2>&1)
	rc=$?
	case $want in
	OK*) pattern="$want" code=0 ;;	# OK <key id>
	NOSIG) pattern="NOSIG" code=1 ;;
	*) pattern="BAD" code=1 ;;	# BAD, NOKEY, UNSUPPORTED: never OK
	esac
	if contains "$got" ": $pattern" && [ "$rc" -eq "$code" ] &&
		{ [ "$pattern" != BAD ] || ! contains "$got" ": OK "; }; then
		ktap_ok "rpm-verify $rpm: $want"
	else
		echo "# got (exit $rc): $got" | sed '2,$s/^/# /'
		ktap_not_ok "rpm-verify $rpm: $want"
	fi
done < /tmp/pgp_rpm.rows

# The expected line of one part of a several-signature file on this kernel:
# its row above; the part made bad on purpose does not verify (gpg: BADSIG).
expect_part() {
	case $1 in
	*.part) echo "FAIL EKEYREJECTED" ;;
	*) awk -F'\t' -v k="$kernel" -v s="sigs/${1%.*}.sig" \
		'$1 == k && $2 == s && $3 == "sigs/data.txt" { print $4 }' \
		"$testdata/vm/signatures.tsv" ;;
	esac
}
awk -F'\t' 'NR > 1 { print $1 "\t" $2 }' "$testdata/multisig/manifest.tsv" > /tmp/pgp_multi.rows
while IFS="$(printf '\t')" read -r f parts; do
	# docs/cli.md: a bad signature fails the file; else a good one passes
	# it; else the first signature's failure decides.
	bad='' ok='' first='' n=0
	for p in $parts; do
		e=$(expect_part "$p")
		n=$((n + 1))
		[ -n "$first" ] || first=$e
		case $e in
		OK*) [ -n "$ok" ] || ok=$e ;;
		"FAIL ENOKEY" | "FAIL ENOPKG") ;;
		*) [ -n "$bad" ] || bad=$e ;;
		esac
	done
	want=${bad:-${ok:-$first}}
	case $want in OK*) code=0 ;; *) code=1 ;; esac
	got=$(pgp-umd verify --keyring "$ring" "$testdata/multisig/$f" "$testdata/sigs/data.txt" 2>&1)
	rc=$?
	lines=$(printf '%s\n' "$got" | grep -c '^  signature [0-9]* of [0-9]*: ')
	case $got in
	"$want"*) good=$([ "$rc" -eq "$code" ] && [ "$lines" -eq "$n" ] && echo y) ;;
	*) good='' ;;
	esac
	if [ -n "$good" ]; then
		ktap_ok "several signatures $f: $want"
	else
		echo "# got (exit $rc): $got" | sed '2,$s/^/# /'
		ktap_not_ok "several signatures $f: $want"
	fi
done < /tmp/pgp_multi.rows

got=$(pgp-umd verify --keyring "$ring" - "$testdata/sigs/data.txt" \
	< "$testdata/sigs/rsa2048-sha256-bin.sig" 2>&1)
check "a signature from standard input" contains "$got" "OK B77FA5D48822D0D1"
got=$(pgp-umd verify --keyring pgp_verify "$testdata/sigs/rsa2048-sha256-bin.sig" \
	"$testdata/sigs/data.txt" 2>&1)
check "a keyring by name" contains "$got" "OK B77FA5D48822D0D1"
got=$(pgp-umd rpm-verify --json --keyring "$rpmring" "$testdata/rpm/payload-tampered.rpm" 2>&1)
check "rpm-verify --json: payload-tampered BAD, signature OK" sh -c \
	'printf "%s" "$1" | grep -q "\"verdict\":\"BAD\"" &&
	 printf "%s" "$1" | grep -q "signature, key ID 220E67D5813F6BD1\",\"key_id\":\"220E67D5813F6BD1\",\"status\":\"OK\""' \
	sh "$got"

keyctl unlink "$ring" @u >/dev/null 2>&1
keyctl unlink "$rpmring" @u >/dev/null 2>&1
ktap_finished
