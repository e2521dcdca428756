/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sample UMD's message format and what its modules share.
 *
 * Request: one native-endian u32, an offset in [0, SAMPLE_UMD_REPLY_LEN).
 * Reply: SAMPLE_UMD_REPLY_LEN bytes, the byte at the offset 1, all others 0.
 * Test-only requests, answered only by the handler of the test loader
 * (sample_umd_loader_test.ko; the sample's own handler exits on them):
 *  - SAMPLE_UMD_STALL: never answered, the handler waits to be killed;
 *  - SAMPLE_UMD_BIG: followed by SAMPLE_UMD_BIG_IN payload bytes, answered
 *    with their last SAMPLE_UMD_BIG_OUT bytes. These are the sizes of the
 *    PGP UMD's largest request (header + 128 KiB payload) and of its reply
 *    (checked against pgp_umd_proto.h at build time).
 */
#ifndef _SAMPLE_UMD_H
#define _SAMPLE_UMD_H

#define SAMPLE_UMD_REPLY_LEN	(128 * 1024)
#define SAMPLE_UMD_STALL	0xFFFFFFFFu
#define SAMPLE_UMD_BIG		0xFFFFFFFEu
#define SAMPLE_UMD_BIG_IN	(24 + 1024 * 1024 - 1)
#define SAMPLE_UMD_BIG_OUT	58144

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
