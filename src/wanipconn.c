/*
 * wanipconn: the WANIPConnection:2 service (also answering :1 requests,
 * VC-50).  Each handler reads like VC-30: argument presence and types
 * (402), allowed values (601), wildcards (715/716/732, 733), address
 * validity (600), policy (606), then the table and the kernel (7xx, 501),
 * the first failure deciding.  Handlers run without the gateway lock and
 * take it only around the table, after any name lookup (VC-10).
 * The connection actions follow conn (monitor or emulate mode, VC-35);
 * changing the connection is for managers unless open_connection_control.
 */
#include "upnpcompat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "clock.h"
#include "conn.h"
#include "dns.h"
#include "gw.h"
#include "log.h"
#include "nat.h"
#include "netif.h"
#include "pmlist.h"
#include "portmap.h"
#include "service.h"
#include "soap.h"

#define DNS_TIMEOUT_MS	2000		/* VC-10 */

/* An action without IN arguments still refuses unknown ones (VC-29). */
static enum upnperr
no_args(struct action *a)
{
	return soap_args(a->args, NULL, 0, NULL);
}

/* WIC-193, WIC-022, WIC-023 */
static enum upnperr
get_external_ip_address(struct gw *gw, struct action *a)
{
	char ip[INET_ADDRSTRLEN];
	enum upnperr e;

	if ((e = no_args(a)) != UPNPERR_NONE)
		return e;
	gw_lock(gw);
	conn_external_ip(&gw->conn, ip, sizeof(ip));
	gw_unlock(gw);
	return soap_out(&a->resp, "NewExternalIPAddress", ip);
}

/* WIC-133: status, last error, uptime, in that order. */
static enum upnperr
get_status_info(struct gw *gw, struct action *a)
{
	struct conn c;
	enum upnperr e;

	if ((e = no_args(a)) != UPNPERR_NONE)
		return e;
	gw_lock(gw);
	c = gw->conn;
	gw_unlock(gw);
	if ((e = soap_out(&a->resp, "NewConnectionStatus",
	    conn_status_name(c.status))) != UPNPERR_NONE ||
	    (e = soap_out(&a->resp, "NewLastConnectionError",
	    c.last_error)) != UPNPERR_NONE)
		return e;
	return soap_out_u32(&a->resp, "NewUptime",
	    conn_uptime(&c, clock_now()));
}

/* WIC-119: the current type and the possible ones (VC-35). */
static enum upnperr
get_connection_type_info(struct gw *gw, struct action *a)
{
	char type[32], possible[64];
	enum upnperr e;

	if ((e = no_args(a)) != UPNPERR_NONE)
		return e;
	gw_lock(gw);
	snprintf(type, sizeof(type), "%s",
	    conn_type_name(conn_connection_type(&gw->conn)));
	snprintf(possible, sizeof(possible), "%s",
	    conn_possible_types(&gw->conn));
	gw_unlock(gw);
	if ((e = soap_out(&a->resp, "NewConnectionType", type)) !=
	    UPNPERR_NONE)
		return e;
	return soap_out(&a->resp, "NewPossibleConnectionTypes", possible);
}

/* conn's statuses in the codes of the checklist's section 2. */
static enum upnperr
conn_error(enum conn_err e)
{
	switch (e) {
	case CONN_OK:
		return UPNPERR_NONE;
	case CONN_ERR_CANNOT:
		return UPNPERR_ACTION_FAILED;			/* VC-38 */
	case CONN_ERR_BAD_VALUE:
		return UPNPERR_ARGUMENT_VALUE_OUT_OF_RANGE;
	case CONN_ERR_INACTIVE_REQUIRED:
		return UPNPERR_INACTIVE_CONNECTION_STATE_REQUIRED;
	case CONN_ERR_SETUP_FAILED:
		return UPNPERR_CONNECTION_SETUP_FAILED;
	case CONN_ERR_IN_PROGRESS:
		return UPNPERR_CONNECTION_SETUP_IN_PROGRESS;
	case CONN_ERR_NOT_CONFIGURED:
		return UPNPERR_CONNECTION_NOT_CONFIGURED;
	case CONN_ERR_DISCONNECTING:
		return UPNPERR_DISCONNECT_IN_PROGRESS;
	case CONN_ERR_INTERNET_DISABLED:
		return UPNPERR_INTERNET_ACCESS_DISABLED;
	case CONN_ERR_INVALID_TYPE:
		return UPNPERR_INVALID_CONNECTION_TYPE;
	case CONN_ERR_ALREADY_TERMINATED:
		return UPNPERR_CONNECTION_ALREADY_TERMINATED;
	case CONN_ERR_READ_ONLY:
		return UPNPERR_READ_ONLY;
	}
	return UPNPERR_ACTION_FAILED;
}

