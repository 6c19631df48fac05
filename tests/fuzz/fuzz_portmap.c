/*
 * fuzz_portmap: random sequences of src/portmap.c operations, decoded from
 * the input, checked after every step against a naive model: an array of
 * struct mapping in creation order that implements the rules of
 * portmap.h literally (linear scans, a port bitmap for add_any).
 *
 * Checked after each operation: its status, its *out / *gone / change,
 * the callbacks' sequences (list, delete_range), and then the whole
 * table: count, portmap_at for every index (all fields), portmap_get for
 * every entry, the full listing of both protocols in key order,
 * portmap_next_expiry.
 *
 * Input: byte 0 = table limit, bytes 1-4 = starting clock, then one
 * operation after another until the input runs dry (see decode_* below).
 */
#include "portmap.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define MODEL_MAX	40		/* largest table limit we set */
#define MAX_STEPS	400		/* operations per input */

struct model {
	struct mapping	e[MODEL_MAX];	/* creation order = GetGeneric index */
	size_t		n;
	size_t		max;
};

static struct model mo;
static struct portmap *pm;
static uint32_t now;
static uint8_t used[65536];		/* add_any: ports in use (scratch) */

/* ---- decoding ------------------------------------------------------ */

static const uint16_t ports[] = {
	1, 2, 3, 80, 1023, 1024, 1025, 2000, 2001, 65534, 65535
};
static const uint32_t rhosts[] = {	/* host order; 0 = wildcard */
	0, 0x01020304, 0x05060708, 0xcb007102, 0xffffffff
};
static const uint32_t clients[] = {
	0x0a000001, 0x0a000002, 0xffffffff, 0
};
static const uint32_t creators[] = { 0x0a000001, 0x0a000002, 0x0a000003 };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static enum portmap_proto
decode_proto(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	/* Mostly TCP/UDP; now and then a value outside the enum. */
	return (enum portmap_proto)(b % 16 == 15 ? 2 : b & 1);
}

static uint16_t
decode_port(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	if (b < 0xf0)
		return ports[b % NELEM(ports)];
	return fuzz_u16(in);		/* any port, 0 included */
}

static struct portmap_key
decode_key(struct fuzz_in *in)
{
	struct portmap_key k;

	memset(&k, 0, sizeof(k));
	k.proto = decode_proto(in);
	k.eport = decode_port(in);
	k.remote_host.s_addr = htonl(rhosts[fuzz_u8(in) % NELEM(rhosts)]);
	return k;
}

static void
decode_desc(struct fuzz_in *in, char *desc)
{
	uint8_t mode = fuzz_u8(in);
	size_t len;

	switch (mode % 4) {
	case 0:
		desc[0] = '\0';
		break;
	case 1:
		strcpy(desc, "a");
		break;
	case 2:
		strcpy(desc, "b");
		break;
	default:
		len = fuzz_u16(in) % (PORTMAP_DESC_MAX + 2);
		if (len == PORTMAP_DESC_MAX + 1) {
			/* No NUL in the buffer at all: PORTMAP_INVALID. */
			memset(desc, 'x', PORTMAP_DESC_MAX + 1);
			break;
		}
		len = fuzz_bytes(in, desc, len);
		desc[len] = '\0';
		break;
	}
}

static uint32_t
decode_lease(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	switch (b % 8) {
	case 0:
		return PORTMAP_STATIC;
	case 1:
		return fuzz_u32(in);
	case 2:
		return PORTMAP_LEASE_MAX;
	default:
		return 1 + b / 8;	/* short: expiry happens */
	}
}

static void
decode_request(struct fuzz_in *in, struct mapping *m)
{
	uint8_t b;

	memset(m, 0, sizeof(*m));
	m->key = decode_key(in);
	b = fuzz_u8(in);
	m->internal_client.s_addr = htonl(clients[b % NELEM(clients)]);
	m->creator.s_addr = htonl(creators[(b / 4) % NELEM(creators)]);
	m->enabled = (b & 0x10) != 0;
	m->origin = (b & 0xe0) == 0xe0 ? PORTMAP_ORIGIN_CONFIG :
	    (b & 0xe0) == 0xc0 ? PORTMAP_ORIGIN_ADMIN : PORTMAP_ORIGIN_UPNP;
	m->internal_port = decode_port(in);
	decode_desc(in, m->desc);
}

/* add_any's `allowed' and delete_range/list filters: data, not code. */
struct allow {
	uint16_t	lo, hi;
	uint8_t		mod, rem;
};

