/*
 * wancommon: the WANCommonInterfaceConfig:1 service of the WANDevice:
 * link properties and traffic counters of the WAN interface, read from
 * the kernel at each request.
 */
#include "upnpcompat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
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

	(void)gw;
	if ((e = soap_args(a->args, NULL, 0, NULL)) != UPNPERR_NONE)
		return e;
	return soap_out_bool(&a->resp, "NewEnabledForInternet", true);
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
};

static void
vars(struct gw *gw, struct service_vars *v)
{
	service_var(v, "PhysicalLinkStatus", gw->link_up ? "Up" : "Down");
	service_var(v, "EnabledForInternet", "1");
}

const struct service wancommon_service = {
	.id = "urn:upnp-org:serviceId:WANCommonIFC1",
	.type = "urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1",
	.actions = actions,
	.nactions = sizeof(actions) / sizeof(actions[0]),
	.vars = vars,
};
