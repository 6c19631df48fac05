/*
 * Unit tests for the SOAP path without pupnp:
 *   soapmsg  the request reader (hostile input: the badinput.py "xml-*"
 *            cases, UTF-8, references, CDATA, namespaces, nesting) and
 *            the response and fault writers, read back by the reader;
 *   soap     soap_args over a parsed request, soap_out* into a
 *            soap_resp and soap_resp_finish, the UDA type readers.
 */
#include "soap.h"
#include "soapmsg.h"
#include "strbuf.h"
#include "upnperr.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENV_NS	"http://schemas.xmlsoap.org/soap/envelope/"
#define IP2	"urn:schemas-upnp-org:service:WANIPConnection:2"
#define HEAD	"<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"" ENV_NS \
	"\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">" \
	"<s:Body>"
#define TAIL	"</s:Body></s:Envelope>\r\n"
/* ssdp.py soap_body(): what badinput.py sends. */
#define ACTION(name, args) HEAD "<u:" name " xmlns:u=\"" IP2 "\">" args \
	"</u:" name ">" TAIL
#define GETIP	ACTION("GetExternalIPAddress", "")

static struct soapmsg m;

static void
teardown(void)
{
	soapmsg_free(&m);
}

static enum soapmsg_err
parse_n(const char *s, size_t len)
{
	soapmsg_free(&m);
	return soapmsg_parse(&m, s, len);
}

static enum soapmsg_err
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* A malloc'd copy of `s' with the first `from' replaced by `to'. */
static char *
replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
	char *r;

	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_nonnull(r = malloc(n));
	snprintf(r, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
	return r;
}

/* s repeated n times, malloc'd. */
static char *
repeat(const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *r;

	ck_assert_ptr_nonnull(r = malloc(len * n + 1));
	for (i = 0; i < n; i++)
		memcpy(r + i * len, s, len);
	r[len * n] = '\0';
	return r;
}

static char *
concat3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *r;

	ck_assert_ptr_nonnull(r = malloc(n));
	snprintf(r, n, "%s%s%s", a, b, c);
	return r;
}

static enum soapmsg_err
parse_free(char *s)
{
	enum soapmsg_err e = parse(s);

	free(s);
	return e;
}

/* Argument i of m is name = value (NULL: it holds elements). */
static void
assert_arg(size_t i, const char *name, const char *value)
{
	ck_assert_uint_lt(i, m.nargs);
	ck_assert_str_eq(m.args[i].name, name);
	if (value == NULL)
		ck_assert_ptr_null(m.args[i].value);
	else
		ck_assert_pstr_eq(m.args[i].value, value);
}

/* Action A with `args' inside it. */
static enum soapmsg_err
parse_args(const char *args)
{
	return parse_free(replace(ACTION("A", "@"), "@", args));
}

/* The action's one argument X, with the given text inside it. */
static enum soapmsg_err
parse_arg(const char *inner)
{
	char *args = concat3("<X>", inner, "</X>");
	enum soapmsg_err e = parse_args(args);

	free(args);
	return e;
}

/* Whether action A with `args' inside it (well-formed) has stray text. */
static bool
stray(const char *args)
{
	ck_assert_int_eq(parse_args(args), SOAPMSG_OK);
	return m.stray;
}

/* ========================================================================== */
/* soapmsg: reading                                                           */
/* ========================================================================== */

/* LEG-09: XP's envelope (s:, s:encodingStyle), arguments without a prefix. */
START_TEST(parse_add_port_mapping)
{
	ck_assert_int_eq(parse(ACTION("AddPortMapping",
	    "<NewRemoteHost></NewRemoteHost>"
	    "<NewExternalPort>31000</NewExternalPort>"
	    "<NewProtocol>TCP</NewProtocol>"
	    "<NewInternalPort>8080</NewInternalPort>"
	    "<NewInternalClient>192.168.77.10</NewInternalClient>"
	    "<NewEnabled>1</NewEnabled>"
	    "<NewPortMappingDescription>badinput</NewPortMappingDescription>"
	    "<NewLeaseDuration>600</NewLeaseDuration>")), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "AddPortMapping");
	ck_assert_str_eq(m.ns, IP2);
	ck_assert_uint_eq(m.nargs, 8);
	ck_assert(!m.stray && !m.too_many);
	assert_arg(0, "NewRemoteHost", "");
	assert_arg(1, "NewExternalPort", "31000");
	ck_assert_str_eq(m.args[6].value, "badinput");
	assert_arg(7, "NewLeaseDuration", "600");
}
END_TEST

START_TEST(parse_no_args_and_empty_elements)
{
	ck_assert_int_eq(parse(GETIP), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "GetExternalIPAddress");
	ck_assert_uint_eq(m.nargs, 0);
	ck_assert_int_eq(parse(HEAD "<u:X xmlns:u=\"t\"/>" TAIL), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "X");
	ck_assert_uint_eq(m.nargs, 0);
	ck_assert_int_eq(parse(ACTION("A", "<E/><F /><G></G><H >v</H >")),
	    SOAPMSG_OK);
	ck_assert_uint_eq(m.nargs, 4);
	assert_arg(0, "E", "");
	assert_arg(1, "F", "");
	ck_assert_str_eq(m.args[2].value, "");
	assert_arg(3, "H", "v");
}
END_TEST

/* badinput.py: "XML the parser refuses before the daemon sees it". */
START_TEST(badinput_invalid_utf8)
{
	ck_assert_int_eq(parse_free(replace(ACTION("AddPortMapping",
	    "<NewPortMappingDescription>DESC</NewPortMappingDescription>"),
	    ">DESC<", ">\xff\xfe\xc3(\xed\xa0\x80<")), SOAPMSG_EXML);
}
END_TEST

START_TEST(badinput_undefined_entity)
{
	ck_assert_int_eq(parse_free(replace(GETIP, "</u:Get",
	    "&nosuch;</u:Get")), SOAPMSG_EXML);
}
END_TEST

START_TEST(badinput_billion_laughs)
{
	ck_assert_int_eq(parse("<?xml version=\"1.0\"?>\r\n"
	    "<!DOCTYPE s:Envelope [\r\n<!ENTITY a \"aaaaaaaaaa\">\r\n"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\r\n]>"
	    "<s:Envelope xmlns:s=\"" ENV_NS "\"><s:Body>"
	    "<u:GetExternalIPAddress xmlns:u=\"" IP2 "\">&b;"
	    "</u:GetExternalIPAddress>" TAIL), SOAPMSG_EXML);
}
END_TEST

