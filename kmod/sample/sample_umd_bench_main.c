// SPDX-License-Identifier: GPL-2.0
/*
 * sample_umd_bench - BENCHMARK ONLY (selftests/umd_bench.sh): measures, in
 * the kernel, with ktime, on its own struct umd_mgmt and the sample handler:
 *  - start latency: umd_mgmt_load() from the blob in memory to the first
 *    reply (blob written into a new tmpfs, exec, post_start round trip),
 *    then umd_mgmt_unload(); @starts times;
 *  - round trip: umd_mgmt_send_recv() of a 4-byte request with a 128 KiB
 *    reply (checked), @round_trips times on one handler.
 * The figures go to the kernel log; init then fails with -EAGAIN on purpose
 * so the module never stays loaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "sample_umd.h"
#include "sample_umd_check.h"

static unsigned int starts = 20;
module_param(starts, uint, 0444);
MODULE_PARM_DESC(starts, "handler starts to time (default 20)");

static unsigned int round_trips = 500;
module_param(round_trips, uint, 0444);
MODULE_PARM_DESC(round_trips, "round trips to time (default 500)");

extern char sample_umd_bench_blob_start[], sample_umd_bench_blob_end[];

static u8 *bench_reply;

static int bench_post_start(struct umd_mgmt *mgmt)
{
	u32 offset = 0;
	int err;

	err = umd_send_recv(&mgmt->info, &offset, sizeof(offset), bench_reply,
			    SAMPLE_UMD_REPLY_LEN);
	return err ?: sample_umd_check_reply(bench_reply, SAMPLE_UMD_REPLY_LEN,
					     offset);
}

static struct umd_mgmt bench_mgmt = {
	.info.driver_name = "sample_umd_bench",
	.lock = __MUTEX_INITIALIZER(bench_mgmt.lock),
	.post_start = bench_post_start,
	.kmod = NULL,
};

static int cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, s64 *ns, unsigned int n)
{
	s64 sum = 0;
	unsigned int i;

	sort(ns, n, sizeof(*ns), cmp_s64, NULL);
	for (i = 0; i < n; i++)
		sum += ns[i];
	pr_info("%s: n=%u min=%lld us median=%lld us mean=%lld us max=%lld us\n",
		what, n, ns[0] / 1000, ns[n / 2] / 1000,
		div_s64(sum, n) / 1000, ns[n - 1] / 1000);
}

static int __init sample_umd_bench_init(void)
{
	unsigned int n = max(starts, round_trips), i;
	s64 *ns;
	int err = 0;

	if (!starts || !round_trips)
		return -EINVAL;
	ns = kvmalloc_array(n, sizeof(*ns), GFP_KERNEL);
	bench_reply = kvmalloc(SAMPLE_UMD_REPLY_LEN, GFP_KERNEL);
	if (!ns || !bench_reply) {
		err = -ENOMEM;
		goto out;
	}

	for (i = 0; i < starts; i++) {
		ktime_t t0 = ktime_get();

		err = umd_mgmt_load(&bench_mgmt, sample_umd_bench_blob_start,
				    sample_umd_bench_blob_end);
		ns[i] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		if (err)
			goto out;
		if (i + 1 < starts)
			umd_mgmt_unload(&bench_mgmt);
	}
	report("start (blob load to first reply)", ns, starts);

	for (i = 0; i < round_trips; i++) {
		u32 offset = (i * 7919) % SAMPLE_UMD_REPLY_LEN;
		ktime_t t0 = ktime_get();

		err = umd_mgmt_send_recv(&bench_mgmt, &offset, sizeof(offset),
					 bench_reply, SAMPLE_UMD_REPLY_LEN);
		ns[i] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		if (!err)
			err = sample_umd_check_reply(bench_reply,
						     SAMPLE_UMD_REPLY_LEN, offset);
		if (err)
			break;
	}
	umd_mgmt_unload(&bench_mgmt);
	if (!err)
		report("round trip (4-byte request, 128 KiB reply)", ns,
		       round_trips);
out:
	if (err)
		pr_err("failed: %d\n", err);
	kvfree(bench_reply);
	kvfree(ns);
	return err ?: -EAGAIN;
}

module_init(sample_umd_bench_init);

MODULE_DESCRIPTION("Sample user mode driver: BENCHMARK-ONLY start and round-trip timing");
MODULE_LICENSE("GPL");
