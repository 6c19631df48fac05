/*
 * upnpfix: workarounds for libupnp 1.8.4 bugs seen on the wire, made by
 * defining libc and libixml functions that libupnp calls: the dynamic
 * linker resolves its calls to the executable's definitions first.  Five
 * of them: the NOTIFY multicast interface (setsockopt, below), CallStranger
 * (connect), unbounded request heads and chunked bodies (accept, recv,
 * close), libixml's leak on text after the root element
 * (ixmlParseBufferEx) and a thread per SSDP answer (recvfrom, sendto).
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
#include "upnpcompat.h"

#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>

#include "upnpfix.h"

typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);
typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);
typedef int (*accept_fn)(int, struct sockaddr *, socklen_t *);
typedef ssize_t (*recv_fn)(int, void *, size_t, int);
typedef int (*close_fn)(int);
typedef ssize_t (*recvfrom_fn)(int, void *, size_t, int, struct sockaddr *,
    socklen_t *);
typedef ssize_t (*sendto_fn)(int, const void *, size_t, int,
    const struct sockaddr *, socklen_t);
typedef int (*parse_fn)(const char *, IXML_Document **);

/* The definitions ours stand in front of: libc's and libixml's. */
static setsockopt_fn	libc_setsockopt;
static connect_fn	libc_connect;
static accept_fn	libc_accept;
static recv_fn		libc_recv;
static close_fn		libc_close;
static recvfrom_fn	libc_recvfrom;
static sendto_fn	libc_sendto;
static parse_fn		libixml_parse;
static pthread_once_t	once = PTHREAD_ONCE_INIT;

static void
find_next(const char *name, void *fn, size_t size)
{
	void *sym = dlsym(RTLD_NEXT, name);

	memcpy(fn, &sym, size);
}

static void
find_all(void)
{
	find_next("setsockopt", &libc_setsockopt, sizeof(libc_setsockopt));
	find_next("connect", &libc_connect, sizeof(libc_connect));
	find_next("accept", &libc_accept, sizeof(libc_accept));
	find_next("recv", &libc_recv, sizeof(libc_recv));
	find_next("close", &libc_close, sizeof(libc_close));
	find_next("recvfrom", &libc_recvfrom, sizeof(libc_recvfrom));
	find_next("sendto", &libc_sendto, sizeof(libc_sendto));
	find_next("ixmlParseBufferEx", &libixml_parse, sizeof(libixml_parse));
}

int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct ip_mreq mreq;

	pthread_once(&once, find_all);
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
	pthread_once(&once, find_all);
	if (!tcp_allowed(fd, sa, len)) {
		__atomic_add_fetch(&refused, 1, __ATOMIC_RELAXED);
		errno = EACCES;
		return -1;
	}
	return libc_connect(fd, sa, len);
}

/*
 * Request size.  libupnp 1.8.4 reads an HTTP request head into memory
 * without limit and parses its header lines in quadratic time (a request
 * of 10,000 lines took 0.5 s to answer, 50,000 took 12.6 s), and a chunked
 * body escapes UpnpSetMaxContentLength and is buffered whole (a 50 MB one
 * raised the peak RSS by 150 MB); it offers no setting for either.  So every TCP
 * connection it accepts gets a byte budget: once spent, recv() reports
 * the end of the stream, and libupnp answers 400 and closes, as for a
 * truncated request.  It serves one request per connection, so the budget
 * is one request's: the body limit plus room for the head.
 */
#define HEAD_ROOM	16384

static atomic_long	budget_max;		/* 0: no limit */
/* Bytes a connection may still send, plus one; 0: not limited. */
static atomic_long	budget[FD_SETSIZE];

void
upnpfix_limit_requests(size_t max_body)
{
	atomic_store(&budget_max, (long)(max_body + HEAD_ROOM));
}