static bool	is_manager(struct gw *, struct in_addr);

/*
 * VC-02: changing the connection is for managers, unless
 * open_connection_control opens it to every LAN CP (a lab).
 */
static bool
may_control(struct gw *gw, struct in_addr cp)
{
	return gw->cfg.open_connection_control || is_manager(gw, cp);
}

typedef enum conn_err (*conn_action_fn)(struct conn *, uint32_t,
    unsigned *);

/* Request/ForceTermination and RequestConnection share this shape. */
static enum upnperr
conn_action(struct gw *gw, struct action *a, conn_action_fn fn, bool open)
{
	enum conn_err ce;
	enum upnperr e;
	unsigned changed = 0;

	if ((e = no_args(a)) != UPNPERR_NONE)
		return e;
	if (!open && !may_control(gw, a->cp))
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	gw_lock(gw);
	ce = fn(&gw->conn, clock_now(), &changed);
	nat_conn_changed_locked(gw, changed);
	gw_unlock(gw);
	return conn_error(ce);
}

/* WIC-120..WIC-122; open to every LAN CP (VC-02). */
static enum upnperr
request_connection(struct gw *gw, struct action *a)
{
	return conn_action(gw, a, conn_request_connection, true);
}

/* WIC-123..WIC-125 */
static enum upnperr
request_termination(struct gw *gw, struct action *a)
{
	return conn_action(gw, a, conn_request_termination, false);
}

/* WIC-126..WIC-128 */
static enum upnperr
force_termination(struct gw *gw, struct action *a)
{
	return conn_action(gw, a, conn_force_termination, false);
}

/* WIC-115..WIC-118: 601 before 606 (VC-30), then 731/703. */
static enum upnperr
set_connection_type(struct gw *gw, struct action *a)
{
	static const char *const names[] = { "NewConnectionType" };
	const char *v[1];
	enum conn_type t;
	enum conn_err ce;
	enum upnperr e;

	if ((e = soap_args(a->args, names, 1, v)) != UPNPERR_NONE)
		return e;
	if (!conn_type_from_name(v[0], &t))
		return UPNPERR_ARGUMENT_VALUE_OUT_OF_RANGE;
	if (!may_control(gw, a->cp))
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	gw_lock(gw);
	ce = conn_set_connection_type(&gw->conn, v[0]);
	gw_unlock(gw);
	return conn_error(ce);
}

/* The three Set*Time/Delay actions: one ui4, managers only (VC-02). */
static enum upnperr
set_timer(struct gw *gw, struct action *a, const char *arg,
    void (*set)(struct conn *, uint32_t))
{
	const char *names[1] = { arg }, *v[1];
	enum upnperr e;
	uint32_t secs;

	if ((e = soap_args(a->args, names, 1, v)) != UPNPERR_NONE ||
	    (e = soap_ui4(v[0], &secs)) != UPNPERR_NONE)
		return e;
	if (!may_control(gw, a->cp))
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	gw_lock(gw);
	set(&gw->conn, secs);
	gw_unlock(gw);
	return UPNPERR_NONE;
}

static enum upnperr
get_timer(struct gw *gw, struct action *a, const char *arg,
    uint32_t (*get)(const struct conn *))
{
	enum upnperr e;
	uint32_t secs;

	if ((e = no_args(a)) != UPNPERR_NONE)
		return e;
	gw_lock(gw);
	secs = get(&gw->conn);
	gw_unlock(gw);
	return soap_out_u32(&a->resp, arg, secs);
}

