/*
 * fuzz_soap: the SOAP action path as the daemon sees it, then the
 * dispatch into the pure core, without the pupnp runtime or the kernel.
 *
 * 1. The input is a SOAP request body, read with src/soapmsg.c as the
 *    daemon reads it.  Whatever it accepts must hold together (an action
 *    name and namespace, at most SOAPMSG_MAX_ARGS named arguments), and
 *    every argument it gives back must come back unchanged through the
 *    response writer (an echo of the request, read again).
 * 2. src/soap.c: soap_args with every argument list of src/wanipconn.c
 *    (add_names, key_names, range_names with 4 and 5 names and the
 *    NewEndPoint alias, NewPortMappingIndex, none), and soap_ui2 /
 *    soap_ui4 / soap_bool on every value found.
 * 3. The handler of the action, re-enacted on src/portmap.c the way
 *    src/wanipconn.c runs it (VC-30 order: 402, 601, 715/716/732, 605,
 *    600, 606, table) with the default policy (a CP acts only for itself,
 *    ports >= 1024) and a LAN of 192.168.1.0/24.  Host names are not
 *    resolved (600).  The response is built with soap_out / soap_out_u32
 *    / soap_out_bool / soap_out_cdata (a GetListOfPortMappings listing
 *    from src/pmlist.c) and soap_resp_finish; read again with soapmsg, it
 *    must give ACTIONResponse in the request's namespace with exactly the
 *    OUT arguments written.  An error answer is a fault envelope
 *    (soapmsg_fault), which must read again too.
 * The table lives across inputs (a CP's actions meet earlier ones' entries)
 * and is freed and made anew every TABLE_RUNS inputs, so its size stays
 * bounded and a crash needs at most that many inputs to replay.
 * FUZZ_SOAP_TRACE=1 in the environment prints each action and its answer.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

/* The longest argument list of wanipconn.c has 8 names. */
#define FUZZ_MAX_ARGS	12
#include "pmlist.h"
#include "portmap.h"
#include "soap.h"
#include "soapmsg.h"
#include "strbuf.h"
#include "upnperr.h"

#define SERVICE_TYPE	"urn:schemas-upnp-org:service:WANIPConnection:2"
#define TABLE_MAX	16		/* small: 728 is reachable */
#define TABLE_RUNS	1000		/* inputs per table */
#define LAN_ADDR	0xc0a80101u	/* 192.168.1.1/24, host order */
#define LAN_MASK	0xffffff00u
#define MIN_PORT	1024
#define LEASE_MAX	604800u

static struct portmap *pm;
static unsigned runs;
static uint32_t now = 1000;

/* ---- the argument lists of src/wanipconn.c ------------------------------ */

static const char *const add_names[] = {
	"NewRemoteHost", "NewExternalPort", "NewProtocol", "NewInternalPort",
	"NewInternalClient", "NewEnabled", "NewPortMappingDescription",
	"NewLeaseDuration"
};
static const char *const key_names[] = {
	"NewRemoteHost", "NewExternalPort", "NewProtocol"
};
static const char *const range_names[] = {
	"NewStartPort", "NewEndPort", "NewProtocol", "NewManage",
	"NewNumberOfPorts"
};
static const char *const range_alias[] = {
	"NewStartPort", "NewEndPoint", "NewProtocol", "NewManage",
	"NewNumberOfPorts"
};
static const char *const index_names[] = { "NewPortMappingIndex" };

static const struct {
	const char *const *names;
	size_t		 n;
} lists[] = {
	{ add_names, 8 }, { key_names, 3 }, { range_names, 4 },
	{ range_names, 5 }, { range_alias, 5 }, { index_names, 1 },
	{ NULL, 0 },
};

