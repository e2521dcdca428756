/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sample UMD's message format and what its modules share.
 *
 * Request: one native-endian u32, an offset in [0, SAMPLE_UMD_REPLY_LEN).
 * Reply: SAMPLE_UMD_REPLY_LEN bytes, the byte at the offset 1, all others 0.
 * SAMPLE_UMD_STALL is a test-only request: the handler of the test loader
 * (sample_umd_loader_test.ko) never answers it and waits to be killed; the
 * sample's own handler exits on it without answering.
 */
#ifndef _SAMPLE_UMD_H
#define _SAMPLE_UMD_H

#define SAMPLE_UMD_REPLY_LEN	(128 * 1024)
#define SAMPLE_UMD_STALL	0xFFFFFFFFu

#ifdef __KERNEL__
#include <linux/usermode_driver_mgmt.h>

/* Owned by the manager (sample_umd_mgr.ko), loaded by a loader module. */
extern struct umd_mgmt sample_mgmt;

/*
 * A loader module: the blob between START and END is the handler. The
 * blob is only read at init (umd_mgmt_load() copies it), so it lives in
 * .init.rodata and is freed after init.
 */
#define SAMPLE_UMD_LOADER(START, END)					\
	extern char START[], END[];					\
	static int __init sample_umd_loader_init(void)			\
	{								\
		return umd_mgmt_load(&sample_mgmt, START, END);		\
	}								\
	static void __exit sample_umd_loader_exit(void)			\
	{								\
		umd_mgmt_unload(&sample_mgmt);				\
	}								\
	module_init(sample_umd_loader_init);				\
	module_exit(sample_umd_loader_exit)
#endif

#endif /* _SAMPLE_UMD_H */