#define TIMER_ACTIONS(name, arg, field)					\
static enum upnperr							\
set_##name(struct gw *gw, struct action *a)				\
{									\
	return set_timer(gw, a, arg, conn_set_##field);			\
}									\
static enum upnperr							\
get_##name(struct gw *gw, struct action *a)				\
{									\
	return get_timer(gw, a, arg, conn_##field);			\
}
/* WIC-129..WIC-136 */
TIMER_ACTIONS(auto_disconnect_time, "NewAutoDisconnectTime",
    auto_disconnect_time)
TIMER_ACTIONS(idle_disconnect_time, "NewIdleDisconnectTime",
    idle_disconnect_time)
TIMER_ACTIONS(warn_disconnect_delay, "NewWarnDisconnectDelay",
    warn_disconnect_delay)

/* WIC-137: no RSIP; the gateway NATs. */
static enum upnperr
get_nat_rsip_status(struct gw *gw, struct action *a)
{
	enum upnperr e;

	(void)gw;
	if ((e = no_args(a)) != UPNPERR_NONE ||
	    (e = soap_out_bool(&a->resp, "NewRSIPAvailable", false)) !=
	    UPNPERR_NONE)
		return e;
	return soap_out_bool(&a->resp, "NewNATEnabled", true);
}

/* --- arguments shared by the port-mapping actions --------------------- */

/* WIC-029, VC-28: exactly "TCP" or "UDP", case-sensitive; else 601. */
static enum upnperr
arg_proto(const char *s, enum portmap_proto *p)
{
	if (strcmp(s, "TCP") == 0)
		*p = PORTMAP_TCP;
	else if (strcmp(s, "UDP") == 0)
		*p = PORTMAP_UDP;
	else
		return UPNPERR_ARGUMENT_VALUE_OUT_OF_RANGE;
	return UPNPERR_NONE;
}

/* A dotted quad, else a name resolved once (VC-10); 600 if neither. */
static enum upnperr
arg_host(const char *s, struct in_addr *out)
{
	if (inet_pton(AF_INET, s, out) == 1)
		return UPNPERR_NONE;
	if (strlen(s) > 253 || strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(s))
		return UPNPERR_ARGUMENT_VALUE_INVALID;
	if (dns_resolve4(s, out, DNS_TIMEOUT_MS) < 0) {
		log_info("wanipconn: host name \"%s\" %s", s,
		    errno == EBUSY ?
		    "not looked up: another lookup is under way" :
		    errno == EAGAIN ?
		    "not looked up: earlier lookups have not finished" :
		    "does not resolve");
		return UPNPERR_ARGUMENT_VALUE_INVALID;
	}
	return UPNPERR_NONE;
}

/* VC-09: "", "0.0.0.0" and "*" are the wildcard, stored as 0.0.0.0. */
static enum upnperr
arg_remote_host(const char *s, struct in_addr *out)
{
	enum upnperr e;
	uint32_t h;

	out->s_addr = INADDR_ANY;
	if (*s == '\0' || strcmp(s, "*") == 0 || strcmp(s, "0.0.0.0") == 0)
		return UPNPERR_NONE;
	if ((e = arg_host(s, out)) != UPNPERR_NONE)
		return e;
	h = ntohl(out->s_addr);
	if (IN_MULTICAST(h) || h == INADDR_BROADCAST || (h >> 24) == 127)
		return UPNPERR_ARGUMENT_VALUE_INVALID;
	return UPNPERR_NONE;
}

/*
 * VC-05: a unicast address of a LAN subnet, not the subnet's network or
 * broadcast address nor the gateway's own; 255.255.255.255 only for UDP
 * (VC-06).  Checked before the policy, for managers and others alike.
 */
static bool
valid_client_on(const struct netif_info *lan, struct in_addr a,
    enum portmap_proto proto)
{
	uint32_t h = ntohl(a.s_addr), net, mask;

	if (a.s_addr == INADDR_BROADCAST)
		return proto == PORTMAP_UDP;
	if (!netif_same_subnet(lan, a) || a.s_addr == lan->addr.s_addr)
		return false;
	mask = ntohl(lan->mask.s_addr);
	net = ntohl(lan->addr.s_addr) & mask;
	return h != net && h != (net | ~mask);
}

static bool
valid_internal_client(struct gw *gw, struct in_addr a,
    enum portmap_proto proto)
{
	struct netif_info lan;

	gw_lock(gw);
	lan = gw->lan;
	gw_unlock(gw);
	return valid_client_on(&lan, a, proto);
}

/* The address whose mapping an entry is, for the policy (VC-06). */
static struct in_addr
owner(const struct mapping *m)
{
	return m->internal_client.s_addr == INADDR_BROADCAST ? m->creator :
	    m->internal_client;
}

/*
 * The policy (acl.h) on the live configuration.  _locked: the caller holds
 * the gateway lock (a reload may replace the rules).
 */
static bool
may_use_locked(struct gw *gw, struct in_addr cp, const struct mapping *m)
{
	struct acl_req r = { cp, owner(m), m->key.eport, m->internal_port };

	/*
	 * The rules say what UPnP may create; an administrator's or the
	 * configuration's entry on a port they exclude is still a manager's
	 * to read and delete (VC-11).
	 */
	if (m->origin != PORTMAP_ORIGIN_UPNP &&
	    acl_is_manager(&gw->cfg.acl, cp))
		return true;
	return acl_check(&gw->cfg.acl, &r).allow;
}

bool
wanipconn_may_keep_locked(struct gw *gw, const struct mapping *m)
{
	if (m->origin != PORTMAP_ORIGIN_UPNP)
		return true;
	return valid_client_on(&gw->lan, m->internal_client, m->key.proto) &&
	    may_use_locked(gw, m->creator, m);
}

static bool
may_use(struct gw *gw, struct in_addr cp, const struct mapping *m)
{
	bool ok;

	gw_lock(gw);
	ok = may_use_locked(gw, cp, m);
	gw_unlock(gw);
	return ok;
}

static bool
may_call(struct gw *gw, struct in_addr cp, uint16_t start, uint16_t end)
{
	bool ok;

	gw_lock(gw);
	ok = acl_may_call(&gw->cfg.acl, cp, start, end);
	gw_unlock(gw);
	return ok;
}

static bool
is_manager(struct gw *gw, struct in_addr cp)
{
	bool ok;

	gw_lock(gw);
	ok = acl_is_manager(&gw->cfg.acl, cp);
	gw_unlock(gw);
	return ok;
}

static const char *const add_names[] = {
	"NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort",
	"NewInternalClient", "NewEnabled", "NewPortMappingDescription",
	"NewLeaseDuration"
};

/*
 * The eight IN arguments of AddPortMapping and AddAnyPortMapping, checked
 * in VC-30 order up to and including the policy.  *lease is what the
 * table gets (a CP's 0 becomes 604800, WIC-061).
 */
static enum upnperr
add_request(struct gw *gw, struct action *a, struct mapping *m,
    uint32_t *lease)
{
	const char *v[8];
	enum upnperr e;

	memset(m, 0, sizeof(*m));
	if ((e = soap_args(a->args, add_names, 8, v)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[1], &m->key.eport)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[3], &m->internal_port)) != UPNPERR_NONE ||
	    (e = soap_bool(v[5], &m->enabled)) != UPNPERR_NONE ||
	    (e = soap_ui4(v[7], lease)) != UPNPERR_NONE)
		return e;					/* 402 */
	if ((e = arg_proto(v[2], &m->key.proto)) != UPNPERR_NONE)
		return e;					/* 601 */
	if (*lease > PORTMAP_LEASE_MAX)
		return UPNPERR_ARGUMENT_VALUE_OUT_OF_RANGE;	/* VC-14 */
	if (*lease == 0)
		*lease = PORTMAP_LEASE_MAX;			/* WIC-061 */
	if (v[4][0] == '\0')
		return UPNPERR_WILDCARD_NOT_PERMITTED_IN_SRC_IP;	/* 715 */
	if (m->key.eport == 0)
		return UPNPERR_WILDCARD_NOT_PERMITTED_IN_EXT_PORT; /* VC-16 */
	if (m->internal_port == 0)
		return UPNPERR_WILDCARD_NOT_PERMITTED_IN_INT_PORT; /* 732 */
	if (strlen(v[6]) > gw->cfg.max_description)
		return UPNPERR_STRING_ARGUMENT_TOO_LONG;	/* VC-25 */
	if ((e = arg_remote_host(v[0], &m->key.remote_host)) != UPNPERR_NONE ||
	    (e = arg_host(v[4], &m->internal_client)) != UPNPERR_NONE)
		return e;					/* 600 */
	if (!valid_internal_client(gw, m->internal_client, m->key.proto))
		return UPNPERR_ARGUMENT_VALUE_INVALID;		/* VC-05 */
	snprintf(m->desc, sizeof(m->desc), "%s", v[6]);
	m->origin = PORTMAP_ORIGIN_UPNP;
	m->creator = a->cp;
	if (!may_use(gw, a->cp, m))
		return UPNPERR_ACTION_NOT_AUTHORIZED;		/* 606 */
	return UPNPERR_NONE;
}

struct any_ctx {
	struct gw	*gw;
	struct in_addr	 cp;
	enum portmap_proto proto;
	uint16_t	 iport;
	struct in_addr	 owner;
};

/* AddAnyPortMapping: the ports this CP may be given (VC-17, VC-18). */
static bool
any_allowed(uint16_t port, void *arg)
{
	struct any_ctx *c = arg;

	struct acl_req r = { c->cp, c->owner, port, c->iport };

	return acl_check(&c->gw->cfg.acl, &r).allow &&
	    !nat_port_claimed_locked(c->gw, c->proto, port);
}

static enum upnperr
nat_error(enum nat_status st, bool any)
{
	switch (st) {
	case NAT_OK:
		return UPNPERR_NONE;
	case NAT_CONFLICT:
		/* AddAnyPortMapping never answers 718 (WIC-165). */
		return any ? UPNPERR_NO_PORT_MAPS_AVAILABLE :
		    UPNPERR_CONFLICT_IN_MAPPING_ENTRY;
	case NAT_FOREIGN:
		return UPNPERR_CONFLICT_WITH_OTHER_MECHANISMS;
	case NAT_NOT_FOUND:
		return UPNPERR_NO_SUCH_ENTRY_IN_ARRAY;
	case NAT_NO_PORTS:
	case NAT_FULL:
		return UPNPERR_NO_PORT_MAPS_AVAILABLE;
	case NAT_KERNEL:
		return UPNPERR_ACTION_FAILED;
	case NAT_NOMEM:
		return UPNPERR_OUT_OF_MEMORY;
	}
	return UPNPERR_ACTION_FAILED;
}

