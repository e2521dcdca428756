// SPDX-License-Identifier: GPL-2.0
/*
 * UMD core: what the kernel's own usermode_driver.c did, on exported symbols
 * only (that code is not built in Debian's kernels, not exported, and gone
 * upstream since 6.17).
 *
 * - The blob is written into a file of a private tmpfs mount (kern_mount:
 *   attached to no mount namespace) by a kworker, whose last fput is then
 *   flushed: written from the loader's own (insmod) context, the final fput
 *   would wait for that task's return to user space and exec would fail with
 *   -ETXTBSY.
 * - The channel is a kernel AF_UNIX stream socket pair. The handler's end is
 *   a socket file (sock_alloc_file) installed as its fds 0 and 1; the
 *   kernel's end is a socket file too, held in umd_info.pipe_to_umh (and
 *   aliased by pipe_from_umh). Socket files hold no reference on this module
 *   or a loader, so rmmod works while a handler runs, and MSG_NOSIGNAL keeps
 *   SIGPIPE away from the calling task. No device node, no path: no other
 *   process can open the channel.
 * - The helper is started with call_usermodehelper_exec(UMH_WAIT_EXEC); its
 *   start callback (in the new task, before exec) drops its capabilities,
 *   points its cwd at the tmpfs root and installs the channel.
 * - Files are released from a work item followed by flush_delayed_fput(), so
 *   the release is finished when the caller goes on (and never runs from the
 *   task_work of a task whose module init failed).
 */
#define pr_fmt(fmt) "umd_mgmt: " fmt

#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/jiffies.h>
#include <linux/mount.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/umh.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "pgp_umd_compat.h"
#include "umd_core.h"
#include "umd_xfer.h"

/* ---- work items: things that must not run in the caller's context ---- */

struct umd_work {
	struct work_struct work;
	struct umd_info *info;
	const void *data;
	size_t len;
	struct file *file;
	int err;
};

static void umd_run_work(struct umd_work *w, work_func_t fn)
{
	INIT_WORK_ONSTACK(&w->work, fn);
	queue_work(system_unbound_wq, &w->work);
	flush_work(&w->work);
	destroy_work_on_stack(&w->work);
}

static void umd_fput_fn(struct work_struct *work)
{
	struct umd_work *w = container_of(work, struct umd_work, work);

	fput(w->file);
	flush_delayed_fput();
}

/*
 * Drop a file reference and finish its release before returning: from a
 * kworker, fput() queues the release on the delayed list, which
 * flush_delayed_fput() runs at once.
 */
static void umd_fput_sync(struct file *file)
{
	struct umd_work w = { .file = file };

	umd_run_work(&w, umd_fput_fn);
}

/* ---- the blob ---- */

static void umd_blob_fn(struct work_struct *work)
{
	struct umd_work *w = container_of(work, struct umd_work, work);
	struct file_system_type *type;
	struct vfsmount *mnt;
	struct file *file;
	loff_t pos = 0;
	ssize_t written;

	type = get_fs_type("tmpfs");
	if (!type) {
		w->err = -ENODEV;
		return;
	}
	mnt = kern_mount(type);
	/* put_filesystem() is not exported; this is what it does. */
	module_put(type->owner);
	if (IS_ERR(mnt)) {
		w->err = PTR_ERR(mnt);
		return;
	}
	file = file_open_root_mnt(mnt, w->info->driver_name,
				  O_CREAT | O_EXCL | O_WRONLY, 0700);
	if (IS_ERR(file)) {
		w->err = PTR_ERR(file);
		kern_unmount(mnt);
		return;
	}
	written = kernel_write(file, w->data, w->len, &pos);
	fput(file);
	/* The last reference must be gone before exec, or exec sees -ETXTBSY. */
	flush_delayed_fput();
	if (written != (ssize_t)w->len) {
		w->err = written < 0 ? (int)written : -EIO;
		kern_unmount(mnt);
		return;
	}
	w->info->wd.mnt = mnt;
	w->info->wd.dentry = mnt->mnt_root;
	w->err = 0;
}