START_TEST(badinput_external_entity)
{
	ck_assert_int_eq(parse("<?xml version=\"1.0\"?>\r\n"
	    "<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<s:Envelope xmlns:s=\"" ENV_NS "\"><s:Body>"
	    "<u:GetExternalIPAddress xmlns:u=\"" IP2 "\">&x;"
	    "</u:GetExternalIPAddress>" TAIL), SOAPMSG_EXML);
}
END_TEST

START_TEST(doctype_alone_refused)
{
	ck_assert_int_eq(parse("<!DOCTYPE s:Envelope>" GETIP), SOAPMSG_EXML);
	ck_assert_int_eq(parse_free(replace(GETIP, "<s:Body>",
	    "<!DOCTYPE x><s:Body>")), SOAPMSG_EXML);
	ck_assert_int_eq(parse_free(replace(GETIP, "<s:Body>",
	    "<!ELEMENT x ANY><s:Body>")), SOAPMSG_EXML);
}
END_TEST

START_TEST(badinput_trailing_text)
{
	char *x = repeat("x", 7000);
	char *s = concat3(HEAD "<u:GetExternalIPAddress xmlns:u=\"" IP2 "\">"
	    "</u:GetExternalIPAddress></s:Body></s:Envelope>", x, "");

	free(x);
	ck_assert_int_eq(parse_free(s), SOAPMSG_EXML);
	ck_assert_int_eq(parse(GETIP "&amp;"), SOAPMSG_EXML);
	ck_assert_int_eq(parse(GETIP "&#32;"), SOAPMSG_EXML);
}
END_TEST

START_TEST(badinput_trailing_cdata_or_element)
{
	ck_assert_int_eq(parse(GETIP "<![CDATA[x]]>"), SOAPMSG_EXML);
	ck_assert_int_eq(parse(GETIP "<![CDATA[]]>"), SOAPMSG_EXML);
	ck_assert_int_eq(parse(GETIP "<a/>"), SOAPMSG_EXML);
	ck_assert_int_eq(parse(GETIP GETIP), SOAPMSG_EXML);
	ck_assert_int_eq(parse(GETIP "</s:Envelope>"), SOAPMSG_EXML);
}
END_TEST

START_TEST(badinput_ok_trailing_space)
{
	char *sp = repeat(" \r\n\t", 100);

	ck_assert_int_eq(parse_free(concat3(GETIP, sp, "")), SOAPMSG_OK);
	free(sp);
	ck_assert_str_eq(m.action, "GetExternalIPAddress");
}
END_TEST

START_TEST(badinput_ok_trailing_comment_pi)
{
	ck_assert_int_eq(parse(GETIP "<!-- x > y --><?pi a>b?>"), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "GetExternalIPAddress");
}
END_TEST

START_TEST(badinput_ok_gt_in_attribute)
{
	ck_assert_int_eq(parse_free(replace(GETIP, "<u:GetExternalIPAddress ",
	    "<u:GetExternalIPAddress a='x>y' ")), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "GetExternalIPAddress");
	ck_assert_str_eq(m.ns, IP2);
	ck_assert_uint_eq(m.nargs, 0);
	ck_assert(!m.stray);
}
END_TEST

START_TEST(badinput_not_xml_empty_no_root)
{
	ck_assert_int_eq(parse("hello"), SOAPMSG_EXML);
	ck_assert_int_eq(parse(""), SOAPMSG_EXML);
	ck_assert_int_eq(parse_n(NULL, 0), SOAPMSG_EXML);
	ck_assert_int_eq(parse("   \r\n"), SOAPMSG_EXML);
	ck_assert_int_eq(parse("<?xml version=\"1.0\"?><!-- c -->"),
	    SOAPMSG_EXML);
	ck_assert_int_eq(parse("<"), SOAPMSG_EXML);
	ck_assert_int_eq(parse("<a"), SOAPMSG_EXML);
	ck_assert_int_eq(parse("x" GETIP), SOAPMSG_EXML);
}
END_TEST

/* The action element alone, without Envelope and Body: well-formed. */
START_TEST(badinput_no_envelope)
{
	ck_assert_int_eq(parse("<u:GetExternalIPAddress xmlns:u=\"" IP2 "\">"
	    "</u:GetExternalIPAddress>"), SOAPMSG_ESOAP);
	ck_assert_int_eq(parse("<Envelope/>"), SOAPMSG_ESOAP);
}
END_TEST

START_TEST(badinput_no_body_element)
{
	char *s = replace(GETIP, "<s:Body>", ""), *t;

	t = replace(s, "</s:Body>", "");
	free(s);
	ck_assert_int_eq(parse_free(t), SOAPMSG_ESOAP);
	/* A Body without an action. */
	ck_assert_int_eq(parse(HEAD TAIL), SOAPMSG_ESOAP);
	ck_assert_int_eq(parse(HEAD " <!-- c --> " TAIL), SOAPMSG_ESOAP);
	ck_assert_int_eq(parse("<s:Envelope xmlns:s=\"" ENV_NS "\"><s:Body/>"
	    "</s:Envelope>"), SOAPMSG_ESOAP);
}
END_TEST

/* 1100 levels inside an argument: fine XML, a 402 for the daemon. */
START_TEST(badinput_deep_nesting)
{
	char *open = repeat("<a>", 1100), *close = repeat("</a>", 1100);
	char *inner = concat3(open, "x", close);
	char *args = concat3("<NewPortMappingIndex>", inner,
	    "</NewPortMappingIndex>");
	const char *const names[] = { "NewPortMappingIndex" };
	const char *v[1];

	ck_assert_int_eq(parse_free(replace(ACTION("GetGenericPortMappingEntry",
	    "@"), "@", args)), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "GetGenericPortMappingEntry");
	ck_assert_uint_eq(m.nargs, 1);
	assert_arg(0, "NewPortMappingIndex", NULL);
	ck_assert_int_eq(soap_args(&m, names, 1, v), UPNPERR_INVALID_ARGS);
	free(open);
	free(close);
	free(inner);
	free(args);
}
END_TEST

/* Far deeper than the daemon's body limit allows: no recursion. */
START_TEST(deep_nesting_100k)
{
	char *open = repeat("<a b='1'>", 100000), *close = repeat("</a>",
	    100000);
	char *inner = concat3(open, "", close);

	ck_assert_int_eq(parse_arg(inner), SOAPMSG_OK);
	ck_assert_ptr_null(m.args[0].value);
	inner[strlen(inner) - 1] = ' ';		/* one end tag cut */
	ck_assert_int_eq(parse_arg(inner), SOAPMSG_EXML);
	free(open);
	free(close);
	free(inner);
}
END_TEST