static void
log_mapping(const char *verb, const struct mapping *m, uint32_t lease,
    struct in_addr cp)
{
	char ic[INET_ADDRSTRLEN], rh[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	char desc[PORTMAP_DESC_MAX * 4 + 1];

	inet_ntop(AF_INET, &m->internal_client, ic, sizeof(ic));
	inet_ntop(AF_INET, &m->key.remote_host, rh, sizeof(rh));
	inet_ntop(AF_INET, &cp, c, sizeof(c));
	log_notice("wanipconn: %s %s %u -> %s:%u remote=%s enabled=%d "
	    "lease=%u cp=%s desc=\"%s\"", verb,
	    portmap_proto_name(m->key.proto), m->key.eport, ic,
	    m->internal_port, m->key.remote_host.s_addr ? rh : "*",
	    m->enabled, lease, c, log_escape(m->desc, desc, sizeof(desc)));
}

static bool
count_owned(const struct mapping *m, void *arg)
{
	return owner(m).s_addr == ((const struct in_addr *)arg)->s_addr;
}

static void
count_none(const struct mapping *m, void *arg)
{
	(void)m;
	(void)arg;
}

/*
 * The per-client quota (max_mappings_per_client, VC-21): may `owner' get
 * one more entry?  A request that overwrites its own entry adds none.
 */
static bool
quota_ok_locked(struct gw *gw, const struct mapping *req)
{
	struct in_addr who = owner(req);
	struct mapping old;
	size_t n;

	if (portmap_get(gw->pm, &req->key, &old) == PORTMAP_OK &&
	    owner(&old).s_addr == who.s_addr)
		return true;
	n = portmap_list(gw->pm, PORTMAP_TCP, 1, 65535, 0, count_owned,
	    count_none, &who) + portmap_list(gw->pm, PORTMAP_UDP, 1, 65535, 0,
	    count_owned, count_none, &who);
	return n < gw->cfg.max_mappings_per_client;
}

static enum upnperr
add_common(struct gw *gw, struct action *a, bool any)
{
	struct mapping req, out;
	struct any_ctx ctx;
	enum nat_status st;
	enum upnperr e;
	uint32_t lease;

	if ((e = add_request(gw, a, &req, &lease)) != UPNPERR_NONE)
		return e;
	ctx = (struct any_ctx){ gw, a->cp, req.key.proto, req.internal_port,
	    owner(&req) };
	gw_lock(gw);
	if (!quota_ok_locked(gw, &req))
		st = NAT_FULL;					/* 728 */
	else						/* 729: VC-11 */
		st = nat_add_locked(gw, &req, lease, any ? NAT_ADD_ANY :
		    NAT_ADD_EXCL, any_allowed, &ctx, &out);
	gw_unlock(gw);
	if (st != NAT_OK)
		return nat_error(st, any);
	log_mapping(any ? "add-any" : "add", &out, lease, a->cp);
	if (any)
		return soap_out_u32(&a->resp, "NewReservedPort",
		    out.key.eport);
	return UPNPERR_NONE;
}

/* WIC-148..WIC-163 */
static enum upnperr
add_port_mapping(struct gw *gw, struct action *a)
{
	return add_common(gw, a, false);
}

/* WIC-164..WIC-175 */
static enum upnperr
add_any_port_mapping(struct gw *gw, struct action *a)
{
	return add_common(gw, a, true);
}

static const char *const key_names[] = {
	"NewRemoteHost", "NewExternalPort", "NewProtocol"
};

/*
 * The key of GetSpecificPortMappingEntry and DeletePortMapping, and the
 * entry it names if the CP may use it.  NewExternalPort 0 finds nothing
 * (VC-16).
 */
static enum upnperr
find_entry(struct gw *gw, struct action *a, struct mapping *m)
{
	struct portmap_key key;
	const char *v[3];
	enum upnperr e;
	enum portmap_status st;

	memset(&key, 0, sizeof(key));
	if ((e = soap_args(a->args, key_names, 3, v)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[1], &key.eport)) != UPNPERR_NONE)
		return e;
	if ((e = arg_proto(v[2], &key.proto)) != UPNPERR_NONE ||
	    (e = arg_remote_host(v[0], &key.remote_host)) != UPNPERR_NONE)
		return e;
	if (!may_call(gw, a->cp, key.eport, key.eport))
		return UPNPERR_ACTION_NOT_AUTHORIZED;	/* WIC-147, WIC-181 */
	if (key.eport == 0)
		return UPNPERR_NO_SUCH_ENTRY_IN_ARRAY;	/* VC-16 */
	gw_lock(gw);
	st = portmap_get(gw->pm, &key, m);
	gw_unlock(gw);
	if (st != PORTMAP_OK)
		return UPNPERR_NO_SUCH_ENTRY_IN_ARRAY;	/* WIC-145, WIC-177 */
	if (!may_use(gw, a->cp, m))
		return UPNPERR_ACTION_NOT_AUTHORIZED;	/* WIC-146, WIC-180 */
	return UPNPERR_NONE;
}

