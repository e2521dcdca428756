#!/usr/bin/env python3
"""Small edits of RPM files for the pgp-umd RPM corpus (run by make-rpms.sh).

Python 3, stdlib only. An independent second reading of the RPM layout (the
Rust reader in cli/src/rpm.rs is the first): lead (96 bytes), signature
header (padded to 8 bytes), main header, payload. Every header starts with
the 8-byte magic 8E AD E8 01 00 00 00 00, then the index count and the data
length (big-endian u32), 16-byte index entries (tag, type, offset, count),
then the data.

  region RPM OUT              write the main header exactly as rpm hashes it
                              (magic through the end of its data)
  set-sig RPM TAG SIG OUT     replace the signature header's header-only
                              signature tags (267, 268, 278) by TAG holding
                              SIG (binary packet; tag 278 stores it base64 in a
                              one-element string array), shrinking or growing
                              the reserved space (tag 1008) so that the
                              signature header keeps its size
  header-byte RPM TAG OUT     change the first byte of main-header string tag
                              TAG (e.g. 1004 SUMMARY): upper <-> lower case
  payload-byte RPM OUT        change one byte in the middle of the payload
  info RPM                    print the offsets this script sees
"""

import base64
import struct
import sys

LEAD_LEN = 96
LEAD_MAGIC = b"\xed\xab\xee\xdb"
HEADER_MAGIC = b"\x8e\xad\xe8\x01\x00\x00\x00\x00"
SIG_REGION_TAG = 62
RESERVED_SPACE_TAG = 1008
HEADER_SIG_TAGS = (267, 268, 278)
TYPE_BIN = 7
TYPE_STRING_ARRAY = 8
ALIGN = {3: 2, 4: 4, 5: 8}  # INT16, INT32, INT64


def die(msg):
    sys.exit(f"rpmedit: {msg}")


def read_header(data, off):
    """Returns (index entries, data start, end) of the header at `off`."""
    if data[off:off + 8] != HEADER_MAGIC:
        die(f"no header magic at {off}")
    il, dl = struct.unpack(">II", data[off + 8:off + 16])
    entries = [struct.unpack(">IIiI", data[off + 16 + 16 * i:off + 32 + 16 * i])
               for i in range(il)]
    start = off + 16 + 16 * il
    end = start + dl
    if end > len(data):
        die("header runs past the end of the file")
    return entries, start, end


def layout(data):
    """Offsets: signature header, main header, payload."""
    if data[:4] != LEAD_MAGIC:
        die("not an RPM (lead magic)")
    sig_entries, sig_start, sig_end = read_header(data, LEAD_LEN)
    main_off = sig_end + (-(sig_end - LEAD_LEN - 16)) % 8
    main_entries, main_start, main_end = read_header(data, main_off)
    return {
        "sig": (sig_entries, sig_start, sig_end),
        "main_off": main_off,
        "main": (main_entries, main_start, main_end),
    }


def value(data, start, end, entry):
    tag, typ, off, count = entry
    sizes = {2: 1, 3: 2, 4: 4, 5: 8, TYPE_BIN: 1}
    if typ in sizes:
        return data[start + off:start + off + sizes[typ] * count]
    # Strings: count NUL-terminated strings.
    pos = start + off
    for _ in range(count):
        pos = data.index(b"\0", pos, end) + 1
    return data[start + off:pos]


