#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs test scripts the way kselftest's runner does and prints its TAP 13
# form: each test's own output prefixed with "# ", then one
# "ok N selftests: pgp-umd: NAME" / "not ok ..." line per script
# (exit 4 = "ok ... # SKIP").
#
# usage: ./run_tests.sh [TEST...]
#   default: the tests in tests.list (written by the VM harness), else the
#   TEST_PROGS of the Makefile.
# PGP_UMD_TEST_TIMEOUT: seconds per test (default 300).

cd "$(dirname "$0")" || exit 1
timeout_s=${PGP_UMD_TEST_TIMEOUT:-300}

if [ $# -eq 0 ]; then
	if [ -f tests.list ]; then
		# shellcheck disable=SC2046
		set -- $(cat tests.list)
	else
		# shellcheck disable=SC2046
		set -- $(sed -n '/^TEST_PROGS *:=/,/[^\\]$/p' Makefile |
			sed 's/^TEST_PROGS *:=//; s/\\//g')
	fi
fi

echo "TAP version 13"
echo "1..$#"
n=0
for t in "$@"; do
	n=$((n + 1))
	echo "# selftests: pgp-umd: $t"
	rcfile=/tmp/.ksft-rc.$$
	# Stream the output (a kernel crash must not lose it).
	{ timeout "$timeout_s" sh "./$t" 2>&1; echo $? > "$rcfile"; } | sed 's/^/# /'
	rc=$(cat "$rcfile" 2>/dev/null || echo 1)
	rm -f "$rcfile"
	case $rc in
	0) echo "ok $n selftests: pgp-umd: $t" ;;
	4) echo "ok $n selftests: pgp-umd: $t # SKIP" ;;
	124 | 143) echo "not ok $n selftests: pgp-umd: $t # TIMEOUT $timeout_s seconds" ;;
	*) echo "not ok $n selftests: pgp-umd: $t # exit=$rc" ;;
	esac
done
