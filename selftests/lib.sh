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
