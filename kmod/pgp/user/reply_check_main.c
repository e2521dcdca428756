// SPDX-License-Identifier: GPL-2.0
/*
 * User-space driver for the reply sanitizer, used by the differential test
 * against the Rust validator (handler/tests/c_sanitizer.rs).
 *
 * Reads all of stdin, a sequence of records, then answers one line each:
 *   'B' op:u16 seq:u32 len:u32 payload[len] reply[sizeof(struct pgp_umd_reply)]
 *       a new base case, checked as is;
 *   'P' offset:u32 xor:u8
 *       the last base reply with one byte altered, checked, then restored;
 *   'S' op:u16 seq:u32 len:u32 payload[len] short[sizeof(struct pgp_umd_short_reply)]
 *       a short reply, expanded and checked (a refused expansion prints the
 *       fault the Rust validator reports for it: header, count too large).
 * Lines: "ok" or "fault <table> <fault> <row>". Native byte order.
 */
#include <stdio.h>
#include <stdlib.h>
#include "../pgp_reply.h"

static u8 *input;
static size_t input_len, pos;

static const u8 *take(size_t n)
{
	const u8 *p;

	if (input_len - pos < n) {
		fprintf(stderr, "reply_check: truncated record at %zu\n", pos);
		exit(2);
	}
	p = input + pos;
	pos += n;
	return p;
}

static void read_all(void)
{
	size_t cap = 1 << 20, n;

	input = malloc(cap);
	while (input && (n = fread(input + input_len, 1, cap - input_len, stdin)) > 0) {
		input_len += n;
		if (input_len == cap) {
			cap *= 2;
			input = realloc(input, cap);
		}
	}
	if (!input) {
		fprintf(stderr, "reply_check: out of memory\n");
		exit(2);
	}
}

static void report(u16 op, u32 seq, const u8 *payload, size_t len,
		   const struct pgp_umd_reply *reply)
{
	struct pgp_reply_fault_info f = { 0 };

	if (pgp_reply_check(op, seq, payload, len, reply, &f))
		printf("fault %u %u %u\n", f.table, f.fault, f.row);
	else
		printf("ok\n");
}

int main(void)
{
	struct pgp_umd_reply *reply = malloc(sizeof(*reply));
	u8 *payload = NULL;
	u32 seq = 0, len = 0;
	u16 op = 0;

	if (!reply)
		return 2;
	read_all();
	while (pos < input_len) {
		u8 kind = *take(1);

		if (kind == 'B') {
			memcpy(&op, take(2), 2);
			memcpy(&seq, take(4), 4);
			memcpy(&len, take(4), 4);
			free(payload);
			/* An exact-size copy, so ASan sees any read past the payload. */
			payload = malloc(len ? len : 1);
			if (!payload)
				return 2;
			memcpy(payload, take(len), len);
			memcpy(reply, take(sizeof(*reply)), sizeof(*reply));
			report(op, seq, payload, len, reply);
		} else if (kind == 'S') {
			struct pgp_umd_short_reply sr;

			memcpy(&op, take(2), 2);
			memcpy(&seq, take(4), 4);
			memcpy(&len, take(4), 4);
			free(payload);
			payload = malloc(len ? len : 1);
			if (!payload)
				return 2;
			memcpy(payload, take(len), len);
			memcpy(&sr, take(sizeof(sr)), sizeof(sr));
			if (pgp_reply_expand_short(&sr, reply))
				printf("fault %u %u %u\n", PGP_REPLY_TABLE_HEADER,
				       PGP_REPLY_COUNT_TOO_LARGE, 0);
			else
				report(op, seq, payload, len, reply);
		} else if (kind == 'P') {
			u32 off;
			u8 x, *b = (u8 *)reply;

			memcpy(&off, take(4), 4);
			x = *take(1);
			if (off >= sizeof(*reply))
				return 2;
			b[off] ^= x;
			report(op, seq, payload, len, reply);
			b[off] ^= x;
		} else {
			fprintf(stderr, "reply_check: bad record kind %u\n", kind);
			return 2;
		}
	}
	free(payload);
	free(reply);
	free(input);
	return 0;
}
