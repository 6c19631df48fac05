/*
 * portmap: the port-mapping table of one WANIPConnection.
 *
 * Each entry sits in three structures at once:
 *   - an AVL tree ordered by (protocol, external port, RemoteHost), for
 *     lookups, conflicts, listing and the free-port search;
 *   - `order', the entries in creation order: the GetGeneric index
 *     (VC-22), compacted on every deletion (WIC-055);
 *   - `heap', a binary min-heap of the dynamic entries by lease end, for
 *     expiry and the timer.
 * Descriptions are allocated to their length: a full table of 131070
 * entries costs about 10 MB, not 40.
 */
#include "portmap.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/*
 * An AVL tree of n nodes is at most 1.45 log2(n + 2) high: 64 levels is
 * more than any table that fits in memory.
 */
#define TREE_DEPTH_MAX	64
#define NOT_IN_HEAP	SIZE_MAX
#define BROADCAST	0xffffffffu		/* 255.255.255.255, VC-06 */

struct entry {
	struct portmap_key key;
	struct in_addr	 internal_client;
	struct in_addr	 creator;
	uint16_t	 internal_port;
	bool		 enabled;
	bool		 doomed;	/* marked for a batch deletion */
	enum portmap_origin origin;
	uint32_t	 expires;
	char		*desc;
	struct entry	*left, *right;	/* AVL tree by key */
	int		 height;
	size_t		 pos;		/* index in order[] */
	size_t		 hpos;		/* index in heap[]; NOT_IN_HEAP */
};

struct portmap {
	struct entry	*root;
	struct entry	**order;	/* creation order, count used */
	struct entry	**heap;		/* by expires, nheap used */
	size_t		 count;
	size_t		 nheap;
	size_t		 cap;		/* of order[] and heap[] */
	size_t		 max;
};

/* In-order walk of the tree with an explicit stack (no parent links). */
struct iter {
	struct entry	*stack[TREE_DEPTH_MAX];
	int		 n;
};

static const char *const status_names[] = {
	"ok", "conflict", "foreign", "not found", "no ports", "full",
	"out of memory", "invalid"
};

const char *
portmap_proto_name(enum portmap_proto proto)
{
	return proto == PORTMAP_UDP ? "UDP" : "TCP";
}

const char *
portmap_status_name(enum portmap_status st)
{
	if ((size_t)st >= sizeof(status_names) / sizeof(status_names[0]))
		return "unknown";
	return status_names[st];
}

/* ---- the key and the tree ------------------------------------------ */

/* Protocol, then port, then RemoteHost numerically: the wildcard first. */
static int
key_cmp(const struct portmap_key *a, const struct portmap_key *b)
{
	uint32_t ha, hb;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->eport != b->eport)
		return a->eport < b->eport ? -1 : 1;
	ha = ntohl(a->remote_host.s_addr);
	hb = ntohl(b->remote_host.s_addr);
	if (ha != hb)
		return ha < hb ? -1 : 1;
	return 0;
}

static int
height(const struct entry *e)
{
	return e == NULL ? 0 : e->height;
}

static void
fix_height(struct entry *e)
{
	int l = height(e->left), r = height(e->right);

	e->height = 1 + (l > r ? l : r);
}

static struct entry *
rotate_right(struct entry *y)
{
	struct entry *x = y->left;

	y->left = x->right;
	x->right = y;
	fix_height(y);
	fix_height(x);
	return x;
}

static struct entry *
rotate_left(struct entry *x)
{
	struct entry *y = x->right;

	x->right = y->left;
	y->left = x;
	fix_height(x);
	fix_height(y);
	return y;
}

/* Restores the AVL property at e, whose subtrees are AVL trees. */
static struct entry *
rebalance(struct entry *e)
{
	int bf;

	fix_height(e);
	bf = height(e->left) - height(e->right);
	if (bf > 1) {
		if (height(e->left->left) < height(e->left->right))
			e->left = rotate_left(e->left);
		return rotate_right(e);
	}
	if (bf < -1) {
		if (height(e->right->right) < height(e->right->left))
			e->right = rotate_right(e->right);
		return rotate_left(e);
	}
	return e;
}

/* Inserts e, whose key is not in the tree t; returns the new root. */
static struct entry *
tree_insert(struct entry *t, struct entry *e)
{
	if (t == NULL) {
		e->left = e->right = NULL;
		e->height = 1;
		return e;
	}
	if (key_cmp(&e->key, &t->key) < 0)
		t->left = tree_insert(t->left, e);
	else
		t->right = tree_insert(t->right, e);
	return rebalance(t);
}

/* Detaches the smallest node of t into *min; returns the new root. */
static struct entry *
tree_unlink_min(struct entry *t, struct entry **min)
{
	if (t->left == NULL) {
		*min = t;
		return t->right;
	}
	t->left = tree_unlink_min(t->left, min);
	return rebalance(t);
}

/* Removes e, which is in the tree t; returns the new root. */
static struct entry *
tree_remove(struct entry *t, const struct entry *e)
{
	struct entry *m;
	int c = key_cmp(&e->key, &t->key);

	if (c < 0)
		t->left = tree_remove(t->left, e);
	else if (c > 0)
		t->right = tree_remove(t->right, e);
	else {
		if (t->right == NULL)
			return t->left;
		m = NULL;
		t->right = tree_unlink_min(t->right, &m);
		m->left = t->left;
		m->right = t->right;
		return rebalance(m);
	}
	return rebalance(t);
}

static struct entry *
tree_find(struct entry *t, const struct portmap_key *key)
{
	int c;

	while (t != NULL) {
		if ((c = key_cmp(key, &t->key)) == 0)
			return t;
		t = c < 0 ? t->left : t->right;
	}
	return NULL;
}

/* Positions it on the first entry >= key and returns it (NULL: none). */
static struct entry *
iter_seek(struct iter *it, struct entry *t, const struct portmap_key *key)
{
	it->n = 0;
	while (t != NULL) {
		if (key_cmp(key, &t->key) <= 0) {
			it->stack[it->n++] = t;
			t = t->left;
		} else
			t = t->right;
	}
	return it->n > 0 ? it->stack[it->n - 1] : NULL;
}

/* Steps past the current entry; returns the next one (NULL: the end). */
static struct entry *
iter_next(struct iter *it)
{
	struct entry *t = it->stack[--it->n]->right;

	while (t != NULL) {
		it->stack[it->n++] = t;
		t = t->left;
	}
	return it->n > 0 ? it->stack[it->n - 1] : NULL;
}

/* First entry of proto with eport >= port, or NULL. */
static struct entry *
seek_port(struct iter *it, const struct portmap *pm, enum portmap_proto proto,
    uint16_t port)
{
	struct portmap_key k = { .proto = proto, .eport = port };
	struct entry *e = iter_seek(it, pm->root, &k);

	return e != NULL && e->key.proto == proto ? e : NULL;
}

/* ---- the expiry heap --------------------------------------------------- */

static void
heap_set(struct portmap *pm, size_t i, struct entry *e)
{
	pm->heap[i] = e;
	e->hpos = i;
}

static void
heap_up(struct portmap *pm, size_t i)
{
	struct entry *e = pm->heap[i];
	size_t p;

	while (i > 0) {
		p = (i - 1) / 2;
		if (pm->heap[p]->expires <= e->expires)
			break;
		heap_set(pm, i, pm->heap[p]);
		i = p;
	}
	heap_set(pm, i, e);
}

static void
heap_down(struct portmap *pm, size_t i)
{
	struct entry *e = pm->heap[i];
	size_t c;

	while ((c = 2 * i + 1) < pm->nheap) {
		if (c + 1 < pm->nheap &&
		    pm->heap[c + 1]->expires < pm->heap[c]->expires)
			c++;
		if (e->expires <= pm->heap[c]->expires)
			break;
		heap_set(pm, i, pm->heap[c]);
		i = c;
	}
	heap_set(pm, i, e);
}

/* Room is guaranteed: nheap < count <= cap once e is counted. */
static void
heap_push(struct portmap *pm, struct entry *e)
{
	heap_set(pm, pm->nheap++, e);
	heap_up(pm, e->hpos);
}

static void
heap_remove(struct portmap *pm, struct entry *e)
{
	size_t i = e->hpos;
	struct entry *last = pm->heap[--pm->nheap];

	e->hpos = NOT_IN_HEAP;
	if (last == e)
		return;
	heap_set(pm, i, last);
	heap_up(pm, i);
	heap_down(pm, last->hpos);
}

/* ---- entries ------------------------------------------------------------ */

static void
entry_free(struct entry *e)
{
	free(e->desc);
	free(e);
}

static void
copy_out(const struct entry *e, struct mapping *out)
{
	out->key = e->key;
	out->internal_client = e->internal_client;
	out->internal_port = e->internal_port;
	out->enabled = e->enabled;
	/* Stored descriptions are checked to fit (check_request). */
	strcpy(out->desc, e->desc);
	out->expires = e->expires;
	out->origin = e->origin;
	out->creator = e->creator;
}

static uint32_t
lease_end(uint32_t lease, uint32_t now)
{
	if (lease == PORTMAP_STATIC)
		return PORTMAP_NEVER;
	/* Saturate below the static marker (136 years of uptime away). */
	if (lease >= PORTMAP_NEVER - now)
		return PORTMAP_NEVER - 1;
	return now + lease;
}

static enum portmap_status
check_request(const struct mapping *req, uint32_t lease)
{
	if (req->key.proto != PORTMAP_TCP && req->key.proto != PORTMAP_UDP)
		return PORTMAP_INVALID;
	if (req->key.eport == 0 || req->internal_port == 0)
		return PORTMAP_INVALID;
	if (req->internal_client.s_addr == 0)
		return PORTMAP_INVALID;
	if (memchr(req->desc, '\0', sizeof(req->desc)) == NULL)
		return PORTMAP_INVALID;
	/* WIC-062: no UPnP action can create a static mapping. */
	if (lease == PORTMAP_STATIC && req->origin == PORTMAP_ORIGIN_UPNP)
		return PORTMAP_INVALID;
	return PORTMAP_OK;
}

/*
 * "Same InternalClient" of the result tables.  A broadcast entry belongs
 * to the CP that created it (VC-06), so its creator must match too.
 */
static bool
same_client(const struct entry *e, const struct mapping *req)
{
	if (e->internal_client.s_addr != req->internal_client.s_addr)
		return false;
	return e->internal_client.s_addr != htonl(BROADCAST) ||
	    e->creator.s_addr == req->creator.s_addr;
}

/*
 * Judges req on external port `port' against every entry with the same
 * (protocol, port), whatever its RemoteHost: the rows 13-16 of §2.5.16.
 * PORTMAP_OK with *same the entry to overwrite (row 16) or NULL (rows
 * 1-12, 14: a new entry); otherwise PORTMAP_FOREIGN or PORTMAP_CONFLICT.
 */
static enum portmap_status
judge_port(const struct portmap *pm, const struct mapping *req, uint16_t port,
    struct entry **same)
{
	struct iter it;
	struct entry *e;
	bool conflict = false;

	*same = NULL;
	for (e = seek_port(&it, pm, req->key.proto, port);
	    e != NULL && e->key.proto == req->key.proto && e->key.eport == port;
	    e = iter_next(&it)) {
		/* VC-11: administrator configuration wins; checked first. */
		if (req->origin == PORTMAP_ORIGIN_UPNP &&
		    e->origin != PORTMAP_ORIGIN_UPNP)
			return PORTMAP_FOREIGN;
		if (!same_client(e, req))
			conflict = true;		/* rows 13, 15 */
		else if (e->key.remote_host.s_addr ==
		    req->key.remote_host.s_addr)
			*same = e;			/* row 16 */
	}
	return conflict ? PORTMAP_CONFLICT : PORTMAP_OK;
}

/* Grows order[] and heap[] to hold n entries; the table is unchanged. */
static enum portmap_status
reserve(struct portmap *pm, size_t n)
{
	struct entry **p;
	size_t cap;

	if (n <= pm->cap)
		return PORTMAP_OK;
	cap = pm->cap == 0 ? 16 : pm->cap;
	while (cap < n)
		cap *= 2;
	if ((p = reallocarray(pm->order, cap, sizeof(*p))) == NULL)
		return PORTMAP_NOMEM;
	pm->order = p;
	if ((p = reallocarray(pm->heap, cap, sizeof(*p))) == NULL)
		return PORTMAP_NOMEM;	/* order[] merely grew: harmless */
	pm->heap = p;
	pm->cap = cap;
	return PORTMAP_OK;
}

