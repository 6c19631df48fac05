/*
 * dns: bounded IPv4 lookups with glibc's getaddrinfo_a.
 */
#include "dns.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <time.h>

int
dns_resolve4(const char *name, struct in_addr *out, unsigned timeout_ms)
{
	struct addrinfo hints, *res;
	struct gaicb req, *list[1] = { &req };
	struct timespec ts = { timeout_ms / 1000,
	    (long)(timeout_ms % 1000) * 1000000L };
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	memset(&req, 0, sizeof(req));
	req.ar_name = name;
	req.ar_request = &hints;
	if (getaddrinfo_a(GAI_NOWAIT, list, 1, NULL) != 0)
		return -1;
	while ((rc = gai_suspend((const struct gaicb *const *)list, 1,
	    &ts)) == EAI_INTR)
		;
	if (rc != 0 || gai_error(&req) != 0) {
		/* Not done in time: cancel, or wait for the worker to let go. */
		if (gai_cancel(&req) == EAI_NOTCANCELED)
			while (gai_error(&req) == EAI_INPROGRESS)
				gai_suspend((const struct gaicb *const *)list,
				    1, NULL);
		if (req.ar_result != NULL)
			freeaddrinfo(req.ar_result);
		return -1;
	}
	res = req.ar_result;
	memcpy(out, &((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr,
	    sizeof(*out));
	freeaddrinfo(res);
	return 0;
}
