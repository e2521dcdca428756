// SPDX-License-Identifier: GPL-2.0
/*
 * sample_umd_loader_test - TESTS ONLY: like sample_umd_loader, but its blob
 * is the handler built with the cargo feature test-ops, which never answers
 * the request SAMPLE_UMD_STALL and waits to be killed.
 */
#include <linux/module.h>

#include "sample_umd.h"

SAMPLE_UMD_LOADER(sample_umd_test_blob_start, sample_umd_test_blob_end);

MODULE_DESCRIPTION("Sample user mode driver: TEST-ONLY loader (stalling handler)");
MODULE_LICENSE("GPL");
