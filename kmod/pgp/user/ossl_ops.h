/* SPDX-License-Identifier: GPL-2.0 */
/* OpenSSL as the crypto backend of the user-space test drivers. */
#ifndef _OSSL_OPS_H
#define _OSSL_OPS_H

#include "../pgp_cert.h"

extern const struct pgp_crypto_ops ossl_ops;
int ossl_digest(void *ctx, const struct pgp_hash_plan *plan, u8 *out);
int ossl_verify(void *ctx, const struct pgp_key_info *key, const struct pgp_sig_info *sig,
		const u8 *digest, size_t len);
int ossl_set_fingerprints(struct pgp_cert *c);

#endif /* _OSSL_OPS_H */
