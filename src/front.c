/*
 * front: see front.h.
 *
 * Each thread has its own epoll set, and the listening socket is in all
 * of them with EPOLLEXCLUSIVE: one idle thread wakes per connection. It
 * reads the connection at once (the request is often in already; with
 * TCP_DEFER_ACCEPT it always was, but GetExternalIPAddress at c=1 lost
 * about 15% of its rate); if more must come, the connection joins the
 * shared set `armed' (in every thread's set) with EPOLLONESHOT, so any
 * idle thread takes its next event, and it is armed again only when
 * that thread is done with it. An answer the socket does not take at
 * once waits the same way, for EPOLLOUT. Only the thread handling a
 * connection frees it; anyone else (the sweep of late connections, the
 * eviction of the oldest at FRONT_MAX_CONNS) only shuts its socket down,
 * which wakes its event.
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"
#include "clock.h"
#include "front.h"

/*
 * Threads: an action may wait for a name lookup (2 s, VC-10) or a
 * firewall commit; the others go on meanwhile. Each costs its stack.
 */
#define FRONT_THREADS		3
#define FRONT_BACKLOG		128
#define FRONT_WRITE_MS		5000	/* an answer to a slow reader */
/* Answers kept for slow readers, all connections together. */
#define FRONT_PENDING_MAX	(4u * 1024 * 1024)
#define FRONT_DRAIN_MS		2000	/* reading what we will not use */
#define FRONT_PROXY_MS		5000	/* libupnp's answer to GENA */
#define FRONT_PROXY_MAX		(64 * 1024)
#define FRONT_SWEEP_MS		250

struct conn {
	int			 fd;
	struct in_addr		 peer;
	char			*buf;
	size_t			 len, cap;
	uint64_t		 deadline;	/* clock_now_ms() */
	bool			 busy;		/* a thread has its event */
	bool			 polled;	/* in the epoll set */
	bool			 doomed;	/* shut down: close on wakeup */
	bool			 draining;	/* answered; reading to EOF */
	bool			 continued;	/* sent 100 Continue */
	bool			 drain_after;	/* once out is sent */
	char			*out;		/* the rest of the answer */
	size_t			 out_len, out_off;
	struct conn		*prev, *next;	/* oldest first */
};

struct front_thread {
	struct front		*f;
	int			 ep;
	pthread_t		 thread;
};

struct front {
	int			 lfd, wake;
	/*
	 * Connections waiting for more bytes, in one epoll set that is in
	 * every thread's own: any idle thread takes the next one, so none
	 * waits behind a thread busy with a slow action (a host-name
	 * lookup, up to 2 s) or a slow reader. A thread's own set has only
	 * the listening socket (EPOLLEXCLUSIVE: one idle thread per new
	 * connection, which reads it at once), this set and the eventfd
	 * that stops the threads. (One set for everything, with the
	 * listening socket EPOLLONESHOT, costs an epoll_ctl per
	 * connection: about 5% at one client at a time.)
	 */
	int			 armed;
	struct front_conf	 conf;
	uint16_t		 port;
	uint16_t		 upnp_port;	/* front_start */
	char			 server[128];	/* the SERVER header */
	struct front_thread	 threads[FRONT_THREADS];
	size_t			 nthreads;	/* started */

	pthread_mutex_t		 lock;		/* everything below */
	struct conn		*head, *tail;
	size_t			 nconns;
	size_t			 pending;	/* bytes in the conns' out */
	uint64_t		 next_sweep;
};

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 411: return "Length Required";
	case 413: return "Request Entity Too Large";
	case 415: return "Unsupported Media Type";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

/* ---- connections ------------------------------------------------------ */

static void
list_unlink(struct front *f, struct conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		f->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		f->tail = c->prev;
	f->nconns--;
}

/* Shuts c down so that the thread of its next event closes it. Locked. */
static void
doom_locked(struct conn *c)
{
	if (c->busy || c->doomed)
		return;
	c->doomed = true;
	(void)shutdown(c->fd, SHUT_RDWR);
}

static void out_free(struct front *, struct conn *);

static void
conn_free(struct front *f, struct conn *c)
{
	static const struct linger abort_linger = { 1, 0 };

	pthread_mutex_lock(&f->lock);
	list_unlink(f, c);
	pthread_mutex_unlock(&f->lock);
	/*
	 * An answer still kept for a reader that stopped reading: reset,
	 * else the kernel would keep the socket and what it holds for
	 * minutes, probing a window that stays shut.
	 */
	if (c->out != NULL)
		(void)setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &abort_linger,
		    sizeof(abort_linger));
	close(c->fd);			/* also leaves the epoll set */
	out_free(f, c);
	free(c->buf);
	free(c);
}

/*
 * Waits in the epoll set for the next bytes of c, or for room to send
 * more of its answer; false if it cannot. Once armed, c belongs to
 * whichever thread gets its next event, which may free it at once:
 * nothing here touches c after epoll_ctl.
 */
static bool
conn_arm(struct front *f, struct conn *c)
{
	struct epoll_event ev = { .events = (c->out != NULL ? EPOLLOUT :
	    EPOLLIN | EPOLLRDHUP) | EPOLLONESHOT, .data.ptr = c };
	int op = c->polled ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;

	c->polled = true;
	pthread_mutex_lock(&f->lock);
	c->busy = false;
	pthread_mutex_unlock(&f->lock);
	return epoll_ctl(f->armed, op, c->fd, &ev) == 0;
}

static void
sweep(struct front *f)
{
	uint64_t now = clock_now_ms();
	struct conn *c;

	pthread_mutex_lock(&f->lock);
	if (now >= f->next_sweep) {
		f->next_sweep = now + FRONT_SWEEP_MS;
		/* Not in deadline order: answers and drains reset theirs. */
		for (c = f->head; c != NULL; c = c->next)
			if (c->deadline <= now)
				doom_locked(c);
	}
	pthread_mutex_unlock(&f->lock);
}

static void conn_event(struct front *, struct conn *);

static void
accept_one(struct front *f, int fd, const struct sockaddr_in *sin)
{
	struct conn *c, *old;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->peer = sin->sin_addr;
	c->deadline = clock_now_ms() + FRONT_REQUEST_MS;
	pthread_mutex_lock(&f->lock);
	/* Full: the oldest idle connection has had the most time. */
	if (f->nconns >= FRONT_MAX_CONNS) {
		for (old = f->head; old != NULL; old = old->next)
			if (!old->busy && !old->doomed)
				break;
		if (old != NULL)
			doom_locked(old);
	}
	c->prev = f->tail;
	if (f->tail != NULL)
		f->tail->next = c;
	else
		f->head = c;
	f->tail = c;
	f->nconns++;
	pthread_mutex_unlock(&f->lock);
	conn_event(f, c);
}

/*
 * One connection, if there is one (another thread may have taken it):
 * the other threads accept meanwhile.
 */
static void
accept_some(struct front *f)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd;

	fd = accept4(f->lfd, (struct sockaddr *)&sin, &sl,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (sin.sin_family != AF_INET) {
		close(fd);
		return;
	}
	accept_one(f, fd, &sin);
}

/* ---- answers ------------------------------------------------------------ */

/*
 * Writes what the socket takes of iov[0..*n), moving *iov and *n past
 * it: 0 once all is written or the socket is full, -1 on an error.
 */
