#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A key added from OpenPGP works with the kernel's own signature code like an
# X.509 key: keyctl pkey_verify accepts gpg's signature over testdata's data
# (digest and value made from the gpg signature by testdata/pkey/make-pkey.py,
# independent of this project) and refuses it with one bit flipped.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader
ktap_plan 3

check "modprobe pgp_umd" modprobe pgp_umd
id=$(keyctl padd asymmetric "" @u < "$testdata/keys/rsa2048.pgp")
d=$testdata/pkey
check "keyctl pkey_verify accepts gpg's RSA-2048/SHA-256 signature" \
	keyctl pkey_verify "$id" 0 "$d/rsa2048-sha256.digest" "$d/rsa2048-sha256.sigvalue" \
	enc=pkcs1 hash=sha256
check "keyctl pkey_verify refuses it with one bit flipped" \
	sh -c '! keyctl pkey_verify "$1" 0 "$2" "$3" enc=pkcs1 hash=sha256 2>/dev/null' - \
	"$id" "$d/rsa2048-sha256.digest" "$d/rsa2048-sha256-flipped.sigvalue"
keyctl unlink "$id" @u >/dev/null 2>&1
ktap_finished
