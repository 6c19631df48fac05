/*
 * httpreq: the head of an HTTP/1.x request and a chunked body (see
 * httpreq.h).  Every function walks its input once or twice, forward
 * only: linear in the length, no recursion, no allocation.
 */
#include "httpreq.h"

#include <string.h>

/* A chunk-size line with its extensions (RFC 9112 7.1.1). */
#define CHUNK_LINE_MAX	1024

/* The extension an M-POST declares for SOAP (UDA 1.0 3.2.2). */
#define SOAP_ENVELOPE	"http://schemas.xmlsoap.org/soap/envelope/"

/* Method names are case-sensitive (RFC 9110 9.1). */
static const struct {
	const char		*name;
	enum httpreq_method	 method;
} methods[] = {
	{ "GET",		HTTPREQ_GET },
	{ "HEAD",		HTTPREQ_HEAD },
	{ "POST",		HTTPREQ_POST },
	{ "M-POST",		HTTPREQ_MPOST },
	{ "SUBSCRIBE",		HTTPREQ_SUBSCRIBE },
	{ "UNSUBSCRIBE",	HTTPREQ_UNSUBSCRIBE },
	{ "NOTIFY",		HTTPREQ_NOTIFY },
	{ "M-SEARCH",		HTTPREQ_MSEARCH }
};

/*
 * The headers kept as they are, by the offset of their httpreq_str in
 * struct httpreq; the first of a repeated one wins.
 */
#define KEPT(name, member) { name, offsetof(struct httpreq, member) }
static const struct {
	const char	*name;
	size_t		 off;
} kept[] = {
	KEPT("SOAPACTION",		soapaction),
	KEPT("Content-Type",		content_type),
	KEPT("MAN",			man),
	KEPT("Transfer-Encoding",	transfer_encoding),
	KEPT("Connection",		connection),
	KEPT("Expect",			expect),
	KEPT("ST",			st),
	KEPT("MX",			mx)
};

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A control byte other than HTAB: never in a head. */
static bool
is_ctl(char c)
{
	unsigned char u = (unsigned char)c;

	return (u < 0x20 && u != '\t') || u == 0x7f;
}

/* A tchar of RFC 9110 5.6.2: what methods and header names are made of. */
static bool
is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static struct httpreq_str
str(const char *p, size_t len)
{
	struct httpreq_str s = { p, len };

	return s;
}

/* s without the white space at either end. */
static struct httpreq_str
trim(struct httpreq_str s)
{
	while (s.len > 0 && is_ows(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && is_ows(s.p[s.len - 1]))
		s.len--;
	return s;
}

/* The next comma-separated element of list, trimmed; false at the end. */
static bool
next_element(struct httpreq_str *list, struct httpreq_str *elem)
{
	const char *comma;
	size_t n;

	if (list->p == NULL)
		return false;
	comma = list->len > 0 ? memchr(list->p, ',', list->len) : NULL;
	n = comma != NULL ? (size_t)(comma - list->p) : list->len;
	*elem = trim(str(list->p, n));
	if (comma == NULL)
		*list = str(NULL, 0);
	else
		*list = str(comma + 1, list->len - n - 1);
	return true;
}

bool
httpreq_eq(struct httpreq_str s, const char *lit)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (lit[i] == '\0' || lower(s.p[i]) != lower(lit[i]))
			return false;
	return lit[i] == '\0';
}

/*
 * The next line of buf[*pos..lim), without its LF or CRLF; *pos moves
 * past it.  false when there is no LF before lim.
 */
static bool
next_line(const char *buf, size_t lim, size_t *pos, struct httpreq_str *line)
{
	const char *lf;
	size_t n;

	if (*pos >= lim ||
	    (lf = memchr(buf + *pos, '\n', lim - *pos)) == NULL)
		return false;
	n = (size_t)(lf - (buf + *pos));
	line->p = buf + *pos;
	line->len = n > 0 && line->p[n - 1] == '\r' ? n - 1 : n;
	*pos += n + 1;
	return true;
}

/*
 * Splits a header line "name: value", the value trimmed.  false if the
 * name is empty or not a token, white space precedes the colon, the line
 * continues the previous one (obs-fold: it starts with white space) or
 * the value holds a control byte.
 */
static bool
split_field(struct httpreq_str line, struct httpreq_str *name,
    struct httpreq_str *value)
{
	size_t i;

	for (i = 0; i < line.len && is_tchar(line.p[i]); i++)
		;
	if (i == 0 || i == line.len || line.p[i] != ':')
		return false;
	*name = str(line.p, i);
	*value = trim(str(line.p + i + 1, line.len - i - 1));
	for (i = 0; i < value->len; i++)
		if (is_ctl(value->p[i]))
			return false;
	return true;
}

