// SPDX-License-Identifier: GPL-2.0
/*
 * ASCII armor removal (RFC 9580 6.2), done by the kernel so the handler only
 * ever sees, and points into, binary bytes the kernel holds.
 *
 * Exactly one armor block is accepted: a BEGIN line with the expected label,
 * optional "Key: Value" header lines, a blank line, base64 lines, an optional
 * CRC24 line ("=XXXX", checked when present) and the matching END line. Only
 * white space may surround the block. The base64 body is checked for shape
 * (length a multiple of 4, padding only at the end) before it is decoded,
 * because the kernel's base64_decode() is lenient about '=' placement.
 */
#include "pgp_armor.h"

#ifdef __KERNEL__
#include "pgp_umd_compat.h"
#endif

#define CRC24_INIT	0xB704CEu
#define CRC24_POLY	0x864CFBu

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
 * Decodes base64 already checked by b64_shape_ok(). In the kernel this is the
 * exported base64_decode(); the user-space twin rejects what it rejects on
 * such input: characters outside the alphabet and non-zero trailing bits.
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
	if (acc & ((1u << bits) - 1))
		return -1;
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

static bool line_is(const struct line *l, const char *prefix, const char *label,
		    const char *suffix)
{
	size_t a = strlen(prefix), b = strlen(label), c = strlen(suffix);

	return l->len == a + b + c && !memcmp(l->p, prefix, a) &&
	       !memcmp(l->p + a, label, b) && !memcmp(l->p + a + b, suffix, c);
}

static bool has_header_separator(const struct line *l)
{
	size_t i;

	for (i = 0; i + 1 < l->len; i++)
		if (l->p[i] == ':' && l->p[i + 1] == ' ')
			return true;
	return false;
}

bool pgp_is_armored(const u8 *in, size_t len)
{
	static const char begin[] = "-----BEGIN PGP ";
	size_t i = 0;

	while (i < len && is_space(in[i]))
		i++;
	return len - i >= sizeof(begin) - 1 && !memcmp(in + i, begin, sizeof(begin) - 1);
}

/**
 * pgp_dearmor() - decode the one armor block of @in
 * @in: the armored text
 * @len: its length
 * @label: the expected label, e.g. "PUBLIC KEY BLOCK" or "SIGNATURE"
 * @scratch: at least @len bytes for the collected base64 text
 * @out: at least @len bytes for the binary result
 * @out_len: set to the binary length on success
 *
 * Return: 0 on success; -EBADMSG for anything but exactly one well-formed
 * block with that label (bad base64, wrong CRC24, missing END line, other
 * text around the block, a second block).
 */
int pgp_dearmor(const u8 *in, size_t len, const char *label, u8 *scratch, u8 *out,
		size_t *out_len)
{
	enum { BEGIN, HEADERS, BODY, AFTER_CRC, DONE } state = BEGIN;
	size_t pos = 0, n = 0;
	bool have_crc = false;
	u8 crc_bytes[3];
	struct line l;
	int decoded;

	while (next_line(in, len, &pos, &l)) {
		switch (state) {
		case BEGIN:
			if (!l.len)
				continue;
			if (!line_is(&l, "-----BEGIN PGP ", label, "-----"))
				return -EBADMSG;
			state = HEADERS;
			continue;
		case HEADERS:
			if (!l.len) {
				state = BODY;
				continue;
			}
			if (has_header_separator(&l))
				continue;
			/* No header lines and no blank line: this is the body. */
			state = BODY;
			break;
		case DONE:
			if (l.len)
				return -EBADMSG;
			continue;
		default:
			break;
		}
		if (line_is(&l, "-----END PGP ", label, "-----")) {
			state = DONE;
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
	if (state != DONE || !b64_shape_ok(scratch, n))
		return -EBADMSG;
	decoded = b64_decode(scratch, n, out);
	if (decoded < 0)
		return -EBADMSG;
	if (have_crc && pgp_crc24(out, (size_t)decoded) !=
	    ((u32)crc_bytes[0] << 16 | (u32)crc_bytes[1] << 8 | crc_bytes[2]))
		return -EBADMSG;
	*out_len = (size_t)decoded;
	return 0;
}
