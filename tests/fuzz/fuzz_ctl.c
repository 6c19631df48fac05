/*
 * fuzz_ctl: the control socket's request parser (src/ctlproto.c) on
 * arbitrary bytes, each line as the daemon would see it.
 *
 * Invariants checked:
 *   - ctlproto_parse_request either fails with a non-empty message, or
 *     gives a request within its documented domain: ports 1-65535,
 *     protocol TCP or UDP, a lease of at most 604800 s, origin ADMIN, a
 *     NUL-terminated description of at most 256 bytes, a client other
 *     than 0.0.0.0;
 *   - an accepted add survives the mapping line round trip: formatting
 *     it (ctlproto_format_mapping) and splitting that line gives the same
 *     fields back (ctlproto_get_mapping);
 *   - ctlproto_encode of any decoded value re-decodes to the same bytes.
 */
#include "ctlproto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static void
check_add(const struct ctlproto_req *r)
{
	char line[CTLPROTO_MAPLINE_MAX];
	struct ctlproto_line l;
	struct mapping back;
	const char *why;

	FUZZ_CHECK(r->m.key.eport > 0 && r->m.internal_port > 0, "port 0");
	FUZZ_CHECK(r->m.key.proto == PORTMAP_TCP ||
	    r->m.key.proto == PORTMAP_UDP, "proto %d", r->m.key.proto);
	FUZZ_CHECK(r->lease <= PORTMAP_LEASE_MAX, "lease %u", r->lease);
	FUZZ_CHECK(r->m.origin == PORTMAP_ORIGIN_ADMIN, "origin");
	FUZZ_CHECK(r->m.internal_client.s_addr != 0, "client 0.0.0.0");
	FUZZ_CHECK(memchr(r->m.desc, '\0', sizeof(r->m.desc)) != NULL &&
	    strlen(r->m.desc) <= PORTMAP_DESC_MAX, "description");

	ctlproto_format_mapping(&r->m, "map", "lease", r->lease, line,
	    sizeof(line));
	FUZZ_CHECK(strchr(line, '\n') == line + strlen(line) - 1,
	    "one line: %s", line);
	line[strlen(line) - 1] = '\0';
	why = ctlproto_split(line, &l);
	FUZZ_CHECK(why == NULL, "own line: %s", why);
	why = ctlproto_get_mapping(&l, &back);
	FUZZ_CHECK(why == NULL, "own mapping: %s", why);
	FUZZ_CHECK(back.key.proto == r->m.key.proto &&
	    back.key.eport == r->m.key.eport &&
	    back.key.remote_host.s_addr == r->m.key.remote_host.s_addr &&
	    back.internal_client.s_addr == r->m.internal_client.s_addr &&
	    back.internal_port == r->m.internal_port &&
	    back.enabled == r->m.enabled && back.origin == r->m.origin &&
	    strcmp(back.desc, r->m.desc) == 0, "round trip");
}

static void
check_encode(const char *value)
{
	static char enc[3 * CTLPROTO_LINE_MAX + 8], line[sizeof(enc) + 8];
	struct ctlproto_line l;
	size_t n;

	n = ctlproto_encode(value, enc, sizeof(enc));
	FUZZ_CHECK(n < sizeof(enc), "encoded length %zu", n);
	memcpy(line, "x v=", 4);
	memcpy(line + 4, enc, n + 1);
	FUZZ_CHECK(ctlproto_split(line, &l) == NULL, "split");
	FUZZ_CHECK(strcmp(ctlproto_get(&l, "v"), value) == 0, "decode");
}

static void
one_line(char *line)
{
	static char copy[CTLPROTO_LINE_MAX + 1];
	struct ctlproto_line l;
	struct ctlproto_req r;
	const char *why;
	size_t i;

	memcpy(copy, line, strlen(line) + 1);
	why = ctlproto_parse_request(line, &r);
	if (why != NULL) {
		FUZZ_CHECK(why[0] != '\0', "empty message");
	} else if (r.cmd == CTL_ADD)
		check_add(&r);
	if (ctlproto_split(copy, &l) == NULL)
		for (i = 0; i < l.nfields; i++)
			check_encode(l.field[i].value);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[CTLPROTO_LINE_MAX + 1];
	size_t i = 0, n;

	/* The daemon cuts requests at '\n' and refuses longer lines. */
	while (i < size) {
		for (n = 0; i + n < size && data[i + n] != '\n'; n++)
			;
		if (n < sizeof(line) && memchr(data + i, '\0', n) == NULL) {
			memcpy(line, data + i, n);
			line[n] = '\0';
			one_line(line);
		}
		i += n + 1;
	}
	return 0;
}
