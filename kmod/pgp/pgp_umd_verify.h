/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgp_umd's in-kernel API for other modules: verify an OpenPGP signature
 * over data with a key from a keyring (docs/kernel-api.md).
 */
#ifndef _PGP_UMD_VERIFY_H
#define _PGP_UMD_VERIFY_H

#include <linux/types.h>

struct key;

/* What a successful verification reports. */
struct pgp_umd_sig_info {
	u8 issuer[32];		/* fingerprint, or key id when the signature names only that */
	u8 issuer_len;
	u8 signer[32];		/* fingerprint of the key that verified */
	u8 signer_len;
	u8 version;		/* 3, 4 or 6 */
	u8 hash_algo;		/* RFC 9580 hash id */
	u32 created;		/* signature creation time, Unix seconds */
};

int pgp_umd_verify_signature(struct key *keyring, const void *data, size_t data_len,
			     const void *sig, size_t sig_len, struct pgp_umd_sig_info *info);

#endif /* _PGP_UMD_VERIFY_H */
