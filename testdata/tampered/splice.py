#!/usr/bin/env python3
"""Builds the tampered certificates of testdata/tampered/ from the three
certificates make-tampered.sh made with gpg (victim.pgp,
victim-signing-primary.pgp, donor.pgp), and with --manifest writes
manifest.tsv and expected.tsv from gpg's verdicts. Stdlib only,
deterministic: the same inputs give the same outputs.

Packets are cut and joined with mutate.py's helpers (re-framed in their own
header format, RFC 9580 4.2).
Only the unhashed subpacket area of a binding signature is ever changed, so
the binding itself still verifies and only its embedded back-signature is
wrong.
"""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from mutate import join, mpi_at, new_len, parse, subpackets, v4_sig_fields  # noqa: E402

CASES = [
    # file, base, tampered key (variable), change
    ("foreign-subkey", "victim", "F",
     "the donor's signing subkey and its binding signature (made by the donor's primary) appended"),
    ("foreign-subkey-signing-primary", "victim-signing-primary", "F",
     "the same foreign subkey and binding appended to a certificate whose primary signs"),
    ("foreign-subkey-own-binding", "victim", "F",
     "the donor's signing subkey appended, followed by the victim's own binding of its second signing subkey (binding and back-signature name another key)"),
    ("foreign-subkey-no-binding", "victim", "F",
     "the donor's signing subkey appended with no binding signature at all"),
    ("forged-backsig-foreign", "victim", "S2",
     "the second signing subkey's embedded back-signature (0x19, unhashed area) replaced by the donor subkey's genuine back-signature: made by a different key, over a different primary"),
    ("forged-backsig-sibling", "victim", "S2",
     "the second signing subkey's back-signature replaced by the first signing subkey's genuine back-signature: made by a different key of the same certificate"),
    ("forged-backsig-altered", "victim", "S2",
     "one octet in the middle of the second signing subkey's back-signature value changed (the MPI stays well formed)"),
    ("no-backsig", "victim", "S2",
     "the second signing subkey's embedded back-signature subpacket removed (a signing subkey without cross-certification)"),
    ("forged-backsig-signing-primary", "victim-signing-primary", "S",
     "one octet of the signing subkey's back-signature value changed, in a certificate whose primary signs"),
]


def area_of(sig):
    """(unhashed area, its start, its end) of a v4 signature body."""
    f = v4_sig_fields(sig)
    return sig[f["unhashed"]:f["prefix"]], f["unhashed_len_at"], f["prefix"]


def backsig(binding):
    """The embedded signature (subpacket 32) of a binding signature's unhashed area."""
    area, _, _ = area_of(binding.body)
    found = [area[i + h + 1:i + h + n] for i, h, n, t in subpackets(area) if t == 32]
    assert len(found) == 1, "one back-signature in the unhashed area"
    return found[0]


def with_backsig(binding, new):
    """The binding packet with its embedded back-signature replaced (None: removed)."""
    b = binding.body
    area, start, end = area_of(b)
    out = b""
    for i, h, n, t in subpackets(area):
        if t != 32:
            out += area[i:i + h + n]
        elif new is not None:
            out += new_len(len(new) + 1) + bytes([32]) + new
    return binding.with_body(b[:start] + len(out).to_bytes(2, "big") + out + b[end:])


