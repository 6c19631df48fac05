/*
 * ctlproto: the control socket's and the lease file's line format (see
 * ctlproto.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlproto.h"

static const char *const origin_names[] = { "upnp", "admin", "config" };

const char *
ctlproto_origin_name(enum portmap_origin o)
{
	return origin_names[o];
}

static bool
is_sep(char c)
{
	return c == ' ' || c == '\t';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX in place.  false on a bad escape or an encoded NUL. */
static bool
decode(char *s)
{
	char *w = s;
	int hi, lo;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			*w++ = *s;
			continue;
		}
		if ((hi = hexval(s[1])) < 0 || (lo = hexval(s[2])) < 0 ||
		    (hi == 0 && lo == 0))
			return false;
		*w++ = (char)(hi << 4 | lo);
		s += 2;
	}
	*w = '\0';
	return true;
}

size_t
ctlproto_encode(const char *s, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p != '\0'; p++) {
		bool plain = *p > ' ' && *p < 0x7f && *p != '%' && *p != '=';

		if (plain) {
			if (n + 1 < len)
				buf[n] = (char)*p;
			n++;
			continue;
		}
		if (n + 3 < len) {
			buf[n] = '%';
			buf[n + 1] = hex[*p >> 4];
			buf[n + 2] = hex[*p & 15];
		}
		n += 3;
	}
	if (len > 0)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}

