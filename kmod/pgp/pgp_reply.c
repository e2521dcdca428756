// SPDX-License-Identifier: GPL-2.0
/*
 * Reply sanitizer: the kernel's check of a handler's reply.
 *
 * The handler may be compromised by the very input it parsed, so nothing in
 * its reply is believed. Every range must lie in the payload, the packet
 * table must tile the payload, each signature's subpacket slices must tile
 * its areas, every classification must match the bytes it describes, and all
 * references between tables must point both ways. The order of the checks
 * follows proto/src/validate.rs exactly, so both report the same first fault.
 */
#include "pgp_reply.h"
#include "pgp_cert.h"

struct checker {
	const u8 *payload;
	size_t len;
	const struct pgp_umd_reply *r;
	struct pgp_reply_fault_info *fault;
};

static int fail(struct checker *c, u8 table, size_t row, u8 fault)
{
	if (c->fault) {
		c->fault->table = table;
		c->fault->fault = fault;
		c->fault->row = row > 0xFFFF ? 0xFFFF : (u16)row;
	}
	return -EBADMSG;
}

#define ENSURE(c, cond, table, row, fault)				\
	do {								\
		if (!(cond))						\
			return fail(c, table, row, fault);		\
	} while (0)

static u64 range_end(struct pgp_umd_range r)
{
	return (u64)r.off + r.len;
}

static bool range_eq(struct pgp_umd_range a, struct pgp_umd_range b)
{
	return a.off == b.off && a.len == b.len;
}

static struct pgp_umd_range span(size_t start, size_t len)
{
	struct pgp_umd_range r = { .off = (u32)start, .len = (u32)len };

	return r;
}

static const struct pgp_umd_range empty_range;

/* The payload bytes of @r, or NULL when it does not lie inside the payload. */
static const u8 *range_bytes(const struct checker *c, struct pgp_umd_range r)
{
	if (range_end(r) > c->len)
		return NULL;
	return c->payload + r.off;
}

static u32 be_n(const u8 *b, size_t n)
{
	u32 v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = (v << 8) | b[i];
	return v;
}

/* memchr_inv(), not a byte loop: the unused rows of a full reply are 30 KB. */
static bool all_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

int pgp_packet_role(u8 tag)
{
	switch (tag) {
	case PGP_TAG_PUBLIC_KEY:
		return PGP_UMD_ROLE_PRIMARY_KEY;
	case PGP_TAG_PUBLIC_SUBKEY:
		return PGP_UMD_ROLE_SUBKEY;
	case PGP_TAG_USER_ID:
		return PGP_UMD_ROLE_USER_ID;
	case PGP_TAG_USER_ATTRIBUTE:
		return PGP_UMD_ROLE_USER_ATTRIBUTE;
	case PGP_TAG_SIGNATURE:
		return PGP_UMD_ROLE_SIGNATURE;
	case PGP_TAG_MARKER:
	case PGP_TAG_TRUST:
	case PGP_TAG_PADDING:
		return PGP_UMD_ROLE_IGNORED;
	default:
		return -1;
	}
}

u8 pgp_sig_role(u8 sig_type, int target_role, bool embedded)
{
	if (embedded)
		return sig_type == PGP_SIG_PRIMARY_KEY_BINDING ?
			PGP_UMD_SIG_PRIMARY_KEY_BINDING : PGP_UMD_SIG_OTHER;
	switch (target_role) {
	case -1:
		return PGP_UMD_SIG_DATA;
	case PGP_UMD_ROLE_PRIMARY_KEY:
		if (sig_type == PGP_SIG_DIRECT_KEY)
			return PGP_UMD_SIG_DIRECT_KEY;
		if (sig_type == PGP_SIG_KEY_REVOCATION)
			return PGP_UMD_SIG_KEY_REVOCATION;
		break;
	case PGP_UMD_ROLE_USER_ID:
	case PGP_UMD_ROLE_USER_ATTRIBUTE:
		if (sig_type >= PGP_SIG_CERT_GENERIC &&
		    sig_type <= PGP_SIG_CERT_POSITIVE)
			return PGP_UMD_SIG_CERTIFICATION;
		if (sig_type == PGP_SIG_CERT_REVOCATION)
			return PGP_UMD_SIG_CERT_REVOCATION;
		break;
	case PGP_UMD_ROLE_SUBKEY:
		if (sig_type == PGP_SIG_SUBKEY_BINDING)
			return PGP_UMD_SIG_SUBKEY_BINDING;
		if (sig_type == PGP_SIG_SUBKEY_REVOCATION)
			return PGP_UMD_SIG_SUBKEY_REVOCATION;
		break;
	}
	return PGP_UMD_SIG_OTHER;
}

static const u8 oid_p256[] = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };
static const u8 oid_p384[] = { 0x2B, 0x81, 0x04, 0x00, 0x22 };
static const u8 oid_p521[] = { 0x2B, 0x81, 0x04, 0x00, 0x23 };
static const u8 oid_bp256[] = { 0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07 };
static const u8 oid_bp384[] = { 0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B };
static const u8 oid_bp512[] = { 0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D };
static const u8 oid_ed25519[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01 };
static const u8 oid_cv25519[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01 };
static const u8 oid_secp256k1[] = { 0x2B, 0x81, 0x04, 0x00, 0x0A };

static const struct {
	const u8 *oid;
	size_t len;
	u8 curve;
} curves[] = {
	{ oid_p256, sizeof(oid_p256), PGP_UMD_CURVE_NIST_P256 },
	{ oid_p384, sizeof(oid_p384), PGP_UMD_CURVE_NIST_P384 },
	{ oid_p521, sizeof(oid_p521), PGP_UMD_CURVE_NIST_P521 },
	{ oid_bp256, sizeof(oid_bp256), PGP_UMD_CURVE_BRAINPOOL_P256 },
	{ oid_bp384, sizeof(oid_bp384), PGP_UMD_CURVE_BRAINPOOL_P384 },
	{ oid_bp512, sizeof(oid_bp512), PGP_UMD_CURVE_BRAINPOOL_P512 },
	{ oid_ed25519, sizeof(oid_ed25519), PGP_UMD_CURVE_ED25519_LEGACY },
	{ oid_cv25519, sizeof(oid_cv25519), PGP_UMD_CURVE_CURVE25519_LEGACY },
	{ oid_secp256k1, sizeof(oid_secp256k1), PGP_UMD_CURVE_SECP256K1 },
};

