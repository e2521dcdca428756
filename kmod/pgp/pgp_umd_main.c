// SPDX-License-Identifier: GPL-2.0
/*
 * pgp_umd - the manager: owns the user mode driver that parses OpenPGP, sends
 * it requests, and checks every reply before anything else looks at it.
 *
 * The handler binary is embedded in pgp_umd_loader, which umd_mgmt loads on
 * demand. Replies are checked by the pure-C sanitizer against the kernel's
 * own copy of the payload (pgp_reply.c); nothing the handler says is used
 * before that.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>

#include "pgp_umd.h"
#include "pgp_reply.h"
#include "pgp_armor.h"

static unsigned int min_rsa_bits = 2048;
module_param(min_rsa_bits, uint, 0644);
MODULE_PARM_DESC(min_rsa_bits, "Smallest RSA modulus accepted, in bits (default 2048)");

/* 2019-01-01T00:00:00Z */
static unsigned long long sha1_cutoff = 1546300800ULL;
module_param(sha1_cutoff, ullong, 0644);
MODULE_PARM_DESC(sha1_cutoff,
		 "Certificate self-signatures using SHA-1 are accepted only if made before this Unix time (default 2019-01-01)");

static bool allow_sha1;
module_param(allow_sha1, bool, 0644);
MODULE_PARM_DESC(allow_sha1,
		 "UNSAFE: accept SHA-1 signatures over data (default off; SHA-1 collisions are practical)");

static atomic_t pgp_umd_seq = ATOMIC_INIT(0);

static int pgp_umd_post_start(struct umd_mgmt *mgmt);

/* The work area of the last request that ended, for the next one. */
static struct pgp_umd_work *spare_work;

struct umd_mgmt pgp_umd_mgmt = {
	.info.driver_name = "pgp-umd",
	.lock = __MUTEX_INITIALIZER(pgp_umd_mgmt.lock),
	.post_start = pgp_umd_post_start,
	.kmod = "pgp_umd_loader",
};
EXPORT_SYMBOL_GPL(pgp_umd_mgmt);

/*
 * The policy from the module parameters and the clock. @with_curves: also
 * look up which ECDSA curves the kernel has (key selection needs them; a
 * signature over data does not). The lookup loads no module: that happens
 * once, at init (see pgp_umd_curves()).
 */
void pgp_umd_policy(struct pgp_policy *pol, bool with_curves)
{
	memset(pol, 0, sizeof(*pol));
	pol->now = ktime_get_real_seconds();
	pol->min_rsa_bits = READ_ONCE(min_rsa_bits);
	pol->sha1_cutoff = READ_ONCE(sha1_cutoff);
	pol->allow_sha1_data = READ_ONCE(allow_sha1);
	if (with_curves)
		pol->curves = pgp_umd_curves(false);
}

static void fill_header(struct pgp_umd_request_header *h, u16 op, u32 seq, size_t len)
{
	memset(h, 0, sizeof(*h));
	h->magic = PGP_UMD_MAGIC;
	h->version = PGP_UMD_VERSION;
	h->op = op;
	h->seq = seq;
	h->payload_len = len;
}

/* A health check right after start, under the lock (so umd_send_recv()). */
static int pgp_umd_post_start(struct umd_mgmt *mgmt)
{
	struct pgp_umd_request_header h;
	struct pgp_umd_short_reply *r;
	u32 seq = atomic_inc_return(&pgp_umd_seq);
	int err;

	r = kmalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	fill_header(&h, PGP_UMD_OP_HEALTH, seq, 0);
	err = umd_send_recv(&mgmt->info, &h, sizeof(h), r, sizeof(*r));
	if (!err && (r->header.magic != PGP_UMD_MAGIC || r->header.seq != seq ||
		     r->header.status != PGP_UMD_STATUS_OK))
		err = -EPROTO;
	kfree(r);
	return err;
}

static int status_errno(u32 status)
{
	switch (status) {
	case PGP_UMD_STATUS_OK:
		return 0;
	case PGP_UMD_STATUS_PAYLOAD_TOO_LARGE:
	case PGP_UMD_STATUS_TOO_MANY_PACKETS:
	case PGP_UMD_STATUS_TOO_MANY_KEYS:
	case PGP_UMD_STATUS_TOO_MANY_USER_IDS:
	case PGP_UMD_STATUS_TOO_MANY_SIGNATURES:
	case PGP_UMD_STATUS_TOO_MANY_SUBPACKETS:
		return -EMSGSIZE;
	case PGP_UMD_STATUS_MULTIPLE_CERTIFICATES:
		return -ENOTUNIQ;
	case PGP_UMD_STATUS_BAD_MAGIC:
	case PGP_UMD_STATUS_BAD_VERSION:
	case PGP_UMD_STATUS_UNKNOWN_OP:
	case PGP_UMD_STATUS_BAD_FLAGS:
	case PGP_UMD_STATUS_INTERNAL_ERROR:
		return -EPROTO;
	default:
		return -EBADMSG;
	}
}