/* ---- step 2: argument extraction and the UDA types ---------------------- */

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void
check_types(const char *v)
{
	uint16_t u2 = 0;
	uint32_t u4 = 0;
	bool b = false;
	enum upnperr e2, e4, eb;

	e2 = soap_ui2(v, &u2);
	e4 = soap_ui4(v, &u4);
	eb = soap_bool(v, &b);
	FUZZ_CHECK(e2 == UPNPERR_NONE || e2 == UPNPERR_INVALID_ARGS, "ui2 %d",
	    (int)e2);
	FUZZ_CHECK(e4 == UPNPERR_NONE || e4 == UPNPERR_INVALID_ARGS, "ui4 %d",
	    (int)e4);
	FUZZ_CHECK(eb == UPNPERR_NONE || eb == UPNPERR_INVALID_ARGS, "bool %d",
	    (int)eb);
	/* Digits only (VC-27): no sign, blank, hex or exponent. */
	if (e4 == UPNPERR_NONE) {
		FUZZ_CHECK(all_digits(v), "ui4 took \"%s\"", v);
		FUZZ_CHECK(strtoull(v, NULL, 10) == u4, "ui4 \"%s\" = %u", v,
		    u4);
	} else
		FUZZ_CHECK(!all_digits(v) || strtoull(v, NULL, 10) >
		    UINT32_MAX, "ui4 refused \"%s\"", v);
	if (e2 == UPNPERR_NONE)
		FUZZ_CHECK(e4 == UPNPERR_NONE && u4 == u2, "ui2 \"%s\" = %u, "
		    "ui4 %u", v, u2, u4);
	else
		FUZZ_CHECK(e4 != UPNPERR_NONE || u4 > 65535, "ui2 refused "
		    "\"%s\"", v);
	if (eb == UPNPERR_NONE)
		FUZZ_CHECK(strlen(v) - strspn(v, " \t\r\n") >= 1, "bool of "
		    "blanks");
}

static void
check_lists(const struct soapmsg *m)
{
	const char *v[FUZZ_MAX_ARGS];
	size_t i, k;
	enum upnperr e;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		e = soap_args(m, lists[i].names, lists[i].n, v);
		FUZZ_CHECK(e == UPNPERR_NONE || e == UPNPERR_INVALID_ARGS,
		    "soap_args: %d", (int)e);
		if (e == UPNPERR_NONE)
			FUZZ_CHECK(m->nargs == lists[i].n && !m->stray &&
			    !m->too_many, "soap_args accepted %zu elements "
			    "for %zu names", m->nargs, lists[i].n);
		for (k = 0; k < lists[i].n; k++) {
			FUZZ_CHECK(e != UPNPERR_NONE || v[k] != NULL,
			    "soap_args: NONE with %s missing",
			    lists[i].names[k]);
			if (v[k] != NULL)
				check_types(v[k]);
		}
	}
}

/* ---- step 3: the handlers on the pure core --------------------------- */

/* The most OUT arguments of an action (GetGenericPortMappingEntry). */
#define MAX_OUT		8

struct ctx {
	struct soap_resp resp;
	struct in_addr	 cp;
	/* What the handler wrote, to compare with what reads back. */
	size_t		 nout;
	const char	*out_name[MAX_OUT];
	char		*out_value[MAX_OUT];
};

static enum upnperr
sent(struct ctx *c, enum upnperr e, const char *name, const char *value)
{
	if (e != UPNPERR_NONE)
		return e;
	FUZZ_CHECK(c->nout < MAX_OUT, "more than %d OUT arguments", MAX_OUT);
	c->out_name[c->nout] = name;
	if ((c->out_value[c->nout++] = strdup(value)) == NULL)
		abort();
	return e;
}

static enum upnperr
put(struct ctx *c, const char *name, const char *value)
{
	return sent(c, soap_out(&c->resp, name, value), name, value);
}

static enum upnperr
put_u32(struct ctx *c, const char *name, uint32_t value)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", value);
	return sent(c, soap_out_u32(&c->resp, name, value), name, buf);
}

static enum upnperr
put_bool(struct ctx *c, const char *name, bool value)
{
	return sent(c, soap_out_bool(&c->resp, name, value), name,
	    value ? "1" : "0");
}

static enum upnperr
put_cdata(struct ctx *c, const char *name, const char *text)
{
	return sent(c, soap_out_cdata(&c->resp, name, text), name, text);
}

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

