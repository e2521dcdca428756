/* SPDX-License-Identifier: GPL-2.0 */
/* sample_umd.bin again, for the benchmark module; read only at its init. */
	.section .init.rodata, "a"
	.global sample_umd_bench_blob_start
sample_umd_bench_blob_start:
	.incbin "sample_umd.bin"
	.global sample_umd_bench_blob_end
sample_umd_bench_blob_end:
