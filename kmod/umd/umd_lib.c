// SPDX-License-Identifier: GPL-2.0
/*
 * umd_mgmt.ko: the user mode driver management library with the API of the
 * 2023 RFC ("usermode_driver: Introduce management library"), on the UMD
 * core of umd_core.c. The API is declared in <linux/usermode_driver_mgmt.h>
 * and described in docs/umd_mgmt.md.
 */
#define pr_fmt(fmt) "umd_mgmt: " fmt

#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>

#include <linux/usermode_driver_mgmt.h>
#include "umd_core.h"
#include "umd_xfer.h"

#define UMD_TIMEOUT_MS_DEFAULT	5000
#define UMD_TIMEOUT_MS_MAX	(10 * 60 * 1000)

static unsigned int timeout_ms = UMD_TIMEOUT_MS_DEFAULT;

static int timeout_ms_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < 1 || v > UMD_TIMEOUT_MS_MAX)
		return -EINVAL;
	WRITE_ONCE(timeout_ms, v);
	return 0;
}

static const struct kernel_param_ops timeout_ms_ops = {
	.set = timeout_ms_set,
	.get = param_get_uint,
};

module_param_cb(timeout_ms, &timeout_ms_ops, &timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms,
		 "bound on one exchange with a handler, ms (1..600000, default 5000)");

/**
 * umd_send_recv() - one request/reply exchange with a running handler
 * @info: the handler (&umd_mgmt.info)
 * @in: request, written completely
 * @in_len: request size
 * @out: room for the reply, read completely
 * @out_len: exact reply size
 *
 * Writes all of @in, then reads exactly @out_len bytes, looping over partial
 * writes and reads, so either message may exceed a pipe's or a socket's
 * buffer. The whole exchange is bounded by the module parameter timeout_ms;
 * every wait is interruptible, hence killable. It does not lock, start or
 * stop anything: umd_mgmt_send_recv() does, and a post_start callback (which
 * runs under the lock) calls this directly.
 *
 * Context: process context, may sleep; the caller serializes exchanges of
 * one handler (&umd_mgmt.lock).
 * Return: 0 on success; -EFAULT if the handler is not running; -EPIPE if it
 * closed the channel or died; -ETIMEDOUT if the exchange took longer than
 * timeout_ms; -EINTR if a signal interrupted a wait; another negative errno
 * from the socket layer. After an error the stream is out of step and the
 * handler must be stopped (umd_mgmt_send_recv() does so).
 */
int umd_send_recv(struct umd_info *info, void *in, size_t in_len, void *out,
		  size_t out_len)
{
	size_t got;

	return umd_core_send_recv(info, in, in_len, out, out_len, NULL, 0, &got,
				  READ_ONCE(timeout_ms));
}
EXPORT_SYMBOL_GPL(umd_send_recv);

/* Start the handler and run post_start; undo the start if that fails. */
static int umd_mgmt_start(struct umd_mgmt *mgmt)
{
	int err;

	err = umd_core_start(&mgmt->info, &mgmt->keep_caps);
	if (err) {
		pr_err("%s: starting the handler failed: %d\n",
		       mgmt->info.driver_name, err);
		return err;
	}
	if (mgmt->post_start) {
		err = mgmt->post_start(mgmt);
		if (err) {
			pr_err("%s: post_start failed: %d\n",
			       mgmt->info.driver_name, err);
			umd_core_stop(&mgmt->info);
		}
	}
	return err;
}

