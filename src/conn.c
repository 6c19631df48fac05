/*
 * conn: the connection state machine of WANIPConnection (conn.h says
 * what each mode does).  Every mutator takes a snapshot of the evented
 * facts first and reports what differs afterwards, so the CONN_CHANGED_*
 * bits cannot drift from the state.
 */
#include "conn.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

static const char *const status_names[] = {
	"Unconfigured", "Connecting", "Connected", "PendingDisconnect",
	"Disconnecting", "Disconnected"
};

static const char *const type_names[] = {
	"Unconfigured", "IP_Routed", "IP_Bridged"
};

#define ROUTED		CONN_TYPE_BIT(CONN_TYPE_IP_ROUTED)
#define BRIDGED		CONN_TYPE_BIT(CONN_TYPE_IP_BRIDGED)

/* What the CONN_CHANGED_* bits compare. */
struct snap {
	enum conn_status status;
	bool		 known;		/* ExternalIPAddress is not "" */
	struct in_addr	 ip;
	bool		 forwarding;
	unsigned	 possible;
};

const char *
conn_status_name(enum conn_status s)
{
	return status_names[s];
}

const char *
conn_type_name(enum conn_type t)
{
	return type_names[t];
}

bool
conn_type_from_name(const char *name, enum conn_type *t)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(name, type_names[i]) == 0) {
			*t = (enum conn_type)i;
			return true;
		}
	return false;
}

bool
conn_addr_is_private(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return (h & 0xff000000u) == 0x0a000000u ||	/* 10/8 */
	    (h & 0xfff00000u) == 0xac100000u ||		/* 172.16/12 */
	    (h & 0xffff0000u) == 0xc0a80000u ||		/* 192.168/16 */
	    (h & 0xffc00000u) == 0x64400000u;		/* 100.64/10 */
}

void
conn_conf_defaults(struct conn_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->mode = CONN_MONITOR;
	conf->connect_delay = CONN_DEFAULT_CONNECT_DELAY;
	conf->connecting_timeout = CONN_DEFAULT_CONNECTING_TIMEOUT;
	conf->disconnect_delay = CONN_DEFAULT_DISCONNECT_DELAY;
}

void
conn_init(struct conn *c)
{
	conn_init_conf(c, NULL);
}

void
conn_init_conf(struct conn *c, const struct conn_conf *conf)
{
	memset(c, 0, sizeof(*c));
	if (conf != NULL)
		c->conf = *conf;
	else
		conn_conf_defaults(&c->conf);
	c->status = CONN_UNCONFIGURED;
	c->last_error = "ERROR_NONE";
	c->type = CONN_TYPE_IP_ROUTED;			/* WIC-010 default */
	/* A Linux NAT router only routes (VC-35); the lab may bridge too. */
	c->possible = c->conf.mode == CONN_MONITOR ? ROUTED : ROUTED | BRIDGED;
	c->enabled = true;
}

/* Connected or PendingDisconnect: packets flow (WIC-014). */
static bool
is_up(const struct conn *c)
{
	return c->status == CONN_CONNECTED ||
	    c->status == CONN_PENDING_DISCONNECT;
}

bool
conn_forwarding(const struct conn *c)
{
	/* Monitor mode never withdraws rules: they match the interface. */
	return c->conf.mode == CONN_MONITOR || is_up(c);
}

/* ExternalIPAddress as reported: the override wins while known. */
static bool
reported(const struct conn *c, struct in_addr *ip)
{
	if (!c->has_addr)
		return false;
	*ip = c->conf.external_ip.s_addr != 0 ? c->conf.external_ip :
	    c->addr;
	return true;
}

static void
take_snap(const struct conn *c, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	s->status = c->status;
	s->known = reported(c, &s->ip);
	s->forwarding = conn_forwarding(c);
	s->possible = c->possible;
}

