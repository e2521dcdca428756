/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgp_umd: OpenPGP keys and signatures for the kernel, parsed by a user mode
 * driver. Internal declarations shared by the manager module's files.
 */
#ifndef _PGP_UMD_H
#define _PGP_UMD_H

#include <linux/usermode_driver_mgmt.h>
#include "pgp_cert.h"

/* The UMD: the loader module (pgp_umd_loader) fills in the handler. */
extern struct umd_mgmt pgp_umd_mgmt;

int pgp_umd_request(u16 op, const u8 *payload, size_t len, struct pgp_umd_reply *reply);
void pgp_umd_distrust(const char *why);

/* What one request needs beside the payload: the reply and what the kernel
 * reads from it. 57 KB, so one is kept between requests (pgp_umd_main.c).
 */
struct pgp_umd_work {
	struct pgp_umd_reply reply;
	struct pgp_cert cert;
};

struct pgp_umd_work *pgp_umd_work_get(void);
void pgp_umd_work_put(struct pgp_umd_work *work);

void pgp_umd_policy(struct pgp_policy *pol, bool with_curves);

/* Kernel crypto backend of the pure checking code (pgp_umd_crypto.c). */
extern const struct pgp_crypto_ops pgp_umd_crypto_ops;
int pgp_umd_digest(const struct pgp_hash_plan *plan, u8 *out);
struct public_key;
struct public_key *pgp_umd_public_key(const struct pgp_key_info *k);
u32 pgp_umd_curves(bool load);

/* Ed25519 keys: their asymmetric key subtype (pgp_umd_ed25519.c). */
struct asymmetric_key_subtype;
extern struct asymmetric_key_subtype pgp_ed25519_subtype;
int pgp_umd_ed25519_verify(const u8 *pub, const u8 *sig, const u8 *m, size_t m_len);

/* The asymmetric key parser "pgp" (pgp_umd_key.c). */
int pgp_umd_key_init(void);
void pgp_umd_key_exit(void);

/* Signature verification: in-kernel API and securityfs (pgp_umd_verify.c). */
int pgp_umd_verify_init(void);
void pgp_umd_verify_exit(void);

/*
 * Makes @payload binary: an armored input (RFC 9580 6.2; every block must
 * carry @label, several blocks are concatenated, see pgp_dearmor()) is
 * decoded into a new buffer that the caller frees with kvfree(); a binary
 * one is returned as is with *@owned NULL.
 */
int pgp_umd_dearmor(const u8 *data, size_t len, const char *label, const u8 **payload,
		    size_t *payload_len, u8 **owned);

#endif /* _PGP_UMD_H */
