// SPDX-License-Identifier: GPL-2.0
/*
 * Times pgp_ed25519_verify() in user space against OpenSSL's Ed25519
 * verification (EVP_DigestVerify) on RFC 8032 section 7.1 TEST 2. Figures
 * in docs/benchmarks.md; build and run:
 *   cc -O2 -o ed25519_bench kmod/pgp/pgp_ed25519.c \
 *	kmod/pgp/user/ed25519_bench.c -lcrypto && ./ed25519_bench 2000
 * The C figure includes the SHA-512(R || A || M) its caller computes.
 * Times are CPU time of the process (CLOCK_PROCESS_CPUTIME_ID), so that
 * other load on the machine shows less in them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <openssl/evp.h>
#include "../pgp_ed25519.h"

static const u8 pub[32] = {
	0x3d, 0x40, 0x17, 0xc3, 0xe8, 0x43, 0x89, 0x5a, 0x92, 0xb7, 0x0a,
	0xa7, 0x4d, 0x1b, 0x7e, 0xbc, 0x9c, 0x98, 0x2c, 0xcf, 0x2e, 0xc4,
	0x96, 0x8c, 0xc0, 0xcd, 0x55, 0xf1, 0x2a, 0xf4, 0x66, 0x0c,
};

static const u8 sig[64] = {
	0x92, 0xa0, 0x09, 0xa9, 0xf0, 0xd4, 0xca, 0xb8, 0x72, 0x0e, 0x82,
	0x0b, 0x5f, 0x64, 0x25, 0x40, 0xa2, 0xb2, 0x7b, 0x54, 0x16, 0x50,
	0x3f, 0x8f, 0xb3, 0x76, 0x22, 0x23, 0xeb, 0xdb, 0x69, 0xda, 0x08,
	0x5a, 0xc1, 0xe4, 0x3e, 0x15, 0x99, 0x6e, 0x45, 0x8f, 0x36, 0x13,
	0xd0, 0xf1, 0x1d, 0x8c, 0x38, 0x7b, 0x2e, 0xae, 0xb4, 0x30, 0x2a,
	0xee, 0xb0, 0x0d, 0x29, 0x16, 0x12, 0xbb, 0x0c, 0x00,
};

static const u8 msg[1] = { 0x72 };

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int c_verify(void)
{
	u8 h[PGP_ED25519_HRAM_SIZE];
	unsigned int n;
	EVP_MD_CTX *m = EVP_MD_CTX_new();

	if (!m || !EVP_DigestInit_ex(m, EVP_sha512(), NULL) ||
	    !EVP_DigestUpdate(m, sig, 32) || !EVP_DigestUpdate(m, pub, 32) ||
	    !EVP_DigestUpdate(m, msg, sizeof(msg)) || !EVP_DigestFinal_ex(m, h, &n))
		exit(2);
	EVP_MD_CTX_free(m);
	return pgp_ed25519_verify(pub, sig, h);
}

static int ossl_verify(void)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok;

	ok = k && m && EVP_DigestVerifyInit(m, NULL, NULL, NULL, k) == 1 &&
	     EVP_DigestVerify(m, sig, 64, msg, sizeof(msg)) == 1;
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

static void run(const char *name, int (*f)(void), long n)
{
	double t = now();
	long i;

	for (i = 0; i < n; i++)
		if (f()) {
			fprintf(stderr, "%s: verification failed\n", name);
			exit(1);
		}
	t = now() - t;
	printf("%-32s %ld runs, %.1f us per verification\n", name, n, t / n * 1e6);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;

	run("pgp_ed25519_verify (+SHA-512)", c_verify, n);
	run("OpenSSL EVP_DigestVerify", ossl_verify, n);
	return 0;
}