/* The OUT arguments after the key, shared by GetGeneric and GetSpecific. */
static enum upnperr
out_entry(struct action *a, const struct mapping *m)
{
	char ic[INET_ADDRSTRLEN];
	enum upnperr e;

	inet_ntop(AF_INET, &m->internal_client, ic, sizeof(ic));
	if ((e = soap_out_u32(&a->resp, "NewInternalPort",
	    m->internal_port)) != UPNPERR_NONE ||
	    (e = soap_out(&a->resp, "NewInternalClient", ic)) != UPNPERR_NONE ||
	    (e = soap_out_bool(&a->resp, "NewEnabled", m->enabled)) !=
	    UPNPERR_NONE ||
	    (e = soap_out(&a->resp, "NewPortMappingDescription", m->desc)) !=
	    UPNPERR_NONE)
		return e;
	return soap_out_u32(&a->resp, "NewLeaseDuration",
	    nat_remaining(m));				/* WIC-066, VC-15 */
}

/* WIC-142..WIC-147 */
static enum upnperr
get_specific_port_mapping_entry(struct gw *gw, struct action *a)
{
	struct mapping m;
	enum upnperr e;

	if ((e = find_entry(gw, a, &m)) != UPNPERR_NONE)
		return e;
	return out_entry(a, &m);
}

/* "" for the wildcard RemoteHost (VC-09). */
static void
remote_text(const struct mapping *m, char *buf, size_t len)
{
	if (m->key.remote_host.s_addr == INADDR_ANY)
		buf[0] = '\0';
	else
		inet_ntop(AF_INET, &m->key.remote_host, buf, (socklen_t)len);
}

/* WIC-138..WIC-141, VC-03: global indexes, 606 for a hidden entry. */
static enum upnperr
get_generic_port_mapping_entry(struct gw *gw, struct action *a)
{
	static const char *const names[] = { "NewPortMappingIndex" };
	char rh[INET_ADDRSTRLEN];
	const char *v[1];
	struct mapping m;
	enum portmap_status st;
	enum upnperr e;
	uint16_t i;

	if ((e = soap_args(a->args, names, 1, v)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[0], &i)) != UPNPERR_NONE)
		return e;
	gw_lock(gw);
	st = portmap_at(gw->pm, i, &m);
	gw_unlock(gw);
	if (st != PORTMAP_OK)
		return UPNPERR_SPECIFIED_ARRAY_INDEX_INVALID;
	if (!may_use(gw, a->cp, &m))
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	remote_text(&m, rh, sizeof(rh));
	if ((e = soap_out(&a->resp, "NewRemoteHost", rh)) != UPNPERR_NONE ||
	    (e = soap_out_u32(&a->resp, "NewExternalPort", m.key.eport)) !=
	    UPNPERR_NONE ||
	    (e = soap_out(&a->resp, "NewProtocol",
	    portmap_proto_name(m.key.proto))) != UPNPERR_NONE)
		return e;
	return out_entry(a, &m);
}

