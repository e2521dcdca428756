#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BENCHMARK, not a test of the default run: RPM header signatures checked
# through the kernel (`pgp-umd rpm-verify --header-only`, one process for all packages)
# against rpm's own `rpmkeys -K --nodigest` (one process for all packages),
# in the same VM, so both run under the same emulation. Needs rpmkeys in the
# initramfs:
#   cargo xtask vm-test --kernel all --with-rpm --only-script \
#     --script selftests/rpm_bench.sh
# and read the figures in target/vm/<kernel>/tap.txt (docs/benchmarks.md).
# RPM_BENCH_PACKAGES / RPM_BENCH_ROUNDS change the counts.
#
# The packages are copies, under distinct names, of the RSA-signed test
# packages of testdata/rpm (v4 SHA-256 and SHA-512 with 2048/3072/4096-bit
# keys, a signing subkey, a v3 signature): what is checked is the header
# signature, which each file carries whole. `--nodigest` leaves out the
# header and payload digests, so rpm checks only the header signature;
# `rpm-verify --header-only` checks the header signature and the header
# digests, never the payload. The sanity checks below prove both tools
# really check the signature (a tampered header fails in each).
. "$(dirname "$0")/lib.sh"

command -v rpmkeys >/dev/null ||
	ktap_skip_all "rpmkeys is not in the initramfs (vm-test --with-rpm)"
command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

n=${RPM_BENCH_PACKAGES:-500}
rounds=${RPM_BENCH_ROUNDS:-5}
rpms=$testdata/rpm
ktap_plan 7

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# $(rpmkeys --version)"

# Nanoseconds since boot (the timer list's clock); /proc/uptime if absent.
now_ns()
{
	if [ -r /proc/timer_list ]; then
		awk '/^now at/ { print $3; exit }' /proc/timer_list
	else
		awk '{ printf "%.0f\n", $1 * 1e9 }' /proc/uptime
	fi
}

