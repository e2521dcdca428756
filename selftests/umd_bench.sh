#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BENCHMARK, not a test of the default run: UMD handler start latency (blob
# load to first reply) and round trip of a 4-byte request with a 128 KiB
# reply, timed in the kernel by sample_umd_bench.ko (ktime). Run it in the VM
# on both kernels with:
#   cargo xtask vm-test --kernel all --only-script --script selftests/umd_bench.sh
# and read the figures in target/vm/<kernel>/tap.txt (docs/benchmarks.md).
# UMD_BENCH_STARTS / UMD_BENCH_ROUND_TRIPS change the counts.
. "$(dirname "$0")/lib.sh"

require_module umd_mgmt sample_umd_bench
ktap_plan 3
starts=${UMD_BENCH_STARTS:-20}
rts=${UMD_BENCH_ROUND_TRIPS:-500}

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# cmdline: $(cat /proc/cmdline)"
modprobe umd_mgmt
dmesg -c > /dev/null
# Init fails with EAGAIN on purpose once the figures are logged. busybox's
# insmod/modprobe retry a failed finit_module() with init_module(), so the
# timing init runs twice: two sets of figures per boot.
modprobe sample_umd_bench starts="$starts" round_trips="$rts" 2>/dev/null
log=$(dmesg | grep 'sample_umd_bench:')
printf '%s\n' "$log" | sed 's/^/# /'
check "start latency measured ($starts starts)" contains "$log" "start (blob load to first reply): n=$starts "
check "round trip measured ($rts round trips)" contains "$log" "round trip (4-byte request, 128 KiB reply): n=$rts"
check "nothing failed, nothing left loaded" \
	eval '! contains "$log" failed && ! is_loaded sample_umd_bench && rmmod umd_mgmt'
ktap_finished
