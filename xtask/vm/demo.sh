#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `cargo xtask demo`, inside the VM: what a user of pgp-umd sees. Each
# command is shown with "$ " before it runs; its output follows. The script
# exits non-zero if any step does not give what the demo says it gives, so a
# broken demo cannot look like a working one.
. "$(dirname "$0")/lib.sh"

failed=0
# say TEXT: a section title.
say()
{
	printf '\n=== %s ===\n' "$*"
}

# show CMD...: print and run a command that must succeed.
show()
{
	printf '$ %s\n' "$*"
	if ! sh -c "$*" 2>&1; then
		echo "!!! the command above failed; the demo expected success"
		failed=1
	fi
}

# refuse WANT CMD...: print and run a command that must fail with an error
# containing WANT (the errno's text), and show its error.
refuse()
{
	_want=$1
	shift
	printf '$ %s\n' "$*"
	if _out=$(sh -c "$*" 2>&1); then
		printf '%s\n' "$_out"
		echo "!!! the command above succeeded; the demo expected a refusal"
		failed=1
		return
	fi
	printf '%s\n' "$_out"
	case $_out in
	*"$_want"*) ;;
	*)
		echo "!!! the refusal above does not say \"$_want\""
		failed=1
		;;
	esac
}

cd "$testdata" || exit 1
case $(uname -r) in
6.1.*) has_ecdsa=no ;;
*) has_ecdsa=yes ;;
esac

say "kernel $(uname -r): load the manager (modprobe pulls in umd_mgmt)"
show "modprobe pgp_umd"
show "lsmod | grep -E '^(pgp_umd|pgp_umd_loader|umd_mgmt) '"

say "a distribution-style armored key file (like RPM-GPG-KEY-*), added with keyctl padd"
show "head -3 rpm/keys/rpm-rsa4096.asc"
show "keyctl padd asymmetric '' @u < rpm/keys/rpm-rsa4096.asc"
echo "# the first request loaded pgp_umd_loader, which holds the handler binary:"
show "lsmod | grep -E '^(pgp_umd|pgp_umd_loader|umd_mgmt) '"
id=$(keyctl search @u asymmetric id:73F1D0AFA9F5D51A 2>/dev/null)
show "keyctl describe $id"
echo "# found by its OpenPGP key id and by its full fingerprint (as gpg --show-keys prints them):"
show "keyctl search @u asymmetric id:73F1D0AFA9F5D51A"
show "keyctl search @u asymmetric id:70925C063278103397F221BA73F1D0AFA9F5D51A"

say "a binary RSA key, and an ECDSA P-256 key"
show "keyctl padd asymmetric '' @u < keys/rsa3072.pgp"
if [ $has_ecdsa = yes ]; then
	show "keyctl padd asymmetric '' @u < keys/ecdsa-p256.pgp"
else
	echo "# Linux 6.1 has no ECDSA signature verification: the key is refused (ENOPKG)"
	refuse "Package not installed" "keyctl padd asymmetric '' @u < keys/ecdsa-p256.pgp"
fi
say "an Ed25519 key (gpg's v4 EdDSALegacy): no kernel has Ed25519, pgp_umd brings its own"
show "keyctl padd asymmetric '' @u < keys/ed25519.pgp"
show "keyctl show @u"

say "a certify-only primary with a signing subkey: the subkey is the keyring key"
show "keyctl padd asymmetric '' @u < keys/rsa-certonly-signsub.pgp"
echo "# a selector names one key packet; the certify-only primary is refused (EKEYREJECTED)"
show "keyctl padd asymmetric pgp:9948C7712B10C90C2BAF99928E7B309B37827C96 @u < keys/rsa-certonly-signsub.pgp"
refuse "Key was rejected" "keyctl padd asymmetric pgp:F7ACCB4C34C26E7CE2CB862A387E8A088638FCFB @u < keys/rsa-certonly-signsub.pgp"

say "refused inputs: nothing is added, the kernel log says why"
refuse "Bad message" "keyctl padd asymmetric '' @u < negative/bad-mpi-past-body-key.pgp"
refuse "Key has been revoked" "keyctl padd asymmetric '' @u < keys/rsa2048-revoked.pgp"
refuse "Package not installed" "keyctl padd asymmetric '' @u < keys/dsa3072-elg.pgp"
show "dmesg | grep pgp_umd | tail -3"

say "RPM header signatures, checked by the kernel"
show "keyctl newring rpm-keys @u > /tmp/ring && cat /tmp/ring"
ring=$(cat /tmp/ring)
show "pgp-umd keyring import --keyring $ring rpm/keys/rpm-rsa2048.asc rpm/keys/rpm-rsa3072.asc rpm/keys/rpm-rsa4096.asc rpm/keys/rpm-rsa-signsub.asc"
show "pgp-umd rpm-verify --keyring $ring rpm/rsa2048-sha256.rpm rpm/rsa4096-sha512.rpm rpm/rsa-signsub-sha256.rpm rpm/v3-rsa3072-sha256.rpm"
echo "# a tampered header, an unknown signer, an unsigned package: each is not OK (exit 1)"
refuse "BAD signature" "pgp-umd rpm-verify --keyring $ring rpm/header-tampered.rpm"
refuse "BAD no key" "pgp-umd rpm-verify --keyring $ring rpm/wrongkey-sha256.rpm"
refuse "NOSIG" "pgp-umd rpm-verify --keyring $ring rpm/unsigned.rpm"
echo "# as rpmkeys -Kv: the signature through the kernel, the digests here, one line each"
show "pgp-umd rpm-verify -v --keyring $ring rpm/rsa2048-sha256.rpm"
echo "# a changed payload under a good header signature: the payload digests catch it"
refuse "Payload SHA256 digest does not match" "pgp-umd rpm-verify --keyring $ring rpm/payload-tampered.rpm"

say "a detached signature over a file, checked by the kernel"
show "pgp-umd keyring import --keyring $ring keys/rsa2048.asc"
show "pgp-umd verify --keyring $ring sigs/rsa2048-sha256-bin.sig sigs/data.txt"
show "cp sigs/data.txt /tmp/data.txt && echo tampered >> /tmp/data.txt"
refuse "FAIL EKEYREJECTED" "pgp-umd verify --keyring $ring sigs/rsa2048-sha256-bin.sig /tmp/data.txt"

say "a signature file with two signers (as a distribution's Release.gpg), the keyring by name"
show "pgp-umd keyring import --keyring rpm-keys keys/rsa4096.asc"
show "pgp-umd verify --keyring rpm-keys multisig/two-good.asc sigs/data.txt"
echo "# one of the two signatures does not verify: the file is refused (exit 1)"
refuse "FAIL EKEYREJECTED" "pgp-umd verify --keyring rpm-keys multisig/good-and-bad.sig sigs/data.txt"

if [ $failed -ne 0 ]; then
	echo "!!! the demo did not go as described (see the !!! lines above)"
	exit 1
fi
echo
echo "demo finished: every step gave the result shown"
