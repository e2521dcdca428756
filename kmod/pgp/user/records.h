/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The input of the user-space test drivers (*_main.c here): all of stdin,
 * read once with read_records(), then taken record by record with take().
 * A driver is one file, so the state is static here. A truncated record, a
 * read error or no memory ends the driver with exit status 2.
 */
#ifndef _PGP_USER_RECORDS_H
#define _PGP_USER_RECORDS_H

#include <stdio.h>
#include <stdlib.h>
#include "../pgp_pure.h"

static u8 *input;
static size_t input_len, pos;
static const char *records_who;

static inline void records_fail(const char *what)
{
	fprintf(stderr, "%s: %s at %zu\n", records_who, what, pos);
	exit(2);
}

/* The next @n octets of the input. */
static inline const u8 *take(size_t n)
{
	const u8 *p;

	if (input_len - pos < n)
		records_fail("truncated record");
	p = input + pos;
	pos += n;
	return p;
}

/* Reads all of stdin; @who names the driver in its error messages. */
static inline void read_records(const char *who)
{
	size_t cap = 1 << 20, n;
	u8 *bigger;

	records_who = who;
	input = malloc(cap);
	if (!input)
		records_fail("out of memory");
	while ((n = fread(input + input_len, 1, cap - input_len, stdin)) > 0) {
		input_len += n;
		if (input_len < cap)
			continue;
		cap *= 2;
		bigger = realloc(input, cap);
		if (!bigger)
			records_fail("out of memory");
		input = bigger;
	}
	if (ferror(stdin))
		records_fail("read error");
}

#endif /* _PGP_USER_RECORDS_H */
