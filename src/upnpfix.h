/*
 * upnpfix: workarounds for libupnp 1.8.4 in the daemon's own process (see
 * upnpfix.c): the NOTIFY multicast interface, and CallStranger.
 */
#ifndef IGD2D_UPNPFIX_H
#define IGD2D_UPNPFIX_H

#include <netinet/in.h>

/*
 * From now on, TCP connections the process opens may only go to addr/mask
 * (the LAN) or loopback: GENA event deliveries to any other host fail
 * (CVE-2020-12695, CallStranger), as the daemon never needs them.
 */
void	upnpfix_restrict_tcp(struct in_addr addr, struct in_addr mask);

/* How many connections were refused so far (for logs and tests). */
unsigned long upnpfix_refused(void);

#endif
