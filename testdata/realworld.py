#!/usr/bin/env python3
"""Real certificates and distribution key files: testdata/realworld/.

Run by hand (the tests never run it):

  python3 testdata/realworld.py scan DIR...     report interesting certificates
  python3 testdata/realworld.py make DIR        write testdata/realworld/

DIR is a folder where Debian's packages were unpacked (`dpkg -x PKG.deb DIR`):
debian-keyring, debian-archive-keyring, distribution-gpg-keys (README.md in
testdata/realworld/ names the versions). `scan` walks every certificate of
every binary keyring and key file below DIR with its own small packet walker
(stdlib only) and prints one line per certificate with what makes it
interesting; `make` copies the chosen certificates (SELECTION below, by
primary fingerprint) and files (FILES below) into testdata/realworld/ and
writes next to each file the expectations of independent tools:

  NAME.colons   `gpg --show-keys --with-colons --with-subkey-fingerprints NAME`
                in a fresh GNUPGHOME (every certificate, key and subkey gpg
                reads, with validity, capabilities, algorithms, fingerprints)
  NAME.sequoia.json  sequoia-openpgp 2's standard-policy verdict on every
                key of every certificate, now (`generator view`; one object per
                certificate, as testdata/policy/ records them)
  sha1-after-cutoff.tsv  keys none of whose own self-signatures or bindings
                pass the kernel's documented hash rule (SHA-2, or SHA-1 made
                before 2019-01-01), read from gpg --list-packets
  NAME.rpmkeys  `rpmkeys --import NAME` into a scratch --dbpath: its exit
                status, then `rpm -q gpg-pubkey` of the database (rpm 4.18
                reads armor only: a binary file is armored first, as one
                PUBLIC KEY BLOCK, by armor.py)

Needs gpg, rpm and cargo. Deterministic for fixed package versions (validity
letters are as of the day it runs).
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "realworld")


def packets(data):
    """Yields (tag, header_start, body_start, body_end) of each packet; a
    packet that does not parse ends the walk with tag None."""
    i = 0
    n = len(data)
    while i < n:
        start = i
        b = data[i]
        if not b & 0x80:
            yield (None, start, start, n)
            return
        if b & 0x40:
            tag = b & 0x3F
            i += 1
            if i >= n:
                yield (None, start, start, n)
                return
            l0 = data[i]
            if l0 < 192:
                ln, i = l0, i + 1
            elif l0 < 224:
                if i + 1 >= n:
                    yield (None, start, start, n)
                    return
                ln, i = ((l0 - 192) << 8) + data[i + 1] + 192, i + 2
            elif l0 == 255:
                ln, i = int.from_bytes(data[i + 1:i + 5], "big"), i + 5
            else:
                yield (None, start, start, n)  # partial length: not in keys
                return
        else:
            tag = (b >> 2) & 0x0F
            lt = b & 3
            i += 1
            if lt == 3:
                yield (None, start, start, n)
                return
            w = [1, 2, 4][lt]
            ln, i = int.from_bytes(data[i:i + w], "big"), i + w
        if i + ln > n:
            yield (None, start, start, n)
            return
        yield (tag, start, i, i + ln)
        i += ln


def fingerprint(body):
    if body and body[0] == 4:
        return hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).hexdigest().upper()
    if body and body[0] == 6:
        return hashlib.sha256(b"\x9b" + len(body).to_bytes(4, "big") + body).hexdigest().upper()
    if body and body[0] == 5:
        return hashlib.sha256(b"\x9a" + len(body).to_bytes(4, "big") + body).hexdigest().upper()
    return "V%d" % (body[0] if body else 0)


def mpis(b, i, count):
    """(end, non_canonical) after reading `count` MPIs at b[i:]."""
    bad = False
    for _ in range(count):
        if i + 2 > len(b):
            return len(b), True
        bits = int.from_bytes(b[i:i + 2], "big")
        octets = (bits + 7) // 8
        first = b[i + 2] if i + 2 < len(b) else 0
        if octets == 0 or first == 0 or first.bit_length() != bits - 8 * (octets - 1):
            bad = True
        i += 2 + octets
    return i, bad


SIG_MPIS = {1: 1, 3: 1, 17: 2, 19: 2, 22: 2}


def subpackets(area):
    i = 0
    while i < len(area):
        l0 = area[i]
        if l0 < 192:
            ln, i = l0, i + 1
        elif l0 < 255:
            ln, i = ((l0 - 192) << 8) + area[i + 1] + 192, i + 2
        else:
            ln, i = int.from_bytes(area[i + 1:i + 5], "big"), i + 5
        if ln == 0 or i + ln > len(area):
            yield (None, b"")
            return
        yield (area[i] & 0x7F, area[i + 1:i + ln])
        i += ln


def signature(body):
    """Facts of one signature packet body: version, type, algo, issuer,
    non-canonical MPIs (also in embedded signatures)."""
    f = {"version": body[0] if body else 0, "type": None, "issuer": None, "noncanon": False,
         "unparsable": False}
    if f["version"] not in (4, 6) or len(body) < 6:
        if f["version"] == 3 and len(body) >= 19:
            f["type"] = body[2]
            f["issuer"] = body[7:15].hex().upper()
        return f
    try:
        f["type"], f["algo"] = body[1], body[2]
        if f["version"] == 4:
            hl = int.from_bytes(body[4:6], "big")
            hashed = body[6:6 + hl]
            j = 6 + hl
            ul = int.from_bytes(body[j:j + 2], "big")
            unhashed = body[j + 2:j + 2 + ul]
            j += 2 + ul + 2
        else:
            hl = int.from_bytes(body[4:8], "big")
            hashed = body[8:8 + hl]
            j = 8 + hl
            ul = int.from_bytes(body[j:j + 4], "big")
            unhashed = body[j + 4:j + 4 + ul]
            j += 4 + ul + 2
            j += 1 + body[j]
        if f["algo"] in SIG_MPIS and f["version"] == 4:
            end, bad = mpis(body, j, SIG_MPIS[f["algo"]])
            f["noncanon"] |= bad
            f["unparsable"] |= end != len(body)
        for area in (hashed, unhashed):
            for t, v in subpackets(area):
                if t is None:
                    f["unparsable"] = True
                elif t == 16:
                    f["issuer"] = f["issuer"] or v.hex().upper()
                elif t == 33 and len(v) > 1:
                    f["issuer"] = v[1:].hex().upper()
                elif t == 32:
                    e = signature(v)
                    f["noncanon"] |= e["noncanon"]
                    f["unparsable"] |= e["unparsable"]
    except IndexError:
        f["unparsable"] = True
    return f


ALGO = {1: "rsa", 3: "rsa", 16: "elg", 17: "dsa", 18: "ecdh", 19: "ecdsa", 22: "eddsa",
        25: "x25519", 27: "ed25519"}


def key_facts(body):
    v = body[0]
    algo = body[5] if v == 4 else (body[5] if v in (5, 6) else None)
    desc = ALGO.get(algo, "a%s" % algo)
    noncanon = False
    if v == 4 and algo in (1, 3):
        bits = int.from_bytes(body[6:8], "big")
        desc += str(bits)
        _, noncanon = mpis(body, 6, 2)
    elif v == 4 and algo in (17,):
        _, noncanon = mpis(body, 6, 4)
    elif v == 4 and algo in (18, 19, 22):
        oid = body[7:7 + body[6]].hex()
        desc += ":" + oid
    return {"version": v, "algo": algo, "desc": desc, "noncanon": noncanon}


def certificates(data):
    """Splits a binary keyring into certificates: (start, end, packet list)."""
    certs = []
    for p in packets(data):
        if p[0] in (6, 5) or not certs:
            certs.append([p])
        else:
            certs[-1].append(p)
    return [(c[0][1], c[-1][3], c) for c in certs]


def describe(data, cert):
    start, end, pkts = cert
    out = {"size": end - start, "sigs": 0, "third_party": 0, "uids": 0, "uattrs": 0,
           "subkeys": [], "sigversions": set(), "tags": set(), "noncanon": False,
           "unparsable": 0, "revoked": False, "subkey_revoked": 0, "primary": None,
           "fpr": None, "bad": False}
    own = set()
    for tag, h, b, e in pkts:
        body = data[b:e]
        if tag is None:
            out["bad"] = True
            continue
        out["tags"].add(tag)
        if tag in (6, 14, 5, 7):
            k = key_facts(body)
            fpr = fingerprint(body)
            own.add(fpr)
            own.add(fpr[-16:])
            out["noncanon"] |= k["noncanon"]
            if tag in (6, 5):
                out["primary"], out["fpr"] = k["desc"], fpr
            else:
                out["subkeys"].append(k["desc"])
        elif tag == 2:
            s = signature(body)
            out["sigs"] += 1
            out["sigversions"].add(s["version"])
            out["noncanon"] |= s["noncanon"]
            out["unparsable"] += s["unparsable"]
            if s["issuer"] and s["issuer"] not in own:
                out["third_party"] += 1
            out["revoked"] |= s["type"] == 0x20
            out["subkey_revoked"] += s["type"] == 0x28
        elif tag == 13:
            out["uids"] += 1
        elif tag == 17:
            out["uattrs"] += 1
    return out


def key_files(dirs):
    for d in dirs:
        for root, _, names in os.walk(d):
            for n in sorted(names):
                p = os.path.join(root, n)
                if "/doc/" in p or n.endswith((".md", ".txt")) and "KEY" not in n:
                    continue
                yield p


def dearmor_all(text):
    """Every PUBLIC KEY BLOCK's binary (gpg --dearmor per block)."""
    out = b""
    import base64
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip().startswith("-----BEGIN PGP PUBLIC KEY BLOCK"):
            i += 1
            while i < len(lines) and ":" in lines[i]:
                i += 1
            body = []
            while i < len(lines) and not lines[i].startswith("-----END"):
                l = lines[i].strip()
                if l and not l.startswith("="):
                    body.append(l)
                i += 1
            try:
                out += base64.b64decode("".join(body))
            except ValueError:
                pass
        i += 1
    return out


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:1] and data[0] & 0x80:
        return data, False
    return dearmor_all(data.decode("latin-1")), True


