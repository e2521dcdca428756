// SPDX-License-Identifier: GPL-2.0
/*
 * OpenSSL as the crypto backend of the pure checking code, for the user-space
 * test drivers (the kernel modules use the kernel's crypto API instead).
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include "ossl_ops.h"
#include "../pgp_pubkey.h"

static void ossl_update(void *ctx, const u8 *p, size_t len)
{
	/* A failed update shows as a wrong digest, which fails verification. */
	EVP_DigestUpdate(ctx, p, len);
}

int ossl_digest(void *ctx, const struct pgp_hash_plan *plan, u8 *out)
{
	const char *name = pgp_hash_name(plan->hash_algo);
	EVP_MD_CTX *m;
	unsigned int n = 0;
	int ok;

	(void)ctx;
	if (!name)
		return -ENOPKG;
	m = EVP_MD_CTX_new();
	ok = m && EVP_DigestInit_ex(m, EVP_get_digestbyname(name), NULL);
	if (ok)
		pgp_plan_feed(plan, ossl_update, m);
	ok = ok && EVP_DigestFinal_ex(m, out, &n);
	EVP_MD_CTX_free(m);
	return ok ? (int)n : -EIO;
}

static EVP_PKEY *ossl_key(const struct pgp_key_info *k)
{
	static const char *groups[] = {
		[PGP_UMD_CURVE_NIST_P256] = "P-256",
		[PGP_UMD_CURVE_NIST_P384] = "P-384",
		[PGP_UMD_CURVE_NIST_P521] = "P-521",
	};
	u8 der[PGP_RSA_DER_MAX];
	const u8 *p = der, *point;
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *pc;
	OSSL_PARAM params[3];
	size_t len;

	if (!pgp_rsa_der(k, der, sizeof(der), &len))
		return d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
	if (pgp_ec_point(k, &point, &len))
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     (char *)groups[k->curve], 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      (void *)point, len);
	params[2] = OSSL_PARAM_construct_end();
	pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!pc || EVP_PKEY_fromdata_init(pc) <= 0 ||
	    EVP_PKEY_fromdata(pc, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(pc);
	return pkey;
}

/* Ed25519 (RFC 8032) by OpenSSL's own implementation, over OpenPGP's digest. */
static int ossl_verify_ed25519(const struct pgp_key_info *key, const u8 *rs,
			       const u8 *digest, size_t len)
{
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *m;
	const u8 *pub;
	int ok;

	if (pgp_ed25519_pub(key, &pub))
		return -EKEYREJECTED;
	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	m = EVP_MD_CTX_new();
	ok = pkey && m && EVP_DigestVerifyInit(m, NULL, NULL, NULL, pkey) == 1 &&
	     EVP_DigestVerify(m, rs, 64, digest, len) == 1;
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(pkey);
	return ok ? 0 : -EKEYREJECTED;
}

int ossl_verify(void *ctx, const struct pgp_key_info *key,
		       const struct pgp_sig_info *sig, const u8 *digest, size_t len)
{
	u8 enc[PGP_SIG_ENC_MAX];
	const char *encoding;
	EVP_PKEY *pkey;
	EVP_PKEY_CTX *vc = NULL;
	size_t enc_len;
	int ok;

	(void)ctx;
	/* As pgp_umd_crypto.c: an encoding refusal keeps its errno. */
	ok = pgp_sig_encode(key, sig, enc, sizeof(enc), &enc_len, &encoding);
	if (ok)
		return ok;
	if (!strcmp(encoding, "raw"))
		return ossl_verify_ed25519(key, enc, digest, len);
	pkey = ossl_key(key);
	ok = pkey && (vc = EVP_PKEY_CTX_new(pkey, NULL)) && EVP_PKEY_verify_init(vc) > 0 &&
	     EVP_PKEY_CTX_set_signature_md(vc, EVP_get_digestbyname(pgp_hash_name(sig->hash_algo))) > 0;
	if (ok && !strcmp(encoding, "pkcs1"))
		ok = EVP_PKEY_CTX_set_rsa_padding(vc, RSA_PKCS1_PADDING) > 0;
	ok = ok && EVP_PKEY_verify(vc, enc, enc_len, digest, len) == 1;
	EVP_PKEY_CTX_free(vc);
	EVP_PKEY_free(pkey);
	return ok ? 0 : -EKEYREJECTED;
}

const struct pgp_crypto_ops ossl_ops = { ossl_digest, ossl_verify };

/*
 * Fills in the fingerprint of every key of @c and checks its skipped runs,
 * as the kernel does; 0 or a negative errno.
 */
int ossl_set_fingerprints(struct pgp_cert *c)
{
	int err = pgp_cert_fingerprints(c, &ossl_ops, NULL);

	return err ? err : pgp_cert_check_skipped(c);
}
