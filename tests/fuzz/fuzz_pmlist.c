/*
 * fuzz_pmlist: round trip of the PortMappingList builder (src/pmlist.c)
 * and of its trip inside a SOAP response (src/soap.c soap_out_cdata).
 *
 * Input: byte 0 = number of entries (0..15), then per entry: remote host,
 * protocol, internal client, description (each a length byte and that
 * many raw bytes; a NUL ends the C string early), external port (2 bytes),
 * internal port (2), enabled (1), lease time (4).  The fields are
 * arbitrary bytes, so "]]>", "<&>\"'", control bytes and broken UTF-8
 * all reach the builder.
 *
 * Checked:
 *   - the fragment never contains "]]>" (it travels as CDATA, VC-24);
 *   - when every string field is valid UTF-8 made of XML 1.0 characters
 *     (the builder's contract: it escapes the five specials and nothing
 *     else, so it cannot make other bytes legal), the fragment parses with
 *     ixml and reads back exactly: the root and its namespace, one
 *     PortMappingEntry per entry with its eight fields in WIC-207 order,
 *     every number, every string byte for byte, except that ixml drops
 *     text made only of XML white space (so "", " ", "\t\r\n" read as "");
 *   - soap_out_cdata puts the fragment in a response (soap_resp_finish)
 *     whose text holds it as one CDATA section byte for byte, and which
 *     src/soapmsg.c, the daemon's own reader, reads as
 *     GetListOfPortMappingsResponse with the one argument NewPortListing
 *     giving the fragment back byte for byte;
 *   - built in place inside the response (soap_out_cdata_open,
 *     pmlist_begin_in, as the daemon does), the response is the same
 *     byte for byte, whatever the fields hold.
 * Fields outside the contract only have to be built without a crash.
 */
#include "upnpcompat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "pmlist.h"
#include "soap.h"
#include "soapmsg.h"

#define NS		"urn:schemas-upnp-org:gw:WANIPConnection"
#define MAX_ENTRIES	15

struct field_buf {
	char	remote_host[256];
	char	protocol[256];
	char	internal_client[256];
	char	description[256];
};

static void
decode_str(struct fuzz_in *in, char *dst)
{
	size_t n = fuzz_u8(in);

	n = fuzz_bytes(in, dst, n);
	dst[n] = '\0';
}

/* Valid UTF-8 (shortest form, no surrogates) of XML 1.0 Chars only. */
static bool
xml_text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	int n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			c = *p++;
			if (c < 0x20 && c != 0x9 && c != 0xa && c != 0xd)
				return false;
			continue;
		}
		if ((*p & 0xe0) == 0xc0)
			n = 1, c = *p & 0x1f, min = 0x80;
		else if ((*p & 0xf0) == 0xe0)
			n = 2, c = *p & 0x0f, min = 0x800;
		else if ((*p & 0xf8) == 0xf0)
			n = 3, c = *p & 0x07, min = 0x10000;
		else
			return false;
		p++;
		for (i = 0; i < n; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			c = c << 6 | (*p & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
		    c == 0xfffe || c == 0xffff)
			return false;
	}
	return true;
}

/* What ixml hands back for text s: nothing if it is all white space. */
static const char *
ixml_reading(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0' ? "" : s;
}

/* Next sibling (or first child) that is an element, skipping nothing else. */
static IXML_Node *
element_at(IXML_Node *n, const char *what)
{
	FUZZ_CHECK(n != NULL, "missing node: %s", what);
	FUZZ_CHECK(ixmlNode_getNodeType(n) == eELEMENT_NODE,
	    "%s: node of type %d", what, (int)ixmlNode_getNodeType(n));
	return n;
}

static const char *
text_of(IXML_Node *e, const char *name)
{
	IXML_Node *c = ixmlNode_getFirstChild(e);
	const char *v;

	if (c == NULL)
		return "";
	FUZZ_CHECK(ixmlNode_getNextSibling(c) == NULL, "%s: split text", name);
	FUZZ_CHECK(ixmlNode_getNodeType(c) == eTEXT_NODE, "%s: child of type "
	    "%d", name, (int)ixmlNode_getNodeType(c));
	v = ixmlNode_getNodeValue(c);
	return v != NULL ? v : "";
}

