#!/usr/bin/env python3
"""ASCII-armor stdin (binary OpenPGP) to stdout: armor.py LABEL, e.g. SIGNATURE.

RFC 9580 section 6.2 framing: BEGIN line, blank line (no headers), base64 in
64-character lines, CRC24 checksum line (optional in RFC 9580, written here as
gpg does for v4 data), END line. Deterministic; stdlib only.
"""
import base64
import sys


def crc24(data: bytes) -> int:
    crc = 0xB704CE
    for b in data:
        crc ^= b << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def armor(data: bytes, label: str) -> str:
    b64 = base64.b64encode(data).decode()
    lines = [f"-----BEGIN PGP {label}-----", ""]
    lines += [b64[i:i + 64] for i in range(0, len(b64), 64)]
    lines.append("=" + base64.b64encode(crc24(data).to_bytes(3, "big")).decode())
    lines.append(f"-----END PGP {label}-----")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(armor(sys.stdin.buffer.read(), sys.argv[1]))
