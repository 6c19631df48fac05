/*
 * Unit tests for portmap, the port-mapping table of one WANIPConnection:
 * the AddPortMapping and AddAnyPortMapping result tables (one test per
 * row), exact-key lookups, the GetGeneric index, range delete, listing,
 * leases and expiry with an injected clock (nothing sleeps), the free-port
 * search and the table limit.  Expected values come from the checklist
 * (shared/spec/wanipconnection2-checklist.md), never from running the code.
 */
#include "portmap.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0		1000u		/* any monotonic second */
#define CP_A		"192.168.1.10"
#define CP_B		"192.168.1.20"
#define CP_C		"192.168.1.30"
#define RH_1		"198.51.100.1"	/* sorts before RH_2 */
#define RH_2		"203.0.113.9"
#define ANY		""		/* the wildcard RemoteHost */
#define BCAST		"255.255.255.255"
#define TCP		PORTMAP_TCP
#define UDP		PORTMAP_UDP

static struct portmap *pm;

static void
setup(void)
{
	pm = portmap_new(64);
	ck_assert_ptr_nonnull(pm);
}

static void
teardown(void)
{
	portmap_free(pm);
	pm = NULL;
}

/* "" is the wildcard 0.0.0.0, as the service stores it (VC-09). */
static struct in_addr
addr(const char *s)
{
	struct in_addr a = { 0 };

	if (*s != '\0')
		ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

#define ck_assert_addr_eq(a, s)	\
	ck_assert_uint_eq((a).s_addr, addr(s).s_addr)

/* Field by field: padding bytes in a struct copy are unspecified. */
#define ck_assert_key_eq(a, b) do {					\
	ck_assert_uint_eq((a).remote_host.s_addr, (b).remote_host.s_addr); \
	ck_assert_uint_eq((a).eport, (b).eport);			\
	ck_assert_int_eq((a).proto, (b).proto);				\
} while (0)

static struct portmap_key
key(const char *rh, enum portmap_proto proto, uint16_t eport)
{
	struct portmap_key k;

	memset(&k, 0, sizeof(k));
	k.remote_host = addr(rh);
	k.proto = proto;
	k.eport = eport;
	return k;
}

/* A control point's request: enabled, created by its InternalClient. */
static struct mapping
upnp_mapping(const char *rh, enum portmap_proto proto, uint16_t eport,
    const char *client, uint16_t iport, const char *desc)
{
	struct mapping m;

	memset(&m, 0, sizeof(m));
	m.key = key(rh, proto, eport);
	m.internal_client = addr(client);
	m.internal_port = iport;
	m.enabled = true;
	snprintf(m.desc, sizeof(m.desc), "%s", desc);
	m.origin = PORTMAP_ORIGIN_UPNP;
	m.creator = m.internal_client;
	return m;
}

/* An out-of-band (igd2ctl) request. */
static struct mapping
admin_mapping(const char *rh, enum portmap_proto proto, uint16_t eport,
    const char *client, uint16_t iport)
{
	struct mapping m = upnp_mapping(rh, proto, eport, client, iport,
	    "admin");

	m.origin = PORTMAP_ORIGIN_ADMIN;
	m.creator.s_addr = 0;
	return m;
}

/* Adds a CP's mapping with a lease at T0; it must succeed. */
static void
add_ok(const char *rh, enum portmap_proto proto, uint16_t eport,
    const char *client, uint32_t lease)
{
	struct mapping m = upnp_mapping(rh, proto, eport, client, eport, "d");

	ck_assert_int_eq(portmap_add(pm, &m, lease, T0, NULL, NULL),
	    PORTMAP_OK);
}

static struct mapping
get_ok(const char *rh, enum portmap_proto proto, uint16_t eport)
{
	struct portmap_key k = key(rh, proto, eport);
	struct mapping m;

	ck_assert_int_eq(portmap_get(pm, &k, &m), PORTMAP_OK);
	return m;
}

static bool
absent(const char *rh, enum portmap_proto proto, uint16_t eport)
{
	struct portmap_key k = key(rh, proto, eport);
	struct mapping m;

	return portmap_get(pm, &k, &m) == PORTMAP_NOT_FOUND;
}

/* External port of the entry at GetGeneric index i. */
static uint16_t
eport_at(size_t i)
{
	struct mapping m;

	ck_assert_int_eq(portmap_at(pm, i, &m), PORTMAP_OK);
	return m.key.eport;
}

/* ========================================================================== */
/* AddPortMapping result table (WIC-163, Figure 2-3)                         */
/* ========================================================================== */

/*
 * Every row compares the request with one existing entry: TCP 8080 from
 * RH_1 to CP_A:80, "old", 3600 s at T0.  "=" fields copy it; "≠" fields
 * are UDP, 9090, RH_2 and CP_B.  The request is to port 81, "new", 1800 s,
 * at T0 + 10.
 */
static struct mapping row_req, row_out;
static enum portmap_change row_change;

static void
row_existing(void)
{
	struct mapping m = upnp_mapping(RH_1, TCP, 8080, CP_A, 80, "old");

	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_OK);
}

static void
row_request(bool proto, bool port, bool rh, bool client)
{
	row_existing();
	row_req = upnp_mapping(rh ? RH_1 : RH_2, proto ? TCP : UDP,
	    port ? 8080 : 9090, client ? CP_A : CP_B, 81, "new");
}

static enum portmap_status
add_row(bool proto, bool port, bool rh, bool client)
{
	row_request(proto, port, rh, client);
	return portmap_add(pm, &row_req, 1800, T0 + 10, &row_out, &row_change);
}

static enum portmap_status
add_any_row(bool proto, bool port, bool rh, bool client)
{
	row_request(proto, port, rh, client);
	return portmap_add_any(pm, &row_req, 1800, T0 + 10, NULL, NULL,
	    &row_out, &row_change);
}

static void
expect_existing_untouched(void)
{
	struct mapping m = get_ok(RH_1, TCP, 8080);

	ck_assert_addr_eq(m.internal_client, CP_A);
	ck_assert_uint_eq(m.internal_port, 80);
	ck_assert_str_eq(m.desc, "old");
	ck_assert_uint_eq(m.expires, T0 + 3600);
}

/* A second entry on `port', the old one untouched. */
static void
expect_new_entry(uint16_t port)
{
	struct portmap_key k = row_req.key;
	struct mapping m;

	ck_assert_int_eq(row_change, PORTMAP_CREATED);
	ck_assert_uint_eq(portmap_count(pm), 2);
	k.eport = port;
	ck_assert_int_eq(portmap_get(pm, &k, &m), PORTMAP_OK);
	ck_assert_uint_eq(m.internal_client.s_addr,
	    row_req.internal_client.s_addr);
	ck_assert_uint_eq(m.internal_port, 81);
	ck_assert_str_eq(m.desc, "new");
	ck_assert_uint_eq(m.expires, T0 + 10 + 1800);
	ck_assert_uint_eq(row_out.key.eport, port);
	expect_existing_untouched();
}

static void
expect_refused(void)
{
	ck_assert_uint_eq(portmap_count(pm), 1);
	expect_existing_untouched();
}

/* Row 16: same entry, same index, new values (WIC-163). */
static void
expect_overwritten(void)
{
	struct mapping m = get_ok(RH_1, TCP, 8080);

	ck_assert_int_eq(row_change, PORTMAP_UPDATED);
	ck_assert_uint_eq(portmap_count(pm), 1);
	ck_assert_addr_eq(m.internal_client, CP_A);
	ck_assert_uint_eq(m.internal_port, 81);
	ck_assert_str_eq(m.desc, "new");
	ck_assert_uint_eq(m.expires, T0 + 10 + 1800);
	ck_assert_uint_eq(row_out.key.eport, 8080);
	ck_assert_uint_eq(eport_at(0), 8080);
}

/* WIC-163 row 1 (≠ ≠ ≠ ≠): success, new entry. */
START_TEST(wic163_row01_nothing_equal_new_entry)
{
	ck_assert_int_eq(add_row(false, false, false, false), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-163 row 2 (≠ ≠ ≠ =): success, new entry. */
START_TEST(wic163_row02_client_equal_new_entry)
{
	ck_assert_int_eq(add_row(false, false, false, true), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-163 row 3 (≠ ≠ = ≠): success, new entry. */
START_TEST(wic163_row03_host_equal_new_entry)
{
	ck_assert_int_eq(add_row(false, false, true, false), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-163 row 4 (≠ ≠ = =): success, new entry. */
START_TEST(wic163_row04_host_client_equal_new_entry)
{
	ck_assert_int_eq(add_row(false, false, true, true), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-163 row 5 (≠ = ≠ ≠): success, new entry. */
START_TEST(wic163_row05_port_equal_new_entry)
{
	ck_assert_int_eq(add_row(false, true, false, false), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-163 row 6 (≠ = ≠ =): success, new entry. */
START_TEST(wic163_row06_port_client_equal_new_entry)
{
	ck_assert_int_eq(add_row(false, true, false, true), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-163 row 7 (≠ = = ≠): success, new entry. */
START_TEST(wic163_row07_port_host_equal_new_entry)
{
	ck_assert_int_eq(add_row(false, true, true, false), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-163 row 8 (≠ = = =): success, new entry (only the protocol differs). */
START_TEST(wic163_row08_all_but_proto_equal_new_entry)
{
	ck_assert_int_eq(add_row(false, true, true, true), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-163 row 9 (= ≠ ≠ ≠): success, new entry. */
START_TEST(wic163_row09_proto_equal_new_entry)
{
	ck_assert_int_eq(add_row(true, false, false, false), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-163 row 10 (= ≠ ≠ =): success, new entry. */
START_TEST(wic163_row10_proto_client_equal_new_entry)
{
	ck_assert_int_eq(add_row(true, false, false, true), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-163 row 11 (= ≠ = ≠): success, new entry. */
START_TEST(wic163_row11_proto_host_equal_new_entry)
{
	ck_assert_int_eq(add_row(true, false, true, false), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-163 row 12 (= ≠ = =): success, new entry (only the port differs). */
START_TEST(wic163_row12_all_but_port_equal_new_entry)
{
	ck_assert_int_eq(add_row(true, false, true, true), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/*
 * WIC-163 row 13 (= = ≠ ≠), WIC-155: failure, 718; WIC-149: only a free
 * mapping in the sense of the table succeeds (every row: wic163_*).
 */
START_TEST(wic163_row13_other_host_other_client_conflict)
{
	ck_assert_int_eq(add_row(true, true, false, false), PORTMAP_CONFLICT);
	expect_refused();
}
END_TEST

/* WIC-163 row 14 (= = ≠ =): vendor choice; igd2d coexists (VC-07). */
START_TEST(wic163_row14_other_host_same_client_coexists_vc07)
{
	ck_assert_int_eq(add_row(true, true, false, true), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-163 row 15 (= = = ≠), WIC-148: failure, 718. */
START_TEST(wic163_row15_same_key_other_client_conflict)
{
	ck_assert_int_eq(add_row(true, true, true, false), PORTMAP_CONFLICT);
	expect_refused();
}
END_TEST

/* WIC-163 row 16 (= = = =): success, overwrite. */
START_TEST(wic163_row16_all_equal_overwrites)
{
	ck_assert_int_eq(add_row(true, true, true, true), PORTMAP_OK);
	expect_overwritten();
}
END_TEST

/* ---- RemoteHost wildcard against specific hosts ------------------------ */

/* WIC-163 row 13 with the wildcard: "" is another RemoteHost than RH_1. */
START_TEST(wic163_row13_wildcard_entry_blocks_other_client)
{
	struct mapping m = upnp_mapping(RH_1, TCP, 8080, CP_B, 80, "");

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_CONFLICT);
	m = upnp_mapping(ANY, TCP, 8080, CP_B, 80, "");
	add_ok(RH_2, TCP, 9090, CP_A, 3600);
	m.key.eport = 9090;
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_CONFLICT);
	ck_assert_uint_eq(portmap_count(pm), 2);
}
END_TEST

/* WIC-163 row 14, VC-07: a specific host beside the wildcard, same client. */
START_TEST(vc07_specific_host_beside_wildcard)
{
	struct mapping m;

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	add_ok(RH_1, TCP, 8080, CP_A, 3600);
	ck_assert_uint_eq(portmap_count(pm), 2);
	m = get_ok(ANY, TCP, 8080);
	ck_assert_uint_eq(m.key.remote_host.s_addr, 0);
	m = get_ok(RH_1, TCP, 8080);
	ck_assert_addr_eq(m.key.remote_host, RH_1);
}
END_TEST

/* ========================================================================== */
/* AddAnyPortMapping result table (WIC-175, Figure 2-4)                      */
/* ========================================================================== */

/* WIC-175 row 1 (≠ ≠ ≠ ≠): NewReservedPort = requested port. */
START_TEST(wic175_row01_nothing_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(false, false, false, false), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-175 row 2 (≠ ≠ ≠ =): NewReservedPort = requested port. */
START_TEST(wic175_row02_client_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(false, false, false, true), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-175 row 3 (≠ ≠ = ≠): NewReservedPort = requested port. */
START_TEST(wic175_row03_host_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(false, false, true, false), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-175 row 4 (≠ ≠ = =): NewReservedPort = requested port. */
START_TEST(wic175_row04_host_client_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(false, false, true, true), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-175 row 5 (≠ = ≠ ≠): NewReservedPort = requested port. */
START_TEST(wic175_row05_port_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(false, true, false, false), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-175 row 6 (≠ = ≠ =): NewReservedPort = requested port. */
START_TEST(wic175_row06_port_client_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(false, true, false, true), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-175 row 7 (≠ = = ≠): NewReservedPort = requested port. */
START_TEST(wic175_row07_port_host_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(false, true, true, false), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-175 row 8 (≠ = = =): NewReservedPort = requested port. */
START_TEST(wic175_row08_all_but_proto_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(false, true, true, true), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-175 row 9 (= ≠ ≠ ≠): NewReservedPort = requested port. */
START_TEST(wic175_row09_proto_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(true, false, false, false), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-175 row 10 (= ≠ ≠ =): NewReservedPort = requested port. */
START_TEST(wic175_row10_proto_client_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(true, false, false, true), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-175 row 11 (= ≠ = ≠): NewReservedPort = requested port. */
START_TEST(wic175_row11_proto_host_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(true, false, true, false), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/* WIC-175 row 12 (= ≠ = =): NewReservedPort = requested port. */
START_TEST(wic175_row12_all_but_port_equal_requested_port)
{
	ck_assert_int_eq(add_any_row(true, false, true, true), PORTMAP_OK);
	expect_new_entry(9090);
}
END_TEST

/*
 * WIC-175 row 13 (= = ≠ ≠), WIC-165: an alternative port, not 718; VC-17
 * tries the ports above the request first, and 8081 is free.
 */
START_TEST(wic175_row13_other_host_other_client_alternative)
{
	ck_assert_int_eq(add_any_row(true, true, false, false), PORTMAP_OK);
	ck_assert_uint_ne(row_out.key.eport, 8080);
	expect_new_entry(8081);
}
END_TEST

/* WIC-175 row 14 (= = ≠ =): vendor choice; igd2d coexists (VC-07). */
START_TEST(wic175_row14_other_host_same_client_coexists_vc07)
{
	ck_assert_int_eq(add_any_row(true, true, false, true), PORTMAP_OK);
	expect_new_entry(8080);
}
END_TEST

/* WIC-175 row 15 (= = = ≠), WIC-165: an alternative port (VC-17: 8081). */
START_TEST(wic175_row15_same_key_other_client_alternative)
{
	ck_assert_int_eq(add_any_row(true, true, true, false), PORTMAP_OK);
	ck_assert_uint_ne(row_out.key.eport, 8080);
	expect_new_entry(8081);
}
END_TEST

/* WIC-175 row 16 (= = = =), WIC-166: overwrite, requested port. */
START_TEST(wic175_row16_all_equal_overwrites)
{
	ck_assert_int_eq(add_any_row(true, true, true, true), PORTMAP_OK);
	expect_overwritten();
}
END_TEST

/* ========================================================================== */
/* Overwrite, other mechanisms, broadcast                                     */
/* ========================================================================== */

/* WIC-057: one entry per (RemoteHost, ExternalPort, Protocol). */
START_TEST(wic057_same_key_twice_is_one_entry)
{
	add_ok(ANY, TCP, 8080, CP_A, 3600);
	add_ok(ANY, TCP, 8080, CP_A, 3600);
	ck_assert_uint_eq(portmap_count(pm), 1);
}
END_TEST

/* VC-22: an overwrite keeps the entry's GetGeneric index. */
START_TEST(vc22_overwrite_keeps_index)
{
	struct mapping m = upnp_mapping(ANY, TCP, 2000, CP_A, 2222, "moved");
	struct mapping out;

	add_ok(ANY, TCP, 1000, CP_A, 3600);
	add_ok(ANY, TCP, 2000, CP_A, 3600);
	add_ok(ANY, TCP, 3000, CP_A, 3600);
	ck_assert_int_eq(portmap_add(pm, &m, 60, T0 + 5, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_int_eq(portmap_at(pm, 1, &out), PORTMAP_OK);
	ck_assert_uint_eq(out.key.eport, 2000);
	ck_assert_uint_eq(out.internal_port, 2222);
	ck_assert_str_eq(out.desc, "moved");
	ck_assert_uint_eq(out.expires, T0 + 5 + 60);
	ck_assert_uint_eq(eport_at(0), 1000);
	ck_assert_uint_eq(eport_at(2), 3000);
}
END_TEST

/* VC-12: a request that changes only the lease is a refresh. */
START_TEST(vc12_lease_only_is_refresh)
{
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "game");
	enum portmap_change ch;

	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, &ch),
	    PORTMAP_OK);
	ck_assert_int_eq(ch, PORTMAP_CREATED);
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0 + 100, NULL, &ch),
	    PORTMAP_OK);
	ck_assert_int_eq(ch, PORTMAP_REFRESHED);
	ck_assert_int_eq(portmap_add(pm, &m, 60, T0 + 200, NULL, &ch),
	    PORTMAP_OK);
	ck_assert_int_eq(ch, PORTMAP_REFRESHED);
	ck_assert_uint_eq(get_ok(ANY, TCP, 8080).expires, T0 + 260);
}
END_TEST

/* VC-12: InternalPort, Enabled or the description alone is an update. */
START_TEST(vc12_port_enabled_desc_are_updates)
{
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "game");
	enum portmap_change ch;

	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_OK);
	m.internal_port = 81;
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, &ch),
	    PORTMAP_OK);
	ck_assert_int_eq(ch, PORTMAP_UPDATED);
	m.enabled = false;
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, &ch),
	    PORTMAP_OK);
	ck_assert_int_eq(ch, PORTMAP_UPDATED);
	ck_assert(!get_ok(ANY, TCP, 8080).enabled);
	strcpy(m.desc, "other game");
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, &ch),
	    PORTMAP_OK);
	ck_assert_int_eq(ch, PORTMAP_UPDATED);
	ck_assert_str_eq(get_ok(ANY, TCP, 8080).desc, "other game");
	ck_assert_uint_eq(portmap_count(pm), 1);
}
END_TEST

/* WIC-059: a disabled entry is stored, listed and counted. */
START_TEST(wic059_disabled_entry_is_kept)
{
	struct mapping m = upnp_mapping(ANY, UDP, 5000, CP_A, 5000, "off");

	m.enabled = false;
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_uint_eq(portmap_count(pm), 1);
	ck_assert(!get_ok(ANY, UDP, 5000).enabled);
}
END_TEST

/* VC-11: no CP can overwrite or refresh a static entry. */
START_TEST(vc11_upnp_cannot_overwrite_static)
{
	struct mapping a = admin_mapping(ANY, TCP, 8080, CP_A, 80);
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "mine");

	ck_assert_int_eq(portmap_add(pm, &a, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_FOREIGN);
	m = get_ok(ANY, TCP, 8080);
	ck_assert_int_eq(m.origin, PORTMAP_ORIGIN_ADMIN);
	ck_assert_uint_eq(m.expires, PORTMAP_NEVER);
	ck_assert_str_eq(m.desc, "admin");
}
END_TEST

/* VC-11: a static entry claims (protocol, port) for every RemoteHost. */
START_TEST(vc11_static_claims_port_for_any_host)
{
	struct mapping a = admin_mapping(ANY, TCP, 8080, CP_A, 80);
	struct mapping m = upnp_mapping(RH_1, TCP, 8080, CP_A, 80, "");

	ck_assert_int_eq(portmap_add(pm, &a, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_FOREIGN);
	m.key.proto = UDP;
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_uint_eq(portmap_count(pm), 2);
}
END_TEST

/* VC-11 before WIC-155: another mechanism (729) wins over 718. */
START_TEST(vc11_foreign_wins_over_conflict)
{
	struct mapping a = admin_mapping(RH_1, TCP, 8080, CP_A, 80);
	struct mapping m = upnp_mapping(RH_2, TCP, 8080, CP_B, 80, "");

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	ck_assert_int_eq(portmap_add(pm, &a, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_int_eq(portmap_add(pm, &m, 3600, T0, NULL, NULL),
	    PORTMAP_FOREIGN);
}
END_TEST

/* VC-11: AddAnyPortMapping moves away from a static entry (WIC-170). */
START_TEST(vc11_add_any_avoids_static)
{
	struct mapping a = admin_mapping(ANY, TCP, 8080, CP_A, 80);
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "");
	struct mapping out;

	ck_assert_int_eq(portmap_add(pm, &a, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_int_eq(portmap_add_any(pm, &m, 3600, T0, NULL, NULL, &out,
	    NULL), PORTMAP_OK);
	ck_assert_uint_eq(out.key.eport, 8081);
	ck_assert_int_eq(get_ok(ANY, TCP, 8080).origin, PORTMAP_ORIGIN_ADMIN);
}
END_TEST

/* WIC-063, §2.5.16: an administrator may turn a CP's entry static. */
START_TEST(wic063_admin_overwrites_upnp_entry)
{
	struct mapping a = admin_mapping(ANY, TCP, 8080, CP_A, 80);
	struct mapping m;
	enum portmap_change ch;

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	ck_assert_int_eq(portmap_add(pm, &a, PORTMAP_STATIC, T0, &m, &ch),
	    PORTMAP_OK);
	ck_assert_int_eq(ch, PORTMAP_UPDATED);
	ck_assert_int_eq(m.origin, PORTMAP_ORIGIN_ADMIN);
	ck_assert_uint_eq(m.expires, PORTMAP_NEVER);
	ck_assert_uint_eq(portmap_count(pm), 1);
	ck_assert(!portmap_next_expiry(pm, &m.expires));
}
END_TEST

/*
 * VC-06: a broadcast entry belongs to the CP that created it: another CP
 * conflicts (718), AddAny gives it another port, the creator may refresh.
 */
START_TEST(vc06_broadcast_belongs_to_creator)
{
	struct mapping a = upnp_mapping(ANY, UDP, 5000, BCAST, 5000, "a");
	struct mapping b = a, out;

	a.creator = addr(CP_A);
	b.creator = addr(CP_B);
	ck_assert_int_eq(portmap_add(pm, &a, 3600, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_int_eq(portmap_add(pm, &b, 3600, T0, NULL, NULL),
	    PORTMAP_CONFLICT);
	ck_assert_int_eq(portmap_add_any(pm, &b, 3600, T0, NULL, NULL, &out,
	    NULL), PORTMAP_OK);
	ck_assert_uint_eq(out.key.eport, 5001);
	ck_assert_addr_eq(out.creator, CP_B);
	ck_assert_int_eq(portmap_add(pm, &a, 60, T0 + 1, &out, NULL),
	    PORTMAP_OK);
	ck_assert_addr_eq(out.creator, CP_A);
	ck_assert_uint_eq(out.expires, T0 + 61);
	ck_assert_uint_eq(portmap_count(pm), 2);
}
END_TEST

/*
 * Rollback: portmap_replace puts back the exact previous value, even over
 * an ADMIN overwrite a UPNP request could not touch (VC-11), static-ness
 * and index included (VC-22).
 */
START_TEST(replace_restores_previous_value)
{
	struct mapping a = admin_mapping(ANY, TCP, 8080, CP_B, 8000);
	struct mapping old, m;
	uint32_t when;

	add_ok(ANY, TCP, 1000, CP_A, 3600);
	add_ok(ANY, TCP, 8080, CP_A, 60);
	old = get_ok(ANY, TCP, 8080);
	a.internal_client = addr(CP_A);
	ck_assert_int_eq(portmap_add(pm, &a, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert(portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(when, T0 + 3600);
	ck_assert_int_eq(portmap_replace(pm, &old), PORTMAP_OK);
	m = get_ok(ANY, TCP, 8080);
	ck_assert_int_eq(m.origin, PORTMAP_ORIGIN_UPNP);
	ck_assert_uint_eq(m.internal_port, 8080);
	ck_assert_str_eq(m.desc, "d");
	ck_assert_uint_eq(m.expires, T0 + 60);
	ck_assert_uint_eq(eport_at(1), 8080);
	ck_assert(portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(when, T0 + 60);
	/* And back to static: out of the heap again. */
	m.expires = PORTMAP_NEVER;
	m.origin = PORTMAP_ORIGIN_CONFIG;
	ck_assert_int_eq(portmap_replace(pm, &m), PORTMAP_OK);
	ck_assert(portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(when, T0 + 3600);
	m.key.eport = 8081;
	ck_assert_int_eq(portmap_replace(pm, &m), PORTMAP_NOT_FOUND);
	ck_assert_uint_eq(portmap_count(pm), 2);
}
END_TEST

/* The table refuses what the service must have refused before it. */
START_TEST(add_contract_violations_invalid)
{
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "");
	struct mapping bad;

	bad = m;
	bad.key.eport = 0;			/* VC-16, 716 */
	ck_assert_int_eq(portmap_add(pm, &bad, 60, T0, NULL, NULL),
	    PORTMAP_INVALID);
	bad = m;
	bad.internal_port = 0;			/* WIC-154, 732 */
	ck_assert_int_eq(portmap_add(pm, &bad, 60, T0, NULL, NULL),
	    PORTMAP_INVALID);
	bad = m;
	bad.internal_client.s_addr = 0;		/* WIC-152, 715 */
	ck_assert_int_eq(portmap_add(pm, &bad, 60, T0, NULL, NULL),
	    PORTMAP_INVALID);
	bad = m;
	bad.key.proto = (enum portmap_proto)7;	/* WIC-151, 601 */
	ck_assert_int_eq(portmap_add(pm, &bad, 60, T0, NULL, NULL),
	    PORTMAP_INVALID);
	bad = m;
	memset(bad.desc, 'x', sizeof(bad.desc));	/* VC-25, 605 */
	ck_assert_int_eq(portmap_add(pm, &bad, 60, T0, NULL, NULL),
	    PORTMAP_INVALID);
	ck_assert_int_eq(portmap_add_any(pm, &bad, 60, T0, NULL, NULL, &m,
	    NULL), PORTMAP_INVALID);
	ck_assert_uint_eq(portmap_count(pm), 0);
}
END_TEST

/* VC-25: a description of the full limit round-trips exactly. */
START_TEST(vc25_longest_description_round_trips)
{
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "");

	memset(m.desc, 'x', PORTMAP_DESC_MAX);
	m.desc[PORTMAP_DESC_MAX] = '\0';
	ck_assert_int_eq(portmap_add(pm, &m, 60, T0, NULL, NULL), PORTMAP_OK);
	ck_assert_uint_eq(strlen(get_ok(ANY, TCP, 8080).desc),
	    PORTMAP_DESC_MAX);
}
END_TEST

/* ========================================================================== */
/* Exact-key lookup and delete (WIC-143, VC-08, WIC-176)                      */
/* ========================================================================== */

/* WIC-143: "" never matches a specific-host entry. */
START_TEST(wic143_wildcard_does_not_match_specific)
{
	add_ok(RH_1, TCP, 8080, CP_A, 3600);
	ck_assert(absent(ANY, TCP, 8080));
	ck_assert_addr_eq(get_ok(RH_1, TCP, 8080).internal_client, CP_A);
}
END_TEST

/* VC-08: nor does a specific host match the wildcard entry. */
START_TEST(vc08_specific_does_not_match_wildcard)
{
	add_ok(ANY, TCP, 8080, CP_A, 3600);
	ck_assert(absent(RH_1, TCP, 8080));
	ck_assert(absent(ANY, UDP, 8080));
	ck_assert(absent(ANY, TCP, 8081));
}
END_TEST

/* WIC-176, WIC-177: delete needs the exact key; 714 otherwise. */
START_TEST(wic176_delete_exact_key)
{
	struct portmap_key k = key(ANY, TCP, 8080);
	struct mapping gone;

	add_ok(RH_1, TCP, 8080, CP_A, 3600);
	ck_assert_int_eq(portmap_delete(pm, &k, NULL), PORTMAP_NOT_FOUND);
	ck_assert_uint_eq(portmap_count(pm), 1);
	k = key(RH_1, TCP, 8080);
	ck_assert_int_eq(portmap_delete(pm, &k, &gone), PORTMAP_OK);
	ck_assert_addr_eq(gone.internal_client, CP_A);
	ck_assert_uint_eq(portmap_count(pm), 0);
	ck_assert_int_eq(portmap_delete(pm, &k, NULL), PORTMAP_NOT_FOUND);
}
END_TEST

/* VC-07: deleting the wildcard entry leaves the specific one beside it. */
START_TEST(vc07_delete_wildcard_keeps_specific)
{
	struct portmap_key k = key(ANY, TCP, 8080);

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	add_ok(RH_1, TCP, 8080, CP_A, 3600);
	ck_assert_int_eq(portmap_delete(pm, &k, NULL), PORTMAP_OK);
	ck_assert(absent(ANY, TCP, 8080));
	ck_assert_addr_eq(get_ok(RH_1, TCP, 8080).key.remote_host, RH_1);
}
END_TEST

/* ========================================================================== */
/* GetGeneric index (WIC-055, WIC-138, VC-22)                                 */
/* ========================================================================== */

/* VC-22: creation order, not port order. */
START_TEST(vc22_index_is_creation_order)
{
	add_ok(ANY, TCP, 9000, CP_A, 3600);
	add_ok(ANY, UDP, 1000, CP_A, 3600);
	add_ok(ANY, TCP, 5000, CP_A, 3600);
	ck_assert_uint_eq(eport_at(0), 9000);
	ck_assert_uint_eq(eport_at(1), 1000);
	ck_assert_uint_eq(eport_at(2), 5000);
}
END_TEST

/* WIC-138: indexes 0..count-1 only (713 otherwise). */
START_TEST(wic138_index_past_count_not_found)
{
	struct mapping m;

	ck_assert_int_eq(portmap_at(pm, 0, &m), PORTMAP_NOT_FOUND);
	add_ok(ANY, TCP, 9000, CP_A, 3600);
	ck_assert_int_eq(portmap_at(pm, 0, &m), PORTMAP_OK);
	ck_assert_int_eq(portmap_at(pm, 1, &m), PORTMAP_NOT_FOUND);
	ck_assert_int_eq(portmap_at(pm, SIZE_MAX, &m), PORTMAP_NOT_FOUND);
}
END_TEST

/* WIC-055, VC-22: deleting from the middle shifts later entries down. */
START_TEST(wic055_delete_middle_compacts)
{
	struct portmap_key k = key(ANY, TCP, 3000);
	struct mapping m;

	add_ok(ANY, TCP, 1000, CP_A, 3600);
	add_ok(ANY, TCP, 2000, CP_A, 3600);
	add_ok(ANY, TCP, 3000, CP_A, 3600);
	add_ok(ANY, TCP, 4000, CP_A, 3600);
	add_ok(ANY, TCP, 5000, CP_A, 3600);
	ck_assert_int_eq(portmap_delete(pm, &k, NULL), PORTMAP_OK);
	ck_assert_uint_eq(portmap_count(pm), 4);
	ck_assert_uint_eq(eport_at(0), 1000);
	ck_assert_uint_eq(eport_at(1), 2000);
	ck_assert_uint_eq(eport_at(2), 4000);
	ck_assert_uint_eq(eport_at(3), 5000);
	ck_assert_int_eq(portmap_at(pm, 4, &m), PORTMAP_NOT_FOUND);
	add_ok(ANY, TCP, 3000, CP_A, 3600);
	ck_assert_uint_eq(eport_at(4), 3000);
}
END_TEST

/* ========================================================================== */
/* Leases and expiry (WIC-061..WIC-068, VC-15)                                */
/* ========================================================================== */

/* WIC-062: the table refuses a static UPnP mapping. */
START_TEST(wic062_upnp_static_refused)
{
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "");

	ck_assert_int_eq(portmap_add(pm, &m, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_INVALID);
	ck_assert_int_eq(portmap_add_any(pm, &m, PORTMAP_STATIC, T0, NULL,
	    NULL, &m, NULL), PORTMAP_INVALID);
	ck_assert_uint_eq(portmap_count(pm), 0);
}
END_TEST

/* WIC-061, WIC-064: the service's 604800 is kept as given. */
START_TEST(wic064_max_lease_kept)
{
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "");
	struct mapping out;

	ck_assert_int_eq(portmap_add(pm, &m, PORTMAP_LEASE_MAX, T0, &out,
	    NULL), PORTMAP_OK);
	ck_assert_uint_eq(out.expires, T0 + 604800);
	ck_assert_uint_eq(portmap_remaining(&out, T0), 604800);
}
END_TEST

/* WIC-063: a static entry reports 0 and never expires. */
START_TEST(wic063_static_never_expires)
{
	struct mapping a = admin_mapping(ANY, TCP, 8080, CP_A, 80);
	struct mapping c = admin_mapping(ANY, UDP, 8080, CP_A, 80);
	uint32_t when;

	c.origin = PORTMAP_ORIGIN_CONFIG;
	ck_assert_int_eq(portmap_add(pm, &a, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert_int_eq(portmap_add(pm, &c, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_OK);
	a = get_ok(ANY, TCP, 8080);
	ck_assert_uint_eq(a.expires, PORTMAP_NEVER);
	ck_assert_uint_eq(portmap_remaining(&a, T0), 0);
	ck_assert_uint_eq(portmap_remaining(&a, T0 + 999999), 0);
	ck_assert(!portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(portmap_expire(pm, UINT32_MAX - 1, NULL, 10), 0);
	ck_assert_uint_eq(portmap_count(pm), 2);
}
END_TEST

/* WIC-066: 1500 s added at T0 read about 1000 s at T0 + 500. */
START_TEST(wic066_lease_counts_down)
{
	struct mapping m;

	add_ok(ANY, TCP, 8080, CP_A, 1500);
	m = get_ok(ANY, TCP, 8080);
	ck_assert_uint_eq(portmap_remaining(&m, T0), 1500);
	ck_assert_uint_eq(portmap_remaining(&m, T0 + 500), 1000);
}
END_TEST

/* VC-15: a dynamic entry reads at least 1 until it is removed. */
START_TEST(vc15_dynamic_never_reads_zero)
{
	struct mapping m;

	add_ok(ANY, TCP, 8080, CP_A, 1500);
	m = get_ok(ANY, TCP, 8080);
	ck_assert_uint_eq(portmap_remaining(&m, T0 + 1499), 1);
	ck_assert_uint_eq(portmap_remaining(&m, T0 + 1500), 1);
	ck_assert_uint_eq(portmap_remaining(&m, T0 + 2000), 1);
}
END_TEST

/* WIC-067: the entry goes when the remaining time reaches 0. */
START_TEST(wic067_expires_at_lease_end)
{
	struct mapping gone[4];

	add_ok(ANY, TCP, 8080, CP_A, 10);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 9, gone, 4), 0);
	ck_assert_uint_eq(portmap_count(pm), 1);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 10, gone, 4), 1);
	ck_assert_uint_eq(gone[0].key.eport, 8080);
	ck_assert_addr_eq(gone[0].internal_client, CP_A);
	ck_assert_uint_eq(portmap_count(pm), 0);
	ck_assert(absent(ANY, TCP, 8080));
}
END_TEST

/* WIC-065, WIC-067: a disabled entry counts down and expires too. */
START_TEST(wic065_disabled_entry_expires)
{
	struct mapping m = upnp_mapping(ANY, TCP, 8080, CP_A, 80, "");

	m.enabled = false;
	ck_assert_int_eq(portmap_add(pm, &m, 10, T0, NULL, NULL), PORTMAP_OK);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 10, NULL, 1), 1);
	ck_assert_uint_eq(portmap_count(pm), 0);
}
END_TEST

/* WIC-067: expiry compacts the index as any deletion does. */
START_TEST(wic067_expiry_compacts_index)
{
	add_ok(ANY, TCP, 1000, CP_A, 100);
	add_ok(ANY, TCP, 2000, CP_A, 10);
	add_ok(ANY, TCP, 3000, CP_A, 100);
	add_ok(ANY, TCP, 4000, CP_A, 10);
	add_ok(ANY, TCP, 5000, CP_A, 100);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 10, NULL, 10), 2);
	ck_assert_uint_eq(portmap_count(pm), 3);
	ck_assert_uint_eq(eport_at(0), 1000);
	ck_assert_uint_eq(eport_at(1), 3000);
	ck_assert_uint_eq(eport_at(2), 5000);
}
END_TEST

/* portmap.h: at most n per call, earliest lease end first. */
START_TEST(expire_in_batches_earliest_first)
{
	struct mapping gone[2];

	add_ok(ANY, TCP, 1000, CP_A, 30);
	add_ok(ANY, TCP, 2000, CP_A, 10);
	add_ok(ANY, TCP, 3000, CP_A, 20);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 100, gone, 2), 2);
	ck_assert_uint_eq(gone[0].key.eport, 2000);
	ck_assert_uint_eq(gone[1].key.eport, 3000);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 100, gone, 2), 1);
	ck_assert_uint_eq(gone[0].key.eport, 1000);
	ck_assert_uint_eq(portmap_count(pm), 0);
}
END_TEST

/* WIC-068: a refresh before the end moves the end; nothing renews itself. */
START_TEST(wic068_refresh_moves_expiry)
{
	add_ok(ANY, TCP, 8080, CP_A, 10);
	add_ok(ANY, TCP, 8080, CP_A, 3600);	/* at T0 again: T0 + 3600 */
	ck_assert_uint_eq(portmap_expire(pm, T0 + 10, NULL, 10), 0);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 3600, NULL, 10), 1);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 7200, NULL, 10), 0);
	ck_assert(absent(ANY, TCP, 8080));
}
END_TEST

/* The timer sleeps until the earliest lease end among dynamic entries. */
START_TEST(next_expiry_follows_changes)
{
	struct mapping a = admin_mapping(ANY, UDP, 1, CP_A, 1);
	struct portmap_key k = key(ANY, TCP, 2000);
	uint32_t when = 0;

	ck_assert(!portmap_next_expiry(pm, &when));
	ck_assert_int_eq(portmap_add(pm, &a, PORTMAP_STATIC, T0, NULL, NULL),
	    PORTMAP_OK);
	ck_assert(!portmap_next_expiry(pm, &when));
	add_ok(ANY, TCP, 1000, CP_A, 300);
	add_ok(ANY, TCP, 2000, CP_A, 100);
	add_ok(ANY, TCP, 3000, CP_A, 200);
	ck_assert(portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(when, T0 + 100);
	ck_assert_int_eq(portmap_delete(pm, &k, NULL), PORTMAP_OK);
	ck_assert(portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(when, T0 + 200);
	add_ok(ANY, TCP, 3000, CP_A, 1000);	/* refresh: T0 + 1000 */
	ck_assert(portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(when, T0 + 300);
	ck_assert_uint_eq(portmap_expire(pm, T0 + 300, NULL, 10), 1);
	ck_assert(portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(when, T0 + 1000);
}
END_TEST

/* ========================================================================== */
/* DeletePortMappingRange (WIC-182..WIC-192, VC-23)                           */
/* ========================================================================== */

struct ctx {
	struct in_addr	client;		/* filter: this client */
	unsigned	calls;		/* filter calls */
	unsigned	n;
	struct mapping	got[16];	/* entries listed */
};

/* NewManage=0: only the caller's own entries (WIC-184, WIC-195). */
static bool
own_only(const struct mapping *m, void *arg)
{
	struct ctx *c = arg;

	c->calls++;
	return m->internal_client.s_addr == c->client.s_addr;
}

static bool
nobody(const struct mapping *m, void *arg)
{
	struct ctx *c = arg;

	(void)m;
	c->calls++;
	return false;
}

static void
collect(const struct mapping *m, void *arg)
{
	struct ctx *c = arg;

	ck_assert_uint_lt(c->n, 16);
	c->got[c->n++] = *m;
}

/* WIC-182: both ends included, only NewProtocol. */
START_TEST(wic182_range_inclusive_one_protocol)
{
	add_ok(ANY, TCP, 1000, CP_A, 3600);
	add_ok(ANY, TCP, 1001, CP_A, 3600);
	add_ok(ANY, TCP, 2000, CP_A, 3600);
	add_ok(ANY, TCP, 2001, CP_A, 3600);
	add_ok(ANY, UDP, 1500, CP_A, 3600);
	ck_assert_uint_eq(portmap_delete_range(pm, TCP, 1001, 2000, NULL,
	    NULL), 2);
	ck_assert_uint_eq(portmap_count(pm), 3);
	ck_assert(absent(ANY, TCP, 1001));
	ck_assert(absent(ANY, TCP, 2000));
	ck_assert_uint_eq(get_ok(ANY, TCP, 1000).key.eport, 1000);
	ck_assert_uint_eq(get_ok(ANY, TCP, 2001).key.eport, 2001);
	ck_assert_uint_eq(get_ok(ANY, UDP, 1500).key.eport, 1500);
}
END_TEST

/* WIC-182, VC-23: every RemoteHost in the range. */
START_TEST(vc23_range_delete_any_remote_host)
{
	add_ok(ANY, TCP, 3000, CP_A, 3600);
	add_ok(RH_1, TCP, 3000, CP_A, 3600);
	add_ok(RH_2, TCP, 3000, CP_A, 3600);
	ck_assert_uint_eq(portmap_delete_range(pm, TCP, 3000, 3000, NULL,
	    NULL), 3);
	ck_assert_uint_eq(portmap_count(pm), 0);
}
END_TEST

/*
 * WIC-184, WIC-186, WIC-192: entries the CP may not delete are skipped,
 * the rest go, and the index is compacted.
 */
START_TEST(wic186_range_delete_skips_filtered)
{
	struct ctx c = { .client = addr(CP_A) };

	add_ok(ANY, TCP, 1000, CP_A, 3600);
	add_ok(ANY, TCP, 1100, CP_B, 3600);
	add_ok(ANY, TCP, 1200, CP_A, 3600);
	add_ok(ANY, TCP, 1300, CP_B, 3600);
	add_ok(ANY, TCP, 9000, CP_A, 3600);
	ck_assert_uint_eq(portmap_delete_range(pm, TCP, 1000, 2000, own_only,
	    &c), 2);
	ck_assert_uint_eq(c.calls, 4);
	ck_assert_uint_eq(portmap_count(pm), 3);
	ck_assert_uint_eq(eport_at(0), 1100);
	ck_assert_uint_eq(eport_at(1), 1300);
	ck_assert_uint_eq(eport_at(2), 9000);
}
END_TEST

/* WIC-187: nothing in range, or nothing deletable: 0 (730), no change. */
START_TEST(wic187_range_delete_none_found)
{
	struct ctx c = { .client = addr(CP_A) };

	add_ok(ANY, TCP, 1000, CP_A, 3600);
	add_ok(ANY, UDP, 1500, CP_A, 3600);
	ck_assert_uint_eq(portmap_delete_range(pm, TCP, 1001, 65535, NULL,
	    NULL), 0);
	ck_assert_uint_eq(portmap_delete_range(pm, TCP, 1, 65535, nobody,
	    &c), 0);
	ck_assert_uint_eq(c.calls, 1);
	ck_assert_uint_eq(portmap_count(pm), 2);
}
END_TEST

/* ========================================================================== */
/* GetListOfPortMappings (WIC-194..WIC-199, VC-23)                            */
/* ========================================================================== */

static void
list_setup(void)
{
	setup();
	add_ok(RH_2, TCP, 3000, CP_A, 3600);
	add_ok(ANY, TCP, 1000, CP_B, 3600);
	add_ok(ANY, TCP, 3000, CP_A, 3600);
	add_ok(ANY, UDP, 2500, CP_A, 3600);
	add_ok(ANY, TCP, 2000, CP_A, 3600);
	add_ok(RH_1, TCP, 3000, CP_A, 3600);
}

/* VC-23: by ExternalPort, then RemoteHost with "" first. */
START_TEST(vc23_list_ordered_by_port_then_host)
{
	struct ctx c = { .n = 0 };

	ck_assert_uint_eq(portmap_list(pm, TCP, 1, 65535, 0, NULL, collect,
	    &c), 5);
	ck_assert_uint_eq(c.n, 5);
	ck_assert_uint_eq(c.got[0].key.eport, 1000);
	ck_assert_uint_eq(c.got[1].key.eport, 2000);
	ck_assert_uint_eq(c.got[2].key.eport, 3000);
	ck_assert_addr_eq(c.got[2].key.remote_host, ANY);
	ck_assert_uint_eq(c.got[3].key.eport, 3000);
	ck_assert_addr_eq(c.got[3].key.remote_host, RH_1);
	ck_assert_uint_eq(c.got[4].key.eport, 3000);
	ck_assert_addr_eq(c.got[4].key.remote_host, RH_2);
}
END_TEST

/* WIC-194: both ends included, only NewProtocol. */
START_TEST(wic194_list_range_inclusive_one_protocol)
{
	struct ctx c = { .n = 0 };

	ck_assert_uint_eq(portmap_list(pm, TCP, 2000, 3000, 0, NULL, collect,
	    &c), 4);
	ck_assert_uint_eq(c.got[0].key.eport, 2000);
	c.n = 0;
	ck_assert_uint_eq(portmap_list(pm, UDP, 2500, 2500, 0, NULL, collect,
	    &c), 1);
	ck_assert_uint_eq(c.got[0].key.eport, 2500);
	ck_assert_int_eq(c.got[0].key.proto, UDP);
}
END_TEST

/* WIC-197, VC-23: NewNumberOfPorts counts entries; the first N are kept. */
START_TEST(wic197_list_limit_keeps_first)
{
	struct ctx c = { .n = 0 };

	ck_assert_uint_eq(portmap_list(pm, TCP, 1, 65535, 2, NULL, collect,
	    &c), 2);
	ck_assert_uint_eq(c.got[0].key.eport, 1000);
	ck_assert_uint_eq(c.got[1].key.eport, 2000);
	c.n = 0;
	ck_assert_uint_eq(portmap_list(pm, TCP, 1, 65535, 4, NULL, collect,
	    &c), 4);
	ck_assert_addr_eq(c.got[3].key.remote_host, RH_1);
	c.n = 0;
	ck_assert_uint_eq(portmap_list(pm, TCP, 1, 65535, 99, NULL, collect,
	    &c), 5);
}
END_TEST

/* WIC-195, WIC-198: hidden entries are skipped and not counted. */
START_TEST(wic198_list_skips_filtered)
{
	struct ctx c = { .client = addr(CP_A) };

	ck_assert_uint_eq(portmap_list(pm, TCP, 1, 65535, 1, own_only,
	    collect, &c), 1);
	ck_assert_uint_eq(c.got[0].key.eport, 2000);
	c.n = 0;
	ck_assert_uint_eq(portmap_list(pm, TCP, 1, 65535, 0, own_only,
	    collect, &c), 4);
}
END_TEST

/* WIC-199: nothing found is 0 (730), and the callback never runs. */
START_TEST(wic199_list_none_found)
{
	struct ctx c = { .n = 0 };

	ck_assert_uint_eq(portmap_list(pm, TCP, 3001, 65535, 0, NULL, collect,
	    &c), 0);
	ck_assert_uint_eq(portmap_list(pm, UDP, 1, 2499, 0, NULL, collect,
	    &c), 0);
	ck_assert_uint_eq(portmap_list(pm, TCP, 1, 65535, 0, nobody, collect,
	    &c), 0);
	ck_assert_uint_eq(portmap_list(pm, TCP, 3000, 2000, 0, NULL, collect,
	    &c), 0);
	ck_assert_uint_eq(c.n, 0);
}
END_TEST

/* WIC-204: listing changes nothing. */
START_TEST(wic204_list_changes_nothing)
{
	struct ctx c = { .n = 0 };

	(void)portmap_list(pm, TCP, 1, 65535, 0, NULL, collect, &c);
	ck_assert_uint_eq(portmap_count(pm), 6);
	ck_assert_uint_eq(eport_at(0), 3000);
	ck_assert_uint_eq(eport_at(5), 3000);
}
END_TEST

/* ========================================================================== */
/* Free-port search (VC-17) and the predicate                                 */
/* ========================================================================== */

/* AddAny request from CP_B for TCP `port'. */
static enum portmap_status
add_any_b(uint16_t port, portmap_port_fn allowed, void *arg, uint16_t *got)
{
	struct mapping m = upnp_mapping(ANY, TCP, port, CP_B, 80, "any");
	struct mapping out;
	enum portmap_status st;

	out.key.eport = 0;
	st = portmap_add_any(pm, &m, 3600, T0, allowed, arg, &out, NULL);
	*got = st == PORTMAP_OK ? out.key.eport : 0;
	return st;
}

/* The default policy for unauthenticated CPs (VC-17, WIC-172). */
static bool
not_below_1024(uint16_t port, void *arg)
{
	(void)arg;
	return port >= 1024;
}

struct seen {
	uint16_t	ports[4];	/* the first few asked */
	uint16_t	last;
	unsigned	n;
	uint16_t	only;		/* the one port allowed; 0: none */
	uint16_t	deny;		/* one port refused; 0: none */
};

static bool
record(uint16_t port, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->ports[s->n] = port;
	s->n++;
	s->last = port;
	if (s->deny != 0)
		return port != s->deny;
	return port == s->only;
}

/* WIC-164: a free requested port is kept. */
START_TEST(wic164_free_requested_port_kept)
{
	uint16_t got;

	ck_assert_int_eq(add_any_b(8080, NULL, NULL, &got), PORTMAP_OK);
	ck_assert_uint_eq(got, 8080);
}
END_TEST

/* VC-17: the first free port above the request. */
START_TEST(vc17_next_free_port_above)
{
	uint16_t got;

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	add_ok(ANY, TCP, 8081, CP_A, 3600);
	add_ok(ANY, TCP, 8082, CP_A, 3600);
	ck_assert_int_eq(add_any_b(8080, NULL, NULL, &got), PORTMAP_OK);
	ck_assert_uint_eq(got, 8083);
}
END_TEST

/* VC-17: a port used for another RemoteHost is not free; UDP does not count. */
START_TEST(vc17_used_means_any_host_same_protocol)
{
	uint16_t got;

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	add_ok(RH_1, TCP, 8081, CP_C, 3600);
	add_ok(ANY, UDP, 8082, CP_C, 3600);
	ck_assert_int_eq(add_any_b(8080, NULL, NULL, &got), PORTMAP_OK);
	ck_assert_uint_eq(got, 8082);
}
END_TEST

/* VC-17: past 65535 the search wraps to the lowest port (a manager: 1). */
START_TEST(vc17_wraps_to_lowest)
{
	uint16_t got;

	add_ok(ANY, TCP, 65534, CP_A, 3600);
	add_ok(ANY, TCP, 65535, CP_A, 3600);
	add_ok(ANY, TCP, 1, CP_A, 3600);
	ck_assert_int_eq(add_any_b(65534, NULL, NULL, &got), PORTMAP_OK);
	ck_assert_uint_eq(got, 2);
}
END_TEST

/* VC-17, WIC-172: for an unauthenticated CP the wrap starts at 1024. */
START_TEST(vc17_wrap_starts_at_1024_for_cps)
{
	uint16_t got;

	add_ok(ANY, TCP, 65535, CP_A, 3600);
	add_ok(ANY, TCP, 1024, CP_A, 3600);
	ck_assert_int_eq(add_any_b(65535, not_below_1024, NULL, &got),
	    PORTMAP_OK);
	ck_assert_uint_eq(got, 1025);
}
END_TEST

/* VC-17: the order of the ports asked: request, above, then from 1. */
START_TEST(vc17_search_order)
{
	struct seen s = { .only = 2000 };
	uint16_t got;

	add_ok(ANY, TCP, 65534, CP_A, 3600);
	ck_assert_int_eq(add_any_b(65534, record, &s, &got), PORTMAP_OK);
	ck_assert_uint_eq(got, 2000);
	ck_assert_uint_eq(s.ports[0], 65534);
	ck_assert_uint_eq(s.ports[1], 65535);
	ck_assert_uint_eq(s.ports[2], 1);
	ck_assert_uint_eq(s.ports[3], 2);
	ck_assert_uint_eq(s.last, 2000);
	ck_assert_uint_eq(s.n, 2 + 2000);
}
END_TEST

/* VC-11, VC-17: a port another mechanism claims is skipped. */
START_TEST(vc17_predicate_skips_claimed_port)
{
	struct seen s = { .deny = 8081 };
	uint16_t got;

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	ck_assert_int_eq(add_any_b(8080, record, &s, &got), PORTMAP_OK);
	ck_assert_uint_eq(got, 8082);
}
END_TEST

/* VC-11: a free requested port that another mechanism claims moves. */
START_TEST(vc11_predicate_refuses_requested_port)
{
	struct seen s = { .deny = 8080 };
	uint16_t got;

	ck_assert_int_eq(add_any_b(8080, record, &s, &got), PORTMAP_OK);
	ck_assert_uint_eq(got, 8081);
	ck_assert_uint_eq(s.ports[0], 8080);
}
END_TEST

/* WIC-170, VC-17: no port qualifies: 728, and nothing is added. */
START_TEST(vc17_no_port_qualifies)
{
	struct seen s = { .only = 8080 };
	uint16_t got;

	add_ok(ANY, TCP, 8080, CP_A, 3600);
	ck_assert_int_eq(add_any_b(8080, record, &s, &got), PORTMAP_NO_PORTS);
	ck_assert_uint_eq(s.n, 65535);
	ck_assert_uint_eq(portmap_count(pm), 1);
}
END_TEST

/* ========================================================================== */
/* Table limit (VC-21, WIC-157)                                               */
/* ========================================================================== */

static void
small_setup(void)
{
	pm = portmap_new(3);
	ck_assert_ptr_nonnull(pm);
	add_ok(ANY, TCP, 1000, CP_A, 3600);
	add_ok(ANY, TCP, 2000, CP_A, 3600);
	add_ok(ANY, TCP, 3000, CP_A, 3600);
}

/* VC-21: past the limit a new entry is 728. */
START_TEST(vc21_full_refuses_new_entry)
{
	struct mapping m = upnp_mapping(ANY, TCP, 4000, CP_A, 80, "");
	uint16_t got;

	ck_assert_int_eq(portmap_add(pm, &m, 60, T0, NULL, NULL),
	    PORTMAP_FULL);
	m.key = key(RH_1, TCP, 1000);	/* row 14: a new entry */
	ck_assert_int_eq(portmap_add(pm, &m, 60, T0, NULL, NULL),
	    PORTMAP_FULL);
	ck_assert_int_eq(add_any_b(5000, NULL, NULL, &got), PORTMAP_FULL);
	ck_assert_int_eq(add_any_b(1000, NULL, NULL, &got), PORTMAP_FULL);
	ck_assert_uint_eq(portmap_count(pm), 3);
}
END_TEST

/* VC-21: an overwrite needs no room. */
START_TEST(vc21_full_allows_overwrite)
{
	struct mapping m = upnp_mapping(ANY, TCP, 2000, CP_A, 2000, "d");
	struct mapping out;
	enum portmap_change ch;

	ck_assert_int_eq(portmap_add(pm, &m, 60, T0, NULL, &ch), PORTMAP_OK);
	ck_assert_int_eq(ch, PORTMAP_REFRESHED);
	ck_assert_int_eq(portmap_add_any(pm, &m, 60, T0, NULL, NULL, &out,
	    &ch), PORTMAP_OK);
	ck_assert_uint_eq(out.key.eport, 2000);
	ck_assert_uint_eq(portmap_count(pm), 3);
}
END_TEST

/* VC-21: room comes back after a delete, or with a raised limit. */
START_TEST(vc21_room_after_delete_or_raise)
{
	struct portmap_key k = key(ANY, TCP, 2000);

	ck_assert_int_eq(portmap_delete(pm, &k, NULL), PORTMAP_OK);
	add_ok(ANY, TCP, 4000, CP_A, 3600);
	portmap_set_max(pm, 4);
	add_ok(ANY, TCP, 5000, CP_A, 3600);
	ck_assert_uint_eq(portmap_count(pm), 4);
	portmap_set_max(pm, 1);
	ck_assert_uint_eq(portmap_count(pm), 4);
}
END_TEST

/* A table of size 0 refuses everything. */
START_TEST(vc21_zero_limit)
{
	struct portmap *z = portmap_new(0);
	struct mapping m = upnp_mapping(ANY, TCP, 4000, CP_A, 80, "");

	ck_assert_ptr_nonnull(z);
	ck_assert_int_eq(portmap_add(z, &m, 60, T0, NULL, NULL),
	    PORTMAP_FULL);
	portmap_free(z);
}
END_TEST

/* ========================================================================== */
/* Scale: every port of both protocols                                        */
/* ========================================================================== */

#define ALL_PORTS	65535u
#define FULL		(2 * ALL_PORTS)

/* The i-th port (i = 1..65535) in a scrambled order: 40503 is odd. */
static uint16_t
scrambled(uint32_t i)
{
	return (uint16_t)(i * 40503u);
}

static struct mapping
fill_mapping(enum portmap_proto proto, uint16_t port)
{
	struct mapping m;
	char client[INET_ADDRSTRLEN];

	snprintf(client, sizeof(client), "10.%u.%u.%u", proto, port >> 8,
	    (port & 0xff) | 1u);
	m = upnp_mapping(ANY, proto, port, client, port, "fill");
	return m;
}

/*
 * 65535 x 2 entries (the brief's worst case; the service caps the count at
 * 65535, VC-21): lookups, the free-port search, deletes from the middle,
 * range delete, listing and expiry stay right.  Leases: port p lives p s.
 */
START_TEST(scale_every_port_both_protocols)
{
	struct mapping m, at;
	struct portmap_key k;
	struct ctx c = { .n = 0 };
	uint32_t i, when;
	uint16_t p, got;

	portmap_free(pm);
	pm = portmap_new(FULL);
	ck_assert_ptr_nonnull(pm);
	for (i = 1; i <= ALL_PORTS; i++) {
		p = scrambled(i);
		m = fill_mapping(TCP, p);
		ck_assert_int_eq(portmap_add(pm, &m, p, T0, NULL, NULL),
		    PORTMAP_OK);
		m = fill_mapping(UDP, p);
		ck_assert_int_eq(portmap_add(pm, &m, p, T0, NULL, NULL),
		    PORTMAP_OK);
	}
	ck_assert_uint_eq(portmap_count(pm), FULL);

	/* Full: a new entry is 728 whatever the action (row 14 here). */
	m = fill_mapping(TCP, 80);
	m.key.remote_host = addr(RH_1);
	ck_assert_int_eq(portmap_add(pm, &m, 60, T0, NULL, NULL),
	    PORTMAP_FULL);
	ck_assert_int_eq(add_any_b(50000, NULL, NULL, &got), PORTMAP_FULL);

	/* Lookups and the index. */
	ck_assert_addr_eq(get_ok(ANY, TCP, 40000).internal_client,
	    "10.0.156.65");
	ck_assert_uint_eq(eport_at(0), scrambled(1));
	ck_assert_uint_eq(eport_at(FULL - 1), scrambled(ALL_PORTS));

	/* The only free ports are found, above and after the wrap. */
	k = key(ANY, TCP, 40000);
	ck_assert_int_eq(portmap_delete(pm, &k, NULL), PORTMAP_OK);
	k = key(ANY, UDP, 12345);
	ck_assert_int_eq(portmap_delete(pm, &k, NULL), PORTMAP_OK);
	ck_assert_int_eq(add_any_b(50000, NULL, NULL, &got), PORTMAP_OK);
	ck_assert_uint_eq(got, 40000);
	m = upnp_mapping(ANY, UDP, 10000, CP_B, 80, "");
	ck_assert_int_eq(portmap_add_any(pm, &m, 3600, T0, NULL, NULL, &at,
	    NULL), PORTMAP_OK);
	ck_assert_uint_eq(at.key.eport, 12345);
	portmap_set_max(pm, FULL + 10);
	ck_assert_int_eq(add_any_b(50000, NULL, NULL, &got),
	    PORTMAP_NO_PORTS);
	ck_assert_uint_eq(portmap_count(pm), FULL);

	/* Deleting from the middle shifts the rest down by one. */
	ck_assert_int_eq(portmap_at(pm, 65535, &at), PORTMAP_OK);
	ck_assert_int_eq(portmap_at(pm, 65534, &m), PORTMAP_OK);
	ck_assert_int_eq(portmap_delete(pm, &m.key, NULL), PORTMAP_OK);
	ck_assert_int_eq(portmap_at(pm, 65534, &m), PORTMAP_OK);
	ck_assert_uint_eq(m.key.eport, at.key.eport);
	ck_assert_int_eq(m.key.proto, at.key.proto);
	ck_assert_uint_eq(portmap_count(pm), FULL - 1);

	/* Range delete and listing around it. */
	ck_assert_uint_eq(portmap_delete_range(pm, UDP, 30000, 30999, NULL,
	    NULL), 1000);
	ck_assert_uint_eq(portmap_count(pm), FULL - 1 - 1000);
	ck_assert_uint_eq(portmap_list(pm, UDP, 29995, 31004, 10, NULL,
	    collect, &c), 10);
	ck_assert_uint_eq(c.got[4].key.eport, 29999);
	ck_assert_uint_eq(c.got[5].key.eport, 31000);

	/* Ports 1..100 of both protocols expire by T0 + 100. */
	ck_assert_uint_eq(portmap_expire(pm, T0 + 100, NULL, SIZE_MAX), 200);
	ck_assert_uint_eq(portmap_count(pm), FULL - 1 - 1000 - 200);
	ck_assert(portmap_next_expiry(pm, &when));
	ck_assert_uint_eq(when, T0 + 101);
}
END_TEST

/*
 * Structure check against a plain model: random adds (one client, so
 * every add succeeds: rows 1-12, 14, 16), deletes and expiries on a small
 * key space; the index must stay creation order, the list key order.
 */
#define MODEL_PORTS	24
#define MODEL_HOSTS	3
#define MODEL_KEYS	(2 * MODEL_PORTS * MODEL_HOSTS)

struct model {
	unsigned	order[MODEL_KEYS];	/* keys in creation order */
	uint32_t	expires[MODEL_KEYS];
	bool		present[MODEL_KEYS];
	unsigned	n;
};

static const char *const model_hosts[MODEL_HOSTS] = { ANY, RH_1, RH_2 };

/* Key number kn in key order: protocol, port, host. */
static struct portmap_key
model_key(unsigned kn)
{
	return key(model_hosts[kn % MODEL_HOSTS],
	    kn / (MODEL_PORTS * MODEL_HOSTS) == 0 ? TCP : UDP,
	    (uint16_t)(1 + kn / MODEL_HOSTS % MODEL_PORTS));
}

static void
model_drop(struct model *mo, unsigned kn)
{
	unsigned i, j;

	for (i = j = 0; i < mo->n; i++)
		if (mo->order[i] != kn)
			mo->order[j++] = mo->order[i];
	mo->n = j;
	mo->present[kn] = false;
}

struct keys {
	struct portmap_key k[MODEL_KEYS];
	unsigned	n;
};

static void
collect_key(const struct mapping *m, void *arg)
{
	struct keys *ks = arg;

	ck_assert_uint_lt(ks->n, MODEL_KEYS);
	ks->k[ks->n++] = m->key;
}

static void
model_compare(const struct model *mo)
{
	struct keys ks = { .n = 0 };
	struct mapping m;
	struct portmap_key k;
	unsigned i, kn, listed = 0;

	ck_assert_uint_eq(portmap_count(pm), mo->n);
	for (i = 0; i < mo->n; i++) {
		k = model_key(mo->order[i]);
		ck_assert_int_eq(portmap_at(pm, i, &m), PORTMAP_OK);
		ck_assert_key_eq(m.key, k);
	}
	(void)portmap_list(pm, TCP, 1, 65535, 0, NULL, collect_key, &ks);
	(void)portmap_list(pm, UDP, 1, 65535, 0, NULL, collect_key, &ks);
	ck_assert_uint_eq(ks.n, mo->n);
	/* Key numbers run in key order: the list must too. */
	for (kn = 0; kn < MODEL_KEYS; kn++) {
		k = model_key(kn);
		ck_assert_int_eq(portmap_get(pm, &k, &m),
		    mo->present[kn] ? PORTMAP_OK : PORTMAP_NOT_FOUND);
		if (!mo->present[kn])
			continue;
		ck_assert_uint_eq(m.expires, mo->expires[kn]);
		ck_assert_key_eq(ks.k[listed], k);
		listed++;
	}
}

START_TEST(model_random_operations)
{
	struct model mo;
	struct mapping m;
	struct portmap_key k;
	uint32_t seed = 12345, now = T0, lease;
	unsigned step, kn, r;

	memset(&mo, 0, sizeof(mo));
	portmap_set_max(pm, MODEL_KEYS);
	for (step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		r = seed >> 16;
		kn = r % MODEL_KEYS;
		k = model_key(kn);
		if (r % 7 < 4) {
			lease = 1 + r % 500;
			m = upnp_mapping("", k.proto, k.eport, CP_A, 80, "m");
			m.key = k;
			ck_assert_int_eq(portmap_add(pm, &m, lease, now, NULL,
			    NULL), PORTMAP_OK);
			if (!mo.present[kn])
				mo.order[mo.n++] = kn;
			mo.present[kn] = true;
			mo.expires[kn] = now + lease;
		} else if (r % 7 < 6) {
			ck_assert_int_eq(portmap_delete(pm, &k, NULL),
			    mo.present[kn] ? PORTMAP_OK : PORTMAP_NOT_FOUND);
			if (mo.present[kn])
				model_drop(&mo, kn);
		} else {
			now += r % 40;
			for (kn = 0; kn < MODEL_KEYS; kn++)
				if (mo.present[kn] && mo.expires[kn] <= now)
					model_drop(&mo, kn);
			(void)portmap_expire(pm, now, NULL, SIZE_MAX);
		}
		if (step % 97 == 0)
			model_compare(&mo);
	}
	model_compare(&mo);
}
END_TEST

/* ========================================================================== */

static Suite *
portmap_suite(void)
{
	Suite *s = suite_create("portmap");
	TCase *tc;

	tc = tcase_create("AddPortMapping table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wic163_row01_nothing_equal_new_entry);
	tcase_add_test(tc, wic163_row02_client_equal_new_entry);
	tcase_add_test(tc, wic163_row03_host_equal_new_entry);
	tcase_add_test(tc, wic163_row04_host_client_equal_new_entry);
	tcase_add_test(tc, wic163_row05_port_equal_new_entry);
	tcase_add_test(tc, wic163_row06_port_client_equal_new_entry);
	tcase_add_test(tc, wic163_row07_port_host_equal_new_entry);
	tcase_add_test(tc, wic163_row08_all_but_proto_equal_new_entry);
	tcase_add_test(tc, wic163_row09_proto_equal_new_entry);
	tcase_add_test(tc, wic163_row10_proto_client_equal_new_entry);
	tcase_add_test(tc, wic163_row11_proto_host_equal_new_entry);
	tcase_add_test(tc, wic163_row12_all_but_port_equal_new_entry);
	tcase_add_test(tc, wic163_row13_other_host_other_client_conflict);
	tcase_add_test(tc, wic163_row14_other_host_same_client_coexists_vc07);
	tcase_add_test(tc, wic163_row15_same_key_other_client_conflict);
	tcase_add_test(tc, wic163_row16_all_equal_overwrites);
	tcase_add_test(tc, wic163_row13_wildcard_entry_blocks_other_client);
	tcase_add_test(tc, vc07_specific_host_beside_wildcard);
	suite_add_tcase(s, tc);

	tc = tcase_create("AddAnyPortMapping table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wic175_row01_nothing_equal_requested_port);
	tcase_add_test(tc, wic175_row02_client_equal_requested_port);
	tcase_add_test(tc, wic175_row03_host_equal_requested_port);
	tcase_add_test(tc, wic175_row04_host_client_equal_requested_port);
	tcase_add_test(tc, wic175_row05_port_equal_requested_port);
	tcase_add_test(tc, wic175_row06_port_client_equal_requested_port);
	tcase_add_test(tc, wic175_row07_port_host_equal_requested_port);
	tcase_add_test(tc, wic175_row08_all_but_proto_equal_requested_port);
	tcase_add_test(tc, wic175_row09_proto_equal_requested_port);
	tcase_add_test(tc, wic175_row10_proto_client_equal_requested_port);
	tcase_add_test(tc, wic175_row11_proto_host_equal_requested_port);
	tcase_add_test(tc, wic175_row12_all_but_port_equal_requested_port);
	tcase_add_test(tc, wic175_row13_other_host_other_client_alternative);
	tcase_add_test(tc, wic175_row14_other_host_same_client_coexists_vc07);
	tcase_add_test(tc, wic175_row15_same_key_other_client_alternative);
	tcase_add_test(tc, wic175_row16_all_equal_overwrites);
	suite_add_tcase(s, tc);

	tc = tcase_create("overwrite and other mechanisms");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wic057_same_key_twice_is_one_entry);
	tcase_add_test(tc, vc22_overwrite_keeps_index);
	tcase_add_test(tc, vc12_lease_only_is_refresh);
	tcase_add_test(tc, vc12_port_enabled_desc_are_updates);
	tcase_add_test(tc, wic059_disabled_entry_is_kept);
	tcase_add_test(tc, vc11_upnp_cannot_overwrite_static);
	tcase_add_test(tc, vc11_static_claims_port_for_any_host);
	tcase_add_test(tc, vc11_foreign_wins_over_conflict);
	tcase_add_test(tc, vc11_add_any_avoids_static);
	tcase_add_test(tc, wic063_admin_overwrites_upnp_entry);
	tcase_add_test(tc, vc06_broadcast_belongs_to_creator);
	tcase_add_test(tc, replace_restores_previous_value);
	tcase_add_test(tc, add_contract_violations_invalid);
	tcase_add_test(tc, vc25_longest_description_round_trips);
	suite_add_tcase(s, tc);

	tc = tcase_create("lookup and delete");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wic143_wildcard_does_not_match_specific);
	tcase_add_test(tc, vc08_specific_does_not_match_wildcard);
	tcase_add_test(tc, wic176_delete_exact_key);
	tcase_add_test(tc, vc07_delete_wildcard_keeps_specific);
	suite_add_tcase(s, tc);

	tc = tcase_create("GetGeneric index");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, vc22_index_is_creation_order);
	tcase_add_test(tc, wic138_index_past_count_not_found);
	tcase_add_test(tc, wic055_delete_middle_compacts);
	suite_add_tcase(s, tc);

	tc = tcase_create("leases");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wic062_upnp_static_refused);
	tcase_add_test(tc, wic064_max_lease_kept);
	tcase_add_test(tc, wic063_static_never_expires);
	tcase_add_test(tc, wic066_lease_counts_down);
	tcase_add_test(tc, vc15_dynamic_never_reads_zero);
	tcase_add_test(tc, wic067_expires_at_lease_end);
	tcase_add_test(tc, wic065_disabled_entry_expires);
	tcase_add_test(tc, wic067_expiry_compacts_index);
	tcase_add_test(tc, expire_in_batches_earliest_first);
	tcase_add_test(tc, wic068_refresh_moves_expiry);
	tcase_add_test(tc, next_expiry_follows_changes);
	suite_add_tcase(s, tc);

	tc = tcase_create("DeletePortMappingRange");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wic182_range_inclusive_one_protocol);
	tcase_add_test(tc, vc23_range_delete_any_remote_host);
	tcase_add_test(tc, wic186_range_delete_skips_filtered);
	tcase_add_test(tc, wic187_range_delete_none_found);
	suite_add_tcase(s, tc);

	tc = tcase_create("GetListOfPortMappings");
	tcase_add_checked_fixture(tc, list_setup, teardown);
	tcase_add_test(tc, vc23_list_ordered_by_port_then_host);
	tcase_add_test(tc, wic194_list_range_inclusive_one_protocol);
	tcase_add_test(tc, wic197_list_limit_keeps_first);
	tcase_add_test(tc, wic198_list_skips_filtered);
	tcase_add_test(tc, wic199_list_none_found);
	tcase_add_test(tc, wic204_list_changes_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("free-port search");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wic164_free_requested_port_kept);
	tcase_add_test(tc, vc17_next_free_port_above);
	tcase_add_test(tc, vc17_used_means_any_host_same_protocol);
	tcase_add_test(tc, vc17_wraps_to_lowest);
	tcase_add_test(tc, vc17_wrap_starts_at_1024_for_cps);
	tcase_add_test(tc, vc17_search_order);
	tcase_add_test(tc, vc17_predicate_skips_claimed_port);
	tcase_add_test(tc, vc11_predicate_refuses_requested_port);
	tcase_add_test(tc, vc17_no_port_qualifies);
	suite_add_tcase(s, tc);

	tc = tcase_create("limit");
	tcase_add_checked_fixture(tc, small_setup, teardown);
	tcase_add_test(tc, vc21_full_refuses_new_entry);
	tcase_add_test(tc, vc21_full_allows_overwrite);
	tcase_add_test(tc, vc21_room_after_delete_or_raise);
	tcase_add_test(tc, vc21_zero_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("scale");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scale_every_port_both_protocols);
	tcase_add_test(tc, model_random_operations);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(portmap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
