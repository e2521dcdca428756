// SPDX-License-Identifier: GPL-2.0
/*
 * Pure part of the sample manager (see sample_umd_check.h).
 */
#include "sample_umd_check.h"
#include "sample_umd.h"

static int all_zero(const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/**
 * sample_umd_check_reply() - is this the right answer to @offset?
 * @reply: the reply
 * @len: its size
 * @offset: the request
 *
 * Return: 0 if @reply is SAMPLE_UMD_REPLY_LEN bytes with the byte at
 * @offset 1 and every other byte 0, else -EBADMSG.
 */
int sample_umd_check_reply(const u8 *reply, size_t len, u32 offset)
{
	if (len != SAMPLE_UMD_REPLY_LEN || offset >= len)
		return -EBADMSG;
	if (reply[offset] != 1 || !all_zero(reply, offset) ||
	    !all_zero(reply + offset + 1, len - offset - 1))
		return -EBADMSG;
	return 0;
}
