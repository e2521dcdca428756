// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's crypto API as the backend of the pure checking code: hashes
 * through crypto_shash, signatures through public_key_verify_signature(),
 * with keys and values encoded by pgp_pubkey.c from the kernel's own bytes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/crypto.h>
#include <crypto/hash.h>
#include <crypto/akcipher.h>
#include <crypto/public_key.h>

#include "pgp_umd_compat.h"
#include "pgp_umd.h"
#include "pgp_pubkey.h"
#include "pgp_ed25519.h"

struct feed_ctx {
	struct shash_desc *desc;
	int err;
};

static void feed(void *ctx, const u8 *p, size_t len)
{
	struct feed_ctx *f = ctx;

	if (!f->err && len)
		f->err = crypto_shash_update(f->desc, p, len);
}

/**
 * pgp_umd_digest() - hash the bytes of a plan
 * @plan: what to hash, and with which algorithm
 * @out: at least PGP_DIGEST_MAX bytes
 *
 * crypto_alloc_shash() requests the module that provides a hash the kernel
 * does not have yet (request_module("crypto-<name>")): on Debian's 6.1,
 * SHA-384 and SHA-512 come from sha512_generic. When that fails, the
 * request fails with -ENOPKG and a log line naming the hash.
 *
 * Return: the digest length, or -ENOPKG when this kernel has no such hash
 * and cannot load it, or another negative errno.
 */
int pgp_umd_digest(const struct pgp_hash_plan *plan, u8 *out)
{
	const char *name = pgp_hash_name(plan->hash_algo);
	struct feed_ctx f = { 0 };
	struct crypto_shash *tfm;
	int err;

	if (!name)
		return -ENOPKG;
	tfm = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(tfm)) {
		if (PTR_ERR(tfm) != -ENOENT)
			return PTR_ERR(tfm);
		pr_warn_ratelimited("hash %s unavailable: not built in and no module provides it (SHA-384/512: sha512_generic)\n",
				    name);
		return -ENOPKG;
	}
	f.desc = kzalloc(sizeof(*f.desc) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!f.desc) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	f.desc->tfm = tfm;
	err = crypto_shash_init(f.desc);
	if (!err) {
		pgp_plan_feed(plan, feed, &f);
		err = f.err;
	}
	if (!err)
		err = crypto_shash_final(f.desc, out);
	if (!err)
		err = crypto_shash_digestsize(tfm);
	kfree_sensitive(f.desc);
	crypto_free_shash(tfm);
	return err;
}

static int kernel_digest(void *ctx, const struct pgp_hash_plan *plan, u8 *out)
{
	return pgp_umd_digest(plan, out);
}

/* Builds the kernel's form of @k: DER RSAPublicKey, the EC point, or the
 * Ed25519 point with the OpenPGP algorithm as params.
 */
static int build_public_key(const struct pgp_key_info *k, struct public_key *pk)
{
	const u8 *point;
	size_t len;
	u8 *der;
	int err;

	memset(pk, 0, sizeof(*pk));
	pk->pkey_algo = pgp_pkey_algo_name(k);
	if (!pk->pkey_algo)
		return -ENOPKG;
	pk->id_type = "PGP";
#ifdef KEY_EFLAG_DIGITALSIG
	pk->key_eflags = BIT(KEY_EFLAG_DIGITALSIG);
#endif
	if (!strcmp(pk->pkey_algo, PGP_ED25519_PKEY_ALGO)) {
		/* The subtype of pgp_umd_ed25519.c checks the signature's
		 * algorithm against this octet.
		 */
		err = pgp_ed25519_pub(k, &point);
		if (err)
			return err;
		pk->key = kmemdup(point, PGP_ED25519_KEY_SIZE, GFP_KERNEL);
		pk->keylen = PGP_ED25519_KEY_SIZE;
		pk->params = kmemdup(&k->pk_algo, 1, GFP_KERNEL);
		pk->paramlen = 1;
		return pk->key && pk->params ? 0 : -ENOMEM;
	}
	if (k->pk_algo == PGP_PK_ECDSA) {
		err = pgp_ec_point(k, &point, &len);
		if (err)
			return err;
		pk->key = kmemdup(point, len, GFP_KERNEL);
		pk->keylen = len;
		return pk->key ? 0 : -ENOMEM;
	}
	der = kmalloc(PGP_RSA_DER_MAX, GFP_KERNEL);
	if (!der)
		return -ENOMEM;
	err = pgp_rsa_der(k, der, PGP_RSA_DER_MAX, &len);
	if (err) {
		kfree(der);
		return err;
	}
	pk->key = der;
	pk->keylen = len;
	return 0;
}

