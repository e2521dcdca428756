/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wire protocol between the pgp-umd kernel modules and the user mode handler.
 *
 * The Rust crate proto/ is the source of truth; `cargo test -p pgp-umd-proto`
 * compiles a program against this header and checks the size, alignment and
 * offset of every field and the value of every constant against it.
 *
 * Native endianness. Every struct is naturally aligned with explicit reserved
 * fields and no implicit padding. Unused table rows and reserved fields are 0.
 * Ranges are offsets into the request payload, which the kernel keeps.
 */
#ifndef _PGP_UMD_PROTO_H
#define _PGP_UMD_PROTO_H

#include <linux/types.h>

#define PGP_UMD_MAGIC			0x55504750u	/* "PGPU" little-endian */
#define PGP_UMD_VERSION			3
#define PGP_UMD_MAX_PAYLOAD		(1024 * 1024 - 1)
#define PGP_UMD_MAX_PACKETS		512
#define PGP_UMD_MAX_KEYS		64
#define PGP_UMD_MAX_SUBKEYS		(PGP_UMD_MAX_KEYS - 1)
#define PGP_UMD_MAX_USER_IDS		128
#define PGP_UMD_MAX_SIGNATURES		256
#define PGP_UMD_MAX_SUBPACKETS		2048
#define PGP_UMD_MAX_SUBPACKETS_PER_AREA	64
#define PGP_UMD_MAX_KEY_FIELDS		4
#define PGP_UMD_MAX_SIG_VALUES		2
#define PGP_UMD_MAX_EMBED_DEPTH		1
#define PGP_UMD_SHORT_MAX_SIGNATURES	4
#define PGP_UMD_SHORT_MAX_SUBPACKETS	(2 * PGP_UMD_MAX_SUBPACKETS_PER_AREA)
#define PGP_UMD_VERIFY_MAGIC		0x56504750u	/* "PGPV" little-endian */
#define PGP_UMD_VERIFY_VERSION		1
#define PGP_UMD_VERIFY_MAX_DATA		(64 * 1024 * 1024)
#define PGP_UMD_NONE			0xFFFF
#define PGP_UMD_FORMAT_OPENPGP		0
#define PGP_UMD_FORMAT_LEGACY		1

enum pgp_umd_op {
	PGP_UMD_OP_HEALTH		= 1,
	PGP_UMD_OP_PARSE_KEY		= 2,
	PGP_UMD_OP_PARSE_SIGNATURE	= 3,
};

enum pgp_umd_status {
	PGP_UMD_STATUS_OK				= 0,
	PGP_UMD_STATUS_BAD_MAGIC			= 1,
	PGP_UMD_STATUS_BAD_VERSION			= 2,
	PGP_UMD_STATUS_UNKNOWN_OP			= 3,
	PGP_UMD_STATUS_BAD_FLAGS			= 4,
	PGP_UMD_STATUS_PAYLOAD_TOO_LARGE		= 5,
	PGP_UMD_STATUS_EMPTY_PAYLOAD			= 6,
	PGP_UMD_STATUS_TRUNCATED			= 7,
	PGP_UMD_STATUS_BAD_PACKET_HEADER		= 8,
	PGP_UMD_STATUS_PARTIAL_LENGTH			= 9,
	PGP_UMD_STATUS_V3_KEY				= 10,
	PGP_UMD_STATUS_UNKNOWN_KEY_VERSION		= 11,
	PGP_UMD_STATUS_UNKNOWN_SIGNATURE_VERSION	= 12,
	PGP_UMD_STATUS_BAD_MPI				= 13,
	PGP_UMD_STATUS_BAD_KEY_MATERIAL			= 14,
	PGP_UMD_STATUS_BAD_SIGNATURE			= 15,
	PGP_UMD_STATUS_BAD_SUBPACKET			= 16,
	PGP_UMD_STATUS_UNEXPECTED_PACKET		= 17,
	PGP_UMD_STATUS_MULTIPLE_CERTIFICATES		= 18,
	PGP_UMD_STATUS_NOT_A_CERTIFICATE		= 19,
	PGP_UMD_STATUS_NOT_A_SIGNATURE			= 20,
	PGP_UMD_STATUS_TRAILING_DATA			= 21,
	PGP_UMD_STATUS_SECRET_KEY			= 22,
	PGP_UMD_STATUS_TOO_MANY_PACKETS			= 23,
	PGP_UMD_STATUS_TOO_MANY_KEYS			= 24,
	PGP_UMD_STATUS_TOO_MANY_USER_IDS		= 25,
	PGP_UMD_STATUS_TOO_MANY_SIGNATURES		= 26,
	PGP_UMD_STATUS_TOO_MANY_SUBPACKETS		= 27,
	PGP_UMD_STATUS_INTERNAL_ERROR			= 28,
};

