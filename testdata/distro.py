#!/usr/bin/env python3
"""Distribution-style key files from the committed test keys: testdata/distro/.

Run by hand (the tests never run it): python3 testdata/distro.py

Each NAME.asc is made from keys/*.asc the way distributions ship their
RPM-GPG-KEY-* files: a key listing or a sentence before the armor, two or
three armored PUBLIC KEY BLOCKs one after another with text between and
after, gpg-style headers, CRLF in one file, writer quirks gpg tolerates in
another. Next to each file:
  NAME.parts    the keys/NAME.pgp binaries whose concatenation the armor holds
  NAME.colons   `gpg --show-keys --with-colons NAME.asc` (every key gpg reads)
  NAME.rpmkeys  `rpmkeys --import NAME.asc` into a scratch --dbpath: its exit
                status, then the gpg-pubkey packages in the database
                (rpm -q gpg-pubkey), only where rpm is installed.
Needs gpg; rpm optional; stdlib only. Deterministic (fixed inputs).
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")
OUT = os.path.join(HERE, "distro")


def key_asc(name):
    with open(os.path.join(KEYS, name + ".asc"), encoding="ascii") as f:
        return f.read()


def with_headers(asc, headers, blank=True):
    """Puts header lines after the BEGIN line (gpg writes none)."""
    lines = asc.split("\n")
    assert lines[0].startswith("-----BEGIN PGP ") and lines[1] == ""
    head = [lines[0]] + headers + ([""] if blank else [])
    return "\n".join(head + lines[2:])


def without_crc(asc):
    return "\n".join(l for l in asc.split("\n") if not l.startswith("="))


def rewrap(asc, width):
    """Body lines of another width (some writers use 76 columns)."""
    lines = asc.split("\n")
    start = lines.index("") + 1
    end = next(i for i, l in enumerate(lines) if l.startswith("=") or l.startswith("-----END"))
    body = "".join(lines[start:end])
    wrapped = [body[i:i + width] for i in range(0, len(body), width)]
    return "\n".join(lines[:start] + wrapped + lines[end:])


def gpg_listing(name, home):
    """gpg's human listing of a key, as distributions paste it before the armor."""
    return subprocess.run(
        ["gpg", "--homedir", home, "--batch", "--keyid-format", "short", "--show-keys",
         os.path.join(KEYS, name + ".asc")],
        check=True, capture_output=True, text=True).stdout


def files(home):
    """NAME -> (text, [key names])."""
    out = {}
    # Fedora-style: gpg's listing of the key, then one armored block.
    out["listing-one"] = (
        gpg_listing("rsa2048", home) + "\n"
        + with_headers(key_asc("rsa2048"), ["Version: GnuPG v1"]),
        ["rsa2048"])
    # A sentence, two blocks with text between.
    out["sentence-two"] = (
        "The following public keys can be used to verify RPM packages built and\n"
        "signed by the pgp-umd test suite.\n\n"
        + with_headers(key_asc("rsa2048"), ["Version: GnuPG v2", "Comment: first key"])
        + "\nThe key for the next release:\n\n"
        + with_headers(key_asc("rsa4096"), ["Version: GnuPG v2", "Comment: second key"])
        + "\n",
        ["rsa2048", "rsa4096"])
    # Three blocks, CRLF line ends, listings before each.
    three = ""
    for k in ["rsa3072", "rsa-certonly-signsub", "rsa2048-two-uids"]:
        three += gpg_listing(k, home) + "\n" + with_headers(key_asc(k), ["Version: GnuPG v2"])
    three += "-- \nend of keys\n"
    out["three-crlf"] = (three.replace("\n", "\r\n"), ["rsa3072", "rsa-certonly-signsub",
                                                         "rsa2048-two-uids"])
    # Writer quirks gpg reads: no CRC, trailing white space, an empty
    # "Comment:", unknown headers, 76 columns, a blank line inside the body,
    # text after the last block. (A block without the blank line after its
    # headers gpg 2.2 reads only at the very start of a file: not here.)
    a = with_headers(without_crc(key_asc("ecdsa-p256")), ["Comment:", "Hash: SHA256"])
    a = "\n".join(l + " \t" if l else l for l in a.split("\n"))
    b = rewrap(key_asc("ed25519"), 76).split("\n")
    # An unknown header; a blank line inside the body.
    b = [b[0], "X-Origin: pgp-umd testdata", ""] + b[2:5] + [""] + b[5:]
    b = "\n".join(b)
    c = key_asc("rsa2048")
    out["quirks-three"] = ("Keys of the test suite:\n" + b + a + "\n" + c + "trailing words\n",
                           ["ed25519", "ecdsa-p256", "rsa2048"])
    return out


def main():
    if shutil.which("gpg") is None:
        sys.exit("gpg is needed")
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        home = os.path.join(tmp, "gnupg")
        os.mkdir(home, 0o700)
        for name, (text, parts) in files(home).items():
            base = os.path.join(OUT, name)
            with open(base + ".asc", "w", encoding="ascii", newline="") as f:
                f.write(text)
            with open(base + ".parts", "w", encoding="ascii") as f:
                f.write("".join(p + "\n" for p in parts))
            colons = subprocess.run(
                ["gpg", "--homedir", home, "--batch", "--show-keys", "--with-colons",
                 base + ".asc"], check=True, capture_output=True, text=True).stdout
            with open(base + ".colons", "w", encoding="ascii") as f:
                f.write(colons)
            if shutil.which("rpmkeys") is None:
                continue
            db = os.path.join(tmp, "rpmdb-" + name)
            os.mkdir(db)
            rc = subprocess.run(["rpmkeys", "--dbpath", db, "--import", base + ".asc"],
                                capture_output=True).returncode
            q = subprocess.run(["rpm", "--dbpath", db, "-q", "gpg-pubkey", "--qf",
                                "%{NAME}-%{VERSION}-%{RELEASE}\\n"],
                               capture_output=True, text=True)
            pkgs = q.stdout if q.returncode == 0 else ""
            with open(base + ".rpmkeys", "w", encoding="ascii") as f:
                f.write(f"rc {rc}\n{pkgs}")


if __name__ == "__main__":
    main()
