/*
 * acl: the default access-control policy (VC-01).
 */
#include "acl.h"

bool
acl_is_manager(struct in_addr cp)
{
	(void)cp;
	return false;		/* the managers list is issue 5 */
}

bool
acl_may_use(struct in_addr cp, struct in_addr owner, uint16_t eport,
    uint16_t iport)
{
	if (acl_is_manager(cp))
		return true;
	return cp.s_addr != INADDR_ANY && owner.s_addr == cp.s_addr &&
	    eport >= ACL_MIN_PORT && iport >= ACL_MIN_PORT;
}

bool
acl_may_call(struct in_addr cp, uint16_t start, uint16_t end)
{
	if (acl_is_manager(cp))
		return true;
	return start >= ACL_MIN_PORT && end >= ACL_MIN_PORT;
}
