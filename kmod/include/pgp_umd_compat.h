/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the modules meet kernel API differences between the
 * supported kernels (6.1, 6.12, 7.x). Logic files call the helpers below and
 * never test versions. Struct and prototype changes are detected by the
 * feature probes of compat.mk (beside this file, included by the Kbuilds),
 * which grep the kernel's own headers, not by version numbers:
 *
 *   PGP_UMD_FS_SEQLOCK    struct fs_struct has one seqlock_t seq instead of
 *                         spinlock_t lock + seqcount_spinlock_t seq (6.18+)
 *   PGP_UMD_SIG_M         struct public_key_signature names the verified
 *                         bytes m/m_size instead of digest/digest_size (7.x)
 *   PGP_UMD_BASE64_VARIANT
 *                         base64_decode() takes padding and a variant (6.19+)
 *
 * and <linux/hex.h> (bin2hex(), no longer reached through kernel.h in 7.x,
 * absent on 6.1) is found with __has_include.
 */
#ifndef _PGP_UMD_COMPAT_H
#define _PGP_UMD_COMPAT_H

#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/fs_struct.h>
#include <linux/base64.h>
#include <crypto/public_key.h>
#if __has_include(<linux/hex.h>)
#include <linux/hex.h>
#endif

/*
 * struct fs_struct is internal to fs/ (set_fs_pwd() is not exported), and
 * umd_core.c replaces a task's cwd with a copy of set_fs_pwd()'s body. These
 * checks stop the build if a kernel's fs_struct no longer has the members,
 * of the types, that the copy relies on.
 */
#define PGP_UMD_FS_MEMBER_IS(member, type) \
	__same_type(((struct fs_struct *)NULL)->member, type)

static_assert(PGP_UMD_FS_MEMBER_IS(users, int));
static_assert(PGP_UMD_FS_MEMBER_IS(pwd, struct path));
#ifdef PGP_UMD_FS_SEQLOCK
static_assert(PGP_UMD_FS_MEMBER_IS(seq, seqlock_t));
#else
static_assert(PGP_UMD_FS_MEMBER_IS(lock, spinlock_t));
static_assert(PGP_UMD_FS_MEMBER_IS(seq, seqcount_spinlock_t));
#endif

/**
 * pgp_umd_fs_write_lock() - lock a task's fs_struct to change root or pwd
 * @fs: the fs_struct
 *
 * What set_fs_pwd() takes around the change: readers of the paths see either
 * the old or the new value. Release with pgp_umd_fs_write_unlock().
 */
static inline void pgp_umd_fs_write_lock(struct fs_struct *fs)
{
#ifdef PGP_UMD_FS_SEQLOCK
	write_seqlock(&fs->seq);
#else
	spin_lock(&fs->lock);
	write_seqcount_begin(&fs->seq);
#endif
}

/**
 * pgp_umd_fs_write_unlock() - release pgp_umd_fs_write_lock()
 * @fs: the fs_struct
 */
static inline void pgp_umd_fs_write_unlock(struct fs_struct *fs)
{
#ifdef PGP_UMD_FS_SEQLOCK
	write_sequnlock(&fs->seq);
#else
	write_seqcount_end(&fs->seq);
	spin_unlock(&fs->lock);
#endif
}

/**
 * pgp_umd_sig_set_digest() - the digest a public_key_signature verifies
 * @ps: the signature, zero-initialized (so a 7.x algo_takes_data is false:
 *	the bytes are a digest, not the signed data)
 * @digest: the digest; not copied, not freed by the kernel
 * @len: its length in bytes
 */
static inline void pgp_umd_sig_set_digest(struct public_key_signature *ps,
					  const u8 *digest, u32 len)
{
#ifdef PGP_UMD_SIG_M
	ps->m = (u8 *)digest;
	ps->m_size = len;
#else
	ps->digest = (u8 *)digest;
	ps->digest_size = len;
#endif
}

/**
 * pgp_umd_sig_message() - the bytes a public_key_signature is verified over
 * @ps: the signature, as verify_signature() hands it to a key's subtype
 * @len: set to their length
 *
 * The digest (6.1, 6.12) or m (7.x; there algo_takes_data says whether the
 * bytes are data or a digest, which makes no difference to a verifier that
 * takes the bytes as its message).
 *
 * Return: the bytes.
 */
static inline const u8 *pgp_umd_sig_message(const struct public_key_signature *ps, u32 *len)
{
#ifdef PGP_UMD_SIG_M
	*len = ps->m_size;
	return ps->m;
#else
	*len = ps->digest_size;
	return ps->digest;
#endif
}

/**
 * pgp_umd_base64_decode() - decode standard, padded base64 (RFC 4648 4)
 * @src: the characters
 * @len: how many
 * @dst: room for 3 * @len / 4 bytes
 *
 * Return: the number of bytes written, or -1 on a character outside the
 * alphabet (the kernel's base64_decode(), whichever its prototype).
 */
static inline int pgp_umd_base64_decode(const char *src, int len, u8 *dst)
{
#ifdef PGP_UMD_BASE64_VARIANT
	return base64_decode(src, len, dst, true, BASE64_STD);
#else
	return base64_decode(src, len, dst);
#endif
}

#endif /* _PGP_UMD_COMPAT_H */
