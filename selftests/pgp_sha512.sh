#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# SHA-384/512 signatures and the module that provides the hash. On Debian's
# 6.1, SHA-512 comes from the module sha512_generic, which the kernel
# requests when a verification first needs it: with the module unloaded and
# its file hidden, a SHA-512 (and SHA-384) signature must fail with ENOPKG and
# a log line naming the hash; with the file back, the kernel loads it and
# the same signatures verify. Where SHA-512 is built in (6.12, 7.x): they
# verify.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

sig512=$testdata/sigs/rsa2048-sha512-bin.sig
sig384=$testdata/sigs/rsa2048-sha384-bin.sig
data=$testdata/sigs/data.txt
# The signer's key id, as gpg states it (testdata/vm/signatures.tsv).
want="OK B77FA5D48822D0D1"

# Decided by what the kernel has (Debian's 6.1: a module; 6.12, 7.x: built
# in), not by its version.
if builtin_crypto sha512; then
	sha512_from=kernel
	ktap_plan 3
else
	sha512_from=module
	ktap_plan 9
fi

check "modprobe pgp_umd" modprobe pgp_umd
ring=$(keyctl newring pgp_sha512 @u)
check "the signing key added" \
	sh -c "keyctl padd asymmetric '' $ring < $testdata/keys/rsa2048.pgp >/dev/null"

case $sha512_from in
module)
	ko=$(modprobe -D sha512_generic 2>/dev/null | awk '/^insmod/ { print $2 }' | tail -1)
	[ -n "$ko" ] || ko=$(find /lib/modules/"$(uname -r)" -name 'sha512_generic.ko*' | head -1)
	echo "# module file: $ko"
	if is_loaded sha512_generic; then
		rmmod sha512_generic
	fi
	check "sha512_generic is not loaded" sh -c '! grep -q "^sha512_generic " /proc/modules'
	mv "$ko" /tmp/sha512_generic.hidden
	before=$(dmesg | wc -l)
	got=$(pgp-umd verify --keyring "$ring" "$sig512" "$data" 2>&1)
	echo "# without the module: $got"
	check "SHA-512 without sha512_generic: ENOPKG" contains "$got" "FAIL ENOPKG"
	got=$(pgp-umd verify --keyring "$ring" "$sig384" "$data" 2>&1)
	echo "# without the module: $got"
	check "SHA-384 without sha512_generic: ENOPKG" contains "$got" "FAIL ENOPKG"
	log=$(dmesg | tail -n +$((before + 1)))
	echo "$log" | grep 'unavailable' | sed 's/^/# /'
	check "the kernel log names the missing hash" \
		contains "$log" "pgp_umd: hash sha512 unavailable"
	mv /tmp/sha512_generic.hidden "$ko"
	got=$(pgp-umd verify --keyring "$ring" "$sig512" "$data" 2>&1)
	echo "# with the module back: $got"
	check "SHA-512 with sha512_generic back: $want" contains "$got" "$want"
	check "the kernel loaded sha512_generic itself" is_loaded sha512_generic
	got=$(pgp-umd verify --keyring "$ring" "$sig384" "$data" 2>&1)
	check "SHA-384 with sha512_generic back: $want" contains "$got" "$want"
	;;
kernel)
	got=$(pgp-umd verify --keyring "$ring" "$sig512" "$data" 2>&1)
	echo "# $got"
	check "SHA-512 (built in): $want" contains "$got" "$want"
	;;
esac

keyctl unlink "$ring" @u >/dev/null 2>&1
ktap_finished