/* umd_mgmt_send_recv() and umd_mgmt_send_recv_var(): see their comments. */
static int mgmt_exchange(struct umd_mgmt *mgmt, void *in, size_t in_len,
			 void *out, size_t out_len, umd_reply_len_t reply_len,
			 size_t head_len, size_t *got)
{
	int err;

	if (mutex_lock_killable(&mgmt->lock))
		return -EINTR;
	if (!mgmt->kmod_loaded) {
		mutex_unlock(&mgmt->lock);
		if (mgmt->kmod) {
			err = request_module("%s", mgmt->kmod);
			if (err)
				pr_debug("request_module(%s) = %d\n",
					 mgmt->kmod, err);
		}
		if (mutex_lock_killable(&mgmt->lock))
			return -EINTR;
		if (!mgmt->kmod_loaded) {
			err = -ENOPROTOOPT;
			goto out;
		}
	}
	if (mgmt->info.tgid && umd_core_exited(&mgmt->info))
		umd_core_stop(&mgmt->info);
	if (!mgmt->info.tgid) {
		err = umd_mgmt_start(mgmt);
		if (err)
			goto out;
	}
	err = umd_core_send_recv(&mgmt->info, in, in_len, out, out_len,
				 reply_len, head_len, got, READ_ONCE(timeout_ms));
	if (err)
		umd_core_stop(&mgmt->info);
out:
	mutex_unlock(&mgmt->lock);
	return err;
}

/**
 * umd_mgmt_send_recv() - exchange a request and a reply with a managed UMD
 * @mgmt: the UMD
 * @in: request, written completely
 * @in_len: request size
 * @out: room for the reply, read completely
 * @out_len: exact reply size
 *
 * Under @mgmt->lock: if the loader module is not loaded, drops the lock,
 * calls request_module(@mgmt->kmod), retakes the lock and fails with
 * -ENOPROTOOPT if it is still not loaded; cleans up a handler that exited
 * since the last call; starts a handler if none runs (and runs post_start,
 * stopping the handler again if that fails); then umd_send_recv(). On any
 * error of the exchange (including the handler dying mid-message or the
 * timeout) the handler is shut down and the error returned, so the next
 * call starts a fresh one. The request is never resent: retrying is the
 * caller's decision.
 *
 * Context: process context, may sleep; waits for the lock killably.
 * Return: 0 on success; -ENOPROTOOPT if the loader could not be loaded;
 * -EINTR if a fatal signal arrived while waiting for the lock; the error of
 * starting the handler or of post_start; an error of umd_send_recv().
 */
int umd_mgmt_send_recv(struct umd_mgmt *mgmt, void *in, size_t in_len,
		       void *out, size_t out_len)
{
	size_t got;

	return mgmt_exchange(mgmt, in, in_len, out, out_len, NULL, 0, &got);
}
EXPORT_SYMBOL_GPL(umd_mgmt_send_recv);

/**
 * umd_mgmt_send_recv_var() - umd_mgmt_send_recv() for a self-sized reply
 * @mgmt: the UMD
 * @in: request, written completely
 * @in_len: request size
 * @out: room for the reply, @out_max bytes
 * @head_len: bytes of the reply read first, 1..@out_max
 * @out_max: the longest reply accepted
 * @reply_len: given the first @head_len bytes, returns the whole reply's
 *	length, or a negative errno to refuse it; called under @mgmt->lock,
 *	must not sleep or call into the library
 * @out_len: set to the reply's length on success
 *
 * For a reply whose first @head_len bytes give its length; not in the RFC.
 * Everything else is as umd_mgmt_send_recv(): start on demand, one exchange
 * under the lock, the handler stopped after any error, including a refused
 * length (the rest of that reply is never read, so the stream is out of
 * step). Lets a protocol send only the rows a reply uses instead of a
 * fixed-size reply sized for the worst case.
 *
 * Context: process context, may sleep; waits for the lock killably.
 * Return: as umd_mgmt_send_recv(), plus -EMSGSIZE when @reply_len gave a
 * length below @head_len or above @out_max, the error @reply_len returned,
 * and -EINVAL (nothing sent) when @head_len is 0 or above @out_max or
 * @reply_len is NULL.
 */
int umd_mgmt_send_recv_var(struct umd_mgmt *mgmt, void *in, size_t in_len,
			   void *out, size_t head_len, size_t out_max,
			   long (*reply_len)(const void *head, size_t head_len),
			   size_t *out_len)
{
	if (!head_len || head_len > out_max || !reply_len)
		return -EINVAL;
	return mgmt_exchange(mgmt, in, in_len, out, out_max, reply_len,
			     head_len, out_len);
}
EXPORT_SYMBOL_GPL(umd_mgmt_send_recv_var);