static void
check_field(IXML_Node **cur, const char *name, const char *want)
{
	IXML_Node *e = element_at(*cur, name);
	const char *ln = ixmlNode_getLocalName(e), *ns, *got;

	FUZZ_CHECK(ln != NULL && strcmp(ln, name) == 0, "field \"%s\" where "
	    "\"%s\" belongs", ln != NULL ? ln : "(null)", name);
	ns = ixmlNode_getNamespaceURI(e);
	FUZZ_CHECK(ns != NULL && strcmp(ns, NS) == 0, "%s: namespace", name);
	got = text_of(e, name);
	FUZZ_CHECK(strcmp(got, want) == 0, "%s reads back \"%s\", built from "
	    "\"%s\"", name, got, want);
	*cur = ixmlNode_getNextSibling(e);
}

static void
check_u32(IXML_Node **cur, const char *name, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	check_field(cur, name, buf);
}

static void
read_back(const char *xml, const struct pmlist_entry *e, size_t n)
{
	IXML_Document *doc = NULL;
	IXML_Node *root, *ent, *f;
	const char *ln, *ns;
	size_t i;
	int r;

	r = ixmlParseBufferEx(xml, &doc);
	FUZZ_CHECK(r == IXML_SUCCESS, "ixml refuses the fragment (%d):\n%s", r,
	    xml);
	root = element_at(ixmlNode_getFirstChild((IXML_Node *)doc), "root");
	FUZZ_CHECK(ixmlNode_getNextSibling(root) == NULL, "two roots");
	ln = ixmlNode_getLocalName(root);
	ns = ixmlNode_getNamespaceURI(root);
	FUZZ_CHECK(ln != NULL && strcmp(ln, "PortMappingList") == 0, "root");
	FUZZ_CHECK(ns != NULL && strcmp(ns, NS) == 0, "root namespace");
	ent = ixmlNode_getFirstChild(root);
	for (i = 0; i < n; i++) {
		element_at(ent, "PortMappingEntry");
		ln = ixmlNode_getLocalName(ent);
		FUZZ_CHECK(ln != NULL && strcmp(ln, "PortMappingEntry") == 0,
		    "entry %zu", i);
		f = ixmlNode_getFirstChild(ent);
		check_field(&f, "NewRemoteHost", ixml_reading(e[i].remote_host));
		check_u32(&f, "NewExternalPort", e[i].external_port);
		check_field(&f, "NewProtocol", ixml_reading(e[i].protocol));
		check_u32(&f, "NewInternalPort", e[i].internal_port);
		check_field(&f, "NewInternalClient",
		    ixml_reading(e[i].internal_client));
		check_field(&f, "NewEnabled", e[i].enabled ? "1" : "0");
		check_field(&f, "NewDescription",
		    ixml_reading(e[i].description));
		check_u32(&f, "NewLeaseTime", e[i].lease_time);
		FUZZ_CHECK(f == NULL, "entry %zu: more than eight fields", i);
		ent = ixmlNode_getNextSibling(ent);
	}
	FUZZ_CHECK(ent == NULL, "more entries than built");
	ixmlDocument_free(doc);
}

/*
 * As the control point sees it: inside the SOAP response, as one CDATA
 * section holding the fragment byte for byte, which reads back whole.
 */
static void
through_soap(const char *xml)
{
	struct soap_resp resp;
	struct soapmsg back;
	const char *text;
	char *want;
	enum upnperr e;
	enum soapmsg_err pe;
	size_t n = strlen(xml) + 64;

	memset(&resp, 0, sizeof(resp));
	resp.action = "GetListOfPortMappings";
	resp.service_type = "urn:schemas-upnp-org:service:WANIPConnection:2";
	e = soap_out_cdata(&resp, "NewPortListing", xml);
	FUZZ_CHECK(e == UPNPERR_NONE, "soap_out_cdata: %d", (int)e);
	text = soap_resp_finish(&resp);
	FUZZ_CHECK(text != NULL, "soap_resp_finish: NULL");
	if ((want = malloc(n)) == NULL)
		abort();
	snprintf(want, n, "<NewPortListing><![CDATA[%s]]></NewPortListing>",
	    xml);
	FUZZ_CHECK(strstr(text, want) != NULL, "the response does not hold "
	    "the fragment as one CDATA section:\n%s", text);
	free(want);
	pe = soapmsg_parse(&back, text, strlen(text));
	FUZZ_CHECK(pe == SOAPMSG_OK, "the response does not read (%d):\n%s",
	    (int)pe, text);
	FUZZ_CHECK(strcmp(back.action, "GetListOfPortMappingsResponse") == 0 &&
	    strcmp(back.ns, resp.service_type) == 0, "response action %s, "
	    "namespace %s", back.action, back.ns);
	FUZZ_CHECK(back.nargs == 1 && !back.stray &&
	    strcmp(back.args[0].name, "NewPortListing") == 0,
	    "NewPortListing: %zu arguments", back.nargs);
	FUZZ_CHECK(back.args[0].value != NULL &&
	    strcmp(back.args[0].value, xml) == 0, "the listing changed on its "
	    "way:\n%s\n---\n%s", xml, back.args[0].value != NULL ?
	    back.args[0].value : "(null)");
	soapmsg_free(&back);
	soap_resp_free(&resp);
}

