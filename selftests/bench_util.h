/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the C benchmark helpers (add_key_bench.c, pkey_verify_bench.c,
 * verify_bench.c)
 * share: a monotonic clock in microseconds, whole-file reads, the
 * nearest-rank percentiles they report, and the report line of
 * pkey_verify_bench and verify_bench.
 */
#ifndef _PGP_UMD_BENCH_UTIL_H
#define _PGP_UMD_BENCH_UTIL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static inline double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* All of @path, or exit(2) saying why. */
static inline char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(path);
		exit(2);
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	n = buf ? read(fd, buf, st.st_size) : -1;
	if (n != st.st_size) {
		fprintf(stderr, "%s: short read\n", path);
		exit(2);
	}
	close(fd);
	*len = n;
	return buf;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile @p of the @n sorted samples @s. */
static inline double pct(const double *s, int n, int p)
{
	int i = (p * n + 99) / 100 - 1;

	return s[i < 0 ? 0 : i];
}

/*
 * The arguments "N CASE [CASE]...", each CASE @per words: sets *@n (at
 * least 1) and returns the number of cases (1 to @max), or exits 2 with
 * "usage: PROGRAM N @usage".
 */
static inline int bench_cases(int argc, char **argv, int per, int max, const char *usage,
			      int *n)
{
	int nc = argc >= 2 ? (argc - 2) / per : 0;

	*n = argc >= 2 ? atoi(argv[1]) : 0;
	if (argc < 2 + per || (argc - 2) % per || nc > max || *n < 1) {
		fprintf(stderr, "usage: %s N %s\n", argv[0], usage);
		exit(2);
	}
	return nc;
}

/*
 * Sorts the @n samples @t of one case and prints its line (microseconds:
 * median, p10, p90, min) with the ratio of its median to @first, the first
 * case's median (0 for the first case itself). Returns the median.
 */
static inline double bench_line(const char *label, double *t, int n, double first,
				int failed)
{
	double med;

	qsort(t, n, sizeof(double), cmp_double);
	med = pct(t, n, 50);
	printf("%-20s n=%d median=%.0fus p10=%.0fus p90=%.0fus min=%.0fus ratio=%.3f%s\n",
	       label, n, med, pct(t, n, 10), pct(t, n, 90), t[0], med / (first ? first : med),
	       failed ? " FAILED" : "");
	return med;
}

#endif /* _PGP_UMD_BENCH_UTIL_H */