/* What a packet is in the certificate. */
enum pgp_umd_packet_role {
	PGP_UMD_ROLE_PRIMARY_KEY	= 1,
	PGP_UMD_ROLE_SUBKEY		= 2,
	PGP_UMD_ROLE_USER_ID		= 3,
	PGP_UMD_ROLE_USER_ATTRIBUTE	= 4,
	PGP_UMD_ROLE_SIGNATURE		= 5,
	PGP_UMD_ROLE_IGNORED		= 6,	/* marker, trust, padding */
	PGP_UMD_ROLE_SKIPPED		= 7,	/* a run of packets that decide nothing */
};

/* What a signature binds, from its type and the component it follows. */
enum pgp_umd_sig_role {
	PGP_UMD_SIG_DATA		= 1,
	PGP_UMD_SIG_DIRECT_KEY		= 2,
	PGP_UMD_SIG_KEY_REVOCATION	= 3,
	PGP_UMD_SIG_CERTIFICATION	= 4,
	PGP_UMD_SIG_CERT_REVOCATION	= 5,
	PGP_UMD_SIG_SUBKEY_BINDING	= 6,
	PGP_UMD_SIG_SUBKEY_REVOCATION	= 7,
	PGP_UMD_SIG_PRIMARY_KEY_BINDING	= 8,
	PGP_UMD_SIG_OTHER		= 9,
};

/* Encoding of a key or signature field; its range covers the whole encoding. */
enum pgp_umd_field_kind {
	PGP_UMD_FIELD_MPI	= 1,	/* 2-octet bit count, value */
	PGP_UMD_FIELD_OID	= 2,	/* length octet, curve OID */
	PGP_UMD_FIELD_KDF	= 3,	/* 3, 1, hash id, cipher id */
	PGP_UMD_FIELD_NATIVE	= 4,	/* fixed-size octets */
	PGP_UMD_FIELD_OPAQUE	= 5,	/* material of an unknown algorithm */
};

enum pgp_umd_curve {
	PGP_UMD_CURVE_NONE		= 0,
	PGP_UMD_CURVE_NIST_P256		= 1,
	PGP_UMD_CURVE_NIST_P384		= 2,
	PGP_UMD_CURVE_NIST_P521		= 3,
	PGP_UMD_CURVE_BRAINPOOL_P256	= 4,
	PGP_UMD_CURVE_BRAINPOOL_P384	= 5,
	PGP_UMD_CURVE_BRAINPOOL_P512	= 6,
	PGP_UMD_CURVE_ED25519_LEGACY	= 7,
	PGP_UMD_CURVE_CURVE25519_LEGACY	= 8,
	PGP_UMD_CURVE_SECP256K1		= 9,
	PGP_UMD_CURVE_UNKNOWN		= 255,
};

