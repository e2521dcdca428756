/* SPDX-License-Identifier: GPL-2.0 */
/* TEST ONLY: the lying handler build, embedded; read only at init. */
	.section .init.rodata, "a"
	.global pgp_umd_lying_blob_start
pgp_umd_lying_blob_start:
	.incbin "pgp-umd-handler-lying.bin"
	.global pgp_umd_lying_blob_end
pgp_umd_lying_blob_end:
