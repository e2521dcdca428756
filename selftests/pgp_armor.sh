#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ASCII armor as distributions ship key files (docs/kernel-api.md, "ASCII
# armor"), through keyctl padd: a key file with gpg's key listing before the
# armor and one PUBLIC KEY BLOCK (testdata/distro/listing-one.asc) is added,
# with and without a selector, LF and CRLF, and its key is the one gpg lists
# (listing-one.colons). Files with two and three key blocks decode to a
# keyring, which one padd refuses with ENOTUNIQ. A block of another kind in
# the same file, and base64 with non-zero trailing bits (which the kernel's
# base64_decode() would ignore), are refused with EBADMSG. Nothing is added
# by any refusal. Expectations do not depend on the kernel (RSA 2048).
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

distro=$testdata/distro
fpr=$(awk -F: '$1 == "fpr" { print $10; exit }' "$distro/listing-one.colons")
keyid=$(echo "$fpr" | cut -c25-40)
tmp=/tmp/pgp_armor
mkdir -p "$tmp"

keys_in_u()
{
	keyctl rlist @u 2>/dev/null | wc -w
}

ktap_plan 9

check "modprobe pgp_umd" modprobe pgp_umd

# added FILE SELECTOR DESCRIPTION: added, found by key id and fingerprint.
added()
{
	local out by_id by_fpr rc
	out=$(keyctl padd asymmetric "$2" @u < "$1" 2>&1)
	rc=$?
	by_id=$(keyctl search @u asymmetric "id:$keyid" 2>/dev/null)
	by_fpr=$(keyctl search @u asymmetric "id:$fpr" 2>/dev/null)
	if [ $rc -eq 0 ] && [ "$by_id" = "$out" ] && [ "$by_fpr" = "$out" ]; then
		ktap_ok "$3: added, found by key id and fingerprint"
	else
		echo "# rc=$rc out=$out by_id=$by_id by_fpr=$by_fpr"
		ktap_not_ok "$3: added, found by key id and fingerprint"
	fi
	[ $rc -eq 0 ] && keyctl unlink "$out" @u >/dev/null 2>&1
}

# refused FILE MESSAGE DESCRIPTION: refused with that strerror text, nothing added.
refused()
{
	local before out rc
	before=$(keys_in_u)
	out=$(keyctl padd asymmetric "" @u < "$1" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && contains "$out" "$2" && [ "$(keys_in_u)" = "$before" ]; then
		ktap_ok "$3: refused ($2)"
	else
		echo "# rc=$rc out=$out"
		ktap_not_ok "$3: refused ($2)"
		[ $rc -eq 0 ] && keyctl unlink "$out" @u >/dev/null 2>&1
	fi
}

added "$distro/listing-one.asc" "" "key listing before the armor"
added "$distro/listing-one.asc" "pgp:$fpr" "key listing before the armor, selector"
awk '{ printf "%s\r\n", $0 }' "$distro/listing-one.asc" > "$tmp/crlf.asc"
added "$tmp/crlf.asc" "" "the same with CRLF line ends"

# Several certificates in one payload: one padd adds one key (issue 19
# item 2 will change this; today the documented refusal).
refused "$distro/sentence-two.asc" "Name not unique on network" "two key blocks"
refused "$distro/three-crlf.asc" "Name not unique on network" "three key blocks, CRLF"

# A block of another kind is never decoded into the key payload.
{
	cat "$distro/listing-one.asc"
	sed 's/PUBLIC KEY BLOCK/PRIVATE KEY BLOCK/' "$testdata/keys/rsa2048.asc"
} > "$tmp/private.asc"
refused "$tmp/private.asc" "Bad message" "a PRIVATE KEY BLOCK after the key block"

# Canonical base64 only: the same key, last quantum "mEl=" for "mEk=" (the
# same octets to base64_decode(), the CRC still matches).
grep -q 'mEk=$' "$testdata/keys/rsa2048.asc" || echo "# rsa2048.asc changed: no mEk= line"
sed 's/mEk=$/mEl=/' "$testdata/keys/rsa2048.asc" > "$tmp/trailing.asc"
refused "$tmp/trailing.asc" "Bad message" "non-zero trailing base64 bits"

# Only text: not OpenPGP at all.
printf 'pub 2048R/8822D0D1 2024-01-01\nno armor here\n' > "$tmp/text.asc"
refused "$tmp/text.asc" "Bad message" "text without armor"

rm -rf "$tmp"
ktap_finished