/* WIC-176..WIC-181; static entries: managers only (VC-11). */
static enum upnperr
delete_port_mapping(struct gw *gw, struct action *a)
{
	struct mapping m;
	enum nat_status st;
	enum upnperr e;

	if ((e = find_entry(gw, a, &m)) != UPNPERR_NONE)
		return e;
	if (m.origin != PORTMAP_ORIGIN_UPNP && !is_manager(gw, a->cp))
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	gw_lock(gw);
	st = nat_delete_locked(gw, &m.key);
	gw_unlock(gw);
	if (st == NAT_OK)
		log_mapping("delete", &m, 0, a->cp);
	return nat_error(st, false);
}

/* Range actions: who may see or delete which entry. */
struct range_ctx {
	struct gw	*gw;
	struct in_addr	cp;
	bool		manage;		/* NewManage, honoured for managers */
	bool		deleting;
};

static bool
range_filter(const struct mapping *m, void *arg)
{
	const struct range_ctx *c = arg;

	if (c->deleting && m->origin != PORTMAP_ORIGIN_UPNP &&
	    !acl_is_manager(&c->gw->cfg.acl, c->cp))
		return false;
	/* WIC-184, WIC-195: without NewManage only the CP's own entries. */
	if (!c->manage && owner(m).s_addr != c->cp.s_addr)
		return false;
	return may_use_locked(c->gw, c->cp, m);	/* under the lock */
}

static const char *const range_names[] = {
	"NewStartPort", "NewEndPort", "NewProtocol", "NewManage",
	"NewNumberOfPorts"
};

/* The range arguments; n = 4 (DeletePortMappingRange) or 5 (list). */
static enum upnperr
range_request(struct gw *gw, struct action *a, size_t n, uint16_t *start,
    uint16_t *end,
    enum portmap_proto *proto, struct range_ctx *ctx, uint16_t *count)
{
	const char *v[5];
	enum upnperr e;
	bool manage;

	e = soap_args(a->args, range_names, n, v);
	if (e != UPNPERR_NONE && n == 5) {
		/* VC-32: the 2010 listing's NewEndPoint is accepted too. */
		static const char *const alias[] = { "NewStartPort",
		    "NewEndPoint", "NewProtocol", "NewManage",
		    "NewNumberOfPorts" };
		e = soap_args(a->args, alias, n, v);
	}
	if (e != UPNPERR_NONE ||
	    (e = soap_ui2(v[0], start)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[1], end)) != UPNPERR_NONE ||
	    (e = soap_bool(v[3], &manage)) != UPNPERR_NONE ||
	    (n == 5 && (e = soap_ui2(v[4], count)) != UPNPERR_NONE))
		return e;
	if ((e = arg_proto(v[2], proto)) != UPNPERR_NONE)
		return e;
	if (*start > *end)
		return UPNPERR_INCONSISTENT_PARAMETERS;		/* 733 */
	/*
	 * The whole invocation is refused (606) only when no rule allows any
	 * external port of the range; entries are then filtered one by one.
	 * With the default rule a range starting below 1024 is served from
	 * 1024 on: upnpc -L asks for 1-65535 (doc/BEHAVIOUR.md).
	 */
	if (!may_call(gw, a->cp, *start, *end))
		return UPNPERR_ACTION_NOT_AUTHORIZED;		/* 606 */
	/* WIC-114: NewManage counts only for authorized CPs. */
	ctx->cp = a->cp;
	ctx->gw = gw;
	ctx->manage = manage && is_manager(gw, a->cp);
	return UPNPERR_NONE;
}

/* WIC-182..WIC-192 */
static enum upnperr
delete_port_mapping_range(struct gw *gw, struct action *a)
{
	struct range_ctx ctx = { .deleting = true };
	enum portmap_proto proto;
	enum nat_status st;
	enum upnperr e;
	uint16_t start, end;
	size_t n;

	if ((e = range_request(gw, a, 4, &start, &end, &proto, &ctx, NULL)) !=
	    UPNPERR_NONE)
		return e;
	gw_lock(gw);
	st = nat_delete_range_locked(gw, proto, start, end, range_filter,
	    &ctx, &n);
	gw_unlock(gw);
	if (st == NAT_NOT_FOUND)
		return UPNPERR_PORT_MAPPING_NOT_FOUND;		/* 730 */
	if (st == NAT_OK)
		log_notice("wanipconn: delete-range %s %u-%u: %zu entries",
		    portmap_proto_name(proto), start, end, n);
	return nat_error(st, false);
}

struct list_ctx {
	struct range_ctx range;		/* who may see what */
	struct pmlist	 l;
};