/* Sets e's lease end and moves it in, out of or within the heap. */
static void
set_expires(struct portmap *pm, struct entry *e, uint32_t expires)
{
	e->expires = expires;
	if (e->hpos != NOT_IN_HEAP) {
		if (expires == PORTMAP_NEVER)
			heap_remove(pm, e);
		else {
			heap_up(pm, e->hpos);
			heap_down(pm, e->hpos);
		}
	} else if (expires != PORTMAP_NEVER)
		heap_push(pm, e);
}

/* Row 16: everything but the key, creator and index (VC-22). */
static enum portmap_status
overwrite(struct portmap *pm, struct entry *e, const struct mapping *req,
    uint32_t lease, uint32_t now, enum portmap_change *change)
{
	char *desc = NULL;
	bool updated;

	if (strcmp(e->desc, req->desc) != 0 &&
	    (desc = strdup(req->desc)) == NULL)
		return PORTMAP_NOMEM;
	/* VC-12: a lease-only refresh is not an update. */
	updated = desc != NULL || e->internal_port != req->internal_port ||
	    e->enabled != req->enabled || e->origin != req->origin;
	if (desc != NULL) {
		free(e->desc);
		e->desc = desc;
	}
	e->internal_port = req->internal_port;
	e->enabled = req->enabled;
	e->origin = req->origin;
	set_expires(pm, e, lease_end(lease, now));
	if (change != NULL)
		*change = updated ? PORTMAP_UPDATED : PORTMAP_REFRESHED;
	return PORTMAP_OK;
}

/* A new entry for req on external port `port', appended to the index. */
static enum portmap_status
insert(struct portmap *pm, const struct mapping *req, uint16_t port,
    uint32_t lease, uint32_t now, struct entry **ep)
{
	struct entry *e;

	if (pm->count >= pm->max)
		return PORTMAP_FULL;
	if (reserve(pm, pm->count + 1) != PORTMAP_OK)
		return PORTMAP_NOMEM;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return PORTMAP_NOMEM;
	if ((e->desc = strdup(req->desc)) == NULL) {
		free(e);
		return PORTMAP_NOMEM;
	}
	e->key = req->key;
	e->key.eport = port;
	e->internal_client = req->internal_client;
	e->creator = req->creator;
	e->internal_port = req->internal_port;
	e->enabled = req->enabled;
	e->origin = req->origin;
	e->expires = lease_end(lease, now);
	e->hpos = NOT_IN_HEAP;
	pm->root = tree_insert(pm->root, e);
	e->pos = pm->count;
	pm->order[pm->count++] = e;
	if (e->expires != PORTMAP_NEVER)
		heap_push(pm, e);
	*ep = e;
	return PORTMAP_OK;
}

/* Applies the verdict of judge_port: overwrite `same' or insert. */
static enum portmap_status
commit(struct portmap *pm, const struct mapping *req, uint16_t port,
    struct entry *same, uint32_t lease, uint32_t now, struct mapping *out,
    enum portmap_change *change)
{
	enum portmap_status st;
	struct entry *e = same;

	if (same != NULL)
		st = overwrite(pm, same, req, lease, now, change);
	else {
		st = insert(pm, req, port, lease, now, &e);
		if (st == PORTMAP_OK && change != NULL)
			*change = PORTMAP_CREATED;
	}
	if (st == PORTMAP_OK && out != NULL)
		copy_out(e, out);
	return st;
}

/* Unlinks e from the tree and heap and frees it; order[] is the caller's. */
static void
destroy(struct portmap *pm, struct entry *e)
{
	pm->root = tree_remove(pm->root, e);
	if (e->hpos != NOT_IN_HEAP)
		heap_remove(pm, e);
	entry_free(e);
}

