// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate policy: the kernel decides, from its own bytes and its own
 * signature checks, which key of a certificate it accepts.
 *
 * A key is usable only if a signature by the primary key that the kernel
 * verified itself binds it: the newest valid self-signature for the primary
 * (direct-key or user id certification), the newest valid binding signature
 * for a subkey, and for a signing subkey also its embedded back-signature,
 * verified with the subkey. A verified revocation refuses the key; key
 * expiration comes from the same newest self-signature.
 *
 * The reply must have passed pgp_reply_check(): every range used here is
 * known to lie inside the payload and to have the layout its kind implies.
 */
#include "pgp_cert.h"
#include "pgp_pubkey.h"
#include "pgp_reply.h"

#define NONE PGP_UMD_NONE

static u32 be32(const u8 *b)
{
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static const u8 *at(const struct pgp_cert *c, struct pgp_umd_range r)
{
	return c->payload + r.off;
}

/* Subpacket types whose meaning the kernel knows well enough to honour the
 * critical bit: either it reads them, or they cannot change what a
 * self-signature means for the key (preferences, features, notes). A
 * revocation key (12) lets a third party revoke; the kernel, like gpg
 * without that party's key, cannot check such a revocation, and the
 * self-signature still means what it says for the key.
 */
static bool subpacket_known(u8 type)
{
	switch (type) {
	case 2: case 3: case 4: case 7: case 9: case 11: case 12: case 16: case 21: case 22:
	case 23: case 25: case 26: case 27: case 28: case 29: case 30: case 31:
	case 32: case 33: case 34: case 39:
		return true;
	}
	return false;
}

static void read_subpackets(const struct pgp_cert *c, struct pgp_sig_info *s, u16 first,
			    u16 count, bool hashed)
{
	const struct pgp_umd_reply *r = c->reply;
	u32 seen = 0;	/* decisive types already met, to refuse duplicates */
	u16 i;

	for (i = first; i < first + count; i++) {
		const struct pgp_umd_subpacket *sp = &r->subpackets[i];
		const u8 *b = at(c, sp->whole) + sp->header_len;
		u32 n = sp->whole.len - sp->header_len;
		u8 type = sp->type_octet & ~PGP_SUBPACKET_CRITICAL;
		bool critical = sp->type_octet & PGP_SUBPACKET_CRITICAL;
		const u8 *id;
		size_t id_len;

		/* Outside the hashed area only hints are read: issuer, back-signature. */
		id_len = pgp_issuer_hint(type, b, n, &id);
		if (id_len == PGP_KEYID_LEN) {
			memcpy(s->issuer_id, id, PGP_KEYID_LEN);
			s->has_issuer_id = true;
		} else if (id_len) {
			s->issuer_fpr_len = (u8)id_len;
			memcpy(s->issuer_fpr, id, id_len);
		}
		if (!hashed)
			continue;
		if (critical && !subpacket_known(type))
			s->unusable = true;
		if (type < 32 && (type == PGP_SUBPACKET_CREATION_TIME ||
				  type == PGP_SUBPACKET_EXPIRATION_TIME ||
				  type == PGP_SUBPACKET_KEY_EXPIRATION_TIME ||
				  type == PGP_SUBPACKET_KEY_FLAGS)) {
			if (seen & (1u << type))
				s->unusable = true;
			seen |= 1u << type;
		}
		switch (type) {
		case PGP_SUBPACKET_CREATION_TIME:
			if (n != 4)
				s->unusable = true;
			else
				s->created = be32(b);
			s->has_created = n == 4;
			break;
		case PGP_SUBPACKET_EXPIRATION_TIME:
			if (n != 4)
				s->unusable = true;
			else
				s->sig_expiry = be32(b);
			break;
		case PGP_SUBPACKET_KEY_EXPIRATION_TIME:
			if (n != 4)
				s->unusable = true;
			else
				s->key_expiry = be32(b);
			s->has_key_expiry = n == 4;
			break;
		case PGP_SUBPACKET_KEY_FLAGS:
			if (!n)
				s->unusable = true;
			else
				s->key_flags = b[0];
			s->has_key_flags = n > 0;
			break;
		case PGP_SUBPACKET_PRIMARY_USER_ID:
			s->primary_uid = n == 1 && b[0];
			break;
		}
	}
}

/* Reads signature row @i of a checked reply into c->sigs[i]. */
static void load_sig(struct pgp_cert *c, u16 i)
{
	const struct pgp_umd_signature *s = &c->reply->signatures[i];
	struct pgp_sig_info *si = &c->sigs[i];
	u16 j;

	si->packet = s->packet;
	si->target = s->target;
	si->parent = s->parent;
	si->version = s->version;
	si->sig_type = s->sig_type;
	si->pk_algo = s->pk_algo;
	si->hash_algo = s->hash_algo;
	si->role = s->role;
	si->prefix = at(c, s->hash_prefix);
	si->value_count = s->value_count;
	for (j = 0; j < s->value_count; j++) {
		si->value[j] = at(c, s->values[j]);
		si->value_len[j] = s->values[j].len;
	}
	if (s->version == 3) {
		si->hashed = at(c, s->hashed_area);
		si->hashed_len = 5;
		si->created = be32(si->hashed + 1);
		si->has_created = true;
		memcpy(si->issuer_id, at(c, s->issuer), PGP_KEYID_LEN);
		si->has_issuer_id = true;
		return;
	}
	si->hashed = at(c, s->body);
	si->hashed_len = s->hashed_area.off + s->hashed_area.len - s->body.off;
	if (s->version == 6) {
		si->salt = at(c, s->salt);
		si->salt_len = s->salt.len;
	}
	read_subpackets(c, si, s->hashed_first, s->hashed_count, true);
	read_subpackets(c, si, s->unhashed_first, s->unhashed_count, false);
	/* RFC 9580 5.2.3.11: the creation time MUST be in the hashed area. */
	if (!si->has_created)
		si->unusable = true;
}

/**
 * pgp_cert_load() - read the facts of a checked certificate reply
 * @c: filled in; large, so callers allocate it
 * @payload: the kernel's copy of the payload
 * @len: its length
 * @reply: a reply that passed pgp_reply_check() for this payload
 *
 * Return: 0, or -EBADMSG if the reply maps no key.
 */
int pgp_cert_load(struct pgp_cert *c, const u8 *payload, size_t len,
		  const struct pgp_umd_reply *reply)
{
	const struct pgp_umd_reply_header *h = &reply->header;
	u16 i, j;

	memset(c, 0, sizeof(*c));
	c->payload = payload;
	c->len = len;
	c->reply = reply;
	c->n_keys = h->key_count;
	c->n_sigs = h->signature_count;
	if (!c->n_keys && h->packet_count)
		return -EBADMSG;
	for (i = 0; i < c->n_keys; i++) {
		const struct pgp_umd_key *k = &reply->keys[i];
		const struct pgp_umd_packet *p = &reply->packets[k->packet];
		struct pgp_key_info *ki = &c->keys[i];

		ki->packet = k->packet;
		ki->version = k->version;
		ki->pk_algo = k->pk_algo;
		ki->curve = k->curve;
		ki->field_count = k->field_count;
		ki->body = payload + p->whole.off + p->header_len;
		ki->body_len = p->whole.len - p->header_len;
		ki->created = be32(ki->body + 1);
		for (j = 0; j < k->field_count; j++) {
			ki->field[j] = at(c, k->fields[j]);
			ki->field_len[j] = k->fields[j].len;
		}
	}
	for (i = 0; i < c->n_sigs; i++)
		load_sig(c, i);
	return 0;
}

/**
 * pgp_sig_load() - read the signature of a checked PARSE_SIGNATURE reply
 * @c: filled in: no keys, the signature (and any embedded ones) in sigs[]
 * @payload: the kernel's copy of the signature packet
 * @len: its length
 * @reply: a reply (expanded from the short form) that passed pgp_reply_check()
 *
 * Return: 0, or -EBADMSG if the reply maps no signature.
 */
int pgp_sig_load(struct pgp_cert *c, const u8 *payload, size_t len,
		 const struct pgp_umd_reply *reply)
{
	u16 i;

	memset(c, 0, sizeof(*c));
	c->payload = payload;
	c->len = len;
	c->reply = reply;
	c->n_sigs = reply->header.signature_count;
	if (reply->header.key_count || !c->n_sigs ||
	    reply->signatures[0].role != PGP_UMD_SIG_DATA)
		return -EBADMSG;
	for (i = 0; i < c->n_sigs; i++)
		load_sig(c, i);
	return 0;
}

static void plan_add(struct pgp_hash_plan *plan, const u8 *p, size_t len)
{
	plan->chunk[plan->n].p = p;
	plan->chunk[plan->n].len = len;
	plan->chunk[plan->n].text = false;
	plan->n++;
}

/**
 * pgp_plan_feed() - pass the bytes of a plan to a hash, in order
 * @plan: the plan
 * @update: called with consecutive spans of the bytes to hash
 * @ctx: passed to @update
 *
 * A text chunk (the data of a 0x01 signature) is fed in canonical form
 * (RFC 9580 5.2.1.2): every LF not already preceded by CR becomes CR LF.
 * Nothing else is changed; trailing white space is hashed as it is, as gpg
 * and sequoia do for text signatures.
 */
void pgp_plan_feed(const struct pgp_hash_plan *plan,
		   void (*update)(void *ctx, const u8 *p, size_t len), void *ctx)
{
	static const u8 crlf[2] = { '\r', '\n' };
	u8 i;

	for (i = 0; i < plan->n; i++) {
		const u8 *p = plan->chunk[i].p;
		size_t len = plan->chunk[i].len, start = 0, j;

		if (!plan->chunk[i].text) {
			update(ctx, p, len);
			continue;
		}
		for (j = 0; j < len; j++) {
			if (p[j] != '\n' || (j > 0 && p[j - 1] == '\r'))
				continue;
			update(ctx, p + start, j - start);
			update(ctx, crlf, 2);
			start = j + 1;
		}
		update(ctx, p + start, len - start);
	}
}

/* Adds @n constructed octets from @src, stored in the plan's scratch. */
static void plan_add_octets(struct pgp_hash_plan *plan, const u8 *src, u8 n)
{
	u8 *dst = plan->scratch + plan->used;

	memcpy(dst, src, n);
	plan->used += n;
	plan_add(plan, dst, n);
}

/* A key as hashed in fingerprints and signatures (RFC 9580 5.2.4, 5.5.4). */
static void plan_add_key(struct pgp_hash_plan *plan, const struct pgp_key_info *k)
{
	u8 hdr[5];

	if (k->version == 6) {
		hdr[0] = 0x9B;
		hdr[1] = (u8)(k->body_len >> 24);
		hdr[2] = (u8)(k->body_len >> 16);
		hdr[3] = (u8)(k->body_len >> 8);
		hdr[4] = (u8)k->body_len;
		plan_add_octets(plan, hdr, 5);
	} else {
		hdr[0] = 0x99;
		hdr[1] = (u8)(k->body_len >> 8);
		hdr[2] = (u8)k->body_len;
		plan_add_octets(plan, hdr, 3);
	}
	plan_add(plan, k->body, k->body_len);
}

/**
 * pgp_plan_fingerprint() - the bytes a key's fingerprint is the hash of
 * @k: the key
 * @plan: filled in; hash with SHA-1 (v4) or SHA-256 (v6) as plan->hash_algo says
 *
 * Return: 0, -EBADMSG for a v4 key body too long to have a fingerprint, or
 * -EINVAL for a key version without fingerprints here.
 */
int pgp_plan_fingerprint(const struct pgp_key_info *k, struct pgp_hash_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	if (k->version == 4) {
		if (k->body_len > 0xFFFF)
			return -EBADMSG;	/* a v4 key's length must fit 16 bits */
		plan->hash_algo = PGP_HASH_SHA1;
	} else if (k->version == 6) {
		plan->hash_algo = PGP_HASH_SHA256;
	} else {
		return -EINVAL;
	}
	plan_add_key(plan, k);
	return 0;
}

struct primary_hint {
	const struct pgp_key_info *pk;
	u8 id[PGP_KEYID_LEN];
	bool named;
};

static void note_primary_hint(void *ctx, const u8 *hint, size_t len)
{
	struct primary_hint *ph = ctx;

	if ((len == PGP_KEYID_LEN && !memcmp(hint, ph->id, PGP_KEYID_LEN)) ||
	    (len == ph->pk->fpr_len && !memcmp(hint, ph->pk->fpr, len)))
		ph->named = true;
}

/**
 * pgp_cert_check_skipped() - no skipped signature names the primary key
 * @c: a loaded certificate with fingerprints set
 *
 * A run of skipped packets may not hold a signature by the primary key:
 * such a signature could decide the key's fate, so a handler that skipped
 * one has lied about it. The sanitizer walked every run already; this walk
 * only compares each issuer hint with the primary key's fingerprint and
 * key id, known once pgp_cert_fingerprints() has run.
 *
 * Return: 0, or -EBADMSG when a skipped signature names the primary key.
 */
int pgp_cert_check_skipped(const struct pgp_cert *c)
{
	const struct pgp_umd_reply *r = c->reply;
	struct primary_hint ph = { .pk = &c->keys[0], .named = false };
	u16 row, component = NONE;
	bool holds;

	if (!c->n_keys)
		return 0;
	pgp_key_id(ph.pk, ph.id);
	for (row = 0; row < r->header.packet_count; row++) {
		const struct pgp_umd_packet *p = &r->packets[row];

		if (p->role != PGP_UMD_ROLE_SKIPPED) {
			if (p->role != PGP_UMD_ROLE_SIGNATURE && p->role != PGP_UMD_ROLE_IGNORED)
				component = row;
			continue;
		}
		if (pgp_walk_run(at(c, p->whole), p->whole.len,
				 component == NONE ? -1 : r->packets[component].role,
				 note_primary_hint, &ph, &holds) || ph.named)
			return -EBADMSG;
	}
	return 0;
}

/**
 * pgp_cert_fingerprints() - compute every key's fingerprint
 * @c: a loaded certificate
 * @ops: the crypto backend (only its digest is used)
 * @ctx: passed to @ops
 *
 * Return: 0 or the digest's negative errno. The caller then runs
 * pgp_cert_check_skipped().
 */
int pgp_cert_fingerprints(struct pgp_cert *c, const struct pgp_crypto_ops *ops, void *ctx)
{
	struct pgp_hash_plan plan;
	u8 digest[PGP_DIGEST_MAX];
	int n;
	u16 i;

	for (i = 0; i < c->n_keys; i++) {
		n = pgp_plan_fingerprint(&c->keys[i], &plan);
		if (!n)
			n = ops->digest(ctx, &plan, digest);
		if (n < 0)
			return n;
		pgp_cert_set_fingerprint(&c->keys[i], digest, (size_t)n);
	}
	return 0;
}

void pgp_cert_set_fingerprint(struct pgp_key_info *k, const u8 *digest, size_t len)
{
	k->fpr_len = (u8)(len > PGP_FPR_MAX ? PGP_FPR_MAX : len);
	memcpy(k->fpr, digest, k->fpr_len);
}

/* The key id: low 8 octets of a v4 fingerprint, high 8 of a v6 one. */
void pgp_key_id(const struct pgp_key_info *k, u8 id[PGP_KEYID_LEN])
{
	if (k->version == 6)
		memcpy(id, k->fpr, PGP_KEYID_LEN);
	else
		memcpy(id, k->fpr + k->fpr_len - PGP_KEYID_LEN, PGP_KEYID_LEN);
}

static const struct pgp_key_info *key_at_packet(const struct pgp_cert *c, u16 packet)
{
	u16 i;

	for (i = 0; i < c->n_keys; i++)
		if (c->keys[i].packet == packet)
			return &c->keys[i];
	return NULL;
}

/**
 * pgp_plan_signature() - the bytes a signature's hash covers
 * @c: the certificate (or the lone signature of a PARSE_SIGNATURE reply)
 * @sig_row: the signature
 * @data: for a data signature, the signed data; NULL for certificate signatures
 * @data_len: its length
 * @plan: filled in
 *
 * Certificate signatures cover the primary key, then the user id (with its
 * 0xB4/0xD1 header for v4/v6 signatures) or the subkey, then the signature's
 * hashed part and trailer; a v6 signature's salt comes first (RFC 9580 5.2.4).
 *
 * Return: 0, or -EINVAL for a signature this code cannot place.
 */
int pgp_plan_signature(const struct pgp_cert *c, u16 sig_row, const u8 *data, size_t data_len,
		       struct pgp_hash_plan *plan)
{
	const struct pgp_sig_info *s = &c->sigs[sig_row];
	const struct pgp_umd_packet *tp = NULL;
	u8 trailer[6];

	memset(plan, 0, sizeof(*plan));
	plan->hash_algo = s->hash_algo;
	if (s->version == 6)
		plan_add(plan, s->salt, s->salt_len);
	if (s->role == PGP_UMD_SIG_DATA) {
		if (!data && data_len)
			return -EINVAL;
		plan_add(plan, data, data_len);
		plan->chunk[plan->n - 1].text = s->sig_type == PGP_SIG_TEXT;
	} else {
		if (s->target == NONE || !c->n_keys)
			return -EINVAL;
		tp = &c->reply->packets[s->target];
		plan_add_key(plan, &c->keys[0]);
		if (tp->role == PGP_UMD_ROLE_USER_ID || tp->role == PGP_UMD_ROLE_USER_ATTRIBUTE) {
			u32 n = tp->whole.len - tp->header_len;
			u8 hdr[5] = { tp->role == PGP_UMD_ROLE_USER_ID ? 0xB4 : 0xD1,
				      (u8)(n >> 24), (u8)(n >> 16), (u8)(n >> 8), (u8)n };

			if (s->version != 3)
				plan_add_octets(plan, hdr, 5);
			plan_add(plan, c->payload + tp->whole.off + tp->header_len, n);
		} else if (tp->role == PGP_UMD_ROLE_SUBKEY) {
			const struct pgp_key_info *sub = key_at_packet(c, s->target);

			if (!sub)
				return -EINVAL;
			plan_add_key(plan, sub);
		} else if (tp->role != PGP_UMD_ROLE_PRIMARY_KEY) {
			return -EINVAL;
		}
	}
	plan_add(plan, s->hashed, s->hashed_len);
	if (s->version != 3) {
		trailer[0] = s->version;
		trailer[1] = 0xFF;
		trailer[2] = (u8)(s->hashed_len >> 24);
		trailer[3] = (u8)(s->hashed_len >> 16);
		trailer[4] = (u8)(s->hashed_len >> 8);
		trailer[5] = (u8)s->hashed_len;
		plan_add_octets(plan, trailer, 6);
	}
	return 0;
}

/**
 * pgp_hash_allowed() - the hash policy
 * @pol: the policy
 * @s: the signature (its hash, version and creation time decide)
 * @data: true for signatures over data, false for certificate signatures
 *
 * SHA-224/256/384/512 are accepted. SHA-1 only in v3/v4 signatures: for
 * certificate signatures made before the cut-off, for data when explicitly
 * allowed; never in a v6 signature (RFC 9580 5.2.3.2 pairs v6 signatures
 * with salted, collision-resistant hashes). MD5, RIPEMD-160 and anything
 * else never.
 *
 * Return: 0 or -EKEYREJECTED.
 */
int pgp_hash_allowed(const struct pgp_policy *pol, const struct pgp_sig_info *s, bool data)
{
	switch (s->hash_algo) {
	case PGP_HASH_SHA224:
	case PGP_HASH_SHA256:
	case PGP_HASH_SHA384:
	case PGP_HASH_SHA512:
		return 0;
	case PGP_HASH_SHA1:
		if (s->version == 6)
			return -EKEYREJECTED;
		if (data ? pol->allow_sha1_data : s->created < pol->sha1_cutoff)
			return 0;
		return -EKEYREJECTED;
	}
	return -EKEYREJECTED;
}

static bool issuer_may_be(const struct pgp_sig_info *s, const struct pgp_key_info *k)
{
	u8 id[PGP_KEYID_LEN];

	if (s->issuer_fpr_len)
		return s->issuer_fpr_len == k->fpr_len && !memcmp(s->issuer_fpr, k->fpr, k->fpr_len);
	if (s->has_issuer_id) {
		pgp_key_id(k, id);
		return !memcmp(s->issuer_id, id, PGP_KEYID_LEN);
	}
	return true;	/* no hint: the verification decides */
}

static bool sig_algo_matches(u8 sig_algo, u8 key_algo)
{
	if (key_algo == PGP_PK_RSA || key_algo == PGP_PK_RSA_SIGN_ONLY)
		return sig_algo == PGP_PK_RSA || sig_algo == PGP_PK_RSA_SIGN_ONLY;
	return sig_algo == key_algo;
}

/*
 * Signature versions a key's certificate signatures may have: a v6 key
 * makes v6 signatures, a v4 key v4 ones (RFC 9580 5.2.3). A v3 signature
 * never binds anything on a v4 key, but a v3 revocation that verifies is
 * honoured: honouring a revocation can only refuse a key.
 */
static bool version_matches(const struct pgp_sig_info *s, const struct pgp_key_info *signer,
			    bool revocation)
{
	if (s->version == signer->version)
		return true;
	return revocation && s->version == 3 && signer->version == 4;
}

/* Everything pgp_cert_select() needs, and what it learnt so far. */
struct select_ctx {
	const struct pgp_cert *c;
	const struct pgp_policy *pol;
	const struct pgp_crypto_ops *ops;
	void *ctx;
	/*
	 * Per signature row, once checked: 1 valid, -EKEYREJECTED when it does
	 * not count (not by this signer, bad, refused by the policy), any other
	 * negative errno when it could not be evaluated; 0 not yet checked.
	 */
	s16 verdict[PGP_UMD_MAX_SIGNATURES];
	u16 verifications;	/* made so far, at most PGP_MAX_VERIFICATIONS */
};

/*
 * Verifies certificate signature @row with @signer after the checks that need
 * no cryptography. @revocation relaxes the hash policy: a revocation is
 * honoured whenever it verifies, since honouring a forged one only refuses
 * a key. Returns 1 when valid, else a negative errno as for select_ctx.verdict.
 */
static int check_cert_sig(struct select_ctx *x, u16 row,
			  const struct pgp_key_info *signer, bool revocation)
{
	const struct pgp_cert *c = x->c;
	const struct pgp_policy *pol = x->pol;
	const struct pgp_sig_info *s = &c->sigs[row];
	struct pgp_hash_plan plan;
	u8 digest[PGP_DIGEST_MAX];
	int n, err;

	if (s->unusable || !issuer_may_be(s, signer) || !sig_algo_matches(s->pk_algo, signer->pk_algo))
		return -EKEYREJECTED;
	if (!version_matches(s, signer, revocation))
		return -EKEYREJECTED;
	if (s->created > pol->now || s->created < signer->created)
		return -EKEYREJECTED;
	if (s->sig_expiry && (u64)s->created + s->sig_expiry <= pol->now)
		return -EKEYREJECTED;
	if (!revocation && pgp_hash_allowed(pol, s, false))
		return -EKEYREJECTED;
	err = pgp_plan_signature(c, row, NULL, 0, &plan);
	if (err)
		return err;
	n = x->ops->digest(x->ctx, &plan, digest);
	if (n < 0)
		return n;
	if (n < 2 || digest[0] != s->prefix[0] || digest[1] != s->prefix[1])
		return -EKEYREJECTED;
	if (x->verifications >= PGP_MAX_VERIFICATIONS)
		return -EMSGSIZE;
	x->verifications++;
	err = x->ops->verify(x->ctx, signer, s, digest, (size_t)n);
	return err ? err : 1;
}

u32 pgp_key_bits(const struct pgp_key_info *k)
{
	const u8 *n = k->field[0];

	if (k->pk_algo != PGP_PK_RSA && k->pk_algo != PGP_PK_RSA_SIGN_ONLY)
		return 0;
	return (u32)n[0] << 8 | n[1];
}

/*
 * The public exponent must be odd and 3 <= e < 2^256 (NIST SP 800-89's upper
 * bound; the kernel's RSA checks it only in FIPS mode): e = 1 makes any
 * value a signature, an even e is no RSA key, and a huge one makes every
 * verification with it slow.
 */
static bool rsa_exponent_sound(const struct pgp_key_info *k)
{
	const u8 *e = k->field[1];
	u32 bits = (u32)e[0] << 8 | e[1];

	return bits >= 2 && bits <= PGP_RSA_MAX_EXPONENT_BITS && (e[k->field_len[1] - 1] & 1);
}

/* Whether this kernel can verify with @k under @pol: 0, -ENOPKG or -EKEYREJECTED. */
static int algorithm_usable(const struct pgp_policy *pol, const struct pgp_key_info *k)
{
	switch (k->pk_algo) {
	case PGP_PK_RSA:
	case PGP_PK_RSA_SIGN_ONLY:
		if (!rsa_exponent_sound(k))
			return -EKEYREJECTED;
		return pgp_key_bits(k) >= pol->min_rsa_bits ? 0 : -EKEYREJECTED;
	case PGP_PK_ECDSA:
		if (k->curve < 32 && (pol->curves & (1u << k->curve)))
			return 0;
		return -ENOPKG;
	case PGP_PK_EDDSA_LEGACY:
	case PGP_PK_ED25519:
		return pgp_ed25519_usable(k);
	}
	return -ENOPKG;
}

/* check_cert_sig(), once per row: every row has exactly one possible signer. */
static int sig_verdict(struct select_ctx *x, u16 row, const struct pgp_key_info *signer,
		       bool revocation)
{
	if (!x->verdict[row])
		x->verdict[row] = (s16)check_cert_sig(x, row, signer, revocation);
	return x->verdict[row];
}

/* Could not be evaluated: neither valid nor a plain "does not count". */
static bool undecided(int verdict)
{
	return verdict < 0 && verdict != -EKEYREJECTED;
}

/* Validity of one key, decided from signatures the kernel verified. */
struct key_state {
	s16 self_sig;		/* newest valid self-signature or binding, -1: none */
	bool revoked;
	bool may_sign;
	bool backsig_ok;
	u64 expiry;		/* 0: never */
	/*
	 * A revocation, or a self-signature at least as new as the one chosen,
	 * that could not be evaluated: its errno. It might have changed the
	 * verdict, so the key is refused rather than judged without it.
	 */
	int undecided;
};

static bool newer(const struct pgp_cert *c, int row, int than)
{
	return than < 0 || c->sigs[row].created >= c->sigs[than].created;
}

static u64 min_expiry(u64 a, u64 b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* When signature @row stops being valid (its own expiration), 0: never. */
static u64 sig_end(const struct pgp_cert *c, int row)
{
	const struct pgp_sig_info *s = &c->sigs[row];

	return s->sig_expiry ? (u64)s->created + s->sig_expiry : 0;
}

/* When a key stops being valid by self-signature @row's key expiration. */
static u64 key_end(const struct pgp_cert *c, int row, const struct pgp_key_info *k)
{
	const struct pgp_sig_info *s = &c->sigs[row];

	return s->key_expiry ? (u64)k->created + s->key_expiry : 0;
}

static bool flags_sign(const struct pgp_sig_info *s)
{
	return s->key_flags & PGP_KEY_FLAG_SIGN;
}

/*
 * True if a valid signature of the same kind over the same component is
 * newer than @row: then @row cannot decide anything.
 */
static bool superseded(const struct select_ctx *x, u16 row)
{
	const struct pgp_cert *c = x->c;
	const struct pgp_sig_info *s = &c->sigs[row];
	u16 j;

	for (j = 0; j < c->n_sigs; j++)
		if (x->verdict[j] == 1 && c->sigs[j].role == s->role &&
		    c->sigs[j].target == s->target && c->sigs[j].parent == s->parent &&
		    c->sigs[j].created > s->created)
			return true;
	return false;
}

/*
 * The first signature of @roles (a bit per role) that could not be
 * evaluated and might have changed the verdict: any revocation, or a
 * self-signature or binding not superseded by a valid newer one. 0: none.
 */
static int first_undecided(const struct select_ctx *x, u32 roles, u16 target)
{
	const struct pgp_cert *c = x->c;
	u16 i;

	for (i = 0; i < c->n_sigs; i++) {
		const struct pgp_sig_info *s = &c->sigs[i];
		bool revocation = s->role == PGP_UMD_SIG_KEY_REVOCATION ||
				  s->role == PGP_UMD_SIG_CERT_REVOCATION ||
				  s->role == PGP_UMD_SIG_SUBKEY_REVOCATION;

		if (!(roles & (1u << s->role)) || s->parent != NONE || !undecided(x->verdict[i]))
			continue;
		if (target != NONE && s->target != target)
			continue;
		if (revocation || !superseded(x, i))
			return x->verdict[i];
	}
	return 0;
}

/* Self-signatures of user ids the primary key's properties are read from. */
struct uid_view {
	int gpg_flags;		/* newest of those with key flags (gpg's rule), -1 */
	int gpg_expiry;		/* newest of those with a key expiration (gpg's rule), -1 */
	int primary;		/* the primary user id's (sequoia's rule), -1 */
};

/* True if no valid self-signature of the same user id is newer than @row. */
static bool newest_of_uid(struct select_ctx *x, u16 row)
{
	const struct pgp_cert *c = x->c;
	u16 target = c->sigs[row].target, j;

	for (j = 0; j < c->n_sigs; j++) {
		const struct pgp_sig_info *o = &c->sigs[j];

		if (j == row || o->target != target || o->parent != NONE)
			continue;
		if (o->role != PGP_UMD_SIG_CERTIFICATION || x->verdict[j] != 1)
			continue;
		if (o->created > c->sigs[row].created || (o->created == c->sigs[row].created && j > row))
			return false;
	}
	return true;
}

/* True if a valid revocation of @row's user id is at least as new as @row. */
static bool uid_revoked(const struct select_ctx *x, u16 row)
{
	const struct pgp_cert *c = x->c;
	u16 j;

	for (j = 0; j < c->n_sigs; j++)
		if (c->sigs[j].role == PGP_UMD_SIG_CERT_REVOCATION && x->verdict[j] == 1 &&
		    c->sigs[j].target == c->sigs[row].target &&
		    c->sigs[j].created >= c->sigs[row].created)
			return true;
	return false;
}

static void pick_uids(struct select_ctx *x, struct uid_view *v)
{
	const struct pgp_cert *c = x->c;
	u16 i;

	v->gpg_flags = -1;
	v->gpg_expiry = -1;
	v->primary = -1;
	for (i = 0; i < c->n_sigs; i++) {
		const struct pgp_sig_info *s = &c->sigs[i];

		if (s->role != PGP_UMD_SIG_CERTIFICATION || x->verdict[i] != 1 ||
		    c->reply->packets[s->target].role != PGP_UMD_ROLE_USER_ID ||
		    !newest_of_uid(x, i) || uid_revoked(x, i))
			continue;
		if (s->has_key_flags && newer(c, i, v->gpg_flags))
			v->gpg_flags = i;
		if (s->key_expiry && newer(c, i, v->gpg_expiry))
			v->gpg_expiry = i;
		/* The primary user id: flagged primary first, then the newest. */
		if (v->primary < 0 ||
		    (s->primary_uid && !c->sigs[v->primary].primary_uid) ||
		    (s->primary_uid == c->sigs[v->primary].primary_uid && newer(c, i, v->primary)))
			v->primary = i;
	}
}

/*
 * The primary key's validity, expiry and signing capability.
 *
 * gpg and sequoia read them from different self-signatures, so both
 * readings are made and the stricter one wins:
 * - gpg: the newest direct-key signature's key flags, else those of the
 *   user id whose newest self-signature is the newest with key flags; its
 *   key expiration if non-zero, else likewise the newest user id's with one.
 * - sequoia: the primary user id's newest self-signature (flagged primary,
 *   else the newest), each subpacket falling back to the newest direct-key
 *   signature when absent there. A v6 key's direct-key signature is read
 *   the same way (RFC 9580 5.2.3.10 puts its properties there).
 * The key expires at the earlier of the two expiries, and at the end of the
 * chosen self-signatures' own validity; it may sign only if both readings
 * allow it (no key flags at all: allowed, as both tools do).
 */
static void primary_state(struct select_ctx *x, struct key_state *st, u16 *uid_packet)
{
	const struct pgp_cert *c = x->c;
	const struct pgp_key_info *pk = &c->keys[0];
	struct uid_view v;
	int direct = -1, any = -1, verdict;
	bool gpg_sign, sq_sign;
	u64 gpg_end, sq_end;
	u16 i;

	*uid_packet = NONE;
	for (i = 0; i < c->n_sigs; i++) {
		const struct pgp_sig_info *s = &c->sigs[i];
		bool revocation = s->role == PGP_UMD_SIG_KEY_REVOCATION ||
				  s->role == PGP_UMD_SIG_CERT_REVOCATION;

		if (s->parent != NONE)
			continue;
		if (!revocation && s->role != PGP_UMD_SIG_DIRECT_KEY &&
		    s->role != PGP_UMD_SIG_CERTIFICATION)
			continue;
		verdict = sig_verdict(x, i, pk, revocation);
		if (s->role == PGP_UMD_SIG_KEY_REVOCATION && verdict == 1)
			st->revoked = true;
		if (verdict != 1)
			continue;
		if (s->role == PGP_UMD_SIG_DIRECT_KEY && newer(c, i, direct))
			direct = i;
		if (!revocation && newer(c, i, any))
			any = i;
	}
	st->undecided = first_undecided(x, 1u << PGP_UMD_SIG_KEY_REVOCATION |
					   1u << PGP_UMD_SIG_CERT_REVOCATION |
					   1u << PGP_UMD_SIG_DIRECT_KEY |
					   1u << PGP_UMD_SIG_CERTIFICATION, NONE);
	st->self_sig = (s16)any;
	if (any < 0)
		return;
	pick_uids(x, &v);
	if (v.primary >= 0)
		*uid_packet = c->sigs[v.primary].target;

	gpg_sign = true;
	if (direct >= 0 && c->sigs[direct].has_key_flags)
		gpg_sign = flags_sign(&c->sigs[direct]);
	else if (v.gpg_flags >= 0)
		gpg_sign = flags_sign(&c->sigs[v.gpg_flags]);
	sq_sign = true;
	if (v.primary >= 0 && c->sigs[v.primary].has_key_flags)
		sq_sign = flags_sign(&c->sigs[v.primary]);
	else if (direct >= 0 && c->sigs[direct].has_key_flags)
		sq_sign = flags_sign(&c->sigs[direct]);
	st->may_sign = gpg_sign && sq_sign;

	gpg_end = direct >= 0 ? key_end(c, direct, pk) : 0;
	if (!gpg_end && v.gpg_expiry >= 0)
		gpg_end = key_end(c, v.gpg_expiry, pk);
	if (v.primary >= 0 && c->sigs[v.primary].has_key_expiry)
		sq_end = key_end(c, v.primary, pk);
	else
		sq_end = direct >= 0 ? key_end(c, direct, pk) : 0;
	st->expiry = min_expiry(gpg_end, sq_end);
	if (direct >= 0)
		st->expiry = min_expiry(st->expiry, sig_end(c, direct));
	if (v.primary >= 0)
		st->expiry = min_expiry(st->expiry, sig_end(c, v.primary));
}

/*
 * A subkey's state: its newest valid binding (signing capability, key
 * expiration, the binding's own expiration), revocations, and for signing
 * subkeys whether any embedded back-signature verifies with the subkey
 * (an unhashed one may be appended by anyone, so one bogus back-signature
 * must not hide a good one).
 */
static void subkey_state(struct select_ctx *x, u16 key, struct key_state *st)
{
	const struct pgp_cert *c = x->c;
	const struct pgp_key_info *sub = &c->keys[key];
	int verdict, best = -1, backsig_undecided = 0;
	u16 i;

	for (i = 0; i < c->n_sigs; i++) {
		const struct pgp_sig_info *s = &c->sigs[i];

		if (s->target != sub->packet || s->parent != NONE)
			continue;
		if (s->role == PGP_UMD_SIG_SUBKEY_REVOCATION) {
			if (sig_verdict(x, i, &c->keys[0], true) == 1)
				st->revoked = true;
		} else if (s->role == PGP_UMD_SIG_SUBKEY_BINDING) {
			verdict = sig_verdict(x, i, &c->keys[0], false);
			if (verdict == 1 && newer(c, i, best))
				best = i;
		}
	}
	st->undecided = first_undecided(x, 1u << PGP_UMD_SIG_SUBKEY_REVOCATION |
					   1u << PGP_UMD_SIG_SUBKEY_BINDING, sub->packet);
	st->self_sig = (s16)best;
	if (best < 0)
		return;
	st->expiry = min_expiry(key_end(c, best, sub), sig_end(c, best));
	st->may_sign = !c->sigs[best].has_key_flags || flags_sign(&c->sigs[best]);
	if (!st->may_sign || algorithm_usable(x->pol, sub))
		return;
	/* The back-signature is made by the subkey over primary and subkey. */
	for (i = 0; i < c->n_sigs && !st->backsig_ok; i++) {
		if (c->sigs[i].parent != best ||
		    c->sigs[i].role != PGP_UMD_SIG_PRIMARY_KEY_BINDING)
			continue;
		verdict = sig_verdict(x, i, sub, false);
		st->backsig_ok = verdict == 1;
		if (undecided(verdict) && !backsig_undecided)
			backsig_undecided = verdict;
	}
	/* None verified and one could not be checked (e.g. a key size this
	 * kernel's RSA refuses): that is the reason, not a bad binding.
	 */
	if (!st->backsig_ok && !st->undecided)
		st->undecided = backsig_undecided;
}

static bool selector_matches(const struct pgp_selector *sel, const struct pgp_key_info *k)
{
	u8 id[PGP_KEYID_LEN];

	if (sel->len == PGP_KEYID_LEN) {
		pgp_key_id(k, id);
		return !memcmp(id, sel->id, PGP_KEYID_LEN);
	}
	return sel->len == k->fpr_len && !memcmp(sel->id, k->fpr, k->fpr_len);
}

/* Checks one candidate key: 0 when usable for signatures, else why not. */
static int key_usable(const struct pgp_cert *c, const struct pgp_policy *pol,
		      const struct key_state *st, u16 key)
{
	int err;

	if (st->undecided)
		return st->undecided;
	if (st->self_sig < 0)
		return -EKEYREJECTED;
	if (st->revoked)
		return -EKEYREVOKED;
	if (st->expiry && st->expiry <= pol->now)
		return -EKEYEXPIRED;
	if (!st->may_sign)
		return -EKEYREJECTED;
	/* Before the back-signature, which this kernel cannot check with a
	 * key of an algorithm it lacks: the honest reason is the algorithm.
	 */
	err = algorithm_usable(pol, &c->keys[key]);
	if (err)
		return err;
	if (key && !st->backsig_ok)
		return -EKEYREJECTED;
	return 0;
}

/*
 * Keeps the most telling reason seen for refusing: revoked and expired over
 * an unsupported algorithm over a plain rejection.
 */
static int worse(int a, int b)
{
	static const int order[] = { -EKEYREJECTED, -ENOPKG, -EKEYEXPIRED, -EKEYREVOKED };
	int ia = 0, ib = 0, i;

	for (i = 0; i < 4; i++) {
		if (order[i] == a)
			ia = i;
		if (order[i] == b)
			ib = i;
	}
	return ia >= ib ? a : b;
}

/*
 * For the errno of a refusal only, when no self-signature could be verified
 * (an algorithm or hash this kernel lacks): true if the newest self-signature
 * that names the primary key as its issuer says the key has expired. The
 * key is refused either way; gpg calls such a key expired, so say so.
 */
static bool claims_expired(const struct pgp_cert *c, const struct pgp_policy *pol)
{
	const struct pgp_key_info *pk = &c->keys[0];
	int newest = -1;
	u16 i;

	for (i = 0; i < c->n_sigs; i++) {
		const struct pgp_sig_info *s = &c->sigs[i];

		if ((s->role == PGP_UMD_SIG_DIRECT_KEY || s->role == PGP_UMD_SIG_CERTIFICATION) &&
		    s->parent == NONE && (s->issuer_fpr_len || s->has_issuer_id) &&
		    issuer_may_be(s, pk) && newer(c, i, newest))
			newest = i;
	}
	return newest >= 0 && c->sigs[newest].key_expiry &&
	       key_end(c, newest, pk) <= pol->now;
}

/**
 * pgp_cert_select() - decide which key of a certificate the kernel accepts
 * @c: loaded certificate with fingerprints set
 * @pol: policy
 * @sel: selector, or an empty one (len 0)
 * @ops: hashing and verification
 * @ctx: passed to @ops
 * @out: the selected key, the user id to describe it, and its expiry
 *
 * Without a selector: the primary key if it may sign, otherwise the newest
 * valid signing subkey. With one: exactly the key it names, if valid and
 * signing-capable. The primary key must have a valid self-signature and must
 * be of an algorithm this kernel verifies, since every binding is checked
 * with it. The expiry is the earliest of the primary key's and the chosen
 * key's expirations and of the self-signatures they were read from.
 *
 * A revocation, or a self-signature at least as new as the one the
 * decision rests on, that could not be evaluated (a hash or algorithm this
 * kernel lacks, a failed allocation) refuses the key with that error
 * rather than being passed over.
 *
 * Return: 0, or -ENOKEY (selector matches no key), -EKEYREVOKED,
 * -EKEYEXPIRED (also when no self-signature could be verified but the
 * newest one naming the key says it expired), -ENOPKG (algorithm or hash
 * this kernel cannot evaluate),
 * -EKEYREJECTED (no valid binding, not signing-capable, weak key or hash),
 * or the error of a signature that could not be evaluated (e.g. -ENOMEM).
 */
int pgp_cert_select(const struct pgp_cert *c, const struct pgp_policy *pol,
		    const struct pgp_selector *sel, const struct pgp_crypto_ops *ops,
		    void *ctx, struct pgp_selection *out)
{
	struct select_ctx sc = { .c = c, .pol = pol, .ops = ops, .ctx = ctx }, *x = &sc;
	struct key_state primary = { 0 }, st;
	int best = -1, why, err;
	u16 i, uid;

	if (!c->n_keys)
		return -EBADMSG;
	if (sel->len) {
		for (i = 0; i < c->n_keys; i++)
			if (selector_matches(sel, &c->keys[i]))
				break;
		if (i == c->n_keys)
			return -ENOKEY;
	}
	/* Every binding is verified with the primary key: if this kernel cannot
	 * verify with it, or it is too weak to trust, nothing in the certificate
	 * can be trusted.
	 */
	err = algorithm_usable(pol, &c->keys[0]);
	if (err)
		return claims_expired(c, pol) ? -EKEYEXPIRED : err;
	primary_state(x, &primary, &uid);
	err = primary.undecided;
	if (!err && primary.self_sig < 0)
		err = claims_expired(c, pol) ? -EKEYEXPIRED : -EKEYREJECTED;
	if (!err && primary.revoked)
		err = -EKEYREVOKED;
	if (!err && primary.expiry && primary.expiry <= pol->now)
		err = -EKEYEXPIRED;
	if (err)
		return err;

	why = key_usable(c, pol, &primary, 0);
	if (!why && (!sel->len || selector_matches(sel, &c->keys[0]))) {
		out->key = 0;
		out->uid_packet = uid;
		out->expiry = primary.expiry;
		return 0;
	}
	if (sel->len && selector_matches(sel, &c->keys[0]))
		return why;
	/* From here on a subkey must be chosen; none found is a refusal even
	 * when the primary key itself was usable but not the one selected.
	 */
	if (!why)
		why = -EKEYREJECTED;
	for (i = 1; i < c->n_keys; i++) {
		if (sel->len && !selector_matches(sel, &c->keys[i]))
			continue;
		memset(&st, 0, sizeof(st));
		subkey_state(x, i, &st);
		err = key_usable(c, pol, &st, i);
		/* Without a selector, only signing subkeys say why none was found:
		 * a revoked encryption subkey does not make the certificate revoked.
		 */
		if (err && !sel->len && st.self_sig >= 0 && !st.may_sign && !st.undecided)
			err = -EKEYREJECTED;
		if (err) {
			why = worse(why, err);
			continue;
		}
		if (best < 0 || c->keys[i].created >= c->keys[best].created) {
			best = i;
			out->expiry = min_expiry(primary.expiry, st.expiry);
		}
	}
	if (best < 0)
		return why;
	out->key = (u16)best;
	out->uid_packet = uid;
	return 0;
}

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/**
 * pgp_parse_selector() - parse "pgp:<hex>" from a key description
 * @text: the description given to keyctl (may be NULL or empty)
 * @len: its length
 * @sel: filled in; len 0 for an empty description
 *
 * <hex> is a 16-digit key id, a 40-digit v4 fingerprint or a 64-digit v6
 * fingerprint, in either case, optionally with "0x" before it.
 *
 * Return: 0, or -EINVAL for any other non-empty description.
 */
int pgp_parse_selector(const char *text, size_t len, struct pgp_selector *sel)
{
	size_t i, digits;

	memset(sel, 0, sizeof(*sel));
	if (!text || !len)
		return 0;
	if (len < 4 || memcmp(text, "pgp:", 4))
		return -EINVAL;
	text += 4;
	len -= 4;
	if (len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		text += 2;
		len -= 2;
	}
	digits = len;
	if (digits != 2 * PGP_KEYID_LEN && digits != 40 && digits != 64)
		return -EINVAL;
	for (i = 0; i < digits; i += 2) {
		int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		sel->id[i / 2] = (u8)(hi << 4 | lo);
	}
	sel->len = (u8)(digits / 2);
	return 0;
}
