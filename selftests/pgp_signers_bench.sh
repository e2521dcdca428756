#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BENCHMARK, not a test of the default run: what trying every key that
# matches a signature's issuer costs (docs/kernel-api.md, "Which key
# verifies"), through the securityfs file (verify_bench,
# selftests/verify_bench.c). testdata/collision's A is in the keyring, B in
# a keyring nested in it; both RSA-2048 with one key id.
#  - first-match: A's signature: the first key found verifies, one RSA
#    verification (every signature's path before the walk existed);
#  - second-key: B's signature: A fails, the walk reads the keyring and
#    finds B: two verifications and a walk of 2 entries;
#  - behind-1000, behind-4000: B's signature with 1,000 or 4,000 user keys
#    beside A in the keyring: the walk looks each entry up (the bound is
#    4,096 entries per signature, PGP_SIGNER_MAX_ENTRIES).
# Run it with:
#   cargo xtask vm-test --kernel all --bench --only-script --script selftests/pgp_signers_bench.sh
# and read the figures in target/vm/<kernel>/tap.txt (docs/benchmarks.md).
# SIGNERS_BENCH_N changes N (default 200).
. "$(dirname "$0")/lib.sh"

command -v verify_bench >/dev/null || ktap_skip_all "verify_bench is not in the initramfs"
command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader
n=${SIGNERS_BENCH_N:-200}
dir=$testdata/collision
ktap_plan 4

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# cmdline: $(cat /proc/cmdline)"
check "modprobe pgp_umd" modprobe pgp_umd

# ring FILLER: a keyring under @u with A, FILLER user keys and a nested
# keyring holding B; prints its serial.
ring()
{
	local top nested i=0
	top=$(keyctl newring "pgp_signers_$1" @u) || return 1
	keyctl padd asymmetric "" "$top" < "$dir/collision-a.pgp" > /dev/null || return 1
	nested=$(keyctl newring nested "$top") || return 1
	keyctl padd asymmetric "" "$nested" < "$dir/collision-b.pgp" > /dev/null || return 1
	while [ "$i" -lt "$1" ]; do
		keyctl add user "filler$i" x "$top" > /dev/null || return 1
		i=$((i + 1))
	done
	echo "$top"
}
r0=$(ring 0)
r1000=$(ring 1000)
r4000=$(ring 4000)
check "keyrings with 0, 1,000 and 4,000 other entries" \
	test "$(keyctl rlist "$r4000" | wc -w)" -eq 4002

a=$dir/collision-a-keyid.sig
b=$dir/collision-b-keyid.sig
data=$testdata/sigs/data.txt
out=$(verify_bench "$n" first-match "$r0" "$a" "$data" second-key "$r0" "$b" "$data" \
	behind-1000 "$r1000" "$b" "$data" behind-4000 "$r4000" "$b" "$data" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check "verify_bench: $n calls per case, each verified" test $rc -eq 0
for r in "$r0" "$r1000" "$r4000"; do
	keyctl clear "$r" > /dev/null 2>&1
	keyctl unlink "$r" @u > /dev/null 2>&1
done
check "the keyrings are gone" sh -c '! keyctl rlist @u | grep -qw "$1"' sh "$r4000"
ktap_finished
