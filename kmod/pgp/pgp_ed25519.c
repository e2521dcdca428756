// SPDX-License-Identifier: GPL-2.0
/*
 * Ed25519 signature verification (RFC 8032 section 5.1.7, pure Ed25519),
 * pure C: portable, no assembly, no hashing, no allocation, no kernel-only
 * dependency, so the same file builds into the module and into the
 * user-space tests.
 *
 * It handles public data only (a public key, a signature, a digest), so it
 * is written for clarity, not constant time.
 *
 * Field elements mod p = 2^255 - 19 are ten limbs in radix 2^25.5: limb i
 * holds bits [fe_shift[i], fe_shift[i + 1]) of the value, 26 bits for even
 * i and 25 for odd i. Products are 64-bit; every operation leaves its limbs
 * carried (below 2^26, limb 1 below 2^25 + 2^15), which keeps each sum of
 * products in fe_mul() below 2^61.
 *
 * Points are in extended twisted Edwards coordinates (X : Y : Z : T) with
 * x = X/Z, y = Y/Z, x * y = T/Z on -x^2 + y^2 = 1 + d x^2 y^2. One unified
 * addition (complete for this curve, as d is not a square) adds any two
 * points; a doubling formula serves the double-and-add loop.
 *
 * Acceptance rule (docs/ed25519.md): S < L; A and R canonical encodings of
 * curve points (y < p, no "negative zero" x); neither A nor R of small order
 * (8 * P is the identity); then the cofactorless equation
 * encode([S]B - [k]A) == R, k = SHA-512(R || A || M) mod L, compared on
 * the encoding.
 */

#include "pgp_ed25519.h"

#define FE_LIMBS	10
#define FE_BYTES	32
/* 32-bit words of fe_tobytes(): room for carried limbs before reduction. */
#define FE_WORDS	(FE_BYTES / 4 + 1)
/* Bits of a scalar below L (L < 2^253). */
#define SC_BITS		253
/* Bits of SHA-512(R || A || M) read as a little-endian integer. */
#define HRAM_BITS	(PGP_ED25519_HRAM_SIZE * 8)
/* Width of limb i: 26 bits for even i, 25 for odd i. */
#define FE_BITS(i)	(26 - ((i) & 1))
/* 2^255 = 19 (mod p). */
#define FE_FOLD		19

struct ed_fe {
	u32 l[FE_LIMBS];
};

struct ed_point {
	struct ed_fe x, y, z, t;
};

/* Constants of one verification, made from the octet strings below. */
struct ed_ctx {
	struct ed_fe d, d2, sqrtm1;
	struct ed_point base;
};

static const u8 fe_shift[FE_LIMBS] = { 0, 26, 51, 77, 102, 128, 153, 179, 204, 230 };

/*
 * Little-endian constants. d = -121665 / 121666, sqrt(-1) = 2^((p - 1) / 4),
 * the base point B with y = 4/5 and even x (RFC 8032 section 5.1), the group
 * order L = 2^252 + 27742317777372353535851937790883648493, and p itself.
 */
static const u8 ed_d_bytes[FE_BYTES] = {
	0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41,
	0x41, 0x4d, 0x0a, 0x70, 0x00, 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40,
	0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};

static const u8 ed_sqrtm1_bytes[FE_BYTES] = {
	0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f,
	0xad, 0x06, 0x18, 0x43, 0x2f, 0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00,
	0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};

static const u8 ed_base_x_bytes[FE_BYTES] = {
	0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25,
	0x95, 0x60, 0xc7, 0x2c, 0x69, 0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2,
	0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21,
};

static const u8 ed_base_y_bytes[FE_BYTES] = {
	0x58, [1 ... FE_BYTES - 1] = 0x66,
};

static const u8 ed_order[FE_BYTES] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, [16 ... FE_BYTES - 2] = 0x00, 0x10,
};

static const u8 ed_p_bytes[FE_BYTES] = {
	0xed, [1 ... FE_BYTES - 2] = 0xff, 0x7f,
};

static bool bit_at(const u8 *s, unsigned int i)
{
	return (s[i / 8] >> (i % 8)) & 1;
}

/* Carries the wide limbs @w into @h; see the bounds in the header comment. */
static void fe_carry(struct ed_fe *h, u64 *w)
{
	u64 c;
	int i;

	for (i = 0; i < FE_LIMBS - 1; i++) {
		c = w[i] >> FE_BITS(i);
		w[i] -= c << FE_BITS(i);
		w[i + 1] += c;
	}
	c = w[FE_LIMBS - 1] >> FE_BITS(FE_LIMBS - 1);
	w[FE_LIMBS - 1] -= c << FE_BITS(FE_LIMBS - 1);
	w[0] += FE_FOLD * c;
	c = w[0] >> FE_BITS(0);
	w[0] -= c << FE_BITS(0);
	w[1] += c;
	for (i = 0; i < FE_LIMBS; i++)
		h->l[i] = (u32)w[i];
}

