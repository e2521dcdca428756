// SPDX-License-Identifier: GPL-2.0
/*
 * User-space test of the pure C of the UMD core and the sample manager:
 * umd_xfer_all() and umd_xfer_reply() over a fake stream that moves random
 * amounts per call, ends early or fails, and sample_umd_check_reply(). Built
 * with ASan and UBSan by kmod/sample/handler/tests/c_pure.rs. Prints one line
 * per failed check; exits 0 only if all passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../umd_xfer.h"
#include "../../sample/sample_umd_check.h"
#include "../../sample/sample_umd.h"

static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			failures++;					\
			printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

static unsigned long long rng = 0x9E3779B97F4A7C15ull;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A stream over a byte array: moves 1..max_step bytes per call. */
struct fake {
	u8 *data;		/* the other side's bytes */
	size_t len;		/* how many exist (end of stream after) */
	size_t pos;
	size_t max_step;
	long fail_at_call;	/* -1: never */
	long fail_with;
	long calls;
	int overclaim;		/* claim one byte more than asked */
};

static long fake_recv(void *ctx, u8 *buf, size_t len)
{
	struct fake *f = ctx;
	size_t n;

	if (f->calls++ == f->fail_at_call)
		return f->fail_with;
	if (f->overclaim)
		return (long)len + 1;
	if (f->pos == f->len)
		return 0;
	n = 1 + next_rand() % f->max_step;
	if (n > len)
		n = len;
	if (n > f->len - f->pos)
		n = f->len - f->pos;
	memcpy(buf, f->data + f->pos, n);
	f->pos += n;
	return (long)n;
}

static long fake_send(void *ctx, u8 *buf, size_t len)
{
	struct fake *f = ctx;
	size_t n;

	if (f->calls++ == f->fail_at_call)
		return f->fail_with;
	if (f->pos == f->len)
		return -EPIPE;
	n = 1 + next_rand() % f->max_step;
	if (n > len)
		n = len;
	if (n > f->len - f->pos)
		n = f->len - f->pos;
	memcpy(f->data + f->pos, buf, n);
	f->pos += n;
	return (long)n;
}

static void test_xfer(void)
{
	static const size_t sizes[] = { 1, 4, 4096, 65536, 65537, 131072,
					131072 + 24, 300000 };
	static const size_t steps[] = { 1, 7, 4096, 65536, 1 << 20 };
	size_t s, t, i;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t len = sizes[s];
		u8 *src = malloc(len), *dst = malloc(len);

		for (i = 0; i < len; i++)
			src[i] = (u8)(next_rand() >> 24);
		for (t = 0; t < sizeof(steps) / sizeof(steps[0]); t++) {
			struct fake f = { .data = src, .len = len,
					  .max_step = steps[t],
					  .fail_at_call = -1 };
			int err;

			if (steps[t] == 1 && len > 70000)
				continue;	/* slow, says nothing new */
			memset(dst, 0, len);
			err = umd_xfer_all(fake_recv, &f, dst, len);
			CHECK(err == 0 && !memcmp(src, dst, len),
			      "recv %zu bytes in steps <= %zu: %d", len,
			      steps[t], err);
			f = (struct fake){ .data = dst, .len = len,
					   .max_step = steps[t],
					   .fail_at_call = -1 };
			memset(dst, 0, len);
			err = umd_xfer_all(fake_send, &f, src, len);
			CHECK(err == 0 && !memcmp(src, dst, len),
			      "send %zu bytes in steps <= %zu: %d", len,
			      steps[t], err);
		}
		free(src);
		free(dst);
	}
}

static void test_xfer_errors(void)
{
	static u8 src[1000], dst[1000];
	static const struct {
		long in, out;
	} map[] = {
		{ -EAGAIN, -ETIMEDOUT }, { -ETIMEDOUT, -ETIMEDOUT },
		{ -ERESTARTSYS, -EINTR }, { -ERESTARTNOINTR, -EINTR },
		{ -ERESTARTNOHAND, -EINTR }, { -EINTR, -EINTR },
		{ -ECONNRESET, -EPIPE }, { -ENOTCONN, -EPIPE },
		{ -EPIPE, -EPIPE }, { -ENOMEM, -ENOMEM },
	};
	struct fake f;
	size_t i;
	int err;

	/* The stream ends in the middle of the message. */
	f = (struct fake){ .data = src, .len = 999, .max_step = 100,
			   .fail_at_call = -1 };
	err = umd_xfer_all(fake_recv, &f, dst, 1000);
	CHECK(err == -EPIPE, "early end of stream: %d", err);

	/* An error after some bytes moved, mapped to one code per cause. */
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		f = (struct fake){ .data = src, .len = 1000, .max_step = 10,
				   .fail_at_call = 3, .fail_with = map[i].in };
		err = umd_xfer_all(fake_recv, &f, dst, 1000);
		CHECK(err == map[i].out, "error %ld -> %d, want %ld",
		      map[i].in, err, map[i].out);
	}

	/* A stream claiming more than asked is an error, not an overrun. */
	f = (struct fake){ .data = src, .len = 1000, .max_step = 10,
			   .fail_at_call = -1, .overclaim = 1 };
	err = umd_xfer_all(fake_recv, &f, dst, 1000);
	CHECK(err == -EIO, "overclaim: %d", err);

	/* Nothing to move: no call at all. */
	f = (struct fake){ .data = src, .len = 0, .max_step = 10,
			   .fail_at_call = 0, .fail_with = -EIO };
	err = umd_xfer_all(fake_recv, &f, dst, 0);
	CHECK(err == 0 && f.calls == 0, "zero length: %d, %ld calls", err,
	      f.calls);
}