/**
 * umd_core_load_blob() - put a handler binary into a private tmpfs
 * @info: @info->driver_name is the file name (no '/'); @info->wd receives
 *	the mount
 * @data: the binary
 * @len: its size
 *
 * Context: process context, may sleep. The write runs in a kworker.
 * Return: 0, -EINVAL for a bad name or an empty blob, -EBUSY if a blob is
 * already loaded, or the error of mounting, creating or writing the file.
 */
int umd_core_load_blob(struct umd_info *info, const void *data, size_t len)
{
	struct umd_work w = { .info = info, .data = data, .len = len };

	if (!info->driver_name || !info->driver_name[0] ||
	    strchr(info->driver_name, '/') || !len)
		return -EINVAL;
	if (info->wd.mnt)
		return -EBUSY;
	umd_run_work(&w, umd_blob_fn);
	return w.err;
}

/**
 * umd_core_unload_blob() - remove the private tmpfs and the binary in it
 * @info: as filled by umd_core_load_blob(); no handler may be running
 */
void umd_core_unload_blob(struct umd_info *info)
{
	if (!info->wd.mnt)
		return;
	kern_unmount(info->wd.mnt);
	info->wd.mnt = NULL;
	info->wd.dentry = NULL;
}

/* ---- start ---- */

struct umd_start {
	struct umd_info *info;
	struct file *helper_end;
	kernel_cap_t keep;
};

/*
 * set_fs_pwd() is not exported. This is its body, on the new task's own
 * fs_struct (call_usermodehelper does not share it: no CLONE_FS). It is the
 * one place that depends on a struct layout rather than an API: the locking
 * differs between kernels (pgp_umd_compat.h, which also checks at build time
 * that the members used here exist with these types); struct fs_struct is
 * __randomize_layout, which is safe as long as the module is built with the
 * kernel's own randstruct seed (docs/umd_mgmt.md).
 */
static int umd_set_pwd(const struct path *path)
{
	struct fs_struct *fs = current->fs;
	struct path old;

	pgp_umd_fs_write_lock(fs);
	if (fs->users != 1) {
		/* Shared with another task: never move someone else's cwd. */
		pgp_umd_fs_write_unlock(fs);
		return -EBUSY;
	}
	path_get(path);
	old = fs->pwd;
	fs->pwd = *path;
	pgp_umd_fs_write_unlock(fs);
	if (old.dentry)
		path_put(&old);
	return 0;
}

/*
 * Runs in the new task before exec. Least privilege: the uid-0 helper keeps
 * only st->keep (normally empty) in every capability set, so exec gives it
 * exactly that (a root exec gets bounding | inheritable); the ambient set is
 * emptied.
 */
static int umd_start_cb(struct subprocess_info *sub, struct cred *new)
{
	struct umd_start *st = sub->data;
	kernel_cap_t keep = cap_intersect(st->keep, new->cap_bset);
	int fd0, fd1, err;

	keep = cap_intersect(keep, new->cap_permitted);
	new->cap_bset = keep;
	new->cap_inheritable = cap_intersect(keep, new->cap_inheritable);
	new->cap_permitted = keep;
	new->cap_effective = keep;
	cap_clear(new->cap_ambient);

	err = umd_set_pwd(&st->info->wd);
	if (err)
		return err;

	/* The fd table is a copy of a kworker's (empty): 0 and 1 come first. */
	fd0 = get_unused_fd_flags(0);
	if (fd0 < 0)
		return fd0;
	fd1 = get_unused_fd_flags(0);
	if (fd1 < 0) {
		put_unused_fd(fd0);
		return fd1;
	}
	if (fd0 != 0 || fd1 != 1) {
		put_unused_fd(fd1);
		put_unused_fd(fd0);
		return -EBUSY;
	}
	fd_install(0, get_file(st->helper_end));
	fd_install(1, get_file(st->helper_end));

	st->info->tgid = get_pid(task_tgid(current));
	return 0;
}

/* Exited and reaped, or a zombie with no thread left (6.12 has no
 * thread_group_exited()).
 */
