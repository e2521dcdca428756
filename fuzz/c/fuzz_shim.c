// SPDX-License-Identifier: GPL-2.0
/*
 * Entry points of the fuzz targets into the kernel's pure C (kmod/pgp),
 * compiled by fuzz/build.rs with clang's libFuzzer coverage (and
 * AddressSanitizer in ASan builds). Each one runs what the kernel runs after
 * pgp_reply_check() has accepted a reply: loading the facts, fingerprints,
 * key selection, hash plans and signature encodings, over exact-size copies
 * so that any read outside the payload is seen.
 *
 * The crypto backend is either OpenSSL (real digests and verification, as
 * the user-space tests use) or a fake one that reads every planned byte and
 * answers verification with a fixed verdict, so that the policy code behind
 * a good signature is reached with arbitrary input.
 */
#include <stdlib.h>
#include "../../kmod/pgp/pgp_reply.h"
#include "../../kmod/pgp/pgp_cert.h"
#include "../../kmod/pgp/pgp_pubkey.h"
#include "../../kmod/pgp/pgp_sig.h"
#include "../../kmod/pgp/user/ossl_ops.h"

/* Flags of fz_cert_policy() and fz_sig_policy(). */
#define FZ_OPENSSL		0x1	/* real crypto (else the fake backend) */
#define FZ_FAKE_VERIFY_OK	0x2	/* the fake backend accepts every signature */
#define FZ_SELECTOR		0x4	/* select the key named by @sel */

/* fuzz/src/cffi.rs sizes the fingerprint buffer with FPR_MAX = 32. */
_Static_assert(PGP_FPR_MAX == 32, "cffi.rs FPR_MAX");

/* Every byte the plan names is read, and mixed into the fake digest. */
struct fake_state {
	u8 acc[PGP_DIGEST_MAX];
	size_t n;
	bool accept;
};

static void fake_update(void *ctx, const u8 *p, size_t len)
{
	struct fake_state *st = ctx;
	size_t i;

	for (i = 0; i < len; i++, st->n++)
		st->acc[st->n % PGP_DIGEST_MAX] ^= p[i];
}

static int fake_digest(void *ctx, const struct pgp_hash_plan *plan, u8 *out)
{
	struct fake_state *st = ctx;
	int n = pgp_digest_len(plan->hash_algo);

	if (n <= 0 || n > PGP_DIGEST_MAX)
		return -ENOPKG;
	memset(st->acc, 0, sizeof(st->acc));
	st->n = 0;
	pgp_plan_feed(plan, fake_update, st);
	memcpy(out, st->acc, (size_t)n);
	return n;
}

static int fake_verify(void *ctx, const struct pgp_key_info *key,
		       const struct pgp_sig_info *sig, const u8 *digest, size_t len)
{
	struct fake_state *st = ctx;
	u8 enc[PGP_SIG_ENC_MAX];
	const char *encoding;
	size_t n;
	int err;

	/* What the kernel backend does before it calls the crypto API. */
	err = pgp_sig_encode(key, sig, enc, sizeof(enc), &n, &encoding);
	if (err)
		return err;
	if (!pgp_sig_prefix_ok(sig, digest, len))
		return -EKEYREJECTED;
	return st->accept ? 0 : -EKEYREJECTED;
}

static const struct pgp_crypto_ops fake_ops = {
	.digest = fake_digest,
	.verify = fake_verify,
};

/* The key encodings the kernel builds for its asymmetric-key subtype. */
static void key_encodings(const struct pgp_key_info *k)
{
	static u8 der[PGP_RSA_DER_MAX];
	const u8 *point;
	size_t len, n;

	if (!pgp_rsa_der(k, der, sizeof(der), &len) &&
	    pgp_rsa_der_modulus_len(der, len, &n))
		abort();	/* the DER the kernel built does not parse back */
	(void)pgp_ec_point(k, &point, &len);
	(void)pgp_pkey_algo_name(k);
	(void)pgp_key_bits(k);
}

/**
 * fz_cert_policy() - the kernel's certificate path after the sanitizer
 * @payload: exact-size copy of the payload
 * @len: its length
 * @reply: a reply pgp_reply_check() accepted for it, with status OK
 * @now: the policy's clock
 * @flags: FZ_*
 * @sel: selector bytes (FZ_SELECTOR), @sel_len of them
 * @sel_len: 8, 20 or 32 for a meaningful selector
 * @fpr: receives up to PGP_UMD_MAX_KEYS fingerprints of PGP_FPR_MAX octets
 * @fpr_len: receives their lengths (0 when not computed)
 *
 * Return: what pgp_cert_load(), pgp_cert_fingerprints() or pgp_cert_select()
 * returned first non-zero, else 0.
 */
