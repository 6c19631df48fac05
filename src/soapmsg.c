/*
 * soapmsg: SOAP envelopes in and out (see soapmsg.h).
 *
 * The reader works on its own copy of the body and decodes in place: an
 * argument's text is written at the start of its content and a reference
 * or markup is never shorter than what it stands for, so the write
 * position never passes the read position.  Names are NUL-terminated
 * where they end once their tag has been read.  The end of the input is
 * the copy's terminating NUL (the input holds no other).
 */
#include "soapmsg.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENV_NS		"http://schemas.xmlsoap.org/soap/envelope/"
#define ENC_NS		"http://schemas.xmlsoap.org/soap/encoding/"
#define CONTROL_NS	"urn:schemas-upnp-org:control-1-0"
#define ENVELOPE_OPEN	"<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"" \
	ENV_NS "\" s:encodingStyle=\"" ENC_NS "\"><s:Body>"
#define ENVELOPE_CLOSE	"</s:Body></s:Envelope>"
#define REPLACEMENT	"\xef\xbf\xbd"		/* U+FFFD */
#define BOM		"\xef\xbb\xbf"

/* ---- characters ---------------------------------------------------------- */

/*
 * The length of the shortest-form UTF-8 character at p (n bytes left) and
 * its code point in *cp; 0 if there is none (overlong, surrogate, above
 * U+10FFFF, cut).
 */
