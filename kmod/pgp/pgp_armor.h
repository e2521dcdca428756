/* SPDX-License-Identifier: GPL-2.0 */
/* ASCII armor removal, pure C (see pgp_armor.c). */
#ifndef _PGP_ARMOR_H
#define _PGP_ARMOR_H

#include "pgp_pure.h"

#define PGP_ARMOR_LABEL_KEY		"PUBLIC KEY BLOCK"
#define PGP_ARMOR_LABEL_SIGNATURE	"SIGNATURE"

u32 pgp_crc24(const u8 *data, size_t len);
bool pgp_is_armored(const u8 *in, size_t len);
int pgp_dearmor(const u8 *in, size_t len, const char *label, u8 *scratch, u8 *out,
		size_t *out_len);

#endif /* _PGP_ARMOR_H */
