// SPDX-License-Identifier: GPL-2.0
/*
 * OpenPGP signatures over data: the in-kernel API for other modules
 * (pgp_umd_verify_signature()) and its user-space interface, the securityfs
 * file /sys/kernel/security/pgp_umd/verify (docs/kernel-api.md).
 *
 * The signature packet is parsed by the user mode driver and checked by the
 * sanitizer; the kernel hashes data, the signature's hashed part from its
 * own copy, and the trailer it builds itself; it finds the key in the given
 * keyring by the issuer the signature names and verifies with the kernel's
 * own signature code.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/security.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <linux/string_helpers.h>
#include <linux/key.h>
#include <keys/asymmetric-type.h>
#include <keys/asymmetric-subtype.h>
#include <crypto/public_key.h>

#include "pgp_umd_compat.h"
#include "pgp_umd.h"
#include "pgp_umd_verify.h"
#include "pgp_umd_signers.h"
#include "pgp_armor.h"
#include "pgp_pubkey.h"
#include "pgp_sig.h"
#include "pgp_ed25519.h"

/* The issuer the signature names, as an id to match keys by: its
 * fingerprint, else its key id (matched against the tail of stored ids: a v4
 * fingerprint's tail, or a v6 key's own key id).
 */
static struct asymmetric_key_id *issuer_id(const struct pgp_sig_info *s, bool *partial)
{
	u8 want[PGP_FPR_MAX];
	u8 len;

	pgp_sig_issuer(s, want, &len);
	if (!len)
		return ERR_PTR(-ENOKEY);
	*partial = len == PGP_KEYID_LEN;
	return asymmetric_key_generate_id(want, len, NULL, 0);
}

/*
 * An Ed25519 key (pgp_umd_ed25519.c) verifies through verify_signature(),
 * the dispatch every other user of the key goes through too: R || S over
 * OpenPGP's digest. The key's params octet is its OpenPGP algorithm, which
 * must be the signature's (EdDSALegacy keys make EdDSALegacy signatures,
 * Ed25519 keys Ed25519 ones).
 */
static int verify_ed25519(struct key *key, const struct public_key *pk,
			  const struct pgp_sig_info *s, const u8 *digest, size_t digest_len)
{
	struct public_key_signature ps = { 0 };
	u8 rs[PGP_ED25519_SIG_SIZE];
	int err;

	if (pk->paramlen != 1 || *(const u8 *)pk->params != s->pk_algo)
		return -EKEYREJECTED;
	err = pgp_sig_encode_ed25519(s, rs);
	if (err)
		return err;
	ps.s = rs;
	ps.s_size = sizeof(rs);
	pgp_umd_sig_set_digest(&ps, digest, digest_len);
	ps.pkey_algo = pk->pkey_algo;
	ps.hash_algo = pgp_hash_name(s->hash_algo);
	ps.encoding = "raw";
	err = verify_signature(key, &ps);
	if (err == -EBADMSG || err == -EINVAL)
		err = -EKEYREJECTED;
	return err;
}

static int verify_with(struct key *key, const struct pgp_sig_info *s, const u8 *digest,
		       size_t digest_len)
{
	const struct public_key *pk = asymmetric_key_public_key(key);
	struct public_key_signature ps = { 0 };
	size_t modulus, s_len;
	bool rsa;
	u8 *enc;
	int err;

	const struct asymmetric_key_ids *kids = asymmetric_key_ids(key);
	const struct asymmetric_key_id *fpr = kids ? kids->id[0] : NULL;

	/* Only keys of the kernel's public_key subtype and of this module's
	 * Ed25519 subtype carry a struct public_key in asym_crypto; anything
	 * else is no key of ours.
	 */
	if (asymmetric_key_subtype(key) != &public_key_subtype &&
	    asymmetric_key_subtype(key) != &pgp_ed25519_subtype)
		return -ENOKEY;
	if (!pk || !pk->id_type || strcmp(pk->id_type, "PGP") || !fpr)
		return -ENOKEY;
	/* RFC 9580 5.2.3: a v6 key (32-octet fingerprint) makes v6 signatures
	 * only, and only a v6 key makes them.
	 */
	if ((fpr->len == PGP_V6_FPR_LEN) != (s->version == 6))
		return -EKEYREJECTED;
	if (asymmetric_key_subtype(key) == &pgp_ed25519_subtype)
		return verify_ed25519(key, pk, s, digest, digest_len);
	rsa = !strcmp(pk->pkey_algo, "rsa");
	if (rsa != (s->pk_algo == PGP_PK_RSA || s->pk_algo == PGP_PK_RSA_SIGN_ONLY))
		return -EKEYREJECTED;
	if (!rsa && s->pk_algo != PGP_PK_ECDSA)
		return s->pk_algo == PGP_PK_EDDSA_LEGACY || s->pk_algo == PGP_PK_ED25519 ?
		       -EKEYREJECTED : -ENOPKG;
	enc = kmalloc(PGP_SIG_ENC_MAX, GFP_KERNEL);
	if (!enc)
		return -ENOMEM;
	if (rsa) {
		err = pgp_rsa_der_modulus_len(pk->key, pk->keylen, &modulus);
		if (!err)
			err = pgp_sig_encode_rsa(s, modulus, enc, PGP_SIG_ENC_MAX, &s_len);
		ps.encoding = "pkcs1";
	} else {
		err = pgp_sig_encode_ecdsa(s, enc, PGP_SIG_ENC_MAX, &s_len);
		ps.encoding = "x962";
	}
	if (!err) {
		ps.s = enc;
		ps.s_size = s_len;
		pgp_umd_sig_set_digest(&ps, digest, digest_len);
		ps.pkey_algo = pk->pkey_algo;
		ps.hash_algo = pgp_hash_name(s->hash_algo);
		err = public_key_verify_signature(pk, &ps);
		if (err == -EBADMSG || err == -EINVAL)
			err = -EKEYREJECTED;
	}
	kfree(enc);
	return err;
}

/* One candidate signer for pgp_umd_try_signers(). */
struct signer_try {
	const struct pgp_sig_info *s;
	const u8 *digest;
	size_t digest_len;
	u8 signer[PGP_FPR_MAX];		/* fingerprint of the key that verified */
	u8 signer_len;
};

static int try_signer(struct key *key, void *ctx)
{
	struct signer_try *t = ctx;
	const struct asymmetric_key_id *fpr;
	int err;

	err = verify_with(key, t->s, t->digest, t->digest_len);
	if (err)
		return err;
	/* verify_with() accepts only keys of this module, whose first id is
	 * the fingerprint.
	 */
	fpr = asymmetric_key_ids(key)->id[0];
	t->signer_len = min_t(size_t, fpr->len, sizeof(t->signer));
	memcpy(t->signer, fpr->data, t->signer_len);
	return 0;
}

/**
 * pgp_umd_verify_signature() - verify an OpenPGP signature over data
 * @keyring: keyring to find the signer in, by the issuer the signature names
 * @data: the signed data
 * @data_len: its length
 * @sig: one signature packet (v3, v4 or v6), binary or ASCII-armored
 * @sig_len: its length
 * @info: if not NULL, filled in on success: the issuer the signature names,
 *        the fingerprint of the key that verified, creation time, hash
 *
 * The signer is looked up by the issuer fingerprint when the signature has
 * one, else by its key id; every key of @keyring (and of the keyrings nested
 * in it) with that fingerprint or key id is tried until one verifies, within
 * the bounds of pgp_umd_try_signers(), so a key sharing a v4 key id with the
 * signer, or an X.509 key with a chosen identifier, cannot hide it.
 *
 * Only binary (0x00) and text (0x01) signatures are accepted; a text
 * signature is checked over @data with line ends made canonical (each LF not
 * preceded by CR counts as CR LF). The hash must pass the policy: SHA-224 to
 * SHA-512; SHA-1 only when the module parameter allow_sha1 is set.
 *
 * Context: Process context; sleeps. Takes the semaphore of @keyring (and
 * of keyrings nested in it) for reading, one at a time, when the first key
 * found does not verify: the caller must not hold one of them (as a
 * restrict_link check on @keyring itself would).
 *
 * Return: 0 if the signature is valid; -EINVAL (not a signature over data),
 * -EMSGSIZE, -EBADMSG (malformed), -ENOKEY (no such key in @keyring),
 * -EKEYREJECTED (no key verifies it, or refused hash), -EKEYEXPIRED (signature
 * expired; an expired key is not found), -ENOPKG (algorithm or hash not
 * available), or the handler's errors (-EIO, -EPROTO, -ETIMEDOUT, -EINTR,
 * -ENOPROTOOPT), -ENOMEM.
 */
