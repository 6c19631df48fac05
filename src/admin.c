/*
 * admin: static mappings and reloads (see admin.h).
 */
#include "upnpcompat.h"

#include <arpa/inet.h>
#include <string.h>

#include "admin.h"
#include "config.h"
#include "gw.h"
#include "log.h"
#include "nat.h"
#include "portmap.h"
#include "service.h"

static void
static_mapping(const struct config_static *st, struct mapping *m)
{
	memset(m, 0, sizeof(*m));
	m->key.proto = st->udp ? PORTMAP_UDP : PORTMAP_TCP;
	m->key.eport = st->eport;
	m->internal_client = st->client;
	m->internal_port = st->iport;
	m->enabled = true;
	m->origin = PORTMAP_ORIGIN_CONFIG;
	memcpy(m->desc, st->desc, sizeof(st->desc));
}

/* Is the configuration entry m still one of cfg's statics, unchanged? */
static bool
still_configured(const struct mapping *m, const struct config *cfg)
{
	struct mapping want;
	size_t i;

	for (i = 0; i < cfg->nstatics; i++) {
		static_mapping(&cfg->statics[i], &want);
		if (want.key.proto == m->key.proto &&
		    want.key.eport == m->key.eport &&
		    m->key.remote_host.s_addr == 0 &&
		    want.internal_client.s_addr == m->internal_client.s_addr &&
		    want.internal_port == m->internal_port &&
		    strcmp(want.desc, m->desc) == 0)
			return true;
	}
	return false;
}

static bool
stale_static(const struct mapping *m, void *arg)
{
	return m->origin == PORTMAP_ORIGIN_CONFIG &&
	    !still_configured(m, arg);
}

static bool
not_config(const struct mapping *m, void *arg)
{
	(void)arg;
	return m->origin != PORTMAP_ORIGIN_CONFIG;
}

static void
log_static(const struct mapping *m, const char *what)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &m->internal_client, ip, sizeof(ip));
	log_notice("admin: static %s %u -> %s:%u %s",
	    portmap_proto_name(m->key.proto), m->key.eport, ip,
	    m->internal_port, what);
}

/* Installs one static, taking its port from other mechanisms' entries. */
static bool
install_static(struct gw *gw, const struct mapping *m)
{
	struct mapping have, out;
	enum nat_status st;
	size_t taken = 0;

	if (portmap_get(gw->pm, &m->key, &have) == PORTMAP_OK &&
	    have.origin == PORTMAP_ORIGIN_CONFIG)
		return true;		/* unchanged (still_configured) */
	(void)nat_delete_range_locked(gw, m->key.proto, m->key.eport,
	    m->key.eport, not_config, NULL, &taken);
	if (taken > 0)
		log_static(m, "replaces the mappings on its port");
	if ((st = nat_add_locked(gw, m, PORTMAP_STATIC, NAT_ADD, NULL, NULL,
	    &out)) != NAT_OK) {
		log_static(m, nat_status_name(st));
		return false;
	}
	log_static(m, "installed");
	return true;
}

size_t
admin_statics_locked(struct gw *gw, const struct config *cfg)
{
	struct mapping m;
	size_t i, removed = 0, failed = 0;

	nat_remove_if_locked(gw, stale_static, (void *)(uintptr_t)cfg,
	    &removed);
	if (removed > 0)
		log_notice("admin: %zu static mappings removed or changed",
		    removed);
	for (i = 0; i < cfg->nstatics; i++) {
		static_mapping(&cfg->statics[i], &m);
		if (!install_static(gw, &m))
			failed++;
	}
	return failed;
}

static bool
forbidden(const struct mapping *m, void *arg)
{
	return !wanipconn_may_keep_locked(arg, m);
}

void
admin_reload_locked(struct gw *gw, const struct config *cfg)
{
	size_t pruned = 0;

	gw->cfg.log_level = cfg->log_level;
	gw->cfg.max_mappings = cfg->max_mappings;
	gw->cfg.max_mappings_per_client = cfg->max_mappings_per_client;
	gw->cfg.max_description = cfg->max_description;
	gw->cfg.acl = cfg->acl;
	memcpy(gw->cfg.statics, cfg->statics, sizeof(cfg->statics));
	gw->cfg.nstatics = cfg->nstatics;
	portmap_set_max(gw->pm, cfg->max_mappings);

	nat_batch_begin_locked(gw);
	nat_remove_if_locked(gw, forbidden, gw, &pruned);
	if (pruned > 0)
		log_notice("admin: %zu mappings removed: the new policy "
		    "forbids them", pruned);
	(void)admin_statics_locked(gw, cfg);
	nat_batch_end_locked(gw);
}