static unsigned
diff(const struct conn *c, const struct snap *before)
{
	struct snap now;
	unsigned changed = 0;

	take_snap(c, &now);
	if (now.status != before->status)
		changed |= CONN_CHANGED_STATUS;
	if (now.known != before->known ||
	    now.ip.s_addr != before->ip.s_addr)
		changed |= CONN_CHANGED_ADDR;
	if (now.possible != before->possible)
		changed |= CONN_CHANGED_TYPES;
	if (now.forwarding != before->forwarding)
		changed |= CONN_CHANGED_FORWARDING;
	return changed;
}

/* The address is known only while up and the interface has one. */
static void
sync_addr(struct conn *c)
{
	c->has_addr = is_up(c) && c->link_ok;
	c->addr.s_addr = c->has_addr ? c->link_addr.s_addr : 0;
}

static enum conn_err
finish(struct conn *c, const struct snap *before, enum conn_err e,
    unsigned *changed)
{
	sync_addr(c);
	if (changed != NULL)
		*changed = e == CONN_OK ? diff(c, before) : 0;
	return e;
}

static bool
due(uint32_t now, uint64_t when)
{
	return (uint64_t)now >= when;
}

/* VC-43: the cause named after what the link lacks now. */
static const char *
link_cause(const struct conn *c)
{
	if (!c->link_carrier)
		return "ERROR_NO_CARRIER";
	if (!c->link_ok)
		return "ERROR_IP_CONFIGURATION";
	return "ERROR_UNKNOWN";
}

static void
enter(struct conn *c, enum conn_status st, uint32_t now)
{
	bool was_up = is_up(c);

	c->status = st;
	c->entered = now;
	if (st == CONN_CONNECTED) {
		/*
		 * Auto and Idle count from every move to Connected (WIC-084),
		 * a restored PendingDisconnect included; Uptime only from a
		 * new connection.
		 */
		c->connected_at = now;
		c->activity = now;
		if (!was_up)
			c->since = now;
	}
}

/* Irrevocable teardown: Disconnecting, the cause recorded (VC-43). */
static void
teardown(struct conn *c, const char *cause, uint32_t now)
{
	c->last_error = cause;
	enter(c, CONN_DISCONNECTING, now);
}

/* A termination that warns first when WarnDisconnectDelay > 0 (WIC-078). */
static void
terminate(struct conn *c, const char *cause, uint32_t now)
{
	if (c->warn_delay == 0) {
		teardown(c, cause, now);		/* WIC-080 */
		return;
	}
	c->cause = cause;
	c->pending_until = (uint64_t)now + c->warn_delay;
	enter(c, CONN_PENDING_DISCONNECT, now);
}

static void
observe_link(struct conn *c, const struct conn_link *l)
{
	c->seen_link = true;
	c->link_carrier = l->exists && l->up && l->running;
	/* 0.0.0.0 is no address (WIC-023). */
	c->link_ok = c->link_carrier && l->has_addr && l->addr.s_addr != 0;
	c->link_addr.s_addr = c->link_ok ? l->addr.s_addr : 0;
}

/* VC-44: idle means the IP packet count did not move. */
static void
observe_packets(struct conn *c, uint64_t packets, uint32_t now)
{
	if (!c->seen_packets || packets != c->packets)
		c->activity = now;
	c->seen_packets = true;
	c->packets = packets;
}

/*
 * Monitor: the status is the link (VC-35).  Connected needs carrier and
 * an address; otherwise the cause is named after what is missing now.
 */
static void
monitor_step(struct conn *c, uint32_t now)
{
	enum conn_status st = c->link_ok ? CONN_CONNECTED : CONN_DISCONNECTED;

	if (st != c->status)
		enter(c, st, now);
	c->last_error = c->link_ok ? "ERROR_NONE" : link_cause(c);
}

/* Emulate, first tick: an always-on router starts connecting (WIC-071). */
static void
first_step(struct conn *c, uint32_t now)
{
	if (!c->enabled) {
		c->last_error = "ERROR_NOT_ENABLED_FOR_INTERNET";
		enter(c, CONN_DISCONNECTED, now);
	} else if (c->type != CONN_TYPE_IP_ROUTED)
		enter(c, CONN_DISCONNECTED, now);	/* WIC-085 */
	else
		enter(c, CONN_CONNECTING, now);
}

