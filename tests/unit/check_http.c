/*
 * Unit tests for httpreq, the HTTP/1.x request head parser and chunked
 * body decoder of igd2d's own server: well-formed heads of each method,
 * every cut of a request, the 400/501/505 refusals, the limits
 * (badinput.py's ok-header-12k, *-header-100k, *-headers-10000),
 * Content-Length and Transfer-Encoding, M-POST's NN-SOAPACTION,
 * SOAPACTION and target splitting, chunked bodies.
 */
#include "httpreq.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A literal with its length, NUL bytes included. */
#define LIT(s)		s, sizeof(s) - 1

#define ST_TYPE		"urn:schemas-upnp-org:service:WANIPConnection:2"
#define SOAP_BODY	"<s:Envelope/>"

/* A SOAP POST as a control point sends it, with its body. */
static const char post_crlf[] =
    "POST /ctl/IPConn HTTP/1.1\r\n"
    "HOST: 192.168.1.1:5000\r\n"
    "CONTENT-LENGTH: 13\r\n"
    "CONTENT-TYPE: text/xml; charset=\"utf-8\"\r\n"
    "SOAPACTION: \"" ST_TYPE "#GetExternalIPAddress\"\r\n"
    "Connection: close\r\n"
    "\r\n"
    SOAP_BODY;

/* The same with bare LF line ends. */
static const char post_lf[] =
    "POST /ctl/IPConn HTTP/1.1\n"
    "HOST: 192.168.1.1:5000\n"
    "CONTENT-LENGTH: 13\n"
    "CONTENT-TYPE: text/xml; charset=\"utf-8\"\n"
    "SOAPACTION: \"" ST_TYPE "#GetExternalIPAddress\"\n"
    "Connection: close\n"
    "\n"
    SOAP_BODY;

/* s is present and holds want. */
#define ck_assert_hstr(s, want) do {					\
	struct httpreq_str s_ = (s);					\
	const char *w_ = (want);					\
									\
	ck_assert_msg(s_.p != NULL && s_.len == strlen(w_) &&		\
	    memcmp(s_.p, w_, s_.len) == 0,				\
	    "%s is \"%.*s\", not \"%s\"",				\
	    #s, (int)s_.len, s_.p != NULL ? s_.p : "(absent)", w_);	\
} while (0)

#define ck_assert_absent(s) do {					\
	ck_assert_ptr_null((s).p);					\
	ck_assert_uint_eq((s).len, 0);					\
} while (0)

static struct httpreq_str
hs(const char *s)
{
	struct httpreq_str r = { s, strlen(s) };

	return r;
}

/* Parses the NUL-terminated req, which must be DONE. */
static struct httpreq
done(const char *req)
{
	struct httpreq r;
	int st = -1;

	ck_assert_int_eq(httpreq_parse(req, strlen(req), &r, &st),
	    HTTPREQ_DONE);
	ck_assert_int_eq(st, 0);
	return r;
}

/* The status answered to req[0..len), which must be BAD. */
static int
bad_status(const char *req, size_t len)
{
	struct httpreq r;
	int st = 0;

	ck_assert_int_eq(httpreq_parse(req, len, &r, &st), HTTPREQ_BAD);
	return st;
}

static bool
same_str(struct httpreq_str a, struct httpreq_str b)
{
	return a.p == b.p && a.len == b.len;
}

static bool
same_req(const struct httpreq *a, const struct httpreq *b)
{
	return a->head_len == b->head_len && a->method == b->method &&
	    same_str(a->method_name, b->method_name) &&
	    same_str(a->target, b->target) && same_str(a->host, b->host) &&
	    same_str(a->soapaction, b->soapaction) &&
	    same_str(a->content_type, b->content_type) &&
	    same_str(a->man, b->man) &&
	    same_str(a->transfer_encoding, b->transfer_encoding) &&
	    same_str(a->connection, b->connection) &&
	    same_str(a->expect, b->expect) && a->minor == b->minor &&
	    a->has_length == b->has_length &&
	    a->content_length == b->content_length && a->chunked == b->chunked;
}

/* ========================================================================== */
/* well-formed heads                                                          */
/* ========================================================================== */

START_TEST(get_description)
{
	static const char req[] =
	    "GET /rootDesc.xml HTTP/1.1\r\nHost: 192.168.1.1:5000\r\n\r\n";
	struct httpreq r = done(req);

	ck_assert_uint_eq(r.head_len, strlen(req));
	ck_assert_int_eq(r.method, HTTPREQ_GET);
	ck_assert_hstr(r.method_name, "GET");
	ck_assert_hstr(r.target, "/rootDesc.xml");
	ck_assert_hstr(r.host, "192.168.1.1:5000");
	ck_assert_int_eq(r.minor, 1);
	ck_assert(!r.has_length);
	ck_assert(!r.chunked);
	ck_assert_absent(r.soapaction);
	ck_assert_absent(r.content_type);
	ck_assert_absent(r.man);
	ck_assert_absent(r.transfer_encoding);
	ck_assert_absent(r.connection);
	ck_assert_absent(r.expect);
}
END_TEST

/* Expect is kept (the front answers 100-continue); the first one counts. */
START_TEST(expect_kept)
{
	struct httpreq r = done("POST /ctl/IPConn HTTP/1.1\r\nHost: a\r\n"
	    "expect:  100-Continue \r\nExpect: other\r\n"
	    "Content-Length: 5\r\n\r\n");

	ck_assert_hstr(r.expect, "100-Continue");
	ck_assert(httpreq_eq(r.expect, "100-continue"));
}
END_TEST

START_TEST(post_soap_all_fields)
{
	struct httpreq r = done(post_crlf);

	ck_assert_uint_eq(r.head_len, strlen(post_crlf) - strlen(SOAP_BODY));
	ck_assert_int_eq(r.method, HTTPREQ_POST);
	ck_assert_hstr(r.target, "/ctl/IPConn");
	ck_assert_hstr(r.host, "192.168.1.1:5000");
	ck_assert(r.has_length);
	ck_assert_uint_eq(r.content_length, 13);
	ck_assert_hstr(r.content_type, "text/xml; charset=\"utf-8\"");
	ck_assert_hstr(r.soapaction, "\"" ST_TYPE "#GetExternalIPAddress\"");
	ck_assert_hstr(r.connection, "close");
	ck_assert(httpreq_eq(r.connection, "CLOSE"));
}
END_TEST

