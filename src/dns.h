/*
 * dns: host names in InternalClient and RemoteHost (VC-10): resolved once,
 * to the first IPv4 address, with a bounded wait, and never under the
 * gateway lock.
 */
#ifndef IGD2D_DNS_H
#define IGD2D_DNS_H

#include <netinet/in.h>

/*
 * Resolves name to its first IPv4 address within timeout_ms.  Returns 0,
 * or -1 with errno: ENOENT, the name does not resolve in time (the
 * lookup is cancelled); not looked up: EBUSY, another lookup is under
 * way; EAGAIN, too many earlier ones still run after their timeout
 * (dns.c); ENAMETOOLONG; ENOMEM.
 */
int	dns_resolve4(const char *name, struct in_addr *out, unsigned timeout_ms);

/*
 * Loads the resolver's modules (NSS) once at start, so the first lookup
 * a control point causes does not spend its time budget on that.
 */
void	dns_warm_up(void);

#endif