static bool
allowed_fn(uint16_t port, void *arg)
{
	const struct allow *a = arg;

	return port >= a->lo && port <= a->hi &&
	    (a->mod < 2 || port % a->mod != a->rem);
}

struct filter {
	uint8_t		seed;
	struct portmap_key seen[MODEL_MAX];
	size_t		nseen;
	struct mapping	got[MODEL_MAX];
	size_t		ngot;
};

static bool
filter_verdict(const struct mapping *m, uint8_t seed)
{
	unsigned h = m->key.eport * 31u + m->internal_port * 7u +
	    (unsigned)m->origin + ntohl(m->key.remote_host.s_addr) + seed;

	return (h >> 1) % 3 != 0;
}

static bool
filter_fn(const struct mapping *m, void *arg)
{
	struct filter *f = arg;

	FUZZ_CHECK(f->nseen < MODEL_MAX, "filter called too often");
	f->seen[f->nseen++] = m->key;
	return filter_verdict(m, f->seed);
}

static void
collect_fn(const struct mapping *m, void *arg)
{
	struct filter *f = arg;

	FUZZ_CHECK(f->ngot < MODEL_MAX, "list callback called too often");
	f->got[f->ngot++] = *m;
}

/* ---- the model ------------------------------------------------------- */

static bool
key_eq(const struct portmap_key *a, const struct portmap_key *b)
{
	return a->proto == b->proto && a->eport == b->eport &&
	    a->remote_host.s_addr == b->remote_host.s_addr;
}

/* Key order of portmap.h: protocol, port, RemoteHost (wildcard first). */
static int
key_order(const struct portmap_key *a, const struct portmap_key *b)
{
	uint32_t ha = ntohl(a->remote_host.s_addr);
	uint32_t hb = ntohl(b->remote_host.s_addr);

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->eport != b->eport)
		return a->eport < b->eport ? -1 : 1;
	return ha < hb ? -1 : ha > hb;
}

static void
check_mapping(const struct mapping *got, const struct mapping *want,
    const char *what)
{
	FUZZ_CHECK(key_eq(&got->key, &want->key), "%s: key", what);
	FUZZ_CHECK(got->internal_client.s_addr == want->internal_client.s_addr,
	    "%s: internal client", what);
	FUZZ_CHECK(got->internal_port == want->internal_port,
	    "%s: internal port %u != %u", what, got->internal_port,
	    want->internal_port);
	FUZZ_CHECK(got->enabled == want->enabled, "%s: enabled", what);
	FUZZ_CHECK(memchr(got->desc, '\0', sizeof(got->desc)) != NULL,
	    "%s: description not terminated", what);
	FUZZ_CHECK(strcmp(got->desc, want->desc) == 0, "%s: description",
	    what);
	FUZZ_CHECK(got->expires == want->expires, "%s: expires %u != %u",
	    what, got->expires, want->expires);
	FUZZ_CHECK(got->origin == want->origin, "%s: origin", what);
	FUZZ_CHECK(got->creator.s_addr == want->creator.s_addr,
	    "%s: creator", what);
}

static int
model_find(const struct portmap_key *k)
{
	size_t i;

	for (i = 0; i < mo.n; i++)
		if (key_eq(&mo.e[i].key, k))
			return (int)i;
	return -1;
}

static void
model_remove(size_t i)
{
	memmove(&mo.e[i], &mo.e[i + 1], (mo.n - i - 1) * sizeof(mo.e[0]));
	mo.n--;
}

static uint32_t
model_lease_end(uint32_t lease, uint32_t t)
{
	if (lease == PORTMAP_STATIC)
		return PORTMAP_NEVER;
	if (lease >= PORTMAP_NEVER - t)
		return PORTMAP_NEVER - 1;
	return t + lease;
}

static enum portmap_status
model_check_request(const struct mapping *req, uint32_t lease)
{
	if (req->key.proto != PORTMAP_TCP && req->key.proto != PORTMAP_UDP)
		return PORTMAP_INVALID;
	if (req->key.eport == 0 || req->internal_port == 0 ||
	    req->internal_client.s_addr == 0)
		return PORTMAP_INVALID;
	if (memchr(req->desc, '\0', sizeof(req->desc)) == NULL)
		return PORTMAP_INVALID;
	if (lease == PORTMAP_STATIC && req->origin == PORTMAP_ORIGIN_UPNP)
		return PORTMAP_INVALID;
	return PORTMAP_OK;
}

