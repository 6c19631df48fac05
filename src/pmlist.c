/*
 * pmlist: PortMappingList fragment builder.
 */
#include "pmlist.h"

#include <stdio.h>

#define NS	"urn:schemas-upnp-org:gw:WANIPConnection"

static void
puts_raw(struct pmlist *l, const char *s)
{
	strbuf_puts(l->b, s);
}

/* Entity-escapes the five XML specials (VC-24). */
static void
puts_escaped(struct pmlist *l, const char *s)
{
	const char *rep;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default: strbuf_add(l->b, s, 1); continue;
		}
		puts_raw(l, rep);
	}
}

static void
field(struct pmlist *l, const char *name, const char *value)
{
	puts_raw(l, "<p:");
	puts_raw(l, name);
	puts_raw(l, ">");
	puts_escaped(l, value);
	puts_raw(l, "</p:");
	puts_raw(l, name);
	puts_raw(l, ">");
}

static void
field_u32(struct pmlist *l, const char *name, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	field(l, name, buf);
}

void
pmlist_begin(struct pmlist *l)
{
	l->own = (struct strbuf)STRBUF_INIT;
	pmlist_begin_in(l, &l->own);
}

void
pmlist_begin_in(struct pmlist *l, struct strbuf *into)
{
	l->b = into;
	/* WIC-209: no XML declaration. */
	puts_raw(l, "<p:PortMappingList xmlns:p=\"" NS "\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
	    "xsi:schemaLocation=\"" NS " "
	    "http://www.upnp.org/schemas/gw/WANIPConnection-v2.xsd\">");
}

void
pmlist_add(struct pmlist *l, const struct pmlist_entry *e)
{
	puts_raw(l, "<p:PortMappingEntry>");
	field(l, "NewRemoteHost", e->remote_host);
	field_u32(l, "NewExternalPort", e->external_port);
	field(l, "NewProtocol", e->protocol);
	field_u32(l, "NewInternalPort", e->internal_port);
	field(l, "NewInternalClient", e->internal_client);
	field(l, "NewEnabled", e->enabled ? "1" : "0");
	field(l, "NewDescription", e->description);
	field_u32(l, "NewLeaseTime", e->lease_time);
	puts_raw(l, "</p:PortMappingEntry>");
}

char *
pmlist_end(struct pmlist *l)
{
	puts_raw(l, PMLIST_CLOSE);
	return strbuf_take(&l->own);
}

bool
pmlist_end_in(struct pmlist *l)
{
	puts_raw(l, PMLIST_CLOSE);
	return !l->b->nomem;
}