START_TEST(element_inside_argument)
{
	ck_assert_int_eq(parse_arg("<y/>"), SOAPMSG_OK);
	ck_assert_ptr_null(m.args[0].value);
	ck_assert_int_eq(parse_arg("a<y>b</y>c"), SOAPMSG_OK);
	ck_assert_ptr_null(m.args[0].value);
	ck_assert_int_eq(parse(ACTION("A", "<X><y/></X><Z>z</Z>")),
	    SOAPMSG_OK);
	ck_assert_ptr_null(m.args[0].value);
	ck_assert_str_eq(m.args[1].value, "z");
}
END_TEST

START_TEST(utf8_valid_kept)
{
	ck_assert_int_eq(parse_arg("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
	    "\xef\xbb\xbf"), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "\xc3\xa9\xe2\x82\xac"
	    "\xf0\x9f\x98\x80\xef\xbb\xbf");
	ck_assert_int_eq(parse(ACTION("\xc3\xa9t\xc3\xa9", "")), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "\xc3\xa9t\xc3\xa9");
}
END_TEST

START_TEST(utf8_invalid_refused)
{
	static const char *const bad[] = {
		"\x80",			/* lone continuation */
		"\xc3",			/* cut: '<' follows */
		"\xc0\xaf",		/* overlong '/' */
		"\xc1\xbf",		/* overlong */
		"\xe0\x80\xaf",		/* overlong, 3 bytes */
		"\xf0\x80\x80\xaf",	/* overlong, 4 bytes */
		"\xed\xa0\x80",		/* U+D800, a surrogate */
		"\xed\xbf\xbf",		/* U+DFFF */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80",	/* 5 bytes */
		"\xfe", "\xff",
		"\xef\xbf\xbe",		/* U+FFFE: no XML Char */
		"\xef\xbf\xbf",		/* U+FFFF */
		"\x01", "\x08", "\x0b", "\x1f",	/* C0 controls */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_arg(bad[i]) == SOAPMSG_EXML, "case %zu",
		    i);
	/* A cut character at the very end. */
	ck_assert_int_eq(parse(GETIP "\xe2\x82"), SOAPMSG_EXML);
}
END_TEST

START_TEST(nul_byte_refused)
{
	static const char s[] = ACTION("A", "<X>a\0b</X>");

	ck_assert_int_eq(parse_n(s, sizeof(s) - 1), SOAPMSG_EXML);
	ck_assert_int_eq(parse_n(GETIP, sizeof(GETIP)), SOAPMSG_EXML);
}
END_TEST

START_TEST(bom_accepted)
{
	ck_assert_int_eq(parse("\xef\xbb\xbf" GETIP), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "GetExternalIPAddress");
	/* Only one, only first. */
	ck_assert_int_eq(parse("\xef\xbb\xbf\xef\xbb\xbf" GETIP), SOAPMSG_EXML);
	ck_assert_int_eq(parse(" \xef\xbb\xbf" GETIP), SOAPMSG_EXML);
}
END_TEST