int pgp_umd_verify_signature(struct key *keyring, const void *data, size_t data_len,
			     const void *sig, size_t sig_len, struct pgp_umd_sig_info *info)
{
	struct asymmetric_key_id *issuer = NULL;
	struct pgp_umd_work *work = NULL;
	struct signer_try t = { 0 };
	struct pgp_cert *parsed;
	struct pgp_hash_plan plan;
	struct pgp_policy pol;
	u8 digest[PGP_DIGEST_MAX];
	const struct pgp_sig_info *s;
	struct key *key = NULL;
	const u8 *payload;
	bool partial;
	size_t len;
	u8 *owned;
	int err;

	err = pgp_umd_dearmor(sig, sig_len, PGP_ARMOR_LABEL_SIGNATURE, &payload, &len, &owned);
	if (err)
		return err;
	work = pgp_umd_work_get();
	if (!work) {
		err = -ENOMEM;
		goto out;
	}
	parsed = &work->cert;
	err = pgp_umd_request(PGP_UMD_OP_PARSE_SIGNATURE, payload, len, &work->reply);
	if (!err)
		err = pgp_sig_load(parsed, payload, len, &work->reply);
	if (err)
		goto out;
	s = &parsed->sigs[0];
	pgp_umd_policy(&pol, s->pk_algo == PGP_PK_ECDSA);
	err = pgp_data_sig_precheck(s, &pol);
	if (err)
		goto out;
	issuer = issuer_id(s, &partial);
	if (IS_ERR(issuer)) {
		err = PTR_ERR(issuer);
		issuer = NULL;
		goto out;
	}
	/* Before the data is hashed: a keyring without the issuer answers
	 * -ENOKEY (or -EKEYEXPIRED, -EKEYREVOKED) at once.
	 */
	key = find_asymmetric_key(keyring, issuer, NULL, NULL, partial);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		key = NULL;
		goto out;
	}
	err = pgp_plan_signature(parsed, 0, data, data_len, &plan);
	if (!err)
		err = pgp_umd_digest(&plan, digest);
	if (err < 0)
		goto out;
	if (!pgp_sig_prefix_ok(s, digest, err)) {
		err = -EKEYREJECTED;
		goto out;
	}
	t.s = s;
	t.digest = digest;
	t.digest_len = err;
	err = pgp_umd_try_signers(keyring, key, issuer, partial, try_signer, &t);
	if (!err && info) {
		memset(info, 0, sizeof(*info));
		pgp_sig_issuer(s, info->issuer, &info->issuer_len);
		memcpy(info->signer, t.signer, t.signer_len);
		info->signer_len = t.signer_len;
		info->created = s->created;
		info->hash_algo = s->hash_algo;
		info->version = s->version;
	}
out:
	kfree(issuer);
	key_put(key);
	pgp_umd_work_put(work);
	kvfree(owned);
	return err;
}
EXPORT_SYMBOL_GPL(pgp_umd_verify_signature);

/* securityfs: one write per request, the result of the last success by read. */
struct verify_file {
	struct mutex lock;
	char result[224];
	size_t result_len;
};

static int verify_open(struct inode *inode, struct file *file)
{
	struct verify_file *vf;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
	if (!vf)
		return -ENOMEM;
	mutex_init(&vf->lock);
	file->private_data = vf;
	return 0;
}

