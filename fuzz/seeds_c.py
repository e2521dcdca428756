#!/usr/bin/env python3
"""Writes the seed corpora of the C sanitizer and RPM reader targets into
fuzz/corpus/TARGET/ (file names: sha1 of the content, as libFuzzer names
them), from testdata. Input formats are described in each target's header.
Usage: fuzz/seeds_c.py"""
import glob, hashlib, os, struct

here = os.path.dirname(os.path.abspath(__file__))
td = os.path.join(here, "..", "testdata")


def write(target, data):
    d = os.path.join(here, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def payloads():
    """The testdata payloads in the order ctarget::testdata_payloads reads them."""
    out = []
    for sub in ["keys", "sigs", "v3", "v6"]:
        for p in sorted(glob.glob(os.path.join(td, sub, "*"))):
            if p.endswith(".pgp") and "keyring" not in p:
                out.append(("key", p))
            elif p.endswith(".sig"):
                out.append(("sig", p))
    return out


# (a) c_dearmor: control octet (1: key label) + armored text, including the
# distribution-style files of testdata/distro (text before the armor).
for p in sorted(glob.glob(os.path.join(td, "*", "*.asc"))):
    text = open(p, "rb").read()
    key = b"-----BEGIN PGP PUBLIC KEY BLOCK-----" in text
    write("c_dearmor", bytes([1 if key else 0]) + text)
# Generated armor (control bit 1): options octet + payload, for a key and a
# signature, eight option sets (blocks, text around, headers, CRLF, CRC,
# spoiled trailing bits, a private-key block).
key_bin = open(os.path.join(td, "keys", "rsa2048.pgp"), "rb").read()
sig_bin = open(os.path.join(td, "sigs", "rsa2048-sha256-bin.sig"), "rb").read()
for opts in [0x00, 0x0D, 0x1E, 0x2F, 0x3F, 0x46, 0x86, 0xFF]:
    write("c_dearmor", bytes([3, opts]) + key_bin)
    write("c_dearmor", bytes([2, opts]) + sig_bin)
# Canonical base64: trailing bits set after one and two padding characters.
for body in [b"QR==", b"QUJ="]:
    write("c_dearmor", b"\x01-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + body
          + b"\n-----END PGP PUBLIC KEY BLOCK-----\n")

# (b) c_reply_lies: index u16, mode, lies (4 octets) or raw overlay.
pl = payloads()
for i, (kind, p) in enumerate(pl):
    idx = struct.pack("<H", i)
    write("c_reply_lies", idx + b"\x00")
    # One lie per table kind, in the used rows (see ctarget::apply_lies).
    write("c_reply_lies", idx + b"\x01" + bytes([0x21, 3, 1, 0, 0x42, 5, 0xFF, 0xFF, 0x62, 0, 2, 0]))
    if i % 8 == 0:
        write("c_reply_lies", idx + b"\x83" + b"\x10\x00" + b"\x00\x01\x02\x03")

# (c) c_reply_honest: control (bit 0: signature), len u16, payload, knobs.
for i, (kind, p) in enumerate(pl):
    data = open(p, "rb").read()
    if len(data) > 0xFFFF:
        continue
    ctrl = 0 if kind == "key" else 1
    knobs = b"\x01" if kind == "key" else b"\x00data"
    write("c_reply_honest", bytes([ctrl]) + struct.pack("<H", len(data)) + data + knobs)
    if i % 4 == 0:
        write("c_reply_honest", bytes([ctrl | 0x80]) + struct.pack("<H", len(data)) + data
              + b"\x02" + b"\x00" * 32 + bytes([0x41, 1, 0, 0, 0x60, 2, 0xFF, 0]))

# (d) c_sig_hashed: control, type, hash, hashed spec, unhashed spec, data.
def spec(*subs):
    out = b""
    for t, body in subs:
        out += bytes([t, len(body)]) + body
    return bytes([len(out)]) + out

created = (2, struct.pack(">I", 1767225600 - 1000))
expiry = (3, struct.pack(">I", 86400))
issuer = (16, bytes(range(8)))
flags = (27, b"\x03")
critical_unknown = (0x80 | 100, b"x")
notation = (20, b"\x80\x00\x00\x00\x00\x01\x00\x01nv")
for ctrl in range(0, 256, 5):
    for st, hashed in [(0, spec(created)), (1, spec(created, expiry)), (0x13, spec(created, flags)),
                       (0, spec(created, critical_unknown)), (0, spec(notation, created)), (0x18, spec())]:
        write("c_sig_hashed", bytes([ctrl, st, ctrl & 0x87]) + hashed + spec(issuer) + b"signed data")

# RPM reader: control 0 + the file, and control 1 + pick + one lie.
rpms = sorted(glob.glob(os.path.join(td, "rpm", "*.rpm")))
for i, p in enumerate(rpms):
    data = open(p, "rb").read()
    write("rpm_reader", b"\x00" + data)
    write("rpm_reader", bytes([1, i]))
    write("rpm_reader", bytes([1, i, 2, 1, 0, 1, 0x0C]))  # entry 1 tag := 268
    write("rpm_reader", bytes([1, i, 5, 1, 0, 0, 9]))     # entry 1 count := 9
