/*
 * netif: what the daemon reads of a network interface: its flags, first
 * IPv4 address and prefix, and its traffic counters.  A snapshot per call;
 * nothing is cached.  (Issue 9 replaces polling of the WAN with rtnetlink.)
 */
#ifndef IGD2D_NETIF_H
#define IGD2D_NETIF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct netif_info {
	bool		exists;
	bool		up;		/* IFF_UP: administratively up */
	bool		running;	/* IFF_RUNNING: carrier */
	bool		has_addr;	/* an IPv4 address is configured */
	struct in_addr	addr;		/* first IPv4 address */
	struct in_addr	mask;
};

struct netif_counters {
	uint64_t	tx_bytes, rx_bytes, tx_packets, rx_packets;
};

/* Fills *info for `name`; returns 0, or -1 with errno (getifaddrs). */
int	netif_query(const char *name, struct netif_info *info);

/* Reads /sys/class/net/NAME/statistics; returns 0 or -1 with errno. */
int	netif_counters(const char *name, struct netif_counters *c);

/*
 * True when `name` can be served on: up, with an IPv4 address, and no
 * IPv6 address still in duplicate address detection (libupnp 1.8.4 binds
 * the link-local address too and fails while it is tentative).
 */
bool	netif_ready(const char *name);

/* Link speed in bit/s, saturated to UINT32_MAX (a ui4); 0 if unknown. */
uint32_t netif_bitrate(const char *name);

/*
 * True when a socket of this host listens on proto (IPPROTO_TCP/UDP) port
 * `port' on the wildcard address or on `addr' (from /proc/net/tcp, udp).
 */
bool	netif_listening(uint8_t proto, uint16_t port, struct in_addr addr);

/* True when addr lies in addr/mask of info. */
bool	netif_same_subnet(const struct netif_info *info, struct in_addr addr);

/* The directed-broadcast address of info's subnet (addr | ~mask). */
struct in_addr netif_broadcast(const struct netif_info *info);

#define NETIF_BCF_ALL	1u	/* net.ipv4.conf.all.bc_forwarding */
#define NETIF_BCF_IF	2u	/* net.ipv4.conf.IFNAME.bc_forwarding */

/*
 * Turns on the forwarding of directed broadcasts that arrive on `name'
 * (both sysctls above; Linux 5.0 and later). *was gets those of the two
 * that were on already, for netif_bc_forwarding_restore. 0, or -1 with
 * errno (then nothing changed).
 */
int	netif_bc_forwarding_on(const char *name, unsigned *was);

/* Turns off again those of the two that were off (`was'). */
void	netif_bc_forwarding_restore(const char *name, unsigned was);

#endif