static bool
list_filter(const struct mapping *m, void *arg)
{
	return range_filter(m, &((struct list_ctx *)arg)->range);
}

static void
list_one(const struct mapping *m, void *arg)
{
	struct list_ctx *c = arg;
	char rh[INET_ADDRSTRLEN], ic[INET_ADDRSTRLEN];
	struct pmlist_entry e;

	remote_text(m, rh, sizeof(rh));
	inet_ntop(AF_INET, &m->internal_client, ic, sizeof(ic));
	e = (struct pmlist_entry){ rh, m->key.eport,
	    portmap_proto_name(m->key.proto), m->internal_port, ic,
	    m->enabled, m->desc, nat_remaining(m) };
	pmlist_add(&c->l, &e);
}

/* WIC-194..WIC-210 */
static enum upnperr
get_list_of_port_mappings(struct gw *gw, struct action *a)
{
	struct list_ctx lc = { .range = { .deleting = false } };
	enum portmap_proto proto;
	enum upnperr e;
	struct strbuf *into;
	uint16_t start, end, max;
	size_t n, mark;

	if ((e = range_request(gw, a, 5, &start, &end, &proto, &lc.range,
	    &max)) != UPNPERR_NONE)
		return e;
	/* Built in the response itself, as CDATA (VC-24): held once. */
	into = soap_out_cdata_open(&a->resp, "NewPortListing", &mark);
	if (into == NULL)
		return UPNPERR_OUT_OF_MEMORY;
	pmlist_begin_in(&lc.l, into);
	gw_lock(gw);
	n = portmap_list(gw->pm, proto, start, end, max, list_filter, list_one,
	    &lc);
	gw_unlock(gw);
	if (!pmlist_end_in(&lc.l))
		return UPNPERR_OUT_OF_MEMORY;
	if (n == 0)
		return UPNPERR_PORT_MAPPING_NOT_FOUND;		/* WIC-199 */
	return soap_out_cdata_close(&a->resp, "NewPortListing", mark);
}

static const struct service_action actions[] = {
	{ "AddAnyPortMapping", add_any_port_mapping },
	{ "AddPortMapping", add_port_mapping },
	{ "DeletePortMapping", delete_port_mapping },
	{ "DeletePortMappingRange", delete_port_mapping_range },
	{ "ForceTermination", force_termination },
	{ "GetAutoDisconnectTime", get_auto_disconnect_time },
	{ "GetConnectionTypeInfo", get_connection_type_info },
	{ "GetExternalIPAddress", get_external_ip_address },
	{ "GetGenericPortMappingEntry", get_generic_port_mapping_entry },
	{ "GetIdleDisconnectTime", get_idle_disconnect_time },
	{ "GetListOfPortMappings", get_list_of_port_mappings },
	{ "GetNATRSIPStatus", get_nat_rsip_status },
	{ "GetSpecificPortMappingEntry", get_specific_port_mapping_entry },
	{ "GetStatusInfo", get_status_info },
	{ "GetWarnDisconnectDelay", get_warn_disconnect_delay },
	{ "RequestConnection", request_connection },
	{ "RequestTermination", request_termination },
	{ "SetAutoDisconnectTime", set_auto_disconnect_time },
	{ "SetConnectionType", set_connection_type },
	{ "SetIdleDisconnectTime", set_idle_disconnect_time },
	{ "SetWarnDisconnectDelay", set_warn_disconnect_delay },
};

/* WIC-051: all five evented variables (WIC-040); called with the lock. */
static void
vars(struct gw *gw, struct service_vars *v)
{
	char ip[INET_ADDRSTRLEN], n[16];

	conn_external_ip(&gw->conn, ip, sizeof(ip));
	service_var(v, "PossibleConnectionTypes",
	    conn_possible_types(&gw->conn));
	service_var(v, "ConnectionStatus", conn_status_name(gw->conn.status));
	service_var(v, "ExternalIPAddress", ip);
	snprintf(n, sizeof(n), "%zu", portmap_count(gw->pm));
	service_var(v, "PortMappingNumberOfEntries", n);
	snprintf(n, sizeof(n), "%u", gw->system_update_id);
	service_var(v, "SystemUpdateID", n);
}

const struct service wanipconn_service = {
	.id = "urn:upnp-org:serviceId:WANIPConn1",
	.type = "urn:schemas-upnp-org:service:WANIPConnection:2",
	.actions = actions,
	.nactions = sizeof(actions) / sizeof(actions[0]),
	.vars = vars,
};