/* OpenPGP numbers (RFC 9580) both sides interpret. */
#define PGP_TAG_SIGNATURE		2
#define PGP_TAG_SECRET_KEY		5
#define PGP_TAG_PUBLIC_KEY		6
#define PGP_TAG_SECRET_SUBKEY		7
#define PGP_TAG_MARKER			10
#define PGP_TAG_TRUST			12
#define PGP_TAG_USER_ID			13
#define PGP_TAG_PUBLIC_SUBKEY		14
#define PGP_TAG_USER_ATTRIBUTE		17
#define PGP_TAG_PADDING			21
#define PGP_FIRST_NONCRITICAL_TAG	40
#define PGP_LAST_NONCRITICAL_TAG	63

#define PGP_PK_RSA			1
#define PGP_PK_RSA_ENCRYPT_ONLY		2
#define PGP_PK_RSA_SIGN_ONLY		3
#define PGP_PK_ELGAMAL			16
#define PGP_PK_DSA			17
#define PGP_PK_ECDH			18
#define PGP_PK_ECDSA			19
#define PGP_PK_ELGAMAL_SIGN		20
#define PGP_PK_EDDSA_LEGACY		22
#define PGP_PK_X25519			25
#define PGP_PK_X448			26
#define PGP_PK_ED25519			27
#define PGP_PK_ED448			28

#define PGP_HASH_MD5			1
#define PGP_HASH_SHA1			2
#define PGP_HASH_RIPEMD160		3
#define PGP_HASH_SHA256			8
#define PGP_HASH_SHA384			9
#define PGP_HASH_SHA512			10
#define PGP_HASH_SHA224			11
#define PGP_HASH_SHA3_256		12
#define PGP_HASH_SHA3_512		14

#define PGP_SIG_BINARY			0x00
#define PGP_SIG_TEXT			0x01
#define PGP_SIG_CERT_GENERIC		0x10
#define PGP_SIG_CERT_POSITIVE		0x13
#define PGP_SIG_SUBKEY_BINDING		0x18
#define PGP_SIG_PRIMARY_KEY_BINDING	0x19
#define PGP_SIG_DIRECT_KEY		0x1F
#define PGP_SIG_KEY_REVOCATION		0x20
#define PGP_SIG_SUBKEY_REVOCATION	0x28
#define PGP_SIG_CERT_REVOCATION		0x30

#define PGP_SUBPACKET_CREATION_TIME		2
#define PGP_SUBPACKET_EXPIRATION_TIME		3
#define PGP_SUBPACKET_KEY_EXPIRATION_TIME	9
#define PGP_SUBPACKET_ISSUER_KEY_ID		16
#define PGP_SUBPACKET_PRIMARY_USER_ID		25
#define PGP_SUBPACKET_KEY_FLAGS			27
#define PGP_SUBPACKET_REVOCATION_REASON		29
#define PGP_SUBPACKET_EMBEDDED_SIGNATURE	32
#define PGP_SUBPACKET_ISSUER_FINGERPRINT	33
#define PGP_SUBPACKET_CRITICAL			0x80

#define PGP_KEY_FLAG_CERTIFY		0x01
#define PGP_KEY_FLAG_SIGN		0x02
#define PGP_KEY_FLAG_ENCRYPT_COMMS	0x04
#define PGP_KEY_FLAG_ENCRYPT_STORAGE	0x08
#define PGP_KEY_FLAG_AUTHENTICATE	0x20

/* A byte range of the request payload; an absent range is {0, 0}. */
struct pgp_umd_range {
	__u32 off;
	__u32 len;
};

/* Sent by the kernel, followed by payload_len payload bytes. */
struct pgp_umd_request_header {
	__u32 magic;
	__u16 version;
	__u16 op;		/* enum pgp_umd_op */
	__u32 flags;		/* none defined: 0 */
	__u32 seq;		/* echoed in the reply */
	__u32 payload_len;
	__u32 reserved;
};

struct pgp_umd_reply_header {
	__u32 magic;
	__u16 version;
	__u16 op;		/* echoed */
	__u32 seq;		/* echoed */
	__u32 status;		/* enum pgp_umd_status; unless OK all counts are 0 */
	__u32 error_offset;	/* diagnostics only */
	__u16 packet_count;
	__u16 key_count;
	__u16 signature_count;
	__u16 subpacket_count;
	__u32 reserved;
};