def scan(dirs):
    for p in key_files(dirs):
        data, armored = load(p)
        if not data:
            continue
        certs = certificates(data)
        pre = ""
        if armored:
            with open(p, "rb") as f:
                raw = f.read()
            blocks = raw.count(b"-----BEGIN PGP PUBLIC KEY BLOCK")
            pre = " armored blocks=%d text_before=%s" % (
                blocks, not raw.lstrip().startswith(b"-----BEGIN"))
        print("FILE %s certs=%d bytes=%d%s" % (p, len(certs), len(data), pre))
        for c in certs:
            d = describe(data, c)
            print("  %s size=%d sigs=%d third=%d uids=%d uattrs=%d primary=%s subkeys=%s "
                  "sigv=%s tags=%s noncanon=%s unparsable=%d revoked=%s subrev=%d bad=%s" % (
                      d["fpr"], d["size"], d["sigs"], d["third_party"], d["uids"], d["uattrs"],
                      d["primary"], ",".join(d["subkeys"]) or "-",
                      ",".join(map(str, sorted(d["sigversions"]))),
                      ",".join(map(str, sorted(d["tags"]))), d["noncanon"], d["unparsable"],
                      d["revoked"], d["subkey_revoked"], d["bad"]))

# Single certificates cut out of Debian's keyrings, by primary fingerprint:
# (output name, keyring file below usr/share/keyrings, fingerprint, why).
SELECTION = [
    ("largest-716sigs", "debian-keyring.pgp", "04A4407CB9142C23030C17AE789D6F057FD863FE",
     "the largest certificate of the keyrings (393,825 octets, 716 signatures, 699 by others)"),
    ("153sigs-noncanon", "debian-keyring.pgp", "A36878F464108681600CB64844173FA13D058888",
     "153 signatures (83 KB), a non-canonical MPI in a third-party EdDSA certification, "
     "RSA 4096 + ElGamal"),
    ("129sigs-noncanon-expsubs", "debian-keyring.pgp", "0506CD00A2F9DE57E498F628D599FF6101809E2A",
     "129 signatures, a non-canonical MPI in a third-party EdDSA certification, eight "
     "expired subkeys (five signing)"),
    ("131sigs", "debian-keyring.pgp", "94769E52D436D58B260CA7DD40D716CFE909CDEE",
     "131 signatures in 71 KB, nothing else unusual: the signature count alone"),
    ("25uids-expired", "debian-keyring.pgp", "065BFD16E4BFB184D73F768C2AFBD67FD133AC6E",
     "the most user ids (25), expired primary, RSA and EdDSA subkeys"),
    ("ecdsa-p384-uattr", "debian-keyring.pgp", "1984860920B60CED8D13093747D37F29E62EB8FF",
     "ECDSA P-384 primary that signs, a photo id (user attribute), ECDH subkey"),
    ("ed25519-certonly-signsub", "debian-keyring.pgp", "66DEF15282990C2199EFA801A8A128A8AB1CEE49",
     "certify-only EdDSA (legacy Ed25519) primary with an Ed25519 signing subkey"),
    ("ed25519-revoked-signsub", "debian-keyring.pgp", "F64D61D321F3CB489156753DE1E5457C8BAD4113",
     "EdDSA primary that signs, a valid and a revoked Ed25519 signing subkey"),
    ("rsa2048-revoked-dsa-signsub", "debian-keyring.pgp",
     "795D0851095CAACA16CA79259AFB7B8C9A5F5BBC",
     "RSA 2048 primary, RSA signing subkey, revoked DSA signing subkey"),
    ("rsa2048-signs", "debian-keyring.pgp", "F2D643A558B9924C0649207BA0C5AD1359CD3653",
     "RSA 2048 primary that signs, RSA encryption subkey"),
    ("rsa2048-expired", "debian-keyring.pgp", "7DF3D4B58EAD38D84E554E3B68530A812B47DCDE",
     "expired RSA 2048 primary"),
    ("rsa4096-certonly-signsub", "debian-maintainers.pgp",
     "14638444C9858E2A09B0259C211BCF562939AB8F",
     "certify-only RSA 4096 primary with an RSA signing subkey"),
    ("rsa4096-uattr-expired", "debian-maintainers.pgp",
     "7742713B1BF8A18535E75D7A3054862D2546A180", "photo id, expired RSA 4096 primary"),
    ("rsa4096-ecdsa-subs", "debian-maintainers.pgp", "487FCD050895105F43C206089B2E6B82752DB03B",
     "RSA 4096 primary that signs, expired ECDSA P-384/P-256 subkeys, revoked RSA subkeys"),
    ("many-subkey-kinds", "debian-maintainers.pgp", "D6223890E7C4625B2C1468D1AB181FDB41DD41C4",
     "13 subkeys: valid Ed25519 signing subkey, revoked ECDSA P-256 and Ed25519 ones, "
     "expired RSA ones"),
    ("brainpool-p521-noncanon", "debian-maintainers.pgp",
     "7CB6197E385A02DC15D8E223E4DB6492FDB9B5D5",
     "expired RSA primary, ECDSA brainpoolP512r1 and P-521 signing subkeys, a non-canonical "
     "MPI in the embedded back-signature of an Ed25519 subkey's binding"),
    ("ed25519-expired-small", "debian-maintainers.pgp",
     "50CFC9D5E5BDE1CBCA57FD7B6DF008E70F28CBF7",
     "expired EdDSA primary with an Ed25519 signing subkey (914 octets)"),
]