u8 pgp_curve_of_oid(const u8 *oid, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].len == len && !memcmp(curves[i].oid, oid, len))
			return curves[i].curve;
	return PGP_UMD_CURVE_UNKNOWN;
}

/*
 * The bit count an MPI claims and the bits its value octets hold; false
 * when it is shorter than its count or its top value octet is zero.
 */
static bool mpi_bits(const u8 *mpi, size_t len, size_t *claimed, size_t *held)
{
	u8 top;

	if (len < 2)
		return false;
	*claimed = ((size_t)mpi[0] << 8) | mpi[1];
	*held = 0;
	if (len == 2)
		return true;
	top = mpi[2];
	if (!top)
		return false;
	for (*held = 8 * (len - 3); top; top >>= 1)
		(*held)++;
	return true;
}

bool pgp_mpi_is_exact(const u8 *mpi, size_t len)
{
	size_t claimed = 0, held = 0;

	return mpi_bits(mpi, len, &claimed, &held) && claimed == held;
}

/*
 * The rule for signature values (proto's mpi_is_sound_value()): the bit
 * count may overstate the top octet's bits, as some implementations wrote
 * EdDSA's R and S; the octets are still exactly those it names and the top
 * one is not zero.
 */
bool pgp_mpi_is_sound_value(const u8 *mpi, size_t len)
{
	size_t claimed = 0, held = 0;

	return mpi_bits(mpi, len, &claimed, &held) && (claimed + 7) / 8 == len - 2 &&
	       claimed >= held;
}

/* Field layouts per algorithm (RFC 9580 5.5.5, 5.2.3); size for natives. */
struct field_layout {
	u8 n;
	u8 kind[PGP_UMD_MAX_KEY_FIELDS];
	u8 size[PGP_UMD_MAX_KEY_FIELDS];
};

static bool key_layout(u8 algo, struct field_layout *l)
{
	static const struct field_layout rsa = { .n = 2, .kind = { PGP_UMD_FIELD_MPI, PGP_UMD_FIELD_MPI } };
	static const struct field_layout dsa = { .n = 4, .kind = { PGP_UMD_FIELD_MPI, PGP_UMD_FIELD_MPI,
						      PGP_UMD_FIELD_MPI, PGP_UMD_FIELD_MPI } };
	static const struct field_layout elg = { .n = 3, .kind = { PGP_UMD_FIELD_MPI, PGP_UMD_FIELD_MPI,
						      PGP_UMD_FIELD_MPI } };
	static const struct field_layout ec = { .n = 2, .kind = { PGP_UMD_FIELD_OID, PGP_UMD_FIELD_MPI } };
	static const struct field_layout ecdh = { .n = 3, .kind = { PGP_UMD_FIELD_OID, PGP_UMD_FIELD_MPI,
						       PGP_UMD_FIELD_KDF } };
	static const struct field_layout n32 = { .n = 1, .kind = { PGP_UMD_FIELD_NATIVE }, .size = { 32 } };
	static const struct field_layout n56 = { .n = 1, .kind = { PGP_UMD_FIELD_NATIVE }, .size = { 56 } };
	static const struct field_layout n57 = { .n = 1, .kind = { PGP_UMD_FIELD_NATIVE }, .size = { 57 } };

	switch (algo) {
	case PGP_PK_RSA:
	case PGP_PK_RSA_ENCRYPT_ONLY:
	case PGP_PK_RSA_SIGN_ONLY:
		*l = rsa;
		return true;
	case PGP_PK_DSA:
		*l = dsa;
		return true;
	case PGP_PK_ELGAMAL:
	case PGP_PK_ELGAMAL_SIGN:
		*l = elg;
		return true;
	case PGP_PK_ECDSA:
	case PGP_PK_EDDSA_LEGACY:
		*l = ec;
		return true;
	case PGP_PK_ECDH:
		*l = ecdh;
		return true;
	case PGP_PK_X25519:
	case PGP_PK_ED25519:
		*l = n32;
		return true;
	case PGP_PK_X448:
		*l = n56;
		return true;
	case PGP_PK_ED448:
		*l = n57;
		return true;
	}
	return false;
}

static bool sig_layout(u8 algo, struct field_layout *l)
{
	static const struct field_layout one = { .n = 1, .kind = { PGP_UMD_FIELD_MPI } };
	static const struct field_layout two = { .n = 2, .kind = { PGP_UMD_FIELD_MPI, PGP_UMD_FIELD_MPI } };
	static const struct field_layout n64 = { .n = 1, .kind = { PGP_UMD_FIELD_NATIVE }, .size = { 64 } };
	static const struct field_layout n114 = { .n = 1, .kind = { PGP_UMD_FIELD_NATIVE }, .size = { 114 } };

	switch (algo) {
	case PGP_PK_RSA:
	case PGP_PK_RSA_SIGN_ONLY:
		*l = one;
		return true;
	case PGP_PK_DSA:
	case PGP_PK_ECDSA:
	case PGP_PK_EDDSA_LEGACY:
	case PGP_PK_ELGAMAL_SIGN:
		*l = two;
		return true;
	case PGP_PK_ED25519:
		*l = n64;
		return true;
	case PGP_PK_ED448:
		*l = n114;
		return true;
	}
	return false;
}

static size_t v6_salt_len(u8 hash, size_t found)
{
	switch (hash) {
	case PGP_HASH_SHA256:
	case PGP_HASH_SHA224:
	case PGP_HASH_SHA3_256:
		return 16;
	case PGP_HASH_SHA384:
		return 24;
	case PGP_HASH_SHA512:
	case PGP_HASH_SHA3_512:
		return 32;
	}
	return found;
}

/* A packet header as the kernel reads it (RFC 9580 4.2). */
struct pkt_hdr {
	u8 format;
	u8 tag;
	size_t header_len;
	size_t body_len;
};

static bool decode_packet_header(const u8 *b, size_t n, struct pkt_hdr *h)
{
	u8 first;

	if (n < 1 || !(b[0] & 0x80))
		return false;
	first = b[0];
	if (first & 0x40) {
		h->format = PGP_UMD_FORMAT_OPENPGP;
		h->tag = first & 0x3F;
		if (n < 2)
			return false;
		if (b[1] < 192) {
			h->header_len = 2;
			h->body_len = b[1];
		} else if (b[1] < 224) {
			if (n < 3)
				return false;
			h->header_len = 3;
			h->body_len = ((size_t)(b[1] - 192) << 8) + b[2] + 192;
		} else if (b[1] == 255) {
			if (n < 6)
				return false;
			h->header_len = 6;
			h->body_len = be_n(b + 2, 4);
		} else {
			return false;	/* partial length */
		}
	} else {
		static const size_t len_octets[3] = { 1, 2, 4 };
		u8 type = first & 0x03;

		if (type == 3)
			return false;	/* indeterminate length */
		h->format = PGP_UMD_FORMAT_LEGACY;
		h->tag = (first >> 2) & 0x0F;
		if (n < 1 + len_octets[type])
			return false;
		h->header_len = 1 + len_octets[type];
		h->body_len = be_n(b + 1, len_octets[type]);
	}
	return h->tag != 0;
}

static bool decode_subpacket_len(const u8 *b, size_t n, size_t *octets, size_t *len)
{
	if (n < 1)
		return false;
	if (b[0] < 192) {
		*octets = 1;
		*len = b[0];
	} else if (b[0] < 255) {
		if (n < 2)
			return false;
		*octets = 2;
		*len = ((size_t)(b[0] - 192) << 8) + b[1] + 192;
	} else {
		if (n < 5)
			return false;
		*octets = 5;
		*len = be_n(b + 1, 4);
	}
	return true;
}

/**
 * pgp_issuer_hint() - the key a subpacket names as its signature's issuer
 * @type: the subpacket type, critical bit cleared
 * @body: the subpacket body (after the type octet)
 * @n: its length
 * @id: set to the key id or fingerprint inside @body
 *
 * Return: PGP_KEYID_LEN for an issuer key id (16), the fingerprint's length
 * for a v4 or v6 issuer fingerprint (33), 0 for any other subpacket or a
 * malformed one.
 */
size_t pgp_issuer_hint(u8 type, const u8 *body, size_t n, const u8 **id)
{
	if (type == PGP_SUBPACKET_ISSUER_KEY_ID && n == PGP_KEYID_LEN) {
		*id = body;
		return n;
	}
	if (type == PGP_SUBPACKET_ISSUER_FINGERPRINT &&
	    ((n == PGP_V4_FPR_LEN + 1 && body[0] == 4) ||
	     (n == PGP_V6_FPR_LEN + 1 && body[0] == 6))) {
		*id = body + 1;
		return n - 1;
	}
	return 0;
}

/*
 * Skipped runs (proto/src/skip.rs has the reference of these rules): the
 * kernel walks the packets of a run itself, reading only framing and, for
 * a signature, its version, type and issuer hints.
 */
static bool area_hints(const u8 *a, size_t n, pgp_hint_fn hint, void *ctx)
{
	while (n) {
		size_t octets, len;
		u8 type;

		if (!decode_subpacket_len(a, n, &octets, &len) || len > n - octets)
			return false;
		if (len) {
			const u8 *id;
			size_t id_len;

			type = a[octets] & ~PGP_SUBPACKET_CRITICAL;
			id_len = pgp_issuer_hint(type, a + octets + 1, len - 1, &id);
			if (id_len)
				hint(ctx, id, id_len);
		}
		a += octets + len;
		n -= octets + len;
	}
	return true;
}

/* The signature's type, or -1 when its areas do not frame exactly. */
static int signature_hints(u8 version, const u8 *b, size_t n, pgp_hint_fn hint, void *ctx)
{
	size_t cl = version == 4 ? 2 : 4, at = 4, i;

	if (version == 3) {
		if (n < 15 || b[1] != 5)
			return -1;
		hint(ctx, b + 7, PGP_KEYID_LEN);
		return b[2];
	}
	if (n < at)
		return -1;
	for (i = 0; i < 2; i++) {
		size_t count;

		if (n - at < cl)
			return -1;
		count = be_n(b + at, cl);
		at += cl;
		if (count > n - at || !area_hints(b + at, count, hint, ctx))
			return -1;
		at += count;
	}
	return b[1];
}

struct hint_count {
	pgp_hint_fn hint;
	void *ctx;
	size_t n;
};

/* Counts the hints of one signature and passes them on. */
static void count_hint(void *ctx, const u8 *id, size_t len)
{
	struct hint_count *hc = ctx;

	hc->n++;
	if (hc->hint)
		hc->hint(hc->ctx, id, len);
}

/*
 * What a skippable packet is: 0 ignored or an unknown signature version,
 * a packet role for a user id or attribute, or -1 when it may not be
 * skipped after a component of role @component (-1: none).
 */
static int skippable(u8 tag, const u8 *body, size_t n, int component, pgp_hint_fn hint,
		     void *ctx)
{
	struct hint_count hc = { hint, ctx, 0 };
	int type;

	switch (tag) {
	case PGP_TAG_MARKER:
	case PGP_TAG_TRUST:
	case PGP_TAG_PADDING:
		return 0;
	case PGP_TAG_USER_ID:
		return PGP_UMD_ROLE_USER_ID;
	case PGP_TAG_USER_ATTRIBUTE:
		return PGP_UMD_ROLE_USER_ATTRIBUTE;
	case PGP_TAG_SIGNATURE:
		if (!n)
			return -1;
		if (body[0] != 3 && body[0] != 4 && body[0] != 6)
			return 0;
		if (component != PGP_UMD_ROLE_USER_ID && component != PGP_UMD_ROLE_USER_ATTRIBUTE)
			return -1;
		type = signature_hints(body[0], body, n, count_hint, &hc);
		if (type < 0 || !hc.n)
			return -1;
		if ((type >= PGP_SIG_CERT_GENERIC && type <= PGP_SIG_CERT_POSITIVE) ||
		    type == PGP_SIG_CERT_REVOCATION)
			return 0;
		return -1;
	}
	if (tag >= PGP_FIRST_NONCRITICAL_TAG && tag <= PGP_LAST_NONCRITICAL_TAG)
		return 0;
	return -1;
}

/**
 * pgp_walk_run() - walk a run of skipped packets
 * @run: the run's bytes
 * @len: their length
 * @component: packet role of the mapped component the run follows, or -1
 * @hint: called with each issuer hint (8-octet key id, 20- or 32-octet
 *	fingerprint) of each skipped certification; may be NULL
 * @ctx: passed to @hint
 * @holds_component: set when the run holds a user id or user attribute
 *
 * Hints are reported even when the walk fails later: callers act on them
 * only after a successful walk.
 *
 * Return: 0, PGP_REPLY_HEADER_MISMATCH for framing that does not decode or
 * leave the run, PGP_REPLY_BAD_PACKET_TYPE for a packet that may not be
 * skipped.
 */
