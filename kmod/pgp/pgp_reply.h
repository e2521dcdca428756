/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reply sanitizer: checks a handler's reply against the kernel's own copy of
 * the payload. Pure C (see pgp_pure.h); the reference implementation of the
 * same rules is proto/src/validate.rs, and the user-space tests require the
 * two to report the same first fault for every reply they are given.
 */
#ifndef _PGP_REPLY_H
#define _PGP_REPLY_H

#include "pgp_pure.h"
#include "../include/pgp_umd_proto.h"

/* Where a fault was found; numbers shared with the Rust validator. */
enum pgp_reply_table {
	PGP_REPLY_TABLE_HEADER		= 0,
	PGP_REPLY_TABLE_PACKETS		= 1,
	PGP_REPLY_TABLE_KEYS		= 2,
	PGP_REPLY_TABLE_SIGNATURES	= 3,
	PGP_REPLY_TABLE_SUBPACKETS	= 4,
};

/* What is wrong; numbers shared with the Rust validator. */
enum pgp_reply_fault {
	PGP_REPLY_BAD_ECHO		= 0,
	PGP_REPLY_UNKNOWN_STATUS	= 1,
	PGP_REPLY_ROWS_WITHOUT_SUCCESS	= 2,
	PGP_REPLY_COUNT_TOO_LARGE	= 3,
	PGP_REPLY_NOT_ZEROED		= 4,
	PGP_REPLY_OUT_OF_BOUNDS		= 5,
	PGP_REPLY_NOT_TILED		= 6,
	PGP_REPLY_HEADER_MISMATCH	= 7,
	PGP_REPLY_BAD_PACKET_TYPE	= 8,
	PGP_REPLY_BAD_REFERENCE		= 9,
	PGP_REPLY_FIELD_MISMATCH	= 10,
	PGP_REPLY_BAD_MPI		= 11,
	PGP_REPLY_CLASS_MISMATCH	= 12,
};

/* The first fault found, for logs and tests. */
struct pgp_reply_fault_info {
	u8 table;
	u8 fault;
	u16 row;
};

/* Receives one issuer hint of a skipped signature (see pgp_walk_run()). */
typedef void (*pgp_hint_fn)(void *ctx, const u8 *id, size_t len);

size_t pgp_certificate_len(const u8 *p, size_t len);
size_t pgp_issuer_hint(u8 type, const u8 *body, size_t n, const u8 **id);
int pgp_walk_run(const u8 *run, size_t len, int component, pgp_hint_fn hint, void *ctx,
		 bool *holds_component);
int pgp_reply_check(u16 op, u32 seq, const u8 *payload, size_t len,
		    const struct pgp_umd_reply *reply,
		    struct pgp_reply_fault_info *fault);

int pgp_reply_expand_short(const struct pgp_umd_short_reply *short_reply,
			   struct pgp_umd_reply *full);
size_t pgp_reply_packed_len(const struct pgp_umd_reply_header *h);
int pgp_reply_unpack(struct pgp_umd_reply *r, size_t len);
bool pgp_mpi_is_exact(const u8 *mpi, size_t len);
bool pgp_mpi_is_sound_value(const u8 *mpi, size_t len);
u8 pgp_curve_of_oid(const u8 *oid, size_t len);
u8 pgp_sig_role(u8 sig_type, int target_role, bool embedded);
int pgp_packet_role(u8 tag);

#endif /* _PGP_REPLY_H */
