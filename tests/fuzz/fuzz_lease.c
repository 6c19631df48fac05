/*
 * fuzz_lease: the lease file parser (src/lease.c) on arbitrary bytes, as
 * the daemon reads a damaged or foreign file at start.
 *
 * Invariants checked:
 *   - every line is counted once: restored + expired + bad equals the
 *     number of non-blank, non-comment lines;
 *   - an error names a line of the input and has a message;
 *   - a restored entry is in its domain: ports 1-65535, TCP or UDP, origin
 *     UPNP or ADMIN (never CONFIG), a UPNP entry has a lease of 1-604800
 *     s, only ADMIN may be static (0), a NUL-terminated description;
 *   - the entries written back with lease_format and parsed again give
 *     the same entries (the file the daemon rewrites loses nothing).
 */
#include "lease.h"
#include "ctlproto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define NOW		1000000000ull
#define MAX_IN		16384

static struct lease_entry ent[MAX_IN / 16];
static size_t nent;
static unsigned nlines;

static void
on_entry(const struct lease_entry *e, void *arg)
{
	(void)arg;
	FUZZ_CHECK(e->m.key.eport > 0 && e->m.internal_port > 0, "port 0");
	FUZZ_CHECK(e->m.key.proto == PORTMAP_TCP ||
	    e->m.key.proto == PORTMAP_UDP, "proto");
	FUZZ_CHECK(e->m.origin == PORTMAP_ORIGIN_UPNP ||
	    e->m.origin == PORTMAP_ORIGIN_ADMIN, "origin %d", e->m.origin);
	FUZZ_CHECK(e->remaining <= PORTMAP_LEASE_MAX, "lease %u",
	    e->remaining);
	FUZZ_CHECK(e->remaining > 0 || e->m.origin == PORTMAP_ORIGIN_ADMIN,
	    "static UPnP entry");
	FUZZ_CHECK(memchr(e->m.desc, '\0', sizeof(e->m.desc)) != NULL,
	    "description");
	FUZZ_CHECK(nent < sizeof(ent) / sizeof(ent[0]), "too many entries");
	ent[nent++] = *e;
}

static void
on_error(unsigned line, const char *why, void *arg)
{
	(void)arg;
	FUZZ_CHECK(line >= 1 && line <= nlines, "line %u of %u", line, nlines);
	FUZZ_CHECK(why != NULL && why[0] != '\0', "message");
}

/* Lines that are neither blank nor comments (as lease_parse skips). */
static size_t
counted_lines(const uint8_t *d, size_t n, unsigned *all)
{
	size_t i = 0, k, count = 0;

	*all = 0;
	while (i < n) {
		for (k = i; k < n && d[k] != '\n'; k++)
			;
		(*all)++;
		if (k < n && memchr(d + i, '\0', k - i) == NULL &&
		    k - i < CTLPROTO_MAPLINE_MAX) {
			size_t j = i;

			while (j < k && (d[j] == ' ' || d[j] == '\t'))
				j++;
			if (j < k && d[i] != '#')
				count++;
		} else
			count++;
		i = k + 1;
	}
	return count;
}

static void
rewrite_and_compare(void)
{
	static char text[MAX_IN / 16 * CTLPROTO_MAPLINE_MAX];
	static struct lease_entry first[MAX_IN / 16];
	struct lease_counts c;
	size_t i, len = 0, n = nent;

	memcpy(first, ent, n * sizeof(ent[0]));
	for (i = 0; i < n; i++)
		len += lease_format(&first[i].m, first[i].remaining == 0 ? 0 :
		    NOW + first[i].remaining, text + len, CTLPROTO_MAPLINE_MAX);
	nent = 0;
	nlines = (unsigned)n + 1;
	lease_parse(text, len, NOW, on_entry, on_error, NULL, &c);
	FUZZ_CHECK(c.restored == n && c.bad == 0 && c.expired == 0,
	    "rewrite: %zu of %zu back, %zu bad", c.restored, n, c.bad);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(memcmp(&ent[i].m.key, &first[i].m.key,
		    sizeof(first[i].m.key)) == 0 &&
		    ent[i].m.internal_client.s_addr ==
		    first[i].m.internal_client.s_addr &&
		    ent[i].m.internal_port == first[i].m.internal_port &&
		    ent[i].m.enabled == first[i].m.enabled &&
		    ent[i].m.origin == first[i].m.origin &&
		    ent[i].m.creator.s_addr == first[i].m.creator.s_addr &&
		    ent[i].remaining == first[i].remaining &&
		    strcmp(ent[i].m.desc, first[i].m.desc) == 0,
		    "entry %zu changed", i);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[MAX_IN + 1];
	struct lease_counts c;
	size_t want;

	if (size > MAX_IN)
		return 0;
	want = counted_lines(data, size, &nlines);
	memcpy(buf, data, size);
	nent = 0;
	lease_parse(buf, size, NOW, on_entry, on_error, NULL, &c);
	FUZZ_CHECK(c.restored + c.expired + c.bad == want,
	    "%zu + %zu + %zu lines, %zu expected", c.restored, c.expired,
	    c.bad, want);
	FUZZ_CHECK(c.restored == nent, "entries");
	rewrite_and_compare();
	return 0;
}
