/*
 * netif: interface snapshots from getifaddrs(3) and sysfs.
 */
#include "netif.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <unistd.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
netif_query(const char *name, struct netif_info *info)
{
	struct ifaddrs *ifa, *p;

	memset(info, 0, sizeof(*info));
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (p = ifa; p != NULL; p = p->ifa_next) {
		if (strcmp(p->ifa_name, name) != 0)
			continue;
		info->exists = true;
		info->up = (p->ifa_flags & IFF_UP) != 0;
		info->running = (p->ifa_flags & IFF_RUNNING) != 0;
		if (info->has_addr || p->ifa_addr == NULL ||
		    p->ifa_addr->sa_family != AF_INET)
			continue;
		info->has_addr = true;
		info->addr = ((struct sockaddr_in *)(void *)p->ifa_addr)->sin_addr;
		if (p->ifa_netmask != NULL)
			info->mask = ((struct sockaddr_in *)(void *)
			    p->ifa_netmask)->sin_addr;
	}
	freeifaddrs(ifa);
	return 0;
}

/* The number a one-line /sys or /proc file holds; 0, or -1 with errno. */
static int
read_number(const char *path, long long *out)
{
	FILE *f;
	int ok;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	ok = fscanf(f, "%lld", out) == 1;
	fclose(f);
	if (!ok) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
read_counter(const char *name, const char *which, uint64_t *out)
{
	char path[128];
	long long v;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", name,
	    which);
	if (read_number(path, &v) < 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int
netif_counters(const char *name, struct netif_counters *c)
{
	if (strchr(name, '/') != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (read_counter(name, "tx_bytes", &c->tx_bytes) < 0 ||
	    read_counter(name, "rx_bytes", &c->rx_bytes) < 0 ||
	    read_counter(name, "tx_packets", &c->tx_packets) < 0 ||
	    read_counter(name, "rx_packets", &c->rx_packets) < 0)
		return -1;
	return 0;
}

bool
netif_same_subnet(const struct netif_info *info, struct in_addr addr)
{
	if (!info->has_addr)
		return false;
	return (addr.s_addr & info->mask.s_addr) ==
	    (info->addr.s_addr & info->mask.s_addr);
}

struct in_addr
netif_broadcast(const struct netif_info *info)
{
	struct in_addr b;

	b.s_addr = info->addr.s_addr | ~info->mask.s_addr;
	return b;
}

static void
bcf_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "/proc/sys/net/ipv4/conf/%s/bc_forwarding", name);
}

/* The sysctl's value (0 or 1), or -1 with errno. */
static int
bcf_get(const char *name)
{
	char path[96];
	long long v;

	bcf_path(path, sizeof(path), name);
	if (read_number(path, &v) < 0)
		return -1;
	return v != 0;
}

static int
bcf_set(const char *name, bool on)
{
	char path[96];
	int fd, r;

	bcf_path(path, sizeof(path), name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	r = write(fd, on ? "1\n" : "0\n", 2) == 2 ? 0 : -1;
	close(fd);
	return r;
}

int
netif_bc_forwarding_on(const char *name, unsigned *was)
{
	int all, one;

	if (strchr(name, '/') != NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((all = bcf_get("all")) < 0 || (one = bcf_get(name)) < 0)
		return -1;
	*was = (all > 0 ? NETIF_BCF_ALL : 0) | (one > 0 ? NETIF_BCF_IF : 0);
	if (one <= 0 && bcf_set(name, true) < 0)
		return -1;
	if (all <= 0 && bcf_set("all", true) < 0) {
		if (one <= 0)
			(void)bcf_set(name, false);
		return -1;
	}
	return 0;
}

void
netif_bc_forwarding_restore(const char *name, unsigned was)
{
	if (!(was & NETIF_BCF_ALL))
		(void)bcf_set("all", false);
	if (!(was & NETIF_BCF_IF))
		(void)bcf_set(name, false);
}

/* /proc/net/if_inet6: "addr ifindex prefixlen scope flags name" (hex). */
static bool
ipv6_tentative(const char *name)
{
	char line[256], ifname[IF_NAMESIZE + 1];
	unsigned flags;
	bool tentative = false;
	FILE *f;

	if ((f = fopen("/proc/net/if_inet6", "re")) == NULL)
		return false;		/* no IPv6: nothing to wait for */
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*s %*x %*x %*x %x %16s", &flags,
		    ifname) != 2)
			continue;
		if (strcmp(ifname, name) == 0 && (flags & 0x40) != 0)
			tentative = true;	/* IFA_F_TENTATIVE */
	}
	fclose(f);
	return tentative;
}

