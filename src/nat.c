/*
 * nat: table and kernel in step (see nat.h).
 */
#include "upnpcompat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "conn.h"
#include "device.h"
#include "fw.h"
#include "gw.h"
#include "log.h"
#include "nat.h"
#include "netif.h"
#include "persist.h"

#define EXPIRE_BATCH	64

static const char *const status_names[] = {
	"ok", "conflict", "claimed by another mechanism", "not found",
	"no free port", "table full", "kernel refused the change",
	"out of memory"
};

const char *
nat_status_name(enum nat_status st)
{
	return status_names[st];
}

/*
 * The rules of m. A UDP mapping to 255.255.255.255 (WIC-097, VC-06) goes
 * to the LAN's directed broadcast: the gateway would keep a datagram
 * sent to 255.255.255.255 for itself.
 */
static void
to_fw(const struct gw *gw, const struct mapping *m, struct fw_mapping *f)
{
	memset(f, 0, sizeof(*f));
	f->proto = m->key.proto == PORTMAP_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	f->remote = m->key.remote_host;
	f->eport = m->key.eport;
	f->iaddr = m->internal_client;
	if (f->iaddr.s_addr == INADDR_BROADCAST)
		f->iaddr = netif_broadcast(&gw->lan);
	f->iport = m->internal_port;
}

/*
 * A datagram DNATed to the directed broadcast is forwarded to the LAN
 * only with bc_forwarding on for the interface it came in on; turned on
 * with the first broadcast mapping, back as it was at stop (nat_stop).
 */
static int
bc_forwarding_on(struct gw *gw, struct fw_err *err)
{
	if (gw->bc_forwarding)
		return 0;
	if (netif_bc_forwarding_on(gw->cfg.wan_interface, &gw->bc_was) < 0) {
		err->err = errno;
		snprintf(err->where, sizeof(err->where), "bc_forwarding on %s "
		    "(directed broadcasts, Linux 5.0 and later)",
		    gw->cfg.wan_interface);
		return -1;
	}
	gw->bc_forwarding = true;
	log_notice("nat: directed broadcasts from %s are forwarded now, for "
	    "the mappings to 255.255.255.255", gw->cfg.wan_interface);
	return 0;
}

void
nat_stop(struct gw *gw)
{
	if (!gw->bc_forwarding)
		return;
	netif_bc_forwarding_restore(gw->cfg.wan_interface, gw->bc_was);
	gw->bc_forwarding = false;
}

enum kernel_op {
	KERNEL_DEL,
	KERNEL_ADD,
	KERNEL_ADD_EXCL		/* unless another rule claims the port */
};

static uint8_t
ip_proto(enum portmap_proto proto)
{
	return proto == PORTMAP_TCP ? IPPROTO_TCP : IPPROTO_UDP;
}

/* VC-11: a socket of the gateway listens on the port for the WAN. */
static bool
listening(struct gw *gw, enum portmap_proto proto, uint16_t port)
{
	return netif_listening(ip_proto(proto), port, gw->conn.addr);
}

/*
 * VC-11: a rule outside our chains claims the port; an unreadable table
 * counts as claimed.
 */
static bool
foreign_rule(struct gw *gw, enum portmap_proto proto, uint16_t port)
{
	struct fw_err err;
	int r;

	if ((r = fw_foreign(gw->fw, ip_proto(proto), port, &err)) < 0) {
		errno = err.err;
		log_warn("nat: foreign rule check: %s", err.where);
	}
	return r != 0;
}

bool
nat_port_claimed_locked(struct gw *gw, enum portmap_proto proto,
    uint16_t port)
{
	return listening(gw, proto, port) || foreign_rule(gw, proto, port);
}

/*
 * Installs (add) or removes the kernel rules of m; a disabled entry has
 * none (WIC-059), but KERNEL_ADD_EXCL still checks its port.  0; 1 when
 * another rule claims the port (KERNEL_ADD_EXCL); -1 after logging what
 * the kernel refused.
 */
static int
kernel(struct gw *gw, const struct mapping *m, enum kernel_op op)
{
	struct fw_mapping f;
	struct fw_err err;
	int r;

	to_fw(gw, m, &f);
	if (!m->enabled || !gw->forwarding)
		return op == KERNEL_ADD_EXCL &&
		    foreign_rule(gw, m->key.proto, m->key.eport) ? 1 : 0;
	if (op != KERNEL_DEL &&
	    m->internal_client.s_addr == INADDR_BROADCAST &&
	    bc_forwarding_on(gw, &err) < 0)
		r = -1;
	else if (op == KERNEL_DEL)
		r = fw_map_del(gw->fw, &f, &err);
	else if (op == KERNEL_ADD)
		r = fw_map_add(gw->fw, &f, &err);
	else
		r = fw_map_add_excl(gw->fw, &f, &err);
	if (r == 0)
		return 0;
	if (op == KERNEL_ADD_EXCL && err.err == EADDRINUSE)
		return 1;
	errno = err.err;
	log_warn("nat: %s %s %u: %s", op == KERNEL_DEL ? "delete" : "add",
	    portmap_proto_name(m->key.proto), m->key.eport, err.where);
	return -1;
}

