#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BENCHMARK, not a test of the default run: add_key(2) of malformed OpenPGP
# input N times in one process (add_key_bench): an RSA-4096 certificate cut
# after 300 bytes, which the handler refuses (EBADMSG). Since a handler is
# replaced after every reply that is not OK, each call pays for stopping the
# handler that refused and starting the next one (docs/benchmarks.md,
# "Handler replacement"). Run it in the VM with:
#   cargo xtask vm-test --kernel 6.12 --only-script --script selftests/pgp_malformed_bench.sh
# ADD_KEY_BENCH_N changes N (default 200).
. "$(dirname "$0")/lib.sh"

command -v add_key_bench >/dev/null || ktap_skip_all "add_key_bench is not in the initramfs"
require_module umd_mgmt pgp_umd pgp_umd_loader
n=${ADD_KEY_BENCH_N:-200}
ktap_plan 2

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# cmdline: $(cat /proc/cmdline)"
check "modprobe pgp_umd" modprobe pgp_umd
head -c 300 "$testdata/bench/rsa4096.pgp" > /tmp/rsa4096-cut.pgp
# EBADMSG is 74.
forks=$(awk '/^processes/ { print $2 }' /proc/stat)
out=$(add_key_bench "$n" openpgp-malformed - /tmp/rsa4096-cut.pgp 74 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
echo "# processes created during the run: $(($(awk '/^processes/ { print $2 }' /proc/stat) - forks))"
check "add_key_bench: $n malformed calls, each EBADMSG" test $rc -eq 0
ktap_finished