int fz_cert_policy(const u8 *payload, size_t len, const struct pgp_umd_reply *reply, u64 now,
		   u32 flags, const u8 *sel, size_t sel_len, u8 *fpr, u8 *fpr_len)
{
	static struct pgp_cert c;
	struct fake_state st = { .accept = flags & FZ_FAKE_VERIFY_OK };
	const struct pgp_crypto_ops *ops = flags & FZ_OPENSSL ? &ossl_ops : &fake_ops;
	struct pgp_policy pol = {
		.now = now, .min_rsa_bits = 2048, .sha1_cutoff = 1546300800,
		.curves = 0xffffffff,
	};
	struct pgp_selector selector = { 0 };
	struct pgp_selection out;
	struct pgp_hash_plan plan;
	u8 digest[PGP_DIGEST_MAX];
	int err;
	u16 i;

	/* As the kernel reuses its work area: nothing may read stale contents. */
	memset(&c, 0xA5, sizeof(c));
	err = pgp_cert_load(&c, payload, len, reply);
	if (err)
		return err;
	if (flags & FZ_OPENSSL)
		err = ossl_set_fingerprints(&c);
	else
		err = pgp_cert_fingerprints(&c, ops, &st);
	if (!err)
		err = pgp_cert_check_skipped(&c);
	if (err)
		return err;
	for (i = 0; i < c.n_keys; i++) {
		memcpy(fpr + (size_t)i * PGP_FPR_MAX, c.keys[i].fpr, c.keys[i].fpr_len);
		fpr_len[i] = c.keys[i].fpr_len;
		key_encodings(&c.keys[i]);
	}
	for (i = 0; i < c.n_sigs; i++)
		if (!pgp_plan_signature(&c, i, NULL, 0, &plan))
			(void)ops->digest(&st, &plan, digest);
	if (flags & FZ_SELECTOR && sel_len <= PGP_FPR_MAX) {
		memcpy(selector.id, sel, sel_len);
		selector.len = (u8)sel_len;
	}
	return pgp_cert_select(&c, &pol, &selector, ops, &st, &out);
}

/**
 * fz_sig_policy() - the kernel's data-signature path after the sanitizer
 * @payload: exact-size copy of the signature packet
 * @len: its length
 * @reply: a reply pgp_reply_check() accepted for it, with status OK
 * @data: the signed data (exact-size copy)
 * @data_len: its length
 * @now: the policy's clock
 * @flags: FZ_FAKE_VERIFY_OK is ignored; bit 0x8 allows SHA-1
 *
 * Return: the first non-zero result of the kernel's steps, else 0.
 */
int fz_sig_policy(const u8 *payload, size_t len, const struct pgp_umd_reply *reply,
		  const u8 *data, size_t data_len, u64 now, u32 flags)
{
	static struct pgp_cert c;
	struct fake_state st = { 0 };
	struct pgp_policy pol = {
		.now = now, .min_rsa_bits = 2048, .sha1_cutoff = 1546300800,
		.allow_sha1_data = flags & 0x8, .curves = 0xffffffff,
	};
	struct pgp_hash_plan plan;
	u8 id[PGP_FPR_MAX], id_len, digest[PGP_DIGEST_MAX], enc[PGP_SIG_ENC_MAX];
	size_t n;
	int err;
	u16 i;

	/* As the kernel reuses its work area: nothing may read stale contents. */
	memset(&c, 0xA5, sizeof(c));
	err = pgp_sig_load(&c, payload, len, reply);
	if (err)
		return err;
	pgp_sig_issuer(&c.sigs[0], id, &id_len);
	if (id_len > PGP_FPR_MAX)
		abort();
	for (i = 0; i < c.n_sigs; i++)
		if (!pgp_plan_signature(&c, i, i ? NULL : data, i ? 0 : data_len, &plan))
			(void)fake_digest(&st, &plan, digest);
	err = pgp_data_sig_precheck(&c.sigs[0], &pol);
	if (err)
		return err;
	err = pgp_plan_signature(&c, 0, data, data_len, &plan);
	if (err)
		return err;
	err = fake_digest(&st, &plan, digest);
	if (err < 0)
		return err;
	(void)pgp_sig_prefix_ok(&c.sigs[0], digest, (size_t)err);
	(void)pgp_sig_encode_ecdsa(&c.sigs[0], enc, sizeof(enc), &n);
	return pgp_sig_encode_rsa(&c.sigs[0], 256, enc, sizeof(enc), &n);
}