/* One packet; the rows tile the payload in order. */
struct pgp_umd_packet {
	__u8 tag;
	__u8 role;		/* enum pgp_umd_packet_role */
	__u8 header_len;	/* tag octet plus length octets */
	__u8 format;		/* PGP_UMD_FORMAT_* */
	__u16 item;		/* row in keys[] or signatures[], else NONE */
	__u16 target;		/* signatures: row of the component followed */
	struct pgp_umd_range whole;
};

/* One primary key or subkey packet. */
struct pgp_umd_key {
	__u16 packet;
	__u8 version;
	__u8 pk_algo;
	__u8 curve;		/* enum pgp_umd_curve */
	__u8 field_count;
	__u8 field_kind[PGP_UMD_MAX_KEY_FIELDS];
	__u16 reserved;
	struct pgp_umd_range fields[PGP_UMD_MAX_KEY_FIELDS];
};

/* One signature packet or embedded signature. */
struct pgp_umd_signature {
	__u16 packet;
	__u16 parent;		/* embedding signature row, else NONE */
	__u16 subpacket;	/* embedding subpacket row, else NONE */
	__u16 target;		/* row of the component it is about, else NONE */
	__u8 role;		/* enum pgp_umd_sig_role */
	__u8 version;
	__u8 sig_type;
	__u8 pk_algo;
	__u8 hash_algo;
	__u8 value_count;
	__u8 value_kind[PGP_UMD_MAX_SIG_VALUES];
	__u16 hashed_first;
	__u16 hashed_count;
	__u16 unhashed_first;
	__u16 unhashed_count;
	struct pgp_umd_range body;
	struct pgp_umd_range hashed_area;	/* v3: the 5 hashed octets */
	struct pgp_umd_range unhashed_area;
	struct pgp_umd_range hash_prefix;
	struct pgp_umd_range salt;		/* v6 only */
	struct pgp_umd_range issuer;		/* v3 only */
	struct pgp_umd_range values[PGP_UMD_MAX_SIG_VALUES];
};

struct pgp_umd_subpacket {
	struct pgp_umd_range whole;	/* length octets, type octet, body */
	__u8 header_len;		/* length octets plus type octet */
	__u8 type_octet;		/* as found, critical bit included */
	__u16 embedded;			/* type 32: signature row, else NONE */
};

/* The reply to PGP_UMD_OP_PARSE_KEY ("full reply"). */
struct pgp_umd_reply {
	struct pgp_umd_reply_header header;
	struct pgp_umd_packet packets[PGP_UMD_MAX_PACKETS];
	struct pgp_umd_key keys[PGP_UMD_MAX_KEYS];
	struct pgp_umd_signature signatures[PGP_UMD_MAX_SIGNATURES];
	struct pgp_umd_subpacket subpackets[PGP_UMD_MAX_SUBPACKETS];
};

/*
 * A verification request written in one write() to
 * /sys/kernel/security/pgp_umd/verify, followed by sig_len signature bytes
 * (binary or armored) and data_len data bytes. Not part of the UMD channel.
 */
struct pgp_umd_verify_request {
	__u32 magic;
	__u32 version;
	__s32 keyring;		/* keyring serial, special ids allowed */
	__u32 flags;		/* none defined: 0 */
	__u32 sig_len;
	__u32 data_len;
};

/*
 * The reply to every other op ("short reply"): the same tables cut to what
 * one signature packet can need, and no key table.
 */
struct pgp_umd_short_reply {
	struct pgp_umd_reply_header header;
	struct pgp_umd_packet packets[1];
	struct pgp_umd_signature signatures[PGP_UMD_SHORT_MAX_SIGNATURES];
	struct pgp_umd_subpacket subpackets[PGP_UMD_SHORT_MAX_SUBPACKETS];
};

#endif /* _PGP_UMD_PROTO_H */