def altered(sig):
    """A v4 signature with one octet in the middle of its (first) MPI value changed."""
    _, start, end = mpi_at(sig, v4_sig_fields(sig)["values"])
    out = bytearray(sig)
    out[(start + end) // 2] ^= 0x10
    return bytes(out)


def fingerprint(pkt):
    b = pkt.body
    return hashlib.sha1(b"\x99" + len(b).to_bytes(2, "big") + b).hexdigest().upper()


def load(name):
    with open(name + ".pgp", "rb") as fh:
        return parse(fh.read())


def build():
    v = load("victim")
    vs = load("victim-signing-primary")
    d = load("donor")
    tags = [p.tag for p in v]
    assert tags == [6, 13, 2, 14, 2, 14, 2, 14, 2], tags
    assert [p.tag for p in vs] == [6, 13, 2, 14, 2]
    assert [p.tag for p in d] == [6, 13, 2, 14, 2]
    b1, b2 = v[4], v[6]
    f, bf = d[3], d[4]
    out = {
        "foreign-subkey": v + [f, bf],
        "foreign-subkey-signing-primary": vs + [f, bf],
        "foreign-subkey-own-binding": v + [f, b2],
        "foreign-subkey-no-binding": v + [f],
        "forged-backsig-foreign": v[:6] + [with_backsig(b2, backsig(bf))] + v[7:],
        "forged-backsig-sibling": v[:6] + [with_backsig(b2, backsig(b1))] + v[7:],
        "forged-backsig-altered": v[:6] + [with_backsig(b2, altered(backsig(b2)))] + v[7:],
        "no-backsig": v[:6] + [with_backsig(b2, None)] + v[7:],
        "forged-backsig-signing-primary": vs[:4] + [with_backsig(vs[4], altered(backsig(vs[4])))],
    }
    for name, pkts in out.items():
        with open(name + ".pgp", "wb") as fh:
            fh.write(join(pkts))


def keys_of(name):
    """[(role, fingerprint, creation time)] of a certificate's key packets, in order."""
    roles, n = [], 0
    for p in load(name):
        if p.tag == 6:
            roles.append(("primary", fingerprint(p), int.from_bytes(p.body[1:5], "big")))
        elif p.tag == 14:
            n += 1
            roles.append((f"subkey{n}", fingerprint(p), int.from_bytes(p.body[1:5], "big")))
    return roles


def gpg_keys(name):
    """gpg's colon listing of the certificate: {fingerprint: (validity, capabilities)}."""
    out, last = {}, None
    for line in open(name + ".colons"):
        f = line.rstrip("\n").split(":")
        if f[0] in ("pub", "sub"):
            last = (f[1], f[11])
        elif f[0] == "fpr" and last is not None:
            out[f[9]] = last
            last = None
    return out


def gpg_verify(name):
    """{signing key fingerprint: gpg's status on that key's detached signature}."""
    by_key = dict(
        line.rstrip("\n").split("\t")
        for line in list(open("signatures.tsv"))[1:]
    )
    out = {}
    for line in list(open(name + ".gpg-verify.tsv"))[1:]:
        sig, status = line.rstrip("\n").split("\t")
        out[by_key[sig]] = status
    return out


def manifest():
    v = {r: f for r, f, _ in keys_of("victim")}
    vs = {r: f for r, f, _ in keys_of("victim-signing-primary")}
    d = {r: f for r, f, _ in keys_of("donor")}
    names = {"F": d["subkey1"], "S2": v["subkey2"], "S": vs["subkey1"]}
    rows = ["file\tbase\ttampered_key\tgpg_listing\tgpg_verify\tsq_inspect\tchange"]
    exp = ["# file\tselector\texpected"]
    for name, base, var, change in CASES:
        tampered = names[var]
        listing = gpg_keys(name)
        verify = gpg_verify(name)
        lst = listing.get(tampered)
        sq = "lists" if f"Subkey: {tampered}" in open(name + ".sq-inspect.txt").read() else "absent"
        rows.append("\t".join([
            name + ".pgp", base + ".pgp", tampered,
            "absent" if lst is None else f"validity={lst[0]} caps={lst[1]}",
            verify.get(tampered, "no-signature"), sq, change]))
        # The kernel's expectation from gpg's facts and the documented rule
        # (docs/kernel-api.md): a key may be added only if gpg lists it with
        # the sign capability and takes a signature it made (GOODSIG);
        # anything else is EKEYREJECTED (no valid binding or back-signature,
        # or not signing-capable). Without a selector: the primary if it may
        # sign, else the newest such subkey.
        keys = keys_of(name)
        good = []
        for role, fpr, created in keys:
            g = listing.get(fpr)
            usable = (g is not None and g[0] not in ("i", "r", "e", "n")
                      and "s" in g[1] and verify.get(fpr, "").split(" ")[0] == "GOODSIG")
            if usable:
                good.append((role, fpr, created))
            exp.append(f"{name}.pgp\tpgp:{fpr}\t" + (f"ok {fpr}" if usable else "EKEYREJECTED"))
        if good and good[0][0] == "primary":
            auto = good[0][1]
        elif good:
            newest = max(c for _, _, c in good)
            auto = [f for _, f, c in good if c == newest]
            assert len(auto) == 1, f"{name}: tie between {auto}"
            auto = auto[0]
        else:
            auto = None
        assert auto != tampered
        exp.append(f"{name}.pgp\t-\t" + (f"ok {auto}" if auto else "EKEYREJECTED"))
    with open("manifest.tsv", "w") as fh:
        fh.write("\n".join(rows) + "\n")
    with open("expected.tsv", "w") as fh:
        fh.write("\n".join(exp) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--manifest"]:
        manifest()
    else:
        build()
