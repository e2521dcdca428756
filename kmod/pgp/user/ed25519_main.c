// SPDX-License-Identifier: GPL-2.0
/*
 * User-space driver for the Ed25519 verifier (kmod/pgp/pgp_ed25519.c), used
 * by cli/tests/c_ed25519.rs. SHA-512 comes from OpenSSL, as it comes
 * from the kernel's crypto API in the module.
 *
 * Reads all of stdin, a sequence of records, then answers one line each:
 *   'V' pub[32] sig[64] len:u32 msg[len]   prints pgp_ed25519_verify()'s
 *                                          result over SHA-512(R || A || M)
 *   'K' pub[32]                            prints pgp_ed25519_check_key()'s
 * Results are printed as decimal numbers (0 or a negative errno). Native
 * byte order.
 */
#include <stdio.h>
#include <stdlib.h>
#include "records.h"
#include <openssl/evp.h>
#include "../pgp_ed25519.h"


static void hram(const u8 *sig, const u8 *pub, const u8 *msg, size_t len, u8 *out)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	ok = m && EVP_DigestInit_ex(m, EVP_sha512(), NULL) &&
	     EVP_DigestUpdate(m, sig, 32) &&
	     EVP_DigestUpdate(m, pub, PGP_ED25519_KEY_SIZE) &&
	     EVP_DigestUpdate(m, msg, len) &&
	     EVP_DigestFinal_ex(m, out, &n);
	EVP_MD_CTX_free(m);
	if (!ok || n != PGP_ED25519_HRAM_SIZE) {
		fprintf(stderr, "ed25519: SHA-512 failed\n");
		exit(2);
	}
}

int main(void)
{
	u8 h[PGP_ED25519_HRAM_SIZE];
	const u8 *pub, *sig, *msg;
	u32 len;
	u8 kind;

	read_records("ed25519");
	while (pos < input_len) {
		kind = *take(1);
		pub = take(PGP_ED25519_KEY_SIZE);
		if (kind == 'K') {
			printf("%d\n", pgp_ed25519_check_key(pub));
			continue;
		}
		if (kind != 'V') {
			fprintf(stderr, "ed25519: unknown record %c\n", kind);
			return 2;
		}
		sig = take(PGP_ED25519_SIG_SIZE);
		memcpy(&len, take(sizeof(len)), sizeof(len));
		msg = take(len);
		hram(sig, pub, msg, len, h);
		printf("%d\n", pgp_ed25519_verify(pub, sig, h));
	}
	free(input);
	return 0;
}
