/*
 * Unit tests for msearch, the daemon's answers to SSDP searches: the
 * M-SEARCH forms real clients send (LEG-01) and the refusals, the targets
 * read from the served descriptions, the answers to each ST of LEG-03 at
 * v1 and v2 (VC-50) and to none other, the delay below MX, and the
 * answer's text.
 */
#include "msearch.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desc.h"

#define LIT(s)		s, sizeof(s) - 1
#define URN		"urn:schemas-upnp-org:"
#define UDN_ROOT	"uuid:11111111-2222-3333-4444-555555555500"
#define WAN_HEX		"11111111-2222-3333-4444-555555555501"
#define UDN_WAN		"uuid:" WAN_HEX
#define UDN_CONN	"uuid:11111111-2222-3333-4444-555555555502"

/* Windows XP's search, with its extra CRLF (checklist 6.1). */
static const char xp[] =
    "M-SEARCH * HTTP/1.1\r\n"
    "Host:239.255.255.250:1900\r\n"
    "ST:upnp:rootdevice\r\n"
    "Man:\"ssdp:discover\"\r\n"
    "MX:3\r\n"
    "\r\n"
    "\r\n";

static enum msearch_status
parse(const char *text, struct msearch *m)
{
	return msearch_parse(text, strlen(text), m);
}

START_TEST(parse_client_forms)
{
	struct msearch m;

	ck_assert_int_eq(msearch_parse(LIT(xp), &m), MSEARCH_OK);
	ck_assert_str_eq(m.st, "upnp:rootdevice");
	ck_assert_uint_eq(m.mx, 3);
	ck_assert_int_eq(parse("M-SEARCH * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
	    "MX: 1\r\nST: ssdp:all\r\n\r\n", &m), MSEARCH_OK);
	ck_assert_str_eq(m.st, "ssdp:all");
	ck_assert_uint_eq(m.mx, 1);
	/* bare LF, no Host, MX 0 */
	ck_assert_int_eq(parse("M-SEARCH * HTTP/1.1\nMAN: \"SSDP:DISCOVER\"\n"
	    "mx:0\nst: " URN "service:WANIPConnection:1\n\n", &m), MSEARCH_OK);
	ck_assert_str_eq(m.st, URN "service:WANIPConnection:1");
	ck_assert_uint_eq(m.mx, 0);
	/* a large MX counts as 5 (UDA 1.1) */
	ck_assert_int_eq(parse("M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\n"
	    "MX: 120000000000000000000\r\nST: ssdp:all\r\n\r\n", &m),
	    MSEARCH_OK);
	ck_assert_uint_eq(m.mx, MSEARCH_MX_MAX);
}
END_TEST

START_TEST(parse_refusals)
{
	static const char *const bad[] = {
		/* no blank line: cut short */
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
		    "ST: ssdp:all\r\n",
		/* MAN missing, unquoted, other */
		"M-SEARCH * HTTP/1.1\r\nMX: 1\r\nST: ssdp:all\r\n\r\n",
		"M-SEARCH * HTTP/1.1\r\nMAN: ssdp:discover\r\nMX: 1\r\n"
		    "ST: ssdp:all\r\n\r\n",
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:alive\"\r\nMX: 1\r\n"
		    "ST: ssdp:all\r\n\r\n",
		/* MX missing, empty, not a number, negative */
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\n"
		    "ST: ssdp:all\r\n\r\n",
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX:\r\n"
		    "ST: ssdp:all\r\n\r\n",
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1s\r\n"
		    "ST: ssdp:all\r\n\r\n",
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: -1\r\n"
		    "ST: ssdp:all\r\n\r\n",
		/* ST missing, empty, with white space */
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n\r\n",
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
		    "ST:\r\n\r\n",
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
		    "ST: ssdp: all\r\n\r\n",
		/* a target other than "*", a version other than 1.x */
		"M-SEARCH / HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
		    "ST: ssdp:all\r\n\r\n",
		"M-SEARCH * HTTP/2.0\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
		    "ST: ssdp:all\r\n\r\n",
		/* a control byte */
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
		    "ST: ssdp:\001all\r\n\r\n",
		"",
	};
	struct msearch m;
	char st[MSEARCH_ST_MAX + 2], msg[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i], &m) == MSEARCH_BAD, "case %zu", i);
	/* ST of MSEARCH_ST_MAX bytes is taken, one more is not */
	memset(st, 'a', sizeof(st));
	st[MSEARCH_ST_MAX] = '\0';
	snprintf(msg, sizeof(msg), "M-SEARCH * HTTP/1.1\r\nMAN: "
	    "\"ssdp:discover\"\r\nMX: 1\r\nST: %s\r\n\r\n", st);
	ck_assert_int_eq(parse(msg, &m), MSEARCH_OK);
	ck_assert_str_eq(m.st, st);
	st[MSEARCH_ST_MAX] = 'a';
	st[MSEARCH_ST_MAX + 1] = '\0';
	snprintf(msg, sizeof(msg), "M-SEARCH * HTTP/1.1\r\nMAN: "
	    "\"ssdp:discover\"\r\nMX: 1\r\nST: %s\r\n\r\n", st);
	ck_assert_int_eq(parse(msg, &m), MSEARCH_BAD);
	/* other SSDP messages */
	ck_assert_int_eq(parse("NOTIFY * HTTP/1.1\r\nNTS: ssdp:alive\r\n\r\n",
	    &m), MSEARCH_OTHER);
	ck_assert_int_eq(parse("HTTP/1.1 200 OK\r\nST: x\r\n\r\n", &m),
	    MSEARCH_BAD);
}
END_TEST

/* The targets of the description served as rootDescV.xml. */
static void
targets(int version, struct msearch_targets *t)
{
	struct desc_vars v = { .url_base = "http://192.168.1.1:49152",
	    .friendly_name = "gw", .udn_root = UDN_ROOT, .udn_wan = UDN_WAN,
	    .udn_wanconn = UDN_CONN };
	char *text;

	text = desc_render(desc_text(version == 1 ? "rootDesc1.xml" :
	    "rootDesc2.xml"), &v);
	ck_assert_ptr_nonnull(text);
	ck_assert(msearch_targets(text, t));
	free(text);
}

START_TEST(targets_of_descriptions)
{
	struct msearch_targets t;

	targets(2, &t);
	ck_assert_uint_eq(t.ndev, 3);
	ck_assert_str_eq(t.dev[0].type, URN "device:InternetGatewayDevice:2");
	ck_assert_str_eq(t.dev[0].udn, UDN_ROOT);
	ck_assert_str_eq(t.dev[1].type, URN "device:WANDevice:2");
	ck_assert_str_eq(t.dev[1].udn, UDN_WAN);
	ck_assert_str_eq(t.dev[2].type, URN "device:WANConnectionDevice:2");
	ck_assert_str_eq(t.dev[2].udn, UDN_CONN);
	ck_assert_uint_eq(t.nsvc, 2);
	ck_assert_str_eq(t.svc[0].type,
	    URN "service:WANCommonInterfaceConfig:1");
	ck_assert_str_eq(t.svc[0].udn, UDN_WAN);
	ck_assert_str_eq(t.svc[1].type, URN "service:WANIPConnection:2");
	ck_assert_str_eq(t.svc[1].udn, UDN_CONN);
	targets(1, &t);
	ck_assert_str_eq(t.dev[0].type, URN "device:InternetGatewayDevice:1");
	ck_assert_str_eq(t.svc[1].type, URN "service:WANIPConnection:1");
}
END_TEST

START_TEST(targets_refused)
{
	static const char *const bad[] = {
		"",
		"<root><device></device></root>",
		"<UDN>uuid:a</UDN><deviceType>t:1</deviceType>",
		"<serviceType>s:1</serviceType><deviceType>t:1</deviceType>"
		    "<UDN>uuid:a</UDN>",
		"<deviceType>t:1</deviceType><serviceType>s:1</serviceType>"
		    "<UDN>uuid:a</UDN>",
		"<deviceType>t:1</deviceType><UDN>uuid:a</UDN><UDN>uuid:b</UDN>",
		"<deviceType>t:1</deviceType>",
		"<deviceType> </deviceType><UDN>uuid:a</UDN>",
		"<deviceType>t:1</deviceType><UDN>uuid:a",
	};
	struct msearch_targets t;
	char many[2048], long_type[MSEARCH_NAME_MAX + 64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!msearch_targets(bad[i], &t), "case %zu", i);
		ck_assert_uint_eq(t.ndev, 0);
	}
	many[0] = '\0';
	for (i = 0; i <= MSEARCH_DEVICES; i++)
		strcat(many, "<deviceType>t:1</deviceType><UDN>uuid:a</UDN>");
	ck_assert(!msearch_targets(many, &t));
	memset(long_type, 'x', sizeof(long_type));
	snprintf(long_type + MSEARCH_NAME_MAX, 64, "</deviceType>");
	snprintf(many, sizeof(many), "<deviceType>%s<UDN>uuid:a</UDN>",
	    long_type);
	ck_assert(!msearch_targets(many, &t));
	/* white space around values is not part of them */
	ck_assert(msearch_targets("<deviceType>\n  t:1 </deviceType>"
	    "<UDN> uuid:a\n</UDN>", &t));
	ck_assert_str_eq(t.dev[0].type, "t:1");
	ck_assert_str_eq(t.dev[0].udn, "uuid:a");
}
END_TEST

struct got {
	char	 text[MSEARCH_ANSWERS_MAX + 1][512];
	size_t	 n;
};

static void
record(void *ctx, const struct msearch_hit *h)
{
	struct got *g = ctx;

	ck_assert_uint_lt(g->n, MSEARCH_ANSWERS_MAX);
	snprintf(g->text[g->n++], sizeof(g->text[0]), "%s|%s%s%s|%s", h->st,
	    h->udn, h->suffix != NULL ? "::" : "",
	    h->suffix != NULL ? h->suffix : "", h->lower ? "lower" : "desc");
}

static size_t
match(const struct msearch_targets *t, const char *st, struct got *g)
{
	size_t n;

	memset(g, 0, sizeof(*g));
	n = msearch_match(t, st, record, g);
	ck_assert_uint_eq(n, g->n);
	return n;
}

START_TEST(match_all_and_root)
{
	static const char *const all[] = {
		"upnp:rootdevice|" UDN_ROOT "::upnp:rootdevice|desc",
		UDN_ROOT "|" UDN_ROOT "|desc",
		URN "device:InternetGatewayDevice:2|" UDN_ROOT "::" URN
		    "device:InternetGatewayDevice:2|desc",
		UDN_WAN "|" UDN_WAN "|desc",
		URN "device:WANDevice:2|" UDN_WAN "::" URN
		    "device:WANDevice:2|desc",
		UDN_CONN "|" UDN_CONN "|desc",
		URN "device:WANConnectionDevice:2|" UDN_CONN "::" URN
		    "device:WANConnectionDevice:2|desc",
		URN "service:WANCommonInterfaceConfig:1|" UDN_WAN "::" URN
		    "service:WANCommonInterfaceConfig:1|desc",
		URN "service:WANIPConnection:2|" UDN_CONN "::" URN
		    "service:WANIPConnection:2|desc",
	};
	struct msearch_targets t;
	struct got g;
	size_t i;

	targets(2, &t);
	ck_assert_uint_eq(match(&t, "ssdp:all", &g), 9);
	for (i = 0; i < 9; i++)
		ck_assert_str_eq(g.text[i], all[i]);
	ck_assert_uint_eq(match(&t, "upnp:rootdevice", &g), 1);
	ck_assert_str_eq(g.text[0], all[0]);
	ck_assert_uint_eq(match(&t, "UUID:" WAN_HEX, &g), 1);
	ck_assert_str_eq(g.text[0], "UUID:" WAN_HEX "|" UDN_WAN "|desc");
	ck_assert_uint_eq(match(&t, "uuid:11111111-2222-3333-4444-555555555503",
	    &g), 0);
	ck_assert_uint_eq(match(&t, "ssdp:alll", &g), 0);
	ck_assert_uint_eq(match(&t, "upnp:rootdevice:1", &g), 0);
}
END_TEST

/* LEG-03, VC-50: the version asked, the v1 description below ours. */
START_TEST(match_versions)
{
	struct msearch_targets t;
	struct got g;

	targets(2, &t);
	ck_assert_uint_eq(match(&t, URN "device:InternetGatewayDevice:1", &g),
	    1);
	ck_assert_str_eq(g.text[0], URN "device:InternetGatewayDevice:1|"
	    UDN_ROOT "::" URN "device:InternetGatewayDevice:1|lower");
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection:1", &g), 1);
	ck_assert_str_eq(g.text[0], URN "service:WANIPConnection:1|" UDN_CONN
	    "::" URN "service:WANIPConnection:1|lower");
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection:2", &g), 1);
	ck_assert_str_eq(g.text[0], URN "service:WANIPConnection:2|" UDN_CONN
	    "::" URN "service:WANIPConnection:2|desc");
	ck_assert_uint_eq(match(&t, URN "device:WANDevice:1", &g), 1);
	ck_assert_uint_eq(match(&t, URN "device:WANConnectionDevice:1", &g),
	    1);
	ck_assert_uint_eq(match(&t, URN "service:WANCommonInterfaceConfig:1",
	    &g), 1);
	ck_assert_str_eq(g.text[0], URN "service:WANCommonInterfaceConfig:1|"
	    UDN_WAN "::" URN "service:WANCommonInterfaceConfig:1|desc");
	/* case of the type as the client wrote it, echoed */
	ck_assert_uint_eq(match(&t, "URN:Schemas-UPnP-org:service:"
	    "wanipconnection:1", &g), 1);
	ck_assert_str_eq(g.text[0], "URN:Schemas-UPnP-org:service:"
	    "wanipconnection:1|" UDN_CONN "::URN:Schemas-UPnP-org:service:"
	    "wanipconnection:1|lower");
	/* above ours, no version, version 0 or not a number, another type */
	ck_assert_uint_eq(match(&t, URN "device:InternetGatewayDevice:3", &g),
	    0);
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection:10", &g), 0);
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection:", &g), 0);
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection", &g), 0);
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection:0", &g), 0);
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection:1x", &g), 0);
	ck_assert_uint_eq(match(&t, URN "service:WANPPPConnection:1", &g), 0);
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnectio:1", &g), 0);
	ck_assert_uint_eq(match(&t, URN "device:WANIPConnection:1", &g), 0);
	/* an IGD:1 device: v1 is its own version, v2 is above it */
	targets(1, &t);
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection:1", &g), 1);
	ck_assert_str_eq(g.text[0], URN "service:WANIPConnection:1|" UDN_CONN
	    "::" URN "service:WANIPConnection:1|desc");
	ck_assert_uint_eq(match(&t, URN "service:WANIPConnection:2", &g), 0);
	/* no targets: nothing */
	memset(&t, 0, sizeof(t));
	ck_assert_uint_eq(match(&t, "ssdp:all", &g), 0);
}
END_TEST

START_TEST(delay_below_mx)
{
	uint32_t r;

	for (r = 0; r < 1000; r++) {
		ck_assert_uint_eq(msearch_delay(0, r), 0);
		ck_assert_uint_eq(msearch_delay(1, r), 0);
		ck_assert_uint_eq(msearch_delay(2, r), 0);
		ck_assert_uint_eq(msearch_delay(3, r), r % 2);
		ck_assert_uint_eq(msearch_delay(4, r), r % 3);
		ck_assert_uint_eq(msearch_delay(5, r), r % 4);
		ck_assert_uint_eq(msearch_delay(120, r), r % 4);
	}
	ck_assert_uint_eq(msearch_delay(5, UINT32_MAX), UINT32_MAX % 4);
}
END_TEST

START_TEST(format_answer)
{
	struct msearch_vars v = { 1800, "Sun, 22 Nov 2026 14:58:49 GMT",
	    "http://192.168.1.1:49152/rootDesc2.xml",
	    "http://192.168.1.1:49152/rootDesc1.xml",
	    "3874c344-e685-11f1-a158-82e7fbee8d6a",
	    "Linux/6.1, UPnP/1.0, Portable SDK for UPnP devices/1.8.4" };
	struct msearch_hit h = { "upnp:rootdevice", UDN_ROOT,
	    "upnp:rootdevice", false };
	static const char want[] =
	    "HTTP/1.1 200 OK\r\n"
	    "CACHE-CONTROL: max-age=1800\r\n"
	    "DATE: Sun, 22 Nov 2026 14:58:49 GMT\r\n"
	    "EXT:\r\n"
	    "LOCATION: http://192.168.1.1:49152/rootDesc2.xml\r\n"
	    "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
	    "01-NLS: 3874c344-e685-11f1-a158-82e7fbee8d6a\r\n"
	    "SERVER: Linux/6.1, UPnP/1.0, Portable SDK for UPnP devices/1.8.4\r\n"
	    "ST: upnp:rootdevice\r\n"
	    "USN: " UDN_ROOT "::upnp:rootdevice\r\n"
	    "\r\n";
	char buf[MSEARCH_ANSWER_MAX];

	ck_assert_uint_eq(msearch_format(buf, sizeof(buf), &v, &h),
	    sizeof(want) - 1);
	ck_assert_str_eq(buf, want);
	/* exactly the room needed, and one byte less */
	ck_assert_uint_eq(msearch_format(buf, sizeof(want), &v, &h),
	    sizeof(want) - 1);
	ck_assert_uint_eq(msearch_format(buf, sizeof(want) - 1, &v, &h), 0);
	/* the lower description; a UDN alone; no 01-NLS known yet */
	h = (struct msearch_hit){ UDN_WAN, UDN_WAN, NULL, true };
	v.nls = "";
	ck_assert_uint_gt(msearch_format(buf, sizeof(buf), &v, &h), 0);
	ck_assert_ptr_nonnull(strstr(buf,
	    "\r\nLOCATION: http://192.168.1.1:49152/rootDesc1.xml\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\nUSN: " UDN_WAN "\r\n\r\n"));
	ck_assert_ptr_null(strstr(buf, "OPT:"));
	ck_assert_ptr_null(strstr(buf, "01-NLS"));
}
END_TEST

static Suite *
msearch_suite(void)
{
	Suite *s = suite_create("msearch");
	TCase *tc = tcase_create("msearch");

	tcase_add_test(tc, parse_client_forms);
	tcase_add_test(tc, parse_refusals);
	tcase_add_test(tc, targets_of_descriptions);
	tcase_add_test(tc, targets_refused);
	tcase_add_test(tc, match_all_and_root);
	tcase_add_test(tc, match_versions);
	tcase_add_test(tc, delay_below_mx);
	tcase_add_test(tc, format_answer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(msearch_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