bool
netif_ready(const char *name)
{
	struct netif_info info;

	if (netif_query(name, &info) < 0)
		return false;
	return info.exists && info.up && info.has_addr &&
	    !ipv6_tentative(name);
}

uint32_t
netif_bitrate(const char *name)
{
	char path[96];
	long long mbit;

	if (strchr(name, '/') != NULL)
		return 0;
	snprintf(path, sizeof(path), "/sys/class/net/%s/speed", name);
	if (read_number(path, &mbit) < 0 || mbit <= 0)	/* -1: virtual link */
		return 0;
	if (mbit >= 4294)		/* a ui4 holds up to ~4.29 Gb/s */
		return UINT32_MAX;
	return (uint32_t)mbit * 1000000u;
}

/*
 * Asks the kernel (NETLINK_SOCK_DIAG) for the listening TCP sockets, or
 * the unconnected UDP ones, of this namespace only: reading /proc/net/tcp
 * instead walks the host's socket hash and lists every TIME_WAIT socket,
 * which made it most of an AddPortMapping's cost (bench/FINDINGS.md).
 * Returns 1 found, 0 not found, -1 when the query failed.
 */
static int
diag_listening(uint8_t proto, uint16_t port, struct in_addr addr)
{
	struct {
		struct nlmsghdr		nlh;
		struct inet_diag_req_v2	r;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[8192];
	struct nlmsghdr *h;
	struct inet_diag_msg *m;
	int fd, found = 0, done = 0, rounds = 0;
	ssize_t n;

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = AF_INET;
	req.r.sdiag_protocol = proto;
	/* TCP_LISTEN (10); an unconnected UDP socket shows TCP_CLOSE (7). */
	req.r.idiag_states = proto == IPPROTO_TCP ? 1u << 10 : 1u << 7;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	/* Bounded: a dump of listening sockets is a few messages. */
	while (!done && rounds++ < 1000 &&
	    (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		for (h = (struct nlmsghdr *)(void *)buf; NLMSG_OK(h, (size_t)n);
		    h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				done = h->nlmsg_type == NLMSG_DONE ? 1 : -1;
				break;
			}
			m = NLMSG_DATA(h);
			if (ntohs(m->id.idiag_sport) == port &&
			    (m->id.idiag_src[0] == INADDR_ANY ||
			    m->id.idiag_src[0] == addr.s_addr))
				found = 1;
		}
	}
	close(fd);
	return done == 1 ? found : -1;
}

bool
netif_listening(uint8_t proto, uint16_t port, struct in_addr addr)
{
	char line[256];
	unsigned laddr, lport, st;
	/* TCP_LISTEN is 0x0A; an unconnected UDP socket shows TCP_CLOSE 0x07. */
	unsigned want = proto == IPPROTO_TCP ? 0x0a : 0x07;
	bool found = false;
	FILE *f;
	int r;

	if ((r = diag_listening(proto, port, addr)) >= 0)
		return r == 1;
	/* No sock_diag (an old or restricted kernel): read /proc. */
	f = fopen(proto == IPPROTO_TCP ? "/proc/net/tcp" : "/proc/net/udp",
	    "re");
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " %*u: %x:%x %*x:%*x %x", &laddr, &lport,
		    &st) != 3)
			continue;	/* the header line */
		/* The address is the kernel's raw (network order) word. */
		found = lport == port && st == want &&
		    (laddr == INADDR_ANY || laddr == addr.s_addr);
	}
	fclose(f);
	return found;
}
