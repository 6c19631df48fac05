/*
 * msearch: the answers to SSDP searches (see msearch.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "httpreq.h"
#include "msearch.h"

#define ROOTDEVICE	"upnp:rootdevice"

static bool
has_space(struct httpreq_str s)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (s.p[i] == ' ' || s.p[i] == '\t')
			return true;
	return false;
}

/* A decimal MX, capped: the value only sets a delay. */
static bool
parse_mx(struct httpreq_str s, unsigned *mx)
{
	size_t i;

	if (s.p == NULL || s.len == 0)
		return false;
	*mx = 0;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		if (*mx <= MSEARCH_MX_MAX)
			*mx = *mx * 10 + (unsigned)(s.p[i] - '0');
	}
	if (*mx > MSEARCH_MX_MAX)
		*mx = MSEARCH_MX_MAX;
	return true;
}

enum msearch_status
msearch_parse(const char *buf, size_t len, struct msearch *m)
{
	struct httpreq r;
	int status;

	if (httpreq_parse(buf, len, &r, &status) != HTTPREQ_DONE)
		return MSEARCH_BAD;
	if (r.method != HTTPREQ_MSEARCH)
		return MSEARCH_OTHER;
	if (r.target.len != 1 || r.target.p[0] != '*' ||
	    !httpreq_eq(r.man, "\"ssdp:discover\"") || !parse_mx(r.mx, &m->mx) ||
	    r.st.p == NULL || r.st.len == 0 || r.st.len > MSEARCH_ST_MAX ||
	    has_space(r.st))
		return MSEARCH_BAD;
	memcpy(m->st, r.st.p, r.st.len);
	m->st[r.st.len] = '\0';
	return MSEARCH_OK;
}

/*
 * The text of the element opened at p by `open' into out (white space
 * around it removed); the end of the text, or NULL if it is empty or does
 * not fit.
 */
static const char *
element(const char *p, const char *open, char *out, size_t size)
{
	const char *end;
	size_t n;

	p += strlen(open);
	if ((end = strchr(p, '<')) == NULL)
		return NULL;
	while (p < end && strchr(" \t\r\n", *p) != NULL)
		p++;
	n = (size_t)(end - p);
	while (n > 0 && strchr(" \t\r\n", p[n - 1]) != NULL)
		n--;
	if (n == 0 || n >= size)
		return NULL;
	memcpy(out, p, n);
	out[n] = '\0';
	return end;
}

static bool
scan(const char *p, struct msearch_targets *t)
{
	struct msearch_name *dev = NULL;

	while ((p = strchr(p, '<')) != NULL) {
		if (strncmp(p, "<deviceType>", 12) == 0) {
			if (t->ndev == MSEARCH_DEVICES)
				return false;
			dev = &t->dev[t->ndev++];
			p = element(p, "<deviceType>", dev->type,
			    sizeof(dev->type));
		} else if (strncmp(p, "<UDN>", 5) == 0) {
			if (dev == NULL || dev->udn[0] != '\0')
				return false;
			p = element(p, "<UDN>", dev->udn, sizeof(dev->udn));
		} else if (strncmp(p, "<serviceType>", 13) == 0) {
			if (dev == NULL || dev->udn[0] == '\0' ||
			    t->nsvc == MSEARCH_SERVICES)
				return false;
			memcpy(t->svc[t->nsvc].udn, dev->udn, sizeof(dev->udn));
			p = element(p, "<serviceType>", t->svc[t->nsvc].type,
			    sizeof(t->svc[t->nsvc].type));
			t->nsvc++;
		} else
			p++;
		if (p == NULL)
			return false;
	}
	return true;
}

bool
msearch_targets(const char *desc, struct msearch_targets *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	if (!scan(desc, t) || t->ndev == 0)
		goto bad;
	for (i = 0; i < t->ndev; i++)
		if (t->dev[i].udn[0] == '\0')
			goto bad;
	return true;
bad:
	memset(t, 0, sizeof(*t));
	return false;
}

/*
 * The version at the end of a type ("...:NAME:2"): 1 to 9 digits after
 * the last ':', not 0; *base_len is the length before that ':'.  0 if
 * there is none.
 */
