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
 *   start callback (in the new task, before exec) leaves it only the
 *   capabilities it needs to leave root itself (umd_switch_caps()), sets
 *   no_new_privs, points its cwd at the tmpfs root and installs the channel.
 * - The blob's SHA-256 is kept; before every exec the file in the tmpfs is
 *   hashed again and the start refused if it changed (root can reach the
 *   file through /proc/PID/cwd of a running handler).
 * - After exec, the handler must drop to UMD_HANDLER_ID (every uid and gid,
 *   no groups, no capabilities beyond the UMD's keep set) and seal itself
 *   (seccomp filter mode, no_new_privs) before the first request is sent:
 *   umd_core_wait_sealed() checks it from the kernel side.
 * - Files are released from a work item followed by flush_delayed_fput(), so
 *   the release is finished when the caller goes on (and never runs from the
 *   task_work of a task whose module init failed).
 */
#define pr_fmt(fmt) "umd_mgmt: " fmt

#include <crypto/hash.h>
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
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seccomp.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/umh.h>
#include <linux/user_namespace.h>
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

/* ---- the blob's digest ---- */

/* Bytes of the blob file read at once when it is hashed before an exec. */
#define UMD_HASH_CHUNK	(64 * 1024)

/*
 * SHA-256 of @len bytes at @data, or (@data NULL) of the whole file @file.
 * The crypto API, not lib/crypto: its interface is the same on every
 * supported kernel.
 */
static int umd_sha256(const void *data, size_t len, struct file *file,
		      u8 digest[UMD_DIGEST_SIZE])
{
	struct crypto_shash *tfm;
	u8 *chunk = NULL;
	loff_t pos = 0;
	int err;

	tfm = crypto_alloc_shash("sha256", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	if (crypto_shash_digestsize(tfm) != UMD_DIGEST_SIZE) {
		err = -EINVAL;
		goto out;
	}
	if (data) {
		err = crypto_shash_tfm_digest(tfm, data, len, digest);
		goto out;
	}
	chunk = kmalloc(UMD_HASH_CHUNK, GFP_KERNEL);
	if (!chunk) {
		err = -ENOMEM;
		goto out;
	}
	{
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		err = crypto_shash_init(desc);
		while (!err) {
			ssize_t n = kernel_read(file, chunk, UMD_HASH_CHUNK, &pos);

			if (n <= 0) {
				err = (int)n;
				break;
			}
			err = crypto_shash_update(desc, chunk, n);
		}
		if (!err)
			err = crypto_shash_final(desc, digest);
		shash_desc_zero(desc);
	}
out:
	kfree(chunk);
	crypto_free_shash(tfm);
	return err;
}

/*
 * Is the blob file in the tmpfs still the blob that was loaded? Opened
 * read-only from the caller's context: its release needs nothing of ours.
 */
static int umd_check_blob(struct umd_info *info,
			  const u8 want[UMD_DIGEST_SIZE])
{
	u8 got[UMD_DIGEST_SIZE];
	struct file *file;
	int err;

	file = file_open_root_mnt(info->wd.mnt, info->driver_name, O_RDONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	err = umd_sha256(NULL, 0, file, got);
	fput(file);
	if (err)
		return err;
	if (memcmp(got, want, UMD_DIGEST_SIZE)) {
		pr_err_ratelimited("%s: the blob file changed since it was loaded; not started\n",
				   info->driver_name);
		return -EIO;
	}
	return 0;
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
	/* Root's, and executable by the unprivileged handler (read + exec). */
	file = file_open_root_mnt(mnt, w->info->driver_name,
				  O_CREAT | O_EXCL | O_WRONLY, 0555);
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
 * @digest: receives the binary's SHA-256, which umd_core_start() checks the
 *	file against before every exec
 *
 * Context: process context, may sleep. The write runs in a kworker.
 * Return: 0, -EINVAL for a bad name or an empty blob, -EBUSY if a blob is
 * already loaded, the error of hashing it, or the error of mounting,
 * creating or writing the file.
 */
int umd_core_load_blob(struct umd_info *info, const void *data, size_t len,
		       u8 digest[UMD_DIGEST_SIZE])
{
	struct umd_work w = { .info = info, .data = data, .len = len };
	int err;

	if (!info->driver_name || !info->driver_name[0] ||
	    strchr(info->driver_name, '/') || !len)
		return -EINVAL;
	if (info->wd.mnt)
		return -EBUSY;
	err = umd_sha256(data, len, NULL, digest);
	if (err)
		return err;
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
 * Capabilities the helper gets only to leave root itself: setgroups and
 * setresgid, PR_CAPBSET_DROP, setresuid (umd-runtime's drop_root()). The
 * ids cannot be changed here, in the credentials the usermode helper
 * commits: the helper's task was counted against root's process count
 * (RLIMIT_NPROC ucounts) when it was created, and moving that count to the
 * new uid needs functions that are not exported; exec would then charge the
 * new uid's count and the task's exit would uncharge one never charged. The
 * setuid system calls move it. umd_core_wait_sealed() checks the result.
 */
static kernel_cap_t umd_switch_caps(void)
{
	kernel_cap_t caps;

	cap_clear(caps);
	cap_raise(caps, CAP_SETUID);
	cap_raise(caps, CAP_SETGID);
	cap_raise(caps, CAP_SETPCAP);
	return caps;
}

/*
 * The helper's credentials before exec: capabilities @keep and those of
 * umd_switch_caps() in the bounding, permitted and effective sets (a root
 * exec then has exactly them), @keep in the inheritable set, an empty
 * ambient set, and no_new_privs.
 */
static void umd_set_creds(struct cred *new, kernel_cap_t keep)
{
	kernel_cap_t give = cap_combine(keep, umd_switch_caps());

	give = cap_intersect(give, new->cap_bset);
	give = cap_intersect(give, new->cap_permitted);
	new->cap_bset = give;
	new->cap_inheritable = cap_intersect(keep, give);
	new->cap_permitted = give;
	new->cap_effective = give;
	cap_clear(new->cap_ambient);
	/* The new task is current; exec keeps the flag. */
	task_set_no_new_privs(current);
}

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
 * Runs in the new task before exec (the usermode helper commits @new right
 * after). Least privilege: see umd_set_creds().
 */
static int umd_start_cb(struct subprocess_info *sub, struct cred *new)
{
	struct umd_start *st = sub->data;
	int fd0, fd1, err;

	umd_set_creds(new, st->keep);

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
 *
 * The wait is bounded (UMD_EXIT_WAIT_MS) and ends early on a fatal signal of
 * the caller: a handler that cannot run (frozen by a cgroup v1 freezer,
 * stopped in uninterruptible sleep) must not hang every caller and rmmod. A
 * handler given up on is detached: it exits whenever it runs again, and what
 * it still holds (its end of the channel, the tmpfs through its cwd and exe)
 * needs nothing of this module.
 *
 * Return: true if the handler exited.
 */
static bool umd_wait_exit(struct pid *pid)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(UMD_EXIT_WAIT_MS);
	unsigned int i;

	for (i = 0; !umd_pid_exited(pid); i++) {
		if (fatal_signal_pending(current) || time_after(jiffies, deadline)) {
			pr_warn_ratelimited("handler %d did not exit %s; detached\n",
					    pid_nr(pid),
					    fatal_signal_pending(current) ?
					    "before the caller was killed" :
					    "within " __stringify(UMD_EXIT_WAIT_MS) " ms of SIGKILL");
			return false;
		}
		if (i < 1000)
			usleep_range(50, 100);
		else
			msleep(20);
	}
	return true;
}

/* Every id UMD_HANDLER_ID, no groups, capabilities within @keep. */
static bool umd_cred_ok(const struct cred *c, kernel_cap_t keep)
{
	kuid_t uid = make_kuid(&init_user_ns, UMD_HANDLER_ID);
	kgid_t gid = make_kgid(&init_user_ns, UMD_HANDLER_ID);

	return uid_eq(c->uid, uid) && uid_eq(c->euid, uid) &&
	       uid_eq(c->suid, uid) && uid_eq(c->fsuid, uid) &&
	       gid_eq(c->gid, gid) && gid_eq(c->egid, gid) &&
	       gid_eq(c->sgid, gid) && gid_eq(c->fsgid, gid) &&
	       (!c->group_info || !c->group_info->ngroups) &&
	       cap_issubset(c->cap_bset, keep) &&
	       cap_issubset(c->cap_permitted, keep) &&
	       cap_issubset(c->cap_effective, keep) &&
	       cap_issubset(c->cap_inheritable, keep) &&
	       cap_issubset(c->cap_ambient, keep);
}

/**
 * umd_core_wait_sealed() - wait until the handler has dropped root and
 *	sealed itself
 * @info: a started handler
 * @keep: the capabilities it may keep (normally none)
 * @wait_ms: how long it may take
 *
 * Before it reads its first request the handler must have become
 * UMD_HANDLER_ID (every uid and gid, no supplementary groups), hold no
 * capability beyond @keep in any set, have installed a seccomp filter and
 * have no_new_privs. A seccomp filter and no_new_privs are one-way, and the
 * filter forbids changing the rest, so once all hold they stay. Polled
 * (finely, then coarsely) from the kernel side: the task's seccomp mode,
 * task_no_new_privs() and its credentials.
 *
 * Context: process context, may sleep up to @wait_ms.
 * Return: 0 once all hold; -EIO (with one log line) if they do not within
 * @wait_ms; -EPIPE if the handler exited first; -EINTR on a fatal signal.
 * On an error the caller stops the handler.
 */
int umd_core_wait_sealed(struct umd_info *info, const kernel_cap_t *keep,
			 unsigned int wait_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(wait_ms);
	struct task_struct *task;
	int mode = 0, nnp = 0;
	bool creds = false;
	unsigned int i;

	if (!info->tgid)
		return -EPIPE;
	for (i = 0; ; i++) {
		rcu_read_lock();
		task = pid_task(info->tgid, PIDTYPE_PID);
		if (task) {
			mode = READ_ONCE(task->seccomp.mode);
			nnp = task_no_new_privs(task);
			creds = umd_cred_ok(__task_cred(task), *keep);
		}
		rcu_read_unlock();
		if (!task || umd_pid_exited(info->tgid))
			return -EPIPE;
		if (mode == SECCOMP_MODE_FILTER && nnp && creds)
			return 0;
		if (fatal_signal_pending(current))
			return -EINTR;
		if (time_after(jiffies, deadline))
			break;
		if (i < 200)
			usleep_range(100, 200);
		else
			usleep_range(5000, 10000);
	}
	pr_err_ratelimited("%s: handler %d not sealed after %u ms (seccomp mode %d, no_new_privs %d, unprivileged %d); refused\n",
			   info->driver_name, pid_nr(info->tgid), wait_ms, mode,
			   nnp, creds);
	return -EIO;
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
 * @digest: the blob's SHA-256 from umd_core_load_blob()
 *
 * Hashes the blob file first and refuses to run it if it changed. Returns
 * once exec succeeded or failed. On failure nothing is left behind: the
 * helper (if it got as far as being created) has exited and every file
 * reference is released.
 *
 * Context: process context, may sleep.
 * Return: 0, -EBUSY if a handler is already running, -ENOENT if no blob is
 * loaded, -EIO if the blob file no longer has @digest, -ENOEXEC if
 * the usermode helper started nothing (CONFIG_STATIC_USERMODEHELPER with an
 * empty path), or the error of hashing, of creating the channel or of exec.
 */
int umd_core_start(struct umd_info *info, const kernel_cap_t *keep,
		   const u8 digest[UMD_DIGEST_SIZE])
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
	err = umd_check_blob(info, digest);
	if (err)
		return err;
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
		/*
		 * With CONFIG_STATIC_USERMODEHELPER and an empty path, "exec"
		 * succeeds without creating a task: nothing runs.
		 */
		if (!err && !info->tgid)
			err = -ENOEXEC;
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
 * once; a handler that does not exit within UMD_EXIT_WAIT_MS, or before the
 * caller gets a fatal signal, is detached). The blob stays loaded.
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

/*
 * Are bytes waiting on the channel? A reply must be followed by nothing, and
 * nothing may wait before a request: either means the stream is out of step.
 */
static bool umd_bytes_waiting(struct socket *sock)
{
	struct msghdr msg = { };
	u8 byte;
	struct kvec iov = { .iov_base = &byte, .iov_len = 1 };

	return kernel_recvmsg(sock, &msg, &iov, 1, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

static int umd_exchange(struct umd_stream *s, void *in, size_t in_len,
			void *out, size_t out_len, umd_reply_len_t reply_len,
			size_t head_len, size_t *got)
{
	int err;

	if (umd_bytes_waiting(s->sock))
		return -EPROTO;
	err = umd_xfer_all(umd_send_step, s, in, in_len);
	if (err)
		return err;
	if (reply_len) {
		err = umd_xfer_reply(umd_recv_step, s, out, head_len, out_len,
				     reply_len, got);
	} else {
		err = umd_xfer_all(umd_recv_step, s, out, out_len);
		if (!err)
			*got = out_len;
	}
	if (!err && umd_bytes_waiting(s->sock))
		err = -EPROTO;
	return err;
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
 * larger than the socket buffer. Bytes already waiting before the request,
 * or right after the reply, are a protocol error. Every signal but SIGKILL
 * is blocked during the exchange (and delivered after it), so a signal the
 * caller catches neither aborts the request nor costs the handler; a fatal
 * signal ends every wait. Every wait ends at the deadline.
 *
 * Context: process context, may sleep up to @timeout_ms.
 * Return: 0; -EFAULT if no handler runs; -EPIPE if the handler closed the
 * channel or died; -ETIMEDOUT; -EINTR on a fatal signal; -EPROTO if bytes
 * waited before the request or after the reply; -EMSGSIZE or the error of
 * @reply_len for a refused length; another negative errno from the socket
 * layer. After an error the stream is out of step: stop the handler.
 */
int umd_core_send_recv(struct umd_info *info, void *in, size_t in_len,
		       void *out, size_t out_len, umd_reply_len_t reply_len,
		       size_t head_len, size_t *got, unsigned int timeout_ms)
{
	struct umd_stream s;
	sigset_t block, old;
	int err;

	if (!info->tgid || !info->pipe_to_umh)
		return -EFAULT;
	s.sock = sock_from_file(info->pipe_to_umh);
	if (!s.sock)
		return -EFAULT;
	s.deadline = jiffies + msecs_to_jiffies(timeout_ms);
	siginitsetinv(&block, sigmask(SIGKILL));
	sigprocmask(SIG_BLOCK, &block, &old);
	err = umd_exchange(&s, in, in_len, out, out_len, reply_len, head_len,
			   got);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err;
}