START_TEST(references_decoded)
{
	ck_assert_int_eq(parse_arg("&lt;&gt;&amp;&quot;&apos;"), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "<>&\"'");
	ck_assert_int_eq(parse_arg("&#65;&#x42;&#X43;"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("&#65;&#x42;&#x0043;&#9;&#xa;&#13;"),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "ABC\t\n\r");
	ck_assert_int_eq(parse_arg("&#233;&#x20AC;&#x1F600;&#x10FFFF;"),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "\xc3\xa9\xe2\x82\xac"
	    "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
	ck_assert_int_eq(parse_arg("a&amp;lt;b"), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "a&lt;b");
}
END_TEST

START_TEST(references_refused)
{
	static const char *const bad[] = {
		"&nosuch;", "&lt", "&amp ;", "&", "& ;", "&#;", "&#x;",
		"&#0;", "&#x0;", "&#8;", "&#xD800;", "&#xDFFF;", "&#xFFFE;",
		"&#xFFFF;", "&#x110000;", "&#99999999999999999999;",
		"&#xFFFFFFFFFFFFFFFF41;", "&#-1;", "&#x-1;", "&#12a;",
		"&LT;", "&#x 41;",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_arg(bad[i]) == SOAPMSG_EXML, "case %s",
		    bad[i]);
}
END_TEST

START_TEST(cdata_sections)
{
	ck_assert_int_eq(parse_arg("<![CDATA[<p:a>&amp;</p:a>]]>"),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "<p:a>&amp;</p:a>");
	ck_assert_int_eq(parse_arg("a<![CDATA[b]]>&amp;<![CDATA[]]>c"
	    "<![CDATA[]]]]><![CDATA[>]]>"), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "ab&c]]>");
	ck_assert_int_eq(parse_arg("<![CDATA[x]]"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("<![CDATA[x"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("<![cdata[x]]>"), SOAPMSG_EXML);
	/* "]]>" is only allowed to end a CDATA section. */
	ck_assert_int_eq(parse_arg("a]]>b"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("a]]b>"), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "a]]b>");
}
END_TEST

START_TEST(comments_and_pis)
{
	ck_assert_int_eq(parse("<?xml version=\"1.0\"?><!-- a --><?p x?>\n"
	    "<s:Envelope xmlns:s=\"" ENV_NS "\"><!--b--><s:Body><?q?>"
	    "<!-- c --><u:A xmlns:u=\"t\"><!--d--><X>1<!-- - -->2<?r ?>3</X>"
	    "<?s?><!----></u:A></s:Body></s:Envelope><!-- e -->"),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.action, "A");
	ck_assert_uint_eq(m.nargs, 1);
	ck_assert_str_eq(m.args[0].value, "123");
	ck_assert(!m.stray);
	ck_assert_int_eq(parse_arg("<!-- a -- b -->"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("<!-- a --->"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("<!-- a"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("<!- a -->"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("<?" "?>"), SOAPMSG_EXML);
	ck_assert_int_eq(parse_arg("<?p"), SOAPMSG_EXML);
	ck_assert_int_eq(parse(GETIP "<!-- x"), SOAPMSG_EXML);
}
END_TEST

START_TEST(well_formedness)
{
	static const char *const bad[] = {
		"<X>a</Y>", "<X>a", "<X>a</X></Z>", "<X>a</X >x</X>",
		"<X a='<'>a</X>", "<X a=\"1\" b=\"2>a</X>", "<X a=1>a</X>",
		"<X a>a</X>", "<X a=\"1\"b=\"2\">a</X>", "<X =\"1\">a</X>",
		"< X>a</X>", "<X>a</ X>", "<X>a</X", "<1X>a</1X>",
		"<X/ >", "<X a='&nosuch;'/>", "<X a='&#0;'/>",
		"<:X>a</:X>", "<p:>a</p:>", "<p:q:X>a</p:q:X>", "<p:1X/>",
		"<X>a</x>", "<X><Y></X></Y>", "<X xmlns:='u'/>",
		"<X a:b:c='1'/>", "<X :a='1'/>",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_args(bad[i]) == SOAPMSG_EXML, "case %s",
		    bad[i]);
	/* What must still work around them. */
	ck_assert_int_eq(parse(ACTION("A", "<X a = \"1\"\tb='2'\n>v</X\n>"
	    "<p:Y xmlns:p='q'>w</p:Y><Z a='&lt;&amp;\"'/>")), SOAPMSG_OK);
	ck_assert_uint_eq(m.nargs, 3);
	ck_assert_str_eq(m.args[0].value, "v");
	assert_arg(1, "Y", "w");
	ck_assert_str_eq(m.args[2].name, "Z");
}
END_TEST

START_TEST(ns_default_and_prefix)
{
	/* Default namespace on the action. */
	ck_assert_int_eq(parse(HEAD "<GetStatusInfo xmlns=\"" IP2 "\">"
	    "<NewX>1</NewX></GetStatusInfo>" TAIL), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "GetStatusInfo");
	ck_assert_str_eq(m.ns, IP2);
	ck_assert_str_eq(m.args[0].name, "NewX");
	/* A prefix declared on the Envelope, used by the action. */
	ck_assert_int_eq(parse("<s:Envelope xmlns:s=\"" ENV_NS "\" "
	    "xmlns:u='urn:a'><s:Body><u:B/></s:Body></s:Envelope>"),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.action, "B");
	ck_assert_str_eq(m.ns, "urn:a");
	/* No namespace at all: "", and the Envelope's URI is not checked. */
	ck_assert_int_eq(parse("<Envelope><Body><C/></Body></Envelope>"),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.action, "C");
	ck_assert_str_eq(m.ns, "");
	ck_assert_int_eq(parse("<e:Envelope xmlns:e='urn:old'><e:Body>"
	    "<D xmlns='urn:d&amp;&#x41;'/></e:Body></e:Envelope>"),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.ns, "urn:d&A");
	/* The default namespace of the Envelope reaches the action. */
	ck_assert_int_eq(parse("<Envelope xmlns='urn:e'><Body><C/></Body>"
	    "</Envelope>"), SOAPMSG_OK);
	ck_assert_str_eq(m.ns, "urn:e");
}
END_TEST

START_TEST(ns_redeclared)
{
	/* The innermost declaration wins. */
	ck_assert_int_eq(parse("<s:Envelope xmlns:s=\"" ENV_NS "\" "
	    "xmlns:u='urn:outer'><s:Body xmlns:u='urn:body'>"
	    "<u:A xmlns:u='urn:inner'/></s:Body></s:Envelope>"), SOAPMSG_OK);
	ck_assert_str_eq(m.ns, "urn:inner");
	ck_assert_int_eq(parse("<s:Envelope xmlns:s=\"" ENV_NS "\" "
	    "xmlns:u='urn:outer'><s:Body xmlns:u='urn:body'>"
	    "<u:A/></s:Body></s:Envelope>"), SOAPMSG_OK);
	ck_assert_str_eq(m.ns, "urn:body");
	ck_assert_int_eq(parse("<Envelope xmlns='urn:e'><Body xmlns=''>"
	    "<A/></Body></Envelope>"), SOAPMSG_OK);
	ck_assert_str_eq(m.ns, "");
	/* The same prefix for the envelope and the service. */
	ck_assert_int_eq(parse("<s:Envelope xmlns:s=\"" ENV_NS "\"><s:Body>"
	    "<s:A xmlns:s='urn:svc'/></s:Body></s:Envelope>"), SOAPMSG_OK);
	ck_assert_str_eq(m.ns, "urn:svc");
	/* A Header's declarations end with it. */
	ck_assert_int_eq(parse("<s:Envelope xmlns:s=\"" ENV_NS "\"><s:Header "
	    "xmlns:u='urn:h'><u:x/></s:Header><s:Body><u:A/></s:Body>"
	    "</s:Envelope>"), SOAPMSG_ESOAP);
	/* Declarations inside an argument do not matter. */
	ck_assert_int_eq(parse(ACTION("A", "<X xmlns:u='urn:x'>1</X><Y>2</Y>")),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.ns, IP2);
	ck_assert_str_eq(m.args[1].value, "2");
}
END_TEST

START_TEST(ns_undeclared_prefix)
{
	ck_assert_int_eq(parse("<s:Envelope><s:Body><u:A xmlns:u='t'/>"
	    "</s:Body></s:Envelope>"), SOAPMSG_ESOAP);
	ck_assert_int_eq(parse("<s:Envelope xmlns:s='e'><b:Body><u:A "
	    "xmlns:u='t'/></b:Body></s:Envelope>"), SOAPMSG_ESOAP);
	ck_assert_int_eq(parse(HEAD "<u:A/>" TAIL), SOAPMSG_ESOAP);
	/* Not well-formed beats not SOAP. */
	ck_assert_int_eq(parse(HEAD "<u:A/>" TAIL "x"), SOAPMSG_EXML);
	/* The prefix of an argument is not looked at. */
	ck_assert_int_eq(parse(ACTION("A", "<q:X>1</q:X>")), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].name, "X");
}
END_TEST

START_TEST(envelope_shape)
{
	/* A Header (any element) before the Body is skipped. */
	ck_assert_int_eq(parse("<s:Envelope xmlns:s=\"" ENV_NS "\">\r\n "
	    "<s:Header><u:A xmlns:u='h'><X>h</X></u:A></s:Header>\r\n"
	    "<s:Body> <!-- c --> \n<u:B xmlns:u='b'><Y>b</Y></u:B>"
	    "<u:C xmlns:u='c'/></s:Body><s:Trailer/></s:Envelope>"),
	    SOAPMSG_OK);
	ck_assert_str_eq(m.action, "B");
	ck_assert_str_eq(m.ns, "b");
	ck_assert_uint_eq(m.nargs, 1);
	assert_arg(0, "Y", "b");
	/* The root must be Envelope, Body its child. */
	ck_assert_int_eq(parse("<s:Envelop xmlns:s='e'><s:Body><A/></s:Body>"
	    "</s:Envelop>"), SOAPMSG_ESOAP);
	ck_assert_int_eq(parse("<s:Envelope xmlns:s='e'><x><s:Body><A/>"
	    "</s:Body></x></s:Envelope>"), SOAPMSG_ESOAP);
	ck_assert_int_eq(parse("<x><s:Envelope xmlns:s='e'><s:Body><A/>"
	    "</s:Body></s:Envelope></x>"), SOAPMSG_ESOAP);
}
END_TEST

START_TEST(stray_text_in_action)
{
	ck_assert(!stray("\r\n <X>1</X>\t\n<Y>2</Y> <!-- c --><?p?>"));
	ck_assert(stray("<X>1</X>junk<Y>2</Y>"));
	ck_assert(stray("junk"));
	ck_assert(stray("<X>1</X><![CDATA[]]>"));
	ck_assert(stray("&#32;"));
	/* Text outside the action is no argument's business. */
	ck_assert_int_eq(parse(HEAD "x<u:A xmlns:u='t'/>y" TAIL), SOAPMSG_OK);
	ck_assert(!m.stray);
}
END_TEST

START_TEST(too_many_args)
{
	char *args = repeat("<X>1</X>", SOAPMSG_MAX_ARGS), *more;

	ck_assert_int_eq(parse_args(args), SOAPMSG_OK);
	ck_assert_uint_eq(m.nargs, SOAPMSG_MAX_ARGS);
	ck_assert(!m.too_many);
	more = concat3(args, "<Y/>", "");
	ck_assert_int_eq(parse_args(more), SOAPMSG_OK);
	ck_assert_uint_eq(m.nargs, SOAPMSG_MAX_ARGS);
	ck_assert(m.too_many);
	ck_assert_str_eq(m.args[SOAPMSG_MAX_ARGS - 1].value, "1");
	free(more);
	/* Still read for well-formedness after the limit. */
	more = concat3(args, "<Y>&bad;</Y>", "");
	ck_assert_int_eq(parse_args(more), SOAPMSG_EXML);
	free(more);
	free(args);
}
END_TEST

START_TEST(argument_text_verbatim)
{
	/* No white space trimming, no line-end normalisation. */
	ck_assert_int_eq(parse_arg(" a \r\n b\t"), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, " a \r\n b\t");
	ck_assert_int_eq(parse_arg("a > b"), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "a > b");
	/* The text ends where the argument does; the next one is intact. */
	ck_assert_int_eq(parse(ACTION("A", "<X>&amp;&amp;&amp;</X><Y>&lt;y"
	    "</Y>")), SOAPMSG_OK);
	ck_assert_str_eq(m.args[0].value, "&&&");
	ck_assert_str_eq(m.args[1].value, "<y");
}
END_TEST

START_TEST(many_namespace_declarations)
{
	char *decls = repeat(" xmlns:p='urn:p'", 2000);
	char *env = concat3("<s:Envelope xmlns:s='e'", decls, "><s:Body>");
	char *s = concat3(env, "<p:A xmlns:p='urn:a'/>", "</s:Body>"
	    "</s:Envelope>");

	ck_assert_int_eq(parse_free(s), SOAPMSG_OK);
	ck_assert_str_eq(m.ns, "urn:a");
	free(decls);
	free(env);
}
END_TEST

START_TEST(free_is_safe)
{
	struct soapmsg z;

	memset(&z, 0, sizeof(z));
	soapmsg_free(&z);
	soapmsg_free(&z);
	ck_assert_int_eq(soapmsg_parse(&z, "x", 1), SOAPMSG_EXML);
	ck_assert_ptr_null(z.buf);
	soapmsg_free(&z);
	ck_assert_int_eq(soapmsg_parse(&z, GETIP, strlen(GETIP)), SOAPMSG_OK);
	soapmsg_free(&z);
	ck_assert_ptr_null(z.buf);
	ck_assert_ptr_null(z.action);
}
END_TEST

/* ========================================================================== */
/* soapmsg: writing, read back                                                */
/* ========================================================================== */

struct rt_arg {
	const char	*name;
	const char	*value;
	bool		 cdata;
};

/* Builds a response of args, checks it reads back to the same. */
static void
round_trip(const char *action, const char *type, const struct rt_arg *a,
    size_t n)
{
	struct strbuf b = STRBUF_INIT;
	char want[128];
	size_t i;

	soapmsg_resp_begin(&b, action, type);
	for (i = 0; i < n; i++) {
		if (a[i].cdata)
			soapmsg_resp_cdata(&b, a[i].name, a[i].value);
		else
			soapmsg_resp_arg(&b, a[i].name, a[i].value);
	}
	soapmsg_resp_end(&b, action);
	ck_assert(!b.nomem);
	ck_assert_msg(parse_n(b.p, b.len) == SOAPMSG_OK, "%s", b.p);
	snprintf(want, sizeof(want), "%sResponse", action);
	ck_assert_str_eq(m.action, want);
	ck_assert_str_eq(m.ns, type);
	ck_assert(!m.stray && !m.too_many);
	ck_assert_uint_eq(m.nargs, n);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(m.args[i].name, a[i].name);
		ck_assert_ptr_nonnull(m.args[i].value);
		ck_assert_str_eq(m.args[i].value, a[i].value);
	}
	strbuf_free(&b);
}

START_TEST(resp_exact_text)
{
	struct strbuf b = STRBUF_INIT;

	soapmsg_resp_begin(&b, "GetExternalIPAddress", IP2);
	soapmsg_resp_arg(&b, "NewExternalIPAddress", "203.0.113.1");
	soapmsg_resp_end(&b, "GetExternalIPAddress");
	ck_assert_str_eq(b.p, "<?xml version=\"1.0\"?>\r\n"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
	    " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
	    "<s:Body><u:GetExternalIPAddressResponse xmlns:u=\"" IP2 "\">"
	    "<NewExternalIPAddress>203.0.113.1</NewExternalIPAddress>"
	    "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>");
	strbuf_free(&b);
}
END_TEST

START_TEST(resp_round_trip_plain)
{
	const struct rt_arg a[] = {
		{ "NewRemoteHost", "", false },
		{ "NewExternalPort", "31000", false },
		{ "NewProtocol", "TCP", false },
		{ "NewInternalClient", "192.168.77.10", false },
		{ "NewEnabled", "1", false },
	};

	round_trip("GetGenericPortMappingEntry", IP2, a, 5);
	round_trip("GetStatusInfo", IP2, NULL, 0);
}
END_TEST

START_TEST(resp_round_trip_escaping)
{
	const struct rt_arg a[] = {
		{ "A", "a&b<c>d\"e'f", false },
		{ "B", "&amp; &lt;/B&gt; ]]> <![CDATA[", false },
		{ "C", " lead and trail\t", false },
		{ "D", "\r\n\r\t\n", false },
		{ "E", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbb\xbf",
		    false },
		{ "F", "<p:x a=\"1\">&amp;'\xc3\xa9'</p:x>", true },
		{ "G", "", true },
		{ "H", "]]", true },
		{ "I", "-->", false },
	};

	round_trip("X", IP2, a, sizeof(a) / sizeof(a[0]));
	round_trip("Y", "urn:a&b<c>\"'", a, 2);
}
END_TEST

START_TEST(resp_escapes_every_special)
{
	struct strbuf b = STRBUF_INIT;

	soapmsg_resp_arg(&b, "A", "&<>\"'\r");
	ck_assert_str_eq(b.p, "<A>&amp;&lt;&gt;&quot;&apos;&#13;</A>");
	strbuf_reset(&b);
	soapmsg_resp_cdata(&b, "A", "<&>");
	ck_assert_str_eq(b.p, "<A><![CDATA[<&>]]></A>");
	strbuf_free(&b);
}
END_TEST

/* What XML cannot carry becomes U+FFFD: the answer stays well-formed. */
START_TEST(resp_replaces_non_xml)
{
	struct strbuf b = STRBUF_INIT;

	soapmsg_resp_begin(&b, "X", "t\x01");
	soapmsg_resp_arg(&b, "A", "a\x01\x1f" "b\xff\xc3(\xed\xa0\x80"
	    "\xef\xbf\xbe" "c\xc3");
	soapmsg_resp_end(&b, "X");
	ck_assert_int_eq(parse_n(b.p, b.len), SOAPMSG_OK);
	ck_assert_str_eq(m.ns, "t\xef\xbf\xbd");
	ck_assert_str_eq(m.args[0].value, "a\xef\xbf\xbd\xef\xbf\xbd"
	    "b\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd" "c\xef\xbf\xbd");
	strbuf_free(&b);
}
END_TEST

/* Any value the reader gives back is written so that it reads the same. */
START_TEST(resp_round_trip_of_parsed_values)
{
	static const char req[] = ACTION("A", "<X>&#x1;</X>");
	static const char ok[] = ACTION("A", "<X>a&amp;&#xD;&#x9;"
	    "<![CDATA[<]]>\xf4\x8f\xbf\xbd&#x10FFFF;]]&gt;</X><Y> </Y>");
	struct rt_arg a[2];
	char *v0, *v1;

	ck_assert_int_eq(parse(req), SOAPMSG_EXML);
	ck_assert_int_eq(parse(ok), SOAPMSG_OK);
	v0 = strdup(m.args[0].value);
	v1 = strdup(m.args[1].value);
	a[0] = (struct rt_arg){ "X", v0, false };
	a[1] = (struct rt_arg){ "Y", v1, false };
	round_trip("A", IP2, a, 2);
	free(v0);
	free(v1);
}
END_TEST

START_TEST(fault_exact_text)
{
	struct strbuf b = STRBUF_INIT;

	soapmsg_fault(&b, 402, "Invalid Args");
	ck_assert_str_eq(b.p, "<?xml version=\"1.0\"?>\r\n"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
	    " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
	    "<s:Body><s:Fault><faultcode>s:Client</faultcode>"
	    "<faultstring>UPnPError</faultstring><detail>"
	    "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">"
	    "<errorCode>402</errorCode>"
	    "<errorDescription>Invalid Args</errorDescription></UPnPError>"
	    "</detail></s:Fault></s:Body></s:Envelope>");
	strbuf_free(&b);
}
END_TEST

START_TEST(fault_reads_back)
{
	struct strbuf b = STRBUF_INIT;

	soapmsg_fault(&b, 718, "a<b&c\"d'");
	ck_assert_ptr_nonnull(strstr(b.p, "<errorCode>718</errorCode>"
	    "<errorDescription>a&lt;b&amp;c&quot;d&apos;</errorDescription>"));
	ck_assert_int_eq(parse_n(b.p, b.len), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "Fault");
	ck_assert_str_eq(m.ns, ENV_NS);
	ck_assert_uint_eq(m.nargs, 3);
	assert_arg(0, "faultcode", "s:Client");
	assert_arg(1, "faultstring", "UPnPError");
	assert_arg(2, "detail", NULL);
	strbuf_free(&b);
}
END_TEST

/* ========================================================================== */
/* soap: soap_args                                                            */
/* ========================================================================== */

static const char *const key_names[] = {
	"NewRemoteHost", "NewExternalPort", "NewProtocol"
};
static const char *key_values[3];

/* soap_args for DeletePortMapping's names on action A with `args'. */
static enum upnperr
key_args(const char *args)
{
	ck_assert_int_eq(parse_args(args), SOAPMSG_OK);
	return soap_args(&m, key_names, 3, key_values);
}

#define KEY_HOST	"<NewRemoteHost/>"
#define KEY_PORT	"<NewExternalPort>4000</NewExternalPort>"
#define KEY_PROTO	"<NewProtocol>TCP</NewProtocol>"

START_TEST(args_any_order)
{
	ck_assert_int_eq(key_args("<NewProtocol>UDP</NewProtocol>"
	    KEY_HOST "\r\n" KEY_PORT), UPNPERR_NONE);
	ck_assert_str_eq(key_values[0], "");
	ck_assert_str_eq(key_values[1], "4000");
	ck_assert_str_eq(key_values[2], "UDP");
	ck_assert_int_eq(key_args(KEY_PROTO "<NewRemoteHost><![CDATA[1.2]]>"
	    ".3&#46;4</NewRemoteHost>" KEY_PORT), UPNPERR_NONE);
	ck_assert_str_eq(key_values[0], "1.2.3.4");
}
END_TEST

/* WIC-107: missing, unknown, repeated arguments are 402. */
START_TEST(args_missing_unknown_dup)
{
	ck_assert_int_eq(key_args(KEY_HOST KEY_PORT KEY_PROTO), UPNPERR_NONE);
	ck_assert_int_eq(key_args(KEY_HOST KEY_PORT), UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(key_args(""), UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(key_args(KEY_HOST KEY_PORT KEY_PROTO
	    "<NewFoo>1</NewFoo>"), UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(key_args(KEY_HOST KEY_PORT KEY_PROTO KEY_PORT),
	    UPNPERR_INVALID_ARGS);
	/* Names compare exactly. */
	ck_assert_int_eq(key_args(KEY_HOST KEY_PORT
	    "<newprotocol>TCP</newprotocol>"), UPNPERR_INVALID_ARGS);
}
END_TEST

START_TEST(args_element_valued_stray_too_many)
{
	char *args;

	ck_assert_int_eq(key_args("<NewRemoteHost><a/></NewRemoteHost>"
	    KEY_PORT KEY_PROTO), UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(key_args(KEY_HOST "x" KEY_PORT KEY_PROTO),
	    UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(key_args(KEY_HOST KEY_PORT KEY_PROTO
	    "<![CDATA[]]>"), UPNPERR_INVALID_ARGS);
	args = repeat(KEY_HOST, SOAPMSG_MAX_ARGS + 1);
	ck_assert_int_eq(key_args(args), UPNPERR_INVALID_ARGS);
	free(args);
}
END_TEST

/* VC-29: an action without IN arguments refuses any. */
START_TEST(args_none_expected)
{
	static const struct {
		const char	*args;
		enum upnperr	 want;
	} t[] = {
		{ "", UPNPERR_NONE },
		{ " \r\n<!-- c -->", UPNPERR_NONE },
		{ "<NewFoo>1</NewFoo>", UPNPERR_INVALID_ARGS },
		{ "<NewFoo/>", UPNPERR_INVALID_ARGS },
		{ "x", UPNPERR_INVALID_ARGS },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(parse_args(t[i].args), SOAPMSG_OK);
		ck_assert_msg(soap_args(&m, NULL, 0, NULL) == t[i].want,
		    "case %zu", i);
	}
}
END_TEST

/* WIC-039, VC-27: digits only; VC-26: booleans. */
START_TEST(uda_types)
{
	static const char *const bad16[] = {
		"65536", "-1", "1e3", "0x10", " 80", "+80", "", "80.0",
		"9999999999999999999999999999999999999999",
	};
	uint16_t u2;
	uint32_t u4;
	bool b;
	size_t i;

	for (i = 0; i < sizeof(bad16) / sizeof(bad16[0]); i++)
		ck_assert_int_eq(soap_ui2(bad16[i], &u2), UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(soap_ui2("0065535", &u2), UPNPERR_NONE);
	ck_assert_uint_eq(u2, 65535);
	ck_assert_int_eq(soap_ui4("4294967295", &u4), UPNPERR_NONE);
	ck_assert_uint_eq(u4, 4294967295u);
	ck_assert_int_eq(soap_ui4("4294967296", &u4), UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(soap_ui4(" 60", &u4), UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(soap_bool(" True\n", &b), UPNPERR_NONE);
	ck_assert(b);
	ck_assert_int_eq(soap_bool("no", &b), UPNPERR_NONE);
	ck_assert(!b);
	ck_assert_int_eq(soap_bool("2", &b), UPNPERR_INVALID_ARGS);
	ck_assert_int_eq(soap_bool("", &b), UPNPERR_INVALID_ARGS);
}
END_TEST

/* ========================================================================== */
/* soap: the response                                                         */
/* ========================================================================== */

static void
resp_init(struct soap_resp *r, const char *action)
{
	memset(r, 0, sizeof(*r));
	r->action = action;
	r->service_type = IP2;
}

START_TEST(resp_finish_without_out_args)
{
	struct soap_resp r;
	const char *text;

	resp_init(&r, "DeletePortMapping");
	ck_assert_ptr_nonnull(text = soap_resp_finish(&r));
	ck_assert_str_eq(text, HEAD "<u:DeletePortMappingResponse xmlns:u=\""
	    IP2 "\"></u:DeletePortMappingResponse></s:Body></s:Envelope>");
	ck_assert_int_eq(parse(text), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "DeletePortMappingResponse");
	ck_assert_uint_eq(m.nargs, 0);
	soap_resp_free(&r);
	ck_assert_ptr_null(r.body.p);
	ck_assert(!r.started);
}
END_TEST

/* The finished envelope moves to out, replacing what it held. */
START_TEST(resp_move)
{
	struct soap_resp r;
	struct strbuf out = STRBUF_INIT;
	char *want;

	strbuf_puts(&out, "old");
	resp_init(&r, "GetExternalIPAddress");
	ck_assert_int_eq(soap_out(&r, "NewExternalIPAddress", "203.0.113.1"),
	    UPNPERR_NONE);
	ck_assert(soap_resp_move(&r, &out));
	ck_assert_ptr_null(r.body.p);
	ck_assert_ptr_nonnull(want = strdup(out.p));
	ck_assert_int_eq(parse(want), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "GetExternalIPAddressResponse");
	ck_assert_uint_eq(out.len, strlen(out.p));
	soap_resp_free(&r);
	strbuf_free(&out);
	free(want);
}
END_TEST

START_TEST(resp_finish_with_out_args)
{
	struct soap_resp r;
	const char *text;

	resp_init(&r, "GetListOfPortMappings");
	ck_assert_int_eq(soap_out(&r, "NewA", "x<y"), UPNPERR_NONE);
	ck_assert_int_eq(soap_out_u32(&r, "NewB", 4294967295u), UPNPERR_NONE);
	ck_assert_int_eq(soap_out_bool(&r, "NewC", true), UPNPERR_NONE);
	ck_assert_int_eq(soap_out_bool(&r, "NewD", false), UPNPERR_NONE);
	ck_assert_int_eq(soap_out_cdata(&r, "NewE", "<p:L>&amp;</p:L>"),
	    UPNPERR_NONE);
	ck_assert_int_eq(soap_out_cdata(&r, "NewF", "a]]>b"),
	    UPNPERR_ACTION_FAILED);
	ck_assert_ptr_nonnull(text = soap_resp_finish(&r));
	ck_assert_ptr_nonnull(strstr(text, "<NewE><![CDATA[<p:L>&amp;</p:L>"
	    "]]></NewE></u:GetListOfPortMappingsResponse>"));
	ck_assert_int_eq(parse(text), SOAPMSG_OK);
	ck_assert_str_eq(m.action, "GetListOfPortMappingsResponse");
	ck_assert_str_eq(m.ns, IP2);
	ck_assert_uint_eq(m.nargs, 5);
	ck_assert_str_eq(m.args[0].value, "x<y");
	ck_assert_str_eq(m.args[1].value, "4294967295");
	ck_assert_str_eq(m.args[2].value, "1");
	ck_assert_str_eq(m.args[3].value, "0");
	assert_arg(4, "NewE", "<p:L>&amp;</p:L>");
	soap_resp_free(&r);
}
END_TEST

/* The listing built in place reads as the whole-text one does. */
START_TEST(resp_cdata_in_place)
{
	struct soap_resp r, w;
	struct strbuf *b;
	const char *text;
	size_t mark;

	resp_init(&r, "GetListOfPortMappings");
	resp_init(&w, "GetListOfPortMappings");
	ck_assert_int_eq(soap_out(&r, "NewA", "1"), UPNPERR_NONE);
	ck_assert_int_eq(soap_out(&w, "NewA", "1"), UPNPERR_NONE);
	ck_assert_ptr_nonnull(b = soap_out_cdata_open(&r, "NewE", &mark));
	strbuf_puts(b, "<p:L>");
	strbuf_puts(b, "&amp;</p:L>");
	ck_assert_int_eq(soap_out_cdata_close(&r, "NewE", mark),
	    UPNPERR_NONE);
	ck_assert_int_eq(soap_out_cdata(&w, "NewE", "<p:L>&amp;</p:L>"),
	    UPNPERR_NONE);
	ck_assert_ptr_nonnull(text = soap_resp_finish(&r));
	ck_assert_str_eq(text, soap_resp_finish(&w));
	soap_resp_free(&r);
	soap_resp_free(&w);

	/* "]]>" would end the section early: dropped, 501. */
	resp_init(&r, "GetListOfPortMappings");
	ck_assert_ptr_nonnull(b = soap_out_cdata_open(&r, "NewF", &mark));
	strbuf_puts(b, "a]]>b");
	ck_assert_int_eq(soap_out_cdata_close(&r, "NewF", mark),
	    UPNPERR_ACTION_FAILED);
	ck_assert_uint_eq(r.body.len, mark);
	ck_assert_ptr_null(strstr(r.body.p, "a]]>b"));
	soap_resp_free(&r);

	/* Out of memory while the text was appended: 603. */
	resp_init(&r, "GetListOfPortMappings");
	ck_assert_ptr_nonnull(b = soap_out_cdata_open(&r, "NewG", &mark));
	b->nomem = true;		/* as strbuf leaves it */
	ck_assert_int_eq(soap_out_cdata_close(&r, "NewG", mark),
	    UPNPERR_OUT_OF_MEMORY);
	ck_assert_ptr_null(soap_out_cdata_open(&r, "NewH", &mark));
	soap_resp_free(&r);
}
END_TEST

START_TEST(resp_out_of_memory)
{
	struct soap_resp r;

	resp_init(&r, "A");
	ck_assert_int_eq(soap_out(&r, "NewA", "1"), UPNPERR_NONE);
	r.body.nomem = true;		/* as strbuf leaves it */
	ck_assert_int_eq(soap_out(&r, "NewB", "2"), UPNPERR_OUT_OF_MEMORY);
	ck_assert_int_eq(soap_out_u32(&r, "NewC", 3), UPNPERR_OUT_OF_MEMORY);
	ck_assert_int_eq(soap_out_cdata(&r, "NewD", "4"),
	    UPNPERR_OUT_OF_MEMORY);
	ck_assert_ptr_null(soap_resp_finish(&r));
	soap_resp_free(&r);
	ck_assert(!r.body.nomem);
}
END_TEST

/* ========================================================================== */

static Suite *
soapmsg_suite(void)
{
	Suite *s = suite_create("soapmsg");
	TCase *tc = tcase_create("read");
	TCase *bad = tcase_create("badinput");
	TCase *ns = tcase_create("namespaces");
	TCase *out = tcase_create("write");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, parse_add_port_mapping);
	tcase_add_test(tc, parse_no_args_and_empty_elements);
	tcase_add_test(tc, deep_nesting_100k);
	tcase_add_test(tc, element_inside_argument);
	tcase_add_test(tc, utf8_valid_kept);
	tcase_add_test(tc, utf8_invalid_refused);
	tcase_add_test(tc, nul_byte_refused);
	tcase_add_test(tc, bom_accepted);
	tcase_add_test(tc, references_decoded);
	tcase_add_test(tc, references_refused);
	tcase_add_test(tc, cdata_sections);
	tcase_add_test(tc, comments_and_pis);
	tcase_add_test(tc, well_formedness);
	tcase_add_test(tc, envelope_shape);
	tcase_add_test(tc, stray_text_in_action);
	tcase_add_test(tc, too_many_args);
	tcase_add_test(tc, argument_text_verbatim);
	tcase_add_test(tc, many_namespace_declarations);
	tcase_add_test(tc, free_is_safe);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(bad, NULL, teardown);
	tcase_add_test(bad, badinput_invalid_utf8);
	tcase_add_test(bad, badinput_undefined_entity);
	tcase_add_test(bad, badinput_billion_laughs);
	tcase_add_test(bad, badinput_external_entity);
	tcase_add_test(bad, doctype_alone_refused);
	tcase_add_test(bad, badinput_trailing_text);
	tcase_add_test(bad, badinput_trailing_cdata_or_element);
	tcase_add_test(bad, badinput_ok_trailing_space);
	tcase_add_test(bad, badinput_ok_trailing_comment_pi);
	tcase_add_test(bad, badinput_ok_gt_in_attribute);
	tcase_add_test(bad, badinput_not_xml_empty_no_root);
	tcase_add_test(bad, badinput_no_envelope);
	tcase_add_test(bad, badinput_no_body_element);
	tcase_add_test(bad, badinput_deep_nesting);
	suite_add_tcase(s, bad);

	tcase_add_checked_fixture(ns, NULL, teardown);
	tcase_add_test(ns, ns_default_and_prefix);
	tcase_add_test(ns, ns_redeclared);
	tcase_add_test(ns, ns_undeclared_prefix);
	suite_add_tcase(s, ns);

	tcase_add_checked_fixture(out, NULL, teardown);
	tcase_add_test(out, resp_exact_text);
	tcase_add_test(out, resp_round_trip_plain);
	tcase_add_test(out, resp_round_trip_escaping);
	tcase_add_test(out, resp_escapes_every_special);
	tcase_add_test(out, resp_replaces_non_xml);
	tcase_add_test(out, resp_round_trip_of_parsed_values);
	tcase_add_test(out, fault_exact_text);
	tcase_add_test(out, fault_reads_back);
	suite_add_tcase(s, out);
	return s;
}

static Suite *
soap_suite(void)
{
	Suite *s = suite_create("soap");
	TCase *args = tcase_create("args");
	TCase *resp = tcase_create("resp");

	tcase_add_checked_fixture(args, NULL, teardown);
	tcase_add_test(args, args_any_order);
	tcase_add_test(args, args_missing_unknown_dup);
	tcase_add_test(args, args_element_valued_stray_too_many);
	tcase_add_test(args, args_none_expected);
	tcase_add_test(args, uda_types);
	suite_add_tcase(s, args);

	tcase_add_checked_fixture(resp, NULL, teardown);
	tcase_add_test(resp, resp_finish_without_out_args);
	tcase_add_test(resp, resp_move);
	tcase_add_test(resp, resp_finish_with_out_args);
	tcase_add_test(resp, resp_cdata_in_place);
	tcase_add_test(resp, resp_out_of_memory);
	suite_add_tcase(s, resp);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(soapmsg_suite());
	int failed;

	srunner_add_suite(sr, soap_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
