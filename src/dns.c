/*
 * dns: bounded IPv4 lookups with glibc's getaddrinfo_a.
 *
 * glibc cannot always cancel a lookup in progress, and its worker thread
 * keeps using the request until it is done.  So each request lives on the
 * heap; one that outlives its timeout is parked and freed once it
 * finishes.  At most DNS_PARKED_MAX can be parked: beyond that a new name
 * is refused at once, so a control point sending names that never resolve
 * cannot make the daemon allocate without bound.
 *
 * At most DNS_WAITING_MAX threads wait for a lookup at once; another name
 * is refused at once (EBUSY). The front serves every client from three
 * threads (front.h), so names that never resolve, sent on several
 * connections, must not hold them all for the whole timeout.
 */
#include "dns.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DNS_PARKED_MAX	8
#define DNS_WAITING_MAX	1

struct dns_req {
	struct gaicb	 cb;
	struct addrinfo	 hints;
	char		 name[256];
};

static pthread_mutex_t	 parked_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dns_req	*parked[DNS_PARKED_MAX];
static unsigned		 waiting;	/* threads in dns_resolve4 */

static void
req_free(struct dns_req *r)
{
	if (r->cb.ar_result != NULL)
		freeaddrinfo(r->cb.ar_result);
	free(r);
}

/* Frees finished parked requests; returns how many slots are free. */
static size_t
reap_locked(void)
{
	size_t i, free_slots = 0;

	for (i = 0; i < DNS_PARKED_MAX; i++) {
		if (parked[i] != NULL &&
		    gai_error(&parked[i]->cb) != EAI_INPROGRESS) {
			req_free(parked[i]);
			parked[i] = NULL;
		}
		if (parked[i] == NULL)
			free_slots++;
	}
	return free_slots;
}

/* Parks an unfinished request, or frees it if it is done after all. */
static void
park(struct dns_req *r)
{
	size_t i;

	if (gai_cancel(&r->cb) != EAI_NOTCANCELED) {
		req_free(r);
		return;
	}
	pthread_mutex_lock(&parked_lock);
	for (i = 0; i < DNS_PARKED_MAX && parked[i] != NULL; i++)
		;
	/* dns_resolve4 checked a slot was free; keep it safe anyway. */
	if (i < DNS_PARKED_MAX)
		parked[i] = r;
	pthread_mutex_unlock(&parked_lock);
}

/* Waits for the lookup r; 0 and *out when it resolved in time. */
static int
lookup(struct dns_req *r, struct in_addr *out, unsigned timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000,
	    (long)(timeout_ms % 1000) * 1000000L };
	struct gaicb *list[1] = { &r->cb };
	int rc;

	r->hints.ai_family = AF_INET;
	r->hints.ai_socktype = SOCK_STREAM;
	r->cb.ar_name = r->name;
	r->cb.ar_request = &r->hints;
	if (getaddrinfo_a(GAI_NOWAIT, list, 1, NULL) != 0) {
		free(r);
		return -1;
	}
	while ((rc = gai_suspend((const struct gaicb *const *)list, 1,
	    &ts)) == EAI_INTR)
		;
	/* EAI_ALLDONE: the lookup finished before gai_suspend was called. */
	if ((rc != 0 && rc != EAI_ALLDONE) || gai_error(&r->cb) != 0 ||
	    r->cb.ar_result == NULL) {
		park(r);
		return -1;
	}
	memcpy(out, &((struct sockaddr_in *)(void *)r->cb.ar_result->
	    ai_addr)->sin_addr, sizeof(*out));
	req_free(r);
	return 0;
}

int
dns_resolve4(const char *name, struct in_addr *out, unsigned timeout_ms)
{
	struct dns_req *r;
	size_t slots;
	int rc, e;

	if (strlen(name) >= sizeof(r->name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	pthread_mutex_lock(&parked_lock);
	if (waiting >= DNS_WAITING_MAX) {
		pthread_mutex_unlock(&parked_lock);
		errno = EBUSY;
		return -1;
	}
	slots = reap_locked();
	if (slots > 0)
		waiting++;
	pthread_mutex_unlock(&parked_lock);
	if (slots == 0) {
		errno = EAGAIN;
		return -1;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rc = -1;
		e = ENOMEM;
	} else {
		memcpy(r->name, name, strlen(name) + 1);
		rc = lookup(r, out, timeout_ms);	/* r is gone after */
		e = ENOENT;
	}
	pthread_mutex_lock(&parked_lock);
	waiting--;
	pthread_mutex_unlock(&parked_lock);
	if (rc < 0)
		errno = e;
	return rc;
}

void
dns_warm_up(void)
{
	struct addrinfo hints, *res = NULL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_flags = AI_NUMERICSERV;
	if (getaddrinfo("localhost", "1", &hints, &res) == 0)
		freeaddrinfo(res);
}
