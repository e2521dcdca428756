// SPDX-License-Identifier: GPL-2.0
/*
 * Encodings for the kernel's asymmetric-key code, built from the kernel's own
 * copy of the key and signature bytes: DER RSAPublicKey (RFC 8017 A.1.1) for
 * RSA keys, the uncompressed SEC1 point for ECDSA keys, the modulus-length
 * RSA signature, DER Ecdsa-Sig-Value (RFC 3279 2.2.3) for ECDSA, and the
 * 32-octet key and 64-octet R || S for Ed25519 (either OpenPGP encoding).
 */
#include "pgp_pubkey.h"
#include "pgp_sig.h"
#include "pgp_ed25519.h"

const char *pgp_hash_name(u8 hash_algo)
{
	switch (hash_algo) {
	case PGP_HASH_SHA1:
		return "sha1";
	case PGP_HASH_SHA224:
		return "sha224";
	case PGP_HASH_SHA256:
		return "sha256";
	case PGP_HASH_SHA384:
		return "sha384";
	case PGP_HASH_SHA512:
		return "sha512";
	}
	return NULL;
}

int pgp_digest_len(u8 hash_algo)
{
	switch (hash_algo) {
	case PGP_HASH_SHA1:
		return 20;
	case PGP_HASH_SHA224:
		return 28;
	case PGP_HASH_SHA256:
		return 32;
	case PGP_HASH_SHA384:
		return 48;
	case PGP_HASH_SHA512:
		return 64;
	}
	return -ENOPKG;
}

const char *pgp_pkey_algo_name(const struct pgp_key_info *k)
{
	switch (k->pk_algo) {
	case PGP_PK_RSA:
	case PGP_PK_RSA_SIGN_ONLY:
		return "rsa";
	case PGP_PK_ECDSA:
		switch (k->curve) {
		case PGP_UMD_CURVE_NIST_P256:
			return "ecdsa-nist-p256";
		case PGP_UMD_CURVE_NIST_P384:
			return "ecdsa-nist-p384";
		case PGP_UMD_CURVE_NIST_P521:
			return "ecdsa-nist-p521";
		}
		break;
	case PGP_PK_EDDSA_LEGACY:
		if (k->curve == PGP_UMD_CURVE_ED25519_LEGACY)
			return PGP_ED25519_PKEY_ALGO;
		break;
	case PGP_PK_ED25519:
		return PGP_ED25519_PKEY_ALGO;
	}
	return NULL;
}

/* MPI value without its bit count; exactness was checked by the sanitizer. */
static void mpi_value(const u8 *mpi, u32 len, const u8 **v, size_t *n)
{
	*v = mpi + 2;
	*n = len - 2;
}

static size_t der_len_size(size_t n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
}

/* Writes a DER tag and length; returns the octets written. */
static size_t der_header(u8 *out, u8 tag, size_t n)
{
	size_t i, size = der_len_size(n);

	out[0] = tag;
	if (size == 1) {
		out[1] = (u8)n;
		return 2;
	}
	out[1] = (u8)(0x80 | (size - 1));
	for (i = 0; i < size - 1; i++)
		out[2 + i] = (u8)(n >> (8 * (size - 2 - i)));
	return 1 + size;
}

/* Size of an unsigned big-endian value as a DER INTEGER's content. */
static size_t int_content(const u8 *v, size_t n)
{
	while (n > 1 && !v[0]) {
		v++;
		n--;
	}
	return n + (n && (v[0] & 0x80));
}

static size_t der_integer(u8 *out, const u8 *v, size_t n)
{
	size_t content, off;

	while (n > 1 && !v[0]) {
		v++;
		n--;
	}
	if (!n) {
		out[0] = 0x02;
		out[1] = 1;
		out[2] = 0;
		return 3;
	}
	content = int_content(v, n);
	off = der_header(out, 0x02, content);
	if (content > n)
		out[off++] = 0;
	memcpy(out + off, v, n);
	return off + n;
}

static size_t der_integer_size(const u8 *v, size_t n)
{
	size_t content = n ? int_content(v, n) : 1;

	return 1 + der_len_size(content) + content;
}

/* DER SEQUENCE { INTEGER a, INTEGER b } of two unsigned values. */
static int der_pair(const u8 *a, size_t an, const u8 *b, size_t bn, u8 *out, size_t cap,
		    size_t *len)
{
	size_t body = der_integer_size(a, an) + der_integer_size(b, bn);
	size_t total = 1 + der_len_size(body) + body, off;

	if (total > cap)
		return -EMSGSIZE;
	off = der_header(out, 0x30, body);
	off += der_integer(out + off, a, an);
	off += der_integer(out + off, b, bn);
	*len = off;
	return 0;
}

/**
 * pgp_rsa_der() - DER RSAPublicKey of an RSA key
 * @k: the key (RSA)
 * @out: output buffer
 * @cap: its size
 * @len: set to the DER length
 *
 * Return: 0, -ENOPKG for a key that is not RSA, -EMSGSIZE if @cap is short.
 */
