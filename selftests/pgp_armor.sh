#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ASCII armor as distributions ship key files (docs/kernel-api.md, "ASCII
# armor"), through keyctl padd: a key file with gpg's key listing before the
# armor and one PUBLIC KEY BLOCK (testdata/distro/listing-one.asc) is added,
# with and without a selector, LF and CRLF, and its key is the one gpg lists
# (listing-one.colons). Files with two and three key blocks decode to a
# keyring, which one padd refuses with ENOTUNIQ without a selector and
# from which it adds the named key with one. A block of another kind in
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


ktap_plan 13

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

# Several certificates in one payload: without a selector, which key to add
# would be a guess, so it is refused; with a pgp:<fingerprint> selector the
# certificate that holds that key decides (docs/kernel-api.md).
refused "$distro/sentence-two.asc" "Name not unique on network" "two key blocks"
refused "$distro/three-crlf.asc" "Name not unique on network" "three key blocks, CRLF"

# selected FILE COLONS DESCRIPTION: each key gpg lists (all valid RSA) is
# added by its fingerprint when gpg says it can sign ("s" among its own
# capabilities) and refused with EKEYREJECTED otherwise; a fingerprint of
# no key gives ENOKEY; nothing else is added.
selected()
{
	local before keys k out rc bad=0
	before=$(keys_in_u)
	keys=$(awk -F: '$1 == "pub" || $1 == "sub" { cap = ($12 ~ /s/) ? "sign" : "other" }
		$1 == "fpr" { print cap ":" $10 }' "$2")
	for k in $keys; do
		out=$(keyctl padd asymmetric "pgp:${k#*:}" @u < "$1" 2>&1)
		rc=$?
		case "${k%%:*}:$rc" in
		sign:0)
			[ "$(keyctl search @u asymmetric "id:${k#*:}" 2>/dev/null)" = "$out" ] || bad=1
			keyctl unlink "$out" @u >/dev/null 2>&1 ;;
		other:0) bad=1; keyctl unlink "$out" @u >/dev/null 2>&1 ;;
		other:*) contains "$out" "Key was rejected by service" || bad=1 ;;
		*) bad=1 ;;
		esac
		[ $bad -eq 0 ] || { echo "# $k: rc=$rc $out"; break; }
	done
	out=$(keyctl padd asymmetric "pgp:0123456789ABCDEF" @u < "$1" 2>&1) && bad=1
	contains "$out" "Required key not available" || { echo "# unknown: $out"; bad=1; }
	[ "$(keys_in_u)" = "$before" ] || bad=1
	if [ $bad -eq 0 ] && [ -n "$keys" ]; then
		ktap_ok "$3: each key by its fingerprint"
	else
		ktap_not_ok "$3: each key by its fingerprint"
	fi
}
selected "$distro/sentence-two.asc" "$distro/sentence-two.colons" "two key blocks"
selected "$distro/three-crlf.asc" "$distro/three-crlf.colons" "three key blocks, CRLF"
cat "$testdata/keys/rsa2048.pgp" "$testdata/skip/unknown-packets.pgp" \
	"$testdata/keys/rsa4096.pgp" > "$tmp/keyring.pgp"
cat "$testdata/keys/rsa2048.colons" "$testdata/skip/unknown-packets.colons" \
	"$testdata/keys/rsa4096.colons" > "$tmp/keyring.colons"
selected "$tmp/keyring.pgp" "$tmp/keyring.colons" "binary keyring of three certificates"

# add_key(2) offers every payload to the X.509 parser first, whose ASN.1
# decoder refuses more than 65,535 octets with EMSGSIZE, which ends the
# search before "pgp" is asked (docs/kernel-api.md, "Large certificates").
{
	cat "$testdata/skip/many-certifications.pgp"
	dd if="$testdata/skip/many-certifications.pgp" bs=1 skip=657 count=310 2>/dev/null
} > "$tmp/over-64k.pgp"
refused "$tmp/over-64k.pgp" "Message too long" "a certificate of 65,757 octets"

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
