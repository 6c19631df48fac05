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
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

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
