/*
 * check_ctl: the control socket's line protocol and the lease file's text
 * (src/ctlproto.c, src/lease.c), as igd2ctl(8) and lease.h document them.
 */
#include "ctlproto.h"
#include "lease.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ctlproto_req req;

/* Parses a copy of text; returns the error or NULL. */
static const char *
request(const char *text)
{
	static char line[CTLPROTO_LINE_MAX * 2];

	ck_assert_uint_lt(strlen(text), sizeof(line));
	strcpy(line, text);
	return ctlproto_parse_request(line, &req);
}

static void
request_ok(const char *text)
{
	const char *why = request(text);

	ck_assert_msg(why == NULL, "%s: %s", text, why);
}

static void
request_bad(const char *text, const char *msg)
{
	const char *why = request(text);

	ck_assert_msg(why != NULL, "%s: accepted", text);
	ck_assert_str_eq(why, msg);
}

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* ---- requests ------------------------------------------------------------- */

START_TEST(simple_commands)
{
	request_ok("status");
	ck_assert_int_eq(req.cmd, CTL_STATUS);
	request_ok("  list\t");
	ck_assert_int_eq(req.cmd, CTL_LIST);
	request_ok("flush");
	ck_assert_int_eq(req.cmd, CTL_FLUSH);
	request_ok("reload");
	ck_assert_int_eq(req.cmd, CTL_RELOAD);
	request_ok("wan up");
	ck_assert_int_eq(req.cmd, CTL_WAN_UP);
	request_ok("wan down");
	ck_assert_int_eq(req.cmd, CTL_WAN_DOWN);
	request_ok("wan address=203.0.113.9");
	ck_assert_int_eq(req.cmd, CTL_WAN_ADDRESS);
	ck_assert_uint_eq(req.addr.s_addr, ip("203.0.113.9").s_addr);
}
END_TEST

START_TEST(add_fields)
{
	request_ok("add proto=udp eport=80 client=192.168.1.10 iport=8080 "
	    "lease=0 remote=203.0.113.2 enabled=0 desc=a%20b%25c%3D");
	ck_assert_int_eq(req.cmd, CTL_ADD);
	ck_assert_int_eq(req.m.key.proto, PORTMAP_UDP);
	ck_assert_uint_eq(req.m.key.eport, 80);
	ck_assert_uint_eq(req.m.key.remote_host.s_addr,
	    ip("203.0.113.2").s_addr);
	ck_assert_uint_eq(req.m.internal_client.s_addr,
	    ip("192.168.1.10").s_addr);
	ck_assert_uint_eq(req.m.internal_port, 8080);
	ck_assert(!req.m.enabled);
	ck_assert_uint_eq(req.lease, 0);
	ck_assert_str_eq(req.m.desc, "a b%c=");
	ck_assert_int_eq(req.m.origin, PORTMAP_ORIGIN_ADMIN);
	/* Defaults: enabled, static, wildcard remote, empty description. */
	request_ok("add proto=TCP eport=1 client=10.0.0.1 iport=65535");
	ck_assert(req.m.enabled);
	ck_assert_uint_eq(req.lease, 0);
	ck_assert_uint_eq(req.m.key.remote_host.s_addr, 0);
	ck_assert_str_eq(req.m.desc, "");
	request_ok("add proto=TCP eport=1 client=10.0.0.1 iport=1 "
	    "lease=604800 remote=");
	ck_assert_uint_eq(req.lease, 604800);
}
END_TEST

START_TEST(add_errors)
{
	request_bad("add eport=1 client=10.0.0.1 iport=1",
	    "proto: expected TCP or UDP");
	request_bad("add proto=SCTP eport=1 client=10.0.0.1 iport=1",
	    "proto: expected TCP or UDP");
	request_bad("add proto=TCP eport=0 client=10.0.0.1 iport=1",
	    "eport: expected a port 1-65535");
	request_bad("add proto=TCP eport=65536 client=10.0.0.1 iport=1",
	    "eport: expected a port 1-65535");
	request_bad("add proto=TCP eport=-1 client=10.0.0.1 iport=1",
	    "eport: expected a port 1-65535");
	request_bad("add proto=TCP eport=0x10 client=10.0.0.1 iport=1",
	    "eport: expected a port 1-65535");
	request_bad("add proto=TCP eport=1 client=0.0.0.0 iport=1",
	    "client: expected an IPv4 address");
	request_bad("add proto=TCP eport=1 client=host iport=1",
	    "client: expected an IPv4 address");
	request_bad("add proto=TCP eport=1 client=10.0.0.1 iport=",
	    "iport: expected a port 1-65535");
	request_bad("add proto=TCP eport=1 client=10.0.0.1 iport=1 "
	    "lease=604801", "lease: expected 0 (static) to 604800 seconds");
	request_bad("add proto=TCP eport=1 client=10.0.0.1 iport=1 "
	    "lease=99999999999999999999999", "lease: expected 0 (static) to "
	    "604800 seconds");
	request_bad("add proto=TCP eport=1 client=10.0.0.1 iport=1 enabled=2",
	    "enabled: expected 0 or 1");
	request_bad("add proto=TCP eport=1 client=10.0.0.1 iport=1 "
	    "remote=x", "remote: expected an IPv4 address");
	request_bad("add proto=TCP eport=1 client=10.0.0.1 iport=1 "
	    "origin=upnp", "unknown key");
	request_bad("add proto=TCP eport=1 client=10.0.0.1 iport=1 x=1",
	    "unknown key");
}
END_TEST

START_TEST(line_errors)
{
	request_bad("", "empty line");
	request_bad("   ", "empty line");
	request_bad("frobnicate", "unknown command");
	request_bad("status x=1", "unknown key");
	request_bad("list extra", "unexpected word");
	request_bad("add proto=TCP proto=UDP", "repeated key");
	request_bad("add =1", "empty key");
	request_bad("add proto=TCP eport=1 word", "expected key=value");
	request_bad("add desc=%zz", "bad %-escape");
	request_bad("add desc=%4", "bad %-escape");
	request_bad("add desc=%00", "bad %-escape");
	request_bad("add desc=a\001b", "control character in line");
	request_bad("wan", "wan: expected up, down or address=A.B.C.D");
	request_bad("wan sideways", "wan: expected up, down or address=A.B.C.D");
	request_bad("wan up down", "expected key=value");
	request_bad("wan address=1.2.3", "address: expected an IPv4 address");
	request_bad("delete proto=TCP eport=1 client=10.0.0.1", "unknown key");
	request_bad("add a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9 j=10 k=11 l=12 m=13 "
	    "n=14 o=15 p=16 q=17", "too many fields");
}
END_TEST

START_TEST(delete_key)
{
	request_ok("delete proto=TCP eport=8080");
	ck_assert_int_eq(req.cmd, CTL_DELETE);
	ck_assert_uint_eq(req.m.key.eport, 8080);
	ck_assert_uint_eq(req.m.key.remote_host.s_addr, 0);
	request_ok("delete proto=UDP eport=53 remote=198.51.100.1");
	ck_assert_uint_eq(req.m.key.remote_host.s_addr,
	    ip("198.51.100.1").s_addr);
}
END_TEST

START_TEST(encode_round_trip)
{
	char buf[3 * 256 + 1], line[1200];
	const char *s = "h\xc3\xa9llo w%rld=1\t\x7f\xff";
	struct ctlproto_line l;
	size_t n;

	n = ctlproto_encode(s, buf, sizeof(buf));
	ck_assert_str_eq(buf, "h%C3%A9llo%20w%25rld%3D1%09%7F%FF");
	ck_assert_uint_eq(n, strlen(buf));
	/* Too small: the length it would need, cut output, NUL-terminated. */
	ck_assert_uint_eq(ctlproto_encode(s, buf, 4), n);
	ck_assert_uint_eq(strlen(buf), 3);
	snprintf(line, sizeof(line), "x desc=%s", "h%C3%A9llo%20w%25rld%3D1%09"
	    "%7F%FF");
	ck_assert_ptr_null(ctlproto_split(line, &l));
	ck_assert_str_eq(ctlproto_get(&l, "desc"), s);
}
END_TEST

/* ---- the lease file --------------------------------------------------------- */

static struct lease_entry got[8];
static size_t ngot;
static unsigned badline[8];
static const char *badwhy[8];
static size_t nbad;

static void
on_entry(const struct lease_entry *e, void *arg)
{
	(void)arg;
	ck_assert_uint_lt(ngot, 8);
	got[ngot++] = *e;
}

static void
on_error(unsigned line, const char *why, void *arg)
{
	(void)arg;
	ck_assert_uint_lt(nbad, 8);
	badline[nbad] = line;
	badwhy[nbad++] = why;
}

static struct lease_counts
parse_leases(const char *text, size_t len, uint64_t now)
{
	static char buf[8192];
	struct lease_counts c;

	ck_assert_uint_lt(len, sizeof(buf));
	memcpy(buf, text, len);
	ngot = nbad = 0;
	lease_parse(buf, len, now, on_entry, on_error, NULL, &c);
	return c;
}

static struct mapping
sample(void)
{
	struct mapping m;

	memset(&m, 0, sizeof(m));
	m.key.proto = PORTMAP_UDP;
	m.key.eport = 5000;
	m.key.remote_host = ip("203.0.113.7");
	m.internal_client = ip("192.168.1.20");
	m.internal_port = 6000;
	m.enabled = false;
	m.origin = PORTMAP_ORIGIN_UPNP;
	m.creator = ip("192.168.1.21");
	strcpy(m.desc, "game \"x\" 100% \xe2\x9c\x93\n");
	return m;
}

START_TEST(lease_round_trip)
{
	struct mapping m = sample();
	struct lease_counts c;
	char text[2 * CTLPROTO_MAPLINE_MAX];
	size_t n;

	n = lease_format(&m, 1000600, text, CTLPROTO_MAPLINE_MAX);
	ck_assert_uint_eq(n, strlen(text));
	ck_assert(text[n - 1] == '\n');
	m.origin = PORTMAP_ORIGIN_ADMIN;
	n += lease_format(&m, 0, text + n, CTLPROTO_MAPLINE_MAX);
	c = parse_leases(text, n, 1000000);
	ck_assert_uint_eq(c.restored, 2);
	ck_assert_uint_eq(c.bad, 0);
	m.origin = PORTMAP_ORIGIN_UPNP;
	ck_assert_uint_eq(got[0].remaining, 600);
	ck_assert_int_eq(got[0].m.key.proto, m.key.proto);
	ck_assert_uint_eq(got[0].m.key.eport, m.key.eport);
	ck_assert_uint_eq(got[0].m.key.remote_host.s_addr,
	    m.key.remote_host.s_addr);
	ck_assert_uint_eq(got[0].m.internal_client.s_addr,
	    m.internal_client.s_addr);
	ck_assert_uint_eq(got[0].m.internal_port, m.internal_port);
	ck_assert(!got[0].m.enabled);
	ck_assert_int_eq(got[0].m.origin, PORTMAP_ORIGIN_UPNP);
	ck_assert_uint_eq(got[0].m.creator.s_addr, m.creator.s_addr);
	ck_assert_str_eq(got[0].m.desc, m.desc);
	ck_assert_int_eq(got[1].m.origin, PORTMAP_ORIGIN_ADMIN);
	ck_assert_uint_eq(got[1].remaining, 0);	/* static */
}
END_TEST

START_TEST(lease_expired_and_clamped)
{
	const char text[] =
	    "# header\n\n"
	    "map proto=TCP eport=1 client=10.0.0.1 iport=1 origin=upnp "
	    "expires=999\n"
	    "map proto=TCP eport=2 client=10.0.0.1 iport=1 origin=upnp "
	    "expires=1000\n"
	    "map proto=TCP eport=3 client=10.0.0.1 iport=1 origin=upnp "
	    "expires=99999999\n";
	struct lease_counts c = parse_leases(text, sizeof(text) - 1, 1000);

	ck_assert_uint_eq(c.expired, 2);
	ck_assert_uint_eq(c.restored, 1);
	/* A clock set back never gives more than UPnP's longest lease. */
	ck_assert_uint_eq(got[0].remaining, PORTMAP_LEASE_MAX);
}
END_TEST

START_TEST(lease_bad_lines_cost_only_themselves)
{
	const char text[] =
	    "map proto=TCP eport=1 client=10.0.0.1 iport=1 origin=upnp "
	    "expires=2000\n"
	    "map proto=XTP eport=2 client=10.0.0.1 iport=1 origin=upnp "
	    "expires=2000\n"
	    "map proto=TCP eport=3 client=10.0.0.1 iport=1 origin=upnp "
	    "expires=0\n"
	    "map proto=TCP eport=4 client=10.0.0.1 iport=1 origin=config "
	    "expires=0\n"
	    "map proto=TCP eport=5 client=10.0.0.1 iport=1 expires=0\n"
	    "mop proto=TCP\n"
	    "map proto=TCP eport=7 client=10.0.0.1 iport=1 origin=admin "
	    "expires=soon\n"
	    "map proto=TCP eport=8 client=10.0.\0.1 iport=1 origin=admin\n"
	    "map proto=TCP eport=9 client=10.0.0.1 iport=1 origin=admin "
	    "expires=0\n"
	    "map proto=TCP eport=10 client=10.0.0.1 iport=1 orig";
	struct lease_counts c = parse_leases(text, sizeof(text) - 1, 1000);
	static const unsigned lines[] = { 2, 3, 4, 5, 6, 7, 8, 10 };
	size_t i;

	ck_assert_uint_eq(c.restored, 2);
	ck_assert_uint_eq(got[0].m.key.eport, 1);
	ck_assert_uint_eq(got[1].m.key.eport, 9);
	ck_assert_uint_eq(c.bad, 8);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(badline[i], lines[i]);
	ck_assert_str_eq(badwhy[0], "proto: expected TCP or UDP");
	ck_assert_str_eq(badwhy[1],
	    "expires: a control point's mapping has a lease");
	ck_assert_str_eq(badwhy[2],
	    "origin: config mappings come from the configuration");
	ck_assert_str_eq(badwhy[3], "origin: missing");
	ck_assert_str_eq(badwhy[4], "expected a \"map\" line");
	ck_assert_str_eq(badwhy[5], "expires: expected wall-clock seconds");
	ck_assert_str_eq(badwhy[6], "NUL byte in line");
	ck_assert_str_eq(badwhy[7], "truncated line (no newline at the end)");
}
END_TEST

START_TEST(lease_long_line)
{
	static char text[CTLPROTO_MAPLINE_MAX + 64];
	struct lease_counts c;

	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 2] = '\n';
	c = parse_leases(text, sizeof(text) - 1, 0);
	ck_assert_uint_eq(c.bad, 1);
	ck_assert_str_eq(badwhy[0], "line too long");
}
END_TEST

static Suite *
ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc;

	tc = tcase_create("requests");
	tcase_add_test(tc, simple_commands);
	tcase_add_test(tc, add_fields);
	tcase_add_test(tc, add_errors);
	tcase_add_test(tc, line_errors);
	tcase_add_test(tc, delete_key);
	tcase_add_test(tc, encode_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("lease file");
	tcase_add_test(tc, lease_round_trip);
	tcase_add_test(tc, lease_expired_and_clamped);
	tcase_add_test(tc, lease_bad_lines_cost_only_themselves);
	tcase_add_test(tc, lease_long_line);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
