// SPDX-License-Identifier: GPL-2.0
/*
 * pgp_umd_loader_unsealed - TEST ONLY: like pgp_umd_loader, but embeds the
 * test handler pgp-umd-handler-unsealed (umd-runtime's
 * `insecure-skip-seccomp` feature), which never
 * installs its seccomp filter. The VM tests load it in place of
 * pgp_umd_loader to show that the kernel refuses a handler that did not seal
 * itself. Never install it.
 */
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char pgp_umd_unsealed_blob_start[], pgp_umd_unsealed_blob_end[];
extern struct umd_mgmt pgp_umd_mgmt;

static int __init pgp_umd_loader_unsealed_init(void)
{
	return umd_mgmt_load(&pgp_umd_mgmt, pgp_umd_unsealed_blob_start, pgp_umd_unsealed_blob_end);
}

static void __exit pgp_umd_loader_unsealed_exit(void)
{
	umd_mgmt_unload(&pgp_umd_mgmt);
}

module_init(pgp_umd_loader_unsealed_init);
module_exit(pgp_umd_loader_unsealed_exit);

MODULE_DESCRIPTION("TEST ONLY: pgp_umd loader with a handler that does not seal itself");
MODULE_LICENSE("GPL");
