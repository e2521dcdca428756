// SPDX-License-Identifier: GPL-2.0
/*
 * The asymmetric key parser "pgp": `keyctl padd asymmetric "" @u < key.pgp`.
 *
 * The input (binary, or ASCII-armored and decoded here) goes to the user mode
 * driver; its reply is checked; the kernel then computes fingerprints itself,
 * verifies the self-signatures, bindings and back-signatures with its own
 * signature code, chooses the key (pgp_cert_select()), and registers the key
 * material it built from its own bytes: with the kernel's public_key subtype
 * for RSA and ECDSA, with pgp_ed25519_subtype (pgp_umd_ed25519.c) for
 * Ed25519.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/ctype.h>
#include <linux/string_helpers.h>
#include <linux/mm.h>
#include <keys/asymmetric-subtype.h>
#include <keys/asymmetric-parser.h>
#include <crypto/public_key.h>

#include "pgp_umd_compat.h"
#include "pgp_umd.h"
#include "pgp_armor.h"
#include "pgp_pubkey.h"
#include "pgp_reply.h"

/* Longest description: "PGP: " + user id + " " + 16 hex digits. */
#define PGP_DESC_MAX_UID	96

/* Whether @data can be OpenPGP at all: armor, or a public or secret key
 * packet header (RFC 9580 4.2). Everything else is left to other parsers
 * without waking the handler.
 */
static bool looks_like_pgp(const u8 *data, size_t len)
{
	u8 tag;

	if (pgp_is_armored(data, len))
		return true;
	if (!len || !(data[0] & 0x80))
		return false;
	tag = data[0] & 0x40 ? data[0] & 0x3F : (data[0] >> 2) & 0x0F;
	return tag == PGP_TAG_PUBLIC_KEY || tag == PGP_TAG_SECRET_KEY;
}

/* "PGP: <user id> <key id>", printable ASCII only, bounded. */
static char *describe(const struct pgp_cert *c, const struct pgp_selection *sel)
{
	const struct pgp_umd_packet *p;
	const u8 *uid = NULL;
	u8 id[PGP_KEYID_LEN];
	size_t uid_len = 0, i, n;
	char *desc;

	if (sel->uid_packet != PGP_UMD_NONE) {
		p = &c->reply->packets[sel->uid_packet];
		uid = c->payload + p->whole.off + p->header_len;
		uid_len = min_t(size_t, p->whole.len - p->header_len, PGP_DESC_MAX_UID);
	}
	desc = kmalloc(5 + PGP_DESC_MAX_UID + 1 + 2 * PGP_KEYID_LEN + 1, GFP_KERNEL);
	if (!desc)
		return NULL;
	n = sprintf(desc, "PGP: ");
	for (i = 0; i < uid_len; i++)
		desc[n++] = isprint(uid[i]) && isascii(uid[i]) ? uid[i] : '?';
	if (uid_len)
		desc[n++] = ' ';
	pgp_key_id(&c->keys[sel->key], id);
	bin2hex(desc + n, id, PGP_KEYID_LEN);
	n += 2 * PGP_KEYID_LEN;
	desc[n] = '\0';
	string_upper(desc + n - 2 * PGP_KEYID_LEN, desc + n - 2 * PGP_KEYID_LEN);
	return desc;
}

/* Key ids for `keyctl search ... id:<hex>`: the fingerprint (whose tail is a
 * v4 key id), and for v6, whose key id is the fingerprint's head, the key id.
 */
static struct asymmetric_key_ids *key_ids(const struct pgp_key_info *k)
{
	struct asymmetric_key_ids *kids = kzalloc(sizeof(*kids), GFP_KERNEL);
	struct asymmetric_key_id *id;
	u8 keyid[PGP_KEYID_LEN];

	if (!kids)
		return ERR_PTR(-ENOMEM);
	id = asymmetric_key_generate_id(k->fpr, k->fpr_len, NULL, 0);
	if (IS_ERR(id))
		goto err;
	kids->id[0] = id;
	if (k->version == 6) {
		pgp_key_id(k, keyid);
		id = asymmetric_key_generate_id(keyid, PGP_KEYID_LEN, NULL, 0);
		if (IS_ERR(id))
			goto err;
		kids->id[1] = id;
	}
	return kids;
err:
	kfree(kids->id[0]);
	kfree(kids);
	return ERR_CAST(id);
}

/* Only ECDSA keys need the curve lookup, which costs a crypto API search per
 * curve: skipped for the RSA certificates most distributions ship.
 */
static bool has_ecdsa_key(const struct pgp_cert *c)
{
	u16 i;

	for (i = 0; i < c->n_keys; i++)
		if (c->keys[i].pk_algo == PGP_PK_ECDSA)
			return true;
	return false;
}

static const char *reason(int err)
{
	switch (err) {
	case -ENOPKG:
		return "algorithm this kernel cannot verify";
	case -EKEYREVOKED:
		return "key revoked";
	case -EKEYEXPIRED:
		return "key expired";
	case -ENOKEY:
		return "no key matches the selector";
	case -EKEYREJECTED:
		return "no valid signing key (bindings, flags, size or hash policy)";
	case -ENOTUNIQ:
		return "more than one certificate";
	case -EMSGSIZE:
		return "too large";
	default:
		return "malformed";
	}
}

/*
 * Parses one certificate and selects the key @want names (or the best).
 * @read is set when the certificate was read and the error, if any, is
 * the selection's verdict.
 */
static int select_in_certificate(const u8 *payload, size_t len, const struct pgp_selector *want,
				 struct pgp_umd_work *work, struct pgp_selection *sel, bool *read)
{
	struct pgp_cert *cert = &work->cert;
	struct pgp_policy pol;
	int err;