#define kernel_add(gw, m)	kernel((gw), (m), KERNEL_ADD)
#define kernel_del(gw, m)	kernel((gw), (m), KERNEL_DEL)

/*
 * The table changed in a way the lease file must record (every change,
 * a refresh included).
 */
static void
touched(struct gw *gw)
{
	gw->lease_gen++;
}

/* One occurrence, one increment; wraps to 0 (VC-13). */
static void
changed(struct gw *gw)
{
	touched(gw);
	if (gw->batch) {
		gw->batch_changed = true;
		return;
	}
	gw->system_update_id++;
	gw->map_changed = true;
}

void
nat_batch_begin_locked(struct gw *gw)
{
	gw->batch = true;
	gw->batch_changed = false;
}

void
nat_batch_end_locked(struct gw *gw)
{
	gw->batch = false;
	if (gw->batch_changed)
		changed(gw);
	gw->batch_changed = false;
}

static enum nat_status
from_portmap(enum portmap_status st)
{
	switch (st) {
	case PORTMAP_OK:
		return NAT_OK;
	case PORTMAP_CONFLICT:
		return NAT_CONFLICT;
	case PORTMAP_FOREIGN:
		return NAT_FOREIGN;
	case PORTMAP_NOT_FOUND:
		return NAT_NOT_FOUND;
	case PORTMAP_NO_PORTS:
		return NAT_NO_PORTS;
	case PORTMAP_FULL:
		return NAT_FULL;
	case PORTMAP_NOMEM:
	case PORTMAP_INVALID:
		break;
	}
	return NAT_NOMEM;
}

/*
 * The table changed to *m, from *old if had_old (an overwrite of the same
 * key): make the kernel follow, or roll the table back if it refuses.
 * With excl, the change is refused (NAT_FOREIGN) when another mechanism
 * holds the port (VC-11): a socket of the gateway, or a rule, which the
 * add itself looks for in the same read of the nat table.
 */
static enum nat_status
follow(struct gw *gw, bool had_old, const struct mapping *old,
    const struct mapping *m, bool excl)
{
	bool same = had_old && old->enabled == m->enabled &&
	    old->internal_port == m->internal_port &&
	    old->internal_client.s_addr == m->internal_client.s_addr;
	enum nat_status ns = NAT_FOREIGN;
	int r;

	if (excl && listening(gw, m->key.proto, m->key.eport))
		goto undo;
	if (same) {		/* a refresh or a new description */
		if (!excl || !foreign_rule(gw, m->key.proto, m->key.eport))
			return NAT_OK;
		goto undo;
	}
	ns = NAT_KERNEL;
	if (had_old && kernel_del(gw, old) < 0)
		goto undo;
	if ((r = kernel(gw, m, excl ? KERNEL_ADD_EXCL : KERNEL_ADD)) == 0)
		return NAT_OK;
	if (r > 0)
		ns = NAT_FOREIGN;		/* no rule went in */
	if (had_old && kernel_add(gw, old) < 0)
		log_warnx("nat: %s %u: old rules could not be restored",
		    portmap_proto_name(old->key.proto), old->key.eport);
undo:
	if (!had_old)
		portmap_delete(gw->pm, &m->key, NULL);
	else if (portmap_replace(gw->pm, old) != PORTMAP_OK)
		log_warnx("nat: %s %u: table entry could not be restored",
		    portmap_proto_name(old->key.proto), old->key.eport);
	return ns;
}

enum nat_status
nat_add_locked(struct gw *gw, const struct mapping *req, uint32_t lease,
    enum nat_add_mode mode, portmap_port_fn allowed, void *arg,
    struct mapping *out)
{
	struct mapping old;
	enum portmap_change change;
	enum portmap_status st;
	enum nat_status ns;
	uint32_t now = clock_ticks_up();	/* never early (WIC-065) */
	bool had_old;

	if (lease != PORTMAP_STATIC)
		lease *= CLOCK_TICKS_PER_SEC;	/* at most 604800 s */

