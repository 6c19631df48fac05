/*
 * Unit tests for the small pure modules of the core:
 *   conn     monitor-mode connection state (ConnectionStatus,
 *            LastConnectionError, Uptime, ExternalIPAddress); time is
 *            injected as `now`, nothing sleeps;
 *   desc     description templates and embedded-device UDNs;
 *   upnperr  the one table of UPnP error names.
 */
#include "conn.h"
#include "desc.h"
#include "pmlist.h"
#include "strbuf.h"
#include "upnperr.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

/* ========================================================================== */
/* conn                                                                        */
/* ========================================================================== */

#define T0		1000u		/* any monotonic second */
#define WAN_ADDR	"203.0.113.5"
#define WAN_ADDR2	"198.51.100.77"

static struct conn c;

static void
conn_setup(void)
{
	conn_init(&c);
}

/* The WAN with carrier and an IPv4 address. */
static struct conn_link
link_with(const char *addr)
{
	struct conn_link l = { .exists = true, .up = true, .running = true,
	    .has_addr = true };

	ck_assert_int_eq(inet_pton(AF_INET, addr, &l.addr), 1);
	return l;
}

/* The WAN with carrier but no IPv4 address (DHCP not done). */
static struct conn_link
link_without_addr(void)
{
	struct conn_link l = { .exists = true, .up = true, .running = true };

	return l;
}

/* The WAN without carrier (cable out): up, not running, no address. */
static struct conn_link
link_no_carrier(void)
{
	struct conn_link l = { .exists = true, .up = true };

	return l;
}

/* ExternalIPAddress as the service would send it. */
static const char *
ext_ip(void)
{
	static char buf[INET_ADDRSTRLEN];

	memset(buf, 'x', sizeof(buf));
	conn_external_ip(&c, buf, sizeof(buf));
	return buf;
}

/* Connected at `now` with WAN_ADDR, from whatever state c is in. */
static void
connect_at(uint32_t now)
{
	struct conn_link l = link_with(WAN_ADDR);

	(void)conn_observe(&c, &l, now);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}

/* ---- names and the initial state ------------------------------------ */

/*
 * WIC-013: the Table 2-4 spellings of ConnectionStatus; WIC-070: all six
 * states exist (check_conn.c reaches each of them).
 */
START_TEST(wic013_status_names)
{
	ck_assert_str_eq(conn_status_name(CONN_UNCONFIGURED), "Unconfigured");
	ck_assert_str_eq(conn_status_name(CONN_CONNECTING), "Connecting");
	ck_assert_str_eq(conn_status_name(CONN_CONNECTED), "Connected");
	ck_assert_str_eq(conn_status_name(CONN_PENDING_DISCONNECT),
	    "PendingDisconnect");
	ck_assert_str_eq(conn_status_name(CONN_DISCONNECTING), "Disconnecting");
	ck_assert_str_eq(conn_status_name(CONN_DISCONNECTED), "Disconnected");
}
END_TEST

/* Nothing observed yet: Unconfigured, no failure recorded (conn.h). */
START_TEST(conn_init_is_unconfigured)
{
	ck_assert_int_eq(c.status, CONN_UNCONFIGURED);
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
}
END_TEST

/* WIC-023: no address known yet, so ExternalIPAddress is "". */
START_TEST(wic023_init_address_empty)
{
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/* WIC-015: never connected, never up. */
START_TEST(wic015_init_uptime_zero)
{
	ck_assert_uint_eq(conn_uptime(&c, T0), 0);
}
END_TEST

/* ---- connecting ------------------------------------------------------- */

/* VC-35: monitor mode: carrier plus an IPv4 address is Connected. */
START_TEST(vc035_link_and_address_is_connected)
{
	struct conn_link l = link_with(WAN_ADDR);

	(void)conn_observe(&c, &l, T0);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
	ck_assert_str_eq(conn_status_name(c.status), "Connected");
}
END_TEST

/* VC-43: a successful connection sets ERROR_NONE, even after a failure. */
START_TEST(vc043_connected_is_error_none)
{
	struct conn_link down = link_no_carrier(), up = link_with(WAN_ADDR);

	(void)conn_observe(&c, &down, T0);
	ck_assert_str_ne(c.last_error, "ERROR_NONE");
	(void)conn_observe(&c, &up, T0 + 5);
	ck_assert_str_eq(c.last_error, "ERROR_NONE");
}
END_TEST

/* WIC-043: the move to Connected is a ConnectionStatus event. */
START_TEST(wic043_connect_changes_status)
{
	struct conn_link l = link_with(WAN_ADDR);

	ck_assert_uint_eq(conn_observe(&c, &l, T0) & CONN_CHANGED_STATUS,
	    CONN_CHANGED_STATUS);
}
END_TEST

/* WIC-045: "" -> an address is an ExternalIPAddress event. */
START_TEST(wic045_connect_changes_address)
{
	struct conn_link l = link_with(WAN_ADDR);

	ck_assert_uint_eq(conn_observe(&c, &l, T0) & CONN_CHANGED_ADDR,
	    CONN_CHANGED_ADDR);
}
END_TEST

/* WIC-043, WIC-045: connecting changes exactly those two variables. */
START_TEST(wic043_wic045_connect_changes_both)
{
	struct conn_link l = link_with(WAN_ADDR);

	ck_assert_uint_eq(conn_observe(&c, &l, T0),
	    CONN_CHANGED_STATUS | CONN_CHANGED_ADDR);
}
END_TEST

/* WIC-022: while Connected, ExternalIPAddress is the dotted quad. */
START_TEST(wic022_connected_address_dotted_quad)
{
	connect_at(T0);
	ck_assert_str_eq(ext_ip(), WAN_ADDR);
}
END_TEST

/* WIC-023: a private or CGN address is still reported. */
START_TEST(wic023_private_address_reported)
{
	struct conn_link l = link_with("100.64.1.2");

	(void)conn_observe(&c, &l, T0);
	ck_assert_str_eq(ext_ip(), "100.64.1.2");
}
END_TEST

/* ---- uptime ------------------------------------------------------------ */

/* WIC-015: Uptime counts the seconds since the connection came up. */
START_TEST(wic015_uptime_counts_from_connect)
{
	connect_at(T0);
	ck_assert_uint_eq(conn_uptime(&c, T0), 0);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 1), 1);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 3600), 3600);
}
END_TEST

/* WIC-015: seeing the same Connected link again does not restart it. */
START_TEST(wic015_uptime_kept_while_connected)
{
	struct conn_link l = link_with(WAN_ADDR);

	connect_at(T0);
	(void)conn_observe(&c, &l, T0 + 30);
	(void)conn_observe(&c, &l, T0 + 60);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 90), 90);
}
END_TEST

/* WIC-015: a connection that is down has no uptime. */
START_TEST(wic015_uptime_zero_when_disconnected)
{
	struct conn_link down = link_no_carrier();

	connect_at(T0);
	(void)conn_observe(&c, &down, T0 + 100);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 100), 0);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 500), 0);
}
END_TEST

/* WIC-015: after a reconnect, Uptime counts from the new connection. */
START_TEST(wic015_reconnect_restarts_uptime)
{
	struct conn_link down = link_no_carrier();

	connect_at(T0);
	(void)conn_observe(&c, &down, T0 + 100);
	connect_at(T0 + 250);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 250), 0);
	ck_assert_uint_eq(conn_uptime(&c, T0 + 260), 10);
}
END_TEST

/* ---- address change ------------------------------------------------------ */

/* WIC-045: a new address while Connected is an ExternalIPAddress event. */
START_TEST(wic045_address_change_changes_address)
{
	struct conn_link l = link_with(WAN_ADDR2);

	connect_at(T0);
	ck_assert_uint_eq(conn_observe(&c, &l, T0 + 10) & CONN_CHANGED_ADDR,
	    CONN_CHANGED_ADDR);
	ck_assert_str_eq(ext_ip(), WAN_ADDR2);
}
END_TEST

/* WIC-043: the status did not change, so no ConnectionStatus event. */
START_TEST(wic043_address_change_keeps_status)
{
	struct conn_link l = link_with(WAN_ADDR2);

	connect_at(T0);
	ck_assert_uint_eq(conn_observe(&c, &l, T0 + 10), CONN_CHANGED_ADDR);
	ck_assert_int_eq(c.status, CONN_CONNECTED);
}
END_TEST

/* The same observation twice changes nothing the second time. */
START_TEST(conn_same_observation_changes_nothing)
{
	struct conn_link up = link_with(WAN_ADDR), down = link_no_carrier(),
	    noaddr = link_without_addr();

	(void)conn_observe(&c, &up, T0);
	ck_assert_uint_eq(conn_observe(&c, &up, T0 + 1), 0);
	(void)conn_observe(&c, &down, T0 + 2);
	ck_assert_uint_eq(conn_observe(&c, &down, T0 + 3), 0);
	(void)conn_observe(&c, &noaddr, T0 + 4);
	ck_assert_uint_eq(conn_observe(&c, &noaddr, T0 + 5), 0);
}
END_TEST

/* ---- carrier loss -------------------------------------------------------- */

/* VC-43: link down is ERROR_NO_CARRIER, and the status is Disconnected. */
START_TEST(vc043_carrier_loss_is_no_carrier)
{
	struct conn_link down = link_no_carrier();

	connect_at(T0);
	(void)conn_observe(&c, &down, T0 + 10);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");
}
END_TEST

/* VC-43: an interface that is down or gone is a link down too. */
START_TEST(vc043_interface_down_or_missing_is_no_carrier)
{
	struct conn_link l = link_with(WAN_ADDR);

	l.up = false;
	l.running = false;
	connect_at(T0);
	(void)conn_observe(&c, &l, T0 + 10);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");

	memset(&l, 0, sizeof(l));		/* no such interface */
	connect_at(T0 + 20);
	(void)conn_observe(&c, &l, T0 + 30);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_NO_CARRIER");
}
END_TEST

/* WIC-023: interface down: ExternalIPAddress is "", never 0.0.0.0. */
START_TEST(wic023_carrier_loss_address_empty)
{
	struct conn_link down = link_no_carrier();

	connect_at(T0);
	(void)conn_observe(&c, &down, T0 + 10);
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/* WIC-023: even if the interface keeps its address, no carrier is "". */
START_TEST(wic023_no_carrier_with_address_is_empty)
{
	struct conn_link l = link_with(WAN_ADDR);

	connect_at(T0);
	l.running = false;
	(void)conn_observe(&c, &l, T0 + 10);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/* WIC-043, WIC-045: losing the link changes status and address. */
START_TEST(wic043_wic045_carrier_loss_changes_both)
{
	struct conn_link down = link_no_carrier();

	connect_at(T0);
	ck_assert_uint_eq(conn_observe(&c, &down, T0 + 10),
	    CONN_CHANGED_STATUS | CONN_CHANGED_ADDR);
}
END_TEST

/* WIC-045: Unconfigured -> Disconnected keeps "" as "": no address event. */
START_TEST(wic045_first_down_changes_status_only)
{
	struct conn_link down = link_no_carrier();

	ck_assert_uint_eq(conn_observe(&c, &down, T0), CONN_CHANGED_STATUS);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/* ---- link without address ---------------------------------------------------- */

/* VC-43: carrier but no IPv4 address is ERROR_IP_CONFIGURATION. */
START_TEST(vc043_no_address_is_ip_configuration)
{
	struct conn_link l = link_without_addr();

	(void)conn_observe(&c, &l, T0);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_IP_CONFIGURATION");
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/* VC-43: losing the address while the link stays up, likewise. */
START_TEST(vc043_address_lost_is_ip_configuration)
{
	struct conn_link l = link_without_addr();

	connect_at(T0);
	ck_assert_uint_eq(conn_observe(&c, &l, T0 + 10),
	    CONN_CHANGED_STATUS | CONN_CHANGED_ADDR);
	ck_assert_int_eq(c.status, CONN_DISCONNECTED);
	ck_assert_str_eq(c.last_error, "ERROR_IP_CONFIGURATION");
	ck_assert_str_eq(ext_ip(), "");
}
END_TEST

/* ========================================================================== */
/* desc                                                                        */
/* ========================================================================== */

#define ROOT_UUID	"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

static struct desc_vars vars;
static char *out;

static void
desc_setup(void)
{
	memset(&vars, 0, sizeof(vars));
	vars.url_base = "http://192.168.1.1:49152";
	vars.friendly_name = "Home Gateway";
	vars.manufacturer = "ACME";
	vars.manufacturer_url = "http://acme.example/";
	vars.model_description = "A gateway";
	vars.model_name = "HG-1";
	vars.model_number = "1.0";
	vars.model_url = "http://acme.example/hg1";
	vars.serial_number = "SN42";
	vars.udn_root = "uuid:" ROOT_UUID;
	vars.udn_wan = "uuid:wan";
	vars.udn_wanconn = "uuid:wanconn";
	out = NULL;
}

static void
desc_teardown(void)
{
	free(out);
}

static const char *
render(const char *tmpl)
{
	free(out);
	out = desc_render(tmpl, &vars);
	ck_assert_ptr_nonnull(out);
	return out;
}

START_TEST(render_replaces_every_placeholder)
{
	ck_assert_str_eq(render("@URL_BASE@|@FRIENDLY_NAME@|@MANUFACTURER@|"
	    "@MANUFACTURER_URL@|@MODEL_DESCRIPTION@|@MODEL_NAME@|"
	    "@MODEL_NUMBER@|@MODEL_URL@|@SERIAL_NUMBER@|@UDN_ROOT@|"
	    "@UDN_WAN@|@UDN_WANCONN@"),
	    "http://192.168.1.1:49152|Home Gateway|ACME|http://acme.example/|"
	    "A gateway|HG-1|1.0|http://acme.example/hg1|SN42|uuid:" ROOT_UUID
	    "|uuid:wan|uuid:wanconn");
}
END_TEST

START_TEST(render_repeated_placeholder)
{
	ck_assert_str_eq(render("<a>@MODEL_NAME@</a><b>@MODEL_NAME@</b>"
	    "@MODEL_NAME@@MODEL_NAME@"), "<a>HG-1</a><b>HG-1</b>HG-1HG-1");
}
END_TEST

START_TEST(render_text_around_kept)
{
	ck_assert_str_eq(render("no placeholder at all"),
	    "no placeholder at all");
	ck_assert_str_eq(render(""), "");
}
END_TEST

START_TEST(render_value_xml_escaped)
{
	vars.friendly_name = "a&b<c>d\"e'f";
	ck_assert_str_eq(render("<friendlyName>@FRIENDLY_NAME@</friendlyName>"),
	    "<friendlyName>a&amp;b&lt;c&gt;d&quot;e&apos;f</friendlyName>");
}
END_TEST

/* Escaping applies to values, not to the template (already XML). */
START_TEST(render_template_not_escaped)
{
	ck_assert_str_eq(render("<x a=\"1\">&amp;'</x>"),
	    "<x a=\"1\">&amp;'</x>");
}
END_TEST

/* An inserted value is text, not more template. */
START_TEST(render_value_not_rescanned)
{
	vars.friendly_name = "@MODEL_NAME@";
	ck_assert_str_eq(render("@FRIENDLY_NAME@"), "@MODEL_NAME@");
}
END_TEST

START_TEST(render_empty_value)
{
	vars.serial_number = "";
	ck_assert_str_eq(render("<serialNumber>@SERIAL_NUMBER@</serialNumber>"),
	    "<serialNumber></serialNumber>");
}
END_TEST

START_TEST(render_unknown_placeholder_verbatim)
{
	ck_assert_str_eq(render("x @FOO@ y @model_name@"),
	    "x @FOO@ y @model_name@");
}
END_TEST

START_TEST(render_lone_at_verbatim)
{
	ck_assert_str_eq(render("a @ b"), "a @ b");
	ck_assert_str_eq(render("trailing @"), "trailing @");
	ck_assert_str_eq(render("@"), "@");
	ck_assert_str_eq(render("mail: root@example.org"),
	    "mail: root@example.org");
}
END_TEST

/* An '@' that starts no placeholder does not hide the next one. */
START_TEST(render_stray_at_before_placeholder)
{
	ck_assert_str_eq(render("root@example.org @MODEL_NAME@"),
	    "root@example.org HG-1");
	ck_assert_str_eq(render("@@MODEL_NAME@"), "@HG-1");
}
END_TEST

/* The shipped root description has no placeholder left once rendered. */
START_TEST(render_root_description)
{
	static const char *names[] = { "URL_BASE", "FRIENDLY_NAME",
	    "MANUFACTURER", "MANUFACTURER_URL", "MODEL_DESCRIPTION",
	    "MODEL_NAME", "MODEL_NUMBER", "MODEL_URL", "SERIAL_NUMBER",
	    "UDN_ROOT", "UDN_WAN", "UDN_WANCONN" };
	static const char *files[] = { "rootDesc2.xml", "rootDesc1.xml" };
	char ph[32];
	size_t f, i;

	for (f = 0; f < 2; f++) {
		ck_assert_ptr_nonnull(desc_text(files[f]));
		render(desc_text(files[f]));
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			ph[0] = '@';
			strcpy(ph + 1, names[i]);
			strcat(ph, "@");
			ck_assert_msg(strstr(out, ph) == NULL, "%s: %s left",
			    files[f], ph);
		}
		ck_assert_ptr_nonnull(strstr(out,
		    "<UDN>uuid:" ROOT_UUID "</UDN>"));
		ck_assert_ptr_nonnull(strstr(out,
		    "<friendlyName>Home Gateway</friendlyName>"));
	}
}
END_TEST

START_TEST(text_finds_descriptions)
{
	const char *t;

	ck_assert_ptr_nonnull(t = desc_text("rootDesc2.xml"));
	ck_assert_ptr_nonnull(strstr(t,
	    "urn:schemas-upnp-org:device:InternetGatewayDevice:2"));
	ck_assert_ptr_nonnull(t = desc_text("rootDesc1.xml"));
	ck_assert_ptr_nonnull(strstr(t,
	    "urn:schemas-upnp-org:device:InternetGatewayDevice:1"));
	ck_assert_ptr_nonnull(t = desc_text("WANIPConnection2.xml"));
	ck_assert_ptr_nonnull(strstr(t, "<scpd"));
}
END_TEST

START_TEST(text_unknown_is_null)
{
	ck_assert_ptr_null(desc_text("rootDesc3.xml"));
	ck_assert_ptr_null(desc_text("xml/rootDesc2.xml"));
	ck_assert_ptr_null(desc_text("rootdesc2.xml"));
	ck_assert_ptr_null(desc_text(""));
}
END_TEST

START_TEST(udn_0_is_root)
{
	char udn[42];

	desc_udn(ROOT_UUID, 0, udn);
	ck_assert_str_eq(udn, "uuid:" ROOT_UUID);
}
END_TEST

/* desc.h: the last hex digit pair XORed with n (0xf0 ^ 1, 0xf0 ^ 2). */
START_TEST(udn_n_xors_last_pair)
{
	char udn[42];

	desc_udn(ROOT_UUID, 1, udn);
	ck_assert_str_eq(udn, "uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f1");
	desc_udn(ROOT_UUID, 2, udn);
	ck_assert_str_eq(udn, "uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f2");
}
END_TEST

/* The three UDNs differ, but only in the last two hex digits. */
START_TEST(udn_differ_only_in_last_pair)
{
	static const char *roots[] = { ROOT_UUID,
	    "00000000-0000-0000-0000-000000000000",
	    "ffffffff-ffff-ffff-ffff-ffffffffffff",
	    "12345678-9abc-def0-1234-56789abcde03" };
	char u0[42], u1[42], u2[42];
	size_t i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		desc_udn(roots[i], 0, u0);
		desc_udn(roots[i], 1, u1);
		desc_udn(roots[i], 2, u2);
		ck_assert_uint_eq(strlen(u1), 41);
		ck_assert_uint_eq(strlen(u2), 41);
		ck_assert_int_eq(strncmp(u0, u1, 39), 0);
		ck_assert_int_eq(strncmp(u0, u2, 39), 0);
		ck_assert_str_ne(u0, u1);
		ck_assert_str_ne(u0, u2);
		ck_assert_str_ne(u1, u2);
		ck_assert(strspn(u1 + 39, "0123456789abcdef") == 2);
		ck_assert(strspn(u2 + 39, "0123456789abcdef") == 2);
	}
}
END_TEST

/* Same root, same UDNs: CPs see the same devices after a restart. */
START_TEST(udn_stable)
{
	char a[42], b[42];
	unsigned n;

	for (n = 0; n < 3; n++) {
		desc_udn(ROOT_UUID, n, a);
		desc_udn(ROOT_UUID, n, b);
		ck_assert_str_eq(a, b);
	}
}
END_TEST

/* ========================================================================== */
/* upnperr                                                                     */
/* ========================================================================== */

#define NAME(code)	upnperr_name((enum upnperr)(code))

/* VC-31: the Table 2-51 spellings where the 2010 text disagrees. */
START_TEST(vc031_table_2_51_spellings)
{
	ck_assert_str_eq(NAME(703), "InactiveConnectionStateRequired");
	ck_assert_str_eq(NAME(715), "WildCardNotPermittedInSrcIP");
	ck_assert_str_eq(NAME(716), "WildCardNotPermittedInExtPort");
	ck_assert_str_eq(NAME(729), "ConflictWithOtherMechanisms");
	ck_assert_str_eq(NAME(732), "WildCardNotPermittedInIntPort");
	ck_assert_str_eq(NAME(733), "InconsistentParameters");
}
END_TEST

/* Checklist section 2: the UDA codes. */
START_TEST(names_uda_codes)
{
	ck_assert_str_eq(NAME(401), "Invalid Action");
	ck_assert_str_eq(NAME(402), "Invalid Args");
	ck_assert_str_eq(NAME(501), "Action Failed");
	ck_assert_str_eq(NAME(600), "Argument Value Invalid");
	ck_assert_str_eq(NAME(601), "Argument Value Out of Range");
	ck_assert_str_eq(NAME(602), "Optional Action Not Implemented");
	ck_assert_str_eq(NAME(603), "Out of Memory");
	ck_assert_str_eq(NAME(605), "String Argument Too Long");
	ck_assert_str_eq(NAME(606), "Action not authorized");
}
END_TEST

/* Checklist section 2: the connection codes 703-711. */
START_TEST(names_connection_codes)
{
	ck_assert_str_eq(NAME(703), "InactiveConnectionStateRequired");
	ck_assert_str_eq(NAME(704), "ConnectionSetupFailed");
	ck_assert_str_eq(NAME(705), "ConnectionSetupInProgress");
	ck_assert_str_eq(NAME(706), "ConnectionNotConfigured");
	ck_assert_str_eq(NAME(707), "DisconnectInProgress");
	ck_assert_str_eq(NAME(708), "InvalidLayer2Address");
	ck_assert_str_eq(NAME(709), "InternetAccessDisabled");
	ck_assert_str_eq(NAME(710), "InvalidConnectionType");
	ck_assert_str_eq(NAME(711), "ConnectionAlreadyTerminated");
}
END_TEST

/* Checklist section 2: the port-mapping codes 713-733. */
START_TEST(names_mapping_codes)
{
	ck_assert_str_eq(NAME(713), "SpecifiedArrayIndexInvalid");
	ck_assert_str_eq(NAME(714), "NoSuchEntryInArray");
	ck_assert_str_eq(NAME(715), "WildCardNotPermittedInSrcIP");
	ck_assert_str_eq(NAME(716), "WildCardNotPermittedInExtPort");
	ck_assert_str_eq(NAME(718), "ConflictInMappingEntry");
	ck_assert_str_eq(NAME(728), "NoPortMapsAvailable");
	ck_assert_str_eq(NAME(729), "ConflictWithOtherMechanisms");
	ck_assert_str_eq(NAME(730), "PortMappingNotFound");
	ck_assert_str_eq(NAME(731), "ReadOnly");
	ck_assert_str_eq(NAME(732), "WildCardNotPermittedInIntPort");
	ck_assert_str_eq(NAME(733), "InconsistentParameters");
}
END_TEST

/* The enum's names and the table agree (one place to spell a code). */
START_TEST(names_by_enum)
{
	ck_assert_str_eq(upnperr_name(UPNPERR_CONFLICT_IN_MAPPING_ENTRY),
	    "ConflictInMappingEntry");
	ck_assert_str_eq(upnperr_name(UPNPERR_ACTION_NOT_AUTHORIZED),
	    "Action not authorized");
	ck_assert_str_eq(upnperr_name(UPNPERR_INCONSISTENT_PARAMETERS),
	    "InconsistentParameters");
}
END_TEST

/* WIC-103: 724-727 are never sent, so they have no entry of their own. */
START_TEST(wic103_deprecated_codes_have_no_name)
{
	ck_assert_str_eq(NAME(724), "Action Failed");
	ck_assert_str_eq(NAME(725), "Action Failed");
	ck_assert_str_eq(NAME(726), "Action Failed");
	ck_assert_str_eq(NAME(727), "Action Failed");
}
END_TEST

/*
 * WIC-105: codes 800-899 are never used: every fault the daemon sends is
 * an enum upnperr with its name from this table (device.c), and the table
 * has none of them.
 */
START_TEST(wic105_no_8xx_codes)
{
	int code;

	for (code = 800; code <= 899; code++)
		ck_assert_str_eq(NAME(code), "Action Failed");
}
END_TEST

/* upnperr.h: never NULL, "Action Failed" for a code it does not know. */
START_TEST(names_unknown_is_action_failed)
{
	static const int unknown[] = { 0, 1, 400, 500, 604, 700, 701, 702, 712,
	    717, 719, 723, 734, 800, 899, 999, -1 };
	size_t i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		ck_assert_ptr_nonnull(NAME(unknown[i]));
		ck_assert_str_eq(NAME(unknown[i]), "Action Failed");
	}
}
END_TEST

/* ========================================================================== */

/* VC-43: carrier back but no address yet: the cause is IP configuration. */
START_TEST(vc043_carrier_back_without_address_is_ip_configuration)
{
	struct conn_link down = link_no_carrier(), noaddr = link_without_addr();

	(void)conn_observe(&c, &down, T0);
	(void)conn_observe(&c, &noaddr, T0 + 10);
	ck_assert_str_eq(c.last_error, "ERROR_IP_CONFIGURATION");
}
END_TEST

/* WIC-023: an interface reporting 0.0.0.0 has no external address. */
START_TEST(wic023_zero_address_is_not_an_address)
{
	struct conn_link l = link_with("0.0.0.0");

	(void)conn_observe(&c, &l, T0);
	ck_assert_str_eq(ext_ip(), "");
	ck_assert_int_ne(c.status, CONN_CONNECTED);
}
END_TEST


static Suite *
conn_suite(void)
{
	Suite *s = suite_create("conn");
	TCase *tc;

	tc = tcase_create("initial state");
	tcase_add_checked_fixture(tc, conn_setup, NULL);
	tcase_add_test(tc, wic013_status_names);
	tcase_add_test(tc, conn_init_is_unconfigured);
	tcase_add_test(tc, wic023_init_address_empty);
	tcase_add_test(tc, wic015_init_uptime_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("connect");
	tcase_add_checked_fixture(tc, conn_setup, NULL);
	tcase_add_test(tc, vc035_link_and_address_is_connected);
	tcase_add_test(tc, vc043_connected_is_error_none);
	tcase_add_test(tc,
	    vc043_carrier_back_without_address_is_ip_configuration);
	tcase_add_test(tc, wic023_zero_address_is_not_an_address);
	tcase_add_test(tc, wic043_connect_changes_status);
	tcase_add_test(tc, wic045_connect_changes_address);
	tcase_add_test(tc, wic043_wic045_connect_changes_both);
	tcase_add_test(tc, wic022_connected_address_dotted_quad);
	tcase_add_test(tc, wic023_private_address_reported);
	suite_add_tcase(s, tc);

	tc = tcase_create("uptime");
	tcase_add_checked_fixture(tc, conn_setup, NULL);
	tcase_add_test(tc, wic015_uptime_counts_from_connect);
	tcase_add_test(tc, wic015_uptime_kept_while_connected);
	tcase_add_test(tc, wic015_uptime_zero_when_disconnected);
	tcase_add_test(tc, wic015_reconnect_restarts_uptime);
	suite_add_tcase(s, tc);

	tc = tcase_create("changes");
	tcase_add_checked_fixture(tc, conn_setup, NULL);
	tcase_add_test(tc, wic045_address_change_changes_address);
	tcase_add_test(tc, wic043_address_change_keeps_status);
	tcase_add_test(tc, conn_same_observation_changes_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("disconnect");
	tcase_add_checked_fixture(tc, conn_setup, NULL);
	tcase_add_test(tc, vc043_carrier_loss_is_no_carrier);
	tcase_add_test(tc, vc043_interface_down_or_missing_is_no_carrier);
	tcase_add_test(tc, wic023_carrier_loss_address_empty);
	tcase_add_test(tc, wic023_no_carrier_with_address_is_empty);
	tcase_add_test(tc, wic043_wic045_carrier_loss_changes_both);
	tcase_add_test(tc, wic045_first_down_changes_status_only);
	tcase_add_test(tc, vc043_no_address_is_ip_configuration);
	tcase_add_test(tc, vc043_address_lost_is_ip_configuration);
	suite_add_tcase(s, tc);

	return s;
}

static Suite *
desc_suite(void)
{
	Suite *s = suite_create("desc");
	TCase *tc;

	tc = tcase_create("render");
	tcase_add_checked_fixture(tc, desc_setup, desc_teardown);
	tcase_add_test(tc, render_replaces_every_placeholder);
	tcase_add_test(tc, render_repeated_placeholder);
	tcase_add_test(tc, render_text_around_kept);
	tcase_add_test(tc, render_value_xml_escaped);
	tcase_add_test(tc, render_template_not_escaped);
	tcase_add_test(tc, render_value_not_rescanned);
	tcase_add_test(tc, render_empty_value);
	tcase_add_test(tc, render_unknown_placeholder_verbatim);
	tcase_add_test(tc, render_lone_at_verbatim);
	tcase_add_test(tc, render_stray_at_before_placeholder);
	tcase_add_test(tc, render_root_description);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, text_finds_descriptions);
	tcase_add_test(tc, text_unknown_is_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("udn");
	tcase_add_test(tc, udn_0_is_root);
	tcase_add_test(tc, udn_n_xors_last_pair);
	tcase_add_test(tc, udn_differ_only_in_last_pair);
	tcase_add_test(tc, udn_stable);
	suite_add_tcase(s, tc);

	return s;
}

static Suite *
upnperr_suite(void)
{
	Suite *s = suite_create("upnperr");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, vc031_table_2_51_spellings);
	tcase_add_test(tc, names_uda_codes);
	tcase_add_test(tc, names_connection_codes);
	tcase_add_test(tc, names_mapping_codes);
	tcase_add_test(tc, names_by_enum);
	tcase_add_test(tc, wic103_deprecated_codes_have_no_name);
	tcase_add_test(tc, wic105_no_8xx_codes);
	tcase_add_test(tc, names_unknown_is_action_failed);
	suite_add_tcase(s, tc);

	return s;
}

/* --- pmlist: the PortMappingList fragment ---------------------------- */

#define PML_NS	"urn:schemas-upnp-org:gw:WANIPConnection"
#define PML_ROOT \
	"<p:PortMappingList xmlns:p=\"" PML_NS "\" " \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" " \
	"xsi:schemaLocation=\"" PML_NS " " \
	"http://www.upnp.org/schemas/gw/WANIPConnection-v2.xsd\">"

/*
 * WIC-206, WIC-207, WIC-208, WIC-209: one root, no XML declaration, the
 * eight fields as p: elements in order, NewDescription and NewLeaseTime.
 */
START_TEST(wic207_entry_fields_in_order)
{
	struct pmlist l;
	struct pmlist_entry e = { "", 2345, "TCP", 80, "192.168.1.137", true,
	    "doom", 345 };
	char *x;

	pmlist_begin(&l);
	pmlist_add(&l, &e);
	x = pmlist_end(&l);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x, PML_ROOT "<p:PortMappingEntry>"
	    "<p:NewRemoteHost></p:NewRemoteHost>"
	    "<p:NewExternalPort>2345</p:NewExternalPort>"
	    "<p:NewProtocol>TCP</p:NewProtocol>"
	    "<p:NewInternalPort>80</p:NewInternalPort>"
	    "<p:NewInternalClient>192.168.1.137</p:NewInternalClient>"
	    "<p:NewEnabled>1</p:NewEnabled>"
	    "<p:NewDescription>doom</p:NewDescription>"
	    "<p:NewLeaseTime>345</p:NewLeaseTime>"
	    "</p:PortMappingEntry></p:PortMappingList>");
	free(x);
}
END_TEST

/* VC-24, WIC-210: values are entity-escaped, so no "]]>" can appear. */
START_TEST(vc24_values_escaped)
{
	struct pmlist l;
	struct pmlist_entry e = { "203.0.113.9", 1, "UDP", 2, "10.0.0.2",
	    false, "<&>\"' ]]>", 0 };
	char *x;

	pmlist_begin(&l);
	pmlist_add(&l, &e);
	x = pmlist_end(&l);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(strstr(x, "<p:NewDescription>&lt;&amp;&gt;"
	    "&quot;&apos; ]]&gt;</p:NewDescription>"));
	ck_assert_ptr_null(strstr(x, "]]>"));
	ck_assert_ptr_nonnull(strstr(x, "<p:NewEnabled>0</p:NewEnabled>"));
	free(x);
}
END_TEST

/* Many entries: the buffer grows and keeps every entry. */
START_TEST(pmlist_grows)
{
	struct pmlist l;
	struct pmlist_entry e = { "", 0, "TCP", 1, "10.0.0.2", true, "d", 1 };
	unsigned i, n = 0;
	char *x, *p;

	pmlist_begin(&l);
	for (i = 0; i < 1000; i++) {
		e.external_port = (uint16_t)(1024 + i);
		pmlist_add(&l, &e);
	}
	x = pmlist_end(&l);
	ck_assert_ptr_nonnull(x);
	for (p = x; (p = strstr(p, "<p:PortMappingEntry>")) != NULL; p++)
		n++;
	ck_assert_uint_eq(n, 1000);
	ck_assert_ptr_nonnull(strstr(x,
	    "<p:NewExternalPort>2023</p:NewExternalPort>"));
	free(x);
}
END_TEST

static Suite *
pmlist_suite(void)
{
	Suite *s = suite_create("pmlist");
	TCase *tc = tcase_create("fragment");

	tcase_add_test(tc, wic207_entry_fields_in_order);
	tcase_add_test(tc, vc24_values_escaped);
	tcase_add_test(tc, pmlist_grows);
	suite_add_tcase(s, tc);
	return s;
}

/* --- strbuf: the growing text buffer -------------------------------- */

/* Text past the first allocation and many doublings, NUL-terminated. */
START_TEST(strbuf_grows_and_terminates)
{
	struct strbuf b = STRBUF_INIT;
	char chunk[1000], *x;
	size_t i;

	memset(chunk, 'a', sizeof(chunk));
	for (i = 0; i < 100; i++)
		strbuf_add(&b, chunk, sizeof(chunk));
	strbuf_puts(&b, "end");
	ck_assert(!b.nomem);
	ck_assert_uint_eq(b.len, 100003);
	ck_assert_uint_ge(b.cap, b.len + 1);
	ck_assert_str_eq(b.p + 100000, "end");
	x = strbuf_take(&b);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(strlen(x), 100003);
	free(x);
}
END_TEST

/* take with nothing added: "", not NULL; reset keeps the memory. */
START_TEST(strbuf_empty_and_reset)
{
	struct strbuf b = STRBUF_INIT;
	char *x, *p;

	x = strbuf_take(&b);
	ck_assert_str_eq(x, "");
	free(x);
	strbuf_puts(&b, "abc");
	p = b.p;
	strbuf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_eq(b.p, p);
	ck_assert_str_eq(b.p, "");
	strbuf_puts(&b, "de");
	ck_assert_str_eq(b.p, "de");
	strbuf_free(&b);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.cap, 0);
}
END_TEST

/* After a failure nothing more is added, and take says so with NULL. */
START_TEST(strbuf_nomem_sticks)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_puts(&b, "abc");
	strbuf_add(&b, "x", (size_t)-1 / 2);	/* cannot be had */
	ck_assert(b.nomem);
	strbuf_puts(&b, "def");
	ck_assert_uint_eq(b.len, 3);
	ck_assert_ptr_null(strbuf_take(&b));
	ck_assert_ptr_null(b.p);
	ck_assert(!b.nomem);
}
END_TEST

static Suite *
strbuf_suite(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("buffer");

	tcase_add_test(tc, strbuf_grows_and_terminates);
	tcase_add_test(tc, strbuf_empty_and_reset);
	tcase_add_test(tc, strbuf_nomem_sticks);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conn_suite());
	int failed;

	srunner_add_suite(sr, desc_suite());
	srunner_add_suite(sr, upnperr_suite());
	srunner_add_suite(sr, pmlist_suite());
	srunner_add_suite(sr, strbuf_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
