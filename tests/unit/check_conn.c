/*
 * Unit tests for conn, the connection state machine of WANIPConnection:
 * every transition of checklist 1.7 in emulate and monitor mode, the
 * Auto/Idle/Warn timers, Uptime, LastConnectionError (VC-43),
 * ExternalIPAddress, the forwarding flag (VC-45) and every error of every
 * connection action.  Time is injected as `now`; nothing sleeps.
 */
#include "conn.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#define T0		1000u		/* any monotonic second */
#define CD		5u		/* emulate fixture's connect_delay */
#define DD		2u		/* emulate fixture's disconnect_delay */
#define TO		60u		/* VC-42 default Connecting timeout */
#define T1		(T0 + CD)	/* when the first attempt succeeds */
#define WAN_ADDR	"203.0.113.5"
#define WAN_ADDR2	"198.51.100.77"
#define OVERRIDE	"192.0.2.44"

static struct conn c;
static struct conn_link lk;		/* the WAN as the shell sees it now */
static uint64_t pk;			/* its IP packet count now */
static unsigned ch;			/* CONN_CHANGED_* of the last action */

static struct conn_link
link_with(const char *addr)
{
	struct conn_link l = { .exists = true, .up = true, .running = true,
	    .has_addr = true };

	ck_assert_int_eq(inet_pton(AF_INET, addr, &l.addr), 1);
	return l;
}

/* Carrier, but DHCP has not given an address. */
static struct conn_link
link_without_addr(void)
{
	struct conn_link l = { .exists = true, .up = true, .running = true };

	return l;
}

/* Cable out: up, not running. */
static struct conn_link
link_no_carrier(void)
{
	struct conn_link l = { .exists = true, .up = true };

	return l;
}

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static unsigned
tick(uint32_t now)
{
	return conn_tick(&c, now, &lk, pk);
}

static const char *
ext_ip(void)
{
	static char buf[INET_ADDRSTRLEN];

	memset(buf, 'x', sizeof(buf));
	conn_external_ip(&c, buf, sizeof(buf));
	return buf;
}

static uint32_t
deadline(void)
{
	uint32_t when = 0;

	ck_assert(conn_next_deadline(&c, &when));
	return when;
}

static void
emulate_setup(void)
{
	struct conn_conf conf;

	conn_conf_defaults(&conf);
	conf.mode = CONN_EMULATE;
	conf.connect_delay = CD;
	conf.disconnect_delay = DD;
	conn_init_conf(&c, &conf);
	lk = link_with(WAN_ADDR);
	pk = 0;
	ch = 0xff;
}

static void
monitor_setup(void)
{
	conn_init(&c);
	lk = link_with(WAN_ADDR);
	pk = 0;
	ch = 0xff;
}

/* Emulate: the boot attempt starts at T0 and succeeds at T1. */
static void
emu_connected(void)
{
	(void)tick(T0);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	(void)tick(T1);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}

