#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BENCHMARK, not a test of the default run: keyctl padd (add_key(2)) of the
# same RSA-2048 certificate small and large. The large one,
# testdata/skip/many-certifications.pgp, carries 209 third-party
# certifications (65,447 octets: the largest payload add_key(2) lets reach
# the "pgp" parser, since the X.509 parser it tries first refuses more than
# 65,535 octets), which the handler reports as one run of skipped packets
# and the kernel walks itself (docs/protocol.md). The same key and
# self-signature are verified in both cases, so the difference is the copy
# into the kernel, the trip through the handler and the walk. Run with:
#   cargo xtask vm-test --kernel 6.12 --bench --only-script \
#       --script selftests/pgp_large_cert_bench.sh
# and read target/vm/<kernel>/tap.txt (docs/benchmarks.md).
# LARGE_CERT_BENCH_N changes N (default 100).
. "$(dirname "$0")/lib.sh"

command -v add_key_bench >/dev/null || ktap_skip_all "add_key_bench is not in the initramfs"
require_module umd_mgmt pgp_umd pgp_umd_loader
n=${LARGE_CERT_BENCH_N:-100}
large=$testdata/skip/many-certifications.pgp
tmp=/tmp/pgp_large
mkdir -p "$tmp"
ktap_plan 2

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# cmdline: $(cat /proc/cmdline)"
check "modprobe pgp_umd" modprobe pgp_umd

# The key, user id and self-signature (657 octets) and one certification.
dd if="$large" of="$tmp/small.pgp" bs=967 count=1 2>/dev/null
echo "# sizes: small $(wc -c < "$tmp/small.pgp"), large $(wc -c < "$large") octets"
out=$(add_key_bench "$n" \
	small - "$tmp/small.pgp" ok \
	certs-209 - "$large" ok 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check "add_key_bench: $n calls per case, every key added" test $rc -eq 0
ktap_finished
