/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UMD core of umd_mgmt.ko: blob into a private tmpfs, start of the
 * handler with a kernel socket pair as stdin/stdout, bounded transfers, stop.
 * Internal to umd_mgmt.ko (not exported); callers serialize per umd_info.
 */
#ifndef _UMD_CORE_H
#define _UMD_CORE_H

#include <linux/usermode_driver_mgmt.h>
#include "umd_xfer.h"

/*
 * Every uid and gid of a running handler: the overflow ids ("nobody",
 * "nogroup"); the handler switches to them itself (umd-runtime).
 */
#define UMD_HANDLER_ID		65534
/* How long a SIGKILLed handler is waited for before it is detached. */
#define UMD_EXIT_WAIT_MS	2000
/* SHA-256, the digest of a loaded blob. */
#define UMD_DIGEST_SIZE		32

int umd_core_load_blob(struct umd_info *info, const void *data, size_t len,
		       u8 digest[UMD_DIGEST_SIZE]);
void umd_core_unload_blob(struct umd_info *info);
int umd_core_start(struct umd_info *info, const kernel_cap_t *keep,
		   const u8 digest[UMD_DIGEST_SIZE]);
int umd_core_wait_sealed(struct umd_info *info, const kernel_cap_t *keep,
			 unsigned int wait_ms);
bool umd_core_exited(struct umd_info *info);
void umd_core_stop(struct umd_info *info);
int umd_core_send_recv(struct umd_info *info, void *in, size_t in_len,
		       void *out, size_t out_len, umd_reply_len_t reply_len,
		       size_t head_len, size_t *got, unsigned int timeout_ms);

#endif /* _UMD_CORE_H */