/* Emulate: Disconnecting from `at` (ForceTermination). */
static void
emu_disconnecting(uint32_t at)
{
	emu_connected();
	ck_assert_int_eq(conn_force_termination(&c, at, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
}

/* Emulate: Disconnected at `at` (ForceTermination at at - DD). */
static void
emu_disconnected(uint32_t at)
{
	emu_disconnecting(at - DD);
	(void)tick(at);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
}

/* Emulate: PendingDisconnect from `at` with a warning of `warn` s. */
static void
emu_pending(uint32_t at, uint32_t warn)
{
	emu_connected();
	conn_set_warn_disconnect_delay(&c, warn);
	ck_assert_int_eq(conn_request_termination(&c, at, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_PENDING_DISCONNECT);
}

/* ========================================================================== */
/* names and initial state                                                    */
/* ========================================================================== */

/* WIC-010: the three ConnectionType spellings, matched exactly. */
START_TEST(wic010_type_names)
{
	enum conn_type t;

	ck_assert_str_eq(conn_type_name(CONN_TYPE_UNCONFIGURED),
	    "Unconfigured");
	ck_assert_str_eq(conn_type_name(CONN_TYPE_IP_ROUTED), "IP_Routed");
	ck_assert_str_eq(conn_type_name(CONN_TYPE_IP_BRIDGED), "IP_Bridged");
	ck_assert(conn_type_from_name("IP_Bridged", &t));
	ck_assert_int_eq(t, CONN_TYPE_IP_BRIDGED);
	ck_assert(!conn_type_from_name("ip_routed", &t));
	ck_assert(!conn_type_from_name("IP_Routed ", &t));
	ck_assert(!conn_type_from_name("", &t));
	ck_assert(!conn_type_from_name("PPPoE_Routed", &t));
}
END_TEST

/* WIC-010: ConnectionType defaults to IP_Routed, in both modes. */
START_TEST(wic010_default_type_ip_routed)
{
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_ROUTED);
	ck_assert_int_eq(c.status, CONN_UNCONFIGURED);
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
	ck_assert_uint_eq(conn_uptime(&c, T0), 0);
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/*
 * WIC-052: while Unconfigured every other variable holds its default (in
 * both modes, before the first look at the link); the first look always
 * leaves Unconfigured.
 */
START_TEST(wic052_unconfigured_defaults)
{
	uint32_t w;

	ck_assert_int_eq(c.status, CONN_UNCONFIGURED);
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_ROUTED);
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
	ck_assert_uint_eq(conn_uptime(&c, T0 + 100), 0);
	ck_assert_str_eq(ext_ip(), "");
	ck_assert_uint_eq(conn_auto_disconnect_time(&c), 0);
	ck_assert_uint_eq(conn_idle_disconnect_time(&c), 0);
	ck_assert_uint_eq(conn_warn_disconnect_delay(&c), 0);
	ck_assert(conn_enabled_for_internet(&c));
	ck_assert(!conn_forwarding(&c));
	ck_assert(!conn_next_deadline(&c, &w));
	lk = link_no_carrier();
	(void)tick(T0);
	ck_assert_int_ne(c.status, CONN_UNCONFIGURED);
}
END_TEST

/* VC-42: the Connecting timeout defaults to 60 s. */
START_TEST(vc42_default_connecting_timeout)
{
	struct conn_conf conf;

	conn_conf_defaults(&conf);
	ck_assert_uint_eq(conf.connecting_timeout, 60);
	ck_assert_int_eq(conf.mode, CONN_MONITOR);
	ck_assert_uint_eq(conf.external_ip.s_addr, 0);
}
END_TEST

/* Nothing is timed before the first tick, or ever in monitor mode. */
START_TEST(conn_no_deadline_before_first_tick)
{
	uint32_t when;

	ck_assert(!conn_next_deadline(&c, &when));
}
END_TEST

/* ========================================================================== */
/* emulate: connecting                                                        */
/* ========================================================================== */

/* WIC-071: an always-on connection starts without any CP action. */
START_TEST(wic071_first_tick_starts_connecting)
{
	ck_assert_uint_eq(tick(T0), CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
}
END_TEST

/* WIC-072: Connecting -> Connected after connect_delay, not a second early. */
START_TEST(wic072_connected_after_connect_delay)
{
	(void)tick(T0);
	ck_assert_uint_eq(deadline(), T0 + CD);
	ck_assert_uint_eq(tick(T0 + CD - 1), 0);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	ck_assert_uint_eq(tick(T0 + CD) & CONN_CHANGED_STATUS,
	    CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* VC-43: a successful connection is ERROR_NONE, even after a failure. */
START_TEST(vc43_connect_is_error_none)
{
	lk = link_no_carrier();
	(void)tick(T0);
	(void)tick(T0 + TO);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");
	lk = link_with(WAN_ADDR);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 100, &ch), CONN_OK);
	(void)tick(T0 + 100 + CD);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
}
END_TEST

/*
 * VC-42, WIC-074: no carrier: Disconnected at exactly 60 s,
 * ERROR_NO_CARRIER; Connecting never lasts for ever.
 */
START_TEST(vc42_timeout_no_carrier)
{
	lk = link_no_carrier();
	(void)tick(T0);
	ck_assert_uint_eq(deadline(), T0 + TO);
	(void)tick(T0 + TO - 1);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	ck_assert_uint_eq(tick(T0 + TO), CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");
}
END_TEST

/* VC-42: carrier but no address: ERROR_IP_CONFIGURATION at 60 s. */
START_TEST(vc42_timeout_no_address)
{
	lk = link_without_addr();
	(void)tick(T0);
	(void)tick(T0 + TO - 1);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	(void)tick(T0 + TO);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_IP_CONFIGURATION");
}
END_TEST

/* WIC-072: a link that comes up before the timeout connects at once. */
START_TEST(wic072_late_link_connects)
{
	lk = link_without_addr();
	(void)tick(T0);
	(void)tick(T0 + 30);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	lk = link_with(WAN_ADDR);
	ck_assert_uint_eq(tick(T0 + 31) & CONN_CHANGED_STATUS,
	    CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
}
END_TEST

/*
 * WIC-072, WIC-043: RequestConnection in Disconnected: Connecting at once;
 * WIC-122: then Connected.
 */
START_TEST(wic072_request_connection_from_disconnected)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 200, &ch), CONN_OK);
	ck_assert_uint_eq(ch, CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	ck_assert_uint_eq(deadline(), T0 + 200 + CD);
	(void)tick(T0 + 200 + CD);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* WIC-072: a failed attempt goes back to Disconnected. */
START_TEST(wic072_request_connection_fails_to_disconnected)
{
	emu_disconnected(T0 + 100);
	lk = link_no_carrier();
	(void)tick(T0 + 150);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 200, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	(void)tick(T0 + 200 + TO);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");
}
END_TEST

/*
 * VC-39: with a connect delay of 0, Connecting is still its own step:
 * the action moves one step and the deadline says "now".
 */
START_TEST(vc39_zero_connect_delay_two_events)
{
	struct conn_conf conf;

	conn_conf_defaults(&conf);
	conf.mode = CONN_EMULATE;
	conf.connect_delay = 0;
	conn_init_conf(&c, &conf);
	ck_assert_uint_eq(tick(T0), CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	ck_assert_uint_eq(deadline(), T0);
	ck_assert_uint_eq(tick(T0) & CONN_CHANGED_STATUS, CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* WIC-076: RequestConnection while Connected succeeds and changes nothing. */
START_TEST(wic076_request_connection_when_connected)
{
	emu_connected();
	ck_assert_int_eq(conn_request_connection(&c, T1 + 10, &ch), CONN_OK);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_uint_eq(conn_uptime(&c, T1 + 10), 10);
}
END_TEST

/* WIC-075: RequestConnection in PendingDisconnect restores Connected. */
START_TEST(wic075_request_connection_restores_pending)
{
	emu_pending(T1 + 10, 30);
	ck_assert_int_eq(conn_request_connection(&c, T1 + 20, &ch), CONN_OK);
	ck_assert_uint_eq(ch, CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
	/* The warning is cancelled: nothing happens when it would end. */
	(void)tick(T1 + 40);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* Emulate: after a link failure the connection waits for a CP (conn.h). */
START_TEST(conn_emulate_no_reconnect_by_itself)
{
	emu_connected();
	lk = link_no_carrier();
	(void)tick(T1 + 10);
	(void)tick(T1 + 10 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	lk = link_with(WAN_ADDR);
	ck_assert_uint_eq(tick(T1 + 20), 0);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
}
END_TEST

/* WIC-085: no connection while ConnectionType is Unconfigured. */
START_TEST(wic085_unconfigured_type_never_connects)
{
	ck_assert_int_eq(conn_set_connection_type(&c, "Unconfigured"),
	    CONN_OK);
	(void)tick(T0);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	(void)tick(T0 + 1000);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 1000, &ch),
	    CONN_ERR_INVALID_TYPE);
	/* WIC-011: only IP_Routed routes: no mapping rules, no address. */
	ck_assert(!conn_forwarding(&c));
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/* ========================================================================== */
/* emulate: RequestConnection errors                                          */
/* ========================================================================== */

/* WIC-121: 706 while Unconfigured. */
START_TEST(wic121_request_connection_unconfigured_706)
{
	ck_assert_int_eq(conn_request_connection(&c, T0, &ch),
	    CONN_ERR_NOT_CONFIGURED);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(c.status, CONN_UNCONFIGURED);
}
END_TEST

/* WIC-121: 705 while Connecting. */
START_TEST(wic121_request_connection_connecting_705)
{
	(void)tick(T0);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 1, &ch),
	    CONN_ERR_IN_PROGRESS);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	/* The attempt keeps its own schedule. */
	ck_assert_uint_eq(deadline(), T0 + CD);
}
END_TEST

/* WIC-121: 707 while Disconnecting. */
START_TEST(wic121_request_connection_disconnecting_707)
{
	emu_disconnecting(T1 + 10);
	ck_assert_int_eq(conn_request_connection(&c, T1 + 11, &ch),
	    CONN_ERR_DISCONNECTING);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
}
END_TEST

/* WIC-121: 710 when ConnectionType is Unconfigured or IP_Bridged. */
START_TEST(wic121_request_connection_wrong_type_710)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"), CONN_OK);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 101, &ch),
	    CONN_ERR_INVALID_TYPE);
	ck_assert_int_eq(conn_set_connection_type(&c, "Unconfigured"),
	    CONN_OK);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 102, &ch),
	    CONN_ERR_INVALID_TYPE);
	ck_assert_uint_eq(ch, 0);
	/* WIC-011: not IP_Routed, so nothing routed for the mappings. */
	ck_assert(!conn_forwarding(&c));
	ck_assert_str_eq(ext_ip(), "");
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
}
END_TEST

/* WIC-121: 709 while EnabledForInternet is 0. */
START_TEST(wic121_request_connection_disabled_709)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_set_enabled_for_internet(&c, false, T0 + 101,
	    &ch), CONN_OK);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 102, &ch),
	    CONN_ERR_INTERNET_DISABLED);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_int_eq(conn_set_enabled_for_internet(&c, true, T0 + 103,
	    &ch), CONN_OK);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 104, &ch), CONN_OK);
}
END_TEST

/* WIC-120, VC-30: Unconfigured status (706) outranks the type (710). */
START_TEST(wic120_not_configured_before_type)
{
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"), CONN_OK);
	ck_assert_int_eq(conn_request_connection(&c, T0, &ch),
	    CONN_ERR_NOT_CONFIGURED);
}
END_TEST

/* ========================================================================== */
/* emulate: RequestTermination                                                */
/* ========================================================================== */

