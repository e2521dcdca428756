// SPDX-License-Identifier: GPL-2.0
/*
 * User-space driver for the reply sanitizer, used by the differential test
 * against the Rust validator (cli/tests/c_sanitizer.rs).
 *
 * Reads all of stdin, a sequence of records, then answers one line each:
 *   'B' op:u16 seq:u32 len:u32 payload[len] reply[sizeof(struct pgp_umd_reply)]
 *       a new base case, checked as is;
 *   'P' offset:u32 xor:u8
 *       the last base reply with one byte altered, checked, then restored;
 *   'S' op:u16 seq:u32 len:u32 payload[len] short[sizeof(struct pgp_umd_short_reply)]
 *       a short reply, expanded and checked (a refused expansion prints the
 *       fault the Rust validator reports for it: header, count too large);
 *   'K' op:u16 seq:u32 len:u32 payload[len] n:u32 packed[n]
 *       a packed reply as received, unpacked in place over a buffer full of
 *       junk (as the kernel's reused one may be) and checked; a refused
 *       unpacking prints the same fault as a refused expansion.
 * Lines: "ok" or "fault <table> <fault> <row>". Native byte order.
 */
#include <stdio.h>
#include <stdlib.h>
#include "records.h"
#include "../pgp_reply.h"


static void report(u16 op, u32 seq, const u8 *payload, size_t len,
		   const struct pgp_umd_reply *reply)
{
	struct pgp_reply_fault_info f = { 0 };

	if (pgp_reply_check(op, seq, payload, len, reply, &f))
		printf("fault %u %u %u\n", f.table, f.fault, f.row);
	else
		printf("ok\n");
}

/* The case every record but 'P' starts with: op, seq and the payload. */
struct check_case {
	u16 op;
	u32 seq;
	u32 len;
	u8 *payload;
};

static void take_case(struct check_case *c)
{
	memcpy(&c->op, take(2), 2);
	memcpy(&c->seq, take(4), 4);
	memcpy(&c->len, take(4), 4);
	free(c->payload);
	/* An exact-size copy, so ASan sees any read past the payload. */
	c->payload = malloc(c->len ? c->len : 1);
	if (!c->payload)
		exit(2);
	memcpy(c->payload, take(c->len), c->len);
}

static void report_case(const struct check_case *c, const struct pgp_umd_reply *reply)
{
	report(c->op, c->seq, c->payload, c->len, reply);
}

/* The fault the Rust validator reports for counts beyond the tables. */
static void report_count_too_large(void)
{
	printf("fault %u %u %u\n", PGP_REPLY_TABLE_HEADER, PGP_REPLY_COUNT_TOO_LARGE, 0);
}

int main(void)
{
	struct pgp_umd_reply *reply = malloc(sizeof(*reply));
	struct check_case c = { 0 };

	if (!reply)
		return 2;
	read_records("reply_check");
	while (pos < input_len) {
		u8 kind = *take(1);

		if (kind == 'B') {
			take_case(&c);
			memcpy(reply, take(sizeof(*reply)), sizeof(*reply));
			report_case(&c, reply);
		} else if (kind == 'S') {
			struct pgp_umd_short_reply sr;

			take_case(&c);
			memcpy(&sr, take(sizeof(sr)), sizeof(sr));
			if (pgp_reply_expand_short(&sr, reply))
				report_count_too_large();
			else
				report_case(&c, reply);
		} else if (kind == 'K') {
			u32 n;

			take_case(&c);
			memcpy(&n, take(4), 4);
			if (n > sizeof(*reply))
				return 2;
			memset(reply, 0xA5, sizeof(*reply));
			memcpy(reply, take(n), n);
			if (pgp_reply_unpack(reply, n))
				report_count_too_large();
			else
				report_case(&c, reply);
		} else if (kind == 'P') {
			u32 off;
			u8 x, *b = (u8 *)reply;

			memcpy(&off, take(4), 4);
			x = *take(1);
			if (off >= sizeof(*reply))
				return 2;
			b[off] ^= x;
			report_case(&c, reply);
			b[off] ^= x;
		} else {
			fprintf(stderr, "reply_check: bad record kind %u\n", kind);
			return 2;
		}
	}
	free(c.payload);
	free(reply);
	free(input);
	return 0;
}
