/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PGPUMD_SMOKE_H
#define PGPUMD_SMOKE_H

#include <linux/types.h>

#define PGPUMD_SMOKE_MAGIC 0x70677075U

u32 pgpumd_smoke_ping(void);

#endif /* PGPUMD_SMOKE_H */