/*
 * WIC-080, WIC-125: no warning: Disconnecting, then Disconnected; WIC-123:
 * allowed from Connected (from Connecting: wic081_vc41_*, every other status
 * and a type other than IP_Routed refused: the wic124_* tests).
 */
START_TEST(wic080_request_termination_without_warning)
{
	emu_connected();
	ck_assert_int_eq(conn_request_termination(&c, T1 + 10, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	ck_assert_uint_eq(deadline(), T1 + 10 + DD);
	(void)tick(T1 + 10 + DD - 1);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	ck_assert_uint_eq(tick(T1 + 10 + DD), CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
}
END_TEST

/* VC-43: RequestTermination is ERROR_USER_DISCONNECT. */
START_TEST(vc43_request_termination_user_disconnect)
{
	emu_connected();
	(void)conn_request_termination(&c, T1 + 10, &ch);
	(void)tick(T1 + 10 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_USER_DISCONNECT");
}
END_TEST

/*
 * WIC-078, VC-40: WarnDisconnectDelay > 0: PendingDisconnect for exactly
 * that long, then Disconnecting, then Disconnected. WIC-079: igd2d's
 * choice is to warn whenever the delay is set, whoever else uses the
 * connection (wic080_vc43_*: not when Internet access is disabled).
 */
START_TEST(wic078_vc40_pending_then_disconnecting)
{
	emu_pending(T1 + 10, 30);
	ck_assert_uint_eq(ch, CONN_CHANGED_STATUS);
	ck_assert_uint_eq(deadline(), T1 + 40);
	(void)tick(T1 + 39);
	ck_assert_int_eq(c.status, CONN_PENDING_DISCONNECT);
	ck_assert_uint_eq(tick(T1 + 40) & CONN_CHANGED_STATUS,
	    CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 40 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_USER_DISCONNECT");
}
END_TEST

/* WIC-014: packets still flow in PendingDisconnect: address, forwarding. */
START_TEST(wic014_pending_still_up)
{
	emu_pending(T1 + 10, 30);
	ck_assert_str_eq(ext_ip(), WAN_ADDR);
	ck_assert(conn_forwarding(&c));
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
}
END_TEST

/* WIC-081, VC-41: RequestTermination in Connecting skips the warning. */
START_TEST(wic081_vc41_terminate_while_connecting)
{
	conn_set_warn_disconnect_delay(&c, 30);
	(void)tick(T0);
	ck_assert_int_eq(conn_request_termination(&c, T0 + 1, &ch), CONN_OK);
	ck_assert_uint_eq(ch, CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T0 + 1 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_COMMAND_ABORTED");
}
END_TEST

/* WIC-124: 706 while Unconfigured. */
START_TEST(wic124_request_termination_unconfigured_706)
{
	ck_assert_int_eq(conn_request_termination(&c, T0, &ch),
	    CONN_ERR_NOT_CONFIGURED);
	ck_assert_uint_eq(ch, 0);
}
END_TEST

/* WIC-124: 707 in PendingDisconnect; the warning keeps running. */
START_TEST(wic124_request_termination_pending_707)
{
	emu_pending(T1 + 10, 30);
	ck_assert_int_eq(conn_request_termination(&c, T1 + 20, &ch),
	    CONN_ERR_DISCONNECTING);
	ck_assert_uint_eq(ch, 0);
	ck_assert_uint_eq(deadline(), T1 + 40);
}
END_TEST

/* WIC-124: 707 in Disconnecting. */
START_TEST(wic124_request_termination_disconnecting_707)
{
	emu_disconnecting(T1 + 10);
	ck_assert_int_eq(conn_request_termination(&c, T1 + 11, &ch),
	    CONN_ERR_DISCONNECTING);
	ck_assert_uint_eq(deadline(), T1 + 10 + DD);
}
END_TEST

/* WIC-124: 711 when already Disconnected. */
START_TEST(wic124_request_termination_disconnected_711)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_request_termination(&c, T0 + 101, &ch),
	    CONN_ERR_ALREADY_TERMINATED);
	ck_assert_uint_eq(ch, 0);
}
END_TEST

/*
 * WIC-086 (MAY): one connection, shared by every CP: another CP's
 * RequestTermination ends an attempt a CP started (ERROR_COMMAND_ABORTED),
 * and the first CP's calls meanwhile get 705, then 707.
 */
START_TEST(wic086_other_cp_termination_ends_attempt)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 200, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 201, &ch),
	    CONN_ERR_IN_PROGRESS);
	ck_assert_int_eq(conn_request_termination(&c, T0 + 201, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 202, &ch),
	    CONN_ERR_DISCONNECTING);
	(void)tick(T0 + 201 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_COMMAND_ABORTED");
	/* The aborted attempt's own deadline brings nothing back. */
	(void)tick(T0 + 200 + CD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
}
END_TEST

/* WIC-124: 710 when ConnectionType is not IP_Routed. */
START_TEST(wic124_request_termination_wrong_type_710)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"), CONN_OK);
	ck_assert_int_eq(conn_request_termination(&c, T0 + 101, &ch),
	    CONN_ERR_INVALID_TYPE);
}
END_TEST

/* ========================================================================== */
/* emulate: ForceTermination                                                  */
/* ========================================================================== */

/* WIC-082, WIC-128: Disconnecting at once, whatever WarnDisconnectDelay. */
START_TEST(wic082_force_ignores_warning)
{
	emu_connected();
	conn_set_warn_disconnect_delay(&c, 30);
	ck_assert_int_eq(conn_force_termination(&c, T1 + 10, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 10 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
}
END_TEST

/* VC-43: ForceTermination is ERROR_FORCED_DISCONNECT. */
START_TEST(vc43_force_is_forced_disconnect)
{
	emu_disconnected(T1 + 10);
	ck_assert_str_eq(c.last_error, "ERROR_FORCED_DISCONNECT");
}
END_TEST

/* WIC-126, VC-43: ForceTermination ends a PendingDisconnect at once. */
START_TEST(wic126_force_from_pending)
{
	emu_pending(T1 + 10, 30);
	ck_assert_int_eq(conn_force_termination(&c, T1 + 12, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 12 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_FORCED_DISCONNECT");
}
END_TEST

/* WIC-126, VC-43: ForceTermination in Connecting aborts the setup. */
START_TEST(wic126_force_from_connecting)
{
	(void)tick(T0);
	ck_assert_int_eq(conn_force_termination(&c, T0 + 1, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T0 + 1 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_COMMAND_ABORTED");
}
END_TEST

/* WIC-127: 706 Unconfigured. */
START_TEST(wic127_force_unconfigured_706)
{
	ck_assert_int_eq(conn_force_termination(&c, T0, &ch),
	    CONN_ERR_NOT_CONFIGURED);
	ck_assert_uint_eq(ch, 0);
}
END_TEST

/* WIC-127: 707 Disconnecting. */
START_TEST(wic127_force_disconnecting_707)
{
	emu_disconnecting(T1 + 10);
	ck_assert_int_eq(conn_force_termination(&c, T1 + 11, &ch),
	    CONN_ERR_DISCONNECTING);
	ck_assert_uint_eq(ch, 0);
}
END_TEST

/* WIC-127: 711 Disconnected. */
START_TEST(wic127_force_disconnected_711)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_force_termination(&c, T0 + 101, &ch),
	    CONN_ERR_ALREADY_TERMINATED);
}
END_TEST

/* WIC-127: 710 when ConnectionType is not IP_Routed. */
START_TEST(wic127_force_wrong_type_710)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_set_connection_type(&c, "Unconfigured"),
	    CONN_OK);
	ck_assert_int_eq(conn_force_termination(&c, T0 + 101, &ch),
	    CONN_ERR_INVALID_TYPE);
}
END_TEST

/* ========================================================================== */
/* emulate: link failure and EnabledForInternet                               */
/* ========================================================================== */

/* WIC-080, VC-43: carrier lost: Disconnecting, no warning, NO_CARRIER. */
START_TEST(wic080_carrier_lost_no_warning)
{
	emu_connected();
	conn_set_warn_disconnect_delay(&c, 30);
	lk = link_no_carrier();
	(void)tick(T1 + 10);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	ck_assert_str_eq(ext_ip(), "");
	(void)tick(T1 + 10 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");
}
END_TEST

/* Address lost while up: named after what is missing (conn.h). */
START_TEST(conn_address_lost_is_ip_configuration)
{
	emu_connected();
	lk = link_without_addr();
	(void)tick(T1 + 10);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 10 + DD);
	ck_assert_str_eq(c.last_error, "ERROR_IP_CONFIGURATION");
}
END_TEST

/* WIC-080: a network failure also ends a PendingDisconnect at once. */
START_TEST(wic080_carrier_lost_during_pending)
{
	emu_pending(T1 + 10, 30);
	lk = link_no_carrier();
	(void)tick(T1 + 12);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 12 + DD);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");
}
END_TEST

/* WIC-080, VC-43: EnabledForInternet -> 0 tears the connection down. */
START_TEST(wic080_vc43_not_enabled_for_internet)
{
	emu_connected();
	conn_set_warn_disconnect_delay(&c, 30);
	ck_assert_int_eq(conn_set_enabled_for_internet(&c, false, T1 + 10,
	    &ch), CONN_OK);
	ck_assert_uint_ne(ch & CONN_CHANGED_STATUS, 0);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 10 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NOT_ENABLED_FOR_INTERNET");
	ck_assert(!conn_enabled_for_internet(&c));
}
END_TEST

/* VC-43: disabled at boot: never connects, says why. */
START_TEST(vc43_disabled_at_boot)
{
	ck_assert_int_eq(conn_set_enabled_for_internet(&c, false, T0, &ch),
	    CONN_OK);
	(void)tick(T0);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NOT_ENABLED_FOR_INTERNET");
}
END_TEST

/* ========================================================================== */
/* emulate: Disconnecting                                                     */
/* ========================================================================== */

/*
 * VC-39: a disconnect delay of 0 still makes Disconnecting its own step;
 * the deadline is "now".
 */
START_TEST(vc39_zero_disconnect_delay_two_events)
{
	struct conn_conf conf;

	conn_conf_defaults(&conf);
	conf.mode = CONN_EMULATE;
	conn_init_conf(&c, &conf);
	(void)tick(T0);
	(void)tick(T0);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_int_eq(conn_force_termination(&c, T0 + 5, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	ck_assert_uint_eq(deadline(), T0 + 5);
	ck_assert_uint_eq(tick(T0 + 5), CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
}
END_TEST

/* ========================================================================== */
/* SetConnectionType / GetConnectionTypeInfo                                  */
/* ========================================================================== */

/* WIC-115: a value outside the allowedValueList is 601, in any state. */
START_TEST(wic115_unknown_type_601)
{
	ck_assert_int_eq(conn_set_connection_type(&c, "PPPoE_Bridged"),
	    CONN_ERR_BAD_VALUE);
	ck_assert_int_eq(conn_set_connection_type(&c, "ip_bridged"),
	    CONN_ERR_BAD_VALUE);
	ck_assert_int_eq(conn_set_connection_type(&c, ""),
	    CONN_ERR_BAD_VALUE);
	emu_connected();
	/* VC-30: 601 before the state error 703. */
	ck_assert_int_eq(conn_set_connection_type(&c, "Bridged"),
	    CONN_ERR_BAD_VALUE);
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_ROUTED);
}
END_TEST

/* WIC-116: 703 unless Disconnected or Unconfigured. */
START_TEST(wic116_type_needs_inactive_state_703)
{
	(void)tick(T0);
	ck_assert_int_eq(c.status, CONN_CONNECTING);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"),
	    CONN_ERR_INACTIVE_REQUIRED);
	(void)tick(T1);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Routed"),
	    CONN_ERR_INACTIVE_REQUIRED);
	conn_set_warn_disconnect_delay(&c, 30);
	(void)conn_request_termination(&c, T1 + 1, &ch);
	ck_assert_int_eq(c.status, CONN_PENDING_DISCONNECT);
	ck_assert_int_eq(conn_set_connection_type(&c, "Unconfigured"),
	    CONN_ERR_INACTIVE_REQUIRED);
	(void)conn_force_termination(&c, T1 + 2, &ch);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"),
	    CONN_ERR_INACTIVE_REQUIRED);
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_ROUTED);
}
END_TEST

/* WIC-118: in Disconnected the new type is taken. */
START_TEST(wic118_type_set_when_disconnected)
{
	emu_disconnected(T0 + 100);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"), CONN_OK);
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_BRIDGED);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Routed"), CONN_OK);
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_ROUTED);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 101, &ch), CONN_OK);
}
END_TEST

