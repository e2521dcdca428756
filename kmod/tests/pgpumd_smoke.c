// SPDX-License-Identifier: GPL-2.0
/*
 * pgpumd_smoke - the smallest module of the project, for the VM harness.
 *
 * It loads, logs, exports one function that pgpumd_reqmod looks up with
 * symbol_get() after request_module(), and unloads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>

#include "pgpumd_smoke.h"

u32 pgpumd_smoke_ping(void)
{
	return PGPUMD_SMOKE_MAGIC;
}
EXPORT_SYMBOL_GPL(pgpumd_smoke_ping);

static int __init pgpumd_smoke_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit pgpumd_smoke_exit(void)
{
	pr_info("unloaded\n");
}

module_init(pgpumd_smoke_init);
module_exit(pgpumd_smoke_exit);

MODULE_DESCRIPTION("pgp-umd VM harness smoke-test module");
MODULE_LICENSE("GPL");
