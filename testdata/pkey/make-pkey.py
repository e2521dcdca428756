#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns gpg's detached signatures sigs/rsa2048-sha256-bin.sig and
sigs/rsa4096-sha256-bin.sig into the inputs of `keyctl pkey_verify` for the
keys keys/rsa2048.pgp and keys/rsa4096.pgp add: the digest the
signature covers (SHA-256 over data || hashed part || 04 FF len32, RFC 9580
5.2.4) and the signature value, the MPI left-padded to the modulus length.
Does the same for two Ed25519 signatures: gpg's v4 EdDSALegacy
sigs/ed25519-sha256-bin.sig (key keys/ed25519.pgp; value R || S, each MPI
left-padded to 32 octets) and sequoia's v6 v6/v6-ed25519-sha256-bin.sig (key
v6/v6-ed25519.pgp; digest over salt || data || hashed part || 06 FF len32;
value the native 64 octets); each is checked with the `cryptography`
package's Ed25519 before it is written. Written from the RFC, independent of
the project's parser; run by hand, the outputs are committed. Also writes a
copy of each value with one bit flipped.
"""
import hashlib
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)
data = open(os.path.join(top, "sigs/data.txt"), "rb").read()


def rsa_case(name, bits):
    sig = open(os.path.join(top, "sigs/" + name + "-bin.sig"), "rb").read()
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
    value_bits = int.from_bytes(mpi[:2], "big")
    value = mpi[2 : 2 + (value_bits + 7) // 8]

    trailer = b"\x04\xff" + len(hashed).to_bytes(4, "big")
    digest = hashlib.sha256(data + hashed + trailer).digest()
    assert digest[:2] == prefix, "hash prefix mismatch: not the right data"
    modulus_len = bits // 8
    raw = value.rjust(modulus_len, b"\0")
    open(os.path.join(here, name + ".digest"), "wb").write(digest)
    open(os.path.join(here, name + ".sigvalue"), "wb").write(raw)
    flipped = bytearray(raw)
    flipped[modulus_len // 2] ^= 0x01
    open(os.path.join(here, name + "-flipped.sigvalue"), "wb").write(bytes(flipped))
    print(name, "digest", digest.hex(), file=sys.stderr)


rsa_case("rsa2048-sha256", 2048)
rsa_case("rsa4096-sha256", 4096)


def packet_body(raw):
    """Body of the first packet, legacy or OpenPGP format (RFC 9580 4.2)."""
    first = raw[0]
    assert first & 0x80
    if first & 0x40:
        o = raw[1]
        if o < 192:
            return raw[2 : 2 + o]
        if o < 224:
            n = ((o - 192) << 8) + raw[2] + 192
            return raw[3 : 3 + n]
        assert o == 255
        n = int.from_bytes(raw[2:6], "big")
        return raw[6 : 6 + n]
    ltype = first & 3
    hl = {0: 2, 1: 3, 2: 5}[ltype]
    n = int.from_bytes(raw[1:hl], "big")
    return raw[hl : hl + n]


def mpi(b):
    n = (int.from_bytes(b[:2], "big") + 7) // 8
    return b[2 : 2 + n], b[2 + n :]


def ed25519_pub(path):
    k = packet_body(open(os.path.join(top, path), "rb").read())
    if k[0] == 4:
        assert k[5] == 22
        oid_len = k[6]
        assert k[7 : 7 + oid_len] == bytes.fromhex("2b06010401da470f01")
        point, _ = mpi(k[7 + oid_len :])
        assert len(point) == 33 and point[0] == 0x40
        return point[1:]
    assert k[0] == 6 and k[5] == 27
    return k[10:42]


def ed25519_case(name, sig_path, key_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    body = packet_body(open(os.path.join(top, sig_path), "rb").read())
    version = body[0]
    if version == 4:
        assert body[2] == 22 and body[3] == 8
        hashed_len = int.from_bytes(body[4:6], "big")
        hashed = body[: 6 + hashed_len]
        unhashed_len = int.from_bytes(body[6 + hashed_len : 8 + hashed_len], "big")
        rest = body[8 + hashed_len + unhashed_len :]
        prefix = rest[:2]
        r, rest = mpi(rest[2:])
        s_, _ = mpi(rest)
        value = r.rjust(32, b"\0") + s_.rjust(32, b"\0")
        salt = b""
    else:
        assert version == 6 and body[2] == 27 and body[3] == 8
        hashed_len = int.from_bytes(body[4:8], "big")
        hashed = body[: 8 + hashed_len]
        unhashed_len = int.from_bytes(body[8 + hashed_len : 12 + hashed_len], "big")
        rest = body[12 + hashed_len + unhashed_len :]
        prefix = rest[:2]
        salt_len = rest[2]
        salt = rest[3 : 3 + salt_len]
        value = rest[3 + salt_len : 3 + salt_len + 64]
    trailer = bytes([version, 0xFF]) + len(hashed).to_bytes(4, "big")
    digest = hashlib.sha256(salt + data + hashed + trailer).digest()
    assert digest[:2] == prefix, name + ": hash prefix mismatch"
    assert len(value) == 64
    Ed25519PublicKey.from_public_bytes(ed25519_pub(key_path)).verify(value, digest)
    open(os.path.join(here, name + ".digest"), "wb").write(digest)
    open(os.path.join(here, name + ".sigvalue"), "wb").write(value)
    flipped = bytearray(value)
    flipped[40] ^= 0x01
    open(os.path.join(here, name + "-flipped.sigvalue"), "wb").write(bytes(flipped))
    print(name, "digest", digest.hex(), file=sys.stderr)


ed25519_case("ed25519-sha256", "sigs/ed25519-sha256-bin.sig", "keys/ed25519.pgp")
ed25519_case("v6-ed25519-sha256", "v6/v6-ed25519-sha256-bin.sig", "v6/v6-ed25519.pgp")