static bool
model_same_client(const struct mapping *e, const struct mapping *req)
{
	if (e->internal_client.s_addr != req->internal_client.s_addr)
		return false;
	return e->internal_client.s_addr != htonl(0xffffffff) ||
	    e->creator.s_addr == req->creator.s_addr;
}

/* Rows 13-16 against every entry on (proto, port); *same: row 16. */
static enum portmap_status
model_judge(const struct mapping *req, uint16_t port, int *same)
{
	bool foreign = false, conflict = false;
	size_t i;

	*same = -1;
	for (i = 0; i < mo.n; i++) {
		const struct mapping *e = &mo.e[i];

		if (e->key.proto != req->key.proto || e->key.eport != port)
			continue;
		if (req->origin == PORTMAP_ORIGIN_UPNP &&
		    e->origin != PORTMAP_ORIGIN_UPNP)
			foreign = true;
		else if (!model_same_client(e, req))
			conflict = true;
		else if (e->key.remote_host.s_addr ==
		    req->key.remote_host.s_addr)
			*same = (int)i;
	}
	if (foreign)
		return PORTMAP_FOREIGN;
	return conflict ? PORTMAP_CONFLICT : PORTMAP_OK;
}

static enum portmap_status
model_commit(const struct mapping *req, uint16_t port, int same,
    uint32_t lease, struct mapping *out, enum portmap_change *change)
{
	struct mapping *e;
	bool updated;

	if (same >= 0) {
		e = &mo.e[same];
		updated = strcmp(e->desc, req->desc) != 0 ||
		    e->internal_port != req->internal_port ||
		    e->enabled != req->enabled || e->origin != req->origin;
		strcpy(e->desc, req->desc);
		e->internal_port = req->internal_port;
		e->enabled = req->enabled;
		e->origin = req->origin;
		e->expires = model_lease_end(lease, now);
		*change = updated ? PORTMAP_UPDATED : PORTMAP_REFRESHED;
	} else {
		if (mo.n >= mo.max)
			return PORTMAP_FULL;
		e = &mo.e[mo.n++];
		memset(e, 0, sizeof(*e));
		e->key = req->key;
		e->key.eport = port;
		e->internal_client = req->internal_client;
		e->creator = req->creator;
		e->internal_port = req->internal_port;
		e->enabled = req->enabled;
		e->origin = req->origin;
		strcpy(e->desc, req->desc);
		e->expires = model_lease_end(lease, now);
		*change = PORTMAP_CREATED;
	}
	*out = *e;
	return PORTMAP_OK;
}

static enum portmap_status
model_add(const struct mapping *req, uint32_t lease, struct mapping *out,
    enum portmap_change *change)
{
	enum portmap_status st;
	int same;

	if ((st = model_check_request(req, lease)) != PORTMAP_OK)
		return st;
	if ((st = model_judge(req, req->key.eport, &same)) != PORTMAP_OK)
		return st;
	return model_commit(req, req->key.eport, same, lease, out, change);
}

static enum portmap_status
model_add_any(const struct mapping *req, uint32_t lease,
    const struct allow *allow, struct mapping *out,
    enum portmap_change *change)
{
	enum portmap_status st;
	uint32_t p, want = req->key.eport;
	uint16_t port = 0;
	size_t i;
	int same;

	if ((st = model_check_request(req, lease)) != PORTMAP_OK)
		return st;
	if ((allow == NULL || allowed_fn((uint16_t)want, (void *)allow)) &&
	    model_judge(req, (uint16_t)want, &same) == PORTMAP_OK)
		return model_commit(req, (uint16_t)want, same, lease, out,
		    change);
	if (mo.n >= mo.max)
		return PORTMAP_FULL;
	memset(used, 0, sizeof(used));
	for (i = 0; i < mo.n; i++)
		if (mo.e[i].key.proto == req->key.proto)
			used[mo.e[i].key.eport] = 1;
	/* want+1 .. 65535, then 1 .. want-1 (VC-17). */
	for (p = want + 1; p != want; p = p == 65535 ? 1 : p + 1) {
		if (p == 65536) {
			p = 0;
			continue;
		}
		if (!used[p] && (allow == NULL ||
		    allowed_fn((uint16_t)p, (void *)allow))) {
			port = (uint16_t)p;
			break;
		}
	}
	if (port == 0)
		return PORTMAP_NO_PORTS;
	return model_commit(req, port, -1, lease, out, change);
}

