#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The modules DKMS built and installed (cargo xtask dkms-check boots the VM
# with `vm-test --modules-from`, which puts them where `dkms install` does,
# /lib/modules/$(uname -r)/updates/dkms/, instead of the harness's own build):
# they are the only copies, `modprobe pgp_umd` loads the manager with
# umd_mgmt, and the first key makes the kernel load pgp_umd_loader (the
# handler) on demand.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
release=$(uname -r)
dkms=/lib/modules/$release/updates/dkms
[ -d "$dkms" ] || ktap_skip_all "no DKMS-installed modules in $dkms (vm-test --modules-from)"

use_profile "$testdata/vm/keys.tsv"
kernel=$profile
# The fingerprint gpg gives for the corpus's plain RSA certificate.
cert=keys/rsa2048.pgp
fpr=$(awk -F'\t' -v k="$kernel" -v f="$cert" '$1 == k && $2 == f && $3 == "-" { sub(/^ok /, "", $4); print $4 }' \
	"$testdata/vm/keys.tsv")

ktap_plan 10
for m in pgp_umd_loader pgp_umd umd_mgmt; do
	rmmod "$m" 2>/dev/null
done

for m in umd_mgmt pgp_umd pgp_umd_loader; do
	check "the only $m is DKMS's" \
		test "$(find "/lib/modules/$release" -name "$m.ko*")" = "$dkms/$m.ko"
done
check "modprobe pgp_umd" modprobe pgp_umd
check "umd_mgmt loaded with it" is_loaded umd_mgmt
check "pgp_umd_loader not loaded before the first request" sh -c '! grep -q "^pgp_umd_loader " /proc/modules'
id=$(keyctl padd asymmetric "" @u < "$testdata/$cert" 2>&1)
check "$cert added, found by its fingerprint" \
	test -n "$fpr" -a "$(keyctl search @u asymmetric "id:$fpr" 2>/dev/null)" = "$id"
keyctl unlink "$id" @u >/dev/null 2>&1
check "the kernel loaded pgp_umd_loader on demand" is_loaded pgp_umd_loader
check "rmmod pgp_umd_loader pgp_umd umd_mgmt" \
	sh -c 'rmmod pgp_umd_loader && rmmod pgp_umd && rmmod umd_mgmt'
check "none of them is left loaded" \
	sh -c '! grep -q -e "^umd_mgmt " -e "^pgp_umd " -e "^pgp_umd_loader " /proc/modules'
ktap_finished
