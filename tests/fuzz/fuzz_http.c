/*
 * fuzz_http: the request head parser and the chunked body decoder
 * (src/httpreq.c) on arbitrary bytes, as igd2d's server would see them
 * arrive: the head, and the body after it.
 *
 * Invariants checked:
 *   - DONE: head_len <= len and <= HTTPREQ_HEAD_MAX, the head ends with
 *     an empty line, every string lies inside buf[0..head_len), the method
 *     agrees with its name, chunked and has_length exclude each other;
 *     BAD: the status is 400, 501 or 505; MORE: len < HTTPREQ_HEAD_MAX;
 *   - a prefix agrees with the whole: DONE gives the same head, BAD the
 *     same status, MORE only if the whole's head does not fit the prefix;
 *   - httpreq_soapaction and httpreq_path give parts of their input (the
 *     path of "http://host" excepted: a static "/");
 *   - a Host httpreq_host_is takes for 127.0.0.1:80 has only digits,
 *     dots and a colon;
 *   - httpreq_dechunk on a copy of the rest: MORE and BAD leave the copy
 *     alone, DONE decodes at most max bytes from at most the whole, leaves
 *     what follows alone, and a prefix agrees with the whole as above.
 */
#include "httpreq.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

/* The strings of a struct httpreq. */
static const size_t strs[] = {
	offsetof(struct httpreq, method_name),
	offsetof(struct httpreq, target),
	offsetof(struct httpreq, host),
	offsetof(struct httpreq, soapaction),
	offsetof(struct httpreq, content_type),
	offsetof(struct httpreq, man),
	offsetof(struct httpreq, transfer_encoding),
	offsetof(struct httpreq, connection),
	offsetof(struct httpreq, expect),
	offsetof(struct httpreq, st),
	offsetof(struct httpreq, mx)
};

#define NSTRS	(sizeof(strs) / sizeof(strs[0]))

static struct httpreq_str
field(const struct httpreq *r, size_t i)
{
	struct httpreq_str s;

	memcpy(&s, (const char *)r + strs[i], sizeof(s));
	return s;
}

/* s is absent, or lies inside in. */
/* How many bytes at the start of s are in set. */
static size_t
strspn_n(struct httpreq_str s, const char *set)
{
	size_t i;

	for (i = 0; i < s.len && s.p[i] != '\0' && strchr(set, s.p[i]); i++)
		;
	return i;
}

static bool
inside(struct httpreq_str s, struct httpreq_str in)
{
	uintptr_t p = (uintptr_t)s.p, b = (uintptr_t)in.p;

	if (s.p == NULL)
		return s.len == 0;
	return p >= b && p - b <= in.len && s.len <= in.len - (p - b);
}

static bool
same(const struct httpreq *a, const struct httpreq *b)
{
	struct httpreq_str x, y;
	size_t i;

	for (i = 0; i < NSTRS; i++) {
		x = field(a, i);
		y = field(b, i);
		if (x.p != y.p || x.len != y.len)
			return false;
	}
	return a->head_len == b->head_len && a->method == b->method &&
	    a->minor == b->minor && a->has_length == b->has_length &&
	    a->content_length == b->content_length && a->chunked == b->chunked;
}

static void
check_done(const char *buf, size_t len, const struct httpreq *r)
{
	struct httpreq_str head = { buf, r->head_len }, type, action, path;
	static const char *const names[] = { NULL, "GET", "HEAD", "POST",
	    "M-POST", "SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY", "M-SEARCH" };
	size_t i;

	FUZZ_CHECK(r->head_len <= len && r->head_len <= HTTPREQ_HEAD_MAX &&
	    r->head_len >= 2, "head_len %zu of %zu", r->head_len, len);
	FUZZ_CHECK(buf[r->head_len - 1] == '\n' &&
	    (buf[r->head_len - 2] == '\n' || (buf[r->head_len - 2] == '\r' &&
	    r->head_len >= 3 && buf[r->head_len - 3] == '\n')), "head end");
	for (i = 0; i < NSTRS; i++)
		FUZZ_CHECK(inside(field(r, i), head), "string %zu outside", i);
	FUZZ_CHECK(r->method_name.len > 0 && r->target.len > 0, "empty");
	FUZZ_CHECK(r->minor >= 0 && r->minor <= 9, "minor %d", r->minor);
	FUZZ_CHECK(!(r->chunked && r->has_length), "chunked with length");
	FUZZ_CHECK(r->method >= HTTPREQ_OTHER && r->method <= HTTPREQ_MSEARCH,
	    "method %d", r->method);
	if (r->method != HTTPREQ_OTHER)
		FUZZ_CHECK(httpreq_eq(r->method_name, names[r->method]) &&
		    memcmp(r->method_name.p, names[r->method],
		    r->method_name.len) == 0, "method name");
	if (httpreq_soapaction(r->soapaction, &type, &action))
		FUZZ_CHECK(inside(type, r->soapaction) &&
		    inside(action, r->soapaction) && type.len > 0 &&
		    action.len > 0 && memchr(type.p, '#', type.len) == NULL,
		    "soapaction parts");
	if (httpreq_path(r->target, &path))
		FUZZ_CHECK(path.len > 0 && path.p[0] == '/' &&
		    (inside(path, r->target) || path.len == 1) &&
		    memchr(path.p, '?', path.len) == NULL, "path");
	if (httpreq_host_is(r->host, 0x7f000001u, 80))
		FUZZ_CHECK(r->host.len >= 7 && strspn_n(r->host,
		    "0123456789.:") == r->host.len, "host");
}