/* Only IP connections: the daemon's own AF_UNIX sockets stay unlimited. */
static void
track(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	long max = atomic_load(&budget_max);

	if (fd < 0 || fd >= FD_SETSIZE)
		return;		/* libupnp select()s: it cannot serve these */
	if (max > 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
		atomic_store(&budget[fd], max + 1);
	else
		atomic_store(&budget[fd], 0);
}

int
accept(int fd, struct sockaddr *sa, socklen_t *len)
{
	int c;

	pthread_once(&once, find_all);
	if ((c = libc_accept(fd, sa, len)) >= 0)
		track(c);
	return c;
}

ssize_t
recv(int fd, void *buf, size_t n, int flags)
{
	long left;
	ssize_t r;

	pthread_once(&once, find_all);
	if (fd < 0 || fd >= FD_SETSIZE ||
	    (left = atomic_load(&budget[fd]) - 1) < 0)
		return libc_recv(fd, buf, n, flags);
	if (left == 0)
		return 0;
	if (n > (size_t)left)
		n = (size_t)left;
	if ((r = libc_recv(fd, buf, n, flags)) > 0 && !(flags & MSG_PEEK))
		atomic_fetch_sub(&budget[fd], (long)r);
	return r;
}

/* A number accept() gave out may come back as a netlink socket. */
int
close(int fd)
{
	pthread_once(&once, find_all);
	if (fd >= 0 && fd < FD_SETSIZE)
		atomic_store(&budget[fd], 0);
	return libc_close(fd);
}

/*
 * libixml 1.8.4 leaks the node it makes for text or a CDATA section after
 * the root element (about 190 bytes plus the text, per document: 10,000
 * control requests with 7 KB of trailing text grew the daemon by 68 MB;
 * doc/FUZZING.md finding 1).  libupnp parses every control request body
 * with ixmlParseBufferEx before the daemon sees it, so such a document is
 * refused here, with the code libixml itself returns, without parsing.
 */
/* The '>' closing the tag at p; quoted attribute values may hold one. */
static const char *
tag_end(const char *p)
{
	char quote = '\0';

	for (p++; *p != '\0'; p++) {
		if (quote != '\0') {
			if (*p == quote)
				quote = '\0';
		} else if (*p == '"' || *p == '\'')
			quote = *p;
		else if (*p == '>')
			return p;
	}
	return NULL;
}

/*
 * Whether character data follows the root element.  A scan, not a parser:
 * it follows tags, comments, PIs and CDATA sections, which finds where
 * the root ends in every well-formed document; on malformed input it may
 * answer either way, and libixml refuses that input anyway.
 */
static bool
text_after_root(const char *p)
{
	const char *q;
	long depth = 0;
	bool root = false;
	size_t skip = 1;

	while (*p != '\0') {
		if (*p != '<') {
			if (root && depth == 0 && strchr(" \t\r\n", *p) == NULL)
				return true;
			p++;
			continue;
		}
		if (strncmp(p, "<!--", 4) == 0)
			q = strstr(p + 4, "-->"), skip = 3;
		else if (strncmp(p, "<?", 2) == 0)
			q = strstr(p + 2, "?>"), skip = 2;
		else if (strncmp(p, "<![CDATA[", 9) == 0) {
			if (root && depth == 0)
				return true;
			q = strstr(p + 9, "]]>"), skip = 3;
		} else if (p[1] == '!' || p[1] == '/') {
			depth -= p[1] == '/';	/* an end tag, or DOCTYPE */
			q = strchr(p, '>'), skip = 1;
		} else {
			q = tag_end(p), skip = 1;
			root = true;
			depth += q != NULL && q[-1] != '/';
		}
		if (q == NULL)
			return false;
		p = q + skip;
	}
	return false;
}

int
ixmlParseBufferEx(const char *buffer, IXML_Document **doc)
{
	pthread_once(&once, find_all);
	if (buffer != NULL && doc != NULL && text_after_root(buffer)) {
		*doc = NULL;
		return IXML_HIERARCHY_REQUEST_ERR;
	}
	return libixml_parse(buffer, doc);
}

/*
 * SSDP answers (ssdp.h).  libupnp 1.8.4 answers each search with a job
 * on a worker thread, and searches that arrive during its start-up
 * announcements grew its pools by about a thread each (bench/FINDINGS.md).
 * The daemon answers instead:
 * every datagram libupnp reads from its IPv4 SSDP socket (UDP, bound to
 * port 1900) goes to the taker, and libupnp gets EAGAIN, which it takes
 * as nothing read.  Its IPv6 socket is left alone (the device is
 * registered for IPv4 only, so libupnp answers nothing there).
 */
static _Atomic(upnpfix_ssdp_fn) ssdp_taker;

void
upnpfix_take_ssdp(upnpfix_ssdp_fn fn)
{
	atomic_store(&ssdp_taker, fn);
}

static bool
is_ssdp4(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin), tl = sizeof(int);
	int type = 0;

	return getsockname(fd, (struct sockaddr *)&sin, &len) == 0 &&
	    len == sizeof(sin) && sin.sin_family == AF_INET &&
	    sin.sin_port == htons(1900) &&
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 &&
	    type == SOCK_DGRAM;
}

