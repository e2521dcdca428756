// SPDX-License-Identifier: GPL-2.0
/*
 * pgpumd_reqmod - proves that request_module() finds the project's modules.
 *
 * At init it calls request_module(target) and then looks up
 * pgpumd_smoke_ping() with symbol_get() (no link-time dependency, so
 * modprobe does not load pgpumd_smoke for us). Init fails with the error if
 * either step fails, so "modprobe pgpumd_reqmod" succeeds only when the
 * kernel really loaded the target through the usermode modprobe. The
 * request_module() return value is readable in
 * /sys/module/pgpumd_reqmod/parameters/result.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/kmod.h>

#include "pgpumd_smoke.h"

static char *target = "pgpumd_smoke";
module_param(target, charp, 0444);
MODULE_PARM_DESC(target, "module to request at init (default pgpumd_smoke)");

static int result = -1;
module_param(result, int, 0444);
MODULE_PARM_DESC(result, "return value of request_module() at init");

static int __init pgpumd_reqmod_init(void)
{
	u32 (*ping)(void);
	u32 magic;

	result = request_module("%s", target);
	pr_info("request_module(\"%s\") = %d\n", target, result);
	if (result < 0)
		return result;
	if (result > 0)
		return -ENOENT;

	ping = symbol_get(pgpumd_smoke_ping);
	if (!ping) {
		pr_err("pgpumd_smoke_ping not found after request_module\n");
		return -ENOENT;
	}
	magic = ping();
	symbol_put(pgpumd_smoke_ping);
	if (magic != PGPUMD_SMOKE_MAGIC) {
		pr_err("unexpected ping reply %#x\n", magic);
		return -EPROTO;
	}
	return 0;
}

static void __exit pgpumd_reqmod_exit(void)
{
}

module_init(pgpumd_reqmod_init);
module_exit(pgpumd_reqmod_exit);

MODULE_DESCRIPTION("pgp-umd VM harness: request_module() test");
MODULE_LICENSE("GPL");