/* A dotted quad; a name would be resolved, which we do not: 600. */
static enum upnperr
arg_host(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1 ? UPNPERR_NONE :
	    UPNPERR_ARGUMENT_VALUE_INVALID;
}

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

static bool
valid_internal_client(struct in_addr a, enum portmap_proto proto)
{
	uint32_t h = ntohl(a.s_addr);

	if (a.s_addr == INADDR_BROADCAST)
		return proto == PORTMAP_UDP;
	return (h & LAN_MASK) == (LAN_ADDR & LAN_MASK) && h != LAN_ADDR &&
	    h != (LAN_ADDR & LAN_MASK) && h != (LAN_ADDR | ~LAN_MASK);
}

static struct in_addr
owner(const struct mapping *m)
{
	return m->internal_client.s_addr == INADDR_BROADCAST ? m->creator :
	    m->internal_client;
}

/* The default policy: own mappings only, ports >= 1024 (WIC-111/112). */
static bool
may_use(struct in_addr cp, struct in_addr who, uint16_t eport,
    uint16_t iport)
{
	return cp.s_addr != INADDR_ANY && who.s_addr == cp.s_addr &&
	    eport >= MIN_PORT && iport >= MIN_PORT;
}

struct any_ctx {
	struct in_addr	cp, owner;
	uint16_t	iport;
};

static bool
any_allowed(uint16_t port, void *arg)
{
	struct any_ctx *c = arg;

	return may_use(c->cp, c->owner, port, c->iport);
}

static enum upnperr
from_portmap(enum portmap_status st, bool any)
{
	switch (st) {
	case PORTMAP_OK:
		return UPNPERR_NONE;
	case PORTMAP_CONFLICT:
		FUZZ_CHECK(!any, "add_any answered CONFLICT (WIC-165)");
		return UPNPERR_CONFLICT_IN_MAPPING_ENTRY;
	case PORTMAP_FOREIGN:
		FUZZ_CHECK(!any, "add_any answered FOREIGN");
		return UPNPERR_CONFLICT_WITH_OTHER_MECHANISMS;
	case PORTMAP_NO_PORTS:
	case PORTMAP_FULL:
		return UPNPERR_NO_PORT_MAPS_AVAILABLE;
	case PORTMAP_NOMEM:
		return UPNPERR_OUT_OF_MEMORY;
	default:
		/* add_request's checks leave nothing INVALID for the table. */
		FUZZ_CHECK(0, "portmap said %s to a checked request",
		    portmap_status_name(st));
		return UPNPERR_ACTION_FAILED;
	}
}

