/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ed25519 signature verification (RFC 8032, pure Ed25519), pure C: no
 * hashing here. The caller computes SHA-512(R || A || M) with whatever it
 * has (the kernel's "sha512" shash, OpenSSL in the user-space tests) and
 * passes the 64-octet digest. See docs/ed25519.md for the acceptance rule.
 */
#ifndef _PGP_ED25519_H
#define _PGP_ED25519_H

#include "pgp_pure.h"

/* Octets of an encoded public key (a point), of a signature R || S, of S. */
#define PGP_ED25519_KEY_SIZE	32
#define PGP_ED25519_SIG_SIZE	64
#define PGP_ED25519_S_SIZE	32
/* Octets of SHA-512(R || A || M), the input the caller hashes. */
#define PGP_ED25519_HRAM_SIZE	64

int pgp_ed25519_check_key(const u8 *pub);
int pgp_ed25519_verify(const u8 *pub, const u8 *sig, const u8 *hram);

#endif /* _PGP_ED25519_H */