/* Bare LF ends lines as well as CRLF, and gives the same values. */
START_TEST(lf_same_as_crlf)
{
	struct httpreq a = done(post_crlf), b = done(post_lf);

	ck_assert_uint_eq(b.head_len, strlen(post_lf) - strlen(SOAP_BODY));
	ck_assert_int_eq(a.method, b.method);
	ck_assert_hstr(b.target, "/ctl/IPConn");
	ck_assert_hstr(b.host, "192.168.1.1:5000");
	ck_assert_hstr(b.soapaction, "\"" ST_TYPE "#GetExternalIPAddress\"");
	ck_assert_hstr(b.connection, "close");
	ck_assert_uint_eq(b.content_length, a.content_length);
}
END_TEST

START_TEST(mixed_line_ends)
{
	struct httpreq r = done("GET / HTTP/1.1\nHost: a\r\nX: y\n\r\n");

	ck_assert_hstr(r.host, "a");
	ck_assert_uint_eq(r.head_len, 31);
}
END_TEST

START_TEST(subscribe_unsubscribe_notify)
{
	struct httpreq r;

	r = done("SUBSCRIBE /evt/IPConn HTTP/1.1\r\n"
	    "HOST: 192.168.1.1:5000\r\n"
	    "CALLBACK: <http://192.168.1.10:49152/>\r\n"
	    "NT: upnp:event\r\nTIMEOUT: Second-1800\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_SUBSCRIBE);
	ck_assert_hstr(r.target, "/evt/IPConn");
	r = done("UNSUBSCRIBE /evt/IPConn HTTP/1.1\r\nHOST: h\r\n"
	    "SID: uuid:1\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_UNSUBSCRIBE);
	r = done("NOTIFY /x HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_NOTIFY);
	r = done("HEAD / HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_HEAD);
}
END_TEST

/* Other tokens are methods too; names are case-sensitive. */
START_TEST(other_methods)
{
	struct httpreq r;

	r = done("OPTIONS * HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_OTHER);
	ck_assert_hstr(r.method_name, "OPTIONS");
	ck_assert_hstr(r.target, "*");
	r = done("get / HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_OTHER);
	r = done("M-POSTX / HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_OTHER);
	r = done("POS / HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_OTHER);
}
END_TEST

/* SSDP's search (msearch.h): its method, ST and MX (LEG-01). */
START_TEST(msearch_fields)
{
	struct httpreq r;

	r = done("M-SEARCH * HTTP/1.1\r\nHost:239.255.255.250:1900\r\n"
	    "st:upnp:rootdevice\r\nMan:\"ssdp:discover\"\r\nmx: 3 \r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_MSEARCH);
	ck_assert_hstr(r.target, "*");
	ck_assert_hstr(r.st, "upnp:rootdevice");
	ck_assert_hstr(r.mx, "3");
	ck_assert_hstr(r.man, "\"ssdp:discover\"");
	r = done("M-SEARCHX * HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(r.method, HTTPREQ_OTHER);
	ck_assert_ptr_null(r.st.p);
	ck_assert_ptr_null(r.mx.p);
}
END_TEST

START_TEST(http_1_0_and_1_9)
{
	struct httpreq r;

	r = done("GET / HTTP/1.0\r\n\r\n");
	ck_assert_int_eq(r.minor, 0);
	ck_assert_absent(r.host);
	r = done("GET / HTTP/1.9\r\n\r\n");
	ck_assert_int_eq(r.minor, 9);
}
END_TEST

START_TEST(header_names_any_case)
{
	struct httpreq r = done("POST /c HTTP/1.1\r\nhost: h\r\n"
	    "soapAction: \"a#b\"\r\ncontent-LENGTH: 7\r\nCoNtEnT-TyPe: t\r\n"
	    "man: m\r\nCONNECTION: keep-alive\r\n\r\n");

	ck_assert_hstr(r.host, "h");
	ck_assert_hstr(r.soapaction, "\"a#b\"");
	ck_assert_uint_eq(r.content_length, 7);
	ck_assert_hstr(r.content_type, "t");
	ck_assert_hstr(r.man, "m");
	ck_assert_hstr(r.connection, "keep-alive");
}
END_TEST

START_TEST(white_space_around_values)
{
	struct httpreq r = done("GET / HTTP/1.1\r\nHost:h1\r\n"
	    "Content-Type: \t a b \t \r\nConnection:\r\n"
	    "SOAPACTION:   \r\n\r\n");

	ck_assert_hstr(r.host, "h1");
	ck_assert_hstr(r.content_type, "a b");
	/* Present but empty: p set, len 0. */
	ck_assert_ptr_nonnull(r.connection.p);
	ck_assert_uint_eq(r.connection.len, 0);
	ck_assert_ptr_nonnull(r.soapaction.p);
	ck_assert_uint_eq(r.soapaction.len, 0);
}
END_TEST

/* RFC 9112 2.2: empty lines before the request line are ignored. */
START_TEST(leading_empty_lines)
{
	static const char req[] = "\r\n\nGET / HTTP/1.1\r\n\r\n";
	struct httpreq r = done(req);

	ck_assert_int_eq(r.method, HTTPREQ_GET);
	ck_assert_uint_eq(r.head_len, strlen(req));
}
END_TEST

START_TEST(repeated_header_keeps_first)
{
	struct httpreq r = done("POST / HTTP/1.1\r\nContent-Type: a\r\n"
	    "Content-Type: b\r\nSOAPACTION: x#y\r\nSOAPACTION: z#w\r\n\r\n");

	ck_assert_hstr(r.content_type, "a");
	ck_assert_hstr(r.soapaction, "x#y");
}
END_TEST

/* obs-text (bytes 0x80-0xff) is allowed in values and targets. */
START_TEST(high_bytes_allowed)
{
	struct httpreq r = done("GET /caf\xc3\xa9 HTTP/1.1\r\n"
	    "User-Agent: caf\xc3\xa9\r\nHost: \xff\r\n\r\n");

	ck_assert_hstr(r.target, "/caf\xc3\xa9");
	ck_assert_hstr(r.host, "\xff");
}
END_TEST

START_TEST(absolute_form_target)
{
	struct httpreq r = done("GET http://192.168.1.1:5000/rootDesc.xml "
	    "HTTP/1.1\r\n\r\n");

	ck_assert_hstr(r.target, "http://192.168.1.1:5000/rootDesc.xml");
}
END_TEST

/* Every cut of the request is MORE until the head ends, then DONE alike. */
static void
every_cut(const char *req)
{
	struct httpreq full, r;
	size_t len = strlen(req), i;
	int st;

	full = done(req);
	for (i = 0; i <= len; i++) {
		st = -1;
		if (i < full.head_len) {
			ck_assert_msg(httpreq_parse(req, i, &r, &st) ==
			    HTTPREQ_MORE, "cut at %zu", i);
		} else {
			ck_assert_msg(httpreq_parse(req, i, &r, &st) ==
			    HTTPREQ_DONE, "cut at %zu", i);
			ck_assert_msg(same_req(&r, &full), "cut at %zu", i);
		}
		ck_assert_int_eq(st, 0);
	}
}

START_TEST(every_cut_crlf)
{
	every_cut(post_crlf);
}
END_TEST

START_TEST(every_cut_lf)
{
	every_cut(post_lf);
}
END_TEST

START_TEST(every_cut_mpost)
{
	every_cut("M-POST /ctl HTTP/1.1\r\n01-SOAPACTION: \"" ST_TYPE
	    "#GetStatusInfo\"\r\nMAN: \"http://schemas.xmlsoap.org/soap/"
	    "envelope/\"; ns=01\r\n\r\nbody");
}
END_TEST

/* A bad line is BAD as soon as it is complete, whatever follows. */
START_TEST(bad_before_head_ends)
{
	static const char req[] = "GET / HTTP/1.1\r\nX y\r\nHost: h";
	struct httpreq r;
	int st;

	ck_assert_int_eq(httpreq_parse(req, 17, &r, &st), HTTPREQ_MORE);
	ck_assert_int_eq(bad_status(req, 21), 400);
	ck_assert_int_eq(bad_status(req, strlen(req)), 400);
}
END_TEST

START_TEST(empty_input_is_more)
{
	struct httpreq r;
	int st;

	ck_assert_int_eq(httpreq_parse("", 0, &r, &st), HTTPREQ_MORE);
	ck_assert_int_eq(httpreq_parse("\r\n\r\n", 4, &r, &st),
	    HTTPREQ_MORE);
}
END_TEST

START_TEST(eq_case_insensitive)
{
	ck_assert(httpreq_eq(hs("Chunked"), "chunked"));
	ck_assert(httpreq_eq(hs(""), ""));
	ck_assert(!httpreq_eq(hs("chunk"), "chunked"));
	ck_assert(!httpreq_eq(hs("chunkedx"), "chunked"));
	ck_assert(!httpreq_eq(hs("chunkee"), "chunked"));
}
END_TEST

/* ========================================================================== */
/* refusals                                                                   */
/* ========================================================================== */

static const struct {
	const char	*name;
	const char	*req;
	size_t		 len;
	int		 status;
} bad_cases[] = {
	{ "double space after method",
	    LIT("GET  / HTTP/1.1\r\n\r\n"), 400 },
	{ "double space after target",
	    LIT("GET /  HTTP/1.1\r\n\r\n"), 400 },
	{ "leading space",
	    LIT(" GET / HTTP/1.1\r\n\r\n"), 400 },
	{ "trailing space",
	    LIT("GET / HTTP/1.1 \r\n\r\n"), 400 },
	{ "tab separator",
	    LIT("GET\t/ HTTP/1.1\r\n\r\n"), 400 },
	{ "no target",
	    LIT("GET HTTP/1.1\r\n\r\n"), 400 },
	{ "no version",
	    LIT("GET /\r\n\r\n"), 400 },
	{ "method only",
	    LIT("GET\r\n\r\n"), 400 },
	{ "method not a token",
	    LIT("G(T / HTTP/1.1\r\n\r\n"), 400 },
	{ "method with slash",
	    LIT("GET/ / HTTP/1.1\r\n\r\n"), 400 },
	{ "lowercase http",
	    LIT("GET / http/1.1\r\n\r\n"), 400 },
	{ "version without minor",
	    LIT("GET / HTTP/1\r\n\r\n"), 400 },
	{ "version two digits",
	    LIT("GET / HTTP/1.10\r\n\r\n"), 400 },
	{ "version letters",
	    LIT("GET / HTTP/a.b\r\n\r\n"), 400 },
	{ "HTTP/2.0",
	    LIT("GET / HTTP/2.0\r\n\r\n"), 505 },
	{ "HTTP/0.9",
	    LIT("GET / HTTP/0.9\r\n\r\n"), 505 },
	{ "HTTP/3.1",
	    LIT("GET / HTTP/3.1\r\n\r\n"), 505 },
	{ "control in target",
	    LIT("GET /a\x01" "b HTTP/1.1\r\n\r\n"), 400 },
	{ "DEL in target",
	    LIT("GET /\x7f HTTP/1.1\r\n\r\n"), 400 },
	{ "NUL in request line",
	    LIT("GET /\0 HTTP/1.1\r\n\r\n"), 400 },
	{ "NUL in method",
	    LIT("G\0T / HTTP/1.1\r\n\r\n"), 400 },
	{ "NUL in value",
	    LIT("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n"), 400 },
	{ "NUL in name",
	    LIT("GET / HTTP/1.1\r\nX\0: a\r\n\r\n"), 400 },
	{ "escape in value",
	    LIT("GET / HTTP/1.1\r\nX: \x1b[m\r\n\r\n"), 400 },
	{ "bare CR in value",
	    LIT("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"), 400 },
	{ "CR CR LF",
	    LIT("GET / HTTP/1.1\r\r\n\r\n"), 400 },
	{ "DEL in value",
	    LIT("GET / HTTP/1.1\r\nX: \x7f\r\n\r\n"), 400 },
	{ "obs-fold space",
	    LIT("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"), 400 },
	{ "obs-fold tab",
	    LIT("GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n"), 400 },
	{ "obs-fold first header",
	    LIT("GET / HTTP/1.1\r\n X: a\r\n\r\n"), 400 },
	{ "no colon",
	    LIT("GET / HTTP/1.1\r\nX y\r\n\r\n"), 400 },
	{ "empty name",
	    LIT("GET / HTTP/1.1\r\n: y\r\n\r\n"), 400 },
	{ "space before colon",
	    LIT("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), 400 },
	{ "space in name",
	    LIT("GET / HTTP/1.1\r\nHo st: h\r\n\r\n"), 400 },
	{ "two Host",
	    LIT("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n"), 400 },
	{ "Content-Length negative",
	    LIT("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400 },
	{ "Content-Length plus",
	    LIT("POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n"), 400 },
	{ "Content-Length hex",
	    LIT("POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n"), 400 },
	{ "Content-Length decimal point",
	    LIT("POST / HTTP/1.1\r\nContent-Length: 1.0\r\n\r\n"), 400 },
	{ "Content-Length two numbers",
	    LIT("POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n"), 400 },
	{ "Content-Length list",
	    LIT("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n"), 400 },
	{ "Content-Length empty",
	    LIT("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n"), 400 },
	{ "Content-Length huge",
	    LIT("POST / HTTP/1.1\r\n"
	    "Content-Length: 99999999999999999999\r\n\r\n"), 400 },
	{ "Content-Length 2^64",
	    LIT("POST / HTTP/1.1\r\n"
	    "Content-Length: 18446744073709551616\r\n\r\n"), 400 },
	{ "Content-Length conflicting",
	    LIT("POST / HTTP/1.1\r\n"
	    "Content-Length: 5\r\nContent-Length: 6\r\n\r\n"), 400 },
	{ "Transfer-Encoding gzip",
	    LIT("POST / HTTP/1.1\r\n" "Transfer-Encoding: gzip\r\n\r\n"), 501 },
	{ "Transfer-Encoding identity",
	    LIT("POST / HTTP/1.1\r\n" "Transfer-Encoding: identity\r\n\r\n"),
	    501 },
	{ "Transfer-Encoding gzip, chunked",
	    LIT("POST / HTTP/1.1\r\n"
	    "Transfer-Encoding: gzip, chunked\r\n\r\n"), 501 },
	{ "Transfer-Encoding chunked, gzip",
	    LIT("POST / HTTP/1.1\r\n"
	    "Transfer-Encoding: chunked, gzip\r\n\r\n"), 501 },
	{ "Transfer-Encoding parameter",
	    LIT("POST / HTTP/1.1\r\n" "Transfer-Encoding: chunked;q=1\r\n\r\n"),
	    501 },
	{ "Transfer-Encoding chunked twice",
	    LIT("POST / HTTP/1.1\r\n"
	    "Transfer-Encoding: chunked, chunked\r\n\r\n"), 400 },
	{ "Transfer-Encoding chunked in two headers",
	    LIT("POST / HTTP/1.1\r\n"
	    "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
	    400 },
	{ "Transfer-Encoding empty",
	    LIT("POST / HTTP/1.1\r\n" "Transfer-Encoding:\r\n\r\n"), 400 },
	{ "Transfer-Encoding commas",
	    LIT("POST / HTTP/1.1\r\n" "Transfer-Encoding: , ,\r\n\r\n"), 400 },
};

START_TEST(bad_requests)
{
	struct httpreq r;
	int st;

	st = 0;
	ck_assert_msg(httpreq_parse(bad_cases[_i].req, bad_cases[_i].len, &r,
	    &st) == HTTPREQ_BAD, "%s: not BAD", bad_cases[_i].name);
	ck_assert_msg(st == bad_cases[_i].status, "%s: %d, not %d",
	    bad_cases[_i].name, st, bad_cases[_i].status);
}
END_TEST

/* The first bad line decides the status. */
START_TEST(first_error_wins)
{
	ck_assert_int_eq(bad_status(LIT("GET / HTTP/1.1\r\n"
	    "Transfer-Encoding: gzip\r\nX y\r\n\r\n")), 501);
	ck_assert_int_eq(bad_status(LIT("GET / HTTP/1.1\r\n"
	    "X y\r\nTransfer-Encoding: gzip\r\n\r\n")), 400);
	ck_assert_int_eq(bad_status(LIT("GET / HTTP/2.0\r\nX y\r\n\r\n")),
	    505);
}
END_TEST

/* ========================================================================== */
/* limits                                                                     */
/* ========================================================================== */

static char big[256 * 1024];

/* A GET with extra bytes of one header X-Big, or nheaders headers. */
static size_t
make_big(size_t value_len, size_t nheaders)
{
	size_t n, i;

	n = (size_t)snprintf(big, sizeof(big), "POST /ctl HTTP/1.1\r\n"
	    "Host: h\r\n");
	if (value_len > 0) {
		memcpy(big + n, "X-Big: ", 7);
		n += 7;
		memset(big + n, 'a', value_len);
		n += value_len;
		memcpy(big + n, "\r\n", 2);
		n += 2;
	}
	for (i = 0; i < nheaders; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    "X-H%zu: %zu\r\n", i, i);
	memcpy(big + n, "\r\n" SOAP_BODY, 2 + strlen(SOAP_BODY));
	return n + 2 + strlen(SOAP_BODY);
}

/* badinput.py ok-header-12k. */
START_TEST(header_12k_accepted)
{
	struct httpreq r;
	size_t len = make_big(12000, 0);
	int st;

	ck_assert_int_eq(httpreq_parse(big, len, &r, &st), HTTPREQ_DONE);
	ck_assert_uint_eq(r.head_len, len - strlen(SOAP_BODY));
	ck_assert_hstr(r.host, "h");
}
END_TEST

/* badinput.py *-header-100k: BAD once HTTPREQ_HEAD_MAX bytes are in. */
START_TEST(header_100k_refused)
{
	struct httpreq r;
	size_t len = make_big(100000, 0);
	int st;

	ck_assert_int_eq(bad_status(big, len), 400);
	ck_assert_int_eq(httpreq_parse(big, HTTPREQ_HEAD_MAX - 1, &r, &st),
	    HTTPREQ_MORE);
	ck_assert_int_eq(bad_status(big, HTTPREQ_HEAD_MAX), 400);
}
END_TEST

START_TEST(headers_100_accepted)
{
	struct httpreq r;
	int st;

	/* Host plus 99. */
	ck_assert_int_eq(httpreq_parse(big, make_big(0, 99), &r, &st),
	    HTTPREQ_DONE);
	ck_assert_int_eq(bad_status(big, make_big(0, 100)), 400);
}
END_TEST

/* badinput.py *-headers-10000. */
START_TEST(headers_10000_refused)
{
	ck_assert_int_eq(bad_status(big, make_big(0, 10000)), 400);
}
END_TEST

/* The head may be HTTPREQ_HEAD_MAX bytes long, not one more. */
START_TEST(head_max_exactly)
{
	struct httpreq r;
	size_t len, fixed;
	int st;

	fixed = make_big(1, 0) - strlen(SOAP_BODY) - 1;
	len = make_big(HTTPREQ_HEAD_MAX - fixed, 0);
	ck_assert_int_eq(httpreq_parse(big, len, &r, &st), HTTPREQ_DONE);
	ck_assert_uint_eq(r.head_len, HTTPREQ_HEAD_MAX);
	len = make_big(HTTPREQ_HEAD_MAX - fixed + 1, 0);
	ck_assert_int_eq(bad_status(big, len), 400);
	/* With LF line ends too: "\r\n\r\n" at the end becomes "\n\n". */
	len = make_big(HTTPREQ_HEAD_MAX - fixed + 2, 0);
	memcpy(big + HTTPREQ_HEAD_MAX - 2, "\n\n", 2);
	memmove(big + HTTPREQ_HEAD_MAX, big + HTTPREQ_HEAD_MAX + 2,
	    strlen(SOAP_BODY));
	len -= 2;
	ck_assert_int_eq(httpreq_parse(big, len, &r, &st), HTTPREQ_DONE);
	ck_assert_uint_eq(r.head_len, HTTPREQ_HEAD_MAX);
}
END_TEST

/* A body larger than the head limit does not matter. */
START_TEST(large_body_after_head)
{
	struct httpreq r;
	size_t n;
	int st;

	n = strlen(post_crlf);
	memcpy(big, post_crlf, n);
	memset(big + n, 'x', 100000);
	ck_assert_int_eq(httpreq_parse(big, n + 100000, &r, &st),
	    HTTPREQ_DONE);
	ck_assert_uint_eq(r.head_len, n - strlen(SOAP_BODY));
}
END_TEST

/* ========================================================================== */
/* Content-Length and Transfer-Encoding                                       */
/* ========================================================================== */

START_TEST(content_length_values)
{
	struct httpreq r;

	r = done("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
	ck_assert(r.has_length);
	ck_assert_uint_eq(r.content_length, 0);
	r = done("POST / HTTP/1.1\r\nContent-Length: \t 42 \r\n\r\n");
	ck_assert_uint_eq(r.content_length, 42);
	r = done("POST / HTTP/1.1\r\nContent-Length: 007\r\n\r\n");
	ck_assert_uint_eq(r.content_length, 7);
	r = done("POST / HTTP/1.1\r\n"
	    "Content-Length: 18446744073709551615\r\n\r\n");
	ck_assert_uint_eq(r.content_length, UINT64_MAX);
}
END_TEST

START_TEST(content_length_repeated_same)
{
	struct httpreq r = done("POST / HTTP/1.1\r\nContent-Length: 5\r\n"
	    "content-length: 5\r\n\r\n");

	ck_assert(r.has_length);
	ck_assert_uint_eq(r.content_length, 5);
}
END_TEST

START_TEST(chunked)
{
	struct httpreq r;

	r = done("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
	ck_assert(r.chunked);
	ck_assert(!r.has_length);
	ck_assert_hstr(r.transfer_encoding, "chunked");
	r = done("POST / HTTP/1.1\r\nTransfer-Encoding: , Chunked ,\r\n\r\n");
	ck_assert(r.chunked);
}
END_TEST

/* RFC 9112 6.3: Transfer-Encoding overrides Content-Length, either order. */
START_TEST(chunked_overrides_length)
{
	struct httpreq r;

	r = done("POST / HTTP/1.1\r\nContent-Length: 10\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n");
	ck_assert(r.chunked);
	ck_assert(!r.has_length);
	ck_assert_uint_eq(r.content_length, 0);
	r = done("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Length: 10\r\n\r\n");
	ck_assert(r.chunked);
	ck_assert(!r.has_length);
}
END_TEST

/* ========================================================================== */
/* M-POST                                                                     */
/* ========================================================================== */

#define MAN_SOAP \
	"MAN: \"http://schemas.xmlsoap.org/soap/envelope/\"; ns=01\r\n"
#define SA_VALUE	"\"" ST_TYPE "#GetStatusInfo\""

START_TEST(mpost_ns_soapaction)
{
	struct httpreq r = done("M-POST /ctl HTTP/1.1\r\n" MAN_SOAP
	    "01-SOAPACTION: " SA_VALUE "\r\n\r\n");

	ck_assert_int_eq(r.method, HTTPREQ_MPOST);
	ck_assert_hstr(r.method_name, "M-POST");
	ck_assert_hstr(r.man,
	    "\"http://schemas.xmlsoap.org/soap/envelope/\"; ns=01");
	ck_assert_hstr(r.soapaction, SA_VALUE);
}
END_TEST

/* MAN may come after the header it names. */
START_TEST(mpost_man_after)
{
	struct httpreq r = done("M-POST /ctl HTTP/1.1\r\n"
	    "01-soapaction: " SA_VALUE "\r\n" MAN_SOAP "\r\n");

	ck_assert_hstr(r.soapaction, SA_VALUE);
}
END_TEST

START_TEST(mpost_ns_mismatch)
{
	struct httpreq r = done("M-POST /ctl HTTP/1.1\r\n" MAN_SOAP
	    "02-SOAPACTION: " SA_VALUE "\r\n1-SOAPACTION: x#y\r\n\r\n");

	ck_assert_absent(r.soapaction);
}
END_TEST

START_TEST(mpost_plain_soapaction)
{
	struct httpreq r;

	r = done("M-POST /ctl HTTP/1.1\r\n" MAN_SOAP
	    "SOAPACTION: " SA_VALUE "\r\n\r\n");
	ck_assert_hstr(r.soapaction, SA_VALUE);
	/* The NN- header wins over a plain one. */
	r = done("M-POST /ctl HTTP/1.1\r\nSOAPACTION: a#b\r\n" MAN_SOAP
	    "01-SOAPACTION: " SA_VALUE "\r\n\r\n");
	ck_assert_hstr(r.soapaction, SA_VALUE);
	/* Without MAN the NN- header means nothing. */
	r = done("M-POST /ctl HTTP/1.1\r\n01-SOAPACTION: a#b\r\n\r\n");
	ck_assert_absent(r.soapaction);
}
END_TEST

/* Only an M-POST has an NN-SOAPACTION. */
START_TEST(post_ignores_ns_soapaction)
{
	struct httpreq r = done("POST /ctl HTTP/1.1\r\n" MAN_SOAP
	    "01-SOAPACTION: " SA_VALUE "\r\n\r\n");

	ck_assert_absent(r.soapaction);
}
END_TEST

/* MAN is a list; the SOAP envelope may be anywhere, quoted or not. */
START_TEST(mpost_man_forms)
{
	struct httpreq r;

	r = done("M-POST /ctl HTTP/1.1\r\nMAN: \"http://example.com/x\"; "
	    "ns=01, \"http://schemas.xmlsoap.org/soap/envelope/\" ; NS = 7\r\n"
	    "7-SOAPACTION: a#b\r\n01-SOAPACTION: c#d\r\n\r\n");
	ck_assert_hstr(r.soapaction, "a#b");
	r = done("M-POST /ctl HTTP/1.1\r\n"
	    "Man: http://schemas.xmlsoap.org/soap/envelope/;ns=42\r\n"
	    "42-SOAPACTION: e#f\r\n\r\n");
	ck_assert_hstr(r.soapaction, "e#f");
	/* A second MAN header counts too. */
	r = done("M-POST /ctl HTTP/1.1\r\nMAN: \"http://example.com/\"; "
	    "ns=01\r\n" MAN_SOAP "01-SOAPACTION: g#h\r\n\r\n");
	ck_assert_hstr(r.soapaction, "g#h");
	/* Malformed ns: nothing. */
	r = done("M-POST /ctl HTTP/1.1\r\nMAN: \"http://schemas.xmlsoap.org/"
	    "soap/envelope/\"; ns=x1\r\nx1-SOAPACTION: a#b\r\n\r\n");
	ck_assert_absent(r.soapaction);
	r = done("M-POST /ctl HTTP/1.1\r\nMAN: \"http://schemas.xmlsoap.org/"
	    "soap/envelope/\"\r\n01-SOAPACTION: a#b\r\n\r\n");
	ck_assert_absent(r.soapaction);
}
END_TEST

/* ========================================================================== */
/* SOAPACTION                                                                 */
/* ========================================================================== */

/* sa splits into type and action, or (type NULL) is refused. */
static void
soapaction_is(const char *sa, const char *type, const char *action)
{
	struct httpreq_str t, a;

	if (type == NULL) {
		ck_assert_msg(!httpreq_soapaction(hs(sa), &t, &a),
		    "accepted: %s", sa);
		return;
	}
	ck_assert_msg(httpreq_soapaction(hs(sa), &t, &a), "refused: %s", sa);
	ck_assert_hstr(t, type);
	ck_assert_hstr(a, action);
}

START_TEST(soapaction_quoted_and_not)
{
	soapaction_is("\"" ST_TYPE "#AddPortMapping\"", ST_TYPE,
	    "AddPortMapping");
	soapaction_is(ST_TYPE "#AddPortMapping", ST_TYPE, "AddPortMapping");
	soapaction_is(" \"" ST_TYPE "#X\"\t", ST_TYPE, "X");
}
END_TEST

START_TEST(soapaction_malformed)
{
	soapaction_is("", NULL, NULL);
	soapaction_is("\"\"", NULL, NULL);
	soapaction_is("\"", NULL, NULL);
	/* no '#' */
	soapaction_is("\"" ST_TYPE "\"", NULL, NULL);
	soapaction_is(ST_TYPE, NULL, NULL);
	/* no action */
	soapaction_is("\"" ST_TYPE "#\"", NULL, NULL);
	/* no type */
	soapaction_is("\"#AddPortMapping\"", NULL, NULL);
	soapaction_is("#", NULL, NULL);
	/* quotes */
	soapaction_is("\"" ST_TYPE "#A", NULL, NULL);
	soapaction_is(ST_TYPE "#A\"", NULL, NULL);
	soapaction_is("\"" ST_TYPE "#A#B\"", NULL, NULL);
	soapaction_is("\"" ST_TYPE "#A B\"", NULL, NULL);
	soapaction_is("\"urn:a b#A\"", NULL, NULL);
	soapaction_is("\"\"" ST_TYPE "#A\"\"", NULL, NULL);
}
END_TEST

/* ========================================================================== */
/* paths                                                                      */
/* ========================================================================== */

/* target's path is path, or (path NULL) there is none. */
static void
path_is(const char *target, const char *path)
{
	struct httpreq_str p;

	if (path == NULL) {
		ck_assert_msg(!httpreq_path(hs(target), &p), "accepted: %s",
		    target);
		return;
	}
	ck_assert_msg(httpreq_path(hs(target), &p), "refused: %s", target);
	ck_assert_hstr(p, path);
}

START_TEST(path_origin_form)
{
	path_is("/", "/");
	path_is("/ctl/IPConn", "/ctl/IPConn");
	path_is("/x?y", "/x");
	path_is("/?y=1", "/");
	path_is("/a/b#frag", "/a/b");
	path_is("/a%20b", "/a%20b");
}
END_TEST

START_TEST(path_absolute_form)
{
	path_is("http://192.168.1.1:5000/rootDesc.xml", "/rootDesc.xml");
	path_is("HTTP://h/x?q", "/x");
	path_is("http://h:5000", "/");
	path_is("http://h?x", "/");
	path_is("http://h/", "/");
}
END_TEST

START_TEST(path_neither)
{
	path_is("", NULL);
	path_is("*", NULL);
	path_is("192.168.1.1:5000", NULL);
	path_is("https://h/x", NULL);
	path_is("http:/x", NULL);
	path_is("http:///x", NULL);
	path_is("http://", NULL);
	path_is("x/y", NULL);
}
END_TEST

/* Host: our address and port, or a name (DNS rebinding) */

#define HOST_ADDR	0xc0a84d01u	/* 192.168.77.1 */
#define HOST_PORT	49152

/* Whether Host value v names 192.168.77.1:49152. */
static bool
host_ok(const char *v)
{
	return httpreq_host_is(hs(v), HOST_ADDR, HOST_PORT);
}

START_TEST(host_ours)
{
	static const char *const ok[] = {
		"192.168.77.1:49152", "192.168.77.1", "192.168.77.1:",
		"192.168.077.001:49152",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(host_ok(ok[i]), "refused: %s", ok[i]);
	ck_assert(httpreq_host_is(hs("0.0.0.0:1"), 0, 1));
	ck_assert(httpreq_host_is(hs("255.255.255.255:65535"),
	    0xffffffffu, 65535));
}
END_TEST

START_TEST(host_not_ours)
{
	static const char *const bad[] = {
		"", "evil.example", "evil.example:49152", "localhost:49152",
		"192.168.77.1.nip.io:49152", "192.168.77.1.", "192.168.77",
		"192.168.77.1.5", "192.168.77.2:49152", "192.168.77.1:49153",
		"192.168.77.1:80", "192.168.77.1:0", "192.168.77.1:149152",
		"192.168.77.1:4915x", "192.168.77.1 :49152", " 192.168.77.1",
		"192.168.77.1:49152:1", "192.168.77.1:+49152",
		"192.168.77.1:049152",
		"192.168.77.01x:49152", "256.168.77.1", "1192.168.77.1",
		"192.168..77.1", "0xc0.168.77.1", "[::ffff:192.168.77.1]:49152",
		"[fe80::1]:49152", "3232255233:49152",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!host_ok(bad[i]), "accepted: %s", bad[i]);
}
END_TEST

/* ========================================================================== */
/* chunked bodies                                                             */
/* ========================================================================== */

static char cbuf[64 * 1024];

/* Decodes body (copied to cbuf) with max; its status. */
static enum httpreq_status
dechunk(const char *body, size_t len, size_t max, size_t *out, size_t *used)
{
	ck_assert_uint_le(len, sizeof(cbuf));
	memcpy(cbuf, body, len);
	return httpreq_dechunk(cbuf, len, max, out, used);
}

/* body decodes to want, using all but the rest bytes. */
static void
dechunk_is(const char *body, size_t rest, const char *want)
{
	size_t out = 0, used = 0, len = strlen(body);

	ck_assert_msg(dechunk(body, len, 4096, &out, &used) == HTTPREQ_DONE,
	    "not DONE: %s", body);
	ck_assert_uint_eq(used, len - rest);
	ck_assert_uint_eq(out, strlen(want));
	ck_assert(memcmp(cbuf, want, out) == 0);
	/* What follows is left alone. */
	ck_assert(memcmp(cbuf + used, body + used, rest) == 0);
}

static void
dechunk_bad(const char *body, size_t max)
{
	size_t out, used;

	ck_assert_msg(dechunk(body, strlen(body), max, &out, &used) ==
	    HTTPREQ_BAD, "not BAD: %s", body);
	ck_assert(memcmp(cbuf, body, strlen(body)) == 0);
}

START_TEST(dechunk_valid)
{
	dechunk_is("4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n", 0, "Wikipedia");
	dechunk_is("4\nWiki\n5\npedia\n0\n\n", 0, "Wikipedia");
	dechunk_is("0\r\n\r\n", 0, "");
	dechunk_is("000\r\n\r\n", 0, "");
	dechunk_is("A\r\n0123456789\r\n0\r\n\r\n", 0, "0123456789");
	dechunk_is("0a\r\n0123456789\r\n0\r\n\r\n", 0, "0123456789");
	dechunk_is("1\r\n\r\r\n1\r\n\n\r\n0\r\n\r\n", 0, "\r\n");
}
END_TEST

/* Bytes after the body (the next request) are not touched. */
START_TEST(dechunk_pipelined)
{
	dechunk_is("3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n", 18, "abc");
}
END_TEST

START_TEST(dechunk_extensions)
{
	dechunk_is("4;name=val\r\nWiki\r\n0;last\r\n\r\n", 0, "Wiki");
	dechunk_is("4 ;a=\"b c\"\r\nWiki\r\n0\r\n\r\n", 0, "Wiki");
	dechunk_is("4 \r\nWiki\r\n0\r\n\r\n", 0, "Wiki");
}
END_TEST

START_TEST(dechunk_trailers)
{
	dechunk_is("4\r\nWiki\r\n0\r\nX-T: 1\r\nY:2\r\n\r\n", 0, "Wiki");
	dechunk_is("4\nWiki\n0\nX-T: 1\n\nrest", 4, "Wiki");
	dechunk_bad("4\r\nWiki\r\n0\r\nX-T: 1\r\n folded\r\n\r\n", 4096);
	dechunk_bad("4\r\nWiki\r\n0\r\nno colon\r\n\r\n", 4096);
	dechunk_bad("4\r\nWiki\r\n0\r\nX: a\x01\r\n\r\n", 4096);
}
END_TEST

START_TEST(dechunk_bad_hex)
{
	dechunk_bad("g\r\nx\r\n0\r\n\r\n", 4096);
	dechunk_bad("-1\r\nx\r\n0\r\n\r\n", 4096);
	dechunk_bad("+1\r\nx\r\n0\r\n\r\n", 4096);
	dechunk_bad("0x1\r\nx\r\n0\r\n\r\n", 4096);
	dechunk_bad(" 1\r\nx\r\n0\r\n\r\n", 4096);
	dechunk_bad("\r\nx\r\n0\r\n\r\n", 4096);
	dechunk_bad("1 2\r\nx\r\n0\r\n\r\n", 4096);
	dechunk_bad("1\x01\r\nx\r\n0\r\n\r\n", 4096);
	dechunk_bad("1;\x01\r\nx\r\n0\r\n\r\n", 4096);
	/* The data must end with CRLF or LF. */
	dechunk_bad("1\r\nxy\r\n0\r\n\r\n", 4096);
	dechunk_bad("1\r\nx\ry\n0\r\n\r\n", 4096);
}
END_TEST

START_TEST(dechunk_overflow_hex)
{
	dechunk_bad("ffffffffffffffffffffffff\r\n", (size_t)-1);
	dechunk_bad("10000000000000000\r\n", (size_t)-1);
	dechunk_bad("1\r\nx\r\nffffffffffffffff\r\n", (size_t)-1);
}
END_TEST

START_TEST(dechunk_max)
{
	size_t out, used;

	ck_assert_int_eq(dechunk(LIT("4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"),
	    9, &out, &used), HTTPREQ_DONE);
	ck_assert_uint_eq(out, 9);
	dechunk_bad("4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n", 8);
	/* Refused on the size line, before the data comes. */
	dechunk_bad("a00000\r\n", 4096);
	dechunk_bad("4\r\nWiki\r\n1000\r\n", 4096);
	dechunk_bad("1\r\nx\r\n", 0);
}
END_TEST

/* Every cut is MORE and leaves the buffer as it was. */
START_TEST(dechunk_incomplete)
{
	static const char body[] =
	    "4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nX-T: 1\r\n\r\n";
	size_t len = strlen(body), i, out, used;

	for (i = 0; i < len; i++) {
		ck_assert_msg(dechunk(body, i, 4096, &out, &used) ==
		    HTTPREQ_MORE, "cut at %zu", i);
		ck_assert(memcmp(cbuf, body, i) == 0);
	}
	ck_assert_int_eq(dechunk(body, len, 4096, &out, &used),
	    HTTPREQ_DONE);
	ck_assert_uint_eq(used, len);
}
END_TEST

/* A chunk-size line passes 1 KiB, the trailers HTTPREQ_HEAD_MAX. */
START_TEST(dechunk_line_limits)
{
	size_t n, out, used;

	memset(big, 'x', sizeof(big));
	memcpy(big, "1;", 2);
	memcpy(big + 1000, "\r\nz\r\n0\r\n\r\n", 10);
	ck_assert_int_eq(httpreq_dechunk(big, 1010, 4096, &out, &used),
	    HTTPREQ_DONE);
	ck_assert_uint_eq(out, 1);
	ck_assert_int_eq(big[0], 'z');
	memset(big, 'x', 2000);
	memcpy(big, "1;", 2);
	ck_assert_int_eq(httpreq_dechunk(big, 1024, 4096, &out, &used),
	    HTTPREQ_MORE);
	ck_assert_int_eq(httpreq_dechunk(big, 1025, 4096, &out, &used),
	    HTTPREQ_BAD);
	memcpy(big, "0\r\n", 3);
	for (n = 3; n < HTTPREQ_HEAD_MAX + 100; n += 8)
		memcpy(big + n, "X-T: 1\r\n", 8);
	ck_assert_int_eq(httpreq_dechunk(big, HTTPREQ_HEAD_MAX, 4096, &out,
	    &used), HTTPREQ_MORE);
	ck_assert_int_eq(httpreq_dechunk(big, n, 4096, &out, &used),
	    HTTPREQ_BAD);
}
END_TEST

static Suite *
httpreq_suite(void)
{
	Suite *s = suite_create("httpreq");
	TCase *tc;

	tc = tcase_create("head");
	tcase_add_test(tc, get_description);
	tcase_add_test(tc, expect_kept);
	tcase_add_test(tc, post_soap_all_fields);
	tcase_add_test(tc, lf_same_as_crlf);
	tcase_add_test(tc, mixed_line_ends);
	tcase_add_test(tc, subscribe_unsubscribe_notify);
	tcase_add_test(tc, other_methods);
	tcase_add_test(tc, msearch_fields);
	tcase_add_test(tc, http_1_0_and_1_9);
	tcase_add_test(tc, header_names_any_case);
	tcase_add_test(tc, white_space_around_values);
	tcase_add_test(tc, leading_empty_lines);
	tcase_add_test(tc, repeated_header_keeps_first);
	tcase_add_test(tc, high_bytes_allowed);
	tcase_add_test(tc, absolute_form_target);
	tcase_add_test(tc, every_cut_crlf);
	tcase_add_test(tc, every_cut_lf);
	tcase_add_test(tc, every_cut_mpost);
	tcase_add_test(tc, bad_before_head_ends);
	tcase_add_test(tc, empty_input_is_more);
	tcase_add_test(tc, eq_case_insensitive);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_add_loop_test(tc, bad_requests, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, first_error_wins);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, header_12k_accepted);
	tcase_add_test(tc, header_100k_refused);
	tcase_add_test(tc, headers_100_accepted);
	tcase_add_test(tc, headers_10000_refused);
	tcase_add_test(tc, head_max_exactly);
	tcase_add_test(tc, large_body_after_head);
	suite_add_tcase(s, tc);

	tc = tcase_create("length");
	tcase_add_test(tc, content_length_values);
	tcase_add_test(tc, content_length_repeated_same);
	tcase_add_test(tc, chunked);
	tcase_add_test(tc, chunked_overrides_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("mpost");
	tcase_add_test(tc, mpost_ns_soapaction);
	tcase_add_test(tc, mpost_man_after);
	tcase_add_test(tc, mpost_ns_mismatch);
	tcase_add_test(tc, mpost_plain_soapaction);
	tcase_add_test(tc, post_ignores_ns_soapaction);
	tcase_add_test(tc, mpost_man_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("soapaction");
	tcase_add_test(tc, soapaction_quoted_and_not);
	tcase_add_test(tc, soapaction_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("path");
	tcase_add_test(tc, path_origin_form);
	tcase_add_test(tc, path_absolute_form);
	tcase_add_test(tc, path_neither);
	suite_add_tcase(s, tc);

	tc = tcase_create("host");
	tcase_add_test(tc, host_ours);
	tcase_add_test(tc, host_not_ours);
	suite_add_tcase(s, tc);

	tc = tcase_create("dechunk");
	tcase_add_test(tc, dechunk_valid);
	tcase_add_test(tc, dechunk_pipelined);
	tcase_add_test(tc, dechunk_extensions);
	tcase_add_test(tc, dechunk_trailers);
	tcase_add_test(tc, dechunk_bad_hex);
	tcase_add_test(tc, dechunk_overflow_hex);
	tcase_add_test(tc, dechunk_max);
	tcase_add_test(tc, dechunk_incomplete);
	tcase_add_test(tc, dechunk_line_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(httpreq_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
