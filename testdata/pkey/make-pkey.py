#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns gpg's detached signature sigs/rsa2048-sha256-bin.sig into the inputs
of `keyctl pkey_verify` for the key keys/rsa2048.pgp adds: the digest the
signature covers (SHA-256 over data || hashed part || 04 FF len32, RFC 9580
5.2.4) and the signature value, the MPI left-padded to the modulus length.
Written from the RFC, independent of the project's parser; run by hand, the
outputs are committed. Also writes a copy of the value with one bit flipped.
"""
import hashlib
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)
sig = open(os.path.join(top, "sigs/rsa2048-sha256-bin.sig"), "rb").read()
data = open(os.path.join(top, "sigs/data.txt"), "rb").read()

# Packet header (gpg writes the legacy format).
tag_octet = sig[0]
assert tag_octet & 0x80 and not tag_octet & 0x40 and (tag_octet >> 2) & 0x0F == 2
ltype = tag_octet & 3
hlen = {0: 2, 1: 3, 2: 5}[ltype]
body = sig[hlen:]
assert body[0] == 4 and body[3] == 8, "a v4 SHA-256 signature"
hashed_len = int.from_bytes(body[4:6], "big")
hashed = body[: 6 + hashed_len]
unhashed_len = int.from_bytes(body[6 + hashed_len : 8 + hashed_len], "big")
rest = body[8 + hashed_len + unhashed_len :]
prefix, mpi = rest[:2], rest[2:]
bits = int.from_bytes(mpi[:2], "big")
value = mpi[2 : 2 + (bits + 7) // 8]

digest = hashlib.sha256(data + hashed + b"\x04\xff" + len(hashed).to_bytes(4, "big")).digest()
assert digest[:2] == prefix, "hash prefix mismatch: not the right data"
modulus_len = 2048 // 8
raw = value.rjust(modulus_len, b"\0")
open(os.path.join(here, "rsa2048-sha256.digest"), "wb").write(digest)
open(os.path.join(here, "rsa2048-sha256.sigvalue"), "wb").write(raw)
flipped = bytearray(raw)
flipped[modulus_len // 2] ^= 0x01
open(os.path.join(here, "rsa2048-sha256-flipped.sigvalue"), "wb").write(bytes(flipped))
print("digest", digest.hex(), file=sys.stderr)
