/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build environment of the pure checking code: the same sources compile into
 * the kernel modules and into user-space test and fuzz programs. Only types,
 * errno values and memory helpers are used; nothing here sleeps, allocates
 * or touches kernel state.
 */
#ifndef _PGP_PURE_H
#define _PGP_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

/* The kernel's memchr_inv(): the first byte of @p other than @c, or NULL. */
static inline void *memchr_inv(const void *p, int c, size_t n)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (u8)c)
			return (void *)(b + i);
	return NULL;
}
#endif

#endif /* _PGP_PURE_H */