static enum upnperr
add(struct ctx *c, const struct soapmsg *args, bool any)
{
	const char *v[8];
	struct mapping m, out, got;
	struct any_ctx ac;
	enum portmap_status st;
	enum upnperr e;
	uint32_t lease;

	memset(&m, 0, sizeof(m));
	if ((e = soap_args(args, add_names, 8, v)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[1], &m.key.eport)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[3], &m.internal_port)) != UPNPERR_NONE ||
	    (e = soap_bool(v[5], &m.enabled)) != UPNPERR_NONE ||
	    (e = soap_ui4(v[7], &lease)) != UPNPERR_NONE)
		return e;
	if ((e = arg_proto(v[2], &m.key.proto)) != UPNPERR_NONE)
		return e;
	if (lease > LEASE_MAX)
		return UPNPERR_ARGUMENT_VALUE_OUT_OF_RANGE;
	if (lease == 0)
		lease = LEASE_MAX;
	if (v[4][0] == '\0')
		return UPNPERR_WILDCARD_NOT_PERMITTED_IN_SRC_IP;
	if (m.key.eport == 0)
		return UPNPERR_WILDCARD_NOT_PERMITTED_IN_EXT_PORT;
	if (m.internal_port == 0)
		return UPNPERR_WILDCARD_NOT_PERMITTED_IN_INT_PORT;
	if (strlen(v[6]) > PORTMAP_DESC_MAX)
		return UPNPERR_STRING_ARGUMENT_TOO_LONG;
	if ((e = arg_remote_host(v[0], &m.key.remote_host)) != UPNPERR_NONE ||
	    (e = arg_host(v[4], &m.internal_client)) != UPNPERR_NONE)
		return e;
	if (!valid_internal_client(m.internal_client, m.key.proto))
		return UPNPERR_ARGUMENT_VALUE_INVALID;
	snprintf(m.desc, sizeof(m.desc), "%s", v[6]);
	FUZZ_CHECK(strcmp(m.desc, v[6]) == 0, "description cut");
	m.origin = PORTMAP_ORIGIN_UPNP;
	m.creator = c->cp;
	if (!may_use(c->cp, owner(&m), m.key.eport, m.internal_port))
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	ac = (struct any_ctx){ c->cp, owner(&m), m.internal_port };
	if (any)
		st = portmap_add_any(pm, &m, lease, now, any_allowed, &ac,
		    &out, NULL);
	else
		st = portmap_add(pm, &m, lease, now, &out, NULL);
	if ((e = from_portmap(st, any)) != UPNPERR_NONE)
		return e;
	FUZZ_CHECK(portmap_count(pm) <= TABLE_MAX, "table over its limit");
	FUZZ_CHECK(portmap_get(pm, &out.key, &got) == PORTMAP_OK, "added "
	    "entry not found");
	FUZZ_CHECK(strcmp(got.desc, v[6]) == 0 && got.internal_port ==
	    m.internal_port && got.enabled == m.enabled &&
	    got.internal_client.s_addr == m.internal_client.s_addr,
	    "the table holds something else than was added");
	FUZZ_CHECK(got.expires == now + lease, "lease end");
	if (!any)
		FUZZ_CHECK(out.key.eport == m.key.eport, "add moved the port");
	else
		FUZZ_CHECK(out.key.eport >= MIN_PORT, "add_any gave port %u "
		    "below 1024", out.key.eport);
	if (any)
		return put_u32(c, "NewReservedPort",
		    out.key.eport);
	return UPNPERR_NONE;
}

static enum upnperr
find_entry(struct ctx *c, const struct soapmsg *args, struct mapping *m)
{
	struct portmap_key key;
	const char *v[3];
	enum upnperr e;

	memset(&key, 0, sizeof(key));
	if ((e = soap_args(args, key_names, 3, v)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[1], &key.eport)) != UPNPERR_NONE)
		return e;
	if ((e = arg_proto(v[2], &key.proto)) != UPNPERR_NONE ||
	    (e = arg_remote_host(v[0], &key.remote_host)) != UPNPERR_NONE)
		return e;
	if (key.eport < MIN_PORT)
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	if (portmap_get(pm, &key, m) != PORTMAP_OK)
		return UPNPERR_NO_SUCH_ENTRY_IN_ARRAY;
	FUZZ_CHECK(m->key.eport == key.eport && m->key.proto == key.proto &&
	    m->key.remote_host.s_addr == key.remote_host.s_addr,
	    "portmap_get returned another key");
	if (!may_use(c->cp, owner(m), m->key.eport, m->internal_port))
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	return UPNPERR_NONE;
}

static enum upnperr
out_entry(struct ctx *c, const struct mapping *m)
{
	char ic[INET_ADDRSTRLEN];
	enum upnperr e;

	inet_ntop(AF_INET, &m->internal_client, ic, sizeof(ic));
	if ((e = put_u32(c, "NewInternalPort",
	    m->internal_port)) != UPNPERR_NONE ||
	    (e = put(c, "NewInternalClient", ic)) !=
	    UPNPERR_NONE ||
	    (e = put_bool(c, "NewEnabled", m->enabled)) !=
	    UPNPERR_NONE ||
	    (e = put(c, "NewPortMappingDescription", m->desc)) !=
	    UPNPERR_NONE)
		return e;
	return put_u32(c, "NewLeaseDuration",
	    portmap_remaining(m, now));
}

static enum upnperr
get_specific(struct ctx *c, const struct soapmsg *args)
{
	struct mapping m;
	enum upnperr e;

	if ((e = find_entry(c, args, &m)) != UPNPERR_NONE)
		return e;
	return out_entry(c, &m);
}