/*
 * "METHOD SP target SP HTTP/1.x", single spaces, the target any bytes but
 * white space and controls.  0, or the status to answer.
 */
static int
request_line(struct httpreq_str line, struct httpreq *r)
{
	const char *p = line.p, *end = p + line.len, *v;
	size_t i;

	while (p < end && is_tchar(*p))
		p++;
	if (p == line.p || p == end || *p != ' ')
		return 400;
	r->method_name = str(line.p, (size_t)(p - line.p));
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (r->method_name.len == strlen(methods[i].name) &&
		    memcmp(r->method_name.p, methods[i].name,
		    r->method_name.len) == 0)
			r->method = methods[i].method;
	r->target.p = ++p;
	while (p < end && (unsigned char)*p > ' ' && *p != 0x7f)
		p++;
	if (p == r->target.p || p == end || *p != ' ')
		return 400;
	r->target.len = (size_t)(p - r->target.p);
	v = p + 1;
	if (end - v != 8 || memcmp(v, "HTTP/", 5) != 0 || !is_digit(v[5]) ||
	    v[6] != '.' || !is_digit(v[7]))
		return 400;
	if (v[5] != '1')
		return 505;
	r->minor = v[7] - '0';
	return 0;
}

/* Content-Length: digits only; a repeated one must agree. */
static int
content_length(struct httpreq *r, struct httpreq_str v)
{
	uint64_t n = 0, d;
	size_t i;

	if (v.len == 0)
		return 400;
	for (i = 0; i < v.len; i++) {
		if (!is_digit(v.p[i]))
			return 400;
		d = (uint64_t)(v.p[i] - '0');
		if (n > (UINT64_MAX - d) / 10)
			return 400;
		n = n * 10 + d;
	}
	if (r->has_length && r->content_length != n)
		return 400;
	r->has_length = true;
	r->content_length = n;
	return 0;
}

/*
 * Transfer-Encoding: a list in which we know only chunked, once (RFC 9112
 * 6.1, 7: chunked must not be applied twice).
 */
static int
codings(struct httpreq *r, struct httpreq_str v)
{
	struct httpreq_str c;
	bool any = false;

	while (next_element(&v, &c)) {
		if (c.len == 0)
			continue;
		if (!httpreq_eq(c, "chunked"))
			return 501;
		if (r->chunked)
			return 400;
		r->chunked = any = true;
	}
	return any ? 0 : 400;
}

/* One header line: 0, or the status to answer. */
static int
header(struct httpreq *r, struct httpreq_str name, struct httpreq_str value)
{
	struct httpreq_str *f;
	size_t i;

	if (httpreq_eq(name, "Host")) {
		if (r->host.p != NULL)		/* RFC 9112 3.2 */
			return 400;
		r->host = value;
		return 0;
	}
	if (httpreq_eq(name, "Content-Length"))
		return content_length(r, value);
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		if (!httpreq_eq(name, kept[i].name))
			continue;
		f = (struct httpreq_str *)(void *)((char *)r + kept[i].off);
		if (f->p == NULL)
			*f = value;
		break;
	}
	if (httpreq_eq(name, "Transfer-Encoding"))
		return codings(r, value);
	return 0;
}

/*
 * The ns of the SOAP envelope in a MAN value, a list of
 * `"uri"; ns=NN' (RFC 2774 3); the quotes are optional.
 */
static bool
man_ns(struct httpreq_str man, struct httpreq_str *ns)
{
	struct httpreq_str e, uri;
	const char *semi;
	size_t i;

	while (next_element(&man, &e)) {
		if (e.len == 0 || (semi = memchr(e.p, ';', e.len)) == NULL)
			continue;
		uri = trim(str(e.p, (size_t)(semi - e.p)));
		if (uri.len >= 2 && uri.p[0] == '"' &&
		    uri.p[uri.len - 1] == '"')
			uri = str(uri.p + 1, uri.len - 2);
		if (!httpreq_eq(uri, SOAP_ENVELOPE))
			continue;
		e = trim(str(semi + 1, e.len - (size_t)(semi - e.p) - 1));
		if (e.len < 2 || lower(e.p[0]) != 'n' || lower(e.p[1]) != 's')
			continue;
		e = trim(str(e.p + 2, e.len - 2));
		if (e.len < 1 || e.p[0] != '=')
			continue;
		*ns = trim(str(e.p + 1, e.len - 1));
		for (i = 0; i < ns->len && is_digit(ns->p[i]); i++)
			;
		if (i > 0 && i == ns->len)
			return true;
	}
	return false;
}