# Whole files, copied as the packages ship them: (output name, path below
# the unpacked packages, why).
FILES = [
    ("debian-archive-keyring.pgp", "usr/share/keyrings/debian-archive-keyring.pgp",
     "binary keyring, 9 certificates: RSA 4096 with signing subkeys, EdDSA"),
    ("debian-archive-removed-keys.pgp", "usr/share/keyrings/debian-archive-removed-keys.pgp",
     "binary keyring, 23 certificates: expired, DSA 1024, RSA 1024"),
    ("debian-role-keys.pgp", "usr/share/keyrings/debian-role-keys.pgp",
     "binary keyring, 6 certificates"),
    ("debian-archive-trixie-automatic.asc",
     "etc/apt/trusted.gpg.d/debian-archive-trixie-automatic.asc",
     "one armored block, RSA 4096 + RSA signing subkey"),
    ("debian-archive-bookworm-stable.asc",
     "etc/apt/trusted.gpg.d/debian-archive-bookworm-stable.asc",
     "one armored block, EdDSA primary, no subkey (280 octets)"),
    ("RPM-GPG-KEY-redhat9-release", "usr/share/distribution-gpg-keys/redhat/RPM-GPG-KEY-redhat9-release",
     "text before the armor, two blocks"),
    ("RPM-GPG-KEY-redhat10-release-without-PQC",
     "usr/share/distribution-gpg-keys/redhat/RPM-GPG-KEY-redhat10-release-without-PQC",
     "text before the armor, two blocks"),
    ("RPM-GPG-KEY-fedora-17-primary",
     "usr/share/distribution-gpg-keys/fedora/RPM-GPG-KEY-fedora-17-primary",
     "a `pub 4096R/1ACA3465` listing before the armor"),
    ("RPM-GPG-KEY-CentOS-Official",
     "usr/share/distribution-gpg-keys/centos/RPM-GPG-KEY-CentOS-Official", "one block"),
    ("RPM-GPG-KEY-Rocky-9", "usr/share/distribution-gpg-keys/rocky/RPM-GPG-KEY-Rocky-9",
     "one block"),
    ("RPM-GPG-KEY-AlmaLinux", "usr/share/distribution-gpg-keys/alma/RPM-GPG-KEY-AlmaLinux",
     "two blocks: an expired certify-only key with a signing subkey, and a valid one"),
    ("RPM-GPG-KEY-oracle-ol9",
     "usr/share/distribution-gpg-keys/oraclelinux/RPM-GPG-KEY-oracle-ol9", "two blocks"),
    ("RPM-GPG-KEY-um37", "usr/share/distribution-gpg-keys/ultramarine/RPM-GPG-KEY-um37",
     "EdDSA primary + Cv25519 subkey"),
    ("RPM-GPG-KEY-SuSE-SLE-11", "usr/share/distribution-gpg-keys/suse/RPM-GPG-KEY-SuSE-SLE-11",
     "expired RSA 1024 key"),
    ("qubes-developers-keys.asc",
     "usr/share/distribution-gpg-keys/qubes/qubes-developers-keys.asc",
     "one armored block holding many certificates, expired and revoked ones"),
    ("jenkins-0x9b7d32f2d50582e6.key",
     "usr/share/distribution-gpg-keys/jenkins/0x9b7d32f2d50582e6.key",
     "DSA 1024 + ElGamal, a photo id, text before the armor"),
]