/* A reply whose first 4 bytes give its whole length (native u32). */
static long len_from_head(const void *head, size_t head_len)
{
	unsigned int n;

	if (head_len != 4)
		return -EINVAL;
	memcpy(&n, head, 4);
	return n == 0xDEAD ? -EBADMSG : (long)n;
}

static void test_xfer_reply(void)
{
	static const size_t lens[] = { 4, 5, 4096, 30496, 131072 };
	static const size_t steps[] = { 1, 7, 4096, 1 << 20 };
	static u8 src[131072 + 8], dst[131072];
	size_t l, t, got, i;
	struct fake f;
	unsigned int n;
	int err;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (u8)(next_rand() >> 24);
	for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		n = (unsigned int)lens[l];
		memcpy(src, &n, 4);
		for (t = 0; t < sizeof(steps) / sizeof(steps[0]); t++) {
			if (steps[t] == 1 && n > 70000)
				continue;
			/* A second reply follows: it must stay unread. */
			f = (struct fake){ .data = src, .len = n + 8,
					   .max_step = steps[t], .fail_at_call = -1 };
			got = 0;
			err = umd_xfer_reply(fake_recv, &f, dst, 4, sizeof(dst),
					     len_from_head, &got);
			CHECK(err == 0 && got == n && f.pos == n && !memcmp(src, dst, n),
			      "reply of %u bytes in steps <= %zu: %d, got %zu, read %zu",
			      n, steps[t], err, got, f.pos);
		}
	}
	/* Refusals: nothing is read past the head. */
	n = 0xDEAD;
	memcpy(src, &n, 4);
	f = (struct fake){ .data = src, .len = 100, .max_step = 100, .fail_at_call = -1 };
	err = umd_xfer_reply(fake_recv, &f, dst, 4, 100, len_from_head, &got);
	CHECK(err == -EBADMSG && f.pos == 4, "refused by the length function: %d", err);
	n = 101;
	memcpy(src, &n, 4);
	f = (struct fake){ .data = src, .len = 200, .max_step = 100, .fail_at_call = -1 };
	err = umd_xfer_reply(fake_recv, &f, dst, 4, 100, len_from_head, &got);
	CHECK(err == -EMSGSIZE && f.pos == 4, "longer than the buffer: %d", err);
	n = 3;
	memcpy(src, &n, 4);
	f = (struct fake){ .data = src, .len = 200, .max_step = 100, .fail_at_call = -1 };
	err = umd_xfer_reply(fake_recv, &f, dst, 4, 100, len_from_head, &got);
	CHECK(err == -EMSGSIZE && f.pos == 4, "shorter than the head: %d", err);
	/* The stream ends inside the head, then inside the body. */
	n = 50;
	memcpy(src, &n, 4);
	f = (struct fake){ .data = src, .len = 3, .max_step = 100, .fail_at_call = -1 };
	err = umd_xfer_reply(fake_recv, &f, dst, 4, 100, len_from_head, &got);
	CHECK(err == -EPIPE, "end inside the head: %d", err);
	f = (struct fake){ .data = src, .len = 49, .max_step = 100, .fail_at_call = -1 };
	err = umd_xfer_reply(fake_recv, &f, dst, 4, 100, len_from_head, &got);
	CHECK(err == -EPIPE, "end inside the body: %d", err);
	/* A timeout while waiting for the body. */
	f = (struct fake){ .data = src, .len = 50, .max_step = 1, .fail_at_call = 4,
			   .fail_with = -EAGAIN };
	err = umd_xfer_reply(fake_recv, &f, dst, 4, 100, len_from_head, &got);
	CHECK(err == -ETIMEDOUT && f.pos == 4, "timeout in the body: %d", err);
	/* Bad arguments are refused before reading. */
	f = (struct fake){ .data = src, .len = 50, .max_step = 4, .fail_at_call = -1 };
	CHECK(umd_xfer_reply(fake_recv, &f, dst, 0, 100, len_from_head, &got) == -EINVAL &&
	      umd_xfer_reply(fake_recv, &f, dst, 101, 100, len_from_head, &got) == -EINVAL &&
	      f.pos == 0, "bad head length read something");
}

static void test_check(void)
{
	static u8 reply[SAMPLE_UMD_REPLY_LEN + 1];
	static const u32 offsets[] = { 0, 1, 4095, 65536,
				       SAMPLE_UMD_REPLY_LEN - 1 };
	size_t i;

	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		u32 o = offsets[i];

		memset(reply, 0, sizeof(reply));
		reply[o] = 1;
		CHECK(sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN, o) == 0,
		      "right reply for %u", o);
		CHECK(sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN,
					     o ^ 1) == -EBADMSG,
		      "reply for %u taken for %u", o, o ^ 1);
		reply[o] = 2;
		CHECK(sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN, o) == -EBADMSG,
		      "byte 2 at %u", o);
		reply[o] = 1;
		reply[(o + 77) % SAMPLE_UMD_REPLY_LEN] = 1;
		CHECK(sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN, o) == -EBADMSG,
		      "second byte set besides %u", o);
	}
	memset(reply, 0, sizeof(reply));
	CHECK(sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN, 0) == -EBADMSG,
	      "all zero");
	CHECK(sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN,
				     SAMPLE_UMD_REPLY_LEN) == -EBADMSG,
	      "offset out of range");
	reply[0] = 1;
	CHECK(sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN - 1, 0) == -EBADMSG,
	      "short reply");
	CHECK(sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN + 1, 0) == -EBADMSG,
	      "long reply");
}

int main(void)
{
	test_xfer();
	test_xfer_errors();
	test_xfer_reply();
	test_check();
	if (failures)
		printf("%d check(s) failed\n", failures);
	else
		printf("all passed\n");
	return failures ? 1 : 0;
}
