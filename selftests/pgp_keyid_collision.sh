#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Which key verifies when several keys of a keyring match the issuer a
# signature names (docs/kernel-api.md, "Which key verifies"). The data is
# testdata/collision: two RSA certificates with one v4 key id, a signature by
# each naming only that key id, and X.509 certificates whose subject key
# identifier equals that key id or a whole OpenPGP fingerprint. Each
# signature is checked with the keys laid out so that the kernel's own first
# match (find_asymmetric_key(): a keyring's own keys before nested ones) is
# the wrong key, and must get the verdict sq gives with both certificates at
# hand (testdata/collision/verdicts.tsv), naming the key that verified.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

dir=$testdata/collision
rows=$(awk -F'\t' 'NR > 1' "$dir/verdicts.tsv" | wc -l)
# modprobe, the two keys added, three layouts of every verdict row, the
# X.509 decoy by key id (premise, two signatures, alone), the decoy by
# fingerprint (premise, signature), the unsearchable nested keyring, B six
# and seven keyrings deep (premise, signature each).
ktap_plan $((1 + 1 + 3 * rows + 4 + 2 + 1 + 4))

check "modprobe pgp_umd" modprobe pgp_umd

# gpg's listings give the key id and each certificate's fingerprint.
keyid=$(awk -F: '$1 == "pub" { print $5 }' "$dir/collision-a.colons")
fpr_a=$(awk -F: '$1 == "fpr" { print $10; exit }' "$dir/collision-a.colons")
fpr_b=$(awk -F: '$1 == "fpr" { print $10; exit }' "$dir/collision-b.colons")
rsa2048_fpr=$(awk -F: '$1 == "fpr" { print $10; exit }' "$testdata/keys/rsa2048.colons")

# layout TOP_FILES -- NESTED_FILES: a fresh keyring under @u holding the
# first files' keys and a nested keyring holding the others'; prints the
# two serials. Every add must succeed.
layout()
{
	top=$(keyctl newring pgp_collision @u) || return 1
	nested=$(keyctl newring pgp_collision_nested "$top") || return 1
	ring=$top
	for f in "$@"; do
		if [ "$f" = -- ]; then
			ring=$nested
			continue
		fi
		keyctl padd asymmetric "" "$ring" < "$f" > /dev/null || return 1
	done
	echo "$top $nested"
}

drop()
{
	keyctl unlink "$1" @u > /dev/null 2>&1
}

# expect SIG DATA: the line `pgp-umd verify` must print, from sq's verdict.
expect()
{
	awk -F'\t' -v s="$1" -v d="$2" -v k="$keyid" -v a="$fpr_a" -v b="$fpr_b" \
		'$1 == s && $2 == d {
			if ($3 == "good") print "OK " k " " (s ~ /-a-keyid/ ? a : b)
			else print "FAIL EKEYREJECTED"
		}' "$dir/verdicts.tsv"
}

# verify_is DESCRIPTION RING SIG DATA WANT: one test point: the output
# begins with WANT (never empty: a missing expectation fails).
verify_is()
{
	got=$(pgp-umd verify --keyring "$2" "$testdata/$3" "$testdata/$4" 2>&1)
	case $got in
	"$5"*) [ -n "$5" ] && ktap_ok "$1: $5" && return ;;
	esac
	echo "# got: $got"
	ktap_not_ok "$1: ${5:-(no expectation)}"
}

# decoy_answers_first TOP QUERY NAME: the kernel's own search of TOP for
# QUERY (what find_asymmetric_key() does) returns the X.509 decoy NAME.
decoy_answers_first()
{
	found=$(keyctl search "$1" asymmetric "$2" 2>&1)
	echo "# keyctl search $2: $found: $(keyctl rdescribe "$found" 2>&1)"
	check "the X.509 decoy answers $2 first" sh -c \
		'keyctl rdescribe "$1" | grep -q ";pgp-umd decoy $2: "' sh "$found" "$3"
}

a=$dir/collision-a.pgp
b=$dir/collision-b.pgp
rings=$(layout "$a" "$b")
# keyctl rdescribe: type;uid;gid;perm;description ("PGP: <user id> <key id>").
described=$(for k in $(keyctl rlist "${rings%% *}" 2>/dev/null); do keyctl rdescribe "$k"; done)
check "both certificates are added; one key id, two fingerprints" sh -c \
	'[ "$(printf "%s\n" "$1" | grep -c "PGP: Key id collision [ab] .* $2\$")" -eq 2 ] &&
	 [ -n "$3" ] && [ "$3" != "$4" ]' sh "$described" "$keyid" "$fpr_a" "$fpr_b"