static void fe_set_small(struct ed_fe *h, u32 v)
{
	memset(h, 0, sizeof(*h));
	h->l[0] = v;
}

static void fe_add(struct ed_fe *h, const struct ed_fe *a, const struct ed_fe *b)
{
	u64 w[FE_LIMBS];
	int i;

	for (i = 0; i < FE_LIMBS; i++)
		w[i] = (u64)a->l[i] + b->l[i];
	fe_carry(h, w);
}

/* a - b computed as a + 4p - b, so that no limb goes below zero. */
static void fe_sub(struct ed_fe *h, const struct ed_fe *a, const struct ed_fe *b)
{
	u64 w[FE_LIMBS], p_limb;
	int i;

	for (i = 0; i < FE_LIMBS; i++) {
		/* p's limbs: all ones, except limb 0 = 2^26 - 19. */
		p_limb = (1ULL << FE_BITS(i)) - 1 - (i == 0 ? FE_FOLD - 1 : 0);
		w[i] = (u64)a->l[i] + 4 * p_limb - b->l[i];
	}
	fe_carry(h, w);
}

static void fe_neg(struct ed_fe *h, const struct ed_fe *a)
{
	struct ed_fe zero;

	fe_set_small(&zero, 0);
	fe_sub(h, &zero, a);
}

/*
 * Schoolbook product. Limb i sits at bit ceil(25.5 * i): the product of two
 * odd limbs lands one bit above limb i + j, hence the doubled odd limbs of
 * @a; a term at limb i + j >= 10 is at 2^255 times limb i + j - 10, hence
 * FE_FOLD times the limb of @b.
 */
static void fe_mul(struct ed_fe *h, const struct ed_fe *a, const struct ed_fe *b)
{
	u64 w[FE_LIMBS] = { 0 };
	u64 ai, ai2;
	u32 b19[FE_LIMBS];
	int i, j;

	for (j = 0; j < FE_LIMBS; j++)
		b19[j] = FE_FOLD * b->l[j];
	for (i = 0; i < FE_LIMBS; i++) {
		ai = a->l[i];
		ai2 = (i & 1) ? 2 * ai : ai;
		for (j = 0; j < FE_LIMBS - i; j++)
			w[i + j] += ((j & 1) ? ai2 : ai) * b->l[j];
		for (; j < FE_LIMBS; j++)
			w[i + j - FE_LIMBS] += ((j & 1) ? ai2 : ai) * b19[j];
	}
	fe_carry(h, w);
}

static void fe_sq(struct ed_fe *h, const struct ed_fe *a)
{
	fe_mul(h, a, a);
}

/* Reads 32 octets little-endian, ignoring bit 255; not reduced mod p. */
static void fe_frombytes(struct ed_fe *h, const u8 *s)
{
	unsigned int first, k;
	u64 v;
	int i;

	for (i = 0; i < FE_LIMBS; i++) {
		first = fe_shift[i] / 8;
		v = 0;
		for (k = 0; k < 5 && first + k < FE_BYTES; k++)
			v |= (u64)s[first + k] << (8 * k);
		v >>= fe_shift[i] % 8;
		h->l[i] = (u32)(v & ((1ULL << FE_BITS(i)) - 1));
	}
}

/* Adds @v * 2^@bit to the little-endian word array @n of @words words. */
static void words_add(u32 *n, unsigned int words, u64 v, unsigned int bit)
{
	unsigned int w = bit / 32;
	u64 acc = v << (bit % 32);

	for (; w < words && acc; w++) {
		acc += n[w];
		n[w] = (u32)acc;
		acc >>= 32;
	}
}

