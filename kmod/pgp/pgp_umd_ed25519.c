// SPDX-License-Identifier: GPL-2.0
/*
 * Ed25519 keys in the kernel's keyrings: the asymmetric key subtype
 * "pgp_ed25519" (docs/kernel-api.md, "Ed25519 keys").
 *
 * No supported kernel (6.1 to 7.3) has Ed25519 in its crypto API, so the
 * kernel's public_key subtype cannot verify with such a key. A key of this
 * subtype carries the same struct public_key as one of public_key's
 * (pkey_algo "ed25519", the 32-octet point as the key, the OpenPGP
 * algorithm, 22 or 27, as the one octet of params), so kernel code that
 * reads asymmetric_key_public_key() of any key finds what it expects; its
 * hooks verify with pgp_ed25519_verify() over SHA-512 from the kernel's
 * crypto API. verify_signature(), keyctl pkey_query and keyctl pkey_verify
 * reach them through the asymmetric key type's usual dispatch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/keyctl.h>
#include <keys/asymmetric-subtype.h>
#include <keys/asymmetric-type.h>
#include <crypto/hash.h>
#include <crypto/public_key.h>

#include "pgp_umd_compat.h"
#include "pgp_umd.h"
#include "pgp_pubkey.h"
#include "pgp_ed25519.h"

/*
 * Longest message a key of this subtype verifies: OpenPGP signs the digest
 * of the signed data, at most SHA-512's 64 octets. Reported by the query
 * hook as max_data_size, so keyctl pkey_verify refuses longer input.
 */
#define PGP_ED25519_MAX_MESSAGE	PGP_DIGEST_MAX
#define PGP_ED25519_KEY_BITS	256

/**
 * pgp_umd_ed25519_verify() - verify an Ed25519 signature (RFC 8032 5.1.7)
 * @pub: the 32-octet public key
 * @sig: the 64-octet signature R || S
 * @m: the message (for OpenPGP: the digest of the signed data)
 * @m_len: its length
 *
 * Hashes R || A || M with the kernel's "sha512" shash (on Debian's 6.1 the
 * module sha512_generic, loaded on first use) and checks the result with
 * pgp_ed25519_verify().
 *
 * Return: 0 if the signature verifies, -EKEYREJECTED if it does not (also
 * for an S or R that is not canonical, or a key that is not an acceptable
 * point), -ENOPKG when SHA-512 is not available, -ENOMEM.
 */
int pgp_umd_ed25519_verify(const u8 *pub, const u8 *sig, const u8 *m, size_t m_len)
{
	u8 hram[PGP_ED25519_HRAM_SIZE];
	struct crypto_shash *tfm;
	struct shash_desc *desc;
	int err;

	tfm = crypto_alloc_shash("sha512", 0, 0);
	if (IS_ERR(tfm)) {
		if (PTR_ERR(tfm) != -ENOENT)
			return PTR_ERR(tfm);
		pr_warn_ratelimited("hash sha512 unavailable for Ed25519: not built in and no module provides it (sha512_generic)\n");
		return -ENOPKG;
	}
	desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!desc) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	desc->tfm = tfm;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, sig, PGP_ED25519_SIG_SIZE - PGP_ED25519_S_SIZE);
	if (!err)
		err = crypto_shash_update(desc, pub, PGP_ED25519_KEY_SIZE);
	if (!err && m_len)
		err = crypto_shash_update(desc, m, m_len);
	if (!err)
		err = crypto_shash_final(desc, hram);
	kfree_sensitive(desc);
	crypto_free_shash(tfm);
	if (err)
		return err;
	return pgp_ed25519_verify(pub, sig, hram) ? -EKEYREJECTED : 0;
}

/* The key of @key, or NULL if it is not one this subtype made. */
static const struct public_key *ed_key(const struct key *key)
{
	const struct public_key *pk = key->payload.data[asym_crypto];

	if (!pk || pk->keylen != PGP_ED25519_KEY_SIZE || !pk->pkey_algo ||
	    strcmp(pk->pkey_algo, PGP_ED25519_PKEY_ALGO))
		return NULL;
	return pk;
}

/* Only the message itself is signed: no padding scheme, no encoding. */
static bool encoding_ok(const char *encoding)
{
	return !encoding || !strcmp(encoding, "raw");
}

static void pgp_ed25519_describe(const struct key *key, struct seq_file *m)
{
	const struct public_key *pk = key->payload.data[asym_crypto];

	if (pk)
		seq_printf(m, "%s.%s", pk->id_type, pk->pkey_algo);
}

static void pgp_ed25519_destroy(void *payload_crypto, void *payload_auth)
{
	/* payload_auth is always NULL: pgp_key_parse() sets no asym_auth. */
	public_key_free(payload_crypto);
}

static int pgp_ed25519_query(const struct kernel_pkey_params *params,
			     struct kernel_pkey_query *info)
{
	if (!encoding_ok(params->encoding))
		return -ENOPKG;
	memset(info, 0, sizeof(*info));
	info->supported_ops = KEYCTL_SUPPORTS_VERIFY;
	info->key_size = PGP_ED25519_KEY_BITS;
	info->max_data_size = PGP_ED25519_MAX_MESSAGE;
	info->max_sig_size = PGP_ED25519_SIG_SIZE;
	return 0;
}

/* Public keys only: nothing to encrypt with, no secret to decrypt or sign. */
static int pgp_ed25519_eds_op(struct kernel_pkey_params *params, const void *in, void *out)
{
	return -EOPNOTSUPP;
}

static int pgp_ed25519_verify_signature(const struct key *key,
					const struct public_key_signature *sig)
{
	const struct public_key *pk = ed_key(key);
	const u8 *m;
	u32 m_len;

	if (!pk)
		return -EINVAL;
	if (!encoding_ok(sig->encoding))
		return -ENOPKG;
	if (sig->pkey_algo && strcmp(sig->pkey_algo, pk->pkey_algo))
		return -EKEYREJECTED;
	if (!sig->s || sig->s_size != PGP_ED25519_SIG_SIZE)
		return -EBADMSG;
	m = pgp_umd_sig_message(sig, &m_len);
	if (m_len > PGP_ED25519_MAX_MESSAGE || (m_len && !m))
		return -EINVAL;
	return pgp_umd_ed25519_verify(pk->key, sig->s, m, m_len);
}

struct asymmetric_key_subtype pgp_ed25519_subtype = {
	.owner = THIS_MODULE,
	.name = "pgp_ed25519",
	.name_len = sizeof("pgp_ed25519") - 1,
	.describe = pgp_ed25519_describe,
	.destroy = pgp_ed25519_destroy,
	.query = pgp_ed25519_query,
	.eds_op = pgp_ed25519_eds_op,
	.verify_signature = pgp_ed25519_verify_signature,
};
