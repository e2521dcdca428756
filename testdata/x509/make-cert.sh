#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Makes the X.509 test certificate of the VM harness (selftests/keyctl_x509.sh):
# a self-signed RSA-2048 / SHA-256 certificate in DER, and its subject key id
# (lowercase hex) for `keyctl search ... asymmetric id:<skid>`.
# Run once by hand; the outputs are committed and never regenerated in CI.
# The private key is thrown away.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" \
	-sha256 -days 36500 \
	-subj "/O=pgp-umd/CN=pgp-umd test RSA-2048" \
	-addext "basicConstraints=critical,CA:FALSE" \
	-addext "keyUsage=critical,digitalSignature" \
	-addext "subjectKeyIdentifier=hash" \
	-outform DER -out rsa2048.der
openssl x509 -inform DER -in rsa2048.der -noout -ext subjectKeyIdentifier |
	sed -n '2p' | tr -d ' :\n' | tr 'A-F' 'a-f' > rsa2048.skid
echo >> rsa2048.skid
openssl x509 -inform DER -in rsa2048.der -noout -subject -fingerprint -sha256
echo "skid: $(cat rsa2048.skid)"