/* The length of a packed reply (PARSE_KEY) from its header. */
static long packed_reply_len(const void *head, size_t head_len)
{
	size_t len = pgp_reply_packed_len(head);

	return len ? (long)len : -EBADMSG;
}

/* One request, and what its reply check found. */
struct pgp_umd_exchange {
	u16 op;
	u32 seq;
	const u8 *payload;
	size_t len;
	struct pgp_umd_reply *reply;
	struct pgp_umd_short_reply *short_reply;
	struct pgp_reply_fault_info fault;
	bool refused;
};

/*
 * The reply check, run by umd_mgmt under its lock: a reply it refuses stops
 * the handler that gave it before any other caller can reach that handler.
 * A good reply that is not OK (the parser refused the input) retires the
 * handler too: an input that made the parser refuse may have been the one
 * that subverted it, and the next request must not meet that handler.
 */
static int pgp_umd_check(void *ctx, const void *out, size_t got)
{
	struct pgp_umd_exchange *x = ctx;
	int err;

	if (x->op == PGP_UMD_OP_PARSE_KEY)
		err = pgp_reply_unpack(x->reply, got);
	else
		err = pgp_reply_expand_short(x->short_reply, x->reply);
	if (err) {
		/* Counts beyond the tables. */
		x->fault.table = PGP_REPLY_TABLE_HEADER;
		x->fault.fault = PGP_REPLY_COUNT_TOO_LARGE;
		x->fault.row = 0;
		err = -EBADMSG;
	} else {
		err = pgp_reply_check(x->op, x->seq, x->payload, x->len, x->reply,
				      &x->fault);
	}
	if (err) {
		x->refused = true;
		return err;
	}
	return x->reply->header.status == PGP_UMD_STATUS_OK ? 0 : UMD_REPLY_RETIRE;
}

/*
 * One exchange: PARSE_KEY's packed reply is unpacked into @x->reply, any
 * other op's short reply is received into @x->short_reply and expanded; the
 * reply is checked (pgp_umd_check()) under umd_mgmt's lock.
 */
static int exchange(struct pgp_umd_exchange *x, void *req, size_t req_len)
{
	struct umd_exchange ux = {
		.in = req,
		.in_len = req_len,
		.check = pgp_umd_check,
		.ctx = x,
	};
	int err;

	if (x->op == PGP_UMD_OP_PARSE_KEY) {
		ux.out = x->reply;
		ux.out_len = sizeof(*x->reply);
		ux.reply_len = packed_reply_len;
		ux.head_len = sizeof(x->reply->header);
	} else {
		ux.out = x->short_reply;
		ux.out_len = sizeof(*x->short_reply);
	}
	x->refused = false;
	err = umd_mgmt_exchange(&pgp_umd_mgmt, &ux);
	if (!x->refused && (err == -EMSGSIZE || err == -EBADMSG)) {
		/* A packed reply's counts beyond the tables (left unread). */
		x->fault.table = PGP_REPLY_TABLE_HEADER;
		x->fault.fault = PGP_REPLY_COUNT_TOO_LARGE;
		x->fault.row = 0;
		x->refused = true;
		err = -EBADMSG;
	}
	return err;
}

/**
 * pgp_umd_distrust() - replace the handler after a lie found past the sanitizer
 * @why: what was wrong, for the log
 *
 * For a reply that passed pgp_reply_check() but that the certificate policy
 * found false (a skipped signature by the primary key): the handler that
 * sent it is stopped, as after any refused reply, and the next request
 * starts a fresh one.
 */
void pgp_umd_distrust(const char *why)
{
	pr_warn_ratelimited("reply refused: %s; handler replaced\n", why);
	umd_mgmt_stop(&pgp_umd_mgmt);
}

/**
 * pgp_umd_request() - have the handler parse @payload and check its answer
 * @op: PGP_UMD_OP_PARSE_KEY or PGP_UMD_OP_PARSE_SIGNATURE
 * @payload: binary OpenPGP, kept by the caller (the reply points into it)
 * @len: its length, at most PGP_UMD_MAX_PAYLOAD
 * @reply: filled in with the checked reply (packed ones unpacked, short ones
 *	expanded)
 *
 * A handler that dies mid-request is replaced and the request sent once more
 * (parsing is idempotent). A reply that does not echo the request is a
 * protocol violation: the handler is stopped and the request retried once. A
 * reply that fails the sanitizer stops the handler and fails the request. A
 * well-formed refusal (the parser's answer is not OK) is returned as its
 * errno, and the handler that gave it is replaced before the next request.
 * All of these stops happen in the same hold of umd_mgmt's lock as the
 * exchange, so they never hit a handler another caller started meanwhile.
 *
 * Return: 0 with @reply an exact map of @payload; -EMSGSIZE (too large for
 * the protocol), -ENOTUNIQ (several certificates), -EBADMSG (malformed input,
 * or a reply that fails the checks), -EPROTO (the handler broke the
 * protocol twice, or sent bytes after its reply), -EIO (it died twice, did
 * not seal itself, or its binary was replaced since the loader was loaded),
 * -ETIMEDOUT, -EINTR, -ENOPROTOOPT (no loader), -ENOMEM.
 */