drop "${rings%% *}"

awk -F'\t' 'NR > 1 { print $1 "\t" $2 }' "$dir/verdicts.tsv" > /tmp/pgp_collision.rows
for shape in "a -- b" "b -- a" "a b --"; do
	set -- $shape
	files=''
	for f in "$@"; do
		case $f in
		--) files="$files --" ;;
		*) files="$files $dir/collision-$f.pgp" ;;
		esac
	done
	# shellcheck disable=SC2086 # word splitting is wanted
	rings=$(layout $files)
	top=${rings%% *}
	while IFS="$(printf '\t')" read -r sig data; do
		verify_is "[$shape] $sig over $data" "$top" "$sig" "$data" "$(expect "$sig" "$data")"
	done < /tmp/pgp_collision.rows
	drop "$top"
done

# An X.509 key whose subject key identifier is the key id: the kernel's own
# search answers with it, yet each signature verifies with its own key.
rings=$(layout "$dir/decoy-keyid.der" -- "$a" "$b")
top=${rings%% *}
decoy_answers_first "$top" "id:$keyid" decoy-keyid
verify_is "X.509 decoy by key id first" "$top" collision/collision-a-keyid.sig sigs/data.txt \
	"OK $keyid $fpr_a"
verify_is "X.509 decoy by key id first" "$top" collision/collision-b-keyid.sig sigs/data.txt \
	"OK $keyid $fpr_b"
drop "$top"
rings=$(layout "$dir/decoy-keyid.der")
verify_is "only the X.509 decoy: no OpenPGP key" "${rings%% *}" collision/collision-a-keyid.sig \
	sigs/data.txt "FAIL ENOKEY"
drop "${rings%% *}"

# One whose identifier is a whole fingerprint shadows a signature that names
# its issuer by fingerprint.
rings=$(layout "$dir/decoy-fingerprint.der" -- "$testdata/keys/rsa2048.asc")
top=${rings%% *}
decoy_answers_first "$top" "ex:$rsa2048_fpr" decoy-fingerprint
verify_is "X.509 decoy by fingerprint first" "$top" sigs/rsa2048-sha256-bin.sig sigs/data.txt \
	"OK B77FA5D48822D0D1 $rsa2048_fpr"
drop "$top"

# The other keys are tried with the caller's own rights: a nested keyring
# the caller may not search hides its keys, as from keyctl search.
rings=$(layout "$a" -- "$b")
top=${rings%% *}
nested=${rings##* }
keyctl setperm "$nested" 0x37010000
verify_is "B in a keyring without search permission" "$top" collision/collision-b-keyid.sig \
	sigs/data.txt "FAIL EKEYREJECTED"
drop "$top"

# As deep as keyring_search() goes and no deeper: A in the keyring, B at the
# end of a chain of N keyrings nested one in the other. Possession reaches
# only so deep below the caller's own keyrings, and the walk looks keys up
# with the caller's rights (keyctl search from a possessed keyring counts
# all below it as possessed), so each chain keyring is also linked from the
# user session keyring: the caller possesses it and B, at any depth below
# the searched keyring.
chain()
{
	top=$(keyctl newring pgp_collision @u) || return 1
	keyctl padd asymmetric "" "$top" < "$a" > /dev/null || return 1
	ring=$top
	i=0
	while [ "$i" -lt "$1" ]; do
		ring=$(keyctl newring "pgp_collision_$i" "$ring") || return 1
		keyctl link "$ring" @us || return 1
		i=$((i + 1))
	done
	keyctl padd asymmetric "" "$ring" < "$b" > /dev/null || return 1
	echo "$top"
}
unchain()
{
	for r in $(keyctl rlist @us); do
		keyctl rdescribe "$r" | grep -q ';pgp_collision_[0-9]*$' && keyctl unlink "$r" @us
	done
	drop "$1"
}
top=$(chain 6)
check "keyctl search finds B six keyrings deep" keyctl search "$top" asymmetric "ex:$fpr_b"
verify_is "B six keyrings deep" "$top" collision/collision-b-keyid.sig sigs/data.txt \
	"OK $keyid $fpr_b"
unchain "$top"
top=$(chain 7)
check "keyctl search does not find B seven keyrings deep" sh -c \
	'[ -n "$1" ] && ! keyctl search "$1" asymmetric "ex:$2" > /dev/null 2>&1' sh "$top" "$fpr_b"
verify_is "B seven keyrings deep" "$top" collision/collision-b-keyid.sig sigs/data.txt \
	"FAIL EKEYREJECTED"
unchain "$top"

ktap_finished
