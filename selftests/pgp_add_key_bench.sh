#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BENCHMARK, not a test of the default run: add_key(2) of the same RSA-4096
# key as an OpenPGP certificate (the "pgp" parser, through the UMD handler)
# and as a self-signed X.509 certificate (the kernel's own parser), N times
# each in one process (add_key_bench, selftests/add_key_bench.c), calls
# interleaved. A third case times the OpenPGP path up to the point where
# the kernel would start verifying: a selector naming no key of the
# certificate is refused with ENOKEY after the handler's reply was checked
# and the fingerprints computed, before any signature is verified. Run it in
# the VM on both kernels with:
#   cargo xtask vm-test --kernel all --only-script --script selftests/pgp_add_key_bench.sh
# and read the figures in target/vm/<kernel>/tap.txt (docs/benchmarks.md).
# ADD_KEY_BENCH_N changes N (default 200).
. "$(dirname "$0")/lib.sh"

command -v add_key_bench >/dev/null || ktap_skip_all "add_key_bench is not in the initramfs"
require_module umd_mgmt pgp_umd pgp_umd_loader
n=${ADD_KEY_BENCH_N:-200}
dir=$testdata/bench
ktap_plan 2

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# cmdline: $(cat /proc/cmdline)"
check "modprobe pgp_umd" modprobe pgp_umd
# ENOKEY is 126.
forks=$(awk '/^processes/ { print $2 }' /proc/stat)
out=$(add_key_bench "$n" \
	x509 - "$dir/rsa4096.der" ok \
	openpgp - "$dir/rsa4096.pgp" ok \
	openpgp-no-verify pgp:0123456789ABCDEF "$dir/rsa4096.pgp" 126 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
echo "# processes created during the run: $(($(awk '/^processes/ { print $2 }' /proc/stat) - forks))"
check "add_key_bench: $n calls per case, every result as expected" test $rc -eq 0
ktap_finished
