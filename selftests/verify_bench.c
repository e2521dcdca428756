// SPDX-License-Identifier: GPL-2.0
/*
 * verify_bench - time signature verifications through the securityfs file
 * /sys/kernel/security/pgp_umd/verify (docs/kernel-api.md) in one process
 *
 *   verify_bench N LABEL KEYRING SIG DATA [LABEL KEYRING SIG DATA]...
 *
 * Each case is one request: SIG (one signature packet) over DATA with keys
 * of KEYRING (a serial). Every case is called WARMUP times untimed, then N
 * times timed with CLOCK_MONOTONIC, the cases interleaved round by round;
 * a call times the write(2) that carries the request, which is the whole
 * verification. Each call must succeed. Prints one line per case
 * (microseconds: median, p10, p90, min) and the ratio of each case's
 * median to the first case's. Exits 1 if any call failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench_util.h"
#include "../kmod/include/pgp_umd_proto.h"

#define WARMUP 5
#define MAX_CASES 8
#define VERIFY_FILE "/sys/kernel/security/pgp_umd/verify"

struct bench_case {
	const char *label;
	char *request;
	size_t len;
	double *t;
	int bad;
};

static double one_call(struct bench_case *c, int fd)
{
	double t0, t1;
	ssize_t n;

	t0 = now_us();
	n = write(fd, c->request, c->len);
	t1 = now_us();
	if (n != (ssize_t)c->len) {
		if (!c->bad)
			fprintf(stderr, "%s: %s\n", c->label,
				n < 0 ? strerror(errno) : "short write");
		c->bad++;
	}
	return t1 - t0;
}

/* The request of docs/kernel-api.md: header, signature, data. */
static char *request(long keyring, const char *sig_path, const char *data_path, size_t *len)
{
	struct pgp_umd_verify_request h = {
		.magic = PGP_UMD_VERIFY_MAGIC,
		.version = PGP_UMD_VERIFY_VERSION,
		.keyring = keyring,
	};
	size_t sig_len, data_len;
	char *sig = slurp(sig_path, &sig_len);
	char *data = slurp(data_path, &data_len);
	char *r = malloc(sizeof(h) + sig_len + data_len);

	if (!r)
		exit(2);
	h.sig_len = sig_len;
	h.data_len = data_len;
	memcpy(r, &h, sizeof(h));
	memcpy(r + sizeof(h), sig, sig_len);
	memcpy(r + sizeof(h) + sig_len, data, data_len);
	free(sig);
	free(data);
	*len = sizeof(h) + sig_len + data_len;
	return r;
}

int main(int argc, char **argv)
{
	struct bench_case cases[MAX_CASES];
	double med0 = 0;
	int n, nc, i, j, fd, bad = 0;

	nc = bench_cases(argc, argv, 4, MAX_CASES,
			 "LABEL KEYRING SIG DATA [LABEL KEYRING SIG DATA]...", &n);
	fd = open(VERIFY_FILE, O_RDWR);
	if (fd < 0) {
		perror(VERIFY_FILE);
		return 2;
	}
	for (i = 0; i < nc; i++) {
		struct bench_case *c = &cases[i];
		char **a = argv + 2 + 4 * i;

		c->label = a[0];
		c->request = request(atol(a[1]), a[2], a[3], &c->len);
		c->t = calloc(n, sizeof(double));
		c->bad = 0;
		if (!c->t)
			return 2;
	}
	for (i = 0; i < nc; i++)
		for (j = 0; j < WARMUP; j++)
			one_call(&cases[i], fd);
	for (j = 0; j < n; j++)
		for (i = 0; i < nc; i++) {
			int k = (i + j) % nc;

			cases[k].t[j] = one_call(&cases[k], fd);
		}
	for (i = 0; i < nc; i++) {
		struct bench_case *c = &cases[i];
		double med = bench_line(c->label, c->t, n, med0, c->bad);

		if (!i)
			med0 = med;
		bad += c->bad;
	}
	close(fd);
	return bad ? 1 : 0;
}
