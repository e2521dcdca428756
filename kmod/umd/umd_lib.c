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
		 "bound on one exchange with a handler, and on the time it takes to seal itself, ms (1..600000, default 5000)");

/*
 * A handler's life is bounded: it is replaced before an exchange once it has
 * answered max_requests exchanges or runs for max_age_s seconds, so a
 * handler that went bad in a way no reply shows does not serve for ever.
 */
#define UMD_MAX_REQUESTS_DEFAULT	1000
#define UMD_MAX_REQUESTS_MAX		1000000
#define UMD_MAX_AGE_S_DEFAULT		600
#define UMD_MAX_AGE_S_MAX		86400

static unsigned int max_requests = UMD_MAX_REQUESTS_DEFAULT;
static unsigned int max_age_s = UMD_MAX_AGE_S_DEFAULT;

static int bounded_uint_set(const char *val, unsigned int *dst, unsigned int max)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < 1 || v > max)
		return -EINVAL;
	WRITE_ONCE(*dst, v);
	return 0;
}

static int max_requests_set(const char *val, const struct kernel_param *kp)
{
	return bounded_uint_set(val, &max_requests, UMD_MAX_REQUESTS_MAX);
}

static int max_age_s_set(const char *val, const struct kernel_param *kp)
{
	return bounded_uint_set(val, &max_age_s, UMD_MAX_AGE_S_MAX);
}

static const struct kernel_param_ops max_requests_ops = {
	.set = max_requests_set,
	.get = param_get_uint,
};

static const struct kernel_param_ops max_age_s_ops = {
	.set = max_age_s_set,
	.get = param_get_uint,
};

module_param_cb(max_requests, &max_requests_ops, &max_requests, 0644);
MODULE_PARM_DESC(max_requests,
		 "a handler is replaced after this many exchanges (1..1000000, default 1000)");
module_param_cb(max_age_s, &max_age_s_ops, &max_age_s, 0644);
MODULE_PARM_DESC(max_age_s,
		 "a handler is replaced after running this many seconds (1..86400, default 600)");

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

/*
 * Start the handler, wait until it sealed itself, and run post_start; undo
 * the start if any of that fails.
 */
static int umd_mgmt_start(struct umd_mgmt *mgmt)
{
	int err;

	err = umd_core_start(&mgmt->info, &mgmt->keep_caps, mgmt->blob_sha256);
	if (err) {
		pr_err_ratelimited("%s: starting the handler failed: %d\n",
				   mgmt->info.driver_name, err);
		return err;
	}
	mgmt->started = jiffies;
	mgmt->requests = 0;
	err = umd_core_wait_sealed(&mgmt->info, &mgmt->keep_caps,
				   READ_ONCE(timeout_ms));
	if (err) {
		umd_core_stop(&mgmt->info);
		return err;
	}
	if (mgmt->post_start) {
		err = mgmt->post_start(mgmt);
		if (err) {
			pr_err_ratelimited("%s: post_start failed: %d\n",
					   mgmt->info.driver_name, err);
			umd_core_stop(&mgmt->info);
		}
	}
	return err;
}

/* Has the running handler reached the end of its life (max_requests, max_age_s)? */
static bool umd_mgmt_worn_out(const struct umd_mgmt *mgmt)
{
	return mgmt->requests >= READ_ONCE(max_requests) ||
	       time_after(jiffies, mgmt->started +
			  (unsigned long)READ_ONCE(max_age_s) * HZ);
}

