/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Certificate policy, pure C: what the kernel derives from its own copy of a
 * certificate once the handler's reply has passed pgp_reply_check(), which
 * signatures it verifies, and which key it accepts.
 *
 * Hashing and signature verification are not done here: the caller supplies
 * them through struct pgp_crypto_ops (the kernel's crypto API in the module,
 * OpenSSL in the user-space tests). Everything else, including the exact
 * bytes each signature covers, is decided here.
 */
#ifndef _PGP_CERT_H
#define _PGP_CERT_H

#include "pgp_pure.h"
#include "../include/pgp_umd_proto.h"

#define PGP_V4_FPR_LEN		20
#define PGP_V6_FPR_LEN		32
#define PGP_FPR_MAX		PGP_V6_FPR_LEN
#define PGP_KEYID_LEN		8
#define PGP_DIGEST_MAX		64
#define PGP_PLAN_MAX_CHUNKS	8
#define PGP_PLAN_SCRATCH	32
/*
 * Signature verifications one key selection may make: every self-signature,
 * binding, back-signature and revocation of a large real certificate fits
 * (each is verified at most once); beyond it the key is refused with
 * -EMSGSIZE, so one add_key cannot make the kernel verify without end.
 */
#define PGP_MAX_VERIFICATIONS	256
/* Largest RSA public exponent accepted, in bits (e < 2^256). */
#define PGP_RSA_MAX_EXPONENT_BITS	256

/* A key as the kernel reads it from its own bytes. */
struct pgp_key_info {
	u16 packet;
	u8 version;
	u8 pk_algo;
	u8 curve;
	u8 field_count;
	u32 created;
	const u8 *body;
	u32 body_len;
	const u8 *field[PGP_UMD_MAX_KEY_FIELDS];	/* whole encodings */
	u32 field_len[PGP_UMD_MAX_KEY_FIELDS];
	u8 fpr[PGP_FPR_MAX];	/* set by pgp_cert_set_fingerprint() */
	u8 fpr_len;
};

/* The facts of a signature that decide trust, read from its hashed area. */
struct pgp_sig_info {
	u16 packet;
	u16 target;		/* packet row of the component, or NONE */
	u16 parent;		/* for embedded signatures */
	u8 version;
	u8 sig_type;
	u8 pk_algo;
	u8 hash_algo;
	u8 role;
	u8 key_flags;
	bool has_created;
	bool has_key_flags;
	bool has_key_expiry;
	bool primary_uid;
	bool unusable;		/* unknown critical or malformed decisive subpacket */
	u8 issuer_fpr_len;	/* 0 when absent */
	bool has_issuer_id;
	u32 created;
	u32 sig_expiry;		/* seconds after creation; 0 = never */
	u32 key_expiry;		/* seconds after key creation; 0 = never */
	u8 issuer_id[PGP_KEYID_LEN];
	u8 issuer_fpr[PGP_FPR_MAX];
	const u8 *hashed;	/* v4/v6: version octet to end of hashed area; v3: 5 octets */
	u32 hashed_len;
	const u8 *salt;
	u32 salt_len;
	const u8 *prefix;
	const u8 *value[PGP_UMD_MAX_SIG_VALUES];	/* whole encodings */
	u32 value_len[PGP_UMD_MAX_SIG_VALUES];
	u8 value_count;
};

struct pgp_cert {
	const u8 *payload;
	size_t len;
	const struct pgp_umd_reply *reply;
	u16 n_keys;
	u16 n_sigs;
	struct pgp_key_info keys[PGP_UMD_MAX_KEYS];
	struct pgp_sig_info sigs[PGP_UMD_MAX_SIGNATURES];
};

/*
 * Bytes to hash, in order. Chunks may point into @scratch: do not copy.
 * A text chunk is hashed in canonical form (see pgp_plan_feed()).
 */
struct pgp_hash_plan {
	u8 hash_algo;
	u8 n;
	struct {
		const u8 *p;
		size_t len;
		bool text;
	} chunk[PGP_PLAN_MAX_CHUNKS];
	u8 scratch[PGP_PLAN_SCRATCH];
	u8 used;
};

struct pgp_crypto_ops {
	/* Digest of @plan into @out; returns its length or a negative errno. */
	int (*digest)(void *ctx, const struct pgp_hash_plan *plan, u8 *out);
	/*
	 * 0 when @sig's values verify over @digest with @key, else -EKEYREJECTED
	 * (or another negative errno when the check could not be made).
	 */
	int (*verify)(void *ctx, const struct pgp_key_info *key,
		      const struct pgp_sig_info *sig, const u8 *digest, size_t len);
};

/* What the kernel accepts; set from module parameters. */
struct pgp_policy {
	u64 now;			/* seconds since the epoch */
	u32 min_rsa_bits;
	u64 sha1_cutoff;		/* SHA-1 self-signatures before this time are accepted */
	bool allow_sha1_data;		/* data signatures (not used by the key policy) */
	u32 curves;			/* bit (1 << PGP_UMD_CURVE_x) per ECDSA curve the kernel has */
};

/* A request for one particular key: full fingerprint or 8-octet key id. */
struct pgp_selector {
	u8 id[PGP_FPR_MAX];
	u8 len;				/* 0: no selector */
};

struct pgp_selection {
	u16 key;			/* row in keys[] */
	u16 uid_packet;			/* packet row of the user id to describe it, or NONE */
	u64 expiry;			/* 0: never */
};

int pgp_cert_load(struct pgp_cert *c, const u8 *payload, size_t len,
		  const struct pgp_umd_reply *reply);
int pgp_sig_load(struct pgp_cert *c, const u8 *payload, size_t len,
		 const struct pgp_umd_reply *reply);
int pgp_plan_fingerprint(const struct pgp_key_info *k, struct pgp_hash_plan *plan);
void pgp_cert_set_fingerprint(struct pgp_key_info *k, const u8 *digest, size_t len);
int pgp_cert_fingerprints(struct pgp_cert *c, const struct pgp_crypto_ops *ops, void *ctx);
int pgp_cert_check_skipped(const struct pgp_cert *c);
void pgp_key_id(const struct pgp_key_info *k, u8 id[PGP_KEYID_LEN]);
int pgp_plan_signature(const struct pgp_cert *c, u16 sig_row, const u8 *data, size_t data_len,
		       struct pgp_hash_plan *plan);
void pgp_plan_feed(const struct pgp_hash_plan *plan,
		   void (*update)(void *ctx, const u8 *p, size_t len), void *ctx);
int pgp_parse_selector(const char *text, size_t len, struct pgp_selector *sel);
int pgp_cert_select(const struct pgp_cert *c, const struct pgp_policy *pol,
		    const struct pgp_selector *sel, const struct pgp_crypto_ops *ops,
		    void *ctx, struct pgp_selection *out);
u32 pgp_key_bits(const struct pgp_key_info *k);
int pgp_hash_allowed(const struct pgp_policy *pol, const struct pgp_sig_info *s, bool data);

#endif /* _PGP_CERT_H */
