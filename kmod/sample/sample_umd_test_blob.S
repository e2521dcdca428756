/* SPDX-License-Identifier: GPL-2.0 */
/* sample_umd_test.bin, embedded; read only by the loader's init. */
	.section .init.rodata, "a"
	.global sample_umd_test_blob_start
sample_umd_test_blob_start:
	.incbin "sample_umd_test.bin"
	.global sample_umd_test_blob_end
sample_umd_test_blob_end:
