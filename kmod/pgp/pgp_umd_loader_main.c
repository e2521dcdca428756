// SPDX-License-Identifier: GPL-2.0
/*
 * pgp_umd_loader - embeds the static pgp-umd-handler binary and hands it to
 * umd_mgmt for the manager (pgp_umd) at init; unloading stops the handler
 * and removes the blob. pgp_umd requests this module when it needs it.
 */
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char pgp_umd_blob_start[], pgp_umd_blob_end[];
extern struct umd_mgmt pgp_umd_mgmt;

static int __init pgp_umd_loader_init(void)
{
	return umd_mgmt_load(&pgp_umd_mgmt, pgp_umd_blob_start, pgp_umd_blob_end);
}

static void __exit pgp_umd_loader_exit(void)
{
	umd_mgmt_unload(&pgp_umd_mgmt);
}

module_init(pgp_umd_loader_init);
module_exit(pgp_umd_loader_exit);

MODULE_DESCRIPTION("OpenPGP user mode driver: loader (embeds the handler)");
MODULE_LICENSE("GPL");