static unsigned long
type_version(const char *type, size_t *base_len)
{
	const char *colon = strrchr(type, ':'), *p;
	unsigned long v = 0;

	if (colon == NULL || colon[1] == '\0' || strlen(colon + 1) > 9)
		return 0;
	for (p = colon + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*base_len = (size_t)(colon - type);
	return v;
}

static size_t
emit(msearch_emit_fn fn, void *ctx, const char *st, const char *udn,
    const char *suffix, bool lower)
{
	struct msearch_hit h = { st, udn, suffix, lower };

	fn(ctx, &h);
	return 1;
}

/* A device or service type at the version asked, if not above ours. */
static size_t
match_type(const struct msearch_name *n, const char *st, msearch_emit_fn fn,
    void *ctx)
{
	unsigned long want, have;
	size_t want_len, have_len;

	if ((want = type_version(st, &want_len)) == 0 ||
	    (have = type_version(n->type, &have_len)) == 0 ||
	    want_len != have_len || strncasecmp(st, n->type, want_len) != 0 ||
	    want > have)
		return 0;
	return emit(fn, ctx, st, n->udn, st, want < have);
}

static size_t
match_all(const struct msearch_targets *t, msearch_emit_fn fn, void *ctx)
{
	size_t i, n;

	n = emit(fn, ctx, ROOTDEVICE, t->dev[0].udn, ROOTDEVICE, false);
	for (i = 0; i < t->ndev; i++) {
		n += emit(fn, ctx, t->dev[i].udn, t->dev[i].udn, NULL, false);
		n += emit(fn, ctx, t->dev[i].type, t->dev[i].udn,
		    t->dev[i].type, false);
	}
	for (i = 0; i < t->nsvc; i++)
		n += emit(fn, ctx, t->svc[i].type, t->svc[i].udn,
		    t->svc[i].type, false);
	return n;
}

size_t
msearch_match(const struct msearch_targets *t, const char *st,
    msearch_emit_fn fn, void *ctx)
{
	size_t i, n = 0;

	if (t->ndev == 0)
		return 0;
	if (strcasecmp(st, "ssdp:all") == 0)
		return match_all(t, fn, ctx);
	if (strcasecmp(st, ROOTDEVICE) == 0)
		return emit(fn, ctx, st, t->dev[0].udn, ROOTDEVICE, false);
	if (strncasecmp(st, "uuid:", 5) == 0) {
		for (i = 0; i < t->ndev; i++)
			if (strcasecmp(st, t->dev[i].udn) == 0)
				n += emit(fn, ctx, st, t->dev[i].udn, NULL,
				    false);
		return n;
	}
	if (strncasecmp(st, "urn:", 4) != 0)
		return 0;
	for (i = 0; i < t->ndev; i++)
		n += match_type(&t->dev[i], st, fn, ctx);
	for (i = 0; i < t->nsvc; i++)
		n += match_type(&t->svc[i], st, fn, ctx);
	return n;
}

unsigned
msearch_delay(unsigned mx, uint32_t rnd)
{
	if (mx > MSEARCH_MX_MAX)
		mx = MSEARCH_MX_MAX;
	if (mx >= 2)
		mx -= mx / 10 > 1 ? mx / 10 : 1;
	if (mx < 1)
		mx = 1;
	return rnd % mx;
}

size_t
msearch_format(char *buf, size_t size, const struct msearch_vars *v,
    const struct msearch_hit *h)
{
	int n;

	n = snprintf(buf, size,
	    "HTTP/1.1 200 OK\r\n"
	    "CACHE-CONTROL: max-age=%u\r\n"
	    "DATE: %s\r\n"
	    "EXT:\r\n"
	    "LOCATION: %s\r\n"
	    "%s%s%s"
	    "SERVER: %s\r\n"
	    "ST: %s\r\n"
	    "USN: %s%s%s\r\n"
	    "\r\n",
	    v->max_age, v->date,
	    h->lower ? v->lower_location : v->location,
	    v->nls[0] != '\0' ?
	    "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n01-NLS: " :
	    "", v->nls, v->nls[0] != '\0' ? "\r\n" : "",
	    v->server, h->st, h->udn, h->suffix != NULL ? "::" : "",
	    h->suffix != NULL ? h->suffix : "");
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}