/* The canonical encoding of @a: the value mod p, little-endian. */
static void fe_tobytes(u8 *s, const struct ed_fe *a)
{
	u32 n[FE_WORDS] = { 0 };
	unsigned int i;
	u64 top;

	for (i = 0; i < FE_LIMBS; i++)
		words_add(n, FE_WORDS, a->l[i], fe_shift[i]);
	/* Fold the bits at 2^255 and above back in as 19 times their value. */
	while ((n[7] >> 31) || n[8]) {
		top = (n[7] >> 31) | ((u64)n[8] << 1);
		n[7] &= 0x7fffffff;
		n[8] = 0;
		words_add(n, FE_WORDS, FE_FOLD * top, 0);
	}
	/* Now below 2^255: subtract p once if p <= value, i.e. add 19 mod 2^255. */
	for (i = 1; i < 7 && n[i] == 0xffffffff; i++)
		;
	if (n[7] == 0x7fffffff && i == 7 && n[0] >= 0xffffffed) {
		words_add(n, FE_WORDS, FE_FOLD, 0);
		n[7] &= 0x7fffffff;
	}
	for (i = 0; i < FE_BYTES; i++)
		s[i] = (u8)(n[i / 4] >> (8 * (i % 4)));
}

static bool fe_equal(const struct ed_fe *a, const struct ed_fe *b)
{
	u8 sa[FE_BYTES], sb[FE_BYTES];

	fe_tobytes(sa, a);
	fe_tobytes(sb, b);
	return memcmp(sa, sb, FE_BYTES) == 0;
}

static bool fe_is_zero(const struct ed_fe *a)
{
	u8 s[FE_BYTES];

	fe_tobytes(s, a);
	return !memchr_inv(s, 0, FE_BYTES);
}

static bool fe_is_odd(const struct ed_fe *a)
{
	u8 s[FE_BYTES];

	fe_tobytes(s, a);
	return s[0] & 1;
}

/* @h = @a squared @n times, then multiplied by @b: a^(2^n) * b. */
static void fe_sq_n_mul(struct ed_fe *h, const struct ed_fe *a, int n,
			const struct ed_fe *b)
{
	struct ed_fe r = *a;

	while (n-- > 0)
		fe_sq(&r, &r);
	fe_mul(h, &r, b);
}

/*
 * @h = a^(2^250 - 1), the common part of both exponents below, built from
 * a^(2^k - 1) for growing k: a^(2^(j+k) - 1) = (a^(2^j - 1))^(2^k) *
 * a^(2^k - 1).
 */
static void fe_pow_2_250_1(struct ed_fe *h, const struct ed_fe *a)
{
	struct ed_fe t2, t5, t10, t50, t;

	fe_sq_n_mul(&t2, a, 1, a);		/* 2^2 - 1 */
	fe_sq_n_mul(&t, &t2, 2, &t2);		/* 2^4 - 1 */
	fe_sq_n_mul(&t5, &t, 1, a);		/* 2^5 - 1 */
	fe_sq_n_mul(&t10, &t5, 5, &t5);		/* 2^10 - 1 */
	fe_sq_n_mul(&t, &t10, 10, &t10);	/* 2^20 - 1 */
	fe_sq_n_mul(&t, &t, 20, &t);		/* 2^40 - 1 */
	fe_sq_n_mul(&t50, &t, 10, &t10);	/* 2^50 - 1 */
	fe_sq_n_mul(&t, &t50, 50, &t50);	/* 2^100 - 1 */
	fe_sq_n_mul(&t, &t, 100, &t);		/* 2^200 - 1 */
	fe_sq_n_mul(h, &t, 50, &t50);		/* 2^250 - 1 */
}

/* @h = a^((p - 5) / 8) = a^(2^252 - 3) = (a^(2^250 - 1))^4 * a. */
static void fe_pow_p58(struct ed_fe *h, const struct ed_fe *a)
{
	struct ed_fe t;

	fe_pow_2_250_1(&t, a);
	fe_sq_n_mul(h, &t, 2, a);
}

/* @h = 1/a = a^(p - 2) = a^(2^255 - 21) = (a^(2^250 - 1))^32 * a^11. */
static void fe_invert(struct ed_fe *h, const struct ed_fe *a)
{
	struct ed_fe t, a11;

	fe_sq(&a11, a);				/* a^2 */
	fe_sq_n_mul(&t, &a11, 2, a);		/* a^9 */
	fe_mul(&a11, &a11, &t);			/* a^11 */
	fe_pow_2_250_1(&t, a);
	fe_sq_n_mul(h, &t, 5, &a11);
}

/* True if the 32 octets with bit 255 cleared encode a value below p. */
static bool fe_bytes_canonical(const u8 *s)
{
	int i;

	for (i = FE_BYTES - 1; i >= 0; i--) {
		u8 b = i == FE_BYTES - 1 ? s[i] & 0x7f : s[i];

		if (b != ed_p_bytes[i])
			return b < ed_p_bytes[i];
	}
	return false;
}