check "modprobe pgp_umd" modprobe pgp_umd
ring=$(keyctl newring rpm_bench @u)
keys=$(ls "$rpms"/keys/*.asc | grep -v wrongkey)
pgp-umd keyring import --keyring "$ring" $keys > /tmp/rpm_bench.import 2>&1
db=/tmp/rpm_bench.db
mkdir -p "$db"
rpm_import=0
rpmkeys --dbpath "$db" --import $keys > /tmp/rpm_bench.rpmimport 2>&1 || rpm_import=$?
sed 's/^/# /' /tmp/rpm_bench.rpmimport
check "keys in the kernel keyring and in rpm's database" \
	sh -c "grep -q '^added ' /tmp/rpm_bench.import && test $rpm_import -eq 0"

dir=/tmp/rpm_bench
mkdir -p "$dir"
set -- rsa2048-sha256 rsa2048-sha512 rsa3072-sha256 rsa3072-sha512 \
	rsa4096-sha256 rsa4096-sha512 rsa-signsub-sha256 v3-rsa3072-sha256
kinds=$#
i=0
while [ "$i" -lt "$n" ]; do
	eval "src=\${$((i % kinds + 1))}"
	cp "$rpms/$src.rpm" "$dir/$(printf 'pkg-%04d' "$i")-$src.rpm"
	i=$((i + 1))
done
files=$(ls "$dir"/*.rpm)
echo "# $n packages ($kinds kinds, copies), $(du -sk "$dir" | cut -f1) KiB"

# Sanity: each tool checks the header signature (a tampered header fails).
got=$(rpmkeys --dbpath "$db" -Kv --nodigest "$rpms/header-tampered.rpm" 2>&1)
echo "$got" | sed 's/^/# /'
check "rpmkeys --nodigest: tampered header: header signature BAD" \
	sh -c "printf '%s\n' \"\$1\" | grep -q 'Header V4 RSA/SHA256 Signature, key ID 813f6bd1: BAD'" sh "$got"
got=$(pgp-umd rpm-verify --header-only --keyring "$ring" "$rpms/header-tampered.rpm" 2>&1)
echo "# $got"
check "rpm-verify: tampered header: BAD" contains "$got" ": BAD"

# Every one of the packages good in both (this also warms both up).
good=$(rpmkeys --dbpath "$db" -Kv --nodigest $files 2>&1 | grep -c 'Header V[34] RSA/SHA[0-9]* Signature, key ID [0-9a-f]*: OK')
check "rpmkeys: $good of $n header signatures OK" test "$good" -eq "$n"
good=$(pgp-umd rpm-verify --header-only --keyring "$ring" $files 2>&1 | grep -c ': OK ')
check "rpm-verify: $good of $n header signatures OK" test "$good" -eq "$n"

# Rounds, alternating the two, each one process over all packages.
: > /tmp/rpm_bench.kernel
: > /tmp/rpm_bench.rpm
r=0
while [ "$r" -lt "$rounds" ]; do
	t0=$(now_ns)
	pgp-umd rpm-verify --header-only --keyring "$ring" $files > /dev/null 2>&1
	t1=$(now_ns)
	rpmkeys --dbpath "$db" -K --nodigest $files > /dev/null 2>&1
	t2=$(now_ns)
	echo $((t1 - t0)) >> /tmp/rpm_bench.kernel
	echo $((t2 - t1)) >> /tmp/rpm_bench.rpm
	echo "# round $((r + 1)): kernel path $(((t1 - t0) / 1000000)) ms, rpmkeys $(((t2 - t1) / 1000000)) ms"
	r=$((r + 1))
done
median()
{
	sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
mk=$(median /tmp/rpm_bench.kernel)
mr=$(median /tmp/rpm_bench.rpm)
awk -v k="$mk" -v r="$mr" -v n="$n" -v rounds="$rounds" 'BEGIN {
	printf "# RESULT %d headers, median of %d rounds: kernel path (pgp-umd rpm-verify) %.0f ms = %.0f us/header; rpmkeys -K --nodigest %.0f ms = %.0f us/header; ratio kernel/rpm %.2f\n",
		n, rounds, k / 1e6, k / n / 1e3, r / 1e6, r / n / 1e3, k / r
}'
check "timed $rounds rounds of each" test "$(grep -c . /tmp/rpm_bench.kernel)" -eq "$rounds"

# Where the kernel path's time goes: one more, untimed pass over 50 packages
# under the function_graph tracer (which slows every traced call, so only
# the shares mean something): pgp_umd_verify_signature() and its direct
# callees, mean microseconds per call.
T=/sys/kernel/debug/tracing
if grep -qw function_graph "$T/available_tracers" 2>/dev/null; then
	echo 0 > "$T/tracing_on"
	echo function_graph > "$T/current_tracer"
	echo pgp_umd_verify_signature > "$T/set_graph_function"
	echo 2 > "$T/max_graph_depth"
	echo > "$T/trace"
	echo 1 > "$T/tracing_on"
	pgp-umd rpm-verify --header-only --keyring "$ring" $(ls "$dir"/*.rpm | head -50) > /dev/null 2>&1
	echo 0 > "$T/tracing_on"
	awk -F'|' 'NF >= 2 && $(NF - 1) ~ / us/ {
		d = $(NF - 1); sub(/^ *[0-9]+\)/, "", d); gsub(/[^0-9.]/, "", d)
		f = $NF; gsub(/^ +| +$/, "", f); sub(/ \[[a-z_]*\]/, "", f); sub(/\(\);$/, "", f)
		if (f ~ /^}/) f = "pgp_umd_verify_signature(total)"
		sum[f] += d; n[f]++
	} END {
		for (f in sum) printf "# trace %-40s %6d calls %10.0f us/call\n", f, n[f], sum[f] / n[f]
	}' "$T/trace" | sort -k6 -n -r | head -14
	echo 1 > "$T/max_graph_depth"
	echo > "$T/set_graph_function"
	echo nop > "$T/current_tracer"
else
	echo "# (no function_graph tracer: no breakdown)"
fi

keyctl unlink "$ring" @u >/dev/null 2>&1
ktap_finished
