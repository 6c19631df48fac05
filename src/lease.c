/*
 * lease: the lease file's text (see lease.h).
 */
#include <string.h>

#include "ctlproto.h"
#include "lease.h"

size_t
lease_format(const struct mapping *m, uint64_t expires, char *buf, size_t len)
{
	return ctlproto_format_mapping(m, "map", "expires", expires, buf, len);
}

/* Checks one "map" line into *e.  NULL, or what is wrong. */
static const char *
parse_line(char *line, uint64_t now, struct lease_entry *e, bool *expired)
{
	struct ctlproto_line l;
	const char *why;
	uint64_t end;

	*expired = false;
	if ((why = ctlproto_split(line, &l)) != NULL)
		return why;
	if (strcmp(l.verb, "map") != 0)
		return "expected a \"map\" line";
	if ((why = ctlproto_get_mapping(&l, &e->m)) != NULL)
		return why;
	if (ctlproto_get(&l, "origin") == NULL)
		return "origin: missing";
	if (e->m.origin == PORTMAP_ORIGIN_CONFIG)
		return "origin: config mappings come from the configuration";
	if (!ctlproto_number(ctlproto_get(&l, "expires"), UINT64_MAX, &end))
		return "expires: expected wall-clock seconds";
	if (end == 0) {
		if (e->m.origin == PORTMAP_ORIGIN_UPNP)
			return "expires: a control point's mapping has a lease";
		e->remaining = 0;
		return NULL;
	}
	if (end <= now) {
		*expired = true;
		return NULL;
	}
	/* A clock set back must not make a lease longer than UPnP allows. */
	e->remaining = end - now > PORTMAP_LEASE_MAX ? PORTMAP_LEASE_MAX :
	    (uint32_t)(end - now);
	return NULL;
}

void
lease_parse(char *buf, size_t len, uint64_t now, lease_entry_fn entry,
    lease_error_fn error, void *arg, struct lease_counts *c)
{
	struct lease_entry e;
	const char *why;
	char *p = buf, *end = buf + len, *nl;
	unsigned lineno = 0;
	bool expired;

	memset(c, 0, sizeof(*c));
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		why = NULL;
		if (nl == NULL) {
			why = "truncated line (no newline at the end)";
			nl = end;
		} else if ((size_t)(nl - p) >= CTLPROTO_MAPLINE_MAX)
			why = "line too long";
		else if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
			why = "NUL byte in line";
		else {
			*nl = '\0';
			if (p[strspn(p, " \t")] == '\0' || p[0] == '#') {
				p = nl + 1;
				continue;
			}
			why = parse_line(p, now, &e, &expired);
		}
		if (why != NULL) {
			error(lineno, why, arg);
			c->bad++;
		} else if (expired)
			c->expired++;
		else {
			entry(&e, arg);
			c->restored++;
		}
		p = nl + 1;
	}
}