static bool umd_pid_exited(struct pid *pid)
{
	struct task_struct *task;
	bool exited;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_PID);
	exited = !task ||
		 (READ_ONCE(task->exit_state) && thread_group_empty(task));
	rcu_read_unlock();
	return exited;
}

/*
 * A SIGKILLed handler exits at once (its only blocking calls are socket reads
 * and writes); poll finely first, then coarsely. By the time it counts as
 * exited, its files and its mm (the blob's exe reference) are released.
 */
static void umd_wait_exit(struct pid *pid)
{
	unsigned int i;

	for (i = 0; !umd_pid_exited(pid); i++) {
		if (i < 1000) {
			usleep_range(50, 100);
		} else {
			if (i == 1000 + 500)
				pr_warn("handler %d still not gone after ~10 s\n",
					pid_nr(pid));
			msleep(20);
		}
	}
}

static int umd_socketpair(struct file **kernel_end, struct file **helper_end)
{
	struct socket *ks, *hs;
	struct file *kf, *hf;
	int err;

	err = sock_create_kern(&init_net, AF_UNIX, SOCK_STREAM, 0, &ks);
	if (err)
		return err;
	err = sock_create_kern(&init_net, AF_UNIX, SOCK_STREAM, 0, &hs);
	if (err) {
		sock_release(ks);
		return err;
	}
	err = ks->ops->socketpair(ks, hs);
	if (err) {
		sock_release(hs);
		sock_release(ks);
		return err;
	}
	kf = sock_alloc_file(ks, 0, NULL);	/* releases ks on failure */
	if (IS_ERR(kf)) {
		sock_release(hs);
		return PTR_ERR(kf);
	}
	hf = sock_alloc_file(hs, 0, NULL);	/* releases hs on failure */
	if (IS_ERR(hf)) {
		umd_fput_sync(kf);
		return PTR_ERR(hf);
	}
	*kernel_end = kf;
	*helper_end = hf;
	return 0;
}

/**
 * umd_core_start() - start the handler from the loaded blob
 * @info: with the blob loaded; receives the handler's tgid and channel
 * @keep: capabilities the handler keeps (normally none)
 *
 * Returns once exec succeeded or failed. On failure nothing is left behind:
 * the helper (if it got as far as being created) has exited and every file
 * reference is released.
 *
 * Context: process context, may sleep.
 * Return: 0, -EBUSY if a handler is already running, -ENOENT if no blob is
 * loaded, or the error of creating the channel or of exec (e.g. -ENOEXEC).
 */
int umd_core_start(struct umd_info *info, const kernel_cap_t *keep)
{
	static char *envp[] = { NULL };
	char *argv[] = { (char *)info->driver_name, NULL };
	struct umd_start st = { .info = info, .keep = *keep };
	struct subprocess_info *sub;
	struct file *kf;
	int err;

	if (info->tgid)
		return -EBUSY;
	if (!info->wd.mnt)
		return -ENOENT;
	err = umd_socketpair(&kf, &st.helper_end);
	if (err)
		return err;

	/* Relative path: resolved against the cwd umd_start_cb sets. */
	sub = call_usermodehelper_setup((char *)info->driver_name, argv, envp,
					GFP_KERNEL, umd_start_cb, NULL, &st);
	if (!sub) {
		err = -ENOMEM;
	} else {
		err = call_usermodehelper_exec(sub, UMH_WAIT_EXEC);
		if (err > 0)	/* not expected for UMH_WAIT_EXEC; be safe */
			err = -ECHILD;
	}
	if (err) {
		/*
		 * Exec failed (or the start callback did): the helper exits by
		 * itself. Wait for it before dropping our references, so ours
		 * are the last and are released here, not later.
		 */
		if (info->tgid) {
			kill_pid(info->tgid, SIGKILL, 1);
			umd_wait_exit(info->tgid);
			put_pid(info->tgid);
			info->tgid = NULL;
		}
		umd_fput_sync(st.helper_end);
		umd_fput_sync(kf);
		return err;
	}
	/* The helper holds fds 0 and 1; the kernel keeps only its own end. */
	umd_fput_sync(st.helper_end);
	info->pipe_to_umh = kf;
	info->pipe_from_umh = kf;
	return 0;
}