/* WIC-072, VC-42: success after connect_delay, failure at the timeout. */
static void
connecting_step(struct conn *c, uint32_t now)
{
	uint64_t ready = (uint64_t)c->entered + c->conf.connect_delay;
	uint64_t give_up = (uint64_t)c->entered + c->conf.connecting_timeout;

	if (c->link_ok && due(now, ready)) {
		c->last_error = "ERROR_NONE";
		enter(c, CONN_CONNECTED, now);
	} else if (due(now, give_up)) {
		c->last_error = link_cause(c);
		enter(c, CONN_DISCONNECTED, now);
	}
}

static bool
idle_due(const struct conn *c, uint32_t now)
{
	return c->idle_time > 0 && c->seen_packets &&
	    due(now, (uint64_t)c->activity + c->idle_time);
}

/* Link loss is a network failure: no warning (WIC-080). */
static void
connected_step(struct conn *c, uint32_t now)
{
	if (!c->link_ok)
		teardown(c, link_cause(c), now);
	else if (c->auto_time > 0 &&
	    due(now, (uint64_t)c->connected_at + c->auto_time))
		terminate(c, "ERROR_USER_DISCONNECT", now);	/* VC-43 */
	else if (idle_due(c, now))
		terminate(c, "ERROR_IDLE_DISCONNECT", now);
}

static void
emulate_step(struct conn *c, uint32_t now)
{
	switch (c->status) {
	case CONN_UNCONFIGURED:
		first_step(c, now);
		break;
	case CONN_CONNECTING:
		connecting_step(c, now);
		break;
	case CONN_CONNECTED:
		connected_step(c, now);
		break;
	case CONN_PENDING_DISCONNECT:
		/* VC-40: PendingDisconnect -> Disconnecting. */
		if (!c->link_ok)
			teardown(c, link_cause(c), now);
		else if (due(now, c->pending_until))
			teardown(c, c->cause, now);
		break;
	case CONN_DISCONNECTING:
		if (due(now, (uint64_t)c->entered + c->conf.disconnect_delay))
			enter(c, CONN_DISCONNECTED, now);
		break;
	case CONN_DISCONNECTED:
		break;
	}
}

static unsigned
tick(struct conn *c, uint32_t now, const struct conn_link *l,
    const uint64_t *packets)
{
	struct snap before;

	take_snap(c, &before);
	if (l != NULL)
		observe_link(c, l);
	if (packets != NULL)
		observe_packets(c, *packets, now);
	if (c->seen_link) {
		if (c->conf.mode == CONN_MONITOR)
			monitor_step(c, now);
		else
			emulate_step(c, now);
	}
	sync_addr(c);
	return diff(c, &before);
}

unsigned
conn_tick(struct conn *c, uint32_t now, const struct conn_link *l,
    uint64_t packets)
{
	return tick(c, now, l, &packets);
}

unsigned
conn_observe(struct conn *c, const struct conn_link *l, uint32_t now)
{
	return tick(c, now, l, NULL);
}

static void
earliest(uint64_t *best, uint64_t when)
{
	if (when < *best)
		*best = when;
}

bool
conn_next_deadline(const struct conn *c, uint32_t *when)
{
	uint64_t best = UINT64_MAX;

	if (c->conf.mode == CONN_MONITOR)
		return false;
	switch (c->status) {
	case CONN_CONNECTING:
		if (c->link_ok)
			earliest(&best,
			    (uint64_t)c->entered + c->conf.connect_delay);
		earliest(&best,
		    (uint64_t)c->entered + c->conf.connecting_timeout);
		break;
	case CONN_CONNECTED:
		if (c->auto_time > 0)
			earliest(&best, (uint64_t)c->connected_at +
			    c->auto_time);
		if (c->idle_time > 0 && c->seen_packets)
			earliest(&best, (uint64_t)c->activity + c->idle_time);
		break;
	case CONN_PENDING_DISCONNECT:
		earliest(&best, c->pending_until);
		break;
	case CONN_DISCONNECTING:
		earliest(&best,
		    (uint64_t)c->entered + c->conf.disconnect_delay);
		break;
	case CONN_UNCONFIGURED:
	case CONN_DISCONNECTED:
		break;
	}
	if (best > UINT32_MAX)		/* none, or beyond the clock's range */
		return false;
	*when = (uint32_t)best;
	return true;
}

