/*
 * upnpfix: workarounds for libupnp 1.8.4 in the daemon's own process (see
 * upnpfix.c): the NOTIFY multicast interface, CallStranger, the size of
 * an HTTP request and libixml's leak on text after the root element.
 */
#ifndef IGD2D_UPNPFIX_H
#define IGD2D_UPNPFIX_H

#include <netinet/in.h>
#include <stddef.h>

/*
 * From now on, TCP connections the process opens may only go to addr/mask
 * (the LAN) or loopback: GENA event deliveries to any other host fail
 * (CVE-2020-12695, CallStranger), as the daemon never needs them.
 */
void	upnpfix_restrict_tcp(struct in_addr addr, struct in_addr mask);

/* How many connections were refused so far (for logs and tests). */
unsigned long upnpfix_refused(void);

/*
 * From now on, an HTTP connection libupnp accepts may send at most
 * max_body bytes plus 16 KiB for the request head; past that, libupnp
 * sees the end of the stream and answers 400.
 */
void	upnpfix_limit_requests(size_t max_body);

#endif