/* WIC-116: Unconfigured status counts as inactive. */
START_TEST(wic116_type_set_when_unconfigured)
{
	ck_assert_int_eq(c.status, CONN_UNCONFIGURED);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"), CONN_OK);
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_BRIDGED);
}
END_TEST

/* WIC-012: emulate offers both types, as CSV without spaces (WIC-038). */
START_TEST(wic012_emulate_possible_types)
{
	ck_assert_str_eq(conn_possible_types(&c), "IP_Routed,IP_Bridged");
}
END_TEST

/* WIC-042: a new PossibleConnectionTypes list is an event; same is not. */
START_TEST(wic042_possible_types_change_evented)
{
	ck_assert_int_eq(conn_set_possible_types(&c,
	    CONN_TYPE_BIT(CONN_TYPE_IP_ROUTED), &ch), CONN_OK);
	ck_assert_uint_eq(ch, CONN_CHANGED_TYPES);
	ck_assert_str_eq(conn_possible_types(&c), "IP_Routed");
	ck_assert_int_eq(conn_set_possible_types(&c,
	    CONN_TYPE_BIT(CONN_TYPE_IP_ROUTED), &ch), CONN_OK);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(conn_set_possible_types(&c,
	    CONN_TYPE_BIT(CONN_TYPE_IP_BRIDGED), &ch), CONN_OK);
	ck_assert_str_eq(conn_possible_types(&c), "IP_Bridged");
}
END_TEST

/* WIC-012: the list is a non-empty set of real types. */
START_TEST(wic012_possible_types_bad_sets)
{
	ck_assert_int_eq(conn_set_possible_types(&c, 0, &ch),
	    CONN_ERR_BAD_VALUE);
	ck_assert_int_eq(conn_set_possible_types(&c,
	    CONN_TYPE_BIT(CONN_TYPE_UNCONFIGURED), &ch), CONN_ERR_BAD_VALUE);
	ck_assert_uint_eq(ch, 0);
	ck_assert_str_eq(conn_possible_types(&c), "IP_Routed,IP_Bridged");
}
END_TEST

