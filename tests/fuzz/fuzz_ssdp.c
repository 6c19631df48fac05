/*
 * fuzz_ssdp: the daemon's answers to SSDP searches (src/msearch.c, with
 * the head parser of src/httpreq.c) on arbitrary bytes.  The input is a
 * datagram, then a NUL, then a device description: the search as a LAN
 * host may send it, the description as a configuration may shape it.
 *
 * Invariants checked:
 *   - a search taken has an ST of 1 to MSEARCH_ST_MAX bytes without white
 *     space or control bytes, and an MX of at most MSEARCH_MX_MAX;
 *   - targets taken have 1 to MSEARCH_DEVICES devices, each with a type
 *     and a UDN, at most MSEARCH_SERVICES services, each with its
 *     device's UDN, every value NUL-terminated inside its field;
 *   - the answers to the search's ST, and to ssdp:all, upnp:rootdevice
 *     and the root's UDN and type, number at most MSEARCH_ANSWERS_MAX,
 *     as msearch_match says, and each fits MSEARCH_ANSWER_MAX when
 *     formatted, ending with an empty line, its ST echoed;
 *   - the delay is below the MX asked (and 0 up to MX 2).
 */
#include "msearch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define MAX_IN		8192

static const struct msearch_vars vars = { 1800,
    "Sun, 22 Nov 2026 14:58:49 GMT",
    "http://192.168.1.1:49152/rootDesc2.xml",
    "http://192.168.1.1:49152/rootDesc1.xml",
    "3874c344-e685-11f1-a158-82e7fbee8d6a",
    "Linux/6.1, UPnP/1.0, Portable SDK for UPnP devices/1.8.4" };

static size_t hits;

static void
on_hit(void *ctx, const struct msearch_hit *h)
{
	static char buf[MSEARCH_ANSWER_MAX];
	size_t n;

	(void)ctx;
	hits++;
	FUZZ_CHECK(h->st != NULL && h->udn != NULL && h->st[0] != '\0' &&
	    h->udn[0] != '\0', "empty ST or UDN");
	n = msearch_format(buf, sizeof(buf), &vars, h);
	FUZZ_CHECK(n > 4 && n < sizeof(buf), "answer of %zu bytes", n);
	FUZZ_CHECK(memcmp(buf + n - 4, "\r\n\r\n", 4) == 0, "answer end");
	FUZZ_CHECK(strstr(buf, "\r\nST: ") != NULL &&
	    strncmp(strstr(buf, "\r\nST: ") + 6, h->st, strlen(h->st)) == 0,
	    "ST not echoed");
}

static void
answers(const struct msearch_targets *t, const char *st)
{
	size_t n;

	hits = 0;
	n = msearch_match(t, st, on_hit, NULL);
	FUZZ_CHECK(n == hits && n <= MSEARCH_ANSWERS_MAX, "%zu answers, %zu "
	    "seen", n, hits);
}

static void
check_search(const struct msearch *m)
{
	size_t i, len = strlen(m->st);
	uint32_t r;

	FUZZ_CHECK(len > 0 && len <= MSEARCH_ST_MAX, "ST of %zu", len);
	for (i = 0; i < len; i++)
		FUZZ_CHECK((unsigned char)m->st[i] > 0x20 &&
		    m->st[i] != 0x7f, "ST byte %#x", (unsigned char)m->st[i]);
	FUZZ_CHECK(m->mx <= MSEARCH_MX_MAX, "MX %u", m->mx);
	for (r = 0; r < 8; r++) {
		unsigned d = msearch_delay(m->mx, r * 0x9e3779b9u);

		FUZZ_CHECK(d == 0 || d < m->mx, "delay %u for MX %u", d, m->mx);
		FUZZ_CHECK(m->mx > 2 || d == 0, "delay %u for MX %u", d,
		    m->mx);
	}
}

static void
check_targets(const struct msearch_targets *t)
{
	size_t i;

	FUZZ_CHECK(t->ndev >= 1 && t->ndev <= MSEARCH_DEVICES &&
	    t->nsvc <= MSEARCH_SERVICES, "%zu devices, %zu services", t->ndev,
	    t->nsvc);
	for (i = 0; i < t->ndev; i++)
		FUZZ_CHECK(memchr(t->dev[i].type, '\0', MSEARCH_NAME_MAX) &&
		    memchr(t->dev[i].udn, '\0', MSEARCH_NAME_MAX) &&
		    t->dev[i].type[0] != '\0' && t->dev[i].udn[0] != '\0',
		    "device %zu", i);
	for (i = 0; i < t->nsvc; i++)
		FUZZ_CHECK(memchr(t->svc[i].type, '\0', MSEARCH_NAME_MAX) &&
		    t->svc[i].type[0] != '\0' && t->svc[i].udn[0] != '\0',
		    "service %zu", i);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[MAX_IN + 1];
	static struct msearch_targets t;
	struct msearch m;
	const char *desc;
	size_t dlen;
	bool have_search, have_targets;

	if (size > MAX_IN)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	dlen = strnlen(in, size);
	desc = dlen < size ? in + dlen + 1 : "";
	have_search = msearch_parse(in, dlen, &m) == MSEARCH_OK;
	if (have_search)
		check_search(&m);
	have_targets = msearch_targets(desc, &t);
	if (!have_targets) {
		FUZZ_CHECK(t.ndev == 0 && t.nsvc == 0, "refused, not empty");
		return 0;
	}
	check_targets(&t);
	if (have_search)
		answers(&t, m.st);
	answers(&t, "ssdp:all");
	FUZZ_CHECK(hits == 1 + 2 * t.ndev + t.nsvc, "ssdp:all: %zu", hits);
	answers(&t, "upnp:rootdevice");
	FUZZ_CHECK(hits == 1, "rootdevice: %zu", hits);
	answers(&t, t.dev[0].udn);
	answers(&t, t.dev[0].type);
	return 0;
}