int pgp_walk_run(const u8 *run, size_t len, int component, pgp_hint_fn hint, void *ctx,
		 bool *holds_component)
{
	*holds_component = false;
	while (len) {
		struct pkt_hdr h;
		int what;

		if (!decode_packet_header(run, len, &h) || h.header_len > len ||
		    h.body_len > len - h.header_len)
			return PGP_REPLY_HEADER_MISMATCH;
		what = skippable(h.tag, run + h.header_len, h.body_len, component, hint, ctx);
		if (what < 0)
			return PGP_REPLY_BAD_PACKET_TYPE;
		if (what) {
			component = what;
			*holds_component = true;
		}
		run += h.header_len + h.body_len;
		len -= h.header_len + h.body_len;
	}
	return 0;
}

static struct pgp_umd_range packet_body(const struct pgp_umd_packet *p)
{
	u32 hl = p->header_len < p->whole.len ? p->header_len : p->whole.len;

	return span((size_t)p->whole.off + hl, p->whole.len - hl);
}

static int check_unused_rows(struct checker *c)
{
	const struct pgp_umd_reply *r = c->r;
	const struct pgp_umd_reply_header *h = &r->header;

	ENSURE(c, all_zero(&r->packets[h->packet_count],
			(PGP_UMD_MAX_PACKETS - h->packet_count) * sizeof(r->packets[0])),
	       PGP_REPLY_TABLE_PACKETS, 0, PGP_REPLY_NOT_ZEROED);
	ENSURE(c, all_zero(&r->keys[h->key_count],
			(PGP_UMD_MAX_KEYS - h->key_count) * sizeof(r->keys[0])),
	       PGP_REPLY_TABLE_KEYS, 0, PGP_REPLY_NOT_ZEROED);
	ENSURE(c, all_zero(&r->signatures[h->signature_count],
			(PGP_UMD_MAX_SIGNATURES - h->signature_count) *
			sizeof(r->signatures[0])),
	       PGP_REPLY_TABLE_SIGNATURES, 0, PGP_REPLY_NOT_ZEROED);
	ENSURE(c, all_zero(&r->subpackets[h->subpacket_count],
			(PGP_UMD_MAX_SUBPACKETS - h->subpacket_count) *
			sizeof(r->subpackets[0])),
	       PGP_REPLY_TABLE_SUBPACKETS, 0, PGP_REPLY_NOT_ZEROED);
	return 0;
}

/**
 * pgp_certificate_len() - length of the first certificate of a keyring blob
 * @p: binary OpenPGP data, starting at a certificate
 * @len: bytes at @p
 *
 * Only packet framing is read: the certificate ends where the next
 * public-key packet begins. Framing that does not decode ends the walk
 * there and the rest counts as part of this certificate, so that the
 * handler's parse reports it.
 *
 * Return: the certificate's length, between 1 and @len (0 when @len is 0).
 */
size_t pgp_certificate_len(const u8 *p, size_t len)
{
	size_t at = 0;

	while (at < len) {
		struct pkt_hdr h;
		size_t rest = len - at;

		if (!decode_packet_header(p + at, rest, &h) || h.header_len > rest ||
		    h.body_len > rest - h.header_len)
			return len;
		if (at && h.tag == PGP_TAG_PUBLIC_KEY)
			return at;
		at += h.header_len + h.body_len;
	}
	return len;
}

/* A packet row of role SKIPPED: a run the kernel walks itself. */
static int check_run(struct checker *c, size_t row, u16 op, u16 last_component, bool after_run,
		     bool *hidden_component)
{
	const struct pgp_umd_packet *p = &c->r->packets[row];
	const u8 t = PGP_REPLY_TABLE_PACKETS;
	int component = -1;
	bool holds;
	int fault;

	ENSURE(c, op == PGP_UMD_OP_PARSE_KEY && row != 0 && !after_run, t, row,
	       PGP_REPLY_BAD_PACKET_TYPE);
	ENSURE(c, !p->tag && !p->header_len && !p->format && p->whole.len, t, row,
	       PGP_REPLY_HEADER_MISMATCH);
	ENSURE(c, p->item == PGP_UMD_NONE && p->target == last_component, t, row,
	       PGP_REPLY_BAD_REFERENCE);
	if (last_component < c->r->header.packet_count)
		component = c->r->packets[last_component].role;
	fault = pgp_walk_run(c->payload + p->whole.off, p->whole.len, component, NULL, NULL,
			     &holds);
	if (fault)
		return fail(c, t, row, (u8)fault);
	*hidden_component |= holds;
	return 0;
}

