// SPDX-License-Identifier: GPL-2.0
/*
 * pgpumd_warn - WARNs on load, on purpose.
 *
 * Used only by the harness's --warn-demo run to prove that a kernel warning
 * fails the run (with panic_on_warn=1 it also panics the VM).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/bug.h>

static int __init pgpumd_warn_init(void)
{
	WARN(1, "deliberate warning for the VM harness --warn-demo\n");
	return 0;
}

static void __exit pgpumd_warn_exit(void)
{
}

module_init(pgpumd_warn_init);
module_exit(pgpumd_warn_exit);

MODULE_DESCRIPTION("pgp-umd VM harness: deliberate WARN on load");
MODULE_LICENSE("GPL");
