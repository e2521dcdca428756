/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key material and signature values in the encodings the kernel's
 * asymmetric-key code expects, built from the kernel's own bytes. Pure C.
 */
#ifndef _PGP_PUBKEY_H
#define _PGP_PUBKEY_H

#include "pgp_cert.h"

/* Room for a DER RSAPublicKey of a 16384-bit modulus. */
#define PGP_RSA_DER_MAX		(16 + 2048 + 16 + 512)
#define PGP_SIG_ENC_MAX		(2048 + 16)
/* pkey_algo of an Ed25519 key (either encoding) in the kernel's keyring. */
#define PGP_ED25519_PKEY_ALGO	"ed25519"

const char *pgp_hash_name(u8 hash_algo);
int pgp_digest_len(u8 hash_algo);
const char *pgp_pkey_algo_name(const struct pgp_key_info *k);
int pgp_rsa_der(const struct pgp_key_info *k, u8 *out, size_t cap, size_t *len);
int pgp_ec_point(const struct pgp_key_info *k, const u8 **point, size_t *len);
int pgp_sig_encode(const struct pgp_key_info *k, const struct pgp_sig_info *s, u8 *out,
		   size_t cap, size_t *len, const char **encoding);
int pgp_sig_encode_ecdsa(const struct pgp_sig_info *s, u8 *out, size_t cap, size_t *len);
int pgp_ed25519_pub(const struct pgp_key_info *k, const u8 **pub);
int pgp_ed25519_usable(const struct pgp_key_info *k);
int pgp_sig_encode_ed25519(const struct pgp_sig_info *s, u8 *out);
int pgp_rsa_der_modulus_len(const u8 *der, size_t len, size_t *n);

#endif /* _PGP_PUBKEY_H */