static enum upnperr
delete(struct ctx *c, const struct soapmsg *args)
{
	struct mapping m, gone;
	enum upnperr e;

	if ((e = find_entry(c, args, &m)) != UPNPERR_NONE)
		return e;
	if (m.origin != PORTMAP_ORIGIN_UPNP)
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	FUZZ_CHECK(portmap_delete(pm, &m.key, &gone) == PORTMAP_OK,
	    "delete of a found entry");
	FUZZ_CHECK(portmap_get(pm, &m.key, &gone) == PORTMAP_NOT_FOUND,
	    "entry still there after delete");
	return UPNPERR_NONE;
}

static enum upnperr
get_generic(struct ctx *c, const struct soapmsg *args)
{
	char rh[INET_ADDRSTRLEN];
	const char *v[1];
	struct mapping m;
	enum upnperr e;
	uint16_t i;

	if ((e = soap_args(args, index_names, 1, v)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[0], &i)) != UPNPERR_NONE)
		return e;
	if (portmap_at(pm, i, &m) != PORTMAP_OK) {
		FUZZ_CHECK(i >= portmap_count(pm), "portmap_at(%u) of %zu", i,
		    portmap_count(pm));
		return UPNPERR_SPECIFIED_ARRAY_INDEX_INVALID;
	}
	if (!may_use(c->cp, owner(&m), m.key.eport, m.internal_port))
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	if (m.key.remote_host.s_addr == INADDR_ANY)
		rh[0] = '\0';
	else
		inet_ntop(AF_INET, &m.key.remote_host, rh, sizeof(rh));
	if ((e = put(c, "NewRemoteHost", rh)) != UPNPERR_NONE ||
	    (e = put_u32(c, "NewExternalPort", m.key.eport)) !=
	    UPNPERR_NONE ||
	    (e = put(c, "NewProtocol",
	    portmap_proto_name(m.key.proto))) != UPNPERR_NONE)
		return e;
	return out_entry(c, &m);
}

struct range_ctx {
	struct in_addr	cp;
	bool		deleting;
	struct pmlist	l;
	size_t		listed;
	uint16_t	start, end;
};

static bool
range_filter(const struct mapping *m, void *arg)
{
	const struct range_ctx *r = arg;

	FUZZ_CHECK(m->key.eport >= r->start && m->key.eport <= r->end,
	    "range gave port %u outside %u-%u", m->key.eport, r->start,
	    r->end);
	if (r->deleting && m->origin != PORTMAP_ORIGIN_UPNP)
		return false;
	/* No managers: NewManage never widens (WIC-114). */
	if (owner(m).s_addr != r->cp.s_addr)
		return false;
	return may_use(r->cp, owner(m), m->key.eport, m->internal_port);
}

static enum upnperr
range_request(const struct soapmsg *args, size_t n, struct range_ctx *r,
    enum portmap_proto *proto, uint16_t *count)
{
	const char *v[5];
	enum upnperr e;
	bool manage;

	e = soap_args(args, range_names, n, v);
	if (e != UPNPERR_NONE && n == 5)
		e = soap_args(args, range_alias, n, v);
	if (e != UPNPERR_NONE ||
	    (e = soap_ui2(v[0], &r->start)) != UPNPERR_NONE ||
	    (e = soap_ui2(v[1], &r->end)) != UPNPERR_NONE ||
	    (e = soap_bool(v[3], &manage)) != UPNPERR_NONE ||
	    (n == 5 && (e = soap_ui2(v[4], count)) != UPNPERR_NONE))
		return e;
	if ((e = arg_proto(v[2], proto)) != UPNPERR_NONE)
		return e;
	if (r->start > r->end)
		return UPNPERR_INCONSISTENT_PARAMETERS;
	if (r->end < MIN_PORT)
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	if (r->start < MIN_PORT)
		r->start = MIN_PORT;
	return UPNPERR_NONE;
}