/* The next separator-delimited word of *pp, NUL-terminated; NULL at end. */
static char *
next_word(char **pp)
{
	char *p = *pp, *w;

	while (is_sep(*p))
		p++;
	if (*p == '\0')
		return NULL;
	w = p;
	while (*p != '\0' && !is_sep(*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return w;
}

static const char *
add_field(struct ctlproto_line *out, char *word)
{
	struct ctlproto_field *f;
	char *eq = strchr(word, '=');
	size_t i;

	if (out->nfields == CTLPROTO_FIELDS_MAX)
		return "too many fields";
	f = &out->field[out->nfields];
	if (eq == NULL) {
		if (out->nfields > 0)
			return "expected key=value";
		f->key = "";
		f->value = word;
	} else {
		*eq = '\0';
		if (word[0] == '\0')
			return "empty key";
		f->key = word;
		f->value = eq + 1;
	}
	if (!decode(f->value))
		return "bad %-escape";
	for (i = 0; i < out->nfields; i++)
		if (strcmp(out->field[i].key, f->key) == 0)
			return "repeated key";
	out->nfields++;
	return NULL;
}

const char *
ctlproto_split(char *line, struct ctlproto_line *out)
{
	const char *why;
	char *p = line, *w;

	memset(out, 0, sizeof(*out));
	for (w = line; *w != '\0'; w++)
		if ((unsigned char)*w < ' ' && *w != '\t')
			return "control character in line";
	if ((out->verb = next_word(&p)) == NULL)
		return "empty line";
	while ((w = next_word(&p)) != NULL)
		if ((why = add_field(out, w)) != NULL)
			return why;
	return NULL;
}

const char *
ctlproto_get(const struct ctlproto_line *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->nfields; i++)
		if (strcmp(l->field[i].key, key) == 0)
			return l->field[i].value;
	return NULL;
}

bool
ctlproto_number(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 20)
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static bool
get_port(const struct ctlproto_line *l, const char *key, uint16_t *port)
{
	uint64_t v;

	if (!ctlproto_number(ctlproto_get(l, key), 65535, &v) || v == 0)
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool
get_addr(const char *s, struct in_addr *a)
{
	return s != NULL && inet_pton(AF_INET, s, a) == 1;
}

static bool
get_proto(const struct ctlproto_line *l, enum portmap_proto *p)
{
	const char *s = ctlproto_get(l, "proto");

	if (s == NULL)
		return false;
	if (strcasecmp(s, "TCP") == 0)
		*p = PORTMAP_TCP;
	else if (strcasecmp(s, "UDP") == 0)
		*p = PORTMAP_UDP;
	else
		return false;
	return true;
}

/* The key: proto, eport and an optional remote (wildcard when absent). */
static const char *
get_key(const struct ctlproto_line *l, struct portmap_key *k)
{
	const char *r = ctlproto_get(l, "remote");

	if (!get_proto(l, &k->proto))
		return "proto: expected TCP or UDP";
	if (!get_port(l, "eport", &k->eport))
		return "eport: expected a port 1-65535";
	k->remote_host.s_addr = 0;
	if (r != NULL && r[0] != '\0' && !get_addr(r, &k->remote_host))
		return "remote: expected an IPv4 address";
	return NULL;
}

static const char *
get_origin(const char *s, enum portmap_origin *o)
{
	size_t i;

	if (s == NULL) {
		*o = PORTMAP_ORIGIN_ADMIN;
		return NULL;
	}
	for (i = 0; i < sizeof(origin_names) / sizeof(origin_names[0]); i++)
		if (strcmp(s, origin_names[i]) == 0) {
			*o = (enum portmap_origin)i;
			return NULL;
		}
	return "origin: expected upnp, admin or config";
}

const char *
ctlproto_get_mapping(const struct ctlproto_line *l, struct mapping *m)
{
	const char *why, *s;
	uint64_t v;

	memset(m, 0, sizeof(*m));
	if ((why = get_key(l, &m->key)) != NULL)
		return why;
	if (!get_addr(ctlproto_get(l, "client"), &m->internal_client) ||
	    m->internal_client.s_addr == 0)
		return "client: expected an IPv4 address";
	if (!get_port(l, "iport", &m->internal_port))
		return "iport: expected a port 1-65535";
	m->enabled = true;
	if ((s = ctlproto_get(l, "enabled")) != NULL) {
		if (!ctlproto_number(s, 1, &v))
			return "enabled: expected 0 or 1";
		m->enabled = v == 1;
	}
	s = ctlproto_get(l, "desc");
	if (s != NULL && strlen(s) > PORTMAP_DESC_MAX)
		return "desc: longer than 256 bytes";
	snprintf(m->desc, sizeof(m->desc), "%s", s != NULL ? s : "");
	if ((why = get_origin(ctlproto_get(l, "origin"), &m->origin)) != NULL)
		return why;
	s = ctlproto_get(l, "creator");
	if (s != NULL && !get_addr(s, &m->creator))
		return "creator: expected an IPv4 address";
	return NULL;
}

static const char *
parse_add(const struct ctlproto_line *l, struct ctlproto_req *req)
{
	const char *why;
	uint64_t v = 0;

	if (ctlproto_get(l, "origin") != NULL ||
	    ctlproto_get(l, "creator") != NULL)
		return "add: origin and creator are the daemon's to set";
	if ((why = ctlproto_get_mapping(l, &req->m)) != NULL)
		return why;
	if (ctlproto_get(l, "lease") != NULL &&
	    !ctlproto_number(ctlproto_get(l, "lease"), PORTMAP_LEASE_MAX, &v))
		return "lease: expected 0 (static) to 604800 seconds";
	req->lease = (uint32_t)v;
	req->m.origin = PORTMAP_ORIGIN_ADMIN;
	return NULL;
}

/* Every field of l must be one of the NULL-terminated `keys'. */
static const char *
only(const struct ctlproto_line *l, const char *const *keys)
{
	size_t i, k;

	for (i = 0; i < l->nfields; i++) {
		for (k = 0; keys[k] != NULL; k++)
			if (strcmp(l->field[i].key, keys[k]) == 0)
				break;
		if (keys[k] == NULL)
			return l->field[i].key[0] == '\0' ?
			    "unexpected word" : "unknown key";
	}
	return NULL;
}

static const char *
parse_wan(const struct ctlproto_line *l, struct ctlproto_req *req)
{
	const char *sub = l->nfields > 0 && l->field[0].key[0] == '\0' ?
	    l->field[0].value : NULL;
	const char *a = ctlproto_get(l, "address");

	if (sub != NULL && l->nfields == 1 && strcmp(sub, "up") == 0)
		req->cmd = CTL_WAN_UP;
	else if (sub != NULL && l->nfields == 1 && strcmp(sub, "down") == 0)
		req->cmd = CTL_WAN_DOWN;
	else if (sub == NULL && a != NULL && l->nfields == 1) {
		if (!get_addr(a, &req->addr))
			return "address: expected an IPv4 address";
		req->cmd = CTL_WAN_ADDRESS;
	} else
		return "wan: expected up, down or address=A.B.C.D";
	return NULL;
}

const char *
ctlproto_parse_request(char *line, struct ctlproto_req *req)
{
	static const char *const none[] = { NULL };
	static const char *const add_keys[] = { "proto", "eport", "client",
	    "iport", "lease", "remote", "enabled", "desc", NULL };
	static const char *const del_keys[] = { "proto", "eport", "remote",
	    NULL };
	static const struct {
		const char *verb;
		enum ctlproto_cmd cmd;
		const char *const *keys;
	} simple[] = {
		{ "status", CTL_STATUS, none }, { "list", CTL_LIST, none },
		{ "flush", CTL_FLUSH, none }, { "reload", CTL_RELOAD, none },
		{ "add", CTL_ADD, add_keys }, { "delete", CTL_DELETE, del_keys },
	};
	struct ctlproto_line l;
	const char *why;
	size_t i;

	memset(req, 0, sizeof(*req));
	if ((why = ctlproto_split(line, &l)) != NULL)
		return why;
	if (strcmp(l.verb, "wan") == 0)
		return parse_wan(&l, req);
	for (i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (strcmp(l.verb, simple[i].verb) == 0)
			break;
	if (i == sizeof(simple) / sizeof(simple[0]))
		return "unknown command";
	if ((why = only(&l, simple[i].keys)) != NULL)
		return why;
	req->cmd = simple[i].cmd;
	if (req->cmd == CTL_ADD)
		return parse_add(&l, req);
	if (req->cmd == CTL_DELETE)
		return get_key(&l, &req->m.key);
	return NULL;
}

size_t
ctlproto_format_mapping(const struct mapping *m, const char *verb,
    const char *timekey, uint64_t time, char *buf, size_t len)
{
	char remote[INET_ADDRSTRLEN], client[INET_ADDRSTRLEN];
	char creator[INET_ADDRSTRLEN], desc[3 * PORTMAP_DESC_MAX + 1];
	int n;

	inet_ntop(AF_INET, &m->key.remote_host, remote, sizeof(remote));
	inet_ntop(AF_INET, &m->internal_client, client, sizeof(client));
	inet_ntop(AF_INET, &m->creator, creator, sizeof(creator));
	ctlproto_encode(m->desc, desc, sizeof(desc));
	n = snprintf(buf, len, "%s proto=%s eport=%u remote=%s client=%s "
	    "iport=%u enabled=%d origin=%s creator=%s %s=%llu desc=%s\n",
	    verb, portmap_proto_name(m->key.proto), m->key.eport,
	    m->key.remote_host.s_addr != 0 ? remote : "", client,
	    m->internal_port, m->enabled ? 1 : 0,
	    ctlproto_origin_name(m->origin), creator, timekey,
	    (unsigned long long)time, desc);
	return n < 0 ? 0 : (size_t)n;
}
