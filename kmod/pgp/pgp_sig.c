// SPDX-License-Identifier: GPL-2.0
/*
 * Signatures over data: the checks the kernel makes on a lone signature
 * (type, hash policy, times) and the pieces it needs to verify one with a
 * key from a keyring (issuer, hash prefix, RSA value encoding).
 */
#include "pgp_sig.h"
#include "pgp_pubkey.h"

/**
 * pgp_data_sig_precheck() - may this signature be verified over data?
 * @s: the signature, from pgp_sig_load()
 * @pol: the policy (time, SHA-1 for data)
 *
 * Return: 0; -EINVAL for a signature type other than binary (0x00) or text
 * (0x01); -ENOPKG for a hash the kernel does not compute or a public-key
 * algorithm it cannot verify (RSA and EdDSA always, Ed448 never; ECDSA when
 * the kernel has any ECDSA curve, the key's curve being checked with the
 * key); -EKEYREJECTED for
 * a hash the policy refuses, an unknown critical subpacket, no creation
 * time, or a creation time in the future; -EKEYEXPIRED for an expired
 * signature.
 */
int pgp_data_sig_precheck(const struct pgp_sig_info *s, const struct pgp_policy *pol)
{
	if (s->sig_type != PGP_SIG_BINARY && s->sig_type != PGP_SIG_TEXT)
		return -EINVAL;
	if (pgp_digest_len(s->hash_algo) < 0 && s->hash_algo != PGP_HASH_MD5)
		return -ENOPKG;
	if (pgp_hash_allowed(pol, s, true))
		return -EKEYREJECTED;
	if (s->unusable || !s->has_created || s->created > pol->now)
		return -EKEYREJECTED;
	if (s->sig_expiry && (u64)s->created + s->sig_expiry <= pol->now)
		return -EKEYEXPIRED;
	/* Before the key is looked up: no key could verify this signature. */
	if (s->pk_algo != PGP_PK_RSA && s->pk_algo != PGP_PK_RSA_SIGN_ONLY &&
	    s->pk_algo != PGP_PK_EDDSA_LEGACY && s->pk_algo != PGP_PK_ED25519 &&
	    !(s->pk_algo == PGP_PK_ECDSA && pol->curves))
		return -ENOPKG;
	return 0;
}

/**
 * pgp_sig_issuer() - the identity to look the signing key up by
 * @s: the signature
 * @id: set to the issuer fingerprint if the signature names one, else the
 *      8-octet issuer key id
 * @len: set to the length of @id; 0 when the signature names no issuer
 */
void pgp_sig_issuer(const struct pgp_sig_info *s, u8 id[PGP_FPR_MAX], u8 *len)
{
	if (s->issuer_fpr_len) {
		memcpy(id, s->issuer_fpr, s->issuer_fpr_len);
		*len = s->issuer_fpr_len;
	} else if (s->has_issuer_id) {
		memcpy(id, s->issuer_id, PGP_KEYID_LEN);
		*len = PGP_KEYID_LEN;
	} else {
		*len = 0;
	}
}

/* The two left octets of the digest must equal the signature's prefix. */
bool pgp_sig_prefix_ok(const struct pgp_sig_info *s, const u8 *digest, size_t len)
{
	return len >= 2 && digest[0] == s->prefix[0] && digest[1] == s->prefix[1];
}

/**
 * pgp_sig_encode_rsa() - an RSA signature value as the kernel verifies it
 * @s: the signature (RSA)
 * @modulus_len: length in octets of the key's modulus
 * @out: output buffer
 * @cap: its size
 * @len: set to @modulus_len
 *
 * Return: 0; -ENOPKG when @s is not an RSA signature; -EBADMSG when the
 * value is longer than the modulus; -EMSGSIZE when @cap is too small.
 */
int pgp_sig_encode_rsa(const struct pgp_sig_info *s, size_t modulus_len, u8 *out,
		       size_t cap, size_t *len)
{
	size_t n;

	if ((s->pk_algo != PGP_PK_RSA && s->pk_algo != PGP_PK_RSA_SIGN_ONLY) ||
	    s->value_count != 1)
		return -ENOPKG;
	n = s->value_len[0] - 2;
	if (n > modulus_len)
		return -EBADMSG;
	if (modulus_len > cap)
		return -EMSGSIZE;
	memset(out, 0, modulus_len - n);
	memcpy(out + modulus_len - n, s->value[0] + 2, n);
	*len = modulus_len;
	return 0;
}