int pgp_umd_request(u16 op, const u8 *payload, size_t len, struct pgp_umd_reply *reply)
{
	struct pgp_umd_exchange x = {
		.op = op, .payload = payload, .len = len, .reply = reply,
	};
	u8 *req;
	int attempt, err = -EIO;

	if (len > PGP_UMD_MAX_PAYLOAD)
		return -EMSGSIZE;
	req = kvmalloc(sizeof(struct pgp_umd_request_header) + len, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	if (op != PGP_UMD_OP_PARSE_KEY) {
		x.short_reply = kmalloc(sizeof(*x.short_reply), GFP_KERNEL);
		if (!x.short_reply) {
			kvfree(req);
			return -ENOMEM;
		}
	}
	memcpy(req + sizeof(struct pgp_umd_request_header), payload, len);
	for (attempt = 0; attempt < 2; attempt++) {
		x.seq = atomic_inc_return(&pgp_umd_seq);
		fill_header((struct pgp_umd_request_header *)req, op, x.seq, len);
		err = exchange(&x, req, sizeof(struct pgp_umd_request_header) + len);
		if (err == -EPIPE || err == -EIO) {
			err = -EIO;
			continue;	/* the handler died: a fresh one gets it */
		}
		if (!err || !x.refused)
			break;
		pr_warn_ratelimited("reply refused (table %u, fault %u, row %u); handler replaced\n",
				    x.fault.table, x.fault.fault, x.fault.row);
		if (x.fault.table == PGP_REPLY_TABLE_HEADER &&
		    x.fault.fault == PGP_REPLY_BAD_ECHO) {
			err = -EPROTO;
			continue;
		}
		break;
	}
	kfree(x.short_reply);
	kvfree(req);
	if (err)
		return err;
	err = status_errno(reply->header.status);
	if (err)
		pr_info_ratelimited("input refused by the parser: status %u at byte %u\n",
				    reply->header.status, reply->header.error_offset);
	return err;
}

/**
 * pgp_umd_work_get() - a work area for one request
 *
 * A fresh kvmalloc() of the 103 KB work area on every request is costly:
 * Debian's kernels zero every allocation (init_on_alloc), and these are
 * page allocations of order 3 (docs/benchmarks.md, "add_key"). So the area
 * of the last finished request is kept and handed to the next; callers
 * running at the same time get their own. Its old contents are never read:
 * the reply is received or expanded over all of it, and pgp_cert_load() and
 * pgp_sig_load() clear the rest.
 *
 * Context: process context, may sleep.
 * Return: the area, or NULL when out of memory.
 */
struct pgp_umd_work *pgp_umd_work_get(void)
{
	struct pgp_umd_work *work = xchg(&spare_work, NULL);

	return work ? work : kvmalloc(sizeof(*work), GFP_KERNEL);
}

/**
 * pgp_umd_work_put() - end the use of a work area
 * @work: from pgp_umd_work_get(), or NULL
 *
 * Keeps it for the next request if none is kept yet, else frees it.
 */
void pgp_umd_work_put(struct pgp_umd_work *work)
{
	if (work && cmpxchg(&spare_work, NULL, work))
		kvfree(work);
}

int pgp_umd_dearmor(const u8 *data, size_t len, const char *label, const u8 **payload,
		    size_t *payload_len, u8 **owned)
{
	u8 *scratch, *out;
	int err;

	*owned = NULL;
	if (!pgp_is_armored(data, len)) {
		*payload = data;
		*payload_len = len;
		return 0;
	}
	scratch = kvmalloc(len, GFP_KERNEL);
	out = kvmalloc(len, GFP_KERNEL);
	if (!scratch || !out) {
		kvfree(scratch);
		kvfree(out);
		return -ENOMEM;
	}
	err = pgp_dearmor(data, len, label, scratch, out, payload_len);
	kvfree(scratch);
	if (err) {
		kvfree(out);
		return err;
	}
	*payload = out;
	*owned = out;
	return 0;
}

static int __init pgp_umd_init(void)
{
	int err;

	/* Loads what ECDSA modules there are, once (see pgp_umd_curves()). */
	pgp_umd_curves(true);
	err = pgp_umd_key_init();
	if (err)
		return err;
	err = pgp_umd_verify_init();
	if (err)
		pgp_umd_key_exit();
	return err;
}

static void __exit pgp_umd_exit(void)
{
	pgp_umd_verify_exit();
	pgp_umd_key_exit();
	kvfree(xchg(&spare_work, NULL));
}

module_init(pgp_umd_init);
module_exit(pgp_umd_exit);

MODULE_DESCRIPTION("OpenPGP keys and signatures through a user mode driver");
MODULE_LICENSE("GPL");
MODULE_SOFTDEP("pre: umd_mgmt");
