/*
 * soap: action arguments in, response arguments out.
 */
#include "soap.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum upnperr
soap_args(const struct soapmsg *m, const char *const *names, size_t n,
    const char **values)
{
	const struct soapmsg_arg *a;
	size_t i;

	for (i = 0; i < n; i++)
		values[i] = NULL;
	if (m->stray || m->too_many)
		return UPNPERR_INVALID_ARGS;
	for (a = m->args; a < m->args + m->nargs; a++) {
		for (i = 0; i < n; i++)
			if (strcmp(a->name, names[i]) == 0)
				break;
		if (i == n || values[i] != NULL)
			return UPNPERR_INVALID_ARGS;	/* unknown, dup */
		if ((values[i] = a->value) == NULL)
			return UPNPERR_INVALID_ARGS;	/* holds elements */
	}
	for (i = 0; i < n; i++)
		if (values[i] == NULL)
			return UPNPERR_INVALID_ARGS;	/* missing */
	return UPNPERR_NONE;
}

static enum upnperr
parse_decimal(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return UPNPERR_INVALID_ARGS;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return UPNPERR_INVALID_ARGS;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return UPNPERR_INVALID_ARGS;
	}
	*out = (uint32_t)v;
	return UPNPERR_NONE;
}

enum upnperr
soap_ui2(const char *s, uint16_t *out)
{
	uint32_t v;
	enum upnperr e;

	if ((e = parse_decimal(s, 65535, &v)) == UPNPERR_NONE)
		*out = (uint16_t)v;
	return e;
}

enum upnperr
soap_ui4(const char *s, uint32_t *out)
{
	return parse_decimal(s, UINT32_MAX, out);
}

enum upnperr
soap_bool(const char *s, bool *out)
{
	static const char *const t[] = { "1", "true", "yes" };
	static const char *const f[] = { "0", "false", "no" };
	size_t lead = strspn(s, " \t\r\n"), len, i;

	s += lead;
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	for (i = 0; i < 3; i++) {
		if (strlen(t[i]) == len && strncasecmp(s, t[i], len) == 0)
			return *out = true, UPNPERR_NONE;
		if (strlen(f[i]) == len && strncasecmp(s, f[i], len) == 0)
			return *out = false, UPNPERR_NONE;
	}
	return UPNPERR_INVALID_ARGS;
}

/* Opens the envelope on first use; 603 once memory ran out. */
static enum upnperr
begin(struct soap_resp *r)
{
	if (!r->started) {
		soapmsg_resp_begin(&r->body, r->action, r->service_type);
		r->started = true;
	}
	return r->body.nomem ? UPNPERR_OUT_OF_MEMORY : UPNPERR_NONE;
}

enum upnperr
soap_out(struct soap_resp *r, const char *name, const char *value)
{
	enum upnperr e;

	if ((e = begin(r)) != UPNPERR_NONE)
		return e;
	soapmsg_resp_arg(&r->body, name, value);
	return begin(r);
}

enum upnperr
soap_out_u32(struct soap_resp *r, const char *name, uint32_t value)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", value);
	return soap_out(r, name, buf);
}

enum upnperr
soap_out_bool(struct soap_resp *r, const char *name, bool b)
{
	return soap_out(r, name, b ? "1" : "0");	/* WIC-035, WIC-036 */
}

enum upnperr
soap_out_cdata(struct soap_resp *r, const char *name, const char *text)
{
	struct strbuf *b;
	size_t mark;

	if ((b = soap_out_cdata_open(r, name, &mark)) == NULL)
		return UPNPERR_OUT_OF_MEMORY;
	strbuf_puts(b, text);
	return soap_out_cdata_close(r, name, mark);
}

struct strbuf *
soap_out_cdata_open(struct soap_resp *r, const char *name, size_t *mark)
{
	if (begin(r) != UPNPERR_NONE)
		return NULL;
	*mark = r->body.len;
	soapmsg_resp_cdata_open(&r->body, name);
	return r->body.nomem ? NULL : &r->body;
}

enum upnperr
soap_out_cdata_close(struct soap_resp *r, const char *name, size_t mark)
{
	if (r->body.nomem)
		return UPNPERR_OUT_OF_MEMORY;
	/* The section would end early at "]]>": the argument goes. */
	if (strstr(r->body.p + mark, "]]>") != NULL) {
		r->body.len = mark;
		r->body.p[mark] = '\0';
		return UPNPERR_ACTION_FAILED;
	}
	soapmsg_resp_cdata_close(&r->body, name);
	return begin(r);
}

const char *
soap_resp_finish(struct soap_resp *r)
{
	if (begin(r) != UPNPERR_NONE)
		return NULL;
	soapmsg_resp_end(&r->body, r->action);
	return r->body.nomem ? NULL : r->body.p;
}

bool
soap_resp_move(struct soap_resp *r, struct strbuf *out)
{
	if (soap_resp_finish(r) == NULL)
		return false;
	strbuf_free(out);
	*out = r->body;
	r->body = (struct strbuf)STRBUF_INIT;
	return true;
}

void
soap_resp_free(struct soap_resp *r)
{
	strbuf_free(&r->body);
	r->started = false;
}