/* Unified addition r = p + q (add-2008-hwcd-3 with k = 2d); r may alias. */
static void ge_add(const struct ed_ctx *k, struct ed_point *r,
		   const struct ed_point *p, const struct ed_point *q)
{
	struct ed_fe a, b, c, d, e, f, g, h, t;

	fe_sub(&a, &p->y, &p->x);
	fe_sub(&t, &q->y, &q->x);
	fe_mul(&a, &a, &t);
	fe_add(&b, &p->y, &p->x);
	fe_add(&t, &q->y, &q->x);
	fe_mul(&b, &b, &t);
	fe_mul(&c, &p->t, &q->t);
	fe_mul(&c, &c, &k->d2);
	fe_mul(&d, &p->z, &q->z);
	fe_add(&d, &d, &d);
	fe_sub(&e, &b, &a);
	fe_sub(&f, &d, &c);
	fe_add(&g, &d, &c);
	fe_add(&h, &b, &a);
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	fe_mul(&r->t, &e, &h);
	fe_mul(&r->z, &f, &g);
}

/* r = 2p (dbl-2008-hwcd with a = -1, signs folded); r may alias p. */
static void ge_double(struct ed_point *r, const struct ed_point *p)
{
	struct ed_fe a, b, c, e, f, g, h;

	fe_sq(&a, &p->x);
	fe_sq(&b, &p->y);
	fe_sq(&c, &p->z);
	fe_add(&c, &c, &c);
	fe_add(&h, &a, &b);
	fe_add(&e, &p->x, &p->y);
	fe_sq(&e, &e);
	fe_sub(&e, &h, &e);
	fe_sub(&g, &a, &b);
	fe_add(&f, &c, &g);
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	fe_mul(&r->t, &e, &h);
	fe_mul(&r->z, &f, &g);
}

static void ge_identity(struct ed_point *p)
{
	fe_set_small(&p->x, 0);
	fe_set_small(&p->y, 1);
	fe_set_small(&p->z, 1);
	fe_set_small(&p->t, 0);
}

static void ge_neg(struct ed_point *p)
{
	fe_neg(&p->x, &p->x);
	fe_neg(&p->t, &p->t);
}

static bool ge_is_identity(const struct ed_point *p)
{
	return fe_is_zero(&p->x) && fe_equal(&p->y, &p->z);
}

/* True if 8 * @p is the identity: @p lies in the small torsion subgroup. */
static bool ge_small_order(const struct ed_point *p)
{
	struct ed_point q = *p;

	ge_double(&q, &q);
	ge_double(&q, &q);
	ge_double(&q, &q);
	return ge_is_identity(&q);
}

/*
 * Decodes a point (RFC 8032 section 5.1.3), refusing y >= p, a y with no
 * x on the curve, and x = 0 with the sign bit set.
 */
static int ge_decode(const struct ed_ctx *k, struct ed_point *p, const u8 *s)
{
	struct ed_fe one, u, v, v3, x, vx2, t;
	bool sign = s[FE_BYTES - 1] >> 7;

	if (!fe_bytes_canonical(s))
		return -EINVAL;
	fe_frombytes(&p->y, s);
	fe_set_small(&one, 1);
	/* x^2 = u / v with u = y^2 - 1, v = d y^2 + 1. */
	fe_sq(&u, &p->y);
	fe_mul(&v, &u, &k->d);
	fe_sub(&u, &u, &one);
	fe_add(&v, &v, &one);
	/* x = u v^3 (u v^7)^((p - 5) / 8) */
	fe_sq(&v3, &v);
	fe_mul(&v3, &v3, &v);
	fe_sq(&x, &v3);
	fe_mul(&x, &x, &v);
	fe_mul(&x, &x, &u);
	fe_pow_p58(&x, &x);
	fe_mul(&x, &x, &v3);
	fe_mul(&x, &x, &u);
	fe_sq(&vx2, &x);
	fe_mul(&vx2, &vx2, &v);
	if (!fe_equal(&vx2, &u)) {
		fe_neg(&t, &u);
		if (!fe_equal(&vx2, &t))
			return -EINVAL;
		fe_mul(&x, &x, &k->sqrtm1);
	}
	if (sign && fe_is_zero(&x))
		return -EINVAL;
	if (fe_is_odd(&x) != sign)
		fe_neg(&x, &x);
	p->x = x;
	fe_set_small(&p->z, 1);
	fe_mul(&p->t, &p->x, &p->y);
	return 0;
}

static void ge_encode(u8 *s, const struct ed_point *p)
{
	struct ed_fe zi, x, y;

	fe_invert(&zi, &p->z);
	fe_mul(&x, &p->x, &zi);
	fe_mul(&y, &p->y, &zi);
	fe_tobytes(s, &y);
	s[FE_BYTES - 1] |= fe_is_odd(&x) << 7;
}

