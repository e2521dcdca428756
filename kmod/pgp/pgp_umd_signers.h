/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trying every key of a keyring that a signature's issuer names
 * (pgp_umd_signers.c; docs/kernel-api.md, "Which key verifies").
 */
#ifndef _PGP_UMD_SIGNERS_H
#define _PGP_UMD_SIGNERS_H

#include <linux/types.h>

/* Distinct keys verified for one signature, the first match included. */
#define PGP_SIGNER_MAX_TRIES	8
/* Keyring entries looked at for one signature, over all nested keyrings. */
#define PGP_SIGNER_MAX_ENTRIES	4096
/* Nested keyrings below the searched one: keyring_search()'s own limit. */
#define PGP_SIGNER_MAX_DEPTH	6

struct key;
struct asymmetric_key_id;

int pgp_umd_try_signers(struct key *keyring, struct key *first,
			const struct asymmetric_key_id *id, bool partial,
			int (*try_key)(struct key *key, void *ctx), void *ctx);

#endif /* _PGP_UMD_SIGNERS_H */