int pgp_rsa_der(const struct pgp_key_info *k, u8 *out, size_t cap, size_t *len)
{
	const u8 *n, *e;
	size_t nn, en;

	if (k->pk_algo != PGP_PK_RSA && k->pk_algo != PGP_PK_RSA_SIGN_ONLY)
		return -ENOPKG;
	mpi_value(k->field[0], k->field_len[0], &n, &nn);
	mpi_value(k->field[1], k->field_len[1], &e, &en);
	return der_pair(n, nn, e, en, out, cap, len);
}

/**
 * pgp_ec_point() - the uncompressed point of an ECDSA key
 * @k: the key (ECDSA on a NIST curve)
 * @point: set to 04 || X || Y inside the key's bytes
 * @len: its length
 *
 * Return: 0, -ENOPKG for other keys, -EBADMSG for a point of the wrong form.
 */
int pgp_ec_point(const struct pgp_key_info *k, const u8 **point, size_t *len)
{
	size_t want;

	switch (k->curve) {
	case PGP_UMD_CURVE_NIST_P256:
		want = 65;
		break;
	case PGP_UMD_CURVE_NIST_P384:
		want = 97;
		break;
	case PGP_UMD_CURVE_NIST_P521:
		want = 133;
		break;
	default:
		return -ENOPKG;
	}
	if (k->pk_algo != PGP_PK_ECDSA)
		return -ENOPKG;
	mpi_value(k->field[1], k->field_len[1], point, len);
	if (*len != want || (*point)[0] != 0x04)
		return -EBADMSG;
	return 0;
}

/**
 * pgp_sig_encode() - a signature's values as the kernel verifies them
 * @k: the signing key
 * @s: the signature
 * @out: output buffer
 * @cap: its size
 * @len: set to the encoded length
 * @encoding: set to the kernel's encoding name ("pkcs1", "x962" or "raw")
 *
 * RSA: s left-padded with zeros to the modulus length. ECDSA: DER
 * SEQUENCE { r, s }. EdDSA: R || S (pgp_sig_encode_ed25519()).
 *
 * Return: 0, -ENOPKG, -EBADMSG (RSA s longer than the modulus, EdDSA R or S
 * longer than 32 octets), -EKEYREJECTED (an EdDSA signature of another
 * algorithm than its key's), -EMSGSIZE.
 */
int pgp_sig_encode(const struct pgp_key_info *k, const struct pgp_sig_info *s, u8 *out,
		   size_t cap, size_t *len, const char **encoding)
{
	const u8 *n;
	size_t nn;

	if (k->pk_algo == PGP_PK_RSA || k->pk_algo == PGP_PK_RSA_SIGN_ONLY) {
		mpi_value(k->field[0], k->field_len[0], &n, &nn);
		*encoding = "pkcs1";
		return pgp_sig_encode_rsa(s, nn, out, cap, len);
	}
	if (k->pk_algo == PGP_PK_ECDSA) {
		*encoding = "x962";
		return pgp_sig_encode_ecdsa(s, out, cap, len);
	}
	if (k->pk_algo == PGP_PK_EDDSA_LEGACY || k->pk_algo == PGP_PK_ED25519) {
		if (cap < PGP_ED25519_SIG_SIZE)
			return -EMSGSIZE;
		if (s->pk_algo != k->pk_algo)
			return -EKEYREJECTED;
		*encoding = "raw";
		*len = PGP_ED25519_SIG_SIZE;
		return pgp_sig_encode_ed25519(s, out);
	}
	return -ENOPKG;
}

/* An EdDSALegacy key's point: MPI bit count, the prefix 0x40, 32 octets. */
#define PGP_EDDSA_LEGACY_MPI_LEN	(2 + 1 + PGP_ED25519_KEY_SIZE)
#define PGP_EDDSA_LEGACY_PREFIX		0x40

/**
 * pgp_ed25519_pub() - the 32-octet Ed25519 public key of an EdDSA key
 * @k: the key: Ed25519 (27), or EdDSALegacy (22) on the Ed25519 curve
 * @pub: set to the 32 octets inside the key's bytes
 *
 * Ed25519 (RFC 9580 5.5.5.9): the native 32-octet field. EdDSALegacy (RFC
 * 9580 5.5.5.5 and 11.2.2): an MPI holding the prefix 0x40 and the 32
 * octets; nothing else is accepted (no other point format, no lost octets).
 * Whether the octets are a usable point is pgp_ed25519_check_key()'s call.
 *
 * Return: 0, -ENOPKG for other keys (Ed448, EdDSALegacy on another curve),
 * -EBADMSG for a point not in the form above.
 */
int pgp_ed25519_pub(const struct pgp_key_info *k, const u8 **pub)
{
	switch (k->pk_algo) {
	case PGP_PK_ED25519:
		if (k->field_count != 1 || k->field_len[0] != PGP_ED25519_KEY_SIZE)
			return -EBADMSG;
		*pub = k->field[0];
		return 0;
	case PGP_PK_EDDSA_LEGACY:
		if (k->curve != PGP_UMD_CURVE_ED25519_LEGACY)
			return -ENOPKG;
		if (k->field_count < 2 || k->field_len[1] != PGP_EDDSA_LEGACY_MPI_LEN ||
		    k->field[1][2] != PGP_EDDSA_LEGACY_PREFIX)
			return -EBADMSG;
		*pub = k->field[1] + 3;
		return 0;
	}
	return -ENOPKG;
}

