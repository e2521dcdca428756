/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signatures over data, pure C: what the kernel checks about a lone
 * signature before and after hashing, independent of the crypto backend.
 */
#ifndef _PGP_SIG_H
#define _PGP_SIG_H

#include "pgp_cert.h"

int pgp_data_sig_precheck(const struct pgp_sig_info *s, const struct pgp_policy *pol);
void pgp_sig_issuer(const struct pgp_sig_info *s, u8 id[PGP_FPR_MAX], u8 *len);
bool pgp_sig_prefix_ok(const struct pgp_sig_info *s, const u8 *digest, size_t len);
int pgp_sig_encode_rsa(const struct pgp_sig_info *s, size_t modulus_len, u8 *out,
		       size_t cap, size_t *len);

#endif /* _PGP_SIG_H */