/*
 * The daemon builds the listing in place (soap_out_cdata_open,
 * pmlist_begin_in): the response must be the one soap_out_cdata makes of
 * the whole fragment, byte for byte, whatever the fields hold.
 */
static void
in_place(const struct pmlist_entry *e, size_t n, const char *xml)
{
	struct soap_resp a, b;
	struct strbuf *into;
	struct pmlist l;
	const char *ta, *tb;
	size_t i, mark;

	memset(&a, 0, sizeof(a));
	a.action = "GetListOfPortMappings";
	a.service_type = "urn:schemas-upnp-org:service:WANIPConnection:2";
	b = a;
	into = soap_out_cdata_open(&a, "NewPortListing", &mark);
	FUZZ_CHECK(into != NULL, "soap_out_cdata_open: NULL");
	pmlist_begin_in(&l, into);
	for (i = 0; i < n; i++)
		pmlist_add(&l, &e[i]);
	FUZZ_CHECK(pmlist_end_in(&l), "pmlist_end_in: out of memory");
	FUZZ_CHECK(soap_out_cdata_close(&a, "NewPortListing", mark) ==
	    UPNPERR_NONE, "soap_out_cdata_close failed");
	FUZZ_CHECK(soap_out_cdata(&b, "NewPortListing", xml) == UPNPERR_NONE,
	    "soap_out_cdata failed");
	ta = soap_resp_finish(&a);
	tb = soap_resp_finish(&b);
	FUZZ_CHECK(ta != NULL && tb != NULL && strcmp(ta, tb) == 0,
	    "built in place:\n%s\n---\nwhole:\n%s", ta, tb);
	soap_resp_free(&a);
	soap_resp_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct field_buf fb[MAX_ENTRIES];
	struct pmlist_entry e[MAX_ENTRIES];
	struct fuzz_in in = { data, size };
	struct pmlist l;
	size_t n, i, len;
	bool valid = true;
	char *xml;

	n = fuzz_u8(&in) % (MAX_ENTRIES + 1);
	for (i = 0; i < n; i++) {
		decode_str(&in, fb[i].remote_host);
		decode_str(&in, fb[i].protocol);
		decode_str(&in, fb[i].internal_client);
		decode_str(&in, fb[i].description);
		e[i].remote_host = fb[i].remote_host;
		e[i].protocol = fb[i].protocol;
		e[i].internal_client = fb[i].internal_client;
		e[i].description = fb[i].description;
		e[i].external_port = fuzz_u16(&in);
		e[i].internal_port = fuzz_u16(&in);
		e[i].enabled = fuzz_u8(&in) & 1;
		e[i].lease_time = fuzz_u32(&in);
		valid = valid && xml_text_ok(e[i].remote_host) &&
		    xml_text_ok(e[i].protocol) &&
		    xml_text_ok(e[i].internal_client) &&
		    xml_text_ok(e[i].description);
	}
	pmlist_begin(&l);
	for (i = 0; i < n; i++)
		pmlist_add(&l, &e[i]);
	/* The bytes written, with the closing tag pmlist_end adds. */
	len = l.b->len + strlen(PMLIST_CLOSE);
	xml = pmlist_end(&l);
	FUZZ_CHECK(xml != NULL, "pmlist_end: NULL (out of memory?)");
	FUZZ_CHECK(strstr(xml, "]]>") == NULL, "\"]]>\" in the fragment");
	FUZZ_CHECK(strlen(xml) == len, "length %zu, strlen %zu", len,
	    strlen(xml));
	in_place(e, n, xml);
	if (valid) {
		read_back(xml, e, n);
		through_soap(xml);
	}
	free(xml);
	return 0;
}