static int verify_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t verify_write(struct file *file, const char __user *buf, size_t count,
			    loff_t *ppos)
{
	struct verify_file *vf = file->private_data;
	struct pgp_umd_verify_request req;
	struct pgp_umd_sig_info info;
	key_ref_t keyring_ref;
	u8 *sig = NULL, *data = NULL;
	char hex[2 * PGP_FPR_MAX + 1], signer[2 * PGP_FPR_MAX + 1];
	int err;

	if (count < sizeof(req))
		return -EINVAL;
	if (copy_from_user(&req, buf, sizeof(req)))
		return -EFAULT;
	if (req.magic != PGP_UMD_VERIFY_MAGIC || req.version != PGP_UMD_VERIFY_VERSION ||
	    req.flags)
		return -EINVAL;
	/* Bounded before they are added, so the sum cannot wrap. */
	if (req.sig_len > 2 * PGP_UMD_MAX_PAYLOAD || req.data_len > PGP_UMD_VERIFY_MAX_DATA)
		return -EMSGSIZE;
	if (count != sizeof(req) + (size_t)req.sig_len + req.data_len)
		return -EINVAL;
	sig = memdup_user(buf + sizeof(req), req.sig_len);
	if (IS_ERR(sig))
		return PTR_ERR(sig);
	data = kvmalloc(req.data_len ? req.data_len : 1, GFP_KERNEL);
	if (!data) {
		err = -ENOMEM;
		goto out;
	}
	if (copy_from_user(data, buf + sizeof(req) + req.sig_len, req.data_len)) {
		err = -EFAULT;
		goto out;
	}
	keyring_ref = lookup_user_key(req.keyring, 0, KEY_NEED_SEARCH);
	if (IS_ERR(keyring_ref)) {
		err = PTR_ERR(keyring_ref);
		goto out;
	}
	err = pgp_umd_verify_signature(key_ref_to_ptr(keyring_ref), data, req.data_len,
				       sig, req.sig_len, &info);
	key_ref_put(keyring_ref);
	mutex_lock(&vf->lock);
	vf->result_len = 0;
	if (!err) {
		bin2hex(hex, info.issuer, info.issuer_len);
		hex[2 * info.issuer_len] = '\0';
		string_upper(hex, hex);
		bin2hex(signer, info.signer, info.signer_len);
		signer[2 * info.signer_len] = '\0';
		string_upper(signer, signer);
		vf->result_len = scnprintf(vf->result, sizeof(vf->result), "ok %s %u %s %s\n",
					   hex, info.created, pgp_hash_name(info.hash_algo),
					   signer);
	}
	mutex_unlock(&vf->lock);
out:
	kvfree(data);
	kfree(sig);
	return err ? err : count;
}

static ssize_t verify_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct verify_file *vf = file->private_data;
	ssize_t n;

	mutex_lock(&vf->lock);
	n = simple_read_from_buffer(buf, count, ppos, vf->result, vf->result_len);
	mutex_unlock(&vf->lock);
	return n;
}

static const struct file_operations verify_fops = {
	.owner = THIS_MODULE,
	.open = verify_open,
	.release = verify_release,
	.write = verify_write,
	.read = verify_read,
};

static struct dentry *pgp_umd_dir, *pgp_umd_verify_file;

int pgp_umd_verify_init(void)
{
	pgp_umd_dir = securityfs_create_dir("pgp_umd", NULL);
	if (IS_ERR(pgp_umd_dir))
		return PTR_ERR(pgp_umd_dir);
	pgp_umd_verify_file = securityfs_create_file("verify", 0600, pgp_umd_dir, NULL,
						     &verify_fops);
	if (IS_ERR(pgp_umd_verify_file)) {
		securityfs_remove(pgp_umd_dir);
		return PTR_ERR(pgp_umd_verify_file);
	}
	return 0;
}

void pgp_umd_verify_exit(void)
{
	securityfs_remove(pgp_umd_verify_file);
	securityfs_remove(pgp_umd_dir);
}
