#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# TAP 13 helpers for the pgp-umd selftests (busybox sh compatible).
# Exit codes as kselftest: 0 pass, 1 fail, 4 skip.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ktap_planned=0
ktap_n=0
ktap_failed=0

# ktap_plan N: print the TAP header and plan.
ktap_plan()
{
	ktap_planned=$1
	echo "TAP version 13"
	echo "1..$1"
}

ktap_ok()
{
	ktap_n=$((ktap_n + 1))
	echo "ok $ktap_n $*"
}

ktap_not_ok()
{
	ktap_n=$((ktap_n + 1))
	ktap_failed=$((ktap_failed + 1))
	echo "not ok $ktap_n $*"
}

# check DESCRIPTION COMMAND [ARGS...]: one test point, ok if COMMAND exits 0.
check()
{
	_ktap_desc=$1
	shift
	if "$@"; then
		ktap_ok "$_ktap_desc"
	else
		ktap_not_ok "$_ktap_desc"
	fi
}

# ktap_skip_all REASON: the whole script cannot run here.
ktap_skip_all()
{
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# ktap_finished: exit 0 only if every planned test point ran and passed.
ktap_finished()
{
	if [ "$ktap_n" -ne "$ktap_planned" ]; then
		echo "# planned $ktap_planned test points, ran $ktap_n"
		exit $KSFT_FAIL
	fi
	[ "$ktap_failed" -eq 0 ] && exit $KSFT_PASS
	exit $KSFT_FAIL
}

# require_module NAME...: skip the script unless each module is installed for
# the running kernel (a module of this project missing from the VM is a
# harness bug: the harness counts skips as failures).
require_module()
{
	for m in "$@"; do
		if [ -z "$(find "/lib/modules/$(uname -r)" -name "$m.ko*" 2>/dev/null)" ]; then
			ktap_skip_all "module $m is not installed for $(uname -r)"
		fi
	done
}

# has_crypto NAME: the running kernel has an algorithm NAME registered
# (/proc/crypto: built in, or from a module already loaded).
has_crypto()
{
	awk -v a="$1" '$1 == "name" && $3 == a { found = 1 } END { exit !found }' /proc/crypto
}

# builtin_crypto NAME: an algorithm NAME is built into the kernel image
# (not from a module, loaded or not).
builtin_crypto()
{
	awk -v a="$1" '$1 == "name" { n = $3 } $1 == "module" && n == a && $3 == "kernel" { found = 1 }
		END { exit !found }' /proc/crypto
}

# expectation_profile: which rows of testdata/vm/keys.tsv and
# testdata/vm/signatures.tsv apply to the running kernel, decided by what it
# has, never by its version, so an unknown newer kernel is tested, not
# skipped. The tables have one profile per set of algorithms the results
# depend on, named after the first Debian kernel that has it: "6.1" (no
# ECDSA: ECDSA keys and signatures are refused with ENOPKG) and "6.12" (ECDSA
# on P-256, P-384 and P-521). A kernel with only some of the curves has no
# profile: the script fails rather than guess.
expectation_profile()
{
	local n=0 c
	for c in p256 p384 p521; do
		has_crypto "ecdsa-nist-$c" && n=$((n + 1))
	done
	case $n in
	0) echo 6.1 ;;
	3) echo 6.12 ;;
	*) echo "partial-ecdsa-$n" ;;
	esac
}

# use_profile TABLE: set $profile to the expectation_profile of the running
# kernel, after checking that TABLE has rows for it; a kernel without any
# (only some ECDSA curves) fails the script as one failed test point.
use_profile()
{
	profile=$(expectation_profile)
	echo "# kernel $(uname -r): expectation profile $profile"
	if ! awk -F'\t' -v k="$profile" '$1 == k { found = 1 } END { exit !found }' "$1"; then
		ktap_plan 1
		ktap_not_ok "no expectations in $1 for what kernel $(uname -r) has ($profile)"
		ktap_finished
	fi
}