/* A type the link cannot do is out of range (conn.h). */
START_TEST(conn_type_not_possible_is_601)
{
	(void)conn_set_possible_types(&c, CONN_TYPE_BIT(CONN_TYPE_IP_ROUTED),
	    &ch);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"),
	    CONN_ERR_BAD_VALUE);
	ck_assert_int_eq(conn_set_connection_type(&c, "Unconfigured"),
	    CONN_OK);
}
END_TEST

/* ========================================================================== */
/* timers                                                                     */
/* ========================================================================== */

/* WIC-130, WIC-134: AutoDisconnectTime stores and returns any ui4. */
START_TEST(wic130_wic134_auto_roundtrip)
{
	ck_assert_uint_eq(conn_auto_disconnect_time(&c), 0);
	conn_set_auto_disconnect_time(&c, 3600);
	ck_assert_uint_eq(conn_auto_disconnect_time(&c), 3600);
	conn_set_auto_disconnect_time(&c, UINT32_MAX);
	ck_assert_uint_eq(conn_auto_disconnect_time(&c), UINT32_MAX);
	conn_set_auto_disconnect_time(&c, 0);
	ck_assert_uint_eq(conn_auto_disconnect_time(&c), 0);
}
END_TEST

/* WIC-131, WIC-135: IdleDisconnectTime stores and returns any ui4. */
START_TEST(wic131_wic135_idle_roundtrip)
{
	ck_assert_uint_eq(conn_idle_disconnect_time(&c), 0);
	conn_set_idle_disconnect_time(&c, 1);
	ck_assert_uint_eq(conn_idle_disconnect_time(&c), 1);
	conn_set_idle_disconnect_time(&c, UINT32_MAX);
	ck_assert_uint_eq(conn_idle_disconnect_time(&c), UINT32_MAX);
}
END_TEST

/* WIC-132, WIC-136: WarnDisconnectDelay stores and returns any ui4. */
START_TEST(wic132_wic136_warn_roundtrip)
{
	ck_assert_uint_eq(conn_warn_disconnect_delay(&c), 0);
	conn_set_warn_disconnect_delay(&c, 45);
	ck_assert_uint_eq(conn_warn_disconnect_delay(&c), 45);
	conn_set_warn_disconnect_delay(&c, UINT32_MAX);
	ck_assert_uint_eq(conn_warn_disconnect_delay(&c), UINT32_MAX);
}
END_TEST

/* WIC-017, WIC-084: Auto fires exactly AutoDisconnectTime after Connected. */
START_TEST(wic084_auto_fires_on_the_second)
{
	conn_set_auto_disconnect_time(&c, 30);
	emu_connected();
	ck_assert_uint_eq(deadline(), T1 + 30);
	pk = 1;				/* traffic does not matter */
	(void)tick(T1 + 29);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	pk = 2;
	(void)tick(T1 + 30);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 30 + DD);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_USER_DISCONNECT"); /* VC-43 */
}
END_TEST

/* WIC-078, WIC-084: Auto with a warning goes through PendingDisconnect. */
START_TEST(wic078_auto_with_warning)
{
	conn_set_auto_disconnect_time(&c, 30);
	conn_set_warn_disconnect_delay(&c, 10);
	emu_connected();
	(void)tick(T1 + 30);
	ck_assert_int_eq(c.status, CONN_PENDING_DISCONNECT);
	ck_assert_uint_eq(deadline(), T1 + 40);
	(void)tick(T1 + 39);
	ck_assert_int_eq(c.status, CONN_PENDING_DISCONNECT);
	(void)tick(T1 + 40);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 40 + DD);
	ck_assert_str_eq(c.last_error, "ERROR_USER_DISCONNECT");
}
END_TEST

/* WIC-017: AutoDisconnectTime counts from Connected, not from the Set. */
START_TEST(wic017_auto_counts_from_connected)
{
	emu_connected();
	conn_set_auto_disconnect_time(&c, 100);
	(void)tick(T1 + 50);
	ck_assert_uint_eq(deadline(), T1 + 100);
	(void)tick(T1 + 99);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	(void)tick(T1 + 100);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
}
END_TEST

/* WIC-017: 0 means never. */
START_TEST(wic017_auto_zero_never)
{
	uint32_t when;

	emu_connected();
	ck_assert(!conn_next_deadline(&c, &when));
	(void)tick(T1 + 1000000);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* WIC-018, WIC-084: Idle fires after exactly that long without traffic. */
START_TEST(wic084_idle_fires_on_the_second)
{
	conn_set_idle_disconnect_time(&c, 20);
	pk = 500;
	emu_connected();
	ck_assert_uint_eq(deadline(), T1 + 20);
	(void)tick(T1 + 10);
	(void)tick(T1 + 19);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	(void)tick(T1 + 20);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 20 + DD);
	ck_assert_str_eq(c.last_error, "ERROR_IDLE_DISCONNECT"); /* VC-43 */
}
END_TEST

/* WIC-018, VC-44: traffic restarts the idle count. */
START_TEST(vc44_traffic_resets_idle)
{
	conn_set_idle_disconnect_time(&c, 20);
	emu_connected();
	pk = 7;
	(void)tick(T1 + 15);
	ck_assert_uint_eq(deadline(), T1 + 35);
	(void)tick(T1 + 20);
	(void)tick(T1 + 34);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	(void)tick(T1 + 35);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
}
END_TEST

/* VC-44: counters that keep moving never look idle. */
START_TEST(vc44_busy_link_never_idle)
{
	uint32_t t;

	conn_set_idle_disconnect_time(&c, 5);
	emu_connected();
	for (t = T1 + 1; t < T1 + 200; t += 4) {
		pk += 3;
		(void)tick(t);
		ck_assert_int_eq(c.status, CONN_CONNECTED);
	}
}
END_TEST