/**
 * pgp_umd_public_key() - a struct public_key for the keyring
 * @k: the selected key
 *
 * Return: the key, or an ERR_PTR (-ENOPKG for algorithms this kernel cannot
 * use, -ENOMEM).
 */
struct public_key *pgp_umd_public_key(const struct pgp_key_info *k)
{
	struct public_key *pk = kzalloc(sizeof(*pk), GFP_KERNEL);
	int err;

	if (!pk)
		return ERR_PTR(-ENOMEM);
	err = build_public_key(k, pk);
	if (err) {
		kfree(pk->key);
		kfree(pk->params);
		kfree(pk);
		return ERR_PTR(err);
	}
	return pk;
}

/*
 * After a failed RSA verification: true if the failure is this kernel's RSA
 * refusing the key's modulus size (Debian's 6.1 accepts only some sizes,
 * e.g. not 3104, 5120 or 8192 bits), which is no bad signature but an
 * algorithm this kernel lacks. Checked by loading the key into the kernel's
 * "rsa" cipher, as the verification did.
 */
static bool rsa_size_refused(const struct pgp_key_info *key, const struct public_key *pk)
{
	struct crypto_akcipher *tfm;
	bool refused;

	if (strcmp(pk->pkey_algo, "rsa"))
		return false;
	tfm = crypto_alloc_akcipher("rsa", 0, 0);
	if (IS_ERR(tfm))
		return false;
	refused = crypto_akcipher_set_pub_key(tfm, pk->key, pk->keylen) == -EINVAL;
	crypto_free_akcipher(tfm);
	if (refused)
		pr_info_ratelimited("RSA-%u keys: this kernel's RSA does not accept the size\n",
				    pgp_key_bits(key));
	return refused;
}

static int kernel_verify(void *ctx, const struct pgp_key_info *key,
			 const struct pgp_sig_info *sig, const u8 *digest, size_t len)
{
	struct public_key_signature ps = { 0 };
	struct public_key pk;
	size_t s_len;
	u8 *s;
	int err;

	err = build_public_key(key, &pk);
	if (err)
		goto out_key;
	s = kmalloc(PGP_SIG_ENC_MAX, GFP_KERNEL);
	if (!s) {
		err = -ENOMEM;
		goto out_key;
	}
	err = pgp_sig_encode(key, sig, s, PGP_SIG_ENC_MAX, &s_len, &ps.encoding);
	if (err)
		goto out_sig;
	if (!strcmp(pk.pkey_algo, PGP_ED25519_PKEY_ALGO)) {
		err = pgp_umd_ed25519_verify(pk.key, s, digest, len);
		goto out_sig;
	}
	ps.s = s;
	ps.s_size = s_len;
	pgp_umd_sig_set_digest(&ps, digest, len);
	ps.pkey_algo = pk.pkey_algo;
	ps.hash_algo = pgp_hash_name(sig->hash_algo);
	err = public_key_verify_signature(&pk, &ps);
	if ((err == -EBADMSG || err == -EINVAL) && rsa_size_refused(key, &pk))
		err = -ENOPKG;
	else if (err == -EBADMSG || err == -EINVAL)
		err = -EKEYREJECTED;
out_sig:
	kfree(s);
out_key:
	kfree(pk.key);
	kfree(pk.params);
	return err;
}

const struct pgp_crypto_ops pgp_umd_crypto_ops = {
	.digest = kernel_digest,
	.verify = kernel_verify,
};

/**
 * pgp_umd_curves() - the ECDSA curves this kernel verifies
 * @load: may load a missing algorithm's module
 *
 * Looking up an algorithm the kernel does not have makes the crypto API
 * call request_module(), which starts modprobe: on Debian's 6.1, which has
 * no ECDSA, six modprobe runs, many times the cost of a whole key add. So
 * the modules are requested once, when pgp_umd loads (@load true); every
 * request then asks only for what is registered, which still notices an
 * ECDSA module loaded later by hand.
 *
 * Return: the policy's bit mask of curves.
 */
u32 pgp_umd_curves(bool load)
{
	static const struct {
		const char *name;
		u8 curve;
	} ec[] = {
		{ "ecdsa-nist-p256", PGP_UMD_CURVE_NIST_P256 },
		{ "ecdsa-nist-p384", PGP_UMD_CURVE_NIST_P384 },
		{ "ecdsa-nist-p521", PGP_UMD_CURVE_NIST_P521 },
	};
	u32 mask = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(ec); i++)
		if (crypto_has_alg(ec[i].name, 0, load ? 0 : CRYPTO_NOLOAD))
			mask |= BIT(ec[i].curve);
	return mask;
}
