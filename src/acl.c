/*
 * acl: the access-control policy (see acl.h).
 */
#include "acl.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default when no rule is configured (WIC-112). */
static const struct acl_rule default_rule = {
	.allow = true, .eport_lo = 1024, .eport_hi = 65535,
	.iport_lo = 1024, .iport_hi = 65535,
};

/* "N" or "N-M", decimal digits only, 0..65535, N <= M. */
static const char *
parse_ports(const char *s, uint16_t *lo, uint16_t *hi)
{
	unsigned long v[2] = { 0, 0 };
	const char *p = s;
	char *end;
	int i;

	for (i = 0; i < 2; i++) {
		if (*p < '0' || *p > '9')
			return "port range: expected a number";
		v[i] = strtoul(p, &end, 10);
		if (end - p > 5 || v[i] > 65535)
			return "port range: a port is at most 65535";
		p = end;
		if (i == 0 && *p != '-') {
			v[1] = v[0];
			break;
		}
		if (i == 0)
			p++;
	}
	if (*p != '\0')
		return "port range: expected N or N-M";
	if (v[0] > v[1])
		return "port range is empty (start above end)";
	*lo = (uint16_t)v[0];
	*hi = (uint16_t)v[1];
	return NULL;
}

const char *
acl_parse_prefix(const char *text, struct acl_prefix *out)
{
	char buf[64], *slash, *end;
	unsigned long bits = 32;

	if (strlen(text) >= sizeof(buf))
		return "address too long";
	memcpy(buf, text, strlen(text) + 1);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, &out->addr) != 1)
		return "not an IPv4 address";
	if (slash != NULL && inet_pton(AF_INET, slash, &out->mask) == 1) {
		uint32_t m = ntohl(out->mask.s_addr);

		if (m != 0 && (~m & (~m + 1)) != 0)
			return "netmask is not contiguous";
	} else if (slash != NULL) {
		bits = strtoul(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || bits > 32 ||
		    strlen(slash) > 2)
			return "prefix length must be 0..32";
		out->mask.s_addr = bits == 0 ? 0 :
		    htonl(0xffffffffu << (32 - bits));
	} else
		out->mask.s_addr = 0xffffffffu;
	out->addr.s_addr &= out->mask.s_addr;
	return NULL;
}

const char *
acl_parse_rule(bool allow, const char *text, struct acl_rule *out)
{
	char f[3][64], extra[2];
	const char *why;

	memset(out, 0, sizeof(*out));
	out->allow = allow;
	if (sscanf(text, "%63s %63s %63s %1s", f[0], f[1], f[2], extra) != 3)
		return "expected: EXTPORTS ADDRESS[/PREFIX] INTPORTS";
	if ((why = parse_ports(f[0], &out->eport_lo, &out->eport_hi)) != NULL)
		return why;
	if ((why = acl_parse_prefix(f[1], &out->iaddr)) != NULL)
		return why;
	return parse_ports(f[2], &out->iport_lo, &out->iport_hi);
}

void
acl_format_prefix(const struct acl_prefix *p, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];
	uint32_t m = ntohl(p->mask.s_addr);
	int bits = 0;

	while (m & 0x80000000u) {
		bits++;
		m <<= 1;
	}
	inet_ntop(AF_INET, &p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%d", a, bits);
}

void
acl_format_rule(const struct acl_rule *r, char *buf, size_t len)
{
	char pfx[32];

	acl_format_prefix(&r->iaddr, pfx, sizeof(pfx));
	snprintf(buf, len, "%u-%u %s %u-%u", r->eport_lo, r->eport_hi, pfx,
	    r->iport_lo, r->iport_hi);
}

static bool
in_prefix(const struct acl_prefix *p, struct in_addr a)
{
	return (a.s_addr & p->mask.s_addr) == p->addr.s_addr;
}

bool
acl_is_manager(const struct acl *acl, struct in_addr cp)
{
	size_t i;

	if (cp.s_addr == INADDR_ANY)	/* no IPv4 caller (VC-34) */
		return false;
	for (i = 0; i < acl->nmanagers; i++)
		if (in_prefix(&acl->manager[i], cp))
			return true;
	return false;
}

static const struct acl_rule *
rules(const struct acl *acl, size_t *n)
{
	if (acl->nrules == 0) {
		*n = 1;
		return &default_rule;
	}
	*n = acl->nrules;
	return acl->rule;
}

struct acl_verdict
acl_check(const struct acl *acl, const struct acl_req *r)
{
	struct acl_verdict v = { false, -2 };
	const struct acl_rule *rs;
	size_t i, n;

	if (!acl_is_manager(acl, r->cp) &&
	    (r->cp.s_addr == INADDR_ANY || r->owner.s_addr != r->cp.s_addr))
		return v;			/* WIC-111 */
	rs = rules(acl, &n);
	for (i = 0; i < n; i++) {
		if (r->eport < rs[i].eport_lo || r->eport > rs[i].eport_hi ||
		    r->iport < rs[i].iport_lo || r->iport > rs[i].iport_hi ||
		    !in_prefix(&rs[i].iaddr, r->owner))
			continue;
		v.allow = rs[i].allow;
		v.rule = acl->nrules == 0 ? -1 : (int)i;
		return v;
	}
	v.rule = -1;			/* no rule matched: denied */
	return v;
}

bool
acl_may_call(const struct acl *acl, struct in_addr cp, uint16_t start,
    uint16_t end)
{
	const struct acl_rule *rs;
	size_t i, n;

	if (acl_is_manager(acl, cp))
		return true;
	rs = rules(acl, &n);
	for (i = 0; i < n; i++)
		if (rs[i].allow && rs[i].eport_lo <= end &&
		    rs[i].eport_hi >= start)
			return true;
	return false;
}