def expectations(path, tmp):
    """Writes PATH.colons and PATH.rpmkeys."""
    home = tempfile.mkdtemp(dir=tmp)
    colons = subprocess.run(
        ["gpg", "--homedir", home, "--batch", "--show-keys", "--with-colons",
         "--with-subkey-fingerprints", path], check=True, capture_output=True).stdout
    with open(path + ".colons", "wb") as f:
        f.write(colons)
    db = tempfile.mkdtemp(dir=tmp)
    # rpm 4.18 imports armored keys only: a binary file goes in armored
    # (armor.py, one PUBLIC KEY BLOCK holding all of it).
    src = path
    with open(path, "rb") as f:
        data = f.read()
    if data[:1] and data[0] & 0x80:
        sys.path.insert(0, HERE)
        from armor import armor
        src = os.path.join(tmp, os.path.basename(path) + ".asc")
        with open(src, "w", encoding="ascii") as f:
            f.write(armor(data, "PUBLIC KEY BLOCK"))
    rc = subprocess.run(["rpmkeys", "--dbpath", db, "--import", src],
                        capture_output=True).returncode
    q = subprocess.run(["rpm", "--dbpath", db, "-q", "gpg-pubkey", "--qf",
                        "%{NAME}-%{VERSION}-%{RELEASE}\\n"], capture_output=True, text=True)
    pkgs = q.stdout if q.returncode == 0 else ""
    with open(path + ".rpmkeys", "w", encoding="ascii") as f:
        f.write(f"rc {rc}\n{pkgs}")
    # sequoia reads the binary: armored files are de-armored here (every
    # PUBLIC KEY BLOCK, as gpg reads them).
    binary = data if data[:1] and data[0] & 0x80 else dearmor_all(data.decode("latin-1"))
    src = os.path.join(tempfile.mkdtemp(dir=tmp), os.path.basename(path))
    with open(src, "wb") as f:
        f.write(binary)
    subprocess.run([GENERATOR, "view", src, path + ".sequoia.json"], check=True)