# errno_message NAME: what keyctl prints (strerror) for errno NAME.
errno_message()
{
	case $1 in
	ENOPKG) echo "Package not installed" ;;
	ENOKEY) echo "Required key not available" ;;
	EKEYEXPIRED) echo "Key has expired" ;;
	EKEYREVOKED) echo "Key has been revoked" ;;
	EKEYREJECTED) echo "Key was rejected by service" ;;
	EBADMSG) echo "Bad message" ;;
	ENOTUNIQ) echo "Name not unique on network" ;;
	EMSGSIZE) echo "Message too long" ;;
	EINVAL) echo "Invalid argument" ;;
	*) echo "$1" ;;
	esac
}

# beyond_add_key FILE: FILE is larger than what add_key(2) brings to the
# "pgp" parser: the X.509 parser, asked first, refuses more than 65,535
# octets with EMSGSIZE (docs/kernel-api.md, "Large certificates").
beyond_add_key()
{
	[ "$(wc -c < "$1")" -gt 65535 ]
}

# padd_expect FILE SELECTOR EXPECTED NAME: one test point, named NAME, for
# `keyctl padd asymmetric SELECTOR @u < FILE` (SELECTOR "-": none).
# EXPECTED is "ok <fingerprint>": the key is added, described
# "PGP: <user id> <KEYID>" without a selector and by the selector with one
# (as the keyring does for every key type), and found by key id and by
# fingerprint; or an errno name: the add fails with its message and @u
# holds what it held before. A FILE beyond add_key's reach expects
# EMSGSIZE whatever the table says.
padd_expect()
{
	local file=$1 sel=$2 want=$3 name=$4 before after out rc fpr keyid desc by_id by_fpr
	[ "$sel" = "-" ] && sel=""
	beyond_add_key "$file" && want=EMSGSIZE
	before=$(keys_in_u)
	out=$(keyctl padd asymmetric "$sel" @u < "$file" 2>&1)
	rc=$?
	case $want in
	ok\ *)
		fpr=${want#ok }
		# A v6 key id is the fingerprint's head, a v4 one its tail.
		if [ ${#fpr} -eq 64 ]; then keyid=$(echo "$fpr" | cut -c1-16); else keyid=$(echo "$fpr" | cut -c25-40); fi
		desc=$(keyctl describe "$out" 2>/dev/null)
		by_id=$(keyctl search @u asymmetric "id:$keyid" 2>/dev/null)
		by_fpr=$(keyctl search @u asymmetric "id:$fpr" 2>/dev/null)
		if [ $rc -eq 0 ] && [ "$by_id" = "$out" ] && [ "$by_fpr" = "$out" ] &&
			contains "$desc" "asymmetric: ${sel:-PGP: }" &&
			{ [ -n "$sel" ] || contains "$desc" " $keyid"; }; then
			ktap_ok "$name [$sel] added, found by key id and fingerprint"
		else
			echo "# rc=$rc out=$out desc=$desc by_id=$by_id by_fpr=$by_fpr"
			ktap_not_ok "$name [$sel] added, found by key id and fingerprint"
		fi
		[ $rc -eq 0 ] && keyctl unlink "$out" @u >/dev/null 2>&1
		;;
	*)
		after=$(keys_in_u)
		if [ $rc -ne 0 ] && contains "$out" "$(errno_message "$want")" &&
			[ "$before" = "$after" ]; then
			ktap_ok "$name [$sel] refused: $want"
		else
			echo "# rc=$rc out=$out keys before=$before after=$after"
			ktap_not_ok "$name [$sel] refused: $want"
			[ $rc -eq 0 ] && keyctl unlink "$out" @u >/dev/null 2>&1
		fi
		;;
	esac
}

# keys_in_u: how many keys the user keyring holds.
keys_in_u()
{
	keyctl rlist @u 2>/dev/null | wc -w
}

# contains TEXT SUBSTRING: TEXT contains SUBSTRING (fixed string).
contains()
{
	printf '%s\n' "$1" | grep -qF -- "$2"
}

# is_loaded NAME: the module is in /proc/modules.
is_loaded()
{
	grep -q "^$1 " /proc/modules
}

# shellcheck disable=SC2034 # used by the scripts that source this file
testdata=$(cd "$(dirname "$0")/.." && pwd)/testdata