static size_t
utf8_char(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, c = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, c = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, c = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Printable ASCII, tab, LF, CR: XML characters, each its own byte. */
static bool
plain_ascii(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/* XML 1.0 Char. */
static bool
xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	    (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

static size_t
utf8_put(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *
skip_ws(char *p)
{
	while (is_ws(*p))
		p++;
	return p;
}

/* XML Name characters, the ASCII ones exactly, any other taken. */
static bool
name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == ':' || (unsigned char)c >= 0x80;
}

static bool
name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* The end of the Name at p (p itself if there is none). */
static char *
scan_name(char *p)
{
	if (!name_start(*p))
		return p;
	while (name_char(*++p))
		;
	return p;
}

/* Namespaces in XML: one colon at most, with a name on either side. */
static bool
qname_ok(const char *s, size_t len)
{
	const char *c = memchr(s, ':', len);

	if (c == NULL)
		return true;
	if (c == s || memchr(c + 1, ':', len - (size_t)(c + 1 - s)) != NULL)
		return false;
	return c + 1 < s + len && name_start(c[1]);
}

/*
 * The reference at p ('&'): one of the five predefined entities or a
 * character reference to an XML Char.  Its UTF-8 text goes to out (4
 * bytes at most), its length to *n; returns the position after the ';',
 * NULL for anything else (an undefined entity).
 */
static char *
reference(char *p, char *out, size_t *n)
{
	static const struct {
		const char	*name;
		char		 c;
	} ent[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};
	uint32_t c = 0, base = 10, d;
	size_t i, l;
	char *q;

	p++;
	if (*p != '#') {
		for (i = 0; i < sizeof(ent) / sizeof(ent[0]); i++) {
			l = strlen(ent[i].name);
			if (strncmp(p, ent[i].name, l) == 0) {
				out[0] = ent[i].c;
				*n = 1;
				return p + l;
			}
		}
		return NULL;
	}
	if (*++p == 'x')
		base = 16, p++;
	for (q = p;; q++) {
		if (*q >= '0' && *q <= '9')
			d = (uint32_t)(*q - '0');
		else if (base == 16 && *q >= 'a' && *q <= 'f')
			d = (uint32_t)(*q - 'a' + 10);
		else if (base == 16 && *q >= 'A' && *q <= 'F')
			d = (uint32_t)(*q - 'A' + 10);
		else
			break;
		if ((c = c * base + d) > 0x10ffff)
			return NULL;
	}
	if (q == p || *q != ';' || !xml_char(c))
		return NULL;
	*n = utf8_put(c, out);
	return q + 1;
}

/*
 * Text from p up to `stop' ('<' for character data, the quote for an
 * attribute value) or the end of the input.  References are decoded into
 * *w when w is not NULL (*w never passes p).  *blank: white space only,
 * no reference.  Returns where it stopped; NULL for a bad reference, a
 * '<' in an attribute value or "]]>" in character data.
 */
static char *
text(char *p, char stop, char **w, bool *blank)
{
	char ref[4], *q;
	size_t n;

	*blank = true;
	while (*p != stop && *p != '\0') {
		if (*p == '<' ||
		    (stop == '<' && p[0] == ']' && p[1] == ']' && p[2] == '>'))
			return NULL;
		if (*p == '&') {
			if ((q = reference(p, ref, &n)) == NULL)
				return NULL;
			if (w != NULL) {
				memcpy(*w, ref, n);
				*w += n;
			}
			*blank = false;
			p = q;
			continue;
		}
		if (!is_ws(*p))
			*blank = false;
		if (w != NULL)
			*(*w)++ = *p;
		p++;
	}
	return p;
}

/* ---- the reader ---------------------------------------------------------- */

/* A namespace declaration on an element of level 0 to 2. */
struct nsdecl {
	const char	*prefix;	/* NULL: the default namespace */
	size_t		 plen;
	const char	*uri;
	size_t		 level;
};

enum body_state {
	BODY_BEFORE,
	BODY_IN,
	BODY_DONE
};

/*
 * Levels: 0 Envelope, 1 Body, 2 the action, 3 its arguments.  Only the
 * declarations of levels 0 to 2 are kept: no other name is resolved.
 */
struct parser {
	struct soapmsg		*m;
	char			*p;		/* read position */
	const char		**open;		/* names, NUL-terminated */
	size_t			 depth, open_cap;
	struct nsdecl		*ns;
	size_t			 nns, ns_cap;
	bool			 not_soap;	/* ESOAP unless EXML comes */
	enum body_state		 body;
	bool			 in_action;
	struct soapmsg_arg	*arg;		/* being read, its text at w */
	char			*w;
};

/*
 * Room for element n of array a (cap elements of `size' bytes): a itself,
 * or a larger copy, or NULL when memory ran out (a stays valid).
 */
static void *
grow(void *a, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *np;

	if (n < *cap)
		return a;
	ncap = *cap != 0 ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / 2 / size || (np = realloc(a, ncap * size)) ==
	    NULL)
		return NULL;
	*cap = ncap;
	return np;
}

/* What follows the prefix, if any (qname_ok allows one colon). */
static const char *
local_name(const char *qname)
{
	const char *colon = strchr(qname, ':');

	return colon != NULL ? colon + 1 : qname;
}

/*
 * The namespace URI of a level 0 to 2 element and its local name; NULL
 * if its prefix is not declared.
 */
static const char *
resolve(const struct parser *ps, const char *qname, const char **local)
{
	const char *colon = strchr(qname, ':');
	const struct nsdecl *d;
	size_t i, plen = colon != NULL ? (size_t)(colon - qname) : 0;

	*local = local_name(qname);
	for (i = ps->nns; i-- > 0;) {
		d = &ps->ns[i];
		if (colon == NULL ? d->prefix == NULL : d->prefix != NULL &&
		    d->plen == plen && memcmp(d->prefix, qname, plen) == 0)
			return d->uri;
	}
	return colon == NULL ? "" : NULL;
}

/*
 * What an element just opened at level depth - 1 is to SOAP.  At most
 * three names are resolved (Envelope, Body, the action): linear time
 * however many declarations and elements there are.
 */
static void
opened(struct parser *ps, const char *qname, bool empty)
{
	struct soapmsg *m = ps->m;
	struct soapmsg_arg *a;
	const char *local = local_name(qname), *uri;

	switch (ps->depth - 1) {
	case 0:
		if (resolve(ps, qname, &local) == NULL ||
		    strcmp(local, "Envelope") != 0)
			ps->not_soap = true;
		break;
	case 1:
		if (ps->not_soap || ps->body != BODY_BEFORE ||
		    strcmp(local, "Body") != 0)
			break;		/* a Header, or after the Body */
		if (resolve(ps, qname, &local) == NULL)
			ps->not_soap = true;
		ps->body = BODY_IN;
		break;
	case 2:
		if (ps->body != BODY_IN || m->action != NULL)
			break;
		if ((uri = resolve(ps, qname, &local)) == NULL)
			ps->not_soap = true;
		m->action = local;
		m->ns = uri != NULL ? uri : "";
		ps->in_action = true;
		break;
	case 3:
		if (!ps->in_action)
			break;
		if (m->nargs == SOAPMSG_MAX_ARGS) {
			m->too_many = true;
			break;
		}
		a = &m->args[m->nargs++];
		a->name = local;
		a->value = empty ? "" : ps->p;
		ps->arg = empty ? NULL : a;
		ps->w = ps->p;
		break;
	default:
		if (ps->arg != NULL)
			ps->arg->value = NULL;	/* an element inside */
		break;
	}
}

/* Closes the innermost element (its end tag has been read). */
static void
closed(struct parser *ps)
{
	size_t level = --ps->depth;

	while (ps->nns > 0 && ps->ns[ps->nns - 1].level >= level)
		ps->nns--;
	switch (level) {
	case 1:
		if (ps->body == BODY_IN) {
			ps->body = BODY_DONE;
			if (ps->m->action == NULL)
				ps->not_soap = true;
		}
		break;
	case 2:
		ps->in_action = false;
		break;
	case 3:
		if (ps->arg != NULL && ps->arg->value != NULL)
			*ps->w = '\0';
		ps->arg = NULL;
		break;
	}
}

/* The attributes of a start tag from p; namespace declarations kept. */
static enum soapmsg_err
attributes(struct parser *ps, char *p, bool *empty)
{
	struct nsdecl *d;
	char *name, *end, *value, *w, quote;
	bool blank;

	for (;;) {
		name = skip_ws(p);
		if (*name == '>' || (name[0] == '/' && name[1] == '>')) {
			*empty = *name == '/';
			ps->p = name + (*empty ? 2 : 1);
			return SOAPMSG_OK;
		}
		if (name == p || (end = scan_name(name)) == name ||
		    !qname_ok(name, (size_t)(end - name)))
			return SOAPMSG_EXML;	/* no blank, no name */
		p = skip_ws(end);
		if (*p != '=')
			return SOAPMSG_EXML;
		p = skip_ws(p + 1);
		if ((quote = *p) != '"' && quote != '\'')
			return SOAPMSG_EXML;
		value = w = ++p;
		if ((p = text(p, quote, &w, &blank)) == NULL || *p != quote)
			return SOAPMSG_EXML;
		*w = '\0';		/* at most on the quote, read already */
		p++;
		if (ps->depth > 2 || end - name < 5 ||
		    strncmp(name, "xmlns", 5) != 0 ||
		    (end - name > 5 && name[5] != ':'))
			continue;
		if ((d = grow(ps->ns, &ps->ns_cap, ps->nns,
		    sizeof(*ps->ns))) == NULL)
			return SOAPMSG_ENOMEM;
		ps->ns = d;
		d = &ps->ns[ps->nns++];
		d->prefix = end - name > 6 ? name + 6 : NULL;
		d->plen = d->prefix != NULL ? (size_t)(end - d->prefix) : 0;
		d->uri = value;
		d->level = ps->depth;
	}
}

static enum soapmsg_err
start_tag(struct parser *ps)
{
	const char **o;
	char *name = ps->p + 1, *end;
	enum soapmsg_err e;
	bool empty;

	end = scan_name(name);
	if (end == name || !qname_ok(name, (size_t)(end - name)))
		return SOAPMSG_EXML;
	if ((e = attributes(ps, end, &empty)) != SOAPMSG_OK)
		return e;
	if ((o = grow(ps->open, &ps->open_cap, ps->depth,
	    sizeof(*ps->open))) == NULL)
		return SOAPMSG_ENOMEM;
	ps->open = o;
	*end = '\0';		/* a blank, '/' or '>', read already */
	ps->open[ps->depth++] = name;
	opened(ps, name, empty);
	if (empty)
		closed(ps);
	return SOAPMSG_OK;
}

static enum soapmsg_err
end_tag(struct parser *ps)
{
	const char *top;
	size_t len;
	char *name = ps->p + 2, *end, *p;

	end = scan_name(name);
	if (ps->depth == 0 || end == name)
		return SOAPMSG_EXML;
	top = ps->open[ps->depth - 1];
	len = (size_t)(end - name);
	if (strncmp(name, top, len) != 0 || top[len] != '\0')
		return SOAPMSG_EXML;
	if (*(p = skip_ws(end)) != '>')
		return SOAPMSG_EXML;
	ps->p = p + 1;
	closed(ps);
	return SOAPMSG_OK;
}

static enum soapmsg_err
parse(struct parser *ps)
{
	char *p, *q, **w;
	bool blank, root = false;
	size_t n;
	enum soapmsg_err e;

	while (*(p = ps->p) != '\0') {
		/* Only an argument's own text is kept. */
		w = ps->arg != NULL && ps->arg->value != NULL &&
		    ps->depth == 4 ? &ps->w : NULL;
		if (*p != '<') {
			if ((ps->p = text(p, '<', w, &blank)) == NULL ||
			    (!blank && ps->depth == 0))
				return SOAPMSG_EXML;
			if (!blank && ps->depth == 3 && ps->in_action)
				ps->m->stray = true;
			continue;
		}
		if (strncmp(p, "<!--", 4) == 0) {
			/* "--" only where it ends the comment. */
			if ((q = strstr(p + 4, "--")) == NULL || q[2] != '>')
				return SOAPMSG_EXML;
			ps->p = q + 3;
		} else if (p[1] == '?') {
			/* A PI, the XML declaration among them. */
			if (scan_name(p + 2) == p + 2 ||
			    (q = strstr(p + 2, "?>")) == NULL)
				return SOAPMSG_EXML;
			ps->p = q + 2;
		} else if (strncmp(p, "<![CDATA[", 9) == 0) {
			p += 9;
			if (ps->depth == 0 || (q = strstr(p, "]]>")) == NULL)
				return SOAPMSG_EXML;
			if (ps->depth == 3 && ps->in_action)
				ps->m->stray = true;
			if (w != NULL) {
				n = (size_t)(q - p);
				memmove(*w, p, n);
				*w += n;
			}
			ps->p = q + 3;
		} else if (p[1] == '!') {
			return SOAPMSG_EXML;	/* DOCTYPE and the like */
		} else if (p[1] == '/') {
			if ((e = end_tag(ps)) != SOAPMSG_OK)
				return e;
		} else {
			if (root && ps->depth == 0)
				return SOAPMSG_EXML;	/* a second root */
			root = true;
			if ((e = start_tag(ps)) != SOAPMSG_OK)
				return e;
		}
	}
	if (!root || ps->depth != 0)
		return SOAPMSG_EXML;
	if (ps->not_soap || ps->body != BODY_DONE)
		return SOAPMSG_ESOAP;
	return SOAPMSG_OK;
}

enum soapmsg_err
soapmsg_parse(struct soapmsg *m, const char *body, size_t len)
{
	struct parser ps;
	enum soapmsg_err e;
	size_t i, n;
	uint32_t c;

	memset(m, 0, sizeof(*m));
	if (len >= 3 && memcmp(body, BOM, 3) == 0)
		body += 3, len -= 3;
	for (i = 0; i < len; i += n)
		if (plain_ascii((unsigned char)body[i]))
			n = 1;			/* most of a body: no decoding */
		else if ((n = utf8_char((const unsigned char *)body + i,
		    len - i, &c)) == 0 || !xml_char(c))
			return SOAPMSG_EXML;	/* also a NUL */
	if (len == 0)
		return SOAPMSG_EXML;		/* no root */
	if (len == SIZE_MAX || (m->buf = malloc(len + 1)) == NULL)
		return SOAPMSG_ENOMEM;
	memcpy(m->buf, body, len);
	m->buf[len] = '\0';
	memset(&ps, 0, sizeof(ps));
	ps.m = m;
	ps.p = m->buf;
	e = parse(&ps);
	free(ps.open);
	free(ps.ns);
	if (e != SOAPMSG_OK)
		soapmsg_free(m);
	return e;
}

void
soapmsg_free(struct soapmsg *m)
{
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

/* ---- the writer ---------------------------------------------------------- */

/* s as XML text or attribute value (see soapmsg.h). */
static void
put_escaped(struct strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t left = strlen(s), n;
	const char *rep;
	uint32_t c;

	while (left > 0) {
		if (plain_ascii(*p) && strchr("&<>\"'\r", *p) == NULL) {
			p++;			/* copied as it is, with its run */
			left--;
			continue;
		}
		n = utf8_char(p, left, &c);
		rep = NULL;
		if (n == 0 || !xml_char(c))
			rep = REPLACEMENT;
		else if (c == '&')
			rep = "&amp;";
		else if (c == '<')
			rep = "&lt;";
		else if (c == '>')
			rep = "&gt;";
		else if (c == '"')
			rep = "&quot;";
		else if (c == '\'')
			rep = "&apos;";
		else if (c == '\r')
			rep = "&#13;";		/* a parser would make it \n */
		if (n == 0)
			n = 1;
		if (rep != NULL) {
			strbuf_add(b, (const char *)run, (size_t)(p - run));
			strbuf_puts(b, rep);
			run = p + n;
		}
		p += n;
		left -= n;
	}
	strbuf_add(b, (const char *)run, (size_t)(p - run));
}

static void
put_tag(struct strbuf *b, const char *open, const char *name)
{
	strbuf_puts(b, open);
	strbuf_puts(b, name);
	strbuf_puts(b, ">");
}

void
soapmsg_resp_begin(struct strbuf *b, const char *action,
    const char *service_type)
{
	strbuf_puts(b, ENVELOPE_OPEN "<u:");
	strbuf_puts(b, action);
	strbuf_puts(b, "Response xmlns:u=\"");
	put_escaped(b, service_type);
	strbuf_puts(b, "\">");
}

void
soapmsg_resp_arg(struct strbuf *b, const char *name, const char *value)
{
	put_tag(b, "<", name);
	put_escaped(b, value);
	put_tag(b, "</", name);
}

void
soapmsg_resp_cdata_open(struct strbuf *b, const char *name)
{
	put_tag(b, "<", name);
	strbuf_puts(b, "<![CDATA[");
}

void
soapmsg_resp_cdata_close(struct strbuf *b, const char *name)
{
	strbuf_puts(b, "]]>");
	put_tag(b, "</", name);
}

void
soapmsg_resp_cdata(struct strbuf *b, const char *name, const char *text)
{
	soapmsg_resp_cdata_open(b, name);
	strbuf_puts(b, text);
	soapmsg_resp_cdata_close(b, name);
}

void
soapmsg_resp_end(struct strbuf *b, const char *action)
{
	strbuf_puts(b, "</u:");
	strbuf_puts(b, action);
	strbuf_puts(b, "Response>" ENVELOPE_CLOSE);
}

void
soapmsg_fault(struct strbuf *b, int code, const char *desc)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", code);
	strbuf_puts(b, ENVELOPE_OPEN "<s:Fault><faultcode>s:Client</faultcode>"
	    "<faultstring>UPnPError</faultstring><detail><UPnPError xmlns=\""
	    CONTROL_NS "\"><errorCode>");
	strbuf_puts(b, num);
	strbuf_puts(b, "</errorCode><errorDescription>");
	put_escaped(b, desc);
	strbuf_puts(b, "</errorDescription></UPnPError></detail></s:Fault>"
	    ENVELOPE_CLOSE);
}
