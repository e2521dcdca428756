// SPDX-License-Identifier: GPL-2.0
/*
 * The reply check, compiled once more for the benchmark module (an object
 * may be linked into one module only).
 */
#include "sample_umd_check.c"