static int check_packets(struct checker *c, u16 op)
{
	const struct pgp_umd_reply_header *h = &c->r->header;
	const u8 t = PGP_REPLY_TABLE_PACKETS;
	u16 last_component = PGP_UMD_NONE;
	size_t subkeys = 0, user_ids = 0;
	/*
	 * A skipped run holding a user id hides the component of whatever
	 * follows it, so no mapped signature may come next.
	 */
	bool hidden_component = false, after_run = false;
	u64 cursor = 0;
	size_t row;

	ENSURE(c, h->packet_count > 0, t, 0, PGP_REPLY_NOT_TILED);
	for (row = 0; row < h->packet_count; row++) {
		const struct pgp_umd_packet *p = &c->r->packets[row];
		const u8 *bytes;
		struct pkt_hdr hdr;
		bool item_ok, allowed;
		u16 target = PGP_UMD_NONE;
		int role;

		ENSURE(c, p->whole.off == cursor, t, row, PGP_REPLY_NOT_TILED);
		bytes = range_bytes(c, p->whole);
		ENSURE(c, bytes, t, row, PGP_REPLY_OUT_OF_BOUNDS);
		cursor = range_end(p->whole);
		if (p->role == PGP_UMD_ROLE_SKIPPED) {
			int err = check_run(c, row, op, last_component, after_run,
					    &hidden_component);

			if (err)
				return err;
			after_run = true;
			continue;
		}
		after_run = false;
		ENSURE(c, decode_packet_header(bytes, p->whole.len, &hdr), t, row,
		       PGP_REPLY_HEADER_MISMATCH);
		ENSURE(c, hdr.format == p->format && hdr.tag == p->tag &&
		       hdr.header_len == p->header_len &&
		       hdr.header_len + hdr.body_len == p->whole.len,
		       t, row, PGP_REPLY_HEADER_MISMATCH);
		role = pgp_packet_role(p->tag);
		ENSURE(c, role >= 0, t, row, PGP_REPLY_BAD_PACKET_TYPE);
		ENSURE(c, p->role == role, t, row, PGP_REPLY_BAD_REFERENCE);
		if (op == PGP_UMD_OP_PARSE_SIGNATURE)
			allowed = row == 0 && role == PGP_UMD_ROLE_SIGNATURE;
		else
			allowed = (row == 0) == (role == PGP_UMD_ROLE_PRIMARY_KEY);
		ENSURE(c, allowed, t, row, PGP_REPLY_BAD_PACKET_TYPE);
		switch (role) {
		case PGP_UMD_ROLE_PRIMARY_KEY:
		case PGP_UMD_ROLE_SUBKEY:
			item_ok = p->item < c->r->header.key_count &&
				  c->r->keys[p->item].packet == row;
			break;
		case PGP_UMD_ROLE_SIGNATURE:
			item_ok = p->item < c->r->header.signature_count &&
				  c->r->signatures[p->item].packet == row &&
				  c->r->signatures[p->item].parent == PGP_UMD_NONE &&
				  !hidden_component;
			target = last_component;
			break;
		default:
			item_ok = p->item == PGP_UMD_NONE;
		}
		ENSURE(c, item_ok && p->target == target, t, row, PGP_REPLY_BAD_REFERENCE);
		if (role == PGP_UMD_ROLE_SUBKEY)
			subkeys++;
		if (role == PGP_UMD_ROLE_USER_ID || role == PGP_UMD_ROLE_USER_ATTRIBUTE)
			user_ids++;
		if (role != PGP_UMD_ROLE_SIGNATURE && role != PGP_UMD_ROLE_IGNORED) {
			last_component = (u16)row;
			hidden_component = false;
		}
	}
	ENSURE(c, cursor == c->len, t, h->packet_count, PGP_REPLY_NOT_TILED);
	ENSURE(c, subkeys <= PGP_UMD_MAX_SUBKEYS && user_ids <= PGP_UMD_MAX_USER_IDS,
	       PGP_REPLY_TABLE_HEADER, 0, PGP_REPLY_COUNT_TOO_LARGE);
	return 0;
}

/*
 * Checks that fields[0..n) tile [start, end) with the kinds @layout (or one
 * opaque field when @known is false) prescribes, that unused slots are empty
 * and that each field's encoding matches its bytes. Reports the curve of an
 * OID field through @curve. @values selects the MPI rule of signature values.
 */
static int check_fields(struct checker *c, u8 t, size_t row, u64 start, u64 end,
			const struct pgp_umd_range *fields, const u8 *kinds,
			size_t slots, size_t n, bool known,
			const struct field_layout *layout, u8 *curve, bool values)
{
	u64 cursor = start;
	size_t i;

	for (i = 0; i < slots; i++) {
		const u8 *b;
		u8 want, size;
		bool ok;

		if (i >= n) {
			ENSURE(c, range_eq(fields[i], empty_range) && !kinds[i], t, row,
			       PGP_REPLY_NOT_ZEROED);
			continue;
		}
		ENSURE(c, fields[i].off == cursor, t, row, PGP_REPLY_NOT_TILED);
		cursor = range_end(fields[i]);
		b = range_bytes(c, fields[i]);
		ENSURE(c, b, t, row, PGP_REPLY_OUT_OF_BOUNDS);
		want = known ? layout->kind[i] : PGP_UMD_FIELD_OPAQUE;
		size = known ? layout->size[i] : 0;
		ENSURE(c, kinds[i] == want, t, row, PGP_REPLY_FIELD_MISMATCH);
		switch (want) {
		case PGP_UMD_FIELD_MPI:
			ENSURE(c, values ? pgp_mpi_is_sound_value(b, fields[i].len) :
			       pgp_mpi_is_exact(b, fields[i].len), t, row, PGP_REPLY_BAD_MPI);
			ok = true;
			break;
		case PGP_UMD_FIELD_OID:
			ok = fields[i].len >= 2 && b[0] == fields[i].len - 1 && b[0] != 0xFF;
			if (ok && curve)
				*curve = pgp_curve_of_oid(b + 1, fields[i].len - 1);
			break;
		case PGP_UMD_FIELD_KDF:
			ok = fields[i].len == 4 && b[0] == 3 && b[1] == 1;
			break;
		case PGP_UMD_FIELD_NATIVE:
			ok = fields[i].len == size;
			break;
		default:
			ok = true;
		}
		ENSURE(c, ok, t, row, PGP_REPLY_FIELD_MISMATCH);
	}
	ENSURE(c, cursor == end, t, row, PGP_REPLY_NOT_TILED);
	return 0;
}

static int check_key(struct checker *c, size_t row, const struct pgp_umd_key *k,
		     struct pgp_umd_range body)
{
	const u8 t = PGP_REPLY_TABLE_KEYS;
	struct field_layout layout;
	size_t material_start;
	u8 curve = PGP_UMD_CURVE_NONE;
	const u8 *b = range_bytes(c, body);
	bool known;
	int err;

	ENSURE(c, b, t, row, PGP_REPLY_OUT_OF_BOUNDS);
	if (k->version == 4 && body.len >= 1 && b[0] == 4)
		material_start = 6;
	else if (k->version == 6 && body.len >= 1 && b[0] == 6)
		material_start = 10;
	else
		return fail(c, t, row, PGP_REPLY_CLASS_MISMATCH);
	ENSURE(c, body.len >= material_start, t, row, PGP_REPLY_FIELD_MISMATCH);
	ENSURE(c, b[5] == k->pk_algo, t, row, PGP_REPLY_CLASS_MISMATCH);
	if (k->version == 6)
		ENSURE(c, be_n(b + 6, 4) == body.len - 10, t, row, PGP_REPLY_FIELD_MISMATCH);
	ENSURE(c, k->reserved == 0, t, row, PGP_REPLY_NOT_ZEROED);
	known = key_layout(k->pk_algo, &layout);
	ENSURE(c, k->field_count == (known ? layout.n : 1), t, row, PGP_REPLY_FIELD_MISMATCH);
	err = check_fields(c, t, row, (u64)body.off + material_start, range_end(body),
			   k->fields, k->field_kind, PGP_UMD_MAX_KEY_FIELDS,
			   k->field_count, known, &layout, &curve, false);
	if (err)
		return err;
	ENSURE(c, k->curve == curve, t, row, PGP_REPLY_CLASS_MISMATCH);
	return 0;
}

