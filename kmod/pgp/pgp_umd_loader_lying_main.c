// SPDX-License-Identifier: GPL-2.0
/*
 * pgp_umd_loader_lying - TEST ONLY: like pgp_umd_loader, but embeds the
 * test handler pgp-umd-handler-lying, which lies in every reply
 * (test-handlers/src/lies.rs). The VM tests load it in place of
 * pgp_umd_loader to show that the kernel refuses every lie. Never install it.
 */
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char pgp_umd_lying_blob_start[], pgp_umd_lying_blob_end[];
extern struct umd_mgmt pgp_umd_mgmt;

static int __init pgp_umd_loader_lying_init(void)
{
	return umd_mgmt_load(&pgp_umd_mgmt, pgp_umd_lying_blob_start, pgp_umd_lying_blob_end);
}

static void __exit pgp_umd_loader_lying_exit(void)
{
	umd_mgmt_unload(&pgp_umd_mgmt);
}

module_init(pgp_umd_loader_lying_init);
module_exit(pgp_umd_loader_lying_exit);

MODULE_DESCRIPTION("TEST ONLY: pgp_umd loader with a handler that lies");
MODULE_LICENSE("GPL");
