/*
 * acl: who may do what with port mappings.  Pure: the rules are data (a
 * struct acl filled by the configuration parser), the decision a function
 * of them and the request.
 *
 * A control point (CP) is unauthenticated unless its address lies in a
 * configured manager prefix (VC-01; trust by address, weaker than
 * DeviceProtection).  Two checks, in this order:
 *   1. an unauthenticated CP acts only on mappings whose InternalClient is
 *      its own address (the owner; VC-06: the creating CP for a UDP
 *      255.255.255.255 mapping) - WIC-111; managers act for any host;
 *   2. the permission rules, ordered, first match wins, on (external
 *      port, internal address, internal port):
 *          allow|deny EXTPORTS ADDRESS[/PREFIX] INTPORTS
 *      as miniupnpd writes them.  With no rule configured the default is
 *          allow 1024-65535 0.0.0.0/0 1024-65535
 *      (WIC-112); with rules, a request no rule matches is denied.
 * Every refusal is 606 (VC-04).
 */
#ifndef IGD2D_ACL_H
#define IGD2D_ACL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACL_RULES_MAX		64
#define ACL_MANAGERS_MAX	32

struct acl_prefix {
	struct in_addr	addr;		/* network order, already masked */
	struct in_addr	mask;
};

struct acl_rule {
	bool		allow;
	uint16_t	eport_lo, eport_hi;
	struct acl_prefix iaddr;
	uint16_t	iport_lo, iport_hi;
};

struct acl {
	struct acl_rule	 rule[ACL_RULES_MAX];
	size_t		 nrules;		/* 0: the default rule */
	struct acl_prefix manager[ACL_MANAGERS_MAX];
	size_t		 nmanagers;
};

struct acl_req {
	struct in_addr	cp;		/* the caller */
	struct in_addr	owner;		/* whose mapping it is */
	uint16_t	eport, iport;
};

struct acl_verdict {
	bool		allow;
	int		rule;		/* matching rule index; -1: default;
					   -2: not the CP's own mapping */
};

/* Parses "EXT ADDR[/N|/MASK] INT" after allow/deny.  NULL or the error. */
const char	*acl_parse_rule(bool allow, const char *text,
		    struct acl_rule *out);

/* Parses "ADDR[/N|/MASK]".  NULL or what is wrong. */
const char	*acl_parse_prefix(const char *text, struct acl_prefix *out);

/* Formats a rule or prefix back in the syntax it was parsed from. */
void		 acl_format_rule(const struct acl_rule *r, char *buf,
		    size_t len);
void		 acl_format_prefix(const struct acl_prefix *p, char *buf,
		    size_t len);

/* Is cp a manager (may act for other hosts, NewManage=1 honoured)? */
bool		 acl_is_manager(const struct acl *acl, struct in_addr cp);

/*
 * May the CP create, read, change or delete this mapping?  Used before
 * any state changes (WIC-108), for every existing entry a lookup or a
 * range action meets, and for AddAnyPortMapping's port search.
 */
struct acl_verdict acl_check(const struct acl *acl, const struct acl_req *r);

/*
 * May cp call a lookup or range action on external ports [start, end] at
 * all: a manager, or some rule allowing an external port in the range
 * (WIC-147, WIC-181, WIC-191, WIC-203).  Refusing the whole invocation is
 * 606; entries are then filtered one by one with acl_check.
 */
bool		 acl_may_call(const struct acl *acl, struct in_addr cp,
		    uint16_t start, uint16_t end);

#endif