ssize_t
recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *sa,
    socklen_t *salen)
{
	upnpfix_ssdp_fn fn = atomic_load(&ssdp_taker);
	struct sockaddr_in from;
	ssize_t r;

	pthread_once(&once, find_all);
	r = libc_recvfrom(fd, buf, n, flags, sa, salen);
	if (fn == NULL || r < 0 || (flags & MSG_PEEK) || sa == NULL ||
	    salen == NULL || *salen != sizeof(from) ||
	    sa->sa_family != AF_INET || !is_ssdp4(fd))
		return r;
	memcpy(&from, sa, sizeof(from));
	fn(buf, (size_t)r, &from);
	errno = EAGAIN;
	return -1;
}

/*
 * The answers carry the 01-NLS of libupnp's NOTIFYs (made at UpnpInit2,
 * not exported), so a control point sees one value from both: it is read
 * from the first NOTIFY libupnp sends (the start-up byebyes).
 */
#define NLS_HEADER	"\r\n01-NLS: "

static char	nls[UPNPFIX_NLS_MAX];
static int	nls_known;

static void
learn_nls(const char *msg, size_t len)
{
	const char *p, *end;
	size_t n;

	p = memmem(msg, len, NLS_HEADER, sizeof(NLS_HEADER) - 1);
	if (p == NULL)
		return;
	p += sizeof(NLS_HEADER) - 1;
	end = memmem(p, len - (size_t)(p - msg), "\r\n", 2);
	if (end == NULL || (n = (size_t)(end - p)) == 0 || n >= sizeof(nls))
		return;
	memcpy(nls, p, n);
	nls[n] = '\0';
	__atomic_store_n(&nls_known, 1, __ATOMIC_RELEASE);
}

ssize_t
sendto(int fd, const void *buf, size_t n, int flags,
    const struct sockaddr *sa, socklen_t salen)
{
	static pthread_mutex_t learn = PTHREAD_MUTEX_INITIALIZER;

	pthread_once(&once, find_all);
	if (!__atomic_load_n(&nls_known, __ATOMIC_ACQUIRE) && buf != NULL &&
	    n > 9 && memcmp(buf, "NOTIFY * ", 9) == 0) {
		pthread_mutex_lock(&learn);
		if (!__atomic_load_n(&nls_known, __ATOMIC_ACQUIRE))
			learn_nls(buf, n);
		pthread_mutex_unlock(&learn);
	}
	return libc_sendto(fd, buf, n, flags, sa, salen);
}

void
upnpfix_nls(char *out, size_t size)
{
	if (size == 0)
		return;
	if (__atomic_load_n(&nls_known, __ATOMIC_ACQUIRE))
		snprintf(out, size, "%s", nls);
	else
		out[0] = '\0';
}