/* Deletes every doomed entry in one pass over order[] (WIC-055). */
static size_t
sweep(struct portmap *pm)
{
	struct entry *e;
	size_t i, j;

	for (i = j = 0; i < pm->count; i++) {
		e = pm->order[i];
		if (e->doomed) {
			destroy(pm, e);
			continue;
		}
		e->pos = j;
		pm->order[j++] = e;
	}
	i = pm->count - j;
	pm->count = j;
	return i;
}

/*
 * First port of [lo, hi] that no entry of proto uses (whatever the
 * RemoteHost) and that allowed() accepts; 0 if none.
 */
static uint16_t
scan_ports(const struct portmap *pm, enum portmap_proto proto, uint32_t lo,
    uint32_t hi, portmap_port_fn allowed, void *arg)
{
	struct iter it;
	struct entry *e;
	uint32_t p;

	if (lo > hi)
		return 0;
	e = seek_port(&it, pm, proto, (uint16_t)lo);
	for (p = lo; p <= hi; p++) {
		while (e != NULL && e->key.proto == proto && e->key.eport < p)
			e = iter_next(&it);
		if (e != NULL && e->key.proto == proto && e->key.eport == p)
			continue;
		if (allowed == NULL || allowed((uint16_t)p, arg))
			return (uint16_t)p;
	}
	return 0;
}

/* VC-17: above the request up to 65535, then from 1 up to below it. */
static uint16_t
find_free_port(const struct portmap *pm, enum portmap_proto proto,
    uint16_t want, portmap_port_fn allowed, void *arg)
{
	uint16_t p;

	if ((p = scan_ports(pm, proto, (uint32_t)want + 1, UINT16_MAX,
	    allowed, arg)) != 0)
		return p;
	return scan_ports(pm, proto, 1, (uint32_t)want - 1, allowed, arg);
}

/* ---- the API -------------------------------------------------------- */

struct portmap *
portmap_new(size_t max)
{
	struct portmap *pm;

	if ((pm = calloc(1, sizeof(*pm))) == NULL)
		return NULL;
	pm->max = max;
	return pm;
}

void
portmap_free(struct portmap *pm)
{
	size_t i;

	if (pm == NULL)
		return;
	for (i = 0; i < pm->count; i++)
		entry_free(pm->order[i]);
	free(pm->order);
	free(pm->heap);
	free(pm);
}

void
portmap_set_max(struct portmap *pm, size_t max)
{
	pm->max = max;
}

size_t
portmap_count(const struct portmap *pm)
{
	return pm->count;
}

enum portmap_status
portmap_add(struct portmap *pm, const struct mapping *req, uint32_t lease,
    uint32_t now, struct mapping *out, enum portmap_change *change)
{
	enum portmap_status st;
	struct entry *same;

	if ((st = check_request(req, lease)) != PORTMAP_OK)
		return st;
	if ((st = judge_port(pm, req, req->key.eport, &same)) != PORTMAP_OK)
		return st;
	return commit(pm, req, req->key.eport, same, lease, now, out, change);
}

enum portmap_status
portmap_add_any(struct portmap *pm, const struct mapping *req, uint32_t lease,
    uint32_t now, portmap_port_fn allowed, void *arg, struct mapping *out,
    enum portmap_change *change)
{
	enum portmap_status st;
	struct entry *same;
	uint16_t port;

	if ((st = check_request(req, lease)) != PORTMAP_OK)
		return st;
	port = req->key.eport;
	/* Rows 1-12, 14 and 16 keep the requested port (WIC-164, VC-07). */
	if ((allowed == NULL || allowed(port, arg)) &&
	    judge_port(pm, req, port, &same) == PORTMAP_OK)
		return commit(pm, req, port, same, lease, now, out, change);
	/* Rows 13 and 15: another port, never 718 (WIC-165). */
	if (pm->count >= pm->max)
		return PORTMAP_FULL;
	port = find_free_port(pm, req->key.proto, port, allowed, arg);
	if (port == 0)
		return PORTMAP_NO_PORTS;
	return commit(pm, req, port, NULL, lease, now, out, change);
}