	had_old = portmap_get(gw->pm, &req->key, &old) == PORTMAP_OK;
	if (mode == NAT_ADD_ANY)
		st = portmap_add_any(gw->pm, req, lease, now, allowed, arg,
		    out, &change);
	else
		st = portmap_add(gw->pm, req, lease, now, out, &change);
	if (st != PORTMAP_OK)
		return from_portmap(st);
	/* add_any may have moved to another port: no old entry there. */
	if (out->key.eport != req->key.eport)
		had_old = false;
	if ((ns = follow(gw, had_old, &old, out, mode == NAT_ADD_EXCL)) !=
	    NAT_OK)
		return ns;
	if (change != PORTMAP_REFRESHED)
		changed(gw);		/* VC-12: a refresh is not a change */
	else
		touched(gw);		/* but the lease file keeps the end */
	pthread_cond_signal(&gw->timer_cond);
	return NAT_OK;
}

enum nat_status
nat_delete_locked(struct gw *gw, const struct portmap_key *key)
{
	struct mapping m;

	if (portmap_get(gw->pm, key, &m) != PORTMAP_OK)
		return NAT_NOT_FOUND;
	if (kernel_del(gw, &m) < 0)
		return NAT_KERNEL;
	portmap_delete(gw->pm, key, NULL);
	changed(gw);
	return NAT_OK;
}

struct collect {
	struct mapping	*v;
	size_t		 n, cap;
	bool		 nomem;
	portmap_filter_fn may;		/* the caller's filter and its arg */
	void		*arg;
};

static bool
collect_filter(const struct mapping *m, void *arg)
{
	struct collect *c = arg;

	return c->may == NULL || c->may(m, c->arg);
}

static void
collect_one(const struct mapping *m, void *arg)
{
	struct collect *c = arg;
	struct mapping *nv;

	if (c->nomem)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		if ((nv = realloc(c->v, c->cap * sizeof(*nv))) == NULL) {
			c->nomem = true;
			return;
		}
		c->v = nv;
	}
	c->v[c->n++] = *m;
}

enum nat_status
nat_delete_range_locked(struct gw *gw, enum portmap_proto proto,
    uint16_t start, uint16_t end, portmap_filter_fn may, void *arg,
    size_t *deleted)
{
	struct collect c = { NULL, 0, 0, false, may, arg };
	size_t i, j;

	*deleted = 0;
	portmap_list(gw->pm, proto, start, end, 0, collect_filter,
	    collect_one, &c);
	if (c.nomem) {
		free(c.v);
		return NAT_NOMEM;
	}
	for (i = 0; i < c.n; i++) {
		if (kernel_del(gw, &c.v[i]) == 0)
			continue;
		/* All or nothing (WIC-188): put back what went. */
		for (j = 0; j < i; j++)
			(void)kernel_add(gw, &c.v[j]);
		free(c.v);
		return NAT_KERNEL;
	}
	for (i = 0; i < c.n; i++)
		portmap_delete(gw->pm, &c.v[i].key, NULL);
	*deleted = c.n;
	free(c.v);
	if (*deleted == 0)
		return NAT_NOT_FOUND;
	changed(gw);			/* once for the whole range */
	return NAT_OK;
}

void
nat_remove_if_locked(struct gw *gw, portmap_filter_fn which, void *arg,
    size_t *deleted)
{
	struct collect c = { NULL, 0, 0, false, which, arg };
	size_t i;

	portmap_list(gw->pm, PORTMAP_TCP, 1, 65535, 0, collect_filter,
	    collect_one, &c);
	portmap_list(gw->pm, PORTMAP_UDP, 1, 65535, 0, collect_filter,
	    collect_one, &c);
	/* Out of memory: what was collected goes now, the rest stays. */
	for (i = 0; i < c.n; i++) {
		(void)kernel_del(gw, &c.v[i]);
		portmap_delete(gw->pm, &c.v[i].key, NULL);
	}
	if (c.n > 0)
		changed(gw);
	if (deleted != NULL)
		*deleted = c.n;
	free(c.v);
}

static void
log_expired(const struct mapping *m)
{
	char ic[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &m->internal_client, ic, sizeof(ic));
	log_info("nat: expired %s %u -> %s:%u",
	    portmap_proto_name(m->key.proto), m->key.eport, ic,
	    m->internal_port);
}

void
nat_expire_locked(struct gw *gw, uint32_t now)
{
	struct mapping gone[EXPIRE_BATCH];
	size_t n, i, total = 0;

	do {
		n = portmap_expire(gw->pm, now, gone, EXPIRE_BATCH);
		for (i = 0; i < n; i++) {
			/*
			 * The entry is gone from the table; a rule the kernel
			 * refuses to drop now is logged by kernel_del and
			 * reported by the consistency checks.
			 */
			(void)kernel_del(gw, &gone[i]);
			log_expired(&gone[i]);
		}
		total += n;
	} while (n == EXPIRE_BATCH);
	if (total > 0)
		changed(gw);		/* one tick, one increment (WIC-049) */
}