/**
 * umd_mgmt_load() - load a UMD's blob and start its handler
 * @mgmt: the UMD (owned by the manager module)
 * @start: first byte of the handler binary (in the loader module)
 * @end: one past its last byte
 *
 * Called from the loader module's init. Copies the blob into a private tmpfs
 * mount (so @start..@end may be in .init.rodata), starts the handler, runs
 * post_start, and sets @mgmt->kmod_loaded. On failure everything is undone.
 *
 * Context: process context, may sleep; takes @mgmt->lock (killably).
 * Return: 0; -EBUSY if a blob is already loaded for @mgmt; -EINVAL for an
 * empty blob or a bad driver_name; -EINTR on a fatal signal; the error of
 * loading the blob, of exec (e.g. -ENOEXEC) or of post_start.
 */
int umd_mgmt_load(struct umd_mgmt *mgmt, char *start, char *end)
{
	int err;

	if (end <= start)
		return -EINVAL;
	if (mutex_lock_killable(&mgmt->lock))
		return -EINTR;
	if (mgmt->kmod_loaded) {
		err = -EBUSY;
		goto out;
	}
	err = umd_core_load_blob(&mgmt->info, start, end - start);
	if (err) {
		pr_err("%s: loading the blob failed: %d\n",
		       mgmt->info.driver_name, err);
		goto out;
	}
	err = umd_mgmt_start(mgmt);
	if (err) {
		umd_core_unload_blob(&mgmt->info);
		goto out;
	}
	mgmt->kmod_loaded = true;
out:
	mutex_unlock(&mgmt->lock);
	return err;
}
EXPORT_SYMBOL_GPL(umd_mgmt_load);

/**
 * umd_mgmt_unload() - stop a UMD's handler and remove its blob
 * @mgmt: the UMD
 *
 * Called from the loader module's exit: stops the handler (kills it, waits
 * for its exit, releases the channel), clears @mgmt->kmod_loaded and removes
 * the blob. The next umd_mgmt_send_recv() requests the loader again.
 *
 * Context: process context, may sleep; waits for @mgmt->lock (up to one
 * exchange, bounded by timeout_ms).
 */
void umd_mgmt_unload(struct umd_mgmt *mgmt)
{
	mutex_lock(&mgmt->lock);
	umd_core_stop(&mgmt->info);
	mgmt->kmod_loaded = false;
	umd_core_unload_blob(&mgmt->info);
	mutex_unlock(&mgmt->lock);
}
EXPORT_SYMBOL_GPL(umd_mgmt_unload);

/**
 * umd_mgmt_stop() - stop a UMD's running handler now
 * @mgmt: the UMD
 *
 * Kills the handler if one runs, waits for its exit and releases the
 * channel, so the next umd_mgmt_send_recv() starts a fresh one. For a caller
 * that got a reply it cannot trust: a retry then never meets the old,
 * still dying handler. The blob and @mgmt->kmod_loaded stay as they are.
 *
 * Context: process context, may sleep; waits for @mgmt->lock (up to one
 * exchange, bounded by timeout_ms).
 */
void umd_mgmt_stop(struct umd_mgmt *mgmt)
{
	mutex_lock(&mgmt->lock);
	umd_core_stop(&mgmt->info);
	mutex_unlock(&mgmt->lock);
}
EXPORT_SYMBOL_GPL(umd_mgmt_stop);

static int __init umd_mgmt_init(void)
{
	return 0;
}

static void __exit umd_mgmt_exit(void)
{
}

module_init(umd_mgmt_init);
module_exit(umd_mgmt_exit);

MODULE_DESCRIPTION("User mode driver management library (umd_mgmt RFC API) for stock kernels");
MODULE_LICENSE("GPL");