def build_sig_header(items, reserved_total):
    """items: list of (tag, type, count, bytes) without the region tag.
    Returns the header bytes (unpadded); the reserved space is sized so that
    16 * il + dl equals reserved_total when possible."""

    def assemble(items):
        items = sorted(items)
        il = len(items) + 1
        body = bytearray()
        index = []
        for tag, typ, count, val in items:
            a = ALIGN.get(typ, 1)
            body += b"\0" * ((-len(body)) % a)
            index.append((tag, typ, len(body), count))
            body += val
        trailer = struct.pack(">IIiI", SIG_REGION_TAG, TYPE_BIN, -16 * il, 16)
        region = (SIG_REGION_TAG, TYPE_BIN, len(body), 16)
        body += trailer
        out = bytearray(HEADER_MAGIC + struct.pack(">II", il, len(body)))
        for e in [region] + index:
            out += struct.pack(">IIiI", *e)
        return bytes(out + body), 16 * il + len(body)

    items = [i for i in items if i[0] != RESERVED_SPACE_TAG]
    _, without = assemble(items + [(RESERVED_SPACE_TAG, TYPE_BIN, 1, b"\0")])
    room = reserved_total - without + 1
    if room < 1:
        die("the new signature does not fit the reserved space")
    out, total = assemble(items + [(RESERVED_SPACE_TAG, TYPE_BIN, room, b"\0" * room)])
    assert total == reserved_total, (total, reserved_total)
    return out


def cmd_region(path, out):
    data = open(path, "rb").read()
    l = layout(data)
    open(out, "wb").write(data[l["main_off"]:l["main"][2]])


def cmd_set_sig(path, tag, sig_path, out):
    data = open(path, "rb").read()
    sig = open(sig_path, "rb").read()
    l = layout(data)
    entries, start, end = l["sig"]
    if entries[0][0] != SIG_REGION_TAG:
        die("signature header does not start with its region tag")
    items = []
    for e in entries[1:]:
        if e[0] in HEADER_SIG_TAGS:
            continue
        items.append((e[0], e[1], e[3], value(data, start, end, e)))
    if tag == 278:
        items.append((278, TYPE_STRING_ARRAY, 1, base64.b64encode(sig) + b"\0"))
    elif tag in (267, 268):
        items.append((tag, TYPE_BIN, len(sig), sig))
    else:
        die("TAG must be 267, 268 or 278")
    old_total = end - (LEAD_LEN + 16)
    header = build_sig_header(items, old_total)
    pad = b"\0" * ((-(len(header) - 16)) % 8)
    open(out, "wb").write(data[:LEAD_LEN] + header + pad + data[l["main_off"]:])


def cmd_header_byte(path, tag, out):
    data = bytearray(open(path, "rb").read())
    l = layout(data)
    entries, start, _ = l["main"]
    for e in entries:
        if e[0] == tag:
            pos = start + e[2]
            data[pos] ^= 0x20  # ASCII letter case
            open(out, "wb").write(data)
            return
    die(f"no tag {tag} in the main header")


def cmd_payload_byte(path, out):
    data = bytearray(open(path, "rb").read())
    l = layout(data)
    payload = l["main"][2]
    if payload >= len(data):
        die("no payload")
    pos = payload + (len(data) - payload) // 2
    data[pos] ^= 0x01
    open(out, "wb").write(data)


def cmd_info(path):
    data = open(path, "rb").read()
    l = layout(data)
    print(f"signature header at {LEAD_LEN}, {len(l['sig'][0])} entries, ends at {l['sig'][2]}")
    print(f"main header at {l['main_off']}, {len(l['main'][0])} entries, ends at {l['main'][2]}")
    print(f"payload {len(data) - l['main'][2]} bytes")


def main(argv):
    cmds = {
        ("region", 2): lambda a: cmd_region(a[0], a[1]),
        ("set-sig", 4): lambda a: cmd_set_sig(a[0], int(a[1]), a[2], a[3]),
        ("header-byte", 3): lambda a: cmd_header_byte(a[0], int(a[1]), a[2]),
        ("payload-byte", 2): lambda a: cmd_payload_byte(a[0], a[1]),
        ("info", 1): lambda a: cmd_info(a[0]),
    }
    if len(argv) < 2 or (argv[1], len(argv) - 2) not in cmds:
        sys.exit(__doc__)
    cmds[(argv[1], len(argv) - 2)](argv[2:])


if __name__ == "__main__":
    main(sys.argv)
