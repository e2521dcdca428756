#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `cargo xtask kselftest`, inside the VM: selftests/ as the kernel's own
# kselftest framework installed it (`make -C tools/testing/selftests
# TARGETS=pgp-umd install` in Debian's linux-source tree, copied here as
# /extra/kselftest), run by the installed run_kselftest.sh. One test point
# per entry of the installed kselftest-list.txt: that test's own "ok" line
# from the runner.
. "$(dirname "$0")/lib.sh"

dir=/extra/kselftest
list=$dir/kselftest-list.txt
out=/tmp/run_kselftest.out
n=$(grep -c '^pgp-umd:' "$list" 2>/dev/null)
ktap_plan $((${n:-0} + 2))
check "kselftest-list.txt lists the pgp-umd tests ($n)" test "${n:-0}" -gt 0

# The installed tests find the test data beside their directory, as in the
# repository (selftests/lib.sh).
ln -sfn /testdata "$dir/testdata"
# The runner wraps each test in `/usr/bin/timeout --foreground`, which
# busybox's timeout does not have; without /usr/bin/timeout it runs the tests
# directly, and the harness's own time limit still bounds the boot.
if ! /usr/bin/timeout --foreground 5 true 2>/dev/null; then
	rm -f /usr/bin/timeout
fi
"$dir/run_kselftest.sh" > "$out" 2>&1
echo "# run_kselftest.sh exited $?"
sed 's/^/# /' "$out"
for t in $(sed -n 's/^pgp-umd://p' "$list"); do
	check "run_kselftest.sh: $t" grep -q "^ok [0-9]* selftests: pgp-umd: $t\$" "$out"
done
check "run_kselftest.sh reported no failure" sh -c "! grep -q '^not ok' $out"
ktap_finished