/**
 * umd_core_exited() - has the handler exited (or been killed)?
 * @info: a started handler
 *
 * Return: true if no handler runs for @info (also when none was started).
 */
bool umd_core_exited(struct umd_info *info)
{
	return !info->tgid || umd_pid_exited(info->tgid);
}

/**
 * umd_core_stop() - kill the handler, wait for its exit, release the channel
 * @info: a started handler; a no-op if none runs
 *
 * Context: process context, may sleep (briefly: a killed handler exits at
 * once). The blob stays loaded.
 */
void umd_core_stop(struct umd_info *info)
{
	if (info->tgid) {
		kill_pid(info->tgid, SIGKILL, 1);
		umd_wait_exit(info->tgid);
		put_pid(info->tgid);
		info->tgid = NULL;
	}
	if (info->pipe_to_umh) {
		umd_fput_sync(info->pipe_to_umh);
		info->pipe_to_umh = NULL;
		info->pipe_from_umh = NULL;
	}
}

/* ---- transfers ---- */

struct umd_stream {
	struct socket *sock;
	unsigned long deadline;
};

/* Time left until the deadline, in jiffies; 0 when it passed. */
static long umd_time_left(const struct umd_stream *s)
{
	long left = (long)(s->deadline - jiffies);

	return left > 0 ? left : 0;
}

static long umd_send_step(void *ctx, u8 *buf, size_t len)
{
	struct umd_stream *s = ctx;
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	long left = umd_time_left(s);

	if (!left)
		return -ETIMEDOUT;
	WRITE_ONCE(s->sock->sk->sk_sndtimeo, left);
	return kernel_sendmsg(s->sock, &msg, &iov, 1, len);
}

static long umd_recv_step(void *ctx, u8 *buf, size_t len)
{
	struct umd_stream *s = ctx;
	struct msghdr msg = { };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	long left = umd_time_left(s);

	if (!left)
		return -ETIMEDOUT;
	WRITE_ONCE(s->sock->sk->sk_rcvtimeo, left);
	return kernel_recvmsg(s->sock, &msg, &iov, 1, len, MSG_WAITALL);
}

/**
 * umd_core_send_recv() - one request/reply exchange with the handler
 * @info: a started handler
 * @in: the request, written completely
 * @in_len: its size
 * @out: room for the reply
 * @out_len: the reply's exact size, or with @reply_len the largest accepted
 * @reply_len: NULL for a reply of exactly @out_len bytes; else it is given
 *	the first @head_len bytes and decides the whole length
 * @head_len: with @reply_len, the bytes read first
 * @got: set to the reply's length on success
 * @timeout_ms: bound on the whole exchange
 *
 * Both directions loop over partial transfers, so either message may be far
 * larger than the socket buffer. Every wait is interruptible (so killable)
 * and ends at the deadline.
 *
 * Context: process context, may sleep up to @timeout_ms.
 * Return: 0; -EFAULT if no handler runs; -EPIPE if the handler closed the
 * channel or died; -ETIMEDOUT; -EINTR on a signal; -EMSGSIZE or the error of
 * @reply_len for a refused length; another negative errno from the socket
 * layer. After an error the stream is out of step: stop the handler.
 */
int umd_core_send_recv(struct umd_info *info, void *in, size_t in_len,
		       void *out, size_t out_len, umd_reply_len_t reply_len,
		       size_t head_len, size_t *got, unsigned int timeout_ms)
{
	struct umd_stream s;
	int err;

	if (!info->tgid || !info->pipe_to_umh)
		return -EFAULT;
	s.sock = sock_from_file(info->pipe_to_umh);
	if (!s.sock)
		return -EFAULT;
	s.deadline = jiffies + msecs_to_jiffies(timeout_ms);
	err = umd_xfer_all(umd_send_step, &s, in, in_len);
	if (err)
		return err;
	if (reply_len)
		return umd_xfer_reply(umd_recv_step, &s, out, head_len, out_len,
				      reply_len, got);
	err = umd_xfer_all(umd_recv_step, &s, out, out_len);
	if (!err)
		*got = out_len;
	return err;
}