/*
 * An M-POST's action header is NN-SOAPACTION, NN the ns under which its
 * MAN header declares the SOAP envelope.  A second walk over the header
 * lines of buf[first..head_len), which are known to be well formed: MAN
 * may come after the header it names.
 */
static void
mpost_soapaction(const char *buf, size_t first, size_t head_len,
    struct httpreq *r)
{
	struct httpreq_str line, name, value, ns = { NULL, 0 };
	size_t pos;
	bool found = false;

	for (pos = first; !found && next_line(buf, head_len, &pos, &line) &&
	    split_field(line, &name, &value);)
		found = httpreq_eq(name, "MAN") && man_ns(value, &ns);
	if (!found)
		return;
	for (pos = first; next_line(buf, head_len, &pos, &line) &&
	    split_field(line, &name, &value);) {
		if (name.len == ns.len + 11 &&
		    memcmp(name.p, ns.p, ns.len) == 0 &&
		    httpreq_eq(str(name.p + ns.len, 11), "-SOAPACTION")) {
			r->soapaction = value;
			return;
		}
	}
}

static enum httpreq_status
bad(int *http_status, int status)
{
	*http_status = status;
	return HTTPREQ_BAD;
}

enum httpreq_status
httpreq_parse(const char *buf, size_t len, struct httpreq *r,
    int *http_status)
{
	static const struct httpreq empty;
	struct httpreq_str line, name, value;
	size_t lim = len < HTTPREQ_HEAD_MAX ? len : HTTPREQ_HEAD_MAX;
	size_t pos = 0, first, nheaders = 0;
	int st;

	*r = empty;
	*http_status = 0;
	/* Empty lines before the request line are ignored (RFC 9112 2.2). */
	do {
		if (!next_line(buf, lim, &pos, &line))
			goto incomplete;
	} while (line.len == 0);
	if ((st = request_line(line, r)) != 0)
		return bad(http_status, st);
	first = pos;
	for (;;) {
		if (!next_line(buf, lim, &pos, &line))
			goto incomplete;
		if (line.len == 0)
			break;
		if (++nheaders > HTTPREQ_HEADERS_MAX ||
		    !split_field(line, &name, &value))
			return bad(http_status, 400);
		if ((st = header(r, name, value)) != 0)
			return bad(http_status, st);
	}
	r->head_len = pos;
	if (r->chunked) {
		r->has_length = false;
		r->content_length = 0;
	}
	if (r->method == HTTPREQ_MPOST)
		mpost_soapaction(buf, first, pos, r);
	return HTTPREQ_DONE;

incomplete:
	*r = empty;
	if (len >= HTTPREQ_HEAD_MAX)
		return bad(http_status, 400);
	return HTTPREQ_MORE;
}

/* Neither white space, '"' nor '#': a part of a SOAPACTION. */
static bool
soapaction_part(struct httpreq_str s)
{
	size_t i;

	if (s.len == 0)
		return false;
	for (i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= ' ' || s.p[i] == '"' ||
		    s.p[i] == '#' || s.p[i] == 0x7f)
			return false;
	return true;
}

bool
httpreq_soapaction(struct httpreq_str sa, struct httpreq_str *type,
    struct httpreq_str *action)
{
	const char *hash;

	sa = trim(sa);
	if (sa.len > 0 && sa.p[0] == '"') {
		if (sa.len < 2 || sa.p[sa.len - 1] != '"')
			return false;
		sa = str(sa.p + 1, sa.len - 2);
	}
	if (sa.len == 0 || (hash = memchr(sa.p, '#', sa.len)) == NULL)
		return false;
	*type = str(sa.p, (size_t)(hash - sa.p));
	*action = str(hash + 1, sa.len - type->len - 1);
	return soapaction_part(*type) && soapaction_part(*action);
}

/* Dotted-quad IPv4 in [p, end) into *addr: four parts of 1-3 digits. */
static bool
parse_ipv4(const char *p, const char *end, uint32_t *addr)
{
	unsigned part, v, digits;

	*addr = 0;
	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (p == end || *p != '.')
				return false;
			p++;
		}
		for (v = 0, digits = 0; p < end && is_digit(*p); p++) {
			if (++digits > 3)
				return false;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (digits == 0 || v > 255)
			return false;
		*addr = *addr << 8 | v;
	}
	return p == end;
}

