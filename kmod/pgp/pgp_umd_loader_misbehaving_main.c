// SPDX-License-Identifier: GPL-2.0
/*
 * pgp_umd_loader_misbehaving - TEST ONLY: like pgp_umd_loader, but embeds the
 * test handler pgp-umd-handler-misbehaving
 * (test-handlers/src/misbehave.rs): after a poison input it answers a well-formed
 * refusal to everything, and it sends bytes after some replies. The VM tests
 * load it in place of pgp_umd_loader to show that the kernel replaces such a
 * handler. Never install it.
 */
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char pgp_umd_misbehaving_blob_start[], pgp_umd_misbehaving_blob_end[];
extern struct umd_mgmt pgp_umd_mgmt;

static int __init pgp_umd_loader_misbehaving_init(void)
{
	return umd_mgmt_load(&pgp_umd_mgmt, pgp_umd_misbehaving_blob_start, pgp_umd_misbehaving_blob_end);
}

static void __exit pgp_umd_loader_misbehaving_exit(void)
{
	umd_mgmt_unload(&pgp_umd_mgmt);
}

module_init(pgp_umd_loader_misbehaving_init);
module_exit(pgp_umd_loader_misbehaving_exit);

MODULE_DESCRIPTION("TEST ONLY: pgp_umd loader with a handler that misbehaves");
MODULE_LICENSE("GPL");