/**
 * umd_mgmt_exchange() - one checked exchange with a managed UMD
 * @mgmt: the UMD
 * @x: the request, room for the reply, an optional length callback and an
 *	optional check (see struct umd_exchange); @x->got is set on success
 *
 * Under @mgmt->lock: if the loader module is not loaded, drops the lock,
 * calls request_module(@mgmt->kmod), retakes the lock and fails with
 * -ENOPROTOOPT if it is still not loaded; cleans up a handler that exited
 * since the last call; replaces a handler that answered max_requests
 * exchanges or has run max_age_s seconds; starts a handler if none runs
 * (waiting until it sealed itself, then running post_start); exchanges
 * @x->in for a reply; then runs @x->check on the reply. On any error of the
 * exchange (including the handler dying mid-message, the timeout, or bytes
 * after the reply) or of @x->check, the handler is stopped before the lock is
 * released, so the next call starts a fresh one and no other caller's
 * handler is ever stopped by mistake; so it is when @x->check says
 * UMD_REPLY_RETIRE. The request is never resent: retrying is the caller's
 * decision.
 *
 * Context: process context, may sleep; waits for the lock killably.
 * Return: 0 on success; -ENOPROTOOPT if the loader could not be loaded;
 * -EINTR if a fatal signal arrived while waiting for the lock; the error of
 * starting the handler (-EIO for a handler that did not seal itself) or of
 * post_start; an error of umd_send_recv(); -EMSGSIZE when @x->reply_len gave
 * a length below @x->head_len or above @x->out_len, or the error it
 * returned; the error @x->check returned; -EINVAL (nothing sent) when
 * @x->reply_len is set and @x->head_len is 0 or above @x->out_len.
 */
int umd_mgmt_exchange(struct umd_mgmt *mgmt, struct umd_exchange *x)
{
	int err;

	if (x->reply_len && (!x->head_len || x->head_len > x->out_len))
		return -EINVAL;
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
	if (mgmt->info.tgid &&
	    (umd_core_exited(&mgmt->info) || umd_mgmt_worn_out(mgmt)))
		umd_core_stop(&mgmt->info);
	if (!mgmt->info.tgid) {
		err = umd_mgmt_start(mgmt);
		if (err)
			goto out;
	}
	err = umd_core_send_recv(&mgmt->info, x->in, x->in_len, x->out,
				 x->out_len, x->reply_len, x->head_len, &x->got,
				 READ_ONCE(timeout_ms));
	mgmt->requests++;
	if (!err && x->check)
		err = x->check(x->ctx, x->out, x->got);
	if (err == UMD_REPLY_RETIRE)
		err = 0;	/* a good reply from a handler not to be used again */
	else if (err > 0)
		err = -EINVAL;	/* not a verdict @x->check may give */
	else if (!err)
		goto out;
	umd_core_stop(&mgmt->info);
out:
	mutex_unlock(&mgmt->lock);
	return err;
}
EXPORT_SYMBOL_GPL(umd_mgmt_exchange);

/**
 * umd_mgmt_send_recv() - exchange a request and a reply with a managed UMD
 * @mgmt: the UMD
 * @in: request, written completely
 * @in_len: request size
 * @out: room for the reply, read completely
 * @out_len: exact reply size
 *
 * umd_mgmt_exchange() without a check: under @mgmt->lock, loads the loader
 * on demand, replaces an exited or worn-out handler, starts one if none runs
 * (it must seal itself; then post_start), then umd_send_recv(). On any error
 * of the exchange (including the handler dying mid-message, the timeout, or
 * bytes after the reply) the handler is shut down and the error returned, so
 * the next call starts a fresh one. The request is never resent: retrying is
 * the caller's decision.
 *
 * Context: process context, may sleep; waits for the lock killably.
 * Return: as umd_mgmt_exchange().
 */
int umd_mgmt_send_recv(struct umd_mgmt *mgmt, void *in, size_t in_len,
		       void *out, size_t out_len)
{
	struct umd_exchange x = {
		.in = in, .in_len = in_len, .out = out, .out_len = out_len,
	};

	return umd_mgmt_exchange(mgmt, &x);
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
	struct umd_exchange x = {
		.in = in, .in_len = in_len, .out = out, .out_len = out_max,
		.reply_len = reply_len, .head_len = head_len,
	};
	int err;

	if (!reply_len)
		return -EINVAL;
	err = umd_mgmt_exchange(mgmt, &x);
	if (!err)
		*out_len = x.got;
	return err;
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
	err = umd_core_load_blob(&mgmt->info, start, end - start,
				 mgmt->blob_sha256);
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