/* ---- actions ----------------------------------------------------------- */

/* 706 then 710: the checks the three connection actions share. */
static enum conn_err
check_configured(const struct conn *c)
{
	if (c->status == CONN_UNCONFIGURED)
		return CONN_ERR_NOT_CONFIGURED;
	if (c->type != CONN_TYPE_IP_ROUTED)
		return CONN_ERR_INVALID_TYPE;		/* WIC-085 */
	return CONN_OK;
}

/* RequestConnection in Disconnected: 709, 704 (monitor) or Connecting. */
static enum conn_err
start_connection(struct conn *c, uint32_t now)
{
	if (!c->enabled)
		return CONN_ERR_INTERNET_DISABLED;
	if (c->conf.mode == CONN_MONITOR)
		return CONN_ERR_SETUP_FAILED;	/* cannot raise the link */
	enter(c, CONN_CONNECTING, now);
	return CONN_OK;
}

enum conn_err
conn_request_connection(struct conn *c, uint32_t now, unsigned *changed)
{
	struct snap before;
	enum conn_err e;

	take_snap(c, &before);
	if ((e = check_configured(c)) != CONN_OK)
		return finish(c, &before, e, changed);
	switch (c->status) {
	case CONN_CONNECTING:
		e = CONN_ERR_IN_PROGRESS;
		break;
	case CONN_DISCONNECTING:
		e = CONN_ERR_DISCONNECTING;
		break;
	case CONN_PENDING_DISCONNECT:
		enter(c, CONN_CONNECTED, now);		/* WIC-075: restore */
		break;
	case CONN_DISCONNECTED:
		e = start_connection(c, now);
		break;
	case CONN_CONNECTED:				/* WIC-076 */
	case CONN_UNCONFIGURED:
		break;
	}
	return finish(c, &before, e, changed);
}

enum conn_err
conn_request_termination(struct conn *c, uint32_t now, unsigned *changed)
{
	struct snap before;
	enum conn_err e;

	take_snap(c, &before);
	if ((e = check_configured(c)) != CONN_OK)
		return finish(c, &before, e, changed);
	switch (c->status) {
	case CONN_PENDING_DISCONNECT:
	case CONN_DISCONNECTING:
		e = CONN_ERR_DISCONNECTING;
		break;
	case CONN_DISCONNECTED:
		e = CONN_ERR_ALREADY_TERMINATED;
		break;
	case CONN_CONNECTING:
		/* VC-41: never through PendingDisconnect. */
		teardown(c, "ERROR_COMMAND_ABORTED", now);
		break;
	case CONN_CONNECTED:
		if (c->conf.mode == CONN_MONITOR)
			e = CONN_ERR_CANNOT;		/* VC-38 */
		else
			terminate(c, "ERROR_USER_DISCONNECT", now);
		break;
	case CONN_UNCONFIGURED:
		break;
	}
	return finish(c, &before, e, changed);
}

enum conn_err
conn_force_termination(struct conn *c, uint32_t now, unsigned *changed)
{
	struct snap before;
	enum conn_err e;

	take_snap(c, &before);
	if ((e = check_configured(c)) != CONN_OK)
		return finish(c, &before, e, changed);
	switch (c->status) {
	case CONN_DISCONNECTING:
		e = CONN_ERR_DISCONNECTING;
		break;
	case CONN_DISCONNECTED:
		e = CONN_ERR_ALREADY_TERMINATED;
		break;
	case CONN_CONNECTING:
		/* VC-43: a setup aborted by a termination. */
		teardown(c, "ERROR_COMMAND_ABORTED", now);
		break;
	case CONN_CONNECTED:
	case CONN_PENDING_DISCONNECT:
		if (c->conf.mode == CONN_MONITOR)
			e = CONN_ERR_CANNOT;		/* VC-38 */
		else
			teardown(c, "ERROR_FORCED_DISCONNECT", now);
		break;
	case CONN_UNCONFIGURED:
		break;
	}
	return finish(c, &before, e, changed);
}