static enum upnperr
delete_range(struct ctx *c, const struct soapmsg *args)
{
	struct range_ctx r = { .cp = c->cp, .deleting = true };
	enum portmap_proto proto;
	enum upnperr e;
	size_t before = portmap_count(pm), n;

	if ((e = range_request(args, 4, &r, &proto, NULL)) != UPNPERR_NONE)
		return e;
	n = portmap_delete_range(pm, proto, r.start, r.end, range_filter, &r);
	FUZZ_CHECK(portmap_count(pm) + n == before, "delete_range: %zu "
	    "deleted, count %zu -> %zu", n, before, portmap_count(pm));
	return n == 0 ? UPNPERR_PORT_MAPPING_NOT_FOUND : UPNPERR_NONE;
}

static bool
list_filter(const struct mapping *m, void *arg)
{
	return range_filter(m, arg);
}

static void
list_one(const struct mapping *m, void *arg)
{
	struct range_ctx *r = arg;
	char rh[INET_ADDRSTRLEN], ic[INET_ADDRSTRLEN];
	struct pmlist_entry e;

	if (m->key.remote_host.s_addr == INADDR_ANY)
		rh[0] = '\0';
	else
		inet_ntop(AF_INET, &m->key.remote_host, rh, sizeof(rh));
	inet_ntop(AF_INET, &m->internal_client, ic, sizeof(ic));
	e = (struct pmlist_entry){ rh, m->key.eport,
	    portmap_proto_name(m->key.proto), m->internal_port, ic,
	    m->enabled, m->desc, portmap_remaining(m, now) };
	pmlist_add(&r->l, &e);
	r->listed++;
}

static enum upnperr
get_list(struct ctx *c, const struct soapmsg *args)
{
	struct range_ctx r = { .cp = c->cp, .deleting = false };
	enum portmap_proto proto;
	enum upnperr e;
	uint16_t max = 0;
	size_t n;
	char *xml;

	if ((e = range_request(args, 5, &r, &proto, &max)) != UPNPERR_NONE)
		return e;
	pmlist_begin(&r.l);
	n = portmap_list(pm, proto, r.start, r.end, max, list_filter,
	    list_one, &r);
	FUZZ_CHECK(n == r.listed && (max == 0 || n <= max), "list gave %zu "
	    "(fn %zu, max %u)", n, r.listed, max);
	xml = pmlist_end(&r.l);
	FUZZ_CHECK(xml != NULL, "pmlist_end: NULL");
	e = n == 0 ? UPNPERR_PORT_MAPPING_NOT_FOUND :
	    put_cdata(c, "NewPortListing", xml);
	free(xml);
	return e;
}

/* The actions without IN arguments refuse any (VC-29). */
static enum upnperr
no_args(struct ctx *c, const struct soapmsg *args, const char *out)
{
	enum upnperr e;

	if ((e = soap_args(args, NULL, 0, NULL)) != UPNPERR_NONE)
		return e;
	if (out == NULL)
		return UPNPERR_NONE;
	if ((e = put(c, out, "203.0.113.1")) != UPNPERR_NONE)
		return e;
	return put_bool(c, "NewNATEnabled", true);
}

static enum upnperr
dispatch(struct ctx *c, const char *name, const struct soapmsg *args)
{
	if (strcmp(name, "AddPortMapping") == 0)
		return add(c, args, false);
	if (strcmp(name, "AddAnyPortMapping") == 0)
		return add(c, args, true);
	if (strcmp(name, "DeletePortMapping") == 0)
		return delete(c, args);
	if (strcmp(name, "DeletePortMappingRange") == 0)
		return delete_range(c, args);
	if (strcmp(name, "GetSpecificPortMappingEntry") == 0)
		return get_specific(c, args);
	if (strcmp(name, "GetGenericPortMappingEntry") == 0)
		return get_generic(c, args);
	if (strcmp(name, "GetListOfPortMappings") == 0)
		return get_list(c, args);
	if (strcmp(name, "GetExternalIPAddress") == 0)
		return no_args(c, args, "NewExternalIPAddress");
	if (strcmp(name, "GetNATRSIPStatus") == 0 ||
	    strcmp(name, "GetStatusInfo") == 0 ||
	    strcmp(name, "GetConnectionTypeInfo") == 0)
		return no_args(c, args, NULL);
	return UPNPERR_INVALID_ACTION;
}

