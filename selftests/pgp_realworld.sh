#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keyctl padd asymmetric with real certificates and distribution key files
# (testdata/realworld/: Debian's keyrings, RPM-GPG-KEY-* files). For every
# file, without a selector and with a pgp:<fingerprint> selector for every
# key gpg lists in it, the outcome must be the one testdata/vm/realworld.tsv
# gives for this kernel: derived from gpg's listing (validity,
# capabilities, algorithms) and the documented selection rule, never from
# this project's own parser. Added keys are found by key id and
# fingerprint; refusals give the documented errno and add nothing.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
command -v pgp-umd >/dev/null || ktap_skip_all "pgp-umd is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

table=$testdata/vm/realworld.tsv
use_profile "$table"
kernel=$profile
rows=$(awk -F'\t' -v k="$kernel" '$1 == k' "$table" | wc -l)
# modprobe, each row, the unchanged keyring.
# large_files: the single-certificate files over 65,535 octets of which the
# table expects some key added.
large_files()
{
	awk -F'\t' -v k="$kernel" '$1 == k && $3 == "-" { print $2 }' "$table" | sort -u |
	while read -r f; do
		beyond_add_key "$testdata/$f" && [ "${f%.pgp}" != "$f" ] &&
			awk -F'\t' -v k="$kernel" -v f="$f" \
				'$1 == k && $2 == f && $4 ~ /^ok / { n++ } END { exit !n }' "$table" &&
			echo "$f"
	done
}
large=$(large_files)
ktap_plan $((1 + rows + 1 + $(echo $large | wc -w)))

check "modprobe pgp_umd" modprobe pgp_umd

start=$(keys_in_u)
awk -F'\t' -v k="$kernel" '$1 == k { print $2 "\t" $3 "\t" $4 }' "$table" > /tmp/pgp_realworld.rows
while IFS="$(printf '\t')" read -r file sel want; do
	padd_expect "$testdata/$file" "$sel" "$want" "$file"
done < /tmp/pgp_realworld.rows
check "the keyring holds what it held before" test "$(keys_in_u)" = "$start"

# Certificates over 65,535 octets reach the kernel through
# `pgp-umd keyring import`, which leaves out their skipped runs: exactly
# the keys the table expects added by fingerprint are in the keyring after
# it, and no other.
imported()
{
	local file=$1 ring want got
	ring=$(keyctl newring pgp_realworld_import @u) || return 1
	pgp-umd keyring import --keyring "$ring" "$testdata/$file" > /tmp/pgp_realworld.import 2>&1
	want=$(awk -F'\t' -v k="$kernel" -v f="$file" \
		'$1 == k && $2 == f && $3 != "-" && $4 ~ /^ok / { print $3 }' "$table" | sort)
	got=$(for id in $(keyctl rlist "$ring"); do keyctl describe "$id"; done |
		sed -n 's/.*: \(pgp:[0-9A-F]*\)$/\1/p' | sort)
	keyctl unlink "$ring" @u >/dev/null 2>&1
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		return 0
	fi
	echo "# $file: want [$want] got [$got]"
	sed 's/^/# /' /tmp/pgp_realworld.import
	return 1
}
for f in $large; do
	check "$f ($(wc -c < "$testdata/$f") octets): keyring import adds the keys the table expects" imported "$f"
done

ktap_finished
