/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure part of the sample manager: checking a reply. Builds in the kernel
 * and in user space (kmod/umd/user/ tests it).
 */
#ifndef _SAMPLE_UMD_CHECK_H
#define _SAMPLE_UMD_CHECK_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#else
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint32_t u32;
#endif

int sample_umd_check_reply(const u8 *reply, size_t len, u32 offset);

#endif /* _SAMPLE_UMD_CHECK_H */
