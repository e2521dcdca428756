// SPDX-License-Identifier: GPL-2.0
/*
 * sample_umd_loader - embeds the sample UMD's handler (sample_umd.bin, the
 * static build of kmod/sample/handler) and loads it into sample_mgmt at
 * init; unloading the module stops the handler and removes the blob.
 */
#include <linux/module.h>

#include "sample_umd.h"

SAMPLE_UMD_LOADER(sample_umd_blob_start, sample_umd_blob_end);

MODULE_DESCRIPTION("Sample user mode driver: loader (embeds the handler)");
MODULE_LICENSE("GPL");
