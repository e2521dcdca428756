// SPDX-License-Identifier: GPL-2.0
/*
 * pkey_verify_bench - time keyctl(KEYCTL_PKEY_VERIFY) for several keys in
 * one process
 *
 *   pkey_verify_bench N LABEL KEYFILE DIGEST SIG INFO [LABEL KEYFILE DIGEST SIG INFO]...
 *
 * Each case adds KEYFILE as an "asymmetric" key into a keyring the program
 * makes for itself under the user keyring, then verifies SIG over DIGEST
 * with it (INFO is keyctl's parameter string, e.g. "enc=pkcs1 hash=sha256",
 * or "-" for none). Every case is called WARMUP times untimed, then N times
 * timed with CLOCK_MONOTONIC, the cases interleaved round by round. Each
 * call must succeed. Prints one line per case (microseconds: median, p10,
 * p90, min) and the ratio of each case's median to the first case's. Exits
 * 1 if any call failed.
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
#define MAX_CASES 6

struct bench_case {
	const char *label;
	const char *info;
	long key;
	char *digest, *sig;
	size_t digest_len, sig_len;
	double *t;
	int bad;
};

static double one_call(struct bench_case *c)
{
	struct keyctl_pkey_params p;
	double t0, t1;
	long r;

	memset(&p, 0, sizeof(p));
	p.key_id = c->key;
	p.in_len = c->digest_len;
	p.in2_len = c->sig_len;
	t0 = now_us();
	r = syscall(SYS_keyctl, KEYCTL_PKEY_VERIFY, &p, c->info, c->digest, c->sig);
	t1 = now_us();
	if (r < 0) {
		if (!c->bad)
			fprintf(stderr, "%s: %s\n", c->label, strerror(errno));
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

	nc = bench_cases(argc, argv, 5, MAX_CASES,
			 "LABEL KEYFILE DIGEST SIG INFO [LABEL KEYFILE DIGEST SIG INFO]...", &n);
	ring = syscall(SYS_add_key, "keyring", "pkey_verify_bench", NULL, 0,
		       KEY_SPEC_USER_KEYRING);
	if (ring < 0) {
		perror("keyring");
		return 2;
	}
	for (i = 0; i < nc; i++) {
		struct bench_case *c = &cases[i];
		char **a = argv + 2 + 5 * i;
		size_t key_len;
		char *key = slurp(a[1], &key_len);

		c->label = a[0];
		c->key = syscall(SYS_add_key, "asymmetric", "", key, key_len, ring);
		if (c->key < 0) {
			fprintf(stderr, "%s: add_key: %s\n", a[1], strerror(errno));
			return 2;
		}
		free(key);
		c->digest = slurp(a[2], &c->digest_len);
		c->sig = slurp(a[3], &c->sig_len);
		c->info = strcmp(a[4], "-") ? a[4] : "";
		c->t = calloc(n, sizeof(double));
		c->bad = 0;
		if (!c->t)
			return 2;
	}
	for (i = 0; i < nc; i++)
		for (j = 0; j < WARMUP; j++)
			one_call(&cases[i]);
	for (j = 0; j < n; j++)
		for (i = 0; i < nc; i++) {
			int k = (i + j) % nc;

			cases[k].t[j] = one_call(&cases[k]);
		}
	for (i = 0; i < nc; i++) {
		struct bench_case *c = &cases[i];
		double med = bench_line(c->label, c->t, n, med0, c->bad);

		if (!i)
			med0 = med;
		bad += c->bad;
	}
	syscall(SYS_keyctl, KEYCTL_CLEAR, ring);
	syscall(SYS_keyctl, KEYCTL_UNLINK, ring, KEY_SPEC_USER_KEYRING);
	return bad ? 1 : 0;
}