/* The response must read again: ACTIONResponse with what was written. */
static void
check_response(struct ctx *c)
{
	struct soapmsg back;
	const char *text;
	char want[160];
	enum soapmsg_err e;
	size_t i;

	text = soap_resp_finish(&c->resp);
	FUZZ_CHECK(text != NULL, "soap_resp_finish: NULL");
	e = soapmsg_parse(&back, text, strlen(text));
	FUZZ_CHECK(e == SOAPMSG_OK, "response does not read (%d):\n%s",
	    (int)e, text);
	snprintf(want, sizeof(want), "%sResponse", c->resp.action);
	FUZZ_CHECK(strcmp(back.action, want) == 0, "response action %s",
	    back.action);
	FUZZ_CHECK(strcmp(back.ns, c->resp.service_type) == 0, "response "
	    "namespace %s", back.ns);
	FUZZ_CHECK(back.nargs == c->nout && !back.stray && !back.too_many,
	    "%zu OUT arguments read, %zu written:\n%s", back.nargs, c->nout,
	    text);
	for (i = 0; i < c->nout; i++) {
		FUZZ_CHECK(strcmp(back.args[i].name, c->out_name[i]) == 0,
		    "OUT argument %zu: %s, written %s", i, back.args[i].name,
		    c->out_name[i]);
		FUZZ_CHECK(back.args[i].value != NULL &&
		    strcmp(back.args[i].value, c->out_value[i]) == 0,
		    "%s reads back otherwise:\n%s", c->out_name[i], text);
	}
	soapmsg_free(&back);
}

/* An error answer: the fault envelope reads again. */
static void
check_fault(enum upnperr err)
{
	struct strbuf b = STRBUF_INIT;
	struct soapmsg back;
	char code[48];

	soapmsg_fault(&b, (int)err, upnperr_name(err));
	FUZZ_CHECK(!b.nomem, "fault: out of memory");
	FUZZ_CHECK(soapmsg_parse(&back, b.p, b.len) == SOAPMSG_OK &&
	    strcmp(back.action, "Fault") == 0 && back.nargs == 3,
	    "fault does not read:\n%s", b.p);
	snprintf(code, sizeof(code), "<errorCode>%d</errorCode>", (int)err);
	FUZZ_CHECK(strstr(b.p, code) != NULL, "fault without %s", code);
	soapmsg_free(&back);
	strbuf_free(&b);
}

/*
 * What the reader accepted holds together, and its arguments come back
 * unchanged through the writer (soapmsg.h: any value it gave reads back).
 */
static void
check_echo(const struct soapmsg *m)
{
	struct strbuf b = STRBUF_INIT;
	struct soapmsg back;
	enum soapmsg_err e;
	size_t i, k = 0;

	FUZZ_CHECK(m->action != NULL && m->ns != NULL && m->buf != NULL,
	    "parsed without action or namespace");
	FUZZ_CHECK(m->action[0] != '\0' && strchr(m->action, ':') == NULL,
	    "action name \"%s\"", m->action);
	FUZZ_CHECK(m->nargs <= SOAPMSG_MAX_ARGS, "%zu arguments", m->nargs);
	FUZZ_CHECK(!m->too_many || m->nargs == SOAPMSG_MAX_ARGS, "too_many "
	    "with %zu arguments", m->nargs);
	soapmsg_resp_begin(&b, m->action, m->ns);
	for (i = 0; i < m->nargs; i++) {
		FUZZ_CHECK(m->args[i].name != NULL && m->args[i].name[0] !=
		    '\0' && strchr(m->args[i].name, ':') == NULL,
		    "argument %zu name", i);
		if (m->args[i].value != NULL)
			soapmsg_resp_arg(&b, m->args[i].name,
			    m->args[i].value);
	}
	soapmsg_resp_end(&b, m->action);
	FUZZ_CHECK(!b.nomem, "echo: out of memory");
	e = soapmsg_parse(&back, b.p, b.len);
	FUZZ_CHECK(e == SOAPMSG_OK, "echo does not read (%d):\n%s", (int)e,
	    b.p);
	FUZZ_CHECK(strcmp(back.ns, m->ns) == 0, "echo namespace");
	for (i = 0; i < m->nargs; i++) {
		if (m->args[i].value == NULL)
			continue;
		FUZZ_CHECK(k < back.nargs && strcmp(back.args[k].name,
		    m->args[i].name) == 0 && back.args[k].value != NULL &&
		    strcmp(back.args[k].value, m->args[i].value) == 0,
		    "argument %s does not come back:\n%s", m->args[i].name,
		    b.p);
		k++;
	}
	FUZZ_CHECK(k == back.nargs && !back.stray, "echo: %zu arguments, "
	    "%zu read", k, back.nargs);
	soapmsg_free(&back);
	strbuf_free(&b);
}