enum portmap_status
portmap_replace(struct portmap *pm, const struct mapping *m)
{
	struct entry *e;
	char *desc = NULL;

	if (memchr(m->desc, '\0', sizeof(m->desc)) == NULL)
		return PORTMAP_INVALID;
	if ((e = tree_find(pm->root, &m->key)) == NULL)
		return PORTMAP_NOT_FOUND;
	if (strcmp(e->desc, m->desc) != 0 && (desc = strdup(m->desc)) == NULL)
		return PORTMAP_NOMEM;
	if (desc != NULL) {
		free(e->desc);
		e->desc = desc;
	}
	e->internal_client = m->internal_client;
	e->creator = m->creator;
	e->internal_port = m->internal_port;
	e->enabled = m->enabled;
	e->origin = m->origin;
	set_expires(pm, e, m->expires);
	return PORTMAP_OK;
}

enum portmap_status
portmap_get(const struct portmap *pm, const struct portmap_key *key,
    struct mapping *out)
{
	struct entry *e;

	if ((e = tree_find(pm->root, key)) == NULL)
		return PORTMAP_NOT_FOUND;
	copy_out(e, out);
	return PORTMAP_OK;
}

enum portmap_status
portmap_at(const struct portmap *pm, size_t i, struct mapping *out)
{
	if (i >= pm->count)
		return PORTMAP_NOT_FOUND;
	copy_out(pm->order[i], out);
	return PORTMAP_OK;
}

enum portmap_status
portmap_delete(struct portmap *pm, const struct portmap_key *key,
    struct mapping *gone)
{
	struct entry *e;
	size_t i;

	if ((e = tree_find(pm->root, key)) == NULL)
		return PORTMAP_NOT_FOUND;
	if (gone != NULL)
		copy_out(e, gone);
	for (i = e->pos + 1; i < pm->count; i++) {
		pm->order[i - 1] = pm->order[i];
		pm->order[i - 1]->pos = i - 1;
	}
	pm->count--;
	destroy(pm, e);
	return PORTMAP_OK;
}

size_t
portmap_delete_range(struct portmap *pm, enum portmap_proto proto,
    uint16_t start, uint16_t end, portmap_filter_fn may, void *arg)
{
	struct mapping m;
	struct iter it;
	struct entry *e;
	size_t n = 0;

	/* Mark first, delete after: the walk must not see the tree change. */
	for (e = seek_port(&it, pm, proto, start);
	    e != NULL && e->key.proto == proto && e->key.eport <= end;
	    e = iter_next(&it)) {
		if (may != NULL) {
			copy_out(e, &m);
			if (!may(&m, arg))
				continue;
		}
		e->doomed = true;
		n++;
	}
	return n == 0 ? 0 : sweep(pm);
}

size_t
portmap_list(const struct portmap *pm, enum portmap_proto proto,
    uint16_t start, uint16_t end, size_t max, portmap_filter_fn filter,
    portmap_entry_fn fn, void *arg)
{
	struct mapping m;
	struct iter it;
	struct entry *e;
	size_t n = 0;

	for (e = seek_port(&it, pm, proto, start);
	    e != NULL && e->key.proto == proto && e->key.eport <= end &&
	    (max == 0 || n < max);
	    e = iter_next(&it)) {
		copy_out(e, &m);
		if (filter != NULL && !filter(&m, arg))
			continue;
		fn(&m, arg);
		n++;
	}
	return n;
}

size_t
portmap_expire(struct portmap *pm, uint32_t now, struct mapping *gone,
    size_t n)
{
	struct entry *e;
	size_t k;

	for (k = 0; k < n && pm->nheap > 0 && pm->heap[0]->expires <= now;
	    k++) {
		e = pm->heap[0];
		heap_remove(pm, e);
		if (gone != NULL)
			copy_out(e, &gone[k]);
		e->doomed = true;
	}
	/* One compaction for the whole batch (WIC-067). */
	return k == 0 ? 0 : sweep(pm);
}

bool
portmap_next_expiry(const struct portmap *pm, uint32_t *when)
{
	if (pm->nheap == 0)
		return false;
	*when = pm->heap[0]->expires;
	return true;
}

uint32_t
portmap_remaining(const struct mapping *m, uint32_t now)
{
	if (m->expires == PORTMAP_NEVER)
		return 0;
	/* VC-15: never 0 while the entry exists; 0 means static. */
	if (m->expires <= now)
		return 1;
	return m->expires - now;
}
