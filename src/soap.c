/*
 * soap: action arguments in, response arguments out.
 */
#include "upnpcompat.h"
#include "soap.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static IXML_Node *
find_element(IXML_Node *n, const char *name, unsigned depth)
{
	IXML_Node *c, *hit;
	const char *ln;

	/* Bounded: the action sits within a few levels of the root. */
	if (n == NULL || depth > 8)
		return NULL;
	if (ixmlNode_getNodeType(n) == eELEMENT_NODE) {
		ln = ixmlNode_getLocalName(n);
		if (ln == NULL)
			ln = ixmlNode_getNodeName(n);
		if (ln != NULL && strcmp(ln, name) == 0)
			return n;
	}
	for (c = ixmlNode_getFirstChild(n); c != NULL;
	    c = ixmlNode_getNextSibling(c))
		if ((hit = find_element(c, name, depth + 1)) != NULL)
			return hit;
	return NULL;
}

IXML_Node *
soap_action_node(IXML_Document *req, const char *action)
{
	return find_element((IXML_Node *)req, action, 0);
}

static const char *
element_name(IXML_Node *n)
{
	const char *ln = ixmlNode_getLocalName(n);

	return ln != NULL ? ln : ixmlNode_getNodeName(n);
}

/* The text content of an argument element, or NULL if it holds elements. */
static const char *
element_text(IXML_Node *e)
{
	IXML_Node *c;
	const char *text = "";
	unsigned ntext = 0;

	for (c = ixmlNode_getFirstChild(e); c != NULL;
	    c = ixmlNode_getNextSibling(c)) {
		switch (ixmlNode_getNodeType(c)) {
		case eTEXT_NODE:
		case eCDATA_SECTION_NODE:
			if (++ntext > 1)
				return NULL;	/* split text: refuse, rare */
			text = ixmlNode_getNodeValue(c);
			if (text == NULL)
				text = "";
			break;
		default:
			return NULL;
		}
	}
	return text;
}

static bool
is_blank_text(IXML_Node *c)
{
	const char *v = ixmlNode_getNodeValue(c);

	return v == NULL || v[strspn(v, " \t\r\n")] == '\0';
}

enum upnperr
soap_args(IXML_Node *action, const char *const *names, size_t n,
    const char **values)
{
	IXML_Node *c;
	const char *name;
	size_t i;

	for (i = 0; i < n; i++)
		values[i] = NULL;
	for (c = ixmlNode_getFirstChild(action); c != NULL;
	    c = ixmlNode_getNextSibling(c)) {
		if (ixmlNode_getNodeType(c) == eTEXT_NODE && is_blank_text(c))
			continue;	/* white space between arguments */
		if (ixmlNode_getNodeType(c) != eELEMENT_NODE)
			return UPNPERR_INVALID_ARGS;
		name = element_name(c);
		for (i = 0; i < n; i++)
			if (name != NULL && strcmp(name, names[i]) == 0)
				break;
		if (i == n || values[i] != NULL)
			return UPNPERR_INVALID_ARGS;	/* unknown, dup */
		if ((values[i] = element_text(c)) == NULL)
			return UPNPERR_INVALID_ARGS;
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

enum upnperr
soap_out(struct soap_resp *r, const char *name, const char *value)
{
	if (UpnpAddToActionResponse(&r->doc, r->action, r->service_type, name,
	    value) != UPNP_E_SUCCESS)
		return UPNPERR_OUT_OF_MEMORY;
	return UPNPERR_NONE;
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
	IXML_NodeList *nl;
	IXML_Node *el, *c;
	IXML_CDATASection *cdata = NULL;
	enum upnperr e;

	if (strstr(text, "]]>") != NULL)
		return UPNPERR_ACTION_FAILED;
	if ((e = soap_out(r, name, "")) != UPNPERR_NONE)
		return e;
	nl = ixmlDocument_getElementsByTagName(r->doc, name);
	el = nl != NULL ? ixmlNodeList_item(nl, ixmlNodeList_length(nl) - 1) :
	    NULL;
	if (nl != NULL)
		ixmlNodeList_free(nl);
	if (el == NULL)
		return UPNPERR_ACTION_FAILED;
	while ((c = ixmlNode_getFirstChild(el)) != NULL) {
		ixmlNode_removeChild(el, c, &c);
		ixmlNode_free(c);
	}
	if (ixmlDocument_createCDATASectionEx(r->doc, text, &cdata) !=
	    IXML_SUCCESS ||
	    ixmlNode_appendChild(el, (IXML_Node *)cdata) != IXML_SUCCESS) {
		if (cdata != NULL)
			ixmlNode_free((IXML_Node *)cdata);
		return UPNPERR_OUT_OF_MEMORY;
	}
	return UPNPERR_NONE;
}
