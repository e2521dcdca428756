// SPDX-License-Identifier: GPL-2.0
/*
 * User-space driver for the certificate policy (pgp_cert.c) with OpenSSL as
 * the crypto backend, used by handler/tests/c_cert_policy.rs.
 *
 * Reads all of stdin, a sequence of records, then answers one line each:
 *   now:u64 min_rsa_bits:u32 sha1_cutoff:u64 curves:u32
 *   selector_len:u16 selector[selector_len] payload_len:u32 payload
 *   reply[sizeof(struct pgp_umd_reply)]
 * Lines: "ok <fingerprint hex> <expiry> <uid packet row or ->",
 * "err <errno>", or "bad-reply <table> <fault> <row>". Native byte order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include "../pgp_reply.h"
#include "../pgp_pubkey.h"

static u8 *input;
static size_t input_len, pos;

static const u8 *take(size_t n)
{
	const u8 *p;

	if (input_len - pos < n) {
		fprintf(stderr, "cert_check: truncated record\n");
		exit(2);
	}
	p = input + pos;
	pos += n;
	return p;
}

static void ossl_update(void *ctx, const u8 *p, size_t len)
{
	/* A failed update shows as a wrong digest, which fails verification. */
	EVP_DigestUpdate(ctx, p, len);
}

static int ossl_digest(void *ctx, const struct pgp_hash_plan *plan, u8 *out)
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

static int ossl_verify(void *ctx, const struct pgp_key_info *key,
		       const struct pgp_sig_info *sig, const u8 *digest, size_t len)
{
	u8 enc[PGP_SIG_ENC_MAX];
	const char *encoding;
	EVP_PKEY *pkey;
	EVP_PKEY_CTX *vc = NULL;
	size_t enc_len;
	int ok;

	(void)ctx;
	if (pgp_sig_encode(key, sig, enc, sizeof(enc), &enc_len, &encoding))
		return -EKEYREJECTED;
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

static const struct pgp_crypto_ops ossl_ops = { ossl_digest, ossl_verify };

static void check_payload(struct pgp_cert *cert, struct pgp_umd_reply *reply,
			  const struct pgp_policy *pol, const u8 *sel_text, u16 sel_len,
			  const u8 *payload, u32 len);

static void check_one(struct pgp_cert *cert, struct pgp_umd_reply *reply)
{
	struct pgp_policy pol = { 0 };
	const u8 *sel_text;
	u8 *payload;
	u16 sel_len;
	u32 len;

	memcpy(&pol.now, take(8), 8);
	memcpy(&pol.min_rsa_bits, take(4), 4);
	memcpy(&pol.sha1_cutoff, take(8), 8);
	memcpy(&pol.curves, take(4), 4);
	memcpy(&sel_len, take(2), 2);
	sel_text = take(sel_len);
	memcpy(&len, take(4), 4);
	/* An exact-size copy, so AddressSanitizer sees any read past the end. */
	payload = malloc(len ? len : 1);
	if (!payload)
		exit(2);
	memcpy(payload, take(len), len);
	memcpy(reply, take(sizeof(*reply)), sizeof(*reply));
	check_payload(cert, reply, &pol, sel_text, sel_len, payload, len);
	free(payload);
}

static void check_payload(struct pgp_cert *cert, struct pgp_umd_reply *reply,
			  const struct pgp_policy *pol, const u8 *sel_text, u16 sel_len,
			  const u8 *payload, u32 len)
{
	struct pgp_selector sel;
	struct pgp_selection out = { 0 };
	struct pgp_reply_fault_info f;
	struct pgp_hash_plan plan;
	u8 digest[PGP_DIGEST_MAX];
	int err, i, n;

	if (pgp_reply_check(PGP_UMD_OP_PARSE_KEY, reply->header.seq, payload, len, reply, &f)) {
		printf("bad-reply %u %u %u\n", f.table, f.fault, f.row);
		return;
	}
	if (reply->header.status != PGP_UMD_STATUS_OK) {
		printf("status %u\n", reply->header.status);
		return;
	}
	err = pgp_parse_selector((const char *)sel_text, sel_len, &sel);
	if (!err)
		err = pgp_cert_load(cert, payload, len, reply);
	for (i = 0; !err && i < cert->n_keys; i++) {
		err = pgp_plan_fingerprint(&cert->keys[i], &plan);
		n = err ? err : ossl_digest(NULL, &plan, digest);
		if (n < 0)
			err = n;
		else
			pgp_cert_set_fingerprint(&cert->keys[i], digest, (size_t)n);
	}
	if (!err)
		err = pgp_cert_select(cert, pol, &sel, &ossl_ops, NULL, &out);
	if (err) {
		printf("err %d\n", err);
		return;
	}
	printf("ok ");
	for (i = 0; i < cert->keys[out.key].fpr_len; i++)
		printf("%02X", cert->keys[out.key].fpr[i]);
	printf(" %llu ", (unsigned long long)out.expiry);
	if (out.uid_packet == PGP_UMD_NONE)
		printf("-\n");
	else
		printf("%u\n", out.uid_packet);
}

int main(void)
{
	struct pgp_umd_reply *reply = malloc(sizeof(*reply));
	struct pgp_cert *cert = malloc(sizeof(*cert));
	size_t cap = 1 << 20, n;

	input = malloc(cap);
	if (!reply || !cert || !input)
		return 2;
	while ((n = fread(input + input_len, 1, cap - input_len, stdin)) > 0) {
		input_len += n;
		if (input_len == cap) {
			cap *= 2;
			input = realloc(input, cap);
			if (!input)
				return 2;
		}
	}
	while (pos < input_len) {
		check_one(cert, reply);
		fflush(stdout);
	}
	free(reply);
	free(cert);
	free(input);
	return 0;
}