static int
write_ready(int fd, struct iovec **iov, int *n)
{
	ssize_t w;

	while (*n > 0) {
		w = writev(fd, *iov, *n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN ? 0 : -1;
		while (*n > 0 && (size_t)w >= (*iov)->iov_len) {
			w -= (ssize_t)(*iov)->iov_len;
			(*iov)++;
			(*n)--;
		}
		if (*n > 0) {
			(*iov)->iov_base = (char *)(*iov)->iov_base + w;
			(*iov)->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* Writes all of iov within FRONT_WRITE_MS; false if it could not. */
static bool
write_all(int fd, struct iovec *iov, int n)
{
	uint64_t end = clock_now_ms() + FRONT_WRITE_MS, now;
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	for (;;) {
		if (write_ready(fd, &iov, &n) < 0)
			return false;
		if (n == 0)
			return true;
		now = clock_now_ms();
		if (now >= end || poll(&pfd, 1, (int)(end - now)) <= 0)
			return false;
	}
}

/* Takes len bytes of the budget for kept answers; false if over it. */
static bool
pending_take(struct front *f, size_t len)
{
	bool ok;

	pthread_mutex_lock(&f->lock);
	ok = len <= FRONT_PENDING_MAX - f->pending;
	if (ok)
		f->pending += len;
	pthread_mutex_unlock(&f->lock);
	return ok;
}

static void
pending_return(struct front *f, size_t len)
{
	pthread_mutex_lock(&f->lock);
	f->pending -= len;
	pthread_mutex_unlock(&f->lock);
}

/*
 * Keeps what the socket did not take for later (the connection then
 * waits for EPOLLOUT, and no thread waits for the reader), unless the
 * answers kept for all connections would pass FRONT_PENDING_MAX. A body
 * handed over in `own' is kept where it is once only its end is left
 * (the head, before it, is gone: n == 1, as own is never empty);
 * anything else is copied.
 */
static bool
keep_rest(struct front *f, struct conn *c, const struct iovec *iov, int n,
    struct strbuf *own)
{
	size_t len = 0, at = 0;
	int i;

	if (own != NULL && n == 1) {
		if (!pending_take(f, own->len))
			return false;
		c->out_len = own->len;
		c->out_off = own->len - iov[0].iov_len;
		c->out = strbuf_take(own);
		return true;
	}
	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (!pending_take(f, len))
		return false;
	if ((c->out = malloc(len)) == NULL) {
		pending_return(f, len);
		return false;
	}
	for (i = 0; i < n; i++) {
		memcpy(c->out + at, iov[i].iov_base, iov[i].iov_len);
		at += iov[i].iov_len;
	}
	c->out_len = len;
	c->out_off = 0;
	return true;
}

/* Drops c's kept answer. */
static void
out_free(struct front *f, struct conn *c)
{
	if (c->out == NULL)
		return;
	pending_return(f, c->out_len);
	free(c->out);
	c->out = NULL;
}

/*
 * Sends the last bytes of the connection, the end of the stream in the
 * same segment (TCP_CORK holds the data until shutdown adds the FIN):
 * the client then reads the end with the answer and closes after us, so
 * the TIME_WAIT stays here. If the client closed first, its own side
 * would keep one per request and its connect() would slow down as they
 * pile up (bench/FINDINGS.md). What the socket does not take at once is
 * kept in c->out (keep_rest; `own', if not NULL, holds the body of iov's
 * last element, which may be kept rather than copied) and the end of the
 * stream waits for it; over the budget, this thread waits for the reader
 * as it always did.
 */
static bool
send_last(struct front *f, struct conn *c, struct iovec *iov, int n,
    struct strbuf *own)
{
	int one = 1;
	bool ok = true;

	(void)setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &one, sizeof(one));
	if (write_ready(c->fd, &iov, &n) < 0)
		ok = false;
	else if (n > 0 && keep_rest(f, c, iov, n, own))
		return true;
	else if (n > 0)
		ok = write_all(c->fd, iov, n);
	(void)shutdown(c->fd, SHUT_WR);
	return ok;
}

/*
 * Sends more of c's kept answer: 1 when it is all gone (and the stream
 * ended), 0 when the socket is full again, -1 on an error.
 */
static int
send_rest(struct front *f, struct conn *c)
{
	struct iovec one = { c->out + c->out_off, c->out_len - c->out_off };
	struct iovec *iov = &one;
	int n = 1;

	if (write_ready(c->fd, &iov, &n) < 0)
		return -1;
	if (n > 0) {
		c->out_off = c->out_len - one.iov_len;
		return 0;
	}
	out_free(f, c);
	(void)shutdown(c->fd, SHUT_WR);
	return 1;
}

/*
 * Sends one answer. body NULL: none (an error status says it all);
 * head_only: HEAD, the length of the body but not the body; own: the
 * buffer holding body, which the connection may take over (send_last),
 * or NULL.
 */
static bool
answer(struct front *f, struct conn *c, int status, const char *body,
    size_t len, bool head_only, struct strbuf *own)
{
	/* The DATE header changes once a second: each thread keeps its own. */
	static _Thread_local char date[64];
	static _Thread_local time_t dated;
	char head[512];
	struct iovec iov[2];
	struct tm tm;
	time_t t = time(NULL);
	int n;

	if (t != dated) {
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		dated = t;
	}
	n = snprintf(head, sizeof(head),
	    "HTTP/1.1 %d %s\r\n"
	    "CONTENT-LENGTH: %zu\r\n"
	    "%s"
	    "CONNECTION: close\r\n"
	    "DATE: %s\r\n"
	    "EXT:\r\n"
	    "SERVER: %s\r\n"
	    "\r\n",
	    status, reason(status), body != NULL ? len : 0,
	    body != NULL ? "CONTENT-TYPE: text/xml; charset=\"utf-8\"\r\n" : "",
	    date, f->server);
	iov[0].iov_base = head;
	iov[0].iov_len = (size_t)n;
	iov[1].iov_base = (void *)(uintptr_t)body;
	iov[1].iov_len = body != NULL && !head_only ? len : 0;
	if (iov[1].iov_len == 0)
		return send_last(f, c, iov, 1, NULL);
	return send_last(f, c, iov, 2, own);
}

/* An answer whose body (if any) stays the caller's. */
static bool
respond(struct front *f, struct conn *c, int status, const char *body,
    size_t len, bool head_only)
{
	return answer(f, c, status, body, len, head_only, NULL);
}

/* ---- GENA through libupnp ------------------------------------------------ */

static int
proxy_connect(const struct front *f)
{
	struct timeval tv = { FRONT_PROXY_MS / 1000, 0 };
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd;

	to.sin_addr = f->conf.upnp_addr;
	to.sin_port = htons(f->upnp_port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Hands the request to libupnp as it came and its answer back as it
 * goes: libupnp keeps the subscriptions and sends the events.
 */
static void
proxy(struct front *f, struct conn *c, size_t reqlen)
{
	struct iovec iov;
	char *ans;
	size_t n = 0;
	ssize_t r;
	int fd;

	if ((ans = malloc(FRONT_PROXY_MAX)) == NULL) {
		respond(f, c, 503, NULL, 0, false);
		return;
	}
	if ((fd = proxy_connect(f)) < 0) {
		respond(f, c, 503, NULL, 0, false);
		free(ans);
		return;
	}
	iov.iov_base = c->buf;
	iov.iov_len = reqlen;
	if (write_all(fd, &iov, 1)) {
		while (n < FRONT_PROXY_MAX &&
		    (r = read(fd, ans + n, FRONT_PROXY_MAX - n)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				break;
			n += (size_t)r;
		}
	}
	close(fd);
	if (n == 0)
		respond(f, c, 503, NULL, 0, false);
	else {
		iov.iov_base = ans;
		iov.iov_len = n;
		(void)send_last(f, c, &iov, 1, NULL);
	}
	free(ans);
}

/* ---- requests --------------------------------------------------------- */

static bool
is_xml(struct httpreq_str ct)
{
	static const char want[] = "text/xml";
	size_t n = sizeof(want) - 1;

	return ct.p != NULL && ct.len >= n &&
	    httpreq_eq((struct httpreq_str){ ct.p, n }, want) &&
	    (ct.len == n || ct.p[n] == ';' || ct.p[n] == ' ' ||
	    ct.p[n] == '\t');
}

static void
serve_soap(struct front *f, struct conn *c, const struct httpreq *r,
    const char *body, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	struct soapmsg m;
	struct httpreq_str path;
	int status;

	memset(&m, 0, sizeof(m));
	if (r->soapaction.p == NULL)
		status = 400;
	else if (!is_xml(r->content_type))
		status = 415;
	else if (!httpreq_path(r->target, &path))
		status = 400;
	else {
		switch (soapmsg_parse(&m, body, len)) {
		case SOAPMSG_OK:
			status = f->conf.soap(f->conf.ctx, path, r->soapaction,
			    &m, c->peer, &out);
			break;
		case SOAPMSG_ENOMEM:
			status = 503;
			break;
		default:
			status = 400;
			break;
		}
	}
	soapmsg_free(&m);
	if (out.nomem)
		status = 503;
	/* What the socket does not take at once stays in out's buffer. */
	if ((status == 200 || status == 500) && out.p != NULL)
		answer(f, c, status, out.p, out.len, false, &out);
	else
		respond(f, c, status, NULL, 0, false);
	strbuf_free(&out);
}

static void
serve_doc(struct front *f, struct conn *c, const struct httpreq *r)
{
	struct httpreq_str path;
	const char *doc = NULL;
	size_t len = 0;

	if (httpreq_path(r->target, &path))
		doc = f->conf.doc(f->conf.ctx, path, &len);
	if (doc == NULL)
		respond(f, c, 404, NULL, 0, false);
	else
		respond(f, c, 200, doc, len, r->method == HTTPREQ_HEAD);
}

/*
 * The body of a complete request: 0 and *body, *len when it is all here,
 * 1 when more must come, else the HTTP status to refuse it with.
 * A chunked body is decoded into *scratch, which the caller frees.
 */
static int
request_body(struct front *f, struct conn *c, const struct httpreq *r,
    const char **body, size_t *len, char **scratch)
{
	size_t have = c->len - r->head_len, out, used;
	int st;

	*body = c->buf + r->head_len;
	*len = 0;
	if (r->chunked) {
		if ((*scratch = malloc(have + 1)) == NULL)
			return 503;
		memcpy(*scratch, *body, have);
		st = httpreq_dechunk(*scratch, have, f->conf.max_body, &out,
		    &used);
		if (st == HTTPREQ_MORE)
			return 1;
		if (st != HTTPREQ_DONE)
			return 400;
		*body = *scratch;
		*len = out;
		return 0;
	}
	if (!r->has_length)
		return r->method == HTTPREQ_POST || r->method == HTTPREQ_MPOST ?
		    411 : 0;
	if (r->content_length > f->conf.max_body)
		return 413;
	if (have < r->content_length)
		return 1;
	*len = (size_t)r->content_length;
	return 0;
}

/*
 * A client that asked for it (Expect: 100-continue, RFC 9110 10.1.1) and
 * has sent none of its body yet waits for "100 Continue" before sending
 * it: .NET's HttpWebRequest, which some IGD clients use, waits 350 ms.
 * The head passed every check that needs no body, and a body too large
 * got 413 already (request_body).
 */
static void
send_continue(struct conn *c, const struct httpreq *r)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct iovec iov = { (void *)(uintptr_t)cont, sizeof(cont) - 1 };

	if (c->continued || r->minor < 1 || c->len > r->head_len ||
	    !httpreq_eq(r->expect, "100-continue"))
		return;
	c->continued = true;
	(void)write_all(c->fd, &iov, 1);
}

enum step { STEP_DONE, STEP_MORE, STEP_DRAIN };

/* What to do with the bytes so far; `eof': the client sent all it will. */
static enum step
handle(struct front *f, struct conn *c, bool eof)
{
	struct httpreq r;
	const char *body;
	char *scratch = NULL;
	size_t len;
	int status, st;

	st = httpreq_parse(c->buf, c->len, &r, &status);
	if (st == HTTPREQ_MORE && !eof)
		return STEP_MORE;
	if (st == HTTPREQ_MORE)
		status = 400;			/* cut short */
	if (st != HTTPREQ_DONE) {
		respond(f, c, status, NULL, 0, false);
		return STEP_DRAIN;
	}
	/*
	 * Outside the LAN (VC-47): with the WAN guard off, nothing else
	 * keeps such a peer from reading the descriptions or subscribing.
	 */
	if (f->conf.peer_ok != NULL &&
	    !f->conf.peer_ok(f->conf.ctx, c->peer)) {
		respond(f, c, 403, NULL, 0, false);
		return STEP_DRAIN;
	}
	/*
	 * DNS rebinding (CVE-2021-29462 in libupnp): a page from a name
	 * made to resolve to the gateway sends that name as Host, and the
	 * browser lets it read the answers. Control points send our
	 * address and port (SEC-02); a request without Host is let
	 * through (HTTP/1.0 needs none, and browsers always send one).
	 */
	if (r.host.p != NULL && !httpreq_host_is(r.host,
	    ntohl(f->conf.addr.s_addr), f->port)) {
		respond(f, c, 403, NULL, 0, false);
		return STEP_DRAIN;
	}
	status = request_body(f, c, &r, &body, &len, &scratch);
	if (status == 1 && !eof) {
		free(scratch);
		send_continue(c, &r);
		return STEP_MORE;
	}
	if (status == 1)
		status = 400;
	if (status != 0) {
		free(scratch);
		respond(f, c, status, NULL, 0, false);
		return STEP_DRAIN;
	}
	switch (r.method) {
	case HTTPREQ_POST:
	case HTTPREQ_MPOST:
		serve_soap(f, c, &r, body, len);
		break;
	case HTTPREQ_GET:
	case HTTPREQ_HEAD:
		serve_doc(f, c, &r);
		break;
	case HTTPREQ_SUBSCRIBE:
	case HTTPREQ_UNSUBSCRIBE:
		if (r.chunked)
			respond(f, c, 411, NULL, 0, false);
		else
			proxy(f, c, r.head_len + len);
		break;
	default:
		respond(f, c, 501, NULL, 0, false);
		break;
	}
	free(scratch);
	return STEP_DONE;
}

/*
 * Reads what there is, at most `room' more bytes. Returns false on EOF
 * or an error (the client sent all it will), true when it would block.
 */
static bool
read_more(struct conn *c, size_t limit)
{
	size_t want;
	ssize_t n;
	char *p;

	for (;;) {
		if (c->len == limit)
			return false;	/* as good as the end: refuse */
		if (c->cap - c->len < 4096 && c->cap < limit) {
			want = c->cap == 0 ? 4096 : c->cap * 2;
			if (want > limit)
				want = limit;
			if ((p = realloc(c->buf, want + 1)) == NULL)
				return false;
			c->buf = p;
			c->cap = want;
		}
		want = c->cap - c->len;
		n = read(c->fd, c->buf + c->len, want);
		if (n > 0) {
			c->len += (size_t)n;
			c->buf[c->len] = '\0';
			/*
			 * A short read took all there was: the request is
			 * probably complete, and if not, epoll says when
			 * the rest comes. Saves a read that would block.
			 */
			if ((size_t)n < want)
				return true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && errno == EAGAIN;
	}
}

/* Reads and drops input until the end; false when it came. */
static bool
drain(struct conn *c)
{
	char sink[4096];
	ssize_t n;

	while ((n = read(c->fd, sink, sizeof(sink))) > 0 ||
	    (n < 0 && errno == EINTR))
		;
	return n < 0 && errno == EAGAIN;
}

/*
 * After an answer (which ended our side): what the client still sends is read
 * and dropped for a while, so that closing does not reset the connection
 * before the client has read the answer.
 */
static bool
start_drain(struct conn *c)
{
	c->draining = true;
	c->deadline = clock_now_ms() + FRONT_DRAIN_MS;
	return drain(c);
}

static void
conn_event(struct front *f, struct conn *c)
{
	size_t limit = HTTPREQ_HEAD_MAX + 2 * f->conf.max_body + 4096;
	enum step step;
	bool open, doomed;

	pthread_mutex_lock(&f->lock);
	c->busy = true;
	doomed = c->doomed;
	pthread_mutex_unlock(&f->lock);
	if (doomed) {
		conn_free(f, c);
		return;
	}
	if (c->out != NULL) {
		switch (send_rest(f, c)) {
		case 0:
			open = true;
			break;
		case 1:
			open = c->drain_after && start_drain(c);
			break;
		default:
			open = false;
			break;
		}
	} else if (c->draining)
		open = drain(c);
	else {
		open = read_more(c, limit);
		step = handle(f, c, !open);
		if (step != STEP_MORE && c->out != NULL) {
			/* The answer waits for its reader, then as below. */
			c->drain_after = open && step == STEP_DRAIN;
			c->deadline = clock_now_ms() + FRONT_WRITE_MS;
			open = true;
		} else if (step == STEP_DRAIN)
			open = open && start_drain(c);
		else if (step == STEP_DONE)
			open = false;
	}
	if (!open || !conn_arm(f, c))
		conn_free(f, c);
}

/* ---- threads ------------------------------------------------------------ */

static void *
front_thread(void *arg)
{
	struct front_thread *t = arg;
	struct front *f = t->f;
	struct epoll_event ev;
	int n;

	for (;;) {
		n = epoll_wait(t->ep, &ev, 1, FRONT_SWEEP_MS);
		if (n < 0 && errno != EINTR)
			break;
		if (n == 1 && ev.data.ptr == f)
			break;			/* front_close */
		if (n == 1 && ev.data.ptr == NULL)
			accept_some(f);
		else if (n == 1 && epoll_wait(f->armed, &ev, 1, 0) == 1)
			conn_event(f, ev.data.ptr);	/* or another took it */
		sweep(f);
	}
	return NULL;
}

int
front_open(struct front **fp, const struct front_conf *conf)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct epoll_event ev, armed = { .events = EPOLLIN };
	struct utsname u;
	struct front *f;
	socklen_t sl = sizeof(sin);
	size_t i;
	int one = 1, e;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->conf = *conf;
	f->lfd = f->wake = f->armed = -1;
	armed.data.ptr = &f->armed;		/* neither f nor NULL */
	for (i = 0; i < FRONT_THREADS; i++)
		f->threads[i].ep = -1;
	pthread_mutex_init(&f->lock, NULL);
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	snprintf(f->server, sizeof(f->server), "Linux/%.40s UPnP/1.0 %s/%s",
	    u.release, PACKAGE_NAME, PACKAGE_VERSION);
	sin.sin_addr = conf->addr;
	sin.sin_port = htons(conf->port);
	if ((f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(f->lfd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) < 0 ||
	    bind(f->lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(f->lfd, FRONT_BACKLOG) < 0 ||
	    getsockname(f->lfd, (struct sockaddr *)&sin, &sl) < 0 ||
	    (f->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0 ||
	    (f->armed = epoll_create1(EPOLL_CLOEXEC)) < 0)
		goto fail;
	f->port = ntohs(sin.sin_port);
	/* Level-triggered: once written, every thread sees it and leaves. */
	ev.events = EPOLLIN;
	ev.data.ptr = f;
	for (i = 0; i < FRONT_THREADS; i++) {
		f->threads[i].f = f;
		if ((f->threads[i].ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
		    epoll_ctl(f->threads[i].ep, EPOLL_CTL_ADD, f->wake,
		    &ev) < 0 ||
		    epoll_ctl(f->threads[i].ep, EPOLL_CTL_ADD, f->armed,
		    &armed) < 0)
			goto fail;
	}
	*fp = f;
	return 0;
fail:
	e = errno;
	front_close(f);
	errno = e;
	return -1;
}

uint16_t
front_port(const struct front *f)
{
	return f->port;
}

int
front_start(struct front *f, uint16_t upnp_port)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE,
	    .data.ptr = NULL };
	size_t i;
	int e;

	f->upnp_port = upnp_port;
	for (i = 0; i < FRONT_THREADS; i++)
		if (epoll_ctl(f->threads[i].ep, EPOLL_CTL_ADD, f->lfd, &ev) < 0)
			return -1;
	for (; f->nthreads < FRONT_THREADS; f->nthreads++) {
		e = pthread_create(&f->threads[f->nthreads].thread, NULL,
		    front_thread, &f->threads[f->nthreads]);
		if (e != 0) {
			errno = e;
			return -1;
		}
	}
	return 0;
}

void
front_close(struct front *f)
{
	uint64_t one = 1;
	struct conn *c;
	size_t i;

	if (f == NULL)
		return;
	/* One write cannot fail: the counter is far from overflowing. */
	if (f->wake >= 0)
		(void)!write(f->wake, &one, sizeof(one));
	for (i = 0; i < f->nthreads; i++)
		pthread_join(f->threads[i].thread, NULL);
	while ((c = f->head) != NULL)
		conn_free(f, c);
	if (f->lfd >= 0)
		close(f->lfd);
	for (i = 0; i < FRONT_THREADS; i++)
		if (f->threads[i].ep >= 0)
			close(f->threads[i].ep);
	if (f->wake >= 0)
		close(f->wake);
	if (f->armed >= 0)
		close(f->armed);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
