/*
 * upnpfix: a workaround for a libupnp 1.8.4 bug seen on the wire.
 *
 * For every SSDP NOTIFY, libupnp creates a socket and sets IP_MULTICAST_IF
 * to the LAN address, but passes an 8-byte buffer holding the address
 * followed by four zero bytes.  Linux reads an 8-byte IP_MULTICAST_IF
 * argument as a struct ip_mreq whose interface field is 0.0.0.0, which
 * *clears* the multicast interface.  The NOTIFYs then follow the routing
 * table: with no route they fail (ENETUNREACH, so control points never see
 * ssdp:alive or ssdp:byebye), and on a router with a default route they
 * leave through the WAN interface (WIC-087).
 *
 * The daemon defines setsockopt(); the dynamic linker resolves libupnp's
 * calls to it, since the executable comes first in the lookup order.  Only
 * that exact malformed call is rewritten into the 4-byte form its caller
 * meant: an ip_mreq naming a unicast "group" and no interface has no other
 * reading.  Everything else goes to libc's setsockopt unchanged.  The WAN
 * guard also drops SSDP leaving through the WAN, in case this ever misses.
 */
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include "upnpfix.h"

typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);

static setsockopt_fn	libc_setsockopt;
static pthread_once_t	once = PTHREAD_ONCE_INIT;

static void
find_libc(void)
{
	void *sym = dlsym(RTLD_NEXT, "setsockopt");

	memcpy(&libc_setsockopt, &sym, sizeof(sym));
}

int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct ip_mreq mreq;

	pthread_once(&once, find_libc);
	if (level == IPPROTO_IP && name == IP_MULTICAST_IF &&
	    len == sizeof(mreq) && val != NULL) {
		memcpy(&mreq, val, sizeof(mreq));
		if (mreq.imr_interface.s_addr == htonl(INADDR_ANY) &&
		    !IN_MULTICAST(ntohl(mreq.imr_multiaddr.s_addr)) &&
		    mreq.imr_multiaddr.s_addr != htonl(INADDR_ANY))
			return libc_setsockopt(fd, level, name,
			    &mreq.imr_multiaddr, sizeof(struct in_addr));
	}
	return libc_setsockopt(fd, level, name, val, len);
}

/*
 * CallStranger (CVE-2020-12695): libupnp 1.8.4 accepts any CALLBACK URL
 * in a SUBSCRIBE and does not show it to the daemon, so a LAN host can
 * make the gateway send event NOTIFYs (TCP) to any host on the Internet.
 * The daemon itself opens TCP connections only to deliver events (and, at
 * registration, to fetch its own description from its LAN address), so
 * connect() here refuses every TCP connection to an address outside the
 * LAN subnet or loopback.  Datagram sockets (SSDP, DNS) are untouched.
 */
static struct in_addr	allow_net, allow_mask;
static int		restrict_tcp;
static unsigned long	refused;

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);
static connect_fn	libc_connect;
static pthread_once_t	connect_once = PTHREAD_ONCE_INIT;

static void
find_connect(void)
{
	void *sym = dlsym(RTLD_NEXT, "connect");

	memcpy(&libc_connect, &sym, sizeof(sym));
}

void
upnpfix_restrict_tcp(struct in_addr addr, struct in_addr mask)
{
	allow_net.s_addr = addr.s_addr & mask.s_addr;
	allow_mask = mask;
	__atomic_store_n(&restrict_tcp, 1, __ATOMIC_RELEASE);
}

unsigned long
upnpfix_refused(void)
{
	return __atomic_load_n(&refused, __ATOMIC_RELAXED);
}

static int
tcp_allowed(int fd, const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_in *sin;
	socklen_t tl = sizeof(int);
	int type = 0;

	if (!__atomic_load_n(&restrict_tcp, __ATOMIC_ACQUIRE) || sa == NULL ||
	    len < sizeof(struct sockaddr_in) || sa->sa_family != AF_INET)
		return 1;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 ||
	    type != SOCK_STREAM)
		return 1;
	sin = (const struct sockaddr_in *)(const void *)sa;
	if ((ntohl(sin->sin_addr.s_addr) >> 24) == 127)
		return 1;
	return (sin->sin_addr.s_addr & allow_mask.s_addr) == allow_net.s_addr;
}

int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	pthread_once(&connect_once, find_connect);
	if (!tcp_allowed(fd, sa, len)) {
		__atomic_add_fetch(&refused, 1, __ATOMIC_RELAXED);
		errno = EACCES;
		return -1;
	}
	return libc_connect(fd, sa, len);
}
