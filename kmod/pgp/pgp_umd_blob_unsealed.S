/* SPDX-License-Identifier: GPL-2.0 */
/* TEST ONLY: the unsealed handler build, embedded; read only at init. */
	.section .init.rodata, "a"
	.global pgp_umd_unsealed_blob_start
pgp_umd_unsealed_blob_start:
	.incbin "pgp-umd-handler-unsealed.bin"
	.global pgp_umd_unsealed_blob_end
pgp_umd_unsealed_blob_end:
