/* SPDX-License-Identifier: GPL-2.0 */
/* pgp-umd-handler, the static handler binary, embedded; read only at init. */
	.section .init.rodata, "a"
	.global pgp_umd_blob_start
pgp_umd_blob_start:
	.incbin "pgp-umd-handler.bin"
	.global pgp_umd_blob_end
pgp_umd_blob_end:
