// SPDX-License-Identifier: GPL-2.0
/*
 * User-space driver for signatures over data, with OpenSSL as the crypto
 * backend: the same steps the kernel takes, with the signer's certificate in
 * place of a keyring (its key is chosen by the signature's issuer through the
 * certificate policy, as `keyctl padd` with a selector would have).
 *
 * Reads all of stdin, records of
 *   now:u64 min_rsa_bits:u32 curves:u32 allow_sha1:u8
 *   data_len:u32 data  sig_len:u32 sig  short_reply
 *   cert_len:u32 cert  full_reply
 * and answers one line each: "good <fingerprint>" or "err <errno>".
 */
#include <stdio.h>
#include <stdlib.h>
#include "records.h"
#include "../pgp_reply.h"
#include "../pgp_sig.h"
#include "ossl_ops.h"


/* An exact-size heap copy, so AddressSanitizer sees any overrun. */
static u8 *take_copy(u32 *len)
{
	u8 *p;

	memcpy(len, take(4), 4);
	p = malloc(*len ? *len : 1);
	if (!p)
		exit(2);
	memcpy(p, take(*len), *len);
	return p;
}

struct work {
	struct pgp_umd_short_reply short_reply;
	struct pgp_umd_reply sig_reply;
	struct pgp_umd_reply cert_reply;
	struct pgp_cert sig;
	struct pgp_cert cert;
};

static int verify(struct work *w, const struct pgp_policy *pol, const u8 *data, u32 data_len,
		  const u8 *sig, u32 sig_len, const u8 *cert, u32 cert_len, int *key)
{
	struct pgp_selection sel_out = { 0 };
	struct pgp_selector sel = { 0 };
	struct pgp_hash_plan plan;
	u8 digest[PGP_DIGEST_MAX];
	int err, n;

	if (pgp_reply_expand_short(&w->short_reply, &w->sig_reply) ||
	    pgp_reply_check(PGP_UMD_OP_PARSE_SIGNATURE, 1, sig, sig_len, &w->sig_reply, NULL) ||
	    w->sig_reply.header.status != PGP_UMD_STATUS_OK)
		return -EBADMSG;
	err = pgp_sig_load(&w->sig, sig, sig_len, &w->sig_reply);
	if (!err)
		err = pgp_data_sig_precheck(&w->sig.sigs[0], pol);
	if (err)
		return err;
	/* The keyring lookup: the key the issuer names, if the policy accepts it. */
	pgp_sig_issuer(&w->sig.sigs[0], sel.id, &sel.len);
	if (!sel.len)
		return -ENOKEY;
	if (pgp_reply_check(PGP_UMD_OP_PARSE_KEY, 1, cert, cert_len, &w->cert_reply, NULL) ||
	    w->cert_reply.header.status != PGP_UMD_STATUS_OK)
		return -EBADMSG;
	err = pgp_cert_load(&w->cert, cert, cert_len, &w->cert_reply);
	if (!err)
		err = ossl_set_fingerprints(&w->cert);
	if (!err)
		err = pgp_cert_select(&w->cert, pol, &sel, &ossl_ops, NULL, &sel_out);
	if (err)
		return err;
	*key = sel_out.key;
	err = pgp_plan_signature(&w->sig, 0, data, data_len, &plan);
	if (err)
		return err;
	n = ossl_digest(NULL, &plan, digest);
	if (n < 0)
		return n;
	if (!pgp_sig_prefix_ok(&w->sig.sigs[0], digest, (size_t)n))
		return -EKEYREJECTED;
	return ossl_verify(NULL, &w->cert.keys[sel_out.key], &w->sig.sigs[0], digest, (size_t)n);
}

int main(void)
{
	struct work *w = calloc(1, sizeof(*w));

	if (!w)
		return 2;
	/* As the kernel reuses its work area: nothing may read stale contents. */
	memset(&w->sig, 0xA5, sizeof(w->sig));
	memset(&w->cert, 0xA5, sizeof(w->cert));
	read_records("sig_check");
	while (pos < input_len) {
		struct pgp_policy pol = { 0 };
		u32 data_len, sig_len, cert_len;
		u8 *data, *sig, *cert, allow;
		int err, key = 0, i;

		memcpy(&pol.now, take(8), 8);
		memcpy(&pol.min_rsa_bits, take(4), 4);
		memcpy(&pol.curves, take(4), 4);
		allow = *take(1);
		pol.allow_sha1_data = allow;
		pol.sha1_cutoff = 1546300800;	/* 2019-01-01, the documented default */
		data = take_copy(&data_len);
		sig = take_copy(&sig_len);
		memcpy(&w->short_reply, take(sizeof(w->short_reply)), sizeof(w->short_reply));
		cert = take_copy(&cert_len);
		memcpy(&w->cert_reply, take(sizeof(w->cert_reply)), sizeof(w->cert_reply));
		err = verify(w, &pol, data, data_len, sig, sig_len, cert, cert_len, &key);
		if (err) {
			printf("err %d\n", err);
		} else {
			printf("good ");
			for (i = 0; i < w->cert.keys[key].fpr_len; i++)
				printf("%02X", w->cert.keys[key].fpr[i]);
			printf("\n");
		}
		free(data);
		free(sig);
		free(cert);
	}
	free(w);
	free(input);
	return 0;
}