static void
new_table(void)
{
	struct mapping m;

	portmap_free(pm);
	if ((pm = portmap_new(TABLE_MAX)) == NULL)
		abort();
	/* Entries of other mechanisms: 729 and 606 paths. */
	memset(&m, 0, sizeof(m));
	m.key.proto = PORTMAP_TCP;
	m.key.eport = 8080;
	m.internal_client.s_addr = htonl(0xc0a80114);	/* .20 */
	m.internal_port = 8080;
	m.enabled = true;
	m.origin = PORTMAP_ORIGIN_ADMIN;
	strcpy(m.desc, "admin");
	FUZZ_CHECK(portmap_add(pm, &m, PORTMAP_STATIC, now, NULL, NULL) ==
	    PORTMAP_OK, "seed entry");
	m.key.proto = PORTMAP_UDP;
	m.key.eport = 5000;
	m.internal_client.s_addr = htonl(0xc0a8010a);	/* .10: a CP */
	m.origin = PORTMAP_ORIGIN_CONFIG;
	strcpy(m.desc, "config");
	FUZZ_CHECK(portmap_add(pm, &m, PORTMAP_STATIC, now, NULL, NULL) ==
	    PORTMAP_OK, "seed entry");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct soapmsg m;
	struct ctx c;
	enum soapmsg_err pe;
	enum upnperr e;
	size_t i;
	const char *ns;

	if (pm == NULL || runs++ % TABLE_RUNS == 0)
		new_table();
	now += 1 + (uint32_t)(size % 7);
	(void)portmap_expire(pm, now, NULL, SIZE_MAX);

	pe = soapmsg_parse(&m, (const char *)data, size);
	FUZZ_CHECK(pe == SOAPMSG_OK || pe == SOAPMSG_EXML ||
	    pe == SOAPMSG_ESOAP, "soapmsg_parse: %d", (int)pe);
	if (pe != SOAPMSG_OK) {
		FUZZ_CHECK(m.buf == NULL && m.action == NULL && m.nargs == 0,
		    "a refused body left something behind");
		soapmsg_free(&m);
		return 0;
	}
	check_echo(&m);
	check_lists(&m);
	memset(&c, 0, sizeof(c));
	c.resp.action = m.action;
	/* device.c: the namespace the request used, else ours. */
	ns = m.ns;
	c.resp.service_type = strncmp(ns, SERVICE_TYPE,
	    strlen(SERVICE_TYPE) - 1) == 0 ? ns : SERVICE_TYPE;
	/* Two CPs on the LAN, so entries of others are met. */
	c.cp.s_addr = htonl(0xc0a8010a + (uint32_t)(size & 1));
	e = dispatch(&c, m.action, &m);
	if (getenv("FUZZ_SOAP_TRACE") != NULL)
		fprintf(stderr, "fuzz_soap: %s -> %d, %zu entries\n", m.action,
		    (int)e, portmap_count(pm));
	if (e == UPNPERR_NONE)
		check_response(&c);
	else
		check_fault(e);
	soap_resp_free(&c.resp);
	for (i = 0; i < c.nout; i++)
		free(c.out_value[i]);
	soapmsg_free(&m);
	return 0;
}