static void ctx_init(struct ed_ctx *k)
{
	fe_frombytes(&k->d, ed_d_bytes);
	fe_add(&k->d2, &k->d, &k->d);
	fe_frombytes(&k->sqrtm1, ed_sqrtm1_bytes);
	fe_frombytes(&k->base.x, ed_base_x_bytes);
	fe_frombytes(&k->base.y, ed_base_y_bytes);
	fe_set_small(&k->base.z, 1);
	fe_mul(&k->base.t, &k->base.x, &k->base.y);
}

/* True if the little-endian scalar @s is below L. */
static bool sc_canonical(const u8 *s)
{
	int i;

	for (i = FE_BYTES - 1; i >= 0; i--)
		if (s[i] != ed_order[i])
			return s[i] < ed_order[i];
	return false;
}

/* @in (HRAM_BITS, little-endian) mod L, by shift and subtract. */
static void sc_reduce(u8 *out, const u8 *in)
{
	unsigned int carry, borrow, j, v;
	int i;

	memset(out, 0, FE_BYTES);
	for (i = HRAM_BITS - 1; i >= 0; i--) {
		/* out = 2 * out + bit: below 2L < 2^254, so no octet is lost. */
		carry = bit_at(in, i);
		for (j = 0; j < FE_BYTES; j++) {
			v = (out[j] << 1) | carry;
			out[j] = (u8)v;
			carry = v >> 8;
		}
		if (sc_canonical(out))
			continue;
		borrow = 0;
		for (j = 0; j < FE_BYTES; j++) {
			v = out[j] - ed_order[j] - borrow;
			out[j] = (u8)v;
			borrow = (v >> 8) & 1;
		}
	}
}

/*
 * Decodes @s into @p and refuses it if it is not a canonical encoding of a
 * curve point or if the point has small order.
 */
static int ge_decode_strict(const struct ed_ctx *k, struct ed_point *p, const u8 *s)
{
	if (ge_decode(k, p, s) || ge_small_order(p))
		return -EINVAL;
	return 0;
}

/**
 * pgp_ed25519_check_key() - Check that an Ed25519 public key can verify.
 * @pub: the PGP_ED25519_KEY_SIZE octets of the encoded public key A.
 *
 * Return: 0 if @pub is the canonical encoding of a curve point that is not
 * of small order, -EINVAL otherwise (no signature would ever verify).
 */
int pgp_ed25519_check_key(const u8 *pub)
{
	struct ed_ctx k;
	struct ed_point a;

	ctx_init(&k);
	return ge_decode_strict(&k, &a, pub);
}

/**
 * pgp_ed25519_verify() - Verify an Ed25519 signature.
 * @pub: the PGP_ED25519_KEY_SIZE octets of the public key A.
 * @sig: the PGP_ED25519_SIG_SIZE octets R || S.
 * @hram: SHA-512(R || A || M), PGP_ED25519_HRAM_SIZE octets, computed by the
 *	  caller over the R of @sig, @pub and the message M.
 *
 * Follows the acceptance rule of the file comment and docs/ed25519.md.
 *
 * Return: 0 if the signature verifies; -EINVAL if @pub is not an acceptable
 * key (see pgp_ed25519_check_key()); -EBADMSG if S >= L, or R is not the
 * canonical encoding of a curve point or is of small order; -EKEYREJECTED
 * if the equation does not hold.
 */
int pgp_ed25519_verify(const u8 *pub, const u8 *sig, const u8 *hram)
{
	const u8 *s = sig + PGP_ED25519_SIG_SIZE - PGP_ED25519_S_SIZE;
	struct ed_point a, q;
	struct ed_ctx k;
	u8 h[FE_BYTES], enc[FE_BYTES];
	int i;

	ctx_init(&k);
	if (ge_decode_strict(&k, &a, pub))
		return -EINVAL;
	if (!sc_canonical(s))
		return -EBADMSG;
	if (ge_decode_strict(&k, &q, sig))
		return -EBADMSG;
	sc_reduce(h, hram);
	/* q = [S]B + [h](-A), one double-and-add over both scalars. */
	ge_neg(&a);
	ge_identity(&q);
	for (i = SC_BITS - 1; i >= 0; i--) {
		ge_double(&q, &q);
		if (bit_at(s, i))
			ge_add(&k, &q, &q, &k.base);
		if (bit_at(h, i))
			ge_add(&k, &q, &q, &a);
	}
	ge_encode(enc, &q);
	return memcmp(enc, sig, FE_BYTES) ? -EKEYREJECTED : 0;
}
