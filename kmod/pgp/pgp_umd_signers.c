// SPDX-License-Identifier: GPL-2.0
/*
 * Every key of a keyring that a signature's issuer names.
 *
 * find_asymmetric_key() returns the first key whose id matches; a v4 key id
 * is 64 bits, so two keys can share one (made on purpose it takes hours of
 * one computer), and any X.509 certificate can carry a chosen subject key
 * identifier that equals a key id or a whole fingerprint. A good signature
 * by a key that is not the first match must still verify, as rpm and
 * sequoia do it: each matching key is tried in turn.
 *
 * The keys subsystem exports no iterator over a keyring, so the walk reads
 * the keyring's serials (its ->read(), as keyctl_read() does) and looks each
 * serial up with lookup_user_key(), as keyctl does: with the caller's search
 * permission (possession as the caller's own keyrings give it), refusing
 * keys that are revoked, invalidated or expired; negative keys are skipped.
 * That is never looser than the keyring_search() of find_asymmetric_key(),
 * which counts every key below the searched keyring as possessed: a key the
 * caller neither possesses nor may search otherwise is not tried. Nested
 * keyrings are walked to keyring_search()'s depth.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/key.h>
#include <linux/key-type.h>
#include <keys/asymmetric-type.h>

#include "pgp_umd_signers.h"

struct signer_walk {
	const struct asymmetric_key_id *id;
	bool partial;
	int (*try_key)(struct key *key, void *ctx);
	void *ctx;
	key_serial_t tried[PGP_SIGNER_MAX_TRIES];
	unsigned int ntried;
	unsigned int budget;		/* keyring entries left to look at */
	int err;			/* what to report if no key verifies */
	bool stop;			/* a key verified, a fatal error, or no tries left */
};

static bool names_key(const struct signer_walk *w, const struct key *key)
{
	const struct asymmetric_key_ids *kids = asymmetric_key_ids(key);
	size_t i;

	if (!kids)
		return false;
	for (i = 0; i < ARRAY_SIZE(kids->id); i++) {
		if (w->partial ? asymmetric_key_id_partial(kids->id[i], w->id) :
				 asymmetric_key_id_same(kids->id[i], w->id))
			return true;
	}
	return false;
}

/*
 * Of several keys' refusals the one reported is the one that says most: a
 * key that could check the signature and found it does not verify
 * (-EKEYREJECTED), else the first.
 */
static void note_refusal(struct signer_walk *w, int err)
{
	if (!w->err || err == -EKEYREJECTED)
		w->err = err;
}

static void try_one(struct signer_walk *w, struct key *key)
{
	unsigned int i;
	int err;

	for (i = 0; i < w->ntried; i++)
		if (w->tried[i] == key->serial)
			return;
	if (w->ntried == PGP_SIGNER_MAX_TRIES)
		return;
	w->tried[w->ntried++] = key->serial;
	err = w->try_key(key, w->ctx);
	if (err == -ENOKEY) {
		/* Not an OpenPGP key of this module: it costs no try, so keys
		 * of other kinds cannot use up the bound.
		 */
		w->ntried--;
		return;
	}
	if (!err || err == -ENOMEM) {
		w->err = err;
		w->stop = true;
		return;
	}
	note_refusal(w, err);
	/* No key can be tried any more: the rest of the walk is moot. */
	if (w->ntried == PGP_SIGNER_MAX_TRIES)
		w->stop = true;
}

/* The serials of @keyring's entries, at most w->budget of them. */
static key_serial_t *read_serials(struct signer_walk *w, struct key *keyring,
				  unsigned int *n)
{
	key_serial_t *serials = NULL;
	size_t want;
	long len;

	*n = 0;
	if (keyring->type != &key_type_keyring)
		return NULL;
	down_read(&keyring->sem);
	len = keyring->type->read(keyring, NULL, 0);
	if (len <= 0)
		goto out;
	want = min_t(size_t, len / sizeof(key_serial_t), w->budget);
	if (!want)
		goto out;
	serials = kmalloc_array(want, sizeof(*serials), GFP_KERNEL);
	if (!serials) {
		w->err = -ENOMEM;
		w->stop = true;
		goto out;
	}
	len = keyring->type->read(keyring, (char *)serials, want * sizeof(*serials));
	if (len < 0) {
		kfree(serials);
		serials = NULL;
		goto out;
	}
	/* The keyring may have shrunk between the two reads. */
	*n = min_t(size_t, want, len / sizeof(key_serial_t));
out:
	up_read(&keyring->sem);
	w->budget -= *n;
	return serials;
}

/* @depth: how many keyrings @keyring is below the searched one. */
static void walk_keyring(struct signer_walk *w, struct key *keyring, unsigned int depth)
{
	key_serial_t *serials;
	unsigned int i, n;

	serials = read_serials(w, keyring, &n);
	for (i = 0; i < n && !w->stop; i++) {
		struct key *key;
		key_ref_t ref;

		/* PARTIAL: do not wait for a key under construction. */
		ref = lookup_user_key(serials[i], KEY_LOOKUP_PARTIAL, KEY_NEED_SEARCH);
		if (IS_ERR(ref))
			continue;
		key = key_ref_to_ptr(ref);
		if (key_is_positive(key)) {
			if (key->type == &key_type_keyring) {
				if (depth < PGP_SIGNER_MAX_DEPTH)
					walk_keyring(w, key, depth + 1);
			} else if (key->type == &key_type_asymmetric && names_key(w, key)) {
				try_one(w, key);
			}
		}
		key_ref_put(ref);
	}
	kfree(serials);
}

/**
 * pgp_umd_try_signers() - try each key of a keyring that an issuer id names
 * @keyring: the keyring find_asymmetric_key() found @first in
 * @first: the key find_asymmetric_key() returned, tried first
 * @id: the issuer's fingerprint or key id
 * @partial: @id is a key id, matched against the tail of the keys' ids
 * @try_key: verifies with one key: 0 if it verifies, else an errno
 *           (-ENOKEY: not a key this module can use)
 * @ctx: passed to @try_key
 *
 * Tries @first, then every other key of @keyring and of the keyrings nested
 * in it that find_asymmetric_key() could have returned for @id, until one
 * verifies: at most %PGP_SIGNER_MAX_TRIES distinct keys, looking at most at
 * %PGP_SIGNER_MAX_ENTRIES keyring entries, down to %PGP_SIGNER_MAX_DEPTH
 * keyrings below @keyring.
 *
 * Context: Process context; sleeps. Reads each keyring under its semaphore
 * (for reading, one keyring at a time), so the caller must hold none of
 * them.
 *
 * Return: 0 when a key verified; -ENOMEM; else the refusal that says most
 * (-EKEYREJECTED if any key could check the signature, else the first
 * key's), or -ENOKEY when no key was an OpenPGP key of this module.
 */
int pgp_umd_try_signers(struct key *keyring, struct key *first,
			const struct asymmetric_key_id *id, bool partial,
			int (*try_key)(struct key *key, void *ctx), void *ctx)
{
	struct signer_walk w = {
		.id = id,
		.partial = partial,
		.try_key = try_key,
		.ctx = ctx,
		.budget = PGP_SIGNER_MAX_ENTRIES,
	};

	try_one(&w, first);
	if (!w.stop)
		walk_keyring(&w, keyring, 0);
	return w.err ? w.err : (w.stop ? 0 : -ENOKEY);
}
