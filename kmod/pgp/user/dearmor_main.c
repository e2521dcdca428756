// SPDX-License-Identifier: GPL-2.0
/*
 * User-space driver for the armor decoder: `dearmor key|signature FILE`
 * writes the binary to stdout and exits 0, or prints the errno and exits 1;
 * `dearmor detect FILE` prints 1 if pgp_is_armored() takes FILE for armor,
 * else 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include "../pgp_armor.h"

int main(int argc, char **argv)
{
	u8 *in, *scratch, *out;
	size_t len = 0, out_len = 0, cap = 1 << 20, n;
	const char *label;
	FILE *f;
	int err;

	if (argc != 3)
		return 2;
	label = !strcmp(argv[1], "key") ? PGP_ARMOR_LABEL_KEY : PGP_ARMOR_LABEL_SIGNATURE;
	f = fopen(argv[2], "rb");
	in = malloc(cap);
	if (!f || !in)
		return 2;
	while ((n = fread(in + len, 1, cap - len, f)) > 0)
		len += n;
	fclose(f);
	/* Exact-size buffers, so AddressSanitizer sees any overrun. */
	in = realloc(in, len ? len : 1);
	scratch = malloc(len + 1);
	out = malloc(len + 1);
	if (!in || !scratch || !out)
		return 2;
	if (!strcmp(argv[1], "detect")) {
		printf("%d\n", pgp_is_armored(in, len));
		free(in);
		free(scratch);
		free(out);
		return 0;
	}
	err = pgp_dearmor(in, len, label, scratch, out, &out_len);
	if (err)
		printf("%d\n", err);
	else
		fwrite(out, 1, out_len, stdout);
	free(in);
	free(scratch);
	free(out);
	return err ? 1 : 0;
}
