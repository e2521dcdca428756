// SPDX-License-Identifier: GPL-2.0
/*
 * sample_umd_mgr - the manager of the sample UMD, a template for users of
 * umd_mgmt.ko (docs/umd_mgmt.md).
 *
 * It owns struct umd_mgmt sample_mgmt and offers
 * /sys/kernel/security/sample_umd:
 *  - write a decimal offset in [0, 128 KiB): the manager sends it to the
 *    handler (umd_mgmt_send_recv(), which loads the loader module and starts
 *    the handler when needed), checks the 128 KiB reply (the byte at the
 *    offset 1, all others 0) and returns the written length, or the error;
 *  - read: the pid of the running handler, 0 if none runs.
 * The loader (sample_umd_loader.ko) embeds the handler and calls
 * umd_mgmt_load()/umd_mgmt_unload() on sample_mgmt.
 *
 * Test-only parameters: loader= names another loader module (the VM tests
 * use sample_umd_loader_test and sample_umd_noexec), and test_ops=1 accepts
 * the words "stall" (the request the test handler never answers) and "big"
 * (an exchange with the PGP UMD's message sizes, see sample_umd.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "pgp_umd_proto.h"
#include "sample_umd.h"
#include "sample_umd_check.h"

static_assert(SAMPLE_UMD_BIG_IN == sizeof(struct pgp_umd_request_header) +
				   PGP_UMD_MAX_PAYLOAD);
static_assert(SAMPLE_UMD_BIG_OUT == sizeof(struct pgp_umd_reply));

static char *loader = "sample_umd_loader";
module_param(loader, charp, 0444);
MODULE_PARM_DESC(loader, "loader module requested on demand (default sample_umd_loader)");

static bool test_ops;
module_param(test_ops, bool, 0444);
MODULE_PARM_DESC(test_ops, "TESTS ONLY: accept \"stall\" and \"big\" (default off)");

/* One round trip: the request @offset, and a check of the reply. */
static int sample_umd_round_trip(struct umd_mgmt *mgmt, u32 offset,
				 bool locked)
{
	u8 *reply;
	int err;

	reply = kvmalloc(SAMPLE_UMD_REPLY_LEN, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	if (locked)
		err = umd_send_recv(&mgmt->info, &offset, sizeof(offset),
				    reply, SAMPLE_UMD_REPLY_LEN);
	else
		err = umd_mgmt_send_recv(mgmt, &offset, sizeof(offset),
					 reply, SAMPLE_UMD_REPLY_LEN);
	if (!err)
		err = sample_umd_check_reply(reply, SAMPLE_UMD_REPLY_LEN,
					     offset);
	kvfree(reply);
	return err;
}

/*
 * Test-only: one exchange with the PGP UMD's sizes (SAMPLE_UMD_BIG_IN bytes
 * after the 4-byte request, a SAMPLE_UMD_BIG_OUT-byte reply) through the
 * same umd_mgmt_send_recv() call a PGP manager makes.
 */
static int sample_umd_big(struct umd_mgmt *mgmt)
{
	size_t in_len = sizeof(u32) + SAMPLE_UMD_BIG_IN;
	u8 *in, *out;
	size_t i;
	int err;

	in = kvmalloc(in_len, GFP_KERNEL);
	out = kvmalloc(SAMPLE_UMD_BIG_OUT, GFP_KERNEL);
	if (!in || !out) {
		err = -ENOMEM;
		goto out;
	}
	*(u32 *)in = SAMPLE_UMD_BIG;
	for (i = sizeof(u32); i < in_len; i++)
		in[i] = (u8)(i * 7 + 3);
	err = umd_mgmt_send_recv(mgmt, in, in_len, out, SAMPLE_UMD_BIG_OUT);
	if (!err && memcmp(out, in + in_len - SAMPLE_UMD_BIG_OUT,
			   SAMPLE_UMD_BIG_OUT))
		err = -EBADMSG;
out:
	kvfree(out);
	kvfree(in);
	return err;
}

/* Health check of a new handler; runs under sample_mgmt.lock. */
static int sample_umd_post_start(struct umd_mgmt *mgmt)
{
	return sample_umd_round_trip(mgmt, 0, true);
}

struct umd_mgmt sample_mgmt = {
	.info.driver_name = "sample_umd",
	.lock = __MUTEX_INITIALIZER(sample_mgmt.lock),
	.post_start = sample_umd_post_start,
	.kmod = "sample_umd_loader",
};
EXPORT_SYMBOL_GPL(sample_mgmt);

static struct dentry *sample_umd_file;

static ssize_t sample_umd_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	char text[16];
	u32 offset;
	int err;

	if (!count || count >= sizeof(text))
		return -EINVAL;
	if (copy_from_user(text, buf, count))
		return -EFAULT;
	text[count] = '\0';
	if (test_ops && sysfs_streq(text, "big")) {
		err = sample_umd_big(&sample_mgmt);
		return err ? err : count;
	}
	if (test_ops && sysfs_streq(text, "stall")) {
		offset = SAMPLE_UMD_STALL;
	} else {
		err = kstrtou32(text, 10, &offset);
		if (err)
			return err;
		if (offset >= SAMPLE_UMD_REPLY_LEN)
			return -EINVAL;
	}
	err = sample_umd_round_trip(&sample_mgmt, offset, false);
	return err ? err : count;
}

static ssize_t sample_umd_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	char text[16];
	int len;

	if (mutex_lock_killable(&sample_mgmt.lock))
		return -EINTR;
	len = scnprintf(text, sizeof(text), "%d\n",
			sample_mgmt.info.tgid ? pid_nr(sample_mgmt.info.tgid) : 0);
	mutex_unlock(&sample_mgmt.lock);
	return simple_read_from_buffer(buf, count, ppos, text, len);
}

static const struct file_operations sample_umd_fops = {
	.owner = THIS_MODULE,
	.write = sample_umd_write,
	.read = sample_umd_read,
};

static int __init sample_umd_mgr_init(void)
{
	sample_mgmt.kmod = loader;
	sample_umd_file = securityfs_create_file("sample_umd", 0600, NULL, NULL,
						 &sample_umd_fops);
	if (IS_ERR(sample_umd_file))
		return PTR_ERR(sample_umd_file);
	return 0;
}

static void __exit sample_umd_mgr_exit(void)
{
	securityfs_remove(sample_umd_file);
	/*
	 * Every loader module uses sample_mgmt, so none is loaded now, and
	 * umd_mgmt_unload() has stopped the handler.
	 */
}

module_init(sample_umd_mgr_init);
module_exit(sample_umd_mgr_exit);

MODULE_DESCRIPTION("Sample user mode driver: manager (securityfs sample_umd)");
MODULE_LICENSE("GPL");
