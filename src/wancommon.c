/*
 * wancommon: the WANCommonInterfaceConfig:1 service of the WANDevice:
 * link properties and traffic counters of the WAN interface, read from
 * the kernel at each request.
 */
#include "upnpcompat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "clock.h"
#include "conn.h"
#include "gw.h"
#include "nat.h"
#include "netif.h"
#include "service.h"
#include "soap.h"

static enum upnperr
get_common_link_properties(struct gw *gw, struct action *a)
{
	uint32_t rate = netif_bitrate(gw->cfg.wan_interface);
	enum upnperr e;
	bool up;

	if ((e = soap_args(a->args, NULL, 0, NULL)) != UPNPERR_NONE ||
	    (e = soap_out(&a->resp, "NewWANAccessType", "Ethernet")) !=
	    UPNPERR_NONE ||
	    (e = soap_out_u32(&a->resp, "NewLayer1UpstreamMaxBitRate",
	    rate)) != UPNPERR_NONE ||
	    (e = soap_out_u32(&a->resp, "NewLayer1DownstreamMaxBitRate",
	    rate)) != UPNPERR_NONE)
		return e;
	gw_lock(gw);
	up = gw->link_up;
	gw_unlock(gw);
	return soap_out(&a->resp, "NewPhysicalLinkStatus", up ? "Up" : "Down");
}

static enum upnperr
get_enabled_for_internet(struct gw *gw, struct action *a)
{
	enum upnperr e;
	bool on;

	if ((e = soap_args(a->args, NULL, 0, NULL)) != UPNPERR_NONE)
		return e;
	gw_lock(gw);
	on = conn_enabled_for_internet(&gw->conn);
	gw_unlock(gw);
	return soap_out_bool(&a->resp, "NewEnabledForInternet", on);
}

/*
 * Connection control, like RequestTermination: managers only unless
 * open_connection_control (VC-02).  Emulate mode disables the simulated
 * connection (ERROR_NOT_ENABLED_FOR_INTERNET, 709 for RequestConnection);
 * a real router cannot switch its link off: 501.
 */
static enum upnperr
set_enabled_for_internet(struct gw *gw, struct action *a)
{
	static const char *const names[] = { "NewEnabledForInternet" };
	const char *v[1];
	enum conn_err ce;
	enum upnperr e;
	unsigned changed = 0;
	bool on, manager;

	if ((e = soap_args(a->args, names, 1, v)) != UPNPERR_NONE ||
	    (e = soap_bool(v[0], &on)) != UPNPERR_NONE)
		return e;
	gw_lock(gw);
	manager = gw->cfg.open_connection_control ||
	    acl_is_manager(&gw->cfg.acl, a->cp);
	if (!manager) {
		gw_unlock(gw);
		return UPNPERR_ACTION_NOT_AUTHORIZED;
	}
	if (conn_enabled_for_internet(&gw->conn) != on)
		gw->enabled_pending = true;	/* evented when the action ends */
	ce = conn_set_enabled_for_internet(&gw->conn, on, clock_now(),
	    &changed);
	if (ce != CONN_OK)
		gw->enabled_pending = false;
	nat_conn_changed_locked(gw, changed);
	gw_unlock(gw);
	return ce == CONN_OK ? UPNPERR_NONE : UPNPERR_ACTION_FAILED;
}

/*
 * The four counters share one shape: the ui4 state variables wrap, so
 * the 64-bit kernel counters are reported modulo 2^32.
 */
static enum upnperr
counter(struct gw *gw, struct action *a, const char *out, size_t off)
{
	struct netif_counters c;
	enum upnperr e;
	uint64_t v;

	if ((e = soap_args(a->args, NULL, 0, NULL)) != UPNPERR_NONE)
		return e;
	if (netif_counters(gw->cfg.wan_interface, &c) < 0)
		return UPNPERR_ACTION_FAILED;
	memcpy(&v, (const char *)&c + off, sizeof(v));
	return soap_out_u32(&a->resp, out, (uint32_t)v);
}

#define COUNTER(fn, arg, field)						\
static enum upnperr							\
fn(struct gw *gw, struct action *a)					\
{									\
	return counter(gw, a, arg, offsetof(struct netif_counters,	\
	    field));							\
}
COUNTER(get_total_bytes_sent, "NewTotalBytesSent", tx_bytes)
COUNTER(get_total_bytes_received, "NewTotalBytesReceived", rx_bytes)
COUNTER(get_total_packets_sent, "NewTotalPacketsSent", tx_packets)
COUNTER(get_total_packets_received, "NewTotalPacketsReceived", rx_packets)

static const struct service_action actions[] = {
	{ "GetCommonLinkProperties", get_common_link_properties },
	{ "GetEnabledForInternet", get_enabled_for_internet },
	{ "GetTotalBytesReceived", get_total_bytes_received },
	{ "GetTotalBytesSent", get_total_bytes_sent },
	{ "GetTotalPacketsReceived", get_total_packets_received },
	{ "GetTotalPacketsSent", get_total_packets_sent },
	{ "SetEnabledForInternet", set_enabled_for_internet },
};

static void
vars(struct gw *gw, struct service_vars *v)
{
	service_var(v, "PhysicalLinkStatus", gw->link_up ? "Up" : "Down");
	service_var(v, "EnabledForInternet",
	    conn_enabled_for_internet(&gw->conn) ? "1" : "0");
}

const struct service wancommon_service = {
	.id = "urn:upnp-org:serviceId:WANCommonIFC1",
	.type = "urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1",
	.actions = actions,
	.nactions = sizeof(actions) / sizeof(actions[0]),
	.vars = vars,
};
