#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own crypto the project relies on is there: SHA-512 (a module,
# sha512_generic, on Debian's 6.1; built in on 6.12 and 7.x), SHA-256 and RSA.
. "$(dirname "$0")/lib.sh"

ktap_plan 3
has_alg()
{
	grep -q "^name *: $1\$" /proc/crypto
}
# On 6.1 the module comes from the image package, put in the VM by the harness.
has_alg sha512 || modprobe sha512_generic
check "sha512 is available" has_alg sha512
# Both are built in (CONFIG_CRYPTO_SHA256=y, CONFIG_CRYPTO_RSA=y) on 6.1, 6.12 and 7.x.
check "sha256 is available" has_alg sha256
check "rsa is available" has_alg rsa
ktap_finished