bool
httpreq_host_is(struct httpreq_str host, uint32_t addr, uint16_t port)
{
	const char *p = host.p, *end, *q;
	unsigned long v;
	uint32_t a;

	if (host.len == 0)		/* also absent: p NULL */
		return false;
	end = p + host.len;
	if ((q = memchr(p, ':', host.len)) == NULL)
		q = end;
	if (!parse_ipv4(p, q, &a) || a != addr)
		return false;
	if (q == end || ++q == end)
		return true;			/* no port */
	if (end - q > 5)
		return false;
	for (v = 0; q < end; q++) {
		if (!is_digit(*q))
			return false;
		v = v * 10 + (unsigned long)(*q - '0');
	}
	return v == port;
}

bool
httpreq_path(struct httpreq_str target, struct httpreq_str *path)
{
	static const char root[] = "/";
	const char *p = target.p, *end = target.p + target.len;
	const char *q;

	if (target.len >= 7 && httpreq_eq(str(p, 7), "http://")) {
		for (p += 7, q = p; p < end && *p != '/' && *p != '?' &&
		    *p != '#'; p++)
			;
		if (p == q)			/* no authority */
			return false;
		if (p == end || *p != '/') {
			*path = str(root, 1);
			return true;
		}
	} else if (target.len == 0 || *p != '/')
		return false;
	for (q = p; q < end && *q != '?' && *q != '#'; q++)
		;
	*path = str(p, (size_t)(q - p));
	return true;
}

/*
 * A chunk-size line: hex digits, then nothing, or extensions after a ';'
 * (not interpreted).  false if malformed or the size is above room.
 */
static bool
chunk_size(struct httpreq_str line, size_t room, size_t *size)
{
	size_t i, n = 0, d;
	char c;

	for (i = 0; i < line.len; i++) {
		c = lower(line.p[i]);
		if (is_digit(c))
			d = (size_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (size_t)(c - 'a' + 10);
		else
			break;
		if (d > room || n > (room - d) / 16)
			return false;
		n = n * 16 + d;
	}
	if (i == 0)
		return false;
	for (; i < line.len && is_ows(line.p[i]); i++)
		;
	if (i < line.len && line.p[i] != ';')
		return false;
	for (; i < line.len; i++)
		if (is_ctl(line.p[i]))
			return false;
	*size = n;
	return true;
}

/* No line within the bytes left: MORE, or BAD if they passed the limit. */
static enum httpreq_status
more_unless(bool over)
{
	return over ? HTTPREQ_BAD : HTTPREQ_MORE;
}

/*
 * Walks the chunked body in buf[0..len); with write, moves the data to
 * the front (only once a walk without write said DONE: that one writes
 * nothing, so MORE and BAD leave the buffer as it was).
 */
static enum httpreq_status
walk_chunks(char *buf, size_t len, size_t max, bool write, size_t *out_len,
    size_t *consumed)
{
	struct httpreq_str line, name, value;
	size_t pos = 0, total = 0, size, lim, start;

	for (;;) {
		lim = len - pos > CHUNK_LINE_MAX ? pos + CHUNK_LINE_MAX : len;
		if (!next_line(buf, lim, &pos, &line))
			return more_unless(lim < len);
		if (!chunk_size(line, max - total, &size))
			return HTTPREQ_BAD;
		if (size == 0)
			break;
		if (len - pos <= size)	/* the data and 1 byte of CRLF */
			return HTTPREQ_MORE;
		if (write)
			memmove(buf + total, buf + pos, size);
		total += size;
		pos += size;
		if (buf[pos] == '\r') {
			if (len - pos < 2)
				return HTTPREQ_MORE;
			pos++;
		}
		if (buf[pos++] != '\n')
			return HTTPREQ_BAD;
	}
	/* The trailer section: header lines, then an empty line. */
	start = pos;
	lim = len - start > HTTPREQ_HEAD_MAX ? start + HTTPREQ_HEAD_MAX : len;
	while (next_line(buf, lim, &pos, &line)) {
		if (line.len == 0) {
			*out_len = total;
			*consumed = pos;
			return HTTPREQ_DONE;
		}
		if (!split_field(line, &name, &value))
			return HTTPREQ_BAD;
	}
	return more_unless(lim < len);
}

enum httpreq_status
httpreq_dechunk(char *buf, size_t len, size_t max, size_t *out_len,
    size_t *consumed)
{
	enum httpreq_status st;

	st = walk_chunks(buf, len, max, false, out_len, consumed);
	if (st == HTTPREQ_DONE)
		(void)walk_chunks(buf, *consumed, max, true, out_len,
		    consumed);
	return st;
}
