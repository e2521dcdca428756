// SPDX-License-Identifier: GPL-2.0
/*
 * ASCII armor removal (RFC 9580 6.2), done by the kernel so the handler only
 * ever sees, and points into, binary bytes the kernel holds.
 *
 * The input is read line by line as gpg reads armored key files: text before,
 * between and after the armor blocks is skipped; every block must carry the
 * expected label and decodes to its binary, and several blocks decode to the
 * concatenation of their binaries (a binary keyring). A block is a BEGIN
 * line, optional "Key: Value" header lines, a blank line, base64 lines, an
 * optional CRC24 line ("=XXXX", checked when present) and the matching END
 * line. Line ends may be LF or CRLF; trailing white space is ignored. The
 * base64 of a block is checked for shape (length a multiple of 4, padding only
 * at the end) and for canonical form (zero trailing bits before padding)
 * before it is decoded, because the kernel's base64_decode() is lenient about
 * both. cli/src/armor.rs decides exactly alike (fuzzed against this).
 */
#include "pgp_armor.h"

#ifdef __KERNEL__
#include "pgp_umd_compat.h"
#endif

#define CRC24_INIT	0xB704CEu
#define CRC24_POLY	0x864CFBu

#define ARMOR_BEGIN	"-----BEGIN PGP "
#define ARMOR_END	"-----END PGP "
#define ARMOR_DASHES	"-----"

u32 pgp_crc24(const u8 *data, size_t len)
{
	u32 crc = CRC24_INIT;
	size_t i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= (u32)data[i] << 16;
		for (bit = 0; bit < 8; bit++) {
			crc <<= 1;
			if (crc & 0x1000000)
				crc ^= CRC24_POLY;
		}
	}
	return crc & 0xFFFFFF;
}

static int b64_value(u8 c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decodes base64 already checked by b64_shape_ok() and b64_canonical(). In
 * the kernel this is the exported base64_decode(); the user-space twin
 * decodes as it does on such input (it ignores trailing bits, which
 * b64_canonical() has checked).
 */
static int b64_decode(const u8 *src, size_t len, u8 *dst)
{
#ifdef __KERNEL__
	return pgp_umd_base64_decode((const char *)src, (int)len, dst);
#else
	u32 acc = 0;
	int bits = 0;
	size_t i, n = 0;

	for (i = 0; i < len && src[i] != '='; i++) {
		int v = b64_value(src[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (u32)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			dst[n++] = (u8)(acc >> bits);
		}
	}
	return (int)n;
#endif
}

static bool b64_shape_ok(const u8 *s, size_t len)
{
	size_t i, pad = 0;

	if (len % 4)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad || b64_value(s[i]) < 0)
			return false;
	}
	return pad <= 2;
}

/*
 * Whether base64 of a good shape is in canonical form (RFC 4648 3.5): the
 * bits of the last character before the padding that encode no data are
 * zero, so every octet string has exactly one armored form.
 */
static bool b64_canonical(const u8 *s, size_t len)
{
	if (len < 4 || s[len - 1] != '=')
		return true;
	if (s[len - 2] == '=')
		return !(b64_value(s[len - 3]) & 0x0F);
	return !(b64_value(s[len - 2]) & 0x03);
}