GENERATOR = os.path.join(HERE, "..", "target", "generator", "release", "pgp-umd-testdata-generator")


def build_generator():
    """testdata/generator (sequoia-openpgp 2), built outside testdata/."""
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(HERE, "..", "target", "generator"))
    subprocess.run(["cargo", "build", "--quiet", "--release", "--manifest-path",
                    os.path.join(HERE, "generator", "Cargo.toml")], env=env, check=True)


# docs/kernel-api.md: self-signatures and bindings count only with
# SHA-224/256/384/512, or SHA-1 made before the module parameter
# sha1_cutoff (default 2019-01-01).
SHA1_CUTOFF = 1546300800
SHA2 = {8, 9, 10, 11}


def hash_rule(path, home):
    """Keys (by key id) none of whose self-signatures (primary: 0x10-0x13,
    0x1f) or bindings (subkey: 0x18) by the primary pass the kernel's hash
    rule, from gpg --list-packets: {key id: "digest algos/creation times"}."""
    out = subprocess.run(["gpg", "--homedir", home, "--batch", "--list-packets", path],
                         capture_output=True, text=True, errors="replace").stdout
    keys = {}  # key id -> [primary key id, [(hash, created)]]
    primary = key = None
    pending = None  # the last key packet, waiting for its keyid line
    sig = None
    for line in out.splitlines():
        line = line.strip()
        if line.startswith(":public key packet:"):
            pending, primary = "primary", None
        elif line.startswith(":public sub key packet:"):
            pending = "sub"
        elif line.startswith("keyid:") and pending:
            kid = line.split()[1]
            if pending == "primary":
                primary = kid
            key = kid
            keys[kid] = [primary, []]
            pending = None
        elif line.startswith(":signature packet:"):
            sig = {"issuer": line.split("keyid ")[-1].strip(), "key": key}
        elif line.startswith("version ") and sig is not None and "sigclass" in line:
            f = dict(x.strip().split(" ", 1) for x in line.split(","))
            sig["created"] = int(f.get("created", "0"))
            sig["class"] = int(f.get("sigclass", "0x0"), 16)
        elif line.startswith("digest algo") and sig is not None and "class" in sig:
            sig["hash"] = int(line.split(",")[0].split()[2])
            k = sig["key"]
            own = k is not None and sig["issuer"] == keys[k][0]
            primary_sig = k == keys.get(k, [None])[0] and sig["class"] in (0x10, 0x11, 0x12, 0x13,
                                                                          0x1F)
            binding = k != keys.get(k, [None])[0] and sig["class"] == 0x18
            if own and (primary_sig or binding):
                keys[k][1].append((sig["hash"], sig["created"]))
            sig = None
        elif line.startswith(":"):
            sig = None
    bad = {}
    for kid, (_, sigs) in keys.items():
        ok = [h for h, c in sigs if h in SHA2 or (h == 2 and c < SHA1_CUTOFF)]
        if sigs and not ok:
            bad[kid] = " ".join("hash %d at %d" % hc for hc in sigs)
    return bad