/**
 * pgp_ed25519_usable() - whether an EdDSA key can verify signatures
 * @k: the key: Ed25519 (27) or EdDSALegacy (22)
 *
 * Return: 0; -ENOPKG for EdDSALegacy on a curve other than Ed25519 (Ed448
 * has algorithm 28 and never gets here); -EKEYREJECTED for a point not in
 * its encoding's form, not canonical, not on the curve or of small order
 * (no signature could ever verify with it).
 */
int pgp_ed25519_usable(const struct pgp_key_info *k)
{
	const u8 *pub;
	int err = pgp_ed25519_pub(k, &pub);

	if (err == -ENOPKG)
		return err;
	if (err || pgp_ed25519_check_key(pub))
		return -EKEYREJECTED;
	return 0;
}

/**
 * pgp_sig_encode_ed25519() - an EdDSA signature as the 64 octets R || S
 * @s: the signature: Ed25519 (27) or EdDSALegacy (22)
 * @out: PGP_ED25519_SIG_SIZE octets
 *
 * Ed25519: the native 64-octet field. EdDSALegacy: two MPIs, R and S, whose
 * leading zero octets an MPI drops (RFC 9580 5.2.3.3): each is left-padded
 * with zeros to 32 octets.
 *
 * Return: 0, -ENOPKG for other signatures, -EBADMSG for a value longer than
 * 32 octets or a field of the wrong size.
 */
int pgp_sig_encode_ed25519(const struct pgp_sig_info *s, u8 *out)
{
	const u8 *v;
	size_t n;
	int i;

	switch (s->pk_algo) {
	case PGP_PK_ED25519:
		if (s->value_count != 1 || s->value_len[0] != PGP_ED25519_SIG_SIZE)
			return -EBADMSG;
		memcpy(out, s->value[0], PGP_ED25519_SIG_SIZE);
		return 0;
	case PGP_PK_EDDSA_LEGACY:
		if (s->value_count != 2)
			return -EBADMSG;
		for (i = 0; i < 2; i++) {
			mpi_value(s->value[i], s->value_len[i], &v, &n);
			if (n > PGP_ED25519_S_SIZE)
				return -EBADMSG;
			memset(out + 32 * i, 0, PGP_ED25519_S_SIZE - n);
			memcpy(out + 32 * i + PGP_ED25519_S_SIZE - n, v, n);
		}
		return 0;
	}
	return -ENOPKG;
}

/**
 * pgp_sig_encode_ecdsa() - an ECDSA signature as DER SEQUENCE { r, s }
 * @s: the signature (ECDSA, two values)
 * @out: output buffer
 * @cap: its size
 * @len: set to the DER length
 *
 * Return: 0, -ENOPKG for other signatures, -EMSGSIZE if @cap is short.
 */
int pgp_sig_encode_ecdsa(const struct pgp_sig_info *s, u8 *out, size_t cap, size_t *len)
{
	const u8 *a, *b;
	size_t an, bn;

	if (s->pk_algo != PGP_PK_ECDSA || s->value_count != 2)
		return -ENOPKG;
	mpi_value(s->value[0], s->value_len[0], &a, &an);
	mpi_value(s->value[1], s->value_len[1], &b, &bn);
	return der_pair(a, an, b, bn, out, cap, len);
}

/* Reads a DER length at @p (at most 4 octets); returns octets used or 0. */
static size_t der_read_len(const u8 *p, size_t avail, size_t *n)
{
	size_t i, octets;

	if (!avail)
		return 0;
	if (!(p[0] & 0x80)) {
		*n = p[0];
		return 1;
	}
	octets = p[0] & 0x7F;
	if (!octets || octets > 3 || octets + 1 > avail)
		return 0;
	for (*n = 0, i = 1; i <= octets; i++)
		*n = (*n << 8) | p[i];
	return octets + 1;
}

/**
 * pgp_rsa_der_modulus_len() - modulus length of a DER RSAPublicKey
 * @der: the key as pgp_rsa_der() built it
 * @len: its length
 * @n: set to the modulus length in octets, without a leading zero octet
 *
 * Return: 0, or -EBADMSG when @der is not a SEQUENCE starting with an INTEGER.
 */
int pgp_rsa_der_modulus_len(const u8 *der, size_t len, size_t *n)
{
	size_t used, seq_len, int_len, off;

	if (len < 2 || der[0] != 0x30)
		return -EBADMSG;
	used = der_read_len(der + 1, len - 1, &seq_len);
	off = 1 + used;
	if (!used || off + 2 > len || der[off] != 0x02)
		return -EBADMSG;
	used = der_read_len(der + off + 1, len - off - 1, &int_len);
	off += 1 + used;
	if (!used || !int_len || off + int_len > len)
		return -EBADMSG;
	*n = int_len - (der[off] == 0 && int_len > 1);
	return 0;
}