static bool is_key_role(u8 role)
{
	return role == PGP_UMD_ROLE_PRIMARY_KEY || role == PGP_UMD_ROLE_SUBKEY;
}

static int check_keys(struct checker *c)
{
	const struct pgp_umd_reply *r = c->r;
	const u8 t = PGP_REPLY_TABLE_KEYS;
	size_t key_packets = 0, row;
	int err;

	for (row = 0; row < r->header.packet_count; row++)
		key_packets += is_key_role(r->packets[row].role);
	ENSURE(c, r->header.key_count == key_packets, t, 0, PGP_REPLY_BAD_REFERENCE);
	for (row = 0; row < r->header.key_count; row++) {
		const struct pgp_umd_key *k = &r->keys[row];
		const struct pgp_umd_packet *p;

		ENSURE(c, k->packet < r->header.packet_count, t, row, PGP_REPLY_BAD_REFERENCE);
		p = &r->packets[k->packet];
		ENSURE(c, p->item == row && is_key_role(p->role), t, row,
		       PGP_REPLY_BAD_REFERENCE);
		err = check_key(c, row, k, packet_body(p));
		if (err)
			return err;
	}
	return 0;
}

/* Re-derives the layout of signature @s from its own bytes. */
static int check_signature(struct checker *c, size_t row, const struct pgp_umd_signature *s)
{
	const u8 t = PGP_REPLY_TABLE_SIGNATURES;
	const u8 *b = range_bytes(c, s->body);
	struct field_layout layout;
	size_t n = s->body.len, values_start;
	size_t o = s->body.off;
	bool known;

	ENSURE(c, b, t, row, PGP_REPLY_OUT_OF_BOUNDS);
	if (s->version == 3 && n >= 1 && b[0] == 3) {
		ENSURE(c, n >= 19, t, row, PGP_REPLY_FIELD_MISMATCH);
		ENSURE(c, b[1] == 5, t, row, PGP_REPLY_FIELD_MISMATCH);
		ENSURE(c, b[2] == s->sig_type && b[15] == s->pk_algo && b[16] == s->hash_algo,
		       t, row, PGP_REPLY_CLASS_MISMATCH);
		ENSURE(c, range_eq(s->hashed_area, span(o + 2, 5)) &&
		       range_eq(s->issuer, span(o + 7, 8)) &&
		       range_eq(s->unhashed_area, empty_range) &&
		       range_eq(s->hash_prefix, span(o + 17, 2)) &&
		       range_eq(s->salt, empty_range),
		       t, row, PGP_REPLY_FIELD_MISMATCH);
		values_start = 19;
		ENSURE(c, s->hashed_count == 0 && s->unhashed_count == 0, t, row,
		       PGP_REPLY_FIELD_MISMATCH);
	} else if ((s->version == 4 || s->version == 6) && n >= 1 && b[0] == s->version) {
		size_t cl = s->version == 4 ? 2 : 4;
		size_t hashed_len, hashed_start, ucount_at, unhashed_len, unhashed_start;
		size_t prefix_at;
		struct pgp_umd_range salt = empty_range;

		ENSURE(c, n >= 4 + cl, t, row, PGP_REPLY_FIELD_MISMATCH);
		ENSURE(c, b[1] == s->sig_type && b[2] == s->pk_algo && b[3] == s->hash_algo,
		       t, row, PGP_REPLY_CLASS_MISMATCH);
		hashed_len = be_n(b + 4, cl);
		hashed_start = 4 + cl;
		/* hashed_len < 2^32 and n < 2^32: the sums cannot wrap in size_t. */
		ucount_at = hashed_start + hashed_len;
		ENSURE(c, n >= ucount_at + cl, t, row, PGP_REPLY_FIELD_MISMATCH);
		unhashed_len = be_n(b + ucount_at, cl);
		unhashed_start = ucount_at + cl;
		prefix_at = unhashed_start + unhashed_len;
		ENSURE(c, n >= prefix_at + 2, t, row, PGP_REPLY_FIELD_MISMATCH);
		values_start = prefix_at + 2;
		if (s->version == 6) {
			size_t salt_len;

			ENSURE(c, n >= values_start + 1, t, row, PGP_REPLY_FIELD_MISMATCH);
			salt_len = b[values_start];
			ENSURE(c, salt_len == v6_salt_len(s->hash_algo, salt_len), t, row,
			       PGP_REPLY_FIELD_MISMATCH);
			ENSURE(c, n >= values_start + 1 + salt_len, t, row,
			       PGP_REPLY_FIELD_MISMATCH);
			salt = span(o + values_start + 1, salt_len);
			values_start += 1 + salt_len;
		}
		ENSURE(c, range_eq(s->hashed_area, span(o + hashed_start, hashed_len)) &&
		       range_eq(s->unhashed_area, span(o + unhashed_start, unhashed_len)) &&
		       range_eq(s->hash_prefix, span(o + prefix_at, 2)) &&
		       range_eq(s->salt, salt) &&
		       range_eq(s->issuer, empty_range),
		       t, row, PGP_REPLY_FIELD_MISMATCH);
	} else {
		return fail(c, t, row, PGP_REPLY_CLASS_MISMATCH);
	}
	known = sig_layout(s->pk_algo, &layout);
	ENSURE(c, s->value_count == (known ? layout.n : 1), t, row, PGP_REPLY_FIELD_MISMATCH);
	return check_fields(c, t, row, (u64)o + values_start, range_end(s->body),
			    s->values, s->value_kind, PGP_UMD_MAX_SIG_VALUES,
			    s->value_count, known, &layout, NULL, true);
}

static int check_subpackets(struct checker *c, size_t sig_row, size_t first, size_t count,
			    struct pgp_umd_range area)
{
	const u8 t = PGP_REPLY_TABLE_SUBPACKETS;
	u64 cursor = area.off;
	size_t i;

