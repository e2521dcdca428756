/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User mode driver management library (umd_mgmt.ko): the API of the 2023
 * "usermode_driver: Introduce management library" RFC, for stock kernels.
 *
 * A UMD is made of three parts:
 *  - the manager, a kernel module that owns a struct umd_mgmt and calls
 *    umd_mgmt_send_recv() whenever it needs the handler;
 *  - the loader, a kernel module that embeds the handler binary (a blob) and
 *    calls umd_mgmt_load() at init and umd_mgmt_unload() at exit; the
 *    manager names it in umd_mgmt.kmod so that it can be loaded on demand;
 *  - the handler, the user-space program started from the blob, talking to
 *    the kernel over its stdin and stdout.
 *
 * struct umd_info: the kernel's own <linux/usermode_driver.h> defines it
 * (its functions are not built in Debian's kernels and not exported, but the
 * header is installed). To avoid two definitions of one struct tag, this
 * header uses the kernel's definition whenever that header exists, so code
 * that includes both (as RFC code does) builds; only on kernels where it is
 * gone (6.17 and later) does it define a struct with the same members. The
 * library uses the members as the kernel's UMD code did: driver_name is the
 * name of the blob file (and of the handler process), wd the private tmpfs
 * mount holding it, tgid the running handler, and pipe_to_umh and
 * pipe_from_umh both point to the kernel's end of the channel (one socket,
 * one reference, owned by the library). Users read driver_name and tgid
 * only; everything else belongs to the library.
 *
 * See docs/umd_mgmt.md for the lifecycle, the locking and the error codes.
 */
#ifndef _LINUX_USERMODE_DRIVER_MGMT_H
#define _LINUX_USERMODE_DRIVER_MGMT_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/capability.h>

#if __has_include(<linux/usermode_driver.h>)
#include <linux/usermode_driver.h>
#else
#include <linux/path.h>

struct file;
struct pid;

/* Same members as the kernel's struct umd_info (removed in 6.17). */
struct umd_info {
	const char *driver_name;
	struct file *pipe_to_umh;
	struct file *pipe_from_umh;
	struct path wd;
	struct pid *tgid;
};
#endif

/**
 * struct umd_mgmt - a user mode driver managed by umd_mgmt.ko
 * @info: the handler: @info.driver_name must be set by the manager (a file
 *	name without '/', at most 15 bytes to be the full process name);
 *	@info.tgid is the running handler or NULL.
 * @lock: serializes everything done with this UMD; initialize it with
 *	mutex_init() or __MUTEX_INITIALIZER() before first use.
 * @post_start: optional; called with @lock held right after a handler was
 *	started (e.g. a health-check round trip with umd_send_recv(), never
 *	umd_mgmt_send_recv(), which would take @lock again). A non-zero return
 *	stops the handler and fails the start with that error.
 * @kmod: name of the loader module, requested when the blob is not loaded.
 * @kmod_loaded: true between a successful umd_mgmt_load() and
 *	umd_mgmt_unload(); read and written under @lock.
 * @keep_caps: not in the RFC (zero-initialized by RFC code, which keeps its
 *	meaning): capabilities the handler keeps. The helper otherwise ends with
 *	no capabilities at all. Set it only for a UMD that truly needs one, to
 *	the smallest set; it is further limited by the usermode-helper sets in
 *	/proc/sys/kernel/usermodehelper/.
 * @blob_sha256: library-private: the loaded blob's SHA-256.
 * @started: library-private: when the running handler started (jiffies).
 * @requests: library-private: exchanges the running handler answered.
 */
struct umd_mgmt {
	struct umd_info info;
	struct mutex lock;
	int (*post_start)(struct umd_mgmt *mgmt);
	const char *kmod;
	bool kmod_loaded;
	kernel_cap_t keep_caps;
	u8 blob_sha256[32];
	unsigned long started;
	unsigned int requests;
};

/* A reply check's verdict: the reply is good, but replace the handler. */
#define UMD_REPLY_RETIRE	1

/**
 * struct umd_exchange - one request and its reply, for umd_mgmt_exchange()
 * @in: request, written completely
 * @in_len: request size
 * @out: room for the reply
 * @out_len: the reply's exact size or, with @reply_len, the largest accepted
 * @reply_len: NULL, or given the first @head_len bytes of the reply, returns
 *	its whole length or a negative errno to refuse it; must not sleep
 * @head_len: with @reply_len, the bytes read first, 1..@out_len
 * @check: NULL, or judges the received reply while the lock is still held
 *	(so before any other caller can reach this handler): 0 keeps the
 *	handler, UMD_REPLY_RETIRE replaces it (the reply is still returned as
 *	good), a negative errno refuses the reply, stops the handler and is
 *	returned. May sleep; must not call into the library.
 * @ctx: passed to @check
 * @got: set to the reply's length
 */
struct umd_exchange {
	void *in;
	size_t in_len;
	void *out;
	size_t out_len;
	long (*reply_len)(const void *head, size_t head_len);
	size_t head_len;
	int (*check)(void *ctx, const void *reply, size_t len);
	void *ctx;
	size_t got;
};

int umd_send_recv(struct umd_info *info, void *in, size_t in_len, void *out,
		  size_t out_len);
int umd_mgmt_send_recv(struct umd_mgmt *mgmt, void *in, size_t in_len,
		       void *out, size_t out_len);
int umd_mgmt_send_recv_var(struct umd_mgmt *mgmt, void *in, size_t in_len,
			   void *out, size_t head_len, size_t out_max,
			   long (*reply_len)(const void *head, size_t head_len),
			   size_t *out_len);
int umd_mgmt_exchange(struct umd_mgmt *mgmt, struct umd_exchange *x);
int umd_mgmt_load(struct umd_mgmt *mgmt, char *start, char *end);
void umd_mgmt_unload(struct umd_mgmt *mgmt);
void umd_mgmt_stop(struct umd_mgmt *mgmt);

#endif /* _LINUX_USERMODE_DRIVER_MGMT_H */
