/*
 * check_acl: the access-control policy (src/acl.c).  Expected values come
 * from the checklist (WIC-108..WIC-114, WIC-141, WIC-147, WIC-159,
 * WIC-181, WIC-191, WIC-203, VC-01, VC-04, VC-06) and from the rule syntax
 * documented in acl.h and igd2d.conf(5).
 */
#include "acl.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct acl acl;

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static bool
allowed(const char *cp, const char *owner, unsigned eport, unsigned iport)
{
	struct acl_req r = { ip(cp), ip(owner), (uint16_t)eport,
	    (uint16_t)iport };

	return acl_check(&acl, &r).allow;
}

static void
rule(bool allow, const char *text)
{
	ck_assert_ptr_null(acl_parse_rule(allow, text,
	    &acl.rule[acl.nrules]));
	acl.nrules++;
}

static void
manager(const char *text)
{
	ck_assert_ptr_null(acl_parse_prefix(text, &acl.manager[acl.nmanagers]));
	acl.nmanagers++;
}

static void
setup(void)
{
	memset(&acl, 0, sizeof(acl));
}

/* WIC-111: an unauthenticated CP maps only to its own address. */
START_TEST(wic111_own_address_only)
{
	ck_assert(allowed("192.168.1.10", "192.168.1.10", 5000, 5000));
	ck_assert(!allowed("192.168.1.11", "192.168.1.10", 5000, 5000));
}
END_TEST

/* WIC-112, WIC-159: ports of 1024 or more, external and internal. */
START_TEST(wic112_ports_from_1024)
{
	ck_assert(allowed("10.0.0.2", "10.0.0.2", 1024, 1024));
	ck_assert(allowed("10.0.0.2", "10.0.0.2", 65535, 65535));
	ck_assert(!allowed("10.0.0.2", "10.0.0.2", 1023, 5000));
	ck_assert(!allowed("10.0.0.2", "10.0.0.2", 5000, 1023));
	ck_assert(!allowed("10.0.0.2", "10.0.0.2", 80, 80));
}
END_TEST

/* VC-34: a caller without an IPv4 address owns nothing. */
START_TEST(vc34_no_ipv4_caller)
{
	ck_assert(!allowed("0.0.0.0", "0.0.0.0", 5000, 5000));
}
END_TEST

/* The default verdict names the default rule; "not own" is -2. */
START_TEST(default_rule_index)
{
	struct acl_req r = { ip("10.0.0.2"), ip("10.0.0.2"), 5000, 5000 };

	ck_assert_int_eq(acl_check(&acl, &r).rule, -1);
	r.owner = ip("10.0.0.3");
	ck_assert_int_eq(acl_check(&acl, &r).rule, -2);
}
END_TEST

/* Rules: first match wins; no match is a refusal. */
START_TEST(rules_first_match_wins)
{
	struct acl_req r = { ip("192.168.1.10"), ip("192.168.1.10"), 80, 80 };

	rule(false, "80 192.168.1.10 80");
	rule(true, "1-65535 192.168.1.0/24 1-65535");
	ck_assert(!allowed("192.168.1.10", "192.168.1.10", 80, 80));
	ck_assert_int_eq(acl_check(&acl, &r).rule, 0);
	ck_assert(allowed("192.168.1.10", "192.168.1.10", 81, 81));
	ck_assert(allowed("192.168.1.10", "192.168.1.10", 22, 22));
	/* Outside every rule: denied, not the built-in default. */
	ck_assert(!allowed("10.0.0.2", "10.0.0.2", 5000, 5000));
}
END_TEST

/* A rule can open a low port for one host, and only for it. */
START_TEST(rule_opens_low_port)
{
	rule(true, "80 192.168.1.10/32 80");
	rule(true, "1024-65535 192.168.1.0/24 1024-65535");
	ck_assert(allowed("192.168.1.10", "192.168.1.10", 80, 80));
	ck_assert(!allowed("192.168.1.11", "192.168.1.11", 80, 80));
	ck_assert(!allowed("192.168.1.10", "192.168.1.10", 80, 81));
	ck_assert(allowed("192.168.1.11", "192.168.1.11", 2000, 2000));
}
END_TEST

/* Rules never let an unauthenticated CP act for another host. */
START_TEST(wic113_rules_keep_own_address)
{
	rule(true, "0-65535 0.0.0.0/0 0-65535");
	ck_assert(!allowed("192.168.1.11", "192.168.1.10", 5000, 5000));
}
END_TEST

/* VC-01: a manager acts for other hosts, still under the rules. */
START_TEST(vc01_manager_acts_for_others)
{
	manager("192.168.1.20/32");
	ck_assert(acl_is_manager(&acl, ip("192.168.1.20")));
	ck_assert(!acl_is_manager(&acl, ip("192.168.1.21")));
	ck_assert(allowed("192.168.1.20", "192.168.1.11", 5000, 5000));
	ck_assert(!allowed("192.168.1.20", "192.168.1.11", 80, 80));
	ck_assert(!allowed("192.168.1.21", "192.168.1.11", 5000, 5000));
}
END_TEST

START_TEST(manager_prefix)
{
	manager("10.1.0.0/16");
	ck_assert(acl_is_manager(&acl, ip("10.1.200.3")));
	ck_assert(!acl_is_manager(&acl, ip("10.2.0.1")));
	ck_assert(!acl_is_manager(&acl, ip("0.0.0.0")));
}
END_TEST

/* WIC-191, WIC-203: a range with no allowed external port is refused. */
START_TEST(wic203_range_calls)
{
	ck_assert(acl_may_call(&acl, ip("10.0.0.2"), 1, 65535));
	ck_assert(acl_may_call(&acl, ip("10.0.0.2"), 1024, 1024));
	ck_assert(!acl_may_call(&acl, ip("10.0.0.2"), 1, 1023));
	ck_assert(!acl_may_call(&acl, ip("10.0.0.2"), 80, 80));
	manager("10.0.0.9");
	ck_assert(acl_may_call(&acl, ip("10.0.0.9"), 80, 80));
}
END_TEST

/* A deny rule alone allows no call. */
START_TEST(may_call_needs_an_allow)
{
	rule(false, "0-65535 0.0.0.0/0 0-65535");
	ck_assert(!acl_may_call(&acl, ip("10.0.0.2"), 1, 65535));
}
END_TEST

/* Syntax: N, N-M, /N, /MASK, and precise errors. */
START_TEST(parse_rules)
{
	struct acl_rule r;
	char buf[96];

	ck_assert_ptr_null(acl_parse_rule(true, "80 10.0.0.1 8080", &r));
	ck_assert_uint_eq(r.eport_lo, 80);
	ck_assert_uint_eq(r.eport_hi, 80);
	ck_assert_uint_eq(r.iport_lo, 8080);
	acl_format_rule(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "80-80 10.0.0.1/32 8080-8080");
	ck_assert_ptr_null(acl_parse_rule(false,
	    "1024-2000 192.168.1.7/255.255.255.0 0-65535", &r));
	acl_format_rule(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1024-2000 192.168.1.0/24 0-65535");
	ck_assert_str_eq(acl_parse_rule(true, "2000-1000 0.0.0.0/0 1-2", &r),
	    "port range is empty (start above end)");
	ck_assert_str_eq(acl_parse_rule(true, "65536 0.0.0.0/0 1", &r),
	    "port range: a port is at most 65535");
	ck_assert_str_eq(acl_parse_rule(true, "1 10.0.0.300 1", &r),
	    "not an IPv4 address");
	ck_assert_str_eq(acl_parse_rule(true, "1 10.0.0.0/33 1", &r),
	    "prefix length must be 0..32");
	ck_assert_str_eq(acl_parse_rule(true, "1 10.0.0.0/255.0.255.0 1", &r),
	    "netmask is not contiguous");
	ck_assert_str_eq(acl_parse_rule(true, "1 10.0.0.0", &r),
	    "expected: EXTPORTS ADDRESS[/PREFIX] INTPORTS");
	ck_assert_str_eq(acl_parse_rule(true, "1 10.0.0.0 1 extra", &r),
	    "expected: EXTPORTS ADDRESS[/PREFIX] INTPORTS");
	ck_assert_str_eq(acl_parse_rule(true, "x 10.0.0.0 1", &r),
	    "port range: expected a number");
	ck_assert_str_eq(acl_parse_rule(true, "1-2-3 10.0.0.0 1", &r),
	    "port range: expected N or N-M");
}
END_TEST

static Suite *
acl_suite(void)
{
	Suite *s = suite_create("acl");
	TCase *tc = tcase_create("default policy");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, wic111_own_address_only);
	tcase_add_test(tc, wic112_ports_from_1024);
	tcase_add_test(tc, vc34_no_ipv4_caller);
	tcase_add_test(tc, default_rule_index);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules and managers");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, rules_first_match_wins);
	tcase_add_test(tc, rule_opens_low_port);
	tcase_add_test(tc, wic113_rules_keep_own_address);
	tcase_add_test(tc, vc01_manager_acts_for_others);
	tcase_add_test(tc, manager_prefix);
	tcase_add_test(tc, wic203_range_calls);
	tcase_add_test(tc, may_call_needs_an_allow);
	tcase_add_test(tc, parse_rules);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(acl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