/* One parse of buf[0..len), checked on its own. */
static enum httpreq_status
parse(const char *buf, size_t len, struct httpreq *r, int *st)
{
	enum httpreq_status rc;

	rc = httpreq_parse(buf, len, r, st);
	switch (rc) {
	case HTTPREQ_DONE:
		check_done(buf, len, r);
		break;
	case HTTPREQ_BAD:
		FUZZ_CHECK(*st == 400 || *st == 501 || *st == 505,
		    "status %d", *st);
		break;
	case HTTPREQ_MORE:
		FUZZ_CHECK(len < HTTPREQ_HEAD_MAX, "MORE at %zu", len);
		break;
	default:
		FUZZ_CHECK(0, "answer %d", rc);
	}
	return rc;
}

/* The answer to buf[0..cut) agrees with the answer to the whole. */
static void
check_prefix(const char *buf, size_t cut, enum httpreq_status whole,
    const struct httpreq *w, int wst)
{
	struct httpreq r;
	int st;

	switch (parse(buf, cut, &r, &st)) {
	case HTTPREQ_DONE:
		FUZZ_CHECK(whole == HTTPREQ_DONE && same(&r, w),
		    "prefix %zu DONE", cut);
		break;
	case HTTPREQ_BAD:
		FUZZ_CHECK(whole == HTTPREQ_BAD && st == wst,
		    "prefix %zu BAD %d, whole %d %d", cut, st, whole, wst);
		break;
	default:
		FUZZ_CHECK(whole != HTTPREQ_DONE || w->head_len > cut,
		    "prefix %zu MORE", cut);
	}
}

struct dechunked {
	enum httpreq_status	 rc;
	size_t			 out, used;
};

/* Decodes a fresh copy of rest[0..len) into copy; checks it on its own. */
static struct dechunked
dechunk(const char *rest, size_t len, size_t max, char *copy)
{
	struct dechunked d = { HTTPREQ_MORE, 0, 0 };

	memcpy(copy, rest, len);
	d.rc = httpreq_dechunk(copy, len, max, &d.out, &d.used);
	if (d.rc == HTTPREQ_DONE) {
		FUZZ_CHECK(d.out <= max && d.out <= d.used && d.used <= len,
		    "out %zu used %zu len %zu max %zu", d.out, d.used, len,
		    max);
		FUZZ_CHECK(memcmp(copy + d.used, rest + d.used,
		    len - d.used) == 0, "wrote past the body");
	} else {
		FUZZ_CHECK(d.rc == HTTPREQ_MORE || d.rc == HTTPREQ_BAD,
		    "answer %d", d.rc);
		FUZZ_CHECK(memcmp(copy, rest, len) == 0, "changed on %d",
		    d.rc);
	}
	return d;
}

static void
check_dechunk(const char *rest, size_t len, size_t max)
{
	struct dechunked whole, part;
	char *copy, *decoded;
	size_t cut;

	if ((copy = malloc(len + 1)) == NULL ||
	    (decoded = malloc(len + 1)) == NULL) {
		free(copy);
		return;
	}
	whole = dechunk(rest, len, max, decoded);
	if (whole.rc == HTTPREQ_DONE && whole.used > 0) {
		/* The body alone decodes alike; one byte less is MORE. */
		part = dechunk(rest, whole.used, max, copy);
		FUZZ_CHECK(part.rc == HTTPREQ_DONE &&
		    part.out == whole.out && part.used == whole.used &&
		    memcmp(copy, decoded, whole.out) == 0, "body alone");
		part = dechunk(rest, whole.used - 1, max, copy);
		FUZZ_CHECK(part.rc == HTTPREQ_MORE, "body cut %d", part.rc);
	}
	for (cut = len / 2; cut > 0; cut /= 3) {
		part = dechunk(rest, cut, max, copy);
		if (part.rc == HTTPREQ_DONE)
			FUZZ_CHECK(whole.rc == HTTPREQ_DONE &&
			    part.used == whole.used && part.out == whole.out,
			    "dechunk prefix %zu DONE", cut);
		else if (part.rc == HTTPREQ_BAD)
			FUZZ_CHECK(whole.rc == HTTPREQ_BAD,
			    "dechunk prefix %zu BAD", cut);
		else
			FUZZ_CHECK(whole.rc != HTTPREQ_DONE ||
			    whole.used > cut, "dechunk prefix %zu MORE", cut);
	}
	free(copy);
	free(decoded);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct httpreq w;
	enum httpreq_status rc;
	size_t cut, start;
	int st;

	rc = parse(buf, size, &w, &st);
	for (cut = size / 2; cut > 0; cut /= 2)
		check_prefix(buf, cut, rc, &w, st);
	if (size > 0)
		check_prefix(buf, size - 1, rc, &w, st);
	if (rc == HTTPREQ_DONE) {
		check_prefix(buf, w.head_len, rc, &w, st);
		check_prefix(buf, w.head_len - 1, rc, &w, st);
	}

	/* The body after a head, or the whole input as a body. */
	start = rc == HTTPREQ_DONE ? w.head_len : 0;
	check_dechunk(buf + start, size - start,
	    size > 0 && data[0] & 1 ? 4096 : (size - start) / 2);
	return 0;
}
