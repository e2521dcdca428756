// SPDX-License-Identifier: GPL-2.0
/*
 * Pure part of the UMD channel (see umd_xfer.h): no kernel state, no sleeping
 * of its own, no allocation.
 */
#include "umd_xfer.h"

/*
 * One error code per cause, whatever the stream said: the caller (and
 * docs/umd_mgmt.md) can rely on these four.
 */
static int umd_xfer_errno(long err)
{
	switch (err) {
	case -EAGAIN:
	case -ETIMEDOUT:
		return -ETIMEDOUT;	/* the timeout expired */
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
	case -ERESTARTNOHAND:
	case -EINTR:
		return -EINTR;		/* a signal; never restart by itself */
	case -ECONNRESET:
	case -ENOTCONN:
	case -EPIPE:
		return -EPIPE;		/* the handler is gone */
	default:
		return (int)err;
	}
}

/**
 * umd_xfer_all() - move exactly @len bytes through a stream
 * @step: one partial transfer (see umd_xfer_step_t)
 * @ctx: passed to @step
 * @buf: the message, or room for it
 * @len: message size; 0 is a no-op
 *
 * Calls @step until all @len bytes moved. A message may thus be far larger
 * than what the stream moves at once (a pipe's or a socket's buffer).
 *
 * Return: 0; -EPIPE if the stream ended (or the peer went away) first;
 * -ETIMEDOUT if its timeout expired; -EINTR if a signal interrupted it;
 * -EIO if @step claimed more than asked; another negative errno as @step
 * returned it. After an error an unknown part of the message has moved.
 */
int umd_xfer_all(umd_xfer_step_t step, void *ctx, u8 *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		long n = step(ctx, buf + done, len - done);

		if (n < 0)
			return umd_xfer_errno(n);
		if (n == 0)
			return -EPIPE;
		if ((size_t)n > len - done)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

/**
 * umd_xfer_reply() - receive a reply whose first bytes give its length
 * @step: one partial receive (see umd_xfer_step_t)
 * @ctx: passed to @step
 * @buf: room for @max_len bytes
 * @head_len: bytes read first, 1..@max_len
 * @max_len: the longest reply accepted
 * @reply_len: decides the whole length from the first @head_len bytes
 * @len: set to the reply's length on success
 *
 * Return: 0; -EMSGSIZE if @reply_len gave a length below @head_len or above
 * @max_len; the error @reply_len returned; an error of umd_xfer_all(). After
 * an error the stream is out of step (the rest of the reply was not read).
 */
int umd_xfer_reply(umd_xfer_step_t step, void *ctx, u8 *buf, size_t head_len,
		   size_t max_len, umd_reply_len_t reply_len, size_t *len)
{
	long want;
	int err;

	if (!head_len || head_len > max_len)
		return -EINVAL;
	err = umd_xfer_all(step, ctx, buf, head_len);
	if (err)
		return err;
	want = reply_len(buf, head_len);
	if (want < 0)
		return (int)want;
	if ((size_t)want < head_len || (size_t)want > max_len)
		return -EMSGSIZE;
	err = umd_xfer_all(step, ctx, buf + head_len, (size_t)want - head_len);
	if (!err)
		*len = (size_t)want;
	return err;
}
