#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The asymmetric key type works in this kernel: an X.509 DER certificate is
# added with keyctl padd, described, found by its subject key id, and removed.
# This is the baseline the OpenPGP parser is compared with.
. "$(dirname "$0")/lib.sh"

cert=$testdata/x509/rsa2048.der
skid=$(cat "$testdata/x509/rsa2048.skid" 2>/dev/null)
command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
ktap_plan 6

id=$(keyctl padd asymmetric "" @u < "$cert")
check "keyctl padd asymmetric \"\" @u < x509/rsa2048.der" test -n "$id"
desc=$(keyctl describe "$id" 2>&1)
echo "# keyctl describe: $desc"
# X.509 descriptions are "<CN>: <subject key id>" (the CN starts with the O).
check "keyctl describe shows type asymmetric" contains "$desc" " asymmetric: "
check "description is the subject CN and key id" \
	contains "$desc" "asymmetric: pgp-umd test RSA-2048: $skid"
check "keyctl search by subject key id finds it" \
	test "$(keyctl search @u asymmetric "id:$skid" 2>/dev/null)" = "$id"
check "keyctl unlink" keyctl unlink "$id" @u
check "non-certificate data is refused" \
	sh -c '! keyctl padd asymmetric "" @u < "$1" 2>/dev/null' - "$0"
ktap_finished
