/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure part of the UMD channel: moving a whole message through a stream
 * that may take or give fewer bytes per call. The same source builds into
 * umd_mgmt.ko and into a user-space test (kmod/umd/user/), which drives it
 * with a fake stream of random step sizes, end of stream and errors.
 */
#ifndef _UMD_XFER_H
#define _UMD_XFER_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#else
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
#endif

/* Kernel-internal "restart the system call" codes, for the user-space build. */
#ifndef ERESTARTSYS
#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514
#endif

/**
 * typedef umd_xfer_step_t - move at most @len bytes once
 * @ctx: the stream
 * @buf: bytes to send, or room for bytes received
 * @len: bytes wanted, > 0
 *
 * Return: bytes moved (1..@len), 0 at end of stream, or a negative errno
 * (-EAGAIN when the stream's timeout expired with nothing moved).
 */
typedef long (*umd_xfer_step_t)(void *ctx, u8 *buf, size_t len);

/**
 * typedef umd_reply_len_t - the length of a reply from its first bytes
 * @head: the reply's first @head_len bytes
 * @head_len: their number
 *
 * Return: the whole reply's length in bytes, or a negative errno to refuse
 * the reply (nothing more is read).
 */
typedef long (*umd_reply_len_t)(const void *head, size_t head_len);

int umd_xfer_all(umd_xfer_step_t step, void *ctx, u8 *buf, size_t len);
int umd_xfer_reply(umd_xfer_step_t step, void *ctx, u8 *buf, size_t head_len,
		   size_t max_len, umd_reply_len_t reply_len, size_t *len);

#endif /* _UMD_XFER_H */
