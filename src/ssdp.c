/*
 * ssdp: answering SSDP searches (see ssdp.h).
 */
#include "upnpcompat.h"		/* UPNP_VERSION_STRING */

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "msearch.h"
#include "ssdp.h"
#include "upnpfix.h"

struct pending {
	struct sockaddr_in	 to;
	uint64_t		 due;		/* clock_now_ms() */
	char			 st[MSEARCH_ST_MAX + 1];
};

/*
 * One instance: libupnp's socket is handed over through a plain function
 * (upnpfix_take_ssdp).  The thread reading libupnp's socket and the main
 * loop both send; `lock' covers the fields from `armed' on.  All zero at
 * start, so the struct is in .bss: a page of it is resident only once
 * written, and the queue, the largest part and the last, only once a
 * search asked for a delay.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool			 open;		/* sock and wake are valid */
	int			 sock;		/* answers leave from here */
	int			 wake;		/* eventfd: the queue changed */
	struct netif_info	 lan;
	unsigned		 max_age;
	char			 server[160];
	char			 location[128], lower[128];
	bool			 armed;
	uint32_t		 rnd;
	size_t			 nqueue;
	unsigned long		 dropped;	/* queue full */
	char			 date[40];
	char			 nls[UPNPFIX_NLS_MAX];
	char			 buf[MSEARCH_ANSWER_MAX];
	struct msearch_targets	 targets;
	struct pending		 queue[SSDP_QUEUE];
} s;

static uint32_t
next_rnd(void)
{
	/* xorshift32: spreads answers, nothing more is asked of it */
	s.rnd ^= s.rnd << 13;
	s.rnd ^= s.rnd >> 17;
	s.rnd ^= s.rnd << 5;
	return s.rnd;
}

/* The answers to one search: where they go, what they say. */
struct answer {
	const struct sockaddr_in	*to;
	struct msearch_vars		 vars;
};

static void
send_hit(void *ctx, const struct msearch_hit *h)
{
	const struct answer *a = ctx;
	size_t n;

	if ((n = msearch_format(s.buf, sizeof(s.buf), &a->vars, h)) == 0)
		return;
	if (sendto(s.sock, s.buf, n, MSG_DONTWAIT,
	    (const struct sockaddr *)a->to, sizeof(*a->to)) < 0)
		log_debug("ssdp: answer to %s:%u: %s", inet_ntoa(a->to->sin_addr),
		    ntohs(a->to->sin_port), strerror(errno));
}

/* Sends every answer to a search for st to `to'; with the lock held. */
static void
answer_locked(const char *st, const struct sockaddr_in *to)
{
	struct answer a = { to, { s.max_age, s.date, s.location, s.lower,
	    s.nls, s.server } };
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(s.date, sizeof(s.date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	upnpfix_nls(s.nls, sizeof(s.nls));
	(void)msearch_match(&s.targets, st, send_hit, &a);
}

static void
wake_main(void)
{
	uint64_t one = 1;

	if (write(s.wake, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_debug("ssdp: eventfd: %s", strerror(errno));
}

/*
 * Called for every datagram libupnp reads from its IPv4 SSDP socket, on
 * the thread that read it; libupnp never sees them.  A device has no use
 * for the other SSDP messages (NOTIFYs of other devices).
 */
static void
take(const char *buf, size_t len, const struct sockaddr_in *from)
{
	struct msearch m;
	unsigned delay;

	if (msearch_parse(buf, len, &m) != MSEARCH_OK)
		return;
	pthread_mutex_lock(&lock);
	if (!s.armed || !netif_same_subnet(&s.lan, from->sin_addr) ||
	    from->sin_addr.s_addr == s.lan.addr.s_addr) {
		pthread_mutex_unlock(&lock);
		return;
	}
	if ((delay = msearch_delay(m.mx, next_rnd())) == 0)
		answer_locked(m.st, from);
	else if (s.nqueue == SSDP_QUEUE)
		s.dropped++;
	else {
		s.queue[s.nqueue].to = *from;
		s.queue[s.nqueue].due = clock_now_ms() + 1000ull * delay;
		memcpy(s.queue[s.nqueue].st, m.st, sizeof(m.st));
		s.nqueue++;
		wake_main();
	}
	pthread_mutex_unlock(&lock);
}

static void
server_string(void)
{
	struct utsname u;

	/* As libupnp's NOTIFYs say it, so both read the same. */
	if (uname(&u) < 0) {
		snprintf(u.sysname, sizeof(u.sysname), "Linux");
		u.release[0] = '\0';
	}
	snprintf(s.server, sizeof(s.server),
	    "%s/%s, UPnP/1.0, Portable SDK for UPnP devices/%s", u.sysname,
	    u.release, UPNP_VERSION_STRING);
}

int
ssdp_open(const struct netif_info *lan, unsigned max_age)
{
	struct sockaddr_in sin;
	int sock, wake = -1, e;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = lan->addr;
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    (wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
		e = errno;
		if (sock >= 0)
			close(sock);
		errno = e;
		return -1;
	}
	s.sock = sock;
	s.wake = wake;
	s.open = true;
	s.lan = *lan;
	s.rnd = (uint32_t)clock_now_ms() ^ ((uint32_t)getpid() << 16) ^ 1u;
	s.max_age = max_age;
	server_string();
	upnpfix_take_ssdp(take);
	return 0;
}

bool
ssdp_arm(const char *desc, const char *location, const char *lower_location)
{
	struct msearch_targets t;

	if (!msearch_targets(desc, &t))
		return false;
	pthread_mutex_lock(&lock);
	s.targets = t;
	snprintf(s.location, sizeof(s.location), "%s", location);
	snprintf(s.lower, sizeof(s.lower), "%s", lower_location);
	s.armed = true;
	pthread_mutex_unlock(&lock);
	return true;
}

void
ssdp_disarm(void)
{
	pthread_mutex_lock(&lock);
	s.armed = false;
	s.nqueue = 0;
	pthread_mutex_unlock(&lock);
}

int
ssdp_fd(void)
{
	return s.open ? s.wake : -1;
}

int
ssdp_timeout_ms(void)
{
	uint64_t now = clock_now_ms(), first = UINT64_MAX;
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < s.nqueue; i++)
		if (s.queue[i].due < first)
			first = s.queue[i].due;
	pthread_mutex_unlock(&lock);
	if (first == UINT64_MAX)
		return -1;
	return first <= now ? 0 : (int)(first - now);
}

void
ssdp_run(void)
{
	uint64_t n, now = clock_now_ms();
	size_t i = 0;

	if (s.open)
		(void)read(s.wake, &n, sizeof(n));
	pthread_mutex_lock(&lock);
	while (i < s.nqueue) {
		if (s.queue[i].due > now) {
			i++;
			continue;
		}
		answer_locked(s.queue[i].st, &s.queue[i].to);
		s.queue[i] = s.queue[--s.nqueue];
	}
	pthread_mutex_unlock(&lock);
}

unsigned long
ssdp_dropped(void)
{
	unsigned long n;

	pthread_mutex_lock(&lock);
	n = s.dropped;
	pthread_mutex_unlock(&lock);
	return n;
}

void
ssdp_close(void)
{
	upnpfix_take_ssdp(NULL);
	ssdp_disarm();
	if (s.open) {
		close(s.sock);
		close(s.wake);
		s.open = false;
	}
}
