/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the C benchmark helpers (add_key_bench.c, pkey_verify_bench.c)
 * share: a monotonic clock in microseconds, whole-file reads, and the
 * nearest-rank percentiles they report.
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

#endif /* _PGP_UMD_BENCH_UTIL_H */
