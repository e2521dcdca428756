#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Builds testdata/skip/: certificates with packets that decide nothing.

Each file is keys/rsa2048-certified.pgp (an RSA-2048 certificate with one
self-signed user id and one third-party certification) with packets added
that RFC 9580 says to ignore or that are certifications by someone else.
The kernel's reply maps none of them: they travel as runs of skipped
packets (docs/protocol.md). Next to each file, NAME.colons is what
`gpg --show-keys --with-colons` lists for it: the expectation of the host
and VM tests. Run from testdata/: python3 skip.py
"""
import os
import subprocess
import tempfile

from armor import armor

BASE = "keys/rsa2048-certified.pgp"
OUT = "skip"
# Copies of the third-party certification in the large file: more than
# protocol 2's 128 signature rows, and the most that keep the file within
# the 65,535 octets the kernel's X.509 parser, which add_key(2) tries
# first, lets through to the pgp parser (docs/kernel-api.md).
MANY = 209


def packets(data):
    """Splits a binary certificate into whole packets (OpenPGP or legacy)."""
    out, i = [], 0
    while i < len(data):
        first = data[i]
        if first & 0x40:
            o1 = data[i + 1]
            if o1 < 192:
                hl, bl = 2, o1
            elif o1 < 224:
                hl, bl = 3, ((o1 - 192) << 8) + data[i + 2] + 192
            else:
                hl, bl = 6, int.from_bytes(data[i + 2:i + 6], "big")
        else:
            n = {0: 1, 1: 2, 2: 4}[first & 3]
            hl, bl = 1 + n, int.from_bytes(data[i + 1:i + 1 + n], "big")
        out.append(data[i:i + hl + bl])
        i += hl + bl
    return out


def packet(tag, body):
    """An OpenPGP-format packet with a five-octet length."""
    return bytes([0xC0 | tag, 0xFF]) + len(body).to_bytes(4, "big") + body


def tag_of(p):
    return p[0] & 0x3F if p[0] & 0x40 else (p[0] >> 2) & 0x0F


def main():
    base = packets(open(BASE, "rb").read())
    assert [tag_of(p) for p in base] == [6, 13, 2, 2], "unexpected base layout"
    primary, uid, selfsig, third = base
    issuer = bytes([33, 4]) + bytes.fromhex("59FEF0293B8DEAA3BFBDFC7588034C33F95FC40E")
    hashed = bytes([len(issuer) + 0]) + issuer
    # A third-party certification this parser cannot map: a zero-length
    # subpacket (which has no type octet) in its hashed area and an
    # unknown public-key algorithm. gpg lists the certificate; skipped, only
    # its framing and issuer are read.
    hashed = bytes([len(issuer)]) + issuer + b"\0"
    broken = (bytes([4, 0x10, 100, 10]) + len(hashed).to_bytes(2, "big") + hashed
              + b"\0\0" + b"\x12\x34" + b"opaque value of algorithm 100")
    v5 = bytes([5, 0x13, 22, 10]) + b"\0\0\0\0" + b"LibrePGP v5 signature body"
    files = {
        "unknown-packets": [primary, uid, selfsig, packet(60, b"experimental"), third,
                            packet(40, b"non-critical")],
        "v5-signature": [primary, uid, selfsig, packet(2, v5), third],
        "broken-third-party": [primary, uid, selfsig, packet(2, broken), third],
        "third-party-uid": [primary, uid, selfsig, third,
                            packet(13, b"Only certified by others <other@test.pgp-umd.invalid>"),
                            third],
        "many-certifications": [primary, uid, selfsig] + [third] * MANY,
    }
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        for name, parts in files.items():
            path = os.path.join(OUT, name + ".pgp")
            data = b"".join(parts)
            with open(path, "wb") as f:
                f.write(data)
            with open(os.path.join(OUT, name + ".asc"), "w") as f:
                f.write(armor(data, "PUBLIC KEY BLOCK"))
            gpg = subprocess.run(
                ["gpg", "--homedir", home, "--batch", "--show-keys", "--with-colons",
                 "--with-fingerprint", "--with-fingerprint", path],
                capture_output=True, env={**os.environ, "TZ": "UTC"},
            )
            colons = os.path.join(OUT, name + ".colons")
            if gpg.returncode == 0:
                with open(colons, "wb") as f:
                    f.write(gpg.stdout)
            else:
                # gpg 2.2 refuses a certificate with a v5 signature
                # ("invalid packet"); sequoia, as RFC 9580 says, ignores
                # it. The host test compares with sequoia instead.
                print(f"{path}: gpg refuses it, no {colons}")
                if os.path.exists(colons):
                    os.remove(colons)


if __name__ == "__main__":
    main()
