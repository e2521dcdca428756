#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keyctl padd asymmetric with OpenPGP certificates, through the user mode
# driver. For every corpus certificate, binary and armored, with no selector
# and with each key's fingerprint as selector, the outcome must be the one
# testdata/vm/keys.tsv gives for this kernel (derived from gpg's and sequoia's
# facts and the documented selection rule): the key added and findable by key
# id and fingerprint, or the documented errno with nothing added. X.509 keeps
# working beside the "pgp" parser, and malformed input changes nothing.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

use_profile "$testdata/vm/keys.tsv"
kernel=$profile
table=$testdata/vm/keys.tsv
rows=$(awk -F'\t' -v k="$kernel" '$1 == k' "$table" | wc -l)
auto=$(awk -F'\t' -v k="$kernel" '$1 == k && $3 == "-"' "$table" | wc -l)
# The malformed keys of the parser's corpus, except armor stored as binary:
# that one is malformed for the handler, which sees binary only, but the
# kernel removes armor before anything reaches the handler.
for f in $(awk -F'\t' '$3 == "malformed" { print $1 }' "$testdata/negative/manifest.tsv" |
	grep '\.pgp$'); do
	head -c 5 "$testdata/negative/$f" | grep -q -- '-----' || echo "$f"
done > /tmp/pgp_keys.malformed
malformed=$(wc -l < /tmp/pgp_keys.malformed)
# modprobe, each row, the armored twin of each auto row, X.509, the
# keyring file, the binding signature's expiry, each malformed file, the
# unchanged keyring.
ktap_plan $((1 + rows + auto + 3 + malformed + 1))

check "modprobe pgp_umd" modprobe pgp_umd

awk -F'\t' -v k="$kernel" '$1 == k { print $2 "\t" $3 "\t" $4 }' "$table" > /tmp/pgp_keys.rows
while IFS="$(printf '\t')" read -r file sel want; do
	padd_expect "$testdata/$file" "$sel" "$want" "$file"
	if [ "$sel" = "-" ]; then
		padd_expect "$testdata/${file%.pgp}.asc" "$sel" "$want" "${file%.pgp}.asc"
	fi
done < /tmp/pgp_keys.rows

# X.509 still goes to its own parser while "pgp" is registered.
id=$(keyctl padd asymmetric "" @u < "$testdata/x509/rsa2048.der" 2>&1)
check "X.509 certificate still accepted" contains "$(keyctl describe "$id" 2>&1)" "asymmetric: "
keyctl unlink "$id" @u >/dev/null 2>&1
check "a keyring file with several certificates is refused" \
	sh -c '! keyctl padd asymmetric "" @u < "$1" 2>/dev/null' - "$testdata/keys/keyring.pgp"

# A subkey valid by a binding signature that expires on 2035-01-01
# (2051222400): the keyring key expires then, not never. /proc/keys
# shows the time left in whole weeks.
id=$(keyctl padd asymmetric "" @u < "$testdata/policy/binding-signature-expires.pgp" 2>&1)
weeks=$(( (2051222400 - $(date +%s)) / 604800 ))
left=$(awk -v id="$(printf '%08x' "$id" 2>/dev/null)" '$1 == id { print $4 }' /proc/keys)
echo "# padd of binding-signature-expires.pgp: $id"
check "the key expires with its binding signature (${weeks}w left, /proc/keys: $left)" \
	sh -c 'case "$1" in "$2w" | "$(($2 + 1))w" | "$(($2 - 1))w") exit 0 ;; esac; exit 1' - "$left" "$weeks"
keyctl unlink "$id" @u >/dev/null 2>&1

# Malformed input: refused, nothing added.
before=$(keys_in_u)
for f in $(cat /tmp/pgp_keys.malformed); do
	check "malformed $f refused" \
		sh -c '! keyctl padd asymmetric "" @u < "$1" 2>/dev/null' - "$testdata/negative/$f"
done
check "the keyring is unchanged by all refusals" test "$(keys_in_u)" = "$before"

ktap_finished