	for (i = 0; i < count; i++) {
		size_t row = first + i, octets, len;
		const struct pgp_umd_subpacket *sp = &c->r->subpackets[row];
		const u8 *b;
		bool embedded_ok;

		ENSURE(c, sp->whole.off == cursor, t, row, PGP_REPLY_NOT_TILED);
		cursor = range_end(sp->whole);
		ENSURE(c, cursor <= range_end(area), t, row, PGP_REPLY_OUT_OF_BOUNDS);
		b = range_bytes(c, sp->whole);
		ENSURE(c, b, t, row, PGP_REPLY_OUT_OF_BOUNDS);
		ENSURE(c, decode_subpacket_len(b, sp->whole.len, &octets, &len), t, row,
		       PGP_REPLY_HEADER_MISMATCH);
		ENSURE(c, len >= 1 && octets + len == sp->whole.len &&
		       sp->header_len == octets + 1 && b[octets] == sp->type_octet,
		       t, row, PGP_REPLY_HEADER_MISMATCH);
		if ((sp->type_octet & ~PGP_SUBPACKET_CRITICAL) == PGP_SUBPACKET_EMBEDDED_SIGNATURE)
			embedded_ok = sp->embedded < c->r->header.signature_count &&
				c->r->signatures[sp->embedded].parent == sig_row &&
				c->r->signatures[sp->embedded].subpacket == row;
		else
			embedded_ok = sp->embedded == PGP_UMD_NONE;
		ENSURE(c, embedded_ok, t, row, PGP_REPLY_BAD_REFERENCE);
	}
	ENSURE(c, cursor == range_end(area), t, first + count, PGP_REPLY_NOT_TILED);
	return 0;
}

static bool in_slice(size_t row, u16 first, u16 count)
{
	return row >= first && row < (size_t)first + count;
}

static int check_signatures(struct checker *c)
{
	const struct pgp_umd_reply *r = c->r;
	const size_t nsigs = r->header.signature_count;
	const u8 t = PGP_REPLY_TABLE_SIGNATURES;
	size_t top_level = 0, embedded = 0, cursor = 0, row;
	int err;

	for (row = 0; row < r->header.packet_count; row++)
		top_level += r->packets[row].role == PGP_UMD_ROLE_SIGNATURE;
	for (row = 0; row < r->header.subpacket_count; row++)
		embedded += r->subpackets[row].embedded != PGP_UMD_NONE;
	ENSURE(c, top_level + embedded == nsigs, t, 0, PGP_REPLY_BAD_REFERENCE);

	for (row = 0; row < nsigs; row++) {
		const struct pgp_umd_signature *s = &r->signatures[row];
		const struct pgp_umd_packet *packet;
		struct pgp_umd_range body;
		u16 target;
		bool is_embedded;
		int target_role = -1;
		size_t a;

		ENSURE(c, s->packet < r->header.packet_count, t, row, PGP_REPLY_BAD_REFERENCE);
		packet = &r->packets[s->packet];
		if (s->parent == PGP_UMD_NONE) {
			ENSURE(c, s->subpacket == PGP_UMD_NONE && packet->item == row, t, row,
			       PGP_REPLY_BAD_REFERENCE);
			body = packet_body(packet);
			target = packet->target;
			is_embedded = false;
		} else {
			const struct pgp_umd_signature *parent;
			const struct pgp_umd_subpacket *sp;
			u32 hl;

			ENSURE(c, s->parent < row, t, row, PGP_REPLY_BAD_REFERENCE);
			parent = &r->signatures[s->parent];
			/* Depth 1: the parent is a signature packet itself. */
			ENSURE(c, parent->packet == s->packet && parent->parent == PGP_UMD_NONE,
			       t, row, PGP_REPLY_BAD_REFERENCE);
			ENSURE(c, s->subpacket < r->header.subpacket_count &&
			       r->subpackets[s->subpacket].embedded == row &&
			       (in_slice(s->subpacket, parent->hashed_first, parent->hashed_count) ||
				in_slice(s->subpacket, parent->unhashed_first,
					 parent->unhashed_count)),
			       t, row, PGP_REPLY_BAD_REFERENCE);
			sp = &r->subpackets[s->subpacket];
			hl = sp->header_len;
			body = span((size_t)sp->whole.off + hl,
				    sp->whole.len > hl ? sp->whole.len - hl : 0);
			target = parent->target;
			is_embedded = true;
		}
		ENSURE(c, range_eq(s->body, body) && s->target == target, t, row,
		       PGP_REPLY_BAD_REFERENCE);
		if (target != PGP_UMD_NONE && target < r->header.packet_count)
			target_role = r->packets[target].role;
		ENSURE(c, s->role == pgp_sig_role(s->sig_type, target_role, is_embedded), t, row,
		       PGP_REPLY_BAD_REFERENCE);
		err = check_signature(c, row, s);
		if (err)
			return err;
		/* Subpacket slices follow each other in signature order. */
		if (s->version == 3) {
			ENSURE(c, s->hashed_first == cursor && s->unhashed_first == cursor, t, row,
			       PGP_REPLY_NOT_TILED);
			continue;
		}
		for (a = 0; a < 2; a++) {
			u16 first = a ? s->unhashed_first : s->hashed_first;
			u16 count = a ? s->unhashed_count : s->hashed_count;
			struct pgp_umd_range area = a ? s->unhashed_area : s->hashed_area;

			ENSURE(c, first == cursor, t, row, PGP_REPLY_NOT_TILED);
			ENSURE(c, count <= PGP_UMD_MAX_SUBPACKETS_PER_AREA, t, row,
			       PGP_REPLY_COUNT_TOO_LARGE);
			ENSURE(c, cursor + count <= r->header.subpacket_count, t, row,
			       PGP_REPLY_BAD_REFERENCE);
			err = check_subpackets(c, row, cursor, count, area);
			if (err)
				return err;
			cursor += count;
		}
	}
	ENSURE(c, cursor == r->header.subpacket_count, PGP_REPLY_TABLE_SUBPACKETS, cursor,
	       PGP_REPLY_NOT_TILED);
	return 0;
}

/**
 * pgp_reply_check() - check a handler's reply against the payload
 * @op: the request's op
 * @seq: the request's sequence number
 * @payload: the kernel's copy of the payload
 * @len: payload length
 * @reply: the reply as received
 * @fault: where the first fault is reported; may be NULL
 *
 * Return: 0 when @reply is a well-formed refusal or an exact map of @payload;
 * -EBADMSG otherwise. A 0 return says nothing about the reply's status: the
 * caller reads it and decides.
 */
int pgp_reply_check(u16 op, u32 seq, const u8 *payload, size_t len,
		    const struct pgp_umd_reply *reply,
		    struct pgp_reply_fault_info *fault)
{
	struct checker c = { payload, len, reply, fault };
	const struct pgp_umd_reply_header *h = &reply->header;
	const u8 t = PGP_REPLY_TABLE_HEADER;
	bool empty;
	int err;

