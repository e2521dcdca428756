#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BENCHMARK, not a test of the default run: keyctl padd (add_key(2)) of the
# same RSA-2048 certificate small and large. The large copies carry
# third-party certifications, which the handler reports as one run of
# skipped packets and the kernel walks itself (docs/protocol.md): the
# certificate of testdata/skip/many-certifications.pgp (1000 of them,
# 310 KB) and one built here at add_key(2)'s limit (3380 of them,
# 1,048,457 bytes, the largest payload add_key(2) takes). The same key and
# self-signature are verified in every case, so the differences are the
# copy into the kernel, the trip through the handler and the walk. Run with:
#   cargo xtask vm-test --kernel 6.12 --bench --only-script \
#       --script selftests/pgp_large_cert_bench.sh
# and read target/vm/<kernel>/tap.txt (docs/benchmarks.md).
# LARGE_CERT_BENCH_N changes N (default 50).
. "$(dirname "$0")/lib.sh"

command -v add_key_bench >/dev/null || ktap_skip_all "add_key_bench is not in the initramfs"
require_module umd_mgmt pgp_umd pgp_umd_loader
n=${LARGE_CERT_BENCH_N:-50}
skip=$testdata/skip
tmp=/tmp/pgp_large
mkdir -p "$tmp"
ktap_plan 3

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# cmdline: $(cat /proc/cmdline)"
check "modprobe pgp_umd" modprobe pgp_umd

# many-certifications.pgp: key, user id, self-signature (657 octets), then
# 1000 copies of one 310-octet certification (testdata/skip.py).
dd if="$skip/many-certifications.pgp" of="$tmp/head" bs=657 count=1 2>/dev/null
dd if="$skip/many-certifications.pgp" of="$tmp/sig1" bs=1 skip=657 count=310 2>/dev/null
cp "$tmp/head" "$tmp/small.pgp"
cat "$tmp/sig1" >> "$tmp/small.pgp"
# 3380 = 2048 + 1024 + 256 + 32 + 16 + 4 copies, by doubling.
cp "$tmp/sig1" "$tmp/sigs"
cp "$tmp/head" "$tmp/huge.pgp"
i=1
while [ $i -le 2048 ]; do
	case $i in 4|16|32|256|1024|2048) cat "$tmp/sigs" >> "$tmp/huge.pgp" ;; esac
	cat "$tmp/sigs" "$tmp/sigs" > "$tmp/sigs2"
	mv "$tmp/sigs2" "$tmp/sigs"
	i=$((i * 2))
done
size=$(wc -c < "$tmp/huge.pgp")
echo "# sizes: small $(wc -c < "$tmp/small.pgp"), 1000 certifications $(wc -c < "$skip/many-certifications.pgp"), 3380 certifications $size"
check "the large certificate is add_key(2)'s largest payload or just under" \
	test "$size" -eq 1048457

out=$(add_key_bench "$n" \
	small - "$tmp/small.pgp" ok \
	certs-1000 - "$skip/many-certifications.pgp" ok \
	certs-3380 - "$tmp/huge.pgp" ok 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check "add_key_bench: $n calls per case, every key added" test $rc -eq 0
ktap_finished
