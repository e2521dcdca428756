/* SPDX-License-Identifier: GPL-2.0 */
/* ASCII armor removal, pure C (see pgp_armor.c). */
#ifndef _PGP_ARMOR_H
#define _PGP_ARMOR_H

#include "pgp_pure.h"

#define PGP_ARMOR_LABEL_KEY		"PUBLIC KEY BLOCK"
#define PGP_ARMOR_LABEL_SIGNATURE	"SIGNATURE"

/*
 * Bounds of pgp_dearmor(); beyond one the input is refused with -EMSGSIZE.
 * cli/src/armor.rs has the same values (a test compares them).
 */
/* Armor blocks in one input (distribution key files hold two or three). */
#define PGP_ARMOR_MAX_BLOCKS		64
/* "Key: Value" header lines in one block. */
#define PGP_ARMOR_MAX_HEADERS		32
/* Octets of one header line, without its line end and trailing white space. */
#define PGP_ARMOR_MAX_HEADER_LEN	1024

u32 pgp_crc24(const u8 *data, size_t len);
bool pgp_is_armored(const u8 *in, size_t len);
int pgp_dearmor(const u8 *in, size_t len, const char *label, u8 *scratch, u8 *out,
		size_t *out_len);

#endif /* _PGP_ARMOR_H */
