/*
 * acl: who may do what with port mappings.  Pure.  Today this is the
 * spec's RECOMMENDED policy for unauthenticated control points, igd2d's
 * default (VC-01): a CP may create, read, change and delete only mappings
 * whose InternalClient is its own address, and only with external and
 * internal ports of 1024 or more (WIC-111, WIC-112).  Managers and the
 * ordered allow/deny rules of the configuration are issue 5.
 */
#ifndef IGD2D_ACL_H
#define IGD2D_ACL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define ACL_MIN_PORT	1024	/* lowest port for unauthenticated CPs */

/*
 * May cp create or act on a mapping owned by `owner` (its InternalClient,
 * or the creating CP for a UDP 255.255.255.255 mapping, VC-06) with these
 * ports?  Used for Add (before any state changes, WIC-108), for reading
 * and deleting existing entries, and as the filter of range operations.
 */
bool	acl_may_use(struct in_addr cp, struct in_addr owner, uint16_t eport,
	    uint16_t iport);

/*
 * May cp invoke a lookup or range action on external ports
 * [start, end] at all (WIC-147, WIC-181, WIC-191, WIC-203)?
 */
bool	acl_may_call(struct in_addr cp, uint16_t start, uint16_t end);

/* Is cp authorized to act for other hosts (NewManage=1)?  None yet. */
bool	acl_is_manager(struct in_addr cp);

#endif