static bool is_space(u8 c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* One line of the input, without its line ending and trailing white space. */
struct line {
	const u8 *p;
	size_t len;
};

static bool next_line(const u8 *in, size_t len, size_t *pos, struct line *l)
{
	size_t start = *pos, end;

	if (start >= len)
		return false;
	end = start;
	while (end < len && in[end] != '\n')
		end++;
	*pos = end < len ? end + 1 : end;
	while (end > start && is_space(in[end - 1]))
		end--;
	l->p = in + start;
	l->len = end - start;
	return true;
}

static bool starts_with(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && !memcmp(l->p, prefix, n);
}

static bool line_is(const struct line *l, const char *prefix, const char *label,
		    const char *suffix)
{
	size_t a = strlen(prefix), b = strlen(label), c = strlen(suffix);

	return l->len == a + b + c && !memcmp(l->p, prefix, a) &&
	       !memcmp(l->p + a, label, b) && !memcmp(l->p + a + b, suffix, c);
}

/*
 * A header line as gpg takes one: its first ':' is followed by a space or
 * ends the line ("Comment:" with an empty value).
 */
static bool is_header(const struct line *l)
{
	const u8 *colon = memchr(l->p, ':', l->len);

	return colon && (colon + 1 == l->p + l->len || colon[1] == ' ');
}

/**
 * pgp_is_armored() - whether @in is to be read as ASCII armor
 * @in: the input
 * @len: its length
 *
 * Binary OpenPGP always has the high bit set in its first octet (RFC 9580
 * 4.2), so such an input is binary whatever follows. Any other input is armor
 * if one of its lines starts with "-----BEGIN PGP "; else it is not OpenPGP.
 *
 * Return: true for armor.
 */
bool pgp_is_armored(const u8 *in, size_t len)
{
	struct line l;
	size_t pos = 0;

	if (!len || in[0] & 0x80)
		return false;
	while (next_line(in, len, &pos, &l))
		if (starts_with(&l, ARMOR_BEGIN))
			return true;
	return false;
}

/* Checks and decodes the @n base64 octets of one block to @out. */
static int finish_block(const u8 *b64, size_t n, const u8 *crc_bytes, u8 *out,
			size_t *decoded)
{
	int got;

	if (!b64_shape_ok(b64, n) || !b64_canonical(b64, n))
		return -EBADMSG;
	got = b64_decode(b64, n, out);
	if (got < 0)
		return -EBADMSG;
	if (crc_bytes && pgp_crc24(out, (size_t)got) !=
	    ((u32)crc_bytes[0] << 16 | (u32)crc_bytes[1] << 8 | crc_bytes[2]))
		return -EBADMSG;
	*decoded = (size_t)got;
	return 0;
}

/**
 * pgp_dearmor() - decode every armor block of @in
 * @in: the armored text
 * @len: its length
 * @label: the expected label, e.g. "PUBLIC KEY BLOCK" or "SIGNATURE"
 * @scratch: at least @len bytes for the collected base64 text of a block
 * @out: at least @len bytes for the binary result
 * @out_len: set to the binary length on success
 *
 * Lines outside the blocks are skipped, except one that starts with
 * "-----BEGIN PGP ": it must be exactly the BEGIN line of @label. The blocks'
 * binaries are concatenated in input order.
 *
 * Return: 0 on success; -EBADMSG for no block at all, a block of another
 * label (e.g. a PRIVATE KEY BLOCK among public keys) or a malformed BEGIN
 * line, a missing END line, base64 that is malformed or not canonical, a
 * wrong CRC24, or a CRC24 line not followed by the END line; -EMSGSIZE for
 * more than PGP_ARMOR_MAX_BLOCKS blocks, more than PGP_ARMOR_MAX_HEADERS
 * header lines in a block, or a header line longer than
 * PGP_ARMOR_MAX_HEADER_LEN.
 */
int pgp_dearmor(const u8 *in, size_t len, const char *label, u8 *scratch, u8 *out,
		size_t *out_len)
{
	enum { TEXT, HEADERS, BODY, AFTER_CRC } state = TEXT;
	size_t pos = 0, n = 0, total = 0, decoded;
	unsigned int blocks = 0, headers = 0;
	bool have_crc = false;
	u8 crc_bytes[3];
	struct line l;
	int err;

	while (next_line(in, len, &pos, &l)) {
		switch (state) {
		case TEXT:
			if (!starts_with(&l, ARMOR_BEGIN))
				continue;
			if (!line_is(&l, ARMOR_BEGIN, label, ARMOR_DASHES))
				return -EBADMSG;
			if (++blocks > PGP_ARMOR_MAX_BLOCKS)
				return -EMSGSIZE;
			state = HEADERS;
			headers = 0;
			n = 0;
			have_crc = false;
			continue;
		case HEADERS:
			if (!l.len) {
				state = BODY;
				continue;
			}
			if (is_header(&l)) {
				if (++headers > PGP_ARMOR_MAX_HEADERS ||
				    l.len > PGP_ARMOR_MAX_HEADER_LEN)
					return -EMSGSIZE;
				continue;
			}
			/* No blank line after the headers (gpg reads on): body. */
			state = BODY;
			break;
		default:
			break;
		}
		if (line_is(&l, ARMOR_END, label, ARMOR_DASHES)) {
			err = finish_block(scratch, n, have_crc ? crc_bytes : NULL,
					   out + total, &decoded);
			if (err)
				return err;
			total += decoded;
			state = TEXT;
			continue;
		}
		if (state == AFTER_CRC)
			return -EBADMSG;
		if (l.len && l.p[0] == '=') {
			if (l.len != 5 || !b64_shape_ok(l.p + 1, 4) ||
			    b64_decode(l.p + 1, 4, crc_bytes) != 3)
				return -EBADMSG;
			have_crc = true;
			state = AFTER_CRC;
			continue;
		}
		memcpy(scratch + n, l.p, l.len);
		n += l.len;
	}
	if (state != TEXT || !blocks)
		return -EBADMSG;
	*out_len = total;
	return 0;
}
