/*
 * upnpfix: workarounds for libupnp 1.8.4 in the daemon's own process (see
 * upnpfix.c): the NOTIFY multicast interface, CallStranger, the size of
 * an HTTP request, libixml's leak on text after the root element, and
 * SSDP searches answered by the daemon (ssdp.h).
 */
#ifndef IGD2D_UPNPFIX_H
#define IGD2D_UPNPFIX_H

#include <netinet/in.h>
#include <stddef.h>

#define UPNPFIX_NLS_MAX	64	/* an 01-NLS value and its NUL */

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

/*
 * From now on (fn NULL: no longer), every datagram libupnp reads from its
 * IPv4 SSDP socket goes to fn, called on libupnp's thread, and libupnp
 * sees none.
 */
typedef void	(*upnpfix_ssdp_fn)(const char *buf, size_t len,
		    const struct sockaddr_in *from);
void	upnpfix_take_ssdp(upnpfix_ssdp_fn fn);

/* The 01-NLS libupnp's NOTIFYs carry, "" until it has sent one. */
void	upnpfix_nls(char *out, size_t size);

#endif
