#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BENCHMARK, not a test of the default run: Ed25519 in the kernel against
# RSA-4096 in the same boot.
#  - keyctl pkey_verify (pkey_verify_bench, selftests/pkey_verify_bench.c):
#    one verification of gpg's RSA-4096/SHA-256 signature (the kernel's
#    RSA, through public_key) against one of gpg's v4 EdDSALegacy and
#    sequoia's v6 Ed25519 signatures (this module's subtype: SHA-512 and
#    pgp_ed25519_verify()), inputs from testdata/pkey/make-pkey.py;
#  - add_key(2) (add_key_bench): gpg's RSA-4096 certificate against gpg's
#    Ed25519 one (both a certify+sign primary and an encryption subkey) and
#    sequoia's v6 Ed25519 one.
# Run it with:
#   cargo xtask vm-test --kernel all --bench --only-script --script selftests/pgp_ed25519_bench.sh
# and read the figures in target/vm/<kernel>/tap.txt (docs/benchmarks.md).
# ED25519_BENCH_N changes N (default 200).
. "$(dirname "$0")/lib.sh"

command -v pkey_verify_bench >/dev/null || ktap_skip_all "pkey_verify_bench is not in the initramfs"
command -v add_key_bench >/dev/null || ktap_skip_all "add_key_bench is not in the initramfs"
require_module umd_mgmt pgp_umd pgp_umd_loader
n=${ED25519_BENCH_N:-200}
d=$testdata/pkey
ktap_plan 3

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# cmdline: $(cat /proc/cmdline)"
check "modprobe pgp_umd" modprobe pgp_umd
out=$(pkey_verify_bench "$n" \
	rsa4096-pkcs1 "$testdata/keys/rsa4096.pgp" "$d/rsa4096-sha256.digest" \
		"$d/rsa4096-sha256.sigvalue" "enc=pkcs1 hash=sha256" \
	ed25519-v4 "$testdata/keys/ed25519.pgp" "$d/ed25519-sha256.digest" \
		"$d/ed25519-sha256.sigvalue" - \
	ed25519-v6 "$testdata/v6/v6-ed25519.pgp" "$d/v6-ed25519-sha256.digest" \
		"$d/v6-ed25519-sha256.sigvalue" - 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check "pkey_verify_bench: $n calls per case, each verified" test $rc -eq 0
out=$(add_key_bench "$n" \
	openpgp-rsa4096 - "$testdata/keys/rsa4096.pgp" ok \
	openpgp-ed25519-v4 - "$testdata/keys/ed25519.pgp" ok \
	openpgp-ed25519-v6 - "$testdata/v6/v6-ed25519.pgp" ok 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check "add_key_bench: $n calls per case, every key added" test $rc -eq 0
ktap_finished