/* VC-44: without counters (conn_observe) idleness is never assumed. */
START_TEST(vc44_no_counters_no_idle)
{
	uint32_t when;
	struct conn_link l = link_with(WAN_ADDR);

	conn_set_idle_disconnect_time(&c, 5);
	(void)conn_observe(&c, &l, T0);
	(void)conn_observe(&c, &l, T1);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert(!conn_next_deadline(&c, &when));
	(void)conn_observe(&c, &l, T1 + 1000);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* WIC-018: 0 means idle time never ends the connection. */
START_TEST(wic018_idle_zero_never)
{
	emu_connected();
	(void)tick(T1 + 1000000);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* WIC-019: WarnDisconnectDelay is the time in PendingDisconnect. */
START_TEST(wic019_warn_is_pending_time)
{
	emu_pending(T1 + 10, 1);
	ck_assert_uint_eq(deadline(), T1 + 11);
	(void)tick(T1 + 11);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
}
END_TEST

/* WIC-078, VC-43: Idle with a warning goes through PendingDisconnect too. */
START_TEST(wic078_idle_with_warning)
{
	conn_set_idle_disconnect_time(&c, 20);
	conn_set_warn_disconnect_delay(&c, 5);
	emu_connected();
	(void)tick(T1 + 20);
	ck_assert_int_eq(c.status, CONN_PENDING_DISCONNECT);
	(void)tick(T1 + 25);
	ck_assert_int_eq(c.status, CONN_DISCONNECTING);
	(void)tick(T1 + 25 + DD);
	ck_assert_str_eq(c.last_error, "ERROR_IDLE_DISCONNECT");
}
END_TEST

/* A warning under way keeps the delay it started with (conn.h). */
START_TEST(conn_warn_change_does_not_move_pending)
{
	emu_pending(T1 + 10, 30);
	conn_set_warn_disconnect_delay(&c, 100);
	ck_assert_uint_eq(deadline(), T1 + 40);
}
END_TEST

/* WIC-084: a restored connection counts Auto afresh (conn.h). */
START_TEST(wic084_restore_rearms_auto)
{
	conn_set_auto_disconnect_time(&c, 30);
	conn_set_warn_disconnect_delay(&c, 10);
	emu_connected();
	(void)tick(T1 + 30);
	ck_assert_int_eq(c.status, CONN_PENDING_DISCONNECT);
	ck_assert_int_eq(conn_request_connection(&c, T1 + 35, &ch), CONN_OK);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_uint_eq(deadline(), T1 + 65);
	(void)tick(T1 + 64);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* ========================================================================== */
/* Uptime                                                                     */
/* ========================================================================== */

/* WIC-015: Connecting is not up. */
START_TEST(wic015_uptime_zero_while_connecting)
{
	(void)tick(T0);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 3), 0);
}
END_TEST

/* WIC-015: Uptime counts from the move to Connected. */
START_TEST(wic015_uptime_counts_while_connected)
{
	emu_connected();
	ck_assert_uint_eq(conn_uptime(&c, T1), 0);
	ck_assert_uint_eq(conn_uptime(&c, T1 + 1), 1);
	ck_assert_uint_eq(conn_uptime(&c, T1 + 86400), 86400);
}
END_TEST

/* WIC-014, WIC-015: PendingDisconnect is still up; a restore keeps Uptime. */
START_TEST(wic015_uptime_through_pending_and_restore)
{
	emu_pending(T1 + 10, 30);
	ck_assert_uint_eq(conn_uptime(&c, T1 + 20), 20);
	(void)conn_request_connection(&c, T1 + 20, &ch);
	ck_assert_uint_eq(conn_uptime(&c, T1 + 25), 25);
}
END_TEST

/* WIC-053: Uptime is 0 once torn down, and on entering Disconnected. */
START_TEST(wic053_uptime_zero_when_disconnected)
{
	emu_disconnecting(T1 + 100);
	ck_assert_uint_eq(conn_uptime(&c, T1 + 101), 0);
	(void)tick(T1 + 100 + DD);
	ck_assert_uint_eq(conn_uptime(&c, T1 + 100 + DD), 0);
	ck_assert_uint_eq(conn_uptime(&c, T1 + 5000), 0);
}
END_TEST

/* WIC-015: a new connection counts from its own start. */
START_TEST(wic015_uptime_restarts_on_reconnect)
{
	emu_disconnected(T0 + 100);
	(void)conn_request_connection(&c, T0 + 200, &ch);
	(void)tick(T0 + 200 + CD);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 200 + CD + 7), 7);
}
END_TEST

/* ========================================================================== */
/* ExternalIPAddress                                                          */
/* ========================================================================== */

/* WIC-023: "" while Connecting, though the interface has an address. */
START_TEST(wic023_empty_while_connecting)
{
	(void)tick(T0);
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/* WIC-022, WIC-045: Connected: the dotted quad, evented. */
START_TEST(wic045_connected_address_evented)
{
	(void)tick(T0);
	ck_assert_uint_eq(tick(T1) & CONN_CHANGED_ADDR, CONN_CHANGED_ADDR);
	ck_assert_str_eq(ext_ip(), WAN_ADDR);
	ck_assert_uint_eq(c.addr.s_addr, ip(WAN_ADDR).s_addr);
	ck_assert(c.has_addr);
}
END_TEST

/* WIC-023, WIC-045: torn down: "" again, evented. */
START_TEST(wic045_teardown_empties_address)
{
	emu_connected();
	ck_assert_int_eq(conn_force_termination(&c, T1 + 10, &ch), CONN_OK);
	ck_assert_uint_eq(ch & CONN_CHANGED_ADDR, CONN_CHANGED_ADDR);
	ck_assert_str_eq(ext_ip(), "");
	ck_assert(!c.has_addr);
}
END_TEST

/* WIC-045: a new address while Connected is an address event only. */
START_TEST(wic045_address_change_while_connected)
{
	emu_connected();
	lk = link_with(WAN_ADDR2);
	ck_assert_uint_eq(tick(T1 + 10), CONN_CHANGED_ADDR);
	ck_assert_str_eq(ext_ip(), WAN_ADDR2);
}
END_TEST

/* WIC-023, VC-46: a private or CGN address is still reported. */
START_TEST(vc46_private_address_reported)
{
	lk = link_with("100.64.7.9");
	emu_connected();
	ck_assert_str_eq(ext_ip(), "100.64.7.9");
}
END_TEST

/* VC-46: what counts as private: RFC 1918 and 100.64/10. */
START_TEST(vc46_private_ranges)
{
	ck_assert(conn_addr_is_private(ip("10.0.0.1")));
	ck_assert(conn_addr_is_private(ip("10.255.255.255")));
	ck_assert(conn_addr_is_private(ip("172.16.0.1")));
	ck_assert(conn_addr_is_private(ip("172.31.255.255")));
	ck_assert(conn_addr_is_private(ip("192.168.0.1")));
	ck_assert(conn_addr_is_private(ip("100.64.0.0")));
	ck_assert(conn_addr_is_private(ip("100.127.255.255")));
	ck_assert(!conn_addr_is_private(ip("11.0.0.1")));
	ck_assert(!conn_addr_is_private(ip("172.15.255.255")));
	ck_assert(!conn_addr_is_private(ip("172.32.0.0")));
	ck_assert(!conn_addr_is_private(ip("192.169.0.1")));
	ck_assert(!conn_addr_is_private(ip("100.63.255.255")));
	ck_assert(!conn_addr_is_private(ip("100.128.0.0")));
	ck_assert(!conn_addr_is_private(ip(WAN_ADDR)));
}
END_TEST

/* The override is reported while up; the interface's stays in c.addr. */
START_TEST(conn_override_reported_while_up)
{
	struct in_addr o = ip(OVERRIDE);

	ck_assert_uint_eq(conn_set_external_ip(&c, &o), 0);
	(void)tick(T0);
	ck_assert_str_eq(ext_ip(), "");		/* WIC-023: not up yet */
	(void)tick(T1);
	ck_assert_str_eq(ext_ip(), OVERRIDE);
	ck_assert_uint_eq(c.addr.s_addr, ip(WAN_ADDR).s_addr);
	/* The interface's address moves; what CPs see does not. */
	lk = link_with(WAN_ADDR2);
	ck_assert_uint_eq(tick(T1 + 10), 0);
	ck_assert_str_eq(ext_ip(), OVERRIDE);
	/* Clearing the override while up is an address event (WIC-045). */
	ck_assert_uint_eq(conn_set_external_ip(&c, NULL), CONN_CHANGED_ADDR);
	ck_assert_str_eq(ext_ip(), WAN_ADDR2);
}
END_TEST

/* ========================================================================== */
/* forwarding (VC-45) and events (VC-39)                                      */
/* ========================================================================== */

/* VC-45: emulate forwards only while up; each change is flagged. */
START_TEST(vc45_forwarding_follows_connection)
{
	ck_assert(!conn_forwarding(&c));
	(void)tick(T0);
	ck_assert(!conn_forwarding(&c));
	ck_assert_uint_eq(tick(T1), CONN_CHANGED_STATUS | CONN_CHANGED_ADDR |
	    CONN_CHANGED_FORWARDING);
	ck_assert(conn_forwarding(&c));
	ck_assert_int_eq(conn_force_termination(&c, T1 + 10, &ch), CONN_OK);
	ck_assert_uint_eq(ch, CONN_CHANGED_STATUS | CONN_CHANGED_ADDR |
	    CONN_CHANGED_FORWARDING);
	ck_assert(!conn_forwarding(&c));
	ck_assert_uint_eq(tick(T1 + 10 + DD), CONN_CHANGED_STATUS);
	ck_assert(!conn_forwarding(&c));
}
END_TEST

/*
 * VC-39, VC-40: a warned termination is three events: PendingDisconnect
 * (still up), Disconnecting (down), Disconnected. WIC-044: igd2d lets
 * CPs see every intermediate state.
 */
START_TEST(vc39_each_step_its_own_event)
{
	emu_pending(T1 + 10, 5);
	ck_assert_uint_eq(ch, CONN_CHANGED_STATUS);
	ck_assert_uint_eq(tick(T1 + 15), CONN_CHANGED_STATUS |
	    CONN_CHANGED_ADDR | CONN_CHANGED_FORWARDING);
	ck_assert_uint_eq(tick(T1 + 15 + DD), CONN_CHANGED_STATUS);
}
END_TEST

/* An error changes nothing and reports no change. */
START_TEST(conn_error_changes_nothing)
{
	struct conn before;

	emu_disconnected(T0 + 100);
	before = c;
	ck_assert_int_eq(conn_force_termination(&c, T0 + 101, &ch),
	    CONN_ERR_ALREADY_TERMINATED);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(memcmp(&before, &c, sizeof(c)), 0);
}
END_TEST

/* ========================================================================== */
/* monitor mode                                                               */
/* ========================================================================== */

/* WIC-071, VC-35: the link with an address is Connected at once. */
START_TEST(vc35_monitor_connects_by_itself)
{
	ck_assert_uint_eq(tick(T0), CONN_CHANGED_STATUS | CONN_CHANGED_ADDR);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_str_eq(ext_ip(), WAN_ADDR);
}
END_TEST

/* VC-35: link lost -> Disconnected (no intermediate state), and back. */
START_TEST(vc35_monitor_follows_link)
{
	(void)tick(T0);
	lk = link_no_carrier();
	ck_assert_uint_eq(tick(T0 + 10), CONN_CHANGED_STATUS |
	    CONN_CHANGED_ADDR);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");	/* VC-43 */
	lk = link_with(WAN_ADDR);
	(void)tick(T0 + 20);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
	ck_assert_uint_eq(conn_uptime(&c, T0 + 25), 5);
}
END_TEST

/* VC-35: monitor is IP_Routed only. */
START_TEST(vc35_monitor_types)
{
	ck_assert_str_eq(conn_possible_types(&c), "IP_Routed");
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_ROUTED);
	ck_assert_int_eq(conn_set_possible_types(&c,
	    CONN_TYPE_BIT(CONN_TYPE_IP_BRIDGED), &ch), CONN_ERR_CANNOT);
	ck_assert_str_eq(conn_possible_types(&c), "IP_Routed");
}
END_TEST

/* VC-37, WIC-117: any valid type, even the current one, is 731 ReadOnly. */
START_TEST(vc37_monitor_type_read_only)
{
	(void)tick(T0);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Routed"),
	    CONN_ERR_READ_ONLY);
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_Bridged"),
	    CONN_ERR_READ_ONLY);
	ck_assert_int_eq(conn_set_connection_type(&c, "Unconfigured"),
	    CONN_ERR_READ_ONLY);
	ck_assert_int_eq(conn_connection_type(&c), CONN_TYPE_IP_ROUTED);
}
END_TEST

/* VC-37: an unknown value is 601, not 731. */
START_TEST(vc37_monitor_unknown_type_601)
{
	ck_assert_int_eq(conn_set_connection_type(&c, "IP_routed"),
	    CONN_ERR_BAD_VALUE);
}
END_TEST

/* WIC-076: RequestConnection while Connected is a no-op success. */
START_TEST(wic076_monitor_request_connection_connected)
{
	(void)tick(T0);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 1, &ch), CONN_OK);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* WIC-121: the host cannot raise a dead link: 704, nothing changes. */
START_TEST(wic121_monitor_request_connection_down_704)
{
	lk = link_no_carrier();
	(void)tick(T0);
	ck_assert_int_eq(conn_request_connection(&c, T0 + 1, &ch),
	    CONN_ERR_SETUP_FAILED);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");
}
END_TEST

/* WIC-121, WIC-124, WIC-127: 706 before the first observation. */
START_TEST(wic121_monitor_unconfigured_706)
{
	ck_assert_int_eq(conn_request_connection(&c, T0, &ch),
	    CONN_ERR_NOT_CONFIGURED);
	ck_assert_int_eq(conn_request_termination(&c, T0, &ch),
	    CONN_ERR_NOT_CONFIGURED);
	ck_assert_int_eq(conn_force_termination(&c, T0, &ch),
	    CONN_ERR_NOT_CONFIGURED);
}
END_TEST

/* VC-38, WIC-129: an always-on link is not terminated: 501, still Connected. */
START_TEST(vc38_monitor_terminations_501)
{
	(void)tick(T0);
	ck_assert_int_eq(conn_request_termination(&c, T0 + 1, &ch),
	    CONN_ERR_CANNOT);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(conn_force_termination(&c, T0 + 1, &ch),
	    CONN_ERR_CANNOT);
	ck_assert_uint_eq(ch, 0);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_str_eq(ext_ip(), WAN_ADDR);
}
END_TEST

/* WIC-124, WIC-127, VC-30: Disconnected is 711, before VC-38's 501. */
START_TEST(wic124_monitor_terminate_disconnected_711)
{
	lk = link_no_carrier();
	(void)tick(T0);
	ck_assert_int_eq(conn_request_termination(&c, T0 + 1, &ch),
	    CONN_ERR_ALREADY_TERMINATED);
	ck_assert_int_eq(conn_force_termination(&c, T0 + 1, &ch),
	    CONN_ERR_ALREADY_TERMINATED);
}
END_TEST

/* VC-38: the timers are kept but an always-on link never ends. */
START_TEST(vc38_monitor_timers_never_fire)
{
	uint32_t when;

	conn_set_auto_disconnect_time(&c, 10);
	conn_set_idle_disconnect_time(&c, 10);
	conn_set_warn_disconnect_delay(&c, 5);
	(void)tick(T0);
	ck_assert(!conn_next_deadline(&c, &when));
	ck_assert_uint_eq(tick(T0 + 1000), 0);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_uint_eq(conn_auto_disconnect_time(&c), 10);
	ck_assert_uint_eq(conn_idle_disconnect_time(&c), 10);
	ck_assert_uint_eq(conn_warn_disconnect_delay(&c), 5);
}
END_TEST

/* VC-38: EnabledForInternet cannot go to 0 on an always-on link. */
START_TEST(vc38_monitor_cannot_disable_internet)
{
	(void)tick(T0);
	ck_assert_int_eq(conn_set_enabled_for_internet(&c, false, T0 + 1,
	    &ch), CONN_ERR_CANNOT);
	ck_assert(conn_enabled_for_internet(&c));
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_int_eq(conn_set_enabled_for_internet(&c, true, T0 + 1,
	    &ch), CONN_OK);
}
END_TEST

/* VC-45: monitor mode never withdraws rules. */
START_TEST(vc45_monitor_always_forwards)
{
	ck_assert(conn_forwarding(&c));
	(void)tick(T0);
	lk = link_no_carrier();
	ck_assert_uint_eq(tick(T0 + 10) & CONN_CHANGED_FORWARDING, 0);
	ck_assert(conn_forwarding(&c));
}
END_TEST

/* VC-46: the override address in monitor mode, and "" when down. */
START_TEST(vc46_monitor_override)
{
	struct in_addr o = ip(OVERRIDE);
	struct conn_conf conf;

	conn_conf_defaults(&conf);
	conf.external_ip = o;
	conn_init_conf(&c, &conf);
	(void)tick(T0);
	ck_assert_str_eq(ext_ip(), OVERRIDE);
	lk = link_no_carrier();
	ck_assert_uint_eq(tick(T0 + 1) & CONN_CHANGED_ADDR, CONN_CHANGED_ADDR);
	ck_assert_str_eq(ext_ip(), "");		/* WIC-023 */
}
END_TEST

/* ========================================================================== */

static void
add(Suite *s, const char *name, void (*setup)(void), const TTest *const *t)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, NULL);
	for (; *t != NULL; t++)
		tcase_add_test(tc, *t);
	suite_add_tcase(s, tc);
}

static Suite *
conn_suite(void)
{
	const TTest *const names[] = {
		wic010_type_names, wic010_default_type_ip_routed,
		wic052_unconfigured_defaults, vc42_default_connecting_timeout,
		conn_no_deadline_before_first_tick, NULL
	};
	const TTest *const connect[] = {
		wic071_first_tick_starts_connecting,
		wic072_connected_after_connect_delay,
		vc43_connect_is_error_none, vc42_timeout_no_carrier,
		vc42_timeout_no_address, wic072_late_link_connects,
		wic072_request_connection_from_disconnected,
		wic072_request_connection_fails_to_disconnected,
		vc39_zero_connect_delay_two_events,
		wic076_request_connection_when_connected,
		wic075_request_connection_restores_pending,
		conn_emulate_no_reconnect_by_itself,
		wic085_unconfigured_type_never_connects, NULL
	};
	const TTest *const connect_err[] = {
		wic121_request_connection_unconfigured_706,
		wic121_request_connection_connecting_705,
		wic121_request_connection_disconnecting_707,
		wic121_request_connection_wrong_type_710,
		wic121_request_connection_disabled_709,
		wic120_not_configured_before_type, NULL
	};
	const TTest *const term[] = {
		wic080_request_termination_without_warning,
		vc43_request_termination_user_disconnect,
		wic078_vc40_pending_then_disconnecting,
		wic014_pending_still_up, wic081_vc41_terminate_while_connecting,
		wic124_request_termination_unconfigured_706,
		wic124_request_termination_pending_707,
		wic124_request_termination_disconnecting_707,
		wic124_request_termination_disconnected_711,
		wic124_request_termination_wrong_type_710,
		wic086_other_cp_termination_ends_attempt, NULL
	};
	const TTest *const force[] = {
		wic082_force_ignores_warning, vc43_force_is_forced_disconnect,
		wic126_force_from_pending, wic126_force_from_connecting,
		wic127_force_unconfigured_706, wic127_force_disconnecting_707,
		wic127_force_disconnected_711, wic127_force_wrong_type_710,
		NULL
	};
	const TTest *const failure[] = {
		wic080_carrier_lost_no_warning,
		conn_address_lost_is_ip_configuration,
		wic080_carrier_lost_during_pending,
		wic080_vc43_not_enabled_for_internet, vc43_disabled_at_boot,
		vc39_zero_disconnect_delay_two_events, NULL
	};
	const TTest *const type[] = {
		wic115_unknown_type_601, wic116_type_needs_inactive_state_703,
		wic118_type_set_when_disconnected,
		wic116_type_set_when_unconfigured,
		wic012_emulate_possible_types,
		wic042_possible_types_change_evented,
		wic012_possible_types_bad_sets, conn_type_not_possible_is_601,
		NULL
	};
	const TTest *const timers[] = {
		wic130_wic134_auto_roundtrip, wic131_wic135_idle_roundtrip,
		wic132_wic136_warn_roundtrip, wic084_auto_fires_on_the_second,
		wic078_auto_with_warning, wic017_auto_counts_from_connected,
		wic017_auto_zero_never, wic084_idle_fires_on_the_second,
		vc44_traffic_resets_idle, vc44_busy_link_never_idle,
		vc44_no_counters_no_idle, wic018_idle_zero_never,
		wic019_warn_is_pending_time, wic078_idle_with_warning,
		conn_warn_change_does_not_move_pending,
		wic084_restore_rearms_auto, NULL
	};
	const TTest *const uptime[] = {
		wic015_uptime_zero_while_connecting,
		wic015_uptime_counts_while_connected,
		wic015_uptime_through_pending_and_restore,
		wic053_uptime_zero_when_disconnected,
		wic015_uptime_restarts_on_reconnect, NULL
	};
	const TTest *const address[] = {
		wic023_empty_while_connecting, wic045_connected_address_evented,
		wic045_teardown_empties_address,
		wic045_address_change_while_connected,
		vc46_private_address_reported, vc46_private_ranges,
		conn_override_reported_while_up, NULL
	};
	const TTest *const events[] = {
		vc45_forwarding_follows_connection,
		vc39_each_step_its_own_event, conn_error_changes_nothing, NULL
	};
	const TTest *const monitor[] = {
		wic010_default_type_ip_routed,
		conn_no_deadline_before_first_tick,
		vc35_monitor_connects_by_itself, vc35_monitor_follows_link,
		vc35_monitor_types, vc37_monitor_type_read_only,
		vc37_monitor_unknown_type_601,
		wic076_monitor_request_connection_connected,
		wic121_monitor_request_connection_down_704,
		wic121_monitor_unconfigured_706, vc38_monitor_terminations_501,
		wic124_monitor_terminate_disconnected_711,
		vc38_monitor_timers_never_fire,
		vc38_monitor_cannot_disable_internet,
		vc45_monitor_always_forwards, vc46_monitor_override, NULL
	};
	Suite *s = suite_create("conn");

	add(s, "emulate: initial state", emulate_setup, names);
	add(s, "emulate: connecting (1.7)", emulate_setup, connect);
	add(s, "emulate: RequestConnection errors", emulate_setup,
	    connect_err);
	add(s, "emulate: RequestTermination", emulate_setup, term);
	add(s, "emulate: ForceTermination", emulate_setup, force);
	add(s, "emulate: link failure, EnabledForInternet", emulate_setup,
	    failure);
	add(s, "emulate: SetConnectionType", emulate_setup, type);
	add(s, "emulate: timers", emulate_setup, timers);
	add(s, "emulate: Uptime", emulate_setup, uptime);
	add(s, "emulate: ExternalIPAddress", emulate_setup, address);
	add(s, "emulate: forwarding and events", emulate_setup, events);
	add(s, "monitor", monitor_setup, monitor);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conn_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
