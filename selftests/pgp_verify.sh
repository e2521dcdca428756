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
# gives (from rpmkeys).
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

use_profile "$testdata/vm/signatures.tsv"
kernel=$profile
sigs=$(awk -F'\t' -v k="$kernel" '$1 == k' "$testdata/vm/signatures.tsv" | wc -l)
rpms=$(awk -F'\t' 'NR > 1' "$testdata/rpm/manifest.tsv" | wc -l)
# modprobe, the key import, the RPM key import, each signature row, the
# wrong-keyring check, the securityfs permissions, each RPM.
ktap_plan $((1 + 1 + 1 + sigs + 1 + 1 + rpms))

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
	got=$(pgp-umd rpm-verify --keyring "$rpmring" "$testdata/rpm/$rpm" 2>&1)
	case $want in
	OK*) pattern="$want" ;;	# OK <key id>
	NOSIG) pattern="NOSIG" ;;
	*) pattern="BAD" ;;	# BAD, NOKEY, UNSUPPORTED: never OK
	esac
	if contains "$got" "$pattern" && { [ "$pattern" != BAD ] || ! contains "$got" ": OK"; }; then
		ktap_ok "rpm-verify $rpm: $want"
	else
		echo "# got: $got"
		ktap_not_ok "rpm-verify $rpm: $want"
	fi
done < /tmp/pgp_rpm.rows

keyctl unlink "$ring" @u >/dev/null 2>&1
keyctl unlink "$rpmring" @u >/dev/null 2>&1
ktap_finished