/* Indexes of the model's entries of proto in [lo, hi], in key order. */
static size_t
model_range(enum portmap_proto proto, uint16_t lo, uint16_t hi, size_t *idx)
{
	size_t i, j, n = 0, t;

	for (i = 0; i < mo.n; i++)
		if (mo.e[i].key.proto == proto && mo.e[i].key.eport >= lo &&
		    mo.e[i].key.eport <= hi)
			idx[n++] = i;
	for (i = 1; i < n; i++)		/* insertion sort: n <= 40 */
		for (j = i; j > 0 && key_order(&mo.e[idx[j - 1]].key,
		    &mo.e[idx[j]].key) > 0; j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	return n;
}

/* ---- comparing the whole table ------------------------------------------ */

static void
check_table(void)
{
	struct filter f;
	struct mapping m;
	size_t i, n, idx[MODEL_MAX];
	uint32_t when, min = PORTMAP_NEVER;
	int p;

	FUZZ_CHECK(portmap_count(pm) == mo.n, "count %zu, model %zu",
	    portmap_count(pm), mo.n);
	for (i = 0; i < mo.n; i++) {
		FUZZ_CHECK(portmap_at(pm, i, &m) == PORTMAP_OK, "at(%zu)", i);
		check_mapping(&m, &mo.e[i], "portmap_at");
		FUZZ_CHECK(portmap_get(pm, &mo.e[i].key, &m) == PORTMAP_OK,
		    "get of entry %zu", i);
		check_mapping(&m, &mo.e[i], "portmap_get");
		if (mo.e[i].expires != PORTMAP_NEVER && mo.e[i].expires < min)
			min = mo.e[i].expires;
	}
	FUZZ_CHECK(portmap_at(pm, mo.n, &m) == PORTMAP_NOT_FOUND,
	    "at(count) found");
	for (p = PORTMAP_TCP; p <= PORTMAP_UDP; p++) {
		memset(&f, 0, sizeof(f));
		FUZZ_CHECK(portmap_list(pm, (enum portmap_proto)p, 0, 65535,
		    0, NULL, collect_fn, &f) == f.ngot, "list count");
		n = model_range((enum portmap_proto)p, 0, 65535, idx);
		FUZZ_CHECK(f.ngot == n, "full list of %d: %zu, model %zu", p,
		    f.ngot, n);
		for (i = 0; i < n; i++)
			check_mapping(&f.got[i], &mo.e[idx[i]], "full list");
	}
	if (min == PORTMAP_NEVER)
		FUZZ_CHECK(!portmap_next_expiry(pm, &when),
		    "next_expiry with no dynamic entry");
	else {
		FUZZ_CHECK(portmap_next_expiry(pm, &when), "no next_expiry");
		FUZZ_CHECK(when == min, "next_expiry %u, model %u", when, min);
	}
}

/* ---- operations ------------------------------------------------------ */

static void
op_add(struct fuzz_in *in, bool any)
{
	struct mapping req, out, mout;
	enum portmap_change ch = PORTMAP_CREATED, mch = PORTMAP_CREATED;
	enum portmap_status st, mst;
	struct allow allow;
	uint32_t lease;
	bool use_allow;

	decode_request(in, &req);
	lease = decode_lease(in);
	use_allow = any && (fuzz_u8(in) & 1);
	allow.lo = decode_port(in);
	allow.hi = decode_port(in);
	allow.mod = fuzz_u8(in) % 8;
	allow.rem = allow.mod > 0 ? fuzz_u8(in) % allow.mod : 0;
	if (any) {
		mst = model_add_any(&req, lease, use_allow ? &allow : NULL,
		    &mout, &mch);
		/* The model already changed: compare against its result. */
		st = portmap_add_any(pm, &req, lease, now,
		    use_allow ? allowed_fn : NULL, &allow, &out, &ch);
	} else {
		mst = model_add(&req, lease, &mout, &mch);
		st = portmap_add(pm, &req, lease, now, &out, &ch);
	}
	FUZZ_CHECK(st == mst, "%s: %s, model %s", any ? "add_any" : "add",
	    portmap_status_name(st), portmap_status_name(mst));
	if (st == PORTMAP_OK) {
		check_mapping(&out, &mout, "add out");
		FUZZ_CHECK(ch == mch, "add change %d, model %d", ch, mch);
	}
}

static void
op_delete(struct fuzz_in *in)
{
	struct portmap_key k;
	struct mapping gone;
	enum portmap_status st;
	int i;

	if (mo.n > 0 && (fuzz_u8(in) & 1))
		k = mo.e[fuzz_u8(in) % mo.n].key;
	else
		k = decode_key(in);
	i = model_find(&k);
	st = portmap_delete(pm, &k, (fuzz_u8(in) & 1) ? &gone : NULL);
	if (i < 0) {
		FUZZ_CHECK(st == PORTMAP_NOT_FOUND, "delete of absent: %s",
		    portmap_status_name(st));
		return;
	}
	FUZZ_CHECK(st == PORTMAP_OK, "delete: %s", portmap_status_name(st));
	model_remove((size_t)i);
}

static void
op_delete_range(struct fuzz_in *in)
{
	struct filter f;
	enum portmap_proto proto = decode_proto(in);
	uint16_t lo = decode_port(in), hi = decode_port(in);
	bool use_filter = fuzz_u8(in) & 1;
	size_t idx[MODEL_MAX], n, i, k, del = 0;

	memset(&f, 0, sizeof(f));
	f.seed = fuzz_u8(in);
	n = model_range(proto, lo, hi, idx);
	k = portmap_delete_range(pm, proto, lo, hi,
	    use_filter ? filter_fn : NULL, &f);
	if (use_filter) {
		/* `may' sees every candidate once, in listing order. */
		FUZZ_CHECK(f.nseen == n, "delete_range filter calls %zu, "
		    "model %zu", f.nseen, n);
		for (i = 0; i < n; i++)
			FUZZ_CHECK(key_eq(&f.seen[i], &mo.e[idx[i]].key),
			    "delete_range filter order at %zu", i);
	}
	/* Mark, then drop the marked ones in creation order. */
	for (i = 0; i < n; i++)
		if (!use_filter || filter_verdict(&mo.e[idx[i]], f.seed))
			idx[del++] = idx[i];
	FUZZ_CHECK(k == del, "delete_range deleted %zu, model %zu", k, del);
	/* Remove from the highest index down so earlier indexes hold. */
	while (del > 0) {
		size_t best = 0;

		for (i = 1; i < del; i++)
			if (idx[i] > idx[best])
				best = i;
		model_remove(idx[best]);
		idx[best] = idx[--del];
	}
}

static void
op_list(struct fuzz_in *in)
{
	struct filter f;
	enum portmap_proto proto = decode_proto(in);
	uint16_t lo = decode_port(in), hi = decode_port(in);
	size_t max = fuzz_u8(in) % 6;
	bool use_filter = fuzz_u8(in) & 1;
	size_t idx[MODEL_MAX], n, i, got, want = 0, calls = 0;

	memset(&f, 0, sizeof(f));
	f.seed = fuzz_u8(in);
	n = model_range(proto, lo, hi, idx);
	got = portmap_list(pm, proto, lo, hi, max,
	    use_filter ? filter_fn : NULL, collect_fn, &f);
	FUZZ_CHECK(got == f.ngot, "list returned %zu, fn got %zu", got,
	    f.ngot);
	for (i = 0; i < n && (max == 0 || want < max); i++) {
		if (use_filter) {
			FUZZ_CHECK(calls < f.nseen &&
			    key_eq(&f.seen[calls], &mo.e[idx[i]].key),
			    "list filter order at %zu", calls);
			calls++;
			if (!filter_verdict(&mo.e[idx[i]], f.seed))
				continue;
		}
		FUZZ_CHECK(want < f.ngot, "list: too few entries (%zu)",
		    f.ngot);
		check_mapping(&f.got[want], &mo.e[idx[i]], "list entry");
		want++;
	}
	FUZZ_CHECK(got == want, "list gave %zu, model %zu", got, want);
	if (use_filter)
		FUZZ_CHECK(f.nseen == calls, "list filter calls %zu, model "
		    "%zu", f.nseen, calls);
}

static void
op_expire(struct fuzz_in *in)
{
	struct mapping gone[MODEL_MAX];
	uint8_t b = fuzz_u8(in);
	size_t limit, k, i, cand = 0;
	uint32_t delta;
	int j;

	delta = b < 0xf0 ? b % 64 : fuzz_u32(in);
	now = delta > UINT32_MAX - now ? UINT32_MAX : now + delta;
	limit = (fuzz_u8(in) % 5);
	if (limit == 0)
		limit = SIZE_MAX;
	for (i = 0; i < mo.n; i++)
		if (mo.e[i].expires != PORTMAP_NEVER &&
		    mo.e[i].expires <= now)
			cand++;
	/* gone[] holds MODEL_MAX: limit it for SIZE_MAX too. */
	k = portmap_expire(pm, now, gone, limit == SIZE_MAX ? MODEL_MAX :
	    limit);
	FUZZ_CHECK(k == (cand < limit ? cand : limit), "expire %zu of %zu "
	    "(limit %zu)", k, cand, limit);
	for (i = 0; i < k; i++) {
		FUZZ_CHECK(i == 0 || gone[i - 1].expires <= gone[i].expires,
		    "expire: not earliest first");
		j = model_find(&gone[i].key);
		FUZZ_CHECK(j >= 0, "expire: gone entry not in the model");
		check_mapping(&gone[i], &mo.e[j], "expired entry");
		FUZZ_CHECK(mo.e[j].expires <= now &&
		    mo.e[j].expires != PORTMAP_NEVER, "expired too early");
		model_remove((size_t)j);
	}
	/* What stays must not end before what went (earliest first). */
	if (k > 0 && k < cand)
		for (i = 0; i < mo.n; i++)
			FUZZ_CHECK(mo.e[i].expires == PORTMAP_NEVER ||
			    mo.e[i].expires > now ||
			    mo.e[i].expires >= gone[k - 1].expires,
			    "expire skipped an earlier lease");
}

static void
op_replace(struct fuzz_in *in)
{
	struct mapping m, req;
	enum portmap_status st;
	int i;

	decode_request(in, &req);
	if (mo.n > 0 && (fuzz_u8(in) & 3) != 0) {
		m = mo.e[fuzz_u8(in) % mo.n];
		/* New values for everything but the key. */
		m.internal_client = req.internal_client;
		m.creator = req.creator;
		m.internal_port = req.internal_port;
		m.enabled = req.enabled;
		m.origin = req.origin;
		memcpy(m.desc, req.desc, sizeof(m.desc));
	} else
		m = req;
	m.expires = (fuzz_u8(in) & 1) ? PORTMAP_NEVER : now + fuzz_u8(in);
	st = portmap_replace(pm, &m);
	if (memchr(m.desc, '\0', sizeof(m.desc)) == NULL) {
		FUZZ_CHECK(st == PORTMAP_INVALID, "replace of a bad "
		    "description: %s", portmap_status_name(st));
		return;
	}
	if ((i = model_find(&m.key)) < 0) {
		FUZZ_CHECK(st == PORTMAP_NOT_FOUND, "replace of absent: %s",
		    portmap_status_name(st));
		return;
	}
	FUZZ_CHECK(st == PORTMAP_OK, "replace: %s", portmap_status_name(st));
	mo.e[i] = m;
}

static void
op_get(struct fuzz_in *in)
{
	struct portmap_key k = decode_key(in);
	struct mapping m;
	enum portmap_status st = portmap_get(pm, &k, &m);
	uint32_t r;
	int i = model_find(&k);

	FUZZ_CHECK(st == (i >= 0 ? PORTMAP_OK : PORTMAP_NOT_FOUND),
	    "get: %s", portmap_status_name(st));
	if (i < 0)
		return;
	check_mapping(&m, &mo.e[i], "get");
	r = portmap_remaining(&m, now);
	if (m.expires == PORTMAP_NEVER)
		FUZZ_CHECK(r == 0, "remaining of static %u", r);
	else if (m.expires <= now)
		FUZZ_CHECK(r == 1, "remaining of expired %u", r);
	else
		FUZZ_CHECK(r == m.expires - now, "remaining %u", r);
}

static void
run(struct fuzz_in *in)
{
	unsigned step;
	uint8_t op;

	for (step = 0; step < MAX_STEPS && fuzz_left(in); step++) {
		op = fuzz_u8(in);
		switch (op % 12) {
		case 0: case 1: case 2:
			op_add(in, false);
			break;
		case 3: case 4:
			op_add(in, true);
			break;
		case 5:
			op_delete(in);
			break;
		case 6:
			op_delete_range(in);
			break;
		case 7:
			op_list(in);
			break;
		case 8:
			op_expire(in);
			break;
		case 9:
			op_replace(in);
			break;
		case 10:
			mo.max = fuzz_u8(in) % (MODEL_MAX + 1);
			portmap_set_max(pm, mo.max);
			break;
		default:
			op_get(in);
			break;
		}
		check_table();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	memset(&mo, 0, sizeof(mo));
	mo.max = fuzz_u8(&in) % (MODEL_MAX + 1);
	now = fuzz_u32(&in);
	if ((pm = portmap_new(mo.max)) == NULL)
		abort();
	run(&in);
	portmap_free(pm);
	pm = NULL;
	return 0;
}