def find(root, rel):
    for pkg in sorted(os.listdir(root)):
        p = os.path.join(root, pkg, rel)
        if os.path.exists(p):
            return os.path.realpath(p)
    sys.exit("not found under %s: %s" % (root, rel))


def make(root):
    for tool in ("gpg", "rpmkeys", "rpm"):
        if shutil.which(tool) is None:
            sys.exit(tool + " is needed")
    build_generator()
    if os.path.isdir(OUT):
        for n in os.listdir(OUT):
            if n != "README.md":
                os.remove(os.path.join(OUT, n))
    os.makedirs(OUT, exist_ok=True)
    manifest = ["# file\tsource\twhy"]
    keyrings = {}
    for name, keyring, fpr, why in SELECTION:
        if keyring not in keyrings:
            with open(find(root, "usr/share/keyrings/" + keyring), "rb") as f:
                data = f.read()
            keyrings[keyring] = (data, certificates(data))
        data, certs = keyrings[keyring]
        hits = [c for c in certs if describe(data, c)["fpr"] == fpr]
        if len(hits) != 1:
            sys.exit("%s: %d certificates with %s" % (keyring, len(hits), fpr))
        start, end, _ = hits[0]
        with open(os.path.join(OUT, name + ".pgp"), "wb") as f:
            f.write(data[start:end])
        manifest.append("%s.pgp\t%s %s\t%s" % (name, keyring, fpr, why))
    for name, rel, why in FILES:
        shutil.copyfile(find(root, rel), os.path.join(OUT, name))
        manifest.append("%s\t%s\t%s" % (name, rel, why))
    notes = ["# file\tkey id\tthe key's own self-signatures or bindings (gpg --list-packets)"]
    with tempfile.TemporaryDirectory() as tmp:
        for line in manifest[1:]:
            name = line.split("\t")[0]
            expectations(os.path.join(OUT, name), tmp)
            home = tempfile.mkdtemp(dir=tmp)
            for kid, why in sorted(hash_rule(os.path.join(OUT, name), home).items()):
                notes.append("%s\t%s\t%s" % (name, kid, why))
    with open(os.path.join(OUT, "sha1-after-cutoff.tsv"), "w", encoding="ascii") as f:
        f.write("\n".join(notes) + "\n")
    with open(os.path.join(OUT, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(manifest) + "\n")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "scan":
        scan(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit(__doc__)
