// SPDX-License-Identifier: GPL-2.0
/*
 * add_key_bench - time add_key(2) for several key files in one process
 *
 *   add_key_bench N LABEL DESC FILE EXPECT [LABEL DESC FILE EXPECT]...
 *
 * Each case adds FILE as an "asymmetric" key with description DESC ("-" for
 * the empty one) into a keyring the program makes for itself under the user
 * keyring. EXPECT is "ok" or the errno the call must fail with (a number).
 * Every case is called WARMUP times untimed (the first call starts the UMD
 * handler; its time is printed), then N times timed with CLOCK_MONOTONIC,
 * the cases interleaved round by round in an order that rotates each round.
 * An added key is unlinked right after its call (untimed), so every call
 * meets the same empty keyring. Prints one line per case (microseconds) and
 * the ratio of each case's median to the first case's. Exits 1 if any call
 * did not give EXPECT.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "bench_util.h"

#define WARMUP 5
#define MAX_CASES 8

struct bench_case {
	const char *label;
	const char *desc;
	char *data;
	size_t len;
	int expect;		/* 0: success, else errno */
	double first;		/* first call, microseconds */
	double *t;
	int bad;
};

static long add_key(const char *type, const char *desc, const void *data,
		    size_t len, long ring)
{
	return syscall(SYS_add_key, type, desc, data, len, ring);
}

/* One call: its time in microseconds; the key is unlinked afterwards. */
static double one_call(struct bench_case *c, long ring)
{
	double t0, t1;
	long id;
	int err;

	t0 = now_us();
	id = add_key("asymmetric", c->desc, c->data, c->len, ring);
	t1 = now_us();
	err = id < 0 ? errno : 0;
	if (id >= 0)
		syscall(SYS_keyctl, KEYCTL_UNLINK, id, ring);
	if (err != c->expect) {
		if (!c->bad)
			fprintf(stderr, "%s: got %s, want errno %d\n", c->label,
				err ? strerror(err) : "success", c->expect);
		c->bad++;
	}
	return t1 - t0;
}

int main(int argc, char **argv)
{
	struct bench_case cases[MAX_CASES];
	double med0 = 0;
	int n, nc, i, j, bad = 0;
	long ring;

	nc = bench_cases(argc, argv, 4, MAX_CASES,
			 "LABEL DESC FILE EXPECT [LABEL DESC FILE EXPECT]...", &n);
	for (i = 0; i < nc; i++) {
		struct bench_case *c = &cases[i];
		char **a = argv + 2 + 4 * i;

		c->label = a[0];
		c->desc = strcmp(a[1], "-") ? a[1] : "";
		c->data = slurp(a[2], &c->len);
		c->expect = strcmp(a[3], "ok") ? atoi(a[3]) : 0;
		c->t = calloc(n, sizeof(double));
		c->bad = 0;
		if (!c->t)
			return 2;
	}
	ring = add_key("keyring", "add_key_bench", NULL, 0, KEY_SPEC_USER_KEYRING);
	if (ring < 0) {
		perror("keyring");
		return 2;
	}
	for (i = 0; i < nc; i++)
		for (j = 0; j < WARMUP; j++) {
			double t = one_call(&cases[i], ring);

			if (!j)
				cases[i].first = t;
		}
	for (j = 0; j < n; j++)
		for (i = 0; i < nc; i++) {
			struct bench_case *c = &cases[(i + j) % nc];

			c->t[j] = one_call(c, ring);
		}
	for (i = 0; i < nc; i++) {
		struct bench_case *c = &cases[i];
		double sum = 0, med;

		qsort(c->t, n, sizeof(double), cmp_double);
		for (j = 0; j < n; j++)
			sum += c->t[j];
		med = pct(c->t, n, 50);
		if (!i)
			med0 = med;
		printf("%-16s n=%d bytes=%zu first=%.0f min=%.0f p10=%.0f median=%.0f p90=%.0f max=%.0f mean=%.0f us, median/%s=%.2f%s\n",
		       c->label, n, c->len, c->first, c->t[0], pct(c->t, n, 10), med,
		       pct(c->t, n, 90), c->t[n - 1], sum / n, cases[0].label,
		       med / med0, c->bad ? " (UNEXPECTED RESULTS)" : "");
		bad += c->bad;
	}
	syscall(SYS_keyctl, KEYCTL_UNLINK, ring, KEY_SPEC_USER_KEYRING);
	return bad ? 1 : 0;
}
