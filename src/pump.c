/*
 * pump: see pump.h. A canary connection sends nothing and shuts down its
 * sending side at once, so the worker that takes it reads end-of-file,
 * answers 400 and closes: it is served the moment a worker takes it, and
 * holds that worker for no time. Our socket turning readable (the answer
 * or the close) says a worker took it.
 */

#include <sys/eventfd.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pump.h"

/*
 * A request queued at the wrong moment waits at most about one period,
 * plus PUMP_WAIT_MS per worker the pool still has to grow by; the period
 * costs one loopback connection each time.
 */
#define PUMP_PERIOD_MS	250
#define PUMP_WAIT_MS	50
/*
 * libupnp 1.8.4's pool holds at most 12 threads; canaries beyond that
 * would only queue, and the queue holds 100 connections for everyone.
 */
#define PUMP_MAX	12

struct pump {
	pthread_t		 thread;
	int			 wake;		/* eventfd: pump_stop */
	struct sockaddr_in	 to;
	int			 fds[PUMP_MAX];	/* canaries not served yet */
	size_t			 n;
};

/*
 * Open a canary: connect (over loopback this completes at once unless
 * the listen queue is full), then end our side. -1 when it cannot be
 * opened in PUMP_WAIT_MS.
 */
static int
canary_open(const struct sockaddr_in *to)
{
	struct pollfd	 pfd;
	int		 fd, e;
	socklen_t	 len = sizeof(e);

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) == -1) {
		if (errno != EINPROGRESS)
			goto fail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, PUMP_WAIT_MS) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1 ||
		    e != 0)
			goto fail;
	}
	if (shutdown(fd, SHUT_WR) == -1)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* 1 when a worker has taken fd (it is readable or closed), else 0. */
static int
canary_served(int fd, int wait_ms)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, wait_ms) == 1;
}

/* Close the canaries that were served; keep the others queued. */
static void
reap(struct pump *p)
{
	size_t	 i = 0;

	while (i < p->n) {
		if (canary_served(p->fds[i], 0)) {
			close(p->fds[i]);
			p->fds[i] = p->fds[--p->n];
		} else
			i++;
	}
}

/*
 * One round: a canary; while it waits, another, and so on, each growing
 * a busy pool by a worker, until one is served or PUMP_MAX wait.
 */
static void
pump_round(struct pump *p)
{
	int	 fd;

	reap(p);
	while (p->n < PUMP_MAX) {
		if ((fd = canary_open(&p->to)) == -1)
			return;
		p->fds[p->n++] = fd;
		if (canary_served(fd, PUMP_WAIT_MS)) {
			reap(p);
			return;
		}
	}
}

static void *
pump_main(void *arg)
{
	struct pump	*p = arg;
	struct pollfd	 pfd = { .fd = p->wake, .events = POLLIN };
	int		 rc;

	for (;;) {
		rc = poll(&pfd, 1, PUMP_PERIOD_MS);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc != 0)
			break;		/* pump_stop, or poll failed */
		pump_round(p);
	}
	return NULL;
}

int
pump_start(struct pump **pp, struct in_addr addr, uint16_t port)
{
	struct pump	*p;
	int		 e;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	p->to.sin_family = AF_INET;
	p->to.sin_addr = addr;
	p->to.sin_port = htons(port);
	if ((p->wake = eventfd(0, EFD_CLOEXEC)) == -1) {
		free(p);
		return -1;
	}
	if ((e = pthread_create(&p->thread, NULL, pump_main, p)) != 0) {
		close(p->wake);
		free(p);
		errno = e;
		return -1;
	}
	*pp = p;
	return 0;
}

void
pump_stop(struct pump *p)
{
	uint64_t	 one = 1;
	size_t		 i;

	if (p == NULL)
		return;
	/* An 8-byte eventfd write fails only on counter overflow. */
	while (write(p->wake, &one, sizeof(one)) == -1 && errno == EINTR)
		;
	pthread_join(p->thread, NULL);
	for (i = 0; i < p->n; i++)
		close(p->fds[i]);
	close(p->wake);
	free(p);
}