	*read = false;
	err = pgp_umd_request(PGP_UMD_OP_PARSE_KEY, payload, len, &work->reply);
	if (!err)
		err = pgp_cert_load(cert, payload, len, &work->reply);
	if (!err)
		err = pgp_cert_fingerprints(cert, &pgp_umd_crypto_ops, NULL);
	if (!err) {
		err = pgp_cert_check_skipped(cert);
		if (err)
			pgp_umd_distrust("a skipped signature names the primary key");
	}
	if (err)
		return err;
	*read = true;
	pgp_umd_policy(&pol, has_ecdsa_key(cert));
	return pgp_cert_select(cert, &pol, want, &pgp_umd_crypto_ops, NULL, sel);
}

/*
 * Certificates one keyctl padd may look through for its selector: each
 * costs a handler round trip, so a blob of many tiny ones is refused with
 * -EMSGSIZE before any is sent (keyring files: pgp-umd keyring import).
 */
#define PGP_MAX_CERTIFICATES	64

static size_t count_certificates(const u8 *p, size_t len)
{
	size_t n = 0, one;

	for (; len && n <= PGP_MAX_CERTIFICATES; p += one, len -= one, n++)
		one = pgp_certificate_len(p, len);
	return n;
}

/*
 * A blob may hold several certificates (a keyring file, several armor
 * blocks). Without a selector that is refused with -ENOTUNIQ: which key to
 * add would be a guess. With one, the certificates are tried in order and
 * the first that holds the named key decides. When none holds it, the
 * error of the first certificate that could not be read is returned (it
 * might have held the key), else -ENOKEY. On success work->cert holds the
 * deciding certificate.
 */
static int select_in_blob(const u8 *payload, size_t len, const struct pgp_selector *want,
			  struct pgp_umd_work *work, struct pgp_selection *sel)
{
	size_t first = pgp_certificate_len(payload, len);
	int unread = 0, err;
	bool read;

	if (first == len)
		return select_in_certificate(payload, len, want, work, sel, &read);
	if (!want->len) {
		pr_info_ratelimited("several certificates: name the key with pgp:<fingerprint>\n");
		return -ENOTUNIQ;
	}
	if (count_certificates(payload, len) > PGP_MAX_CERTIFICATES)
		return -EMSGSIZE;
	while (len) {
		size_t n = pgp_certificate_len(payload, len);

		err = select_in_certificate(payload, n, want, work, sel, &read);
		if (read && err != -ENOKEY)
			return err;
		if (!read && !unread)
			unread = err;
		payload += n;
		len -= n;
	}
	return unread ? unread : -ENOKEY;
}

static int pgp_key_parse(struct key_preparsed_payload *prep)
{
	const char *selector = prep->orig_description;
	struct asymmetric_key_ids *kids = NULL;
	struct asymmetric_key_subtype *subtype;
	struct pgp_selection sel = { 0 };
	struct pgp_umd_work *work = NULL;
	struct public_key *pk = NULL;
	struct pgp_selector want;
	struct pgp_cert *cert;
	const u8 *payload;
	size_t len;
	u8 *owned = NULL;
	char *desc = NULL;
	int err;

	if (!looks_like_pgp(prep->data, prep->datalen))
		return -EBADMSG;
	err = pgp_parse_selector(selector, selector ? strlen(selector) : 0, &want);
	if (err) {
		pr_info_ratelimited("description is not a pgp:<fingerprint or key id> selector\n");
		return err;
	}
	err = pgp_umd_dearmor(prep->data, prep->datalen, PGP_ARMOR_LABEL_KEY, &payload, &len,
			      &owned);
	if (err)
		return err;
	work = pgp_umd_work_get();
	if (!work) {
		err = -ENOMEM;
		goto out;
	}
	cert = &work->cert;
	err = select_in_blob(payload, len, &want, work, &sel);
	if (err) {
		pr_info_ratelimited("key refused: %s (%d)\n", reason(err), err);
		goto out;
	}
	pk = pgp_umd_public_key(&cert->keys[sel.key]);
	if (IS_ERR(pk)) {
		err = PTR_ERR(pk);
		pk = NULL;
		goto out;
	}
	kids = key_ids(&cert->keys[sel.key]);
	if (IS_ERR(kids)) {
		err = PTR_ERR(kids);
		kids = NULL;
		goto out;
	}
	desc = describe(cert, &sel);
	if (!desc) {
		err = -ENOMEM;
		goto out;
	}
	/* Ed25519, which the kernel's crypto lacks: this module's subtype. */
	subtype = strcmp(pk->pkey_algo, PGP_ED25519_PKEY_ALGO) ? &public_key_subtype :
								 &pgp_ed25519_subtype;
	__module_get(subtype->owner);
	prep->payload.data[asym_subtype] = subtype;
	prep->payload.data[asym_key_ids] = kids;
	prep->payload.data[asym_crypto] = pk;
	prep->payload.data[asym_auth] = NULL;
	prep->description = desc;
	prep->quotalen = 100;
	if (sel.expiry)
		prep->expiry = sel.expiry;
	kids = NULL;
	pk = NULL;
	desc = NULL;
out:
	if (kids) {
		kfree(kids->id[0]);
		kfree(kids->id[1]);
		kfree(kids);
	}
	if (pk)
		public_key_free(pk);
	kfree(desc);
	pgp_umd_work_put(work);
	kvfree(owned);
	return err;
}

static struct asymmetric_key_parser pgp_key_parser = {
	.owner = THIS_MODULE,
	.name = "pgp",
	.parse = pgp_key_parse,
};

int pgp_umd_key_init(void)
{
	return register_asymmetric_key_parser(&pgp_key_parser);
}

void pgp_umd_key_exit(void)
{
	unregister_asymmetric_key_parser(&pgp_key_parser);
}
