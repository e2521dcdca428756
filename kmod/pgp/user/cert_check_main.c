// SPDX-License-Identifier: GPL-2.0
/*
 * User-space driver for the certificate policy (pgp_cert.c) with OpenSSL as
 * the crypto backend, used by cli/tests/c_cert_policy.rs.
 *
 * Reads all of stdin, a sequence of records, then answers one line each:
 *   now:u64 min_rsa_bits:u32 sha1_cutoff:u64 curves:u32
 *   selector_len:u16 selector[selector_len] payload_len:u32 payload
 *   reply[sizeof(struct pgp_umd_reply)]
 * Lines: "ok <fingerprint hex> <expiry> <uid packet row or ->",
 * "err <errno>", or "bad-reply <table> <fault> <row>". Native byte order.
 *
 * Fault injection: with CERT_CHECK_FAIL_AT=N in the environment, the Nth
 * hash or signature operation of each record's key selection fails with
 * -ENOMEM (as an allocation in the kernel's crypto calls can), and each
 * line ends with " calls <K>", the number of operations the record made
 * (N = 0 only counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include "records.h"
#include "../pgp_reply.h"
#include "ossl_ops.h"

static unsigned long fail_at, calls;
static bool counting;

static bool inject(void)
{
	return ++calls == fail_at;
}

static int faulty_digest(void *ctx, const struct pgp_hash_plan *plan, u8 *out)
{
	return inject() ? -ENOMEM : ossl_digest(ctx, plan, out);
}

static int faulty_verify(void *ctx, const struct pgp_key_info *key,
			 const struct pgp_sig_info *sig, const u8 *digest, size_t len)
{
	return inject() ? -ENOMEM : ossl_verify(ctx, key, sig, digest, len);
}

static const struct pgp_crypto_ops faulty_ops = { faulty_digest, faulty_verify };

static void end_line(void)
{
	if (counting)
		printf(" calls %lu", calls);
	printf("\n");
}

static void check_payload(struct pgp_cert *cert, struct pgp_umd_reply *reply,
			  const struct pgp_policy *pol, const u8 *sel_text, u16 sel_len,
			  const u8 *payload, u32 len);

static void check_one(struct pgp_cert *cert, struct pgp_umd_reply *reply)
{
	struct pgp_policy pol = { 0 };
	const u8 *sel_text;
	u8 *payload;
	u16 sel_len;
	u32 len;

	memcpy(&pol.now, take(8), 8);
	memcpy(&pol.min_rsa_bits, take(4), 4);
	memcpy(&pol.sha1_cutoff, take(8), 8);
	memcpy(&pol.curves, take(4), 4);
	memcpy(&sel_len, take(2), 2);
	sel_text = take(sel_len);
	memcpy(&len, take(4), 4);
	/* An exact-size copy, so AddressSanitizer sees any read past the end. */
	payload = malloc(len ? len : 1);
	if (!payload)
		exit(2);
	memcpy(payload, take(len), len);
	memcpy(reply, take(sizeof(*reply)), sizeof(*reply));
	check_payload(cert, reply, &pol, sel_text, sel_len, payload, len);
	free(payload);
}

static void check_payload(struct pgp_cert *cert, struct pgp_umd_reply *reply,
			  const struct pgp_policy *pol, const u8 *sel_text, u16 sel_len,
			  const u8 *payload, u32 len)
{
	struct pgp_selector sel;
	struct pgp_selection out = { 0 };
	struct pgp_reply_fault_info f;
	int err, i;

	if (pgp_reply_check(PGP_UMD_OP_PARSE_KEY, reply->header.seq, payload, len, reply, &f)) {
		printf("bad-reply %u %u %u\n", f.table, f.fault, f.row);
		return;
	}
	if (reply->header.status != PGP_UMD_STATUS_OK) {
		printf("status %u\n", reply->header.status);
		return;
	}
	err = pgp_parse_selector((const char *)sel_text, sel_len, &sel);
	if (!err)
		err = pgp_cert_load(cert, payload, len, reply);
	if (!err)
		err = ossl_set_fingerprints(cert);
	calls = 0;
	if (!err)
		err = pgp_cert_select(cert, pol, &sel, &faulty_ops, NULL, &out);
	if (err) {
		printf("err %d", err);
		end_line();
		return;
	}
	printf("ok ");
	for (i = 0; i < cert->keys[out.key].fpr_len; i++)
		printf("%02X", cert->keys[out.key].fpr[i]);
	printf(" %llu ", (unsigned long long)out.expiry);
	if (out.uid_packet == PGP_UMD_NONE)
		printf("-");
	else
		printf("%u", out.uid_packet);
	end_line();
}

int main(void)
{
	struct pgp_umd_reply *reply = malloc(sizeof(*reply));
	struct pgp_cert *cert = malloc(sizeof(*cert));

	counting = getenv("CERT_CHECK_FAIL_AT");
	if (counting)
		fail_at = strtoul(getenv("CERT_CHECK_FAIL_AT"), NULL, 10);
	if (!reply || !cert)
		return 2;
	/* As the kernel reuses its work area: nothing may read stale contents. */
	memset(cert, 0xA5, sizeof(*cert));
	read_records("cert_check");
	while (pos < input_len) {
		check_one(cert, reply);
		fflush(stdout);
	}
	free(reply);
	free(cert);
	free(input);
	return 0;
}