void
nat_conn_changed_locked(struct gw *gw, unsigned bits)
{
	/*
	 * A real router's rules match the interface and stay; only the
	 * emulated connection withdraws them while it is down.
	 */
	if ((bits & CONN_CHANGED_FORWARDING) && gw->cfg.wan_emulate)
		nat_set_forwarding_locked(gw, conn_forwarding(&gw->conn));
	else if ((bits & CONN_CHANGED_ADDR) && portmap_count(gw->pm) > 0)
		changed(gw);
	gw->conn_pending |= bits;
}

void
nat_set_forwarding_locked(struct gw *gw, bool on)
{
	struct mapping m;
	size_t i, n = portmap_count(gw->pm);

	if (gw->forwarding == on)
		return;
	if (!on) {
		for (i = 0; i < n; i++)
			if (portmap_at(gw->pm, i, &m) == PORTMAP_OK)
				(void)kernel_del(gw, &m);
		gw->forwarding = false;
	} else {
		gw->forwarding = true;
		for (i = 0; i < n; i++)
			if (portmap_at(gw->pm, i, &m) == PORTMAP_OK)
				(void)kernel_add(gw, &m);
	}
	log_notice("nat: forwarding %s for %zu mappings", on ? "restored" :
	    "withdrawn", n);
	if (n > 0)
		changed(gw);
}

bool
nat_take_change_locked(struct gw *gw, unsigned *entries, uint32_t *id)
{
	if (!gw->map_changed)
		return false;
	gw->map_changed = false;
	*entries = (unsigned)portmap_count(gw->pm);
	*id = gw->system_update_id;
	return true;
}

/*
 * Entered with the gateway lock, returns without it: events the change
 * if there is one (the event lock keeps events in change order), then
 * saves the lease file (after the event lock: persist takes the gateway
 * lock).
 */
static void
flush_unlock(struct gw *gw)
{
	unsigned entries;
	uint32_t id;
	bool ev;

	ev = nat_take_change_locked(gw, &entries, &id);
	device_events_begin_locked(gw);
	if (ev)
		device_notify_mappings(gw, entries, id);
	device_events_end(gw);
	(void)persist_save(gw);
}

void
nat_flush_changes(struct gw *gw)
{
	gw_lock(gw);
	flush_unlock(gw);
}

/* Absolute CLOCK_MONOTONIC time of lease tick `when', for the condvar. */
static struct timespec
deadline(uint32_t when, bool have)
{
	struct timespec ts;
	uint64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!have) {
		ts.tv_sec += 3600;	/* nothing to expire: wake rarely */
		return ts;
	}
	ns = (uint64_t)when * (1000000000ull / CLOCK_TICKS_PER_SEC);
	ts.tv_sec = (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	return ts;
}

uint32_t
nat_remaining(const struct mapping *m)
{
	uint32_t t = portmap_remaining(m, clock_ticks_up());

	/* 0 stays 0 (static); a dynamic entry reads at least 1 s (VC-15). */
	return (t + CLOCK_TICKS_PER_SEC - 1) / CLOCK_TICKS_PER_SEC;
}

static void *
timer_main(void *arg)
{
	struct gw *gw = arg;
	struct timespec ts;
	uint32_t when;
	bool have;

	gw_lock(gw);
	while (!gw->timer_stop) {
		nat_expire_locked(gw, clock_ticks());
		if (gw->map_changed) {
			flush_unlock(gw);
			gw_lock(gw);
			continue;
		}
		have = portmap_next_expiry(gw->pm, &when);
		ts = deadline(when, have);
		pthread_cond_timedwait(&gw->timer_cond, &gw->lock, &ts);
	}
	gw_unlock(gw);
	return NULL;
}

int
nat_timer_start(struct gw *gw)
{
	pthread_condattr_t ca;
	int rc;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&gw->timer_cond, &ca);
	pthread_condattr_destroy(&ca);
	gw->timer_stop = false;
	if ((rc = pthread_create(&gw->timer, NULL, timer_main, gw)) != 0) {
		errno = rc;
		log_warn("nat: lease timer");
		return -1;
	}
	gw->timer_running = true;
	return 0;
}

void
nat_timer_stop(struct gw *gw)
{
	if (!gw->timer_running)
		return;
	gw_lock(gw);
	gw->timer_stop = true;
	pthread_cond_signal(&gw->timer_cond);
	gw_unlock(gw);
	pthread_join(gw->timer, NULL);
	gw->timer_running = false;
}
