#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes ed448-v6.pgp: a v6 certificate (RFC 9580 5.5.2.3) whose primary is
Ed448 (algorithm 28): key packet, user id, and a v6 positive certification
with creation time, issuer fingerprint and key flags (certify, sign). The
key and signature octets are not real Ed448 values: the kernel has no Ed448
and must refuse the certificate for its algorithm (-ENOPKG) before it looks
at either (selftests/pgp_ed25519.sh). Deterministic; run by hand, the output
is committed.
"""
import hashlib
import os

here = os.path.dirname(os.path.abspath(__file__))
T = 1704110400  # 2024-01-01 12:00:00 UTC, as the corpus keys


def packet(tag, body):
    n = len(body)
    if n < 192:
        return bytes([0xC0 | tag, n]) + body
    m = n - 192
    assert m < 8192
    return bytes([0xC0 | tag, (m >> 8) + 192, m & 0xFF]) + body


key = hashlib.shake_256(b"pgp-umd ed448 refusal test key").digest(57)
kbody = bytes([6]) + T.to_bytes(4, "big") + bytes([28]) + len(key).to_bytes(4, "big") + key
fpr = hashlib.sha256(bytes([0x9B]) + len(kbody).to_bytes(4, "big") + kbody).digest()
uid = b"Ed448 refused <ed448@test.pgp-umd.invalid>"
sub = bytes([5, 2]) + T.to_bytes(4, "big")  # signature creation time
sub += bytes([34, 33, 6]) + fpr  # issuer fingerprint
sub += bytes([2, 27, 0x03])  # key flags: certify, sign
hashed = bytes([6, 0x13, 28, 10]) + len(sub).to_bytes(4, "big") + sub
salt = hashlib.shake_256(b"salt").digest(32)
value = hashlib.shake_256(b"not a signature").digest(114)
sbody = hashed + (0).to_bytes(4, "big") + b"\x00\x00" + bytes([32]) + salt + value
cert = packet(6, kbody) + packet(13, uid) + packet(2, sbody)
open(os.path.join(here, "ed448-v6.pgp"), "wb").write(cert)
print(fpr.hex().upper())