	ENSURE(&c, h->magic == PGP_UMD_MAGIC && h->version == PGP_UMD_VERSION &&
	       h->op == op && h->seq == seq, t, 0, PGP_REPLY_BAD_ECHO);
	ENSURE(&c, h->reserved == 0, t, 0, PGP_REPLY_NOT_ZEROED);
	ENSURE(&c, h->status <= PGP_UMD_STATUS_INTERNAL_ERROR, t, 0, PGP_REPLY_UNKNOWN_STATUS);
	ENSURE(&c, len <= PGP_UMD_MAX_PAYLOAD, t, 0, PGP_REPLY_OUT_OF_BOUNDS);
	ENSURE(&c, h->packet_count <= PGP_UMD_MAX_PACKETS && h->key_count <= PGP_UMD_MAX_KEYS &&
	       h->signature_count <= PGP_UMD_MAX_SIGNATURES &&
	       h->subpacket_count <= PGP_UMD_MAX_SUBPACKETS,
	       t, 0, PGP_REPLY_COUNT_TOO_LARGE);
	err = check_unused_rows(&c);
	if (err)
		return err;
	empty = !h->packet_count && !h->key_count && !h->signature_count && !h->subpacket_count;
	if (h->status != PGP_UMD_STATUS_OK || op == PGP_UMD_OP_HEALTH) {
		ENSURE(&c, empty, t, 0, PGP_REPLY_ROWS_WITHOUT_SUCCESS);
		ENSURE(&c, h->status != PGP_UMD_STATUS_OK || h->error_offset == 0, t, 0,
		       PGP_REPLY_NOT_ZEROED);
		return 0;
	}
	ENSURE(&c, h->error_offset == 0, t, 0, PGP_REPLY_NOT_ZEROED);
	err = check_packets(&c, op);
	if (!err)
		err = check_keys(&c);
	if (!err)
		err = check_signatures(&c);
	return err;
}

/**
 * pgp_reply_expand_short() - the full form of a short reply
 * @short_reply: as received for PARSE_SIGNATURE or HEALTH
 * @full: filled in, for pgp_reply_check()
 *
 * Every row of the short tables is copied, used or not, so that junk in an
 * unused row is still caught by the check of unused rows.
 *
 * Return: 0, or -EBADMSG when the counts claim keys or more rows than the
 * short tables have (nothing beyond them is read).
 */
int pgp_reply_expand_short(const struct pgp_umd_short_reply *short_reply,
			   struct pgp_umd_reply *full)
{
	const struct pgp_umd_reply_header *h = &short_reply->header;

	if (h->key_count || h->packet_count > 1 ||
	    h->signature_count > PGP_UMD_SHORT_MAX_SIGNATURES ||
	    h->subpacket_count > PGP_UMD_SHORT_MAX_SUBPACKETS)
		return -EBADMSG;
	memset(full, 0, sizeof(*full));
	full->header = *h;
	memcpy(full->packets, short_reply->packets, sizeof(short_reply->packets));
	memcpy(full->signatures, short_reply->signatures, sizeof(short_reply->signatures));
	memcpy(full->subpackets, short_reply->subpackets, sizeof(short_reply->subpackets));
	return 0;
}

/* The four tables of a reply, in wire order. */
struct reply_table {
	size_t off;		/* of the table in struct pgp_umd_reply */
	size_t row_size;
	size_t max;
	size_t count;		/* from the header */
};

#define REPLY_TABLE(table, max_rows, n) ((struct reply_table){			\
	offsetof(struct pgp_umd_reply, table),					\
	sizeof(((struct pgp_umd_reply *)0)->table[0]), (max_rows), (n) })

static void reply_tables(const struct pgp_umd_reply_header *h, struct reply_table t[4])
{
	t[0] = REPLY_TABLE(packets, PGP_UMD_MAX_PACKETS, h->packet_count);
	t[1] = REPLY_TABLE(keys, PGP_UMD_MAX_KEYS, h->key_count);
	t[2] = REPLY_TABLE(signatures, PGP_UMD_MAX_SIGNATURES, h->signature_count);
	t[3] = REPLY_TABLE(subpackets, PGP_UMD_MAX_SUBPACKETS, h->subpacket_count);
}

/**
 * pgp_reply_packed_len() - size of a packed reply (PARSE_KEY) from its header
 * @h: the header, the first bytes of the reply
 *
 * The header is followed by exactly packet_count packet rows, key_count key
 * rows, signature_count signature rows and subpacket_count subpacket rows.
 *
 * Return: the whole reply's size in bytes, or 0 when a count exceeds its
 * table (then nothing more may be read).
 */
size_t pgp_reply_packed_len(const struct pgp_umd_reply_header *h)
{
	struct reply_table t[4];
	size_t len = sizeof(*h);
	int i;

	reply_tables(h, t);
	for (i = 0; i < 4; i++) {
		if (t[i].count > t[i].max)
			return 0;
		len += t[i].count * t[i].row_size;
	}
	return len;
}

/**
 * pgp_reply_unpack() - the full form of a packed reply, in place
 * @r: holds the packed reply in its first @len bytes; the full form on return
 * @len: bytes received
 *
 * The rows move from their packed places to their tables, the last table
 * first: each moves to the same or a higher address and lands past every
 * packed row not yet moved. Every row past the counts is then zeroed,
 * whatever @r held before, so pgp_reply_check() sees the same reply as if
 * the full form had been sent.
 *
 * Return: 0, or -EBADMSG when @len is not pgp_reply_packed_len() of the
 * header (nothing is moved).
 */
int pgp_reply_unpack(struct pgp_umd_reply *r, size_t len)
{
	struct reply_table t[4];
	size_t src[4], at = sizeof(r->header);
	u8 *base = (u8 *)r;
	int i;

	if (len < sizeof(r->header) || pgp_reply_packed_len(&r->header) != len)
		return -EBADMSG;
	reply_tables(&r->header, t);
	for (i = 0; i < 4; i++) {
		src[i] = at;
		at += t[i].count * t[i].row_size;
	}
	for (i = 3; i >= 0; i--) {
		size_t used = t[i].count * t[i].row_size;

		memmove(base + t[i].off, base + src[i], used);
		memset(base + t[i].off + used, 0, (t[i].max - t[i].count) * t[i].row_size);
	}
	return 0;
}