enum conn_err
conn_set_connection_type(struct conn *c, const char *name)
{
	enum conn_type t;

	if (!conn_type_from_name(name, &t))
		return CONN_ERR_BAD_VALUE;		/* WIC-115 */
	if (c->conf.mode == CONN_MONITOR)
		return CONN_ERR_READ_ONLY;		/* VC-37 */
	if (t != CONN_TYPE_UNCONFIGURED &&
	    (c->possible & CONN_TYPE_BIT(t)) == 0)
		return CONN_ERR_BAD_VALUE;
	if (c->status != CONN_DISCONNECTED && c->status != CONN_UNCONFIGURED)
		return CONN_ERR_INACTIVE_REQUIRED;	/* WIC-116 */
	c->type = t;
	return CONN_OK;
}

void
conn_set_auto_disconnect_time(struct conn *c, uint32_t secs)
{
	c->auto_time = secs;
}

void
conn_set_idle_disconnect_time(struct conn *c, uint32_t secs)
{
	c->idle_time = secs;
}

void
conn_set_warn_disconnect_delay(struct conn *c, uint32_t secs)
{
	c->warn_delay = secs;
}

enum conn_err
conn_set_enabled_for_internet(struct conn *c, bool on, uint32_t now,
    unsigned *changed)
{
	struct snap before;

	take_snap(c, &before);
	if (c->conf.mode == CONN_MONITOR)
		return finish(c, &before, on ? CONN_OK : CONN_ERR_CANNOT,
		    changed);
	c->enabled = on;
	if (!on && (is_up(c) || c->status == CONN_CONNECTING))
		/* WIC-080: straight to Disconnecting. */
		teardown(c, "ERROR_NOT_ENABLED_FOR_INTERNET", now);
	return finish(c, &before, CONN_OK, changed);
}

enum conn_err
conn_set_possible_types(struct conn *c, unsigned bits, unsigned *changed)
{
	struct snap before;

	take_snap(c, &before);
	if (c->conf.mode == CONN_MONITOR)
		return finish(c, &before, CONN_ERR_CANNOT, changed);
	if (bits == 0 || (bits & ~(ROUTED | BRIDGED)) != 0)
		return finish(c, &before, CONN_ERR_BAD_VALUE, changed);
	c->possible = bits;
	return finish(c, &before, CONN_OK, changed);
}

unsigned
conn_set_external_ip(struct conn *c, const struct in_addr *ip)
{
	struct snap before;

	take_snap(c, &before);
	c->conf.external_ip.s_addr = ip != NULL ? ip->s_addr : 0;
	return diff(c, &before);
}

/* ---- getters ------------------------------------------------------------ */

uint32_t
conn_uptime(const struct conn *c, uint32_t now)
{
	return is_up(c) && now >= c->since ? now - c->since : 0;
}

void
conn_external_ip(const struct conn *c, char *buf, size_t len)
{
	struct in_addr ip;

	if (!reported(c, &ip) || len < INET_ADDRSTRLEN) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	inet_ntop(AF_INET, &ip, buf, (socklen_t)len);
}

enum conn_type
conn_connection_type(const struct conn *c)
{
	return c->type;
}

const char *
conn_possible_types(const struct conn *c)
{
	switch (c->possible) {
	case ROUTED:
		return "IP_Routed";
	case BRIDGED:
		return "IP_Bridged";
	case ROUTED | BRIDGED:
		return "IP_Routed,IP_Bridged";
	default:
		return "";
	}
}

uint32_t
conn_auto_disconnect_time(const struct conn *c)
{
	return c->auto_time;
}

uint32_t
conn_idle_disconnect_time(const struct conn *c)
{
	return c->idle_time;
}

uint32_t
conn_warn_disconnect_delay(const struct conn *c)
{
	return c->warn_delay;
}

bool
conn_enabled_for_internet(const struct conn *c)
{
	return c->enabled;
}
