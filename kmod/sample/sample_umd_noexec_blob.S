/* SPDX-License-Identifier: GPL-2.0 */
/* sample_umd_noexec.txt, embedded; read only by the loader's init. */
	.section .init.rodata, "a"
	.global sample_umd_noexec_blob_start
sample_umd_noexec_blob_start:
	.incbin "sample_umd_noexec.txt"
	.global sample_umd_noexec_blob_end
sample_umd_noexec_blob_end:
