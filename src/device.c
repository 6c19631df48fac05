/*
 * device: pupnp glue (see device.h).
 *
 * pupnp differences between 1.8 and 1.14 are kept in this file (STYLE 14);
 * today the code uses only calls both have.
 */
#include "upnpcompat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "conn.h"
#include "desc.h"
#include "device.h"
#include "front.h"
#include "log.h"
#include "nat.h"
#include "persist.h"
#include "netif.h"
#include "service.h"
#include "ssdp.h"
#include "upnpfix.h"

/* Subscriptions: a bounded number, each for at most half an hour. */
#define DEVICE_MAX_SUBSCRIPTIONS	64
#define DEVICE_MAX_SUBSCRIPTION_TIMEOUT	1800

static const struct service *const services[] = {
	&wanipconn_service,
	&wancommon_service,
};

/* Evented changes collected under the lock, sent after it. */
struct device_events {
	struct service_vars	ipconn;
	struct service_vars	common;
};

void
gw_lock(struct gw *gw)
{
	pthread_mutex_lock(&gw->lock);
}

void
gw_unlock(struct gw *gw)
{
	pthread_mutex_unlock(&gw->lock);
}

void
service_var(struct service_vars *v, const char *name, const char *value)
{
	if (v->n >= SERVICE_VARS_MAX)
		return;
	v->name[v->n] = name;
	snprintf(v->value[v->n], SERVICE_VALUE_LEN, "%s", value);
	v->n++;
}

static const struct service *
find_service(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (id != NULL && strcmp(services[i]->id, id) == 0)
			return services[i];
	return NULL;
}

static const char *
service_udn(const struct gw *gw, const struct service *svc)
{
	return svc == &wancommon_service ? gw->udn_wan : gw->udn_wanconn;
}

/* Evented variables for the connection changes in `bits'. */
static void
conn_events_locked(struct gw *gw, unsigned bits, struct device_events *ev)
{
	char ip[INET_ADDRSTRLEN];

	if (bits & CONN_CHANGED_STATUS) {
		service_var(&ev->ipconn, "ConnectionStatus",
		    conn_status_name(gw->conn.status));
		log_notice("wan: connection %s (%s)",
		    conn_status_name(gw->conn.status), gw->conn.last_error);
	}
	if (bits & CONN_CHANGED_ADDR) {
		conn_external_ip(&gw->conn, ip, sizeof(ip));
		service_var(&ev->ipconn, "ExternalIPAddress", ip);
		log_notice("wan: %s external address is now \"%s\"",
		    gw->cfg.wan_interface, ip);
		if (gw->conn.has_addr && conn_addr_is_private(gw->conn.addr))
			log_warnx("wan: %s is a private or shared address: "
			    "mappings are not reachable from the Internet "
			    "(VC-46; see external_ip)", ip);
	}
	if (bits & CONN_CHANGED_TYPES)
		service_var(&ev->ipconn, "PossibleConnectionTypes",
		    conn_possible_types(&gw->conn));
}

/*
 * Refreshes what the services report about the WAN (and the LAN prefix
 * used to tell LAN callers from others) and notes evented changes.
 */
static void
refresh_locked(struct gw *gw, struct device_events *ev)
{
	struct netif_info wan, lan;
	struct netif_counters ctr;
	struct conn_link l;
	uint64_t packets = 0;
	bool up;

	if (netif_query(gw->cfg.lan_interface, &lan) == 0 && lan.has_addr)
		gw->lan = lan;
	if (netif_query(gw->cfg.wan_interface, &wan) < 0)
		return;
	if (gw->wan_down)	/* igd2ctl wan down: a cable pulled */
		wan.up = wan.running = false;
	l.exists = wan.exists;
	l.up = wan.up;
	l.running = wan.running;
	l.has_addr = wan.has_addr;
	l.addr = wan.addr;
	/* VC-44: idle means no IP packets either way on the WAN. */
	if (netif_counters(gw->cfg.wan_interface, &ctr) == 0)
		packets = ctr.rx_packets + ctr.tx_packets;
	nat_conn_changed_locked(gw, conn_tick(&gw->conn, clock_now(), &l,
	    packets));
	conn_events_locked(gw, gw->conn_pending, ev);
	gw->conn_pending = 0;
	up = wan.exists && wan.up && wan.running;
	if (up != gw->link_up) {
		gw->link_up = up;
		service_var(&ev->common, "PhysicalLinkStatus", up ? "Up" :
		    "Down");
	}
}

int
device_next_tick_ms(struct gw *gw)
{
	uint32_t when, now = clock_now();
	bool due;

	gw_lock(gw);
	due = conn_next_deadline(&gw->conn, &when);
	gw_unlock(gw);
	if (due && when <= now)
		return 0;		/* a zero-length state: step now */
	return 1000;
}

static void
notify(struct gw *gw, const struct service *svc,
    const struct service_vars *v)
{
	const char *values[SERVICE_VARS_MAX];
	size_t i;
	int rc;

	if (v->n == 0 || !gw->registered)
		return;
	for (i = 0; i < v->n; i++)
		values[i] = v->value[i];
	rc = UpnpNotify(gw->hnd, service_udn(gw, svc), svc->id,
	    (const char **)v->name, values, (int)v->n);
	if (rc != UPNP_E_SUCCESS)
		log_warnx("device: notify %s: %s", svc->id,
		    UpnpGetErrorMessage(rc));
}

static void
send_events(struct gw *gw, const struct device_events *ev)
{
	notify(gw, &wanipconn_service, &ev->ipconn);
	notify(gw, &wancommon_service, &ev->common);
}

void
device_events_begin_locked(struct gw *gw)
{
	pthread_mutex_lock(&gw->event_lock);
	gw_unlock(gw);
}

void
device_events_end(struct gw *gw)
{
	pthread_mutex_unlock(&gw->event_lock);
}

void
device_notify_mappings(struct gw *gw, unsigned entries, uint32_t id)
{
	struct service_vars v;
	char buf[16];

	memset(&v, 0, sizeof(v));
	snprintf(buf, sizeof(buf), "%u", entries);
	service_var(&v, "PortMappingNumberOfEntries", buf);
	snprintf(buf, sizeof(buf), "%u", id);
	service_var(&v, "SystemUpdateID", buf);
	notify(gw, &wanipconn_service, &v);
}

void
device_poll(struct gw *gw)
{
	static unsigned long refused_seen, dropped_seen;
	unsigned long refused = upnpfix_refused(), dropped = ssdp_dropped();
	struct device_events ev;

	if (refused != refused_seen) {
		log_warnx("device: refused %lu event deliveries to addresses "
		    "outside the LAN (CallStranger, CVE-2020-12695)",
		    refused - refused_seen);
		refused_seen = refused;
	}
	if (dropped != dropped_seen) {
		log_warnx("device: %lu SSDP searches not answered: more than "
		    "%u waited for their delay", dropped - dropped_seen,
		    SSDP_QUEUE);
		dropped_seen = dropped;
	}

	memset(&ev, 0, sizeof(ev));
	gw_lock(gw);
	refresh_locked(gw, &ev);
	device_events_begin_locked(gw);
	send_events(gw, &ev);
	device_events_end(gw);
}

static const struct service_action *
find_action(const struct service *svc, const char *name)
{
	size_t i;

	for (i = 0; i < svc->nactions; i++)
		if (strcmp(svc->actions[i].name, name) == 0)
			return &svc->actions[i];
	return NULL;
}

/*
 * Answers in the namespace the request used (VC-33): an IGD:1 client
 * calling with ...:WANIPConnection:1 gets a :1 response.
 */
static const char *
request_type(const char *ns, const struct service *svc)
{
	if (ns != NULL && strncmp(ns, svc->type, strlen(svc->type) - 1) == 0)
		return ns;
	return svc->type;
}

static enum upnperr
run_action(struct gw *gw, const struct service *svc, struct action *a)
{
	const struct service_action *sa;
	struct device_events ev;
	enum upnperr err;
	unsigned entries;
	uint32_t id;
	bool changed;

	if ((sa = find_action(svc, a->name)) == NULL)
		return UPNPERR_INVALID_ACTION;
	if (sa->fn == NULL)
		return UPNPERR_OPTIONAL_ACTION_NOT_IMPLEMENTED;
	a->resp.action = a->name;
	a->resp.service_type = request_type(a->args->ns, svc);
	/*
	 * The WAN state is current without a refresh here: the main loop
	 * re-reads it on every rtnetlink change and once a second
	 * (bench/FINDINGS.md: a refresh per action cost 8% of the CPU).
	 * Handlers take the lock themselves, after any name lookup (VC-10).
	 */
	err = sa->fn(gw, a);
	/* Saved before the answer leaves: "success" survives a crash. */
	(void)persist_save(gw);
	memset(&ev, 0, sizeof(ev));
	gw_lock(gw);
	conn_events_locked(gw, gw->conn_pending, &ev);
	gw->conn_pending = 0;
	if (gw->enabled_pending)
		service_var(&ev.common, "EnabledForInternet",
		    conn_enabled_for_internet(&gw->conn) ? "1" : "0");
	gw->enabled_pending = false;
	changed = nat_take_change_locked(gw, &entries, &id);
	device_events_begin_locked(gw);
	send_events(gw, &ev);
	if (changed)
		device_notify_mappings(gw, entries, id);
	device_events_end(gw);
	return err;
}

/* The control URLs of the descriptions (xml/rootDesc*.xml). */
static const struct {
	const char		*path;
	const struct service	*svc;
} controls[] = {
	{ "/ctl/IPConn", &wanipconn_service },
	{ "/ctl/CmnIfCfg", &wancommon_service },
};

static const struct service *
find_control(struct httpreq_str path)
{
	size_t i;

	for (i = 0; i < sizeof(controls) / sizeof(controls[0]); i++)
		if (strlen(controls[i].path) == path.len &&
		    memcmp(controls[i].path, path.p, path.len) == 0)
			return controls[i].svc;
	return NULL;
}

/*
 * SOAPACTION's service type names the service of the URL, in any version
 * (an IGD:1 client says :1 to a :2 service).
 */
static bool
same_service(struct httpreq_str type, const struct service *svc)
{
	const char *colon = strrchr(svc->type, ':');
	size_t n = (size_t)(colon - svc->type) + 1;

	return type.len > n && memcmp(type.p, svc->type, n) == 0 &&
	    memchr(type.p + n, ':', type.len - n) == NULL;
}

/*
 * Whether the front may serve `peer' (front.h): only hosts in the LAN
 * subnet (WIC-088, VC-47). The WAN guard drops the others before they
 * connect unless wan_guard = no; then this is what refuses them.
 */
static bool
lan_peer(void *ctx, struct in_addr peer)
{
	struct gw *gw = ctx;
	char buf[INET_ADDRSTRLEN];
	bool lan;

	gw_lock(gw);
	lan = netif_same_subnet(&gw->lan, peer);
	gw_unlock(gw);
	if (!lan)
		log_info("device: refuse a request from %s: outside the LAN",
		    inet_ntop(AF_INET, &peer, buf, sizeof(buf)));
	return lan;
}

/*
 * One SOAP action from the front (front.h), from a LAN peer (lan_peer):
 * the HTTP checks, then the service's handler.
 */
static int
soap_action(void *ctx, struct httpreq_str path, struct httpreq_str sa,
    const struct soapmsg *m, struct in_addr peer, struct strbuf *out)
{
	struct gw *gw = ctx;
	const struct service *svc;
	struct httpreq_str type, name;
	struct action a;
	enum upnperr err;
	char cpbuf[INET_ADDRSTRLEN], esc[160];

	if ((svc = find_control(path)) == NULL)
		return 404;
	if (!httpreq_soapaction(sa, &type, &name) ||
	    !same_service(type, svc) || strlen(m->action) != name.len ||
	    memcmp(m->action, name.p, name.len) != 0)
		return 400;
	memset(&a, 0, sizeof(a));
	a.name = m->action;
	a.args = m;
	a.cp = peer;
	inet_ntop(AF_INET, &a.cp, cpbuf, sizeof(cpbuf));
	log_escape(a.name, esc, sizeof(esc));
	err = run_action(gw, svc, &a);
	if (err == UPNPERR_NONE && !soap_resp_move(&a.resp, out))
		err = UPNPERR_OUT_OF_MEMORY;
	soap_resp_free(&a.resp);
	if (err == UPNPERR_NONE) {
		log_debug("device: %s cp=%s: ok", esc, cpbuf);
		return 200;
	}
	log_info("device: %s cp=%s: %d %s", esc, cpbuf, (int)err,
	    upnperr_name(err));
	soapmsg_fault(out, (int)err, upnperr_name(err));
	return 500;
}

/* A description or SCPD, rendered at start (publish_docs). */
static const char *
soap_doc(void *ctx, struct httpreq_str path, size_t *len)
{
	struct gw *gw = ctx;
	size_t i;

	if (gw->docs == NULL || path.len < 2 || path.p[0] != '/')
		return NULL;
	for (i = 0; i < desc_nfiles; i++)
		if (strlen(desc_files[i].name) == path.len - 1 &&
		    memcmp(desc_files[i].name, path.p + 1, path.len - 1) == 0 &&
		    gw->docs[i] != NULL) {
			*len = strlen(gw->docs[i]);
			return gw->docs[i];
		}
	return NULL;
}

/*
 * Actions reach libupnp's own server only from the gateway itself (its
 * port is internal and guarded): the front answers them (front.h).
 */
static void
handle_action(UpnpActionRequest *req)
{
	log_notice("device: refuse an action sent to libupnp's internal "
	    "port");
	UpnpActionRequest_set_ErrCode(req, UPNPERR_ACTION_NOT_AUTHORIZED);
	UpnpActionRequest_strcpy_ErrStr(req,
	    upnperr_name(UPNPERR_ACTION_NOT_AUTHORIZED));
}

/*
 * pupnp 1.8.4 has already created the subscription when it calls us and
 * does not tell us the subscriber's address; accepting sends the initial
 * event with every evented variable (WIC-051).
 */
static void
handle_subscription(struct gw *gw, const UpnpSubscriptionRequest *sr)
{
	const struct service *svc;
	struct service_vars v;
	const char *values[SERVICE_VARS_MAX];
	size_t i;
	int rc;

	if ((svc = find_service(UpnpSubscriptionRequest_get_ServiceId_cstr(
	    sr))) == NULL)
		return;
	memset(&v, 0, sizeof(v));
	gw_lock(gw);
	svc->vars(gw, &v);
	/* The initial event takes its place among the others (device.h). */
	device_events_begin_locked(gw);
	for (i = 0; i < v.n; i++)
		values[i] = v.value[i];
	rc = UpnpAcceptSubscription(gw->hnd,
	    UpnpSubscriptionRequest_get_UDN_cstr(sr), svc->id,
	    (const char **)v.name, values, (int)v.n,
	    UpnpSubscriptionRequest_get_SID_cstr(sr));
	device_events_end(gw);
	if (rc != UPNP_E_SUCCESS)
		log_warnx("device: accept subscription to %s: %s", svc->id,
		    UpnpGetErrorMessage(rc));
}

static int
callback(Upnp_EventType type, const void *event, void *cookie)
{
	struct gw *gw = cookie;

	switch (type) {
	case UPNP_CONTROL_ACTION_REQUEST:
		handle_action((UpnpActionRequest *)(uintptr_t)event);
		break;
	case UPNP_EVENT_SUBSCRIPTION_REQUEST:
		handle_subscription(gw, event);
		break;
	case UPNP_CONTROL_GET_VAR_REQUEST:
		/* QueryStateVariable is deprecated (UDA 1.1); not offered. */
		UpnpStateVarRequest_set_ErrCode(
		    (UpnpStateVarRequest *)(uintptr_t)event,
		    UPNPERR_INVALID_ACTION);
		break;
	default:
		break;
	}
	return 0;
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * A port from DEVICE_HTTP_PORT_FIRST nothing uses, in either family: 1.8.4
 * takes the port it is given (below 49152: 49152) and fails if it is
 * taken, without trying another. 0 if none is free.
 */
static uint16_t
free_port(void)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
	    .sin6_addr = IN6ADDR_ANY_INIT };
	int fd, zero = 0, i, r;

	for (i = 0; i < DEVICE_HTTP_PORT_TRIES; i++) {
		if ((fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return 0;
		/* Dual stack: free for IPv4 and IPv6 alike. */
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
		    sizeof(zero));
		s6.sin6_port = htons((uint16_t)(DEVICE_HTTP_PORT_FIRST + i));
		r = bind(fd, (struct sockaddr *)&s6, sizeof(s6));
		close(fd);
		if (r == 0)
			return (uint16_t)(DEVICE_HTTP_PORT_FIRST + i);
	}
	return 0;
}

/*
 * Starts the SDK once, on an internal port (the front has the advertised
 * one).  main has waited for the LAN interface to be ready
 * (netif_ready): 1.8.4's UpnpInit2 fails with UPNP_E_SOCKET_BIND while the
 * link-local address is tentative, and a failed UpnpInit2 leaves thread
 * pools behind that UpnpFinish does not reap, so it is not retried.
 */
static int
init_sdk(struct gw *gw)
{
	uint16_t port;
	int rc;

	if ((port = free_port()) == 0) {
		log_warnx("device: no free port from %u for libupnp",
		    DEVICE_HTTP_PORT_FIRST);
		return -1;
	}
	rc = UpnpInit2(gw->cfg.lan_interface, port);
	if (rc != UPNP_E_SUCCESS) {
		log_warnx("device: libupnp init on %s: %s",
		    gw->cfg.lan_interface, UpnpGetErrorMessage(rc));
		return -1;
	}
	snprintf(gw->ip, sizeof(gw->ip), "%s", UpnpGetServerIpAddress());
	gw->upnp_port = UpnpGetServerPort();
	/*
	 * The front sends libupnp only GENA, a few hundred bytes, and the
	 * guard drops its port but on lo; with wan_guard = no a LAN host
	 * may connect to it directly, and a small cap keeps ixml's parser
	 * (CVE-2021-28302, unfixed in 1.8.4) away from deep documents.
	 */
	UpnpSetMaxContentLength(gw->cfg.max_soap_body);
	upnpfix_limit_requests(gw->cfg.max_soap_body);	/* heads, chunks */
	return 0;
}

/*
 * The front takes the advertised port first (libupnp then gets the next
 * free one, free_port), and serves once libupnp runs. http_port 0: the
 * first free one from DEVICE_HTTP_PORT_FIRST, so the port stays the same
 * from run to run.
 */
static int
open_front(struct gw *gw)
{
	struct front_conf fc = {
		.addr = gw->lan.addr,
		.port = gw->cfg.http_port,
		.upnp_addr = gw->lan.addr,
		.max_body = gw->cfg.max_soap_body,
		.ctx = gw,
		.soap = soap_action,
		.doc = soap_doc,
		.peer_ok = lan_peer,
	};
	int r, i;

	if (fc.port != 0)
		r = front_open(&gw->front, &fc);
	else
		for (i = 0, r = -1, errno = EADDRINUSE; r < 0 &&
		    errno == EADDRINUSE && i < DEVICE_HTTP_PORT_TRIES; i++) {
			fc.port = (uint16_t)(DEVICE_HTTP_PORT_FIRST + i);
			r = front_open(&gw->front, &fc);
		}
	if (r < 0) {
		log_warn("device: HTTP on %s port %u",
		    inet_ntoa(gw->lan.addr), gw->cfg.http_port);
		return -1;
	}
	gw->port = front_port(gw->front);
	return 0;
}

/*
 * Renders the descriptions (placeholders filled with the settings and
 * the advertised address); the SCPDs have none and are served from the
 * compiled-in text, which costs no heap.
 */
static int
publish_docs(struct gw *gw)
{
	struct desc_vars v;
	char base[64];
	size_t i;

	snprintf(base, sizeof(base), "http://%s:%u", gw->ip, gw->port);
	v = (struct desc_vars){ base, gw->cfg.friendly_name,
	    gw->cfg.manufacturer, gw->cfg.manufacturer_url,
	    gw->cfg.model_description, gw->cfg.model_name,
	    gw->cfg.model_number, gw->cfg.model_url, gw->cfg.serial_number,
	    gw->udn_root, gw->udn_wan, gw->udn_wanconn };
	if ((gw->docs = calloc(desc_nfiles, sizeof(*gw->docs))) == NULL) {
		log_warnx("device: out of memory");
		return -1;
	}
	for (i = 0; i < desc_nfiles; i++) {
		if (strchr(desc_files[i].text, '@') == NULL)
			gw->docs[i] = desc_files[i].text;
		else if ((gw->docs[i] = desc_render(desc_files[i].text,
		    &v)) == NULL) {
			log_warnx("device: out of memory");
			return -1;
		}
	}
	return 0;
}

static int
register_root(struct gw *gw, const char *url, const char *lower)
{
	int rc;

	rc = UpnpRegisterRootDevice4(url, callback, gw, &gw->hnd, AF_INET,
	    lower);
	if (rc != UPNP_E_SUCCESS) {
		log_warnx("device: register %s: %s", url,
		    UpnpGetErrorMessage(rc));
		return -1;
	}
	gw->registered = true;
	UpnpSetMaxSubscriptions(gw->hnd, DEVICE_MAX_SUBSCRIPTIONS);
	UpnpSetMaxSubscriptionTimeOut(gw->hnd,
	    DEVICE_MAX_SUBSCRIPTION_TIMEOUT);
	return 0;
}

/*
 * WIC-089, VC-48: a control point must see ssdp:byebye for every
 * advertisement before the first ssdp:alive, to drop state from a
 * previous run.  pupnp sends byebye only when a device is unregistered
 * (UpnpUnRegisterRootDevice returns once both copies are out), so:
 * register, unregister (byebye), register again, answer searches, pause,
 * advertise.
 */
static int
announce(struct gw *gw)
{
	const char *name = gw->cfg.igd_version == 1 ? "/rootDesc1.xml" :
	    "/rootDesc2.xml", *desc;
	struct httpreq_str path = { name, strlen(name) };
	char url[96], lower[96];
	size_t len;
	int rc;

	snprintf(url, sizeof(url), "http://%s:%u%s", gw->ip, gw->port, name);
	snprintf(lower, sizeof(lower), "http://%s:%u/rootDesc1.xml", gw->ip,
	    gw->port);
	if (register_root(gw, url, lower) < 0)
		return -1;
	UpnpUnRegisterRootDevice(gw->hnd);
	gw->registered = false;
	if (register_root(gw, url, lower) < 0)
		return -1;
	/*
	 * The byebyes are out and the device is registered (a SUBSCRIBE
	 * finds it): searches are answered from now on (ssdp.h).
	 */
	if ((desc = soap_doc(gw, path, &len)) == NULL ||
	    !ssdp_arm(desc, url, lower)) {
		log_warnx("device: no device in %s to answer searches for",
		    name + 1);
		return -1;
	}
	sleep_ms(150);
	rc = UpnpSendAdvertisement(gw->hnd, (int)gw->cfg.ssdp_max_age);
	if (rc != UPNP_E_SUCCESS) {
		log_warnx("device: advertise: %s", UpnpGetErrorMessage(rc));
		return -1;
	}
	log_notice("device: serving %s (IGD:%u) on %s, max-age %u s",
	    url, gw->cfg.igd_version, gw->cfg.lan_interface,
	    gw->cfg.ssdp_max_age);
	return 0;
}

int
device_init(struct gw *gw)
{
	struct device_events ev;

	desc_udn(gw->uuid, 0, gw->udn_root);
	desc_udn(gw->uuid, 1, gw->udn_wan);
	desc_udn(gw->uuid, 2, gw->udn_wanconn);
	memset(&ev, 0, sizeof(ev));
	gw_lock(gw);
	refresh_locked(gw, &ev);	/* first look at LAN and WAN */
	gw_unlock(gw);
	if (open_front(gw) < 0)
		return -1;
	/* Before libupnp opens its SSDP socket: it never answers a search. */
	if (ssdp_open(&gw->lan, gw->cfg.ssdp_max_age) < 0) {
		log_warn("device: SSDP answer socket on %s",
		    inet_ntoa(gw->lan.addr));
		return -1;
	}
	if (init_sdk(gw) < 0)
		return -1;
	if (front_start(gw->front, gw->upnp_port) < 0) {
		log_warn("device: HTTP threads");
		return -1;
	}
	return 0;
}

int
device_publish(struct gw *gw)
{
	if (publish_docs(gw) < 0 || announce(gw) < 0) {
		device_stop(gw);
		return -1;
	}
	return 0;
}

void
device_stop(struct gw *gw)
{
	size_t i;

	ssdp_disarm();		/* no answer after the byebyes */
	if (gw->registered) {
		UpnpUnRegisterRootDevice(gw->hnd);	/* ssdp:byebye */
		gw->registered = false;
	}
	/* The front first: its threads call into libupnp's server. */
	front_close(gw->front);
	gw->front = NULL;
	UpnpFinish();
	ssdp_close();
	if (gw->docs != NULL)
		for (i = 0; i < desc_nfiles; i++)
			if (gw->docs[i] != desc_files[i].text)
				free((char *)(uintptr_t)gw->docs[i]);
	free(gw->docs);
	gw->docs = NULL;
}
