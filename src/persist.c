/*
 * persist: the lease file on disk (see persist.h).
 */
#include "upnpcompat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ctlproto.h"
#include "gw.h"
#include "lease.h"
#include "log.h"
#include "nat.h"
#include "persist.h"
#include "portmap.h"
#include "service.h"
#include "store.h"
#include "strbuf.h"

/*
 * The lease end of m in wall-clock seconds (0: static), to the nearest
 * second: with the restore rounding the same way, a lease comes back at
 * most a second off.
 */
static uint64_t
wall_end(const struct mapping *m, uint32_t now_ticks, uint64_t wall_ms)
{
	uint64_t left_ms;

	if (m->expires == PORTMAP_NEVER)
		return 0;
	left_ms = (uint64_t)(m->expires - now_ticks) * 1000 /
	    CLOCK_TICKS_PER_SEC;
	return (wall_ms + left_ms + 500) / 1000;
}

/* The file's text for the table as it is now. */
static void
snapshot_locked(struct gw *gw, struct strbuf *t)
{
	char line[CTLPROTO_MAPLINE_MAX];
	uint32_t now = clock_ticks();
	uint64_t wall = clock_wall_ms();
	struct mapping m;
	size_t i, n = portmap_count(gw->pm);

	strbuf_puts(t, LEASE_HEADER);
	for (i = 0; i < n; i++) {
		if (portmap_at(gw->pm, i, &m) != PORTMAP_OK ||
		    m.origin == PORTMAP_ORIGIN_CONFIG)
			continue;
		if (m.expires != PORTMAP_NEVER && m.expires <= now)
			continue;	/* the timer is about to remove it */
		strbuf_add(t, line, lease_format(&m, wall_end(&m, now, wall),
		    line, sizeof(line)));
	}
}

static void
lease_path(const struct gw *gw, char *buf, size_t len)
{
	config_lease_file(&gw->cfg, buf, len);
}

int
persist_save(struct gw *gw)
{
	static bool failing;		/* log a failure once, not per change */
	struct strbuf t = STRBUF_INIT;
	char path[CONFIG_PATH_MAX + 16];
	uint64_t gen;
	int r = 0;

	if (!gw->cfg.persist)
		return 0;
	pthread_mutex_lock(&gw->persist_lock);
	gw_lock(gw);
	gen = gw->lease_gen;
	if (gen != gw->persisted_gen)
		snapshot_locked(gw, &t);
	gw_unlock(gw);
	if (gen == gw->persisted_gen)
		goto out;
	lease_path(gw, path, sizeof(path));
	if (t.nomem)
		errno = ENOMEM;
	if (t.nomem || store_write_atomic(path, t.p, t.len) < 0) {
		if (!failing)
			log_warn("persist: %s: mappings are not saved", path);
		failing = true;
		r = -1;
		goto out;
	}
	if (failing)
		log_notice("persist: %s: saving again", path);
	failing = false;
	gw->persisted_gen = gen;
out:
	pthread_mutex_unlock(&gw->persist_lock);
	strbuf_free(&t);
	return r;
}

struct restore {
	struct gw	*gw;
	const char	*path;
	size_t		 dropped;
};

static void
bad_line(unsigned line, const char *why, void *arg)
{
	struct restore *r = arg;

	log_warnx("%s:%u: %s; line skipped", r->path, line, why);
}

static void
restore_one(const struct lease_entry *e, void *arg)
{
	struct restore *r = arg;
	struct mapping out;
	enum nat_status st;
	char ip[INET_ADDRSTRLEN];
	const char *why = NULL;

	inet_ntop(AF_INET, &e->m.internal_client, ip, sizeof(ip));
	if (!wanipconn_may_keep_locked(r->gw, &e->m))
		why = "the policy or the LAN no longer allows it";
	else if ((st = nat_add_locked(r->gw, &e->m, e->remaining, NAT_ADD,
	    NULL, NULL, &out)) != NAT_OK)
		why = nat_status_name(st);
	if (why == NULL)
		return;
	r->dropped++;
	log_notice("persist: %s %u -> %s:%u not restored: %s",
	    portmap_proto_name(e->m.key.proto), e->m.key.eport, ip,
	    e->m.internal_port, why);
}

void
persist_restore(struct gw *gw)
{
	char path[CONFIG_PATH_MAX + 16];
	struct restore r = { gw, path, 0 };
	struct lease_counts c;
	size_t len;
	char *buf;

	if (!gw->cfg.persist)
		return;
	lease_path(gw, path, sizeof(path));
	/* A file the daemon wrote holds at most max_mappings lines. */
	buf = store_read_file(path, (size_t)gw->cfg.max_mappings *
	    CTLPROTO_MAPLINE_MAX + 4096, &len);
	if (buf == NULL) {
		if (errno != ENOENT)
			log_warn("persist: %s: no mappings restored", path);
		return;
	}
	gw_lock(gw);
	nat_batch_begin_locked(gw);
	lease_parse(buf, len, (clock_wall_ms() + 500) / 1000, restore_one,
	    bad_line, &r, &c);
	nat_batch_end_locked(gw);
	/* Rewrite a file with dead lines, even if nothing was restored. */
	if (c.bad > 0 || c.expired > 0 || r.dropped > 0)
		gw->lease_gen++;
	gw_unlock(gw);
	free(buf);
	log_notice("persist: %s: %zu mappings restored, %zu expired, %zu "
	    "dropped, %zu bad lines", path, c.restored - r.dropped, c.expired,
	    r.dropped, c.bad);
}
