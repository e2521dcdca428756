// SPDX-License-Identifier: GPL-2.0
/*
 * sample_umd_noexec - TESTS ONLY: a loader whose blob is a text file that is
 * not an executable, so exec fails (-ENOEXEC) and so does module init,
 * cleanly: the helper has exited and every reference is released before
 * init returns.
 */
#include <linux/module.h>

#include "sample_umd.h"

SAMPLE_UMD_LOADER(sample_umd_noexec_blob_start, sample_umd_noexec_blob_end);

MODULE_DESCRIPTION("Sample user mode driver: TEST-ONLY loader of a blob that fails to exec");
MODULE_LICENSE("GPL");
