/*
 * wanipconn: the WANIPConnection:2 service (also answering :1 requests,
 * VC-50).  This session implements the status actions; every other
 * action of the SCPD answers 602 until its issue lands (never a fake
 * success).  Handlers run with the gateway lock held.
 */
#include "upnpcompat.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "conn.h"
#include "gw.h"
#include "service.h"
#include "soap.h"

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
	conn_external_ip(&gw->conn, ip, sizeof(ip));
	return soap_out(&a->resp, "NewExternalIPAddress", ip);
}

/* WIC-133: status, last error, uptime, in that order. */
static enum upnperr
get_status_info(struct gw *gw, struct action *a)
{
	enum upnperr e;

	if ((e = no_args(a)) != UPNPERR_NONE ||
	    (e = soap_out(&a->resp, "NewConnectionStatus",
	    conn_status_name(gw->conn.status))) != UPNPERR_NONE ||
	    (e = soap_out(&a->resp, "NewLastConnectionError",
	    gw->conn.last_error)) != UPNPERR_NONE)
		return e;
	return soap_out_u32(&a->resp, "NewUptime",
	    conn_uptime(&gw->conn, clock_now()));
}

/*
 * A Linux NAT router is IP_Routed and nothing else (VC-35, monitor
 * mode); emulate mode (issue 9) widens PossibleConnectionTypes.
 */
static enum upnperr
get_connection_type_info(struct gw *gw, struct action *a)
{
	enum upnperr e;

	(void)gw;
	if ((e = no_args(a)) != UPNPERR_NONE ||
	    (e = soap_out(&a->resp, "NewConnectionType", "IP_Routed")) !=
	    UPNPERR_NONE)
		return e;
	return soap_out(&a->resp, "NewPossibleConnectionTypes", "IP_Routed");
}

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

static const struct service_action actions[] = {
	{ "AddAnyPortMapping", NULL },
	{ "AddPortMapping", NULL },
	{ "DeletePortMapping", NULL },
	{ "DeletePortMappingRange", NULL },
	{ "ForceTermination", NULL },
	{ "GetAutoDisconnectTime", NULL },
	{ "GetConnectionTypeInfo", get_connection_type_info },
	{ "GetExternalIPAddress", get_external_ip_address },
	{ "GetGenericPortMappingEntry", NULL },
	{ "GetIdleDisconnectTime", NULL },
	{ "GetListOfPortMappings", NULL },
	{ "GetNATRSIPStatus", get_nat_rsip_status },
	{ "GetSpecificPortMappingEntry", NULL },
	{ "GetStatusInfo", get_status_info },
	{ "GetWarnDisconnectDelay", NULL },
	{ "RequestConnection", NULL },
	{ "RequestTermination", NULL },
	{ "SetAutoDisconnectTime", NULL },
	{ "SetConnectionType", NULL },
	{ "SetIdleDisconnectTime", NULL },
	{ "SetWarnDisconnectDelay", NULL },
};

/* WIC-051: all five evented variables (WIC-040) in the initial event. */
static void
vars(struct gw *gw, struct service_vars *v)
{
	char ip[INET_ADDRSTRLEN], n[16];

	conn_external_ip(&gw->conn, ip, sizeof(ip));
	service_var(v, "PossibleConnectionTypes", "IP_Routed");
	service_var(v, "ConnectionStatus", conn_status_name(gw->conn.status));
	service_var(v, "ExternalIPAddress", ip);
	service_var(v, "PortMappingNumberOfEntries", "0");
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
