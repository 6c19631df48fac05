/*
 * front: the daemon's own HTTP server on the advertised port (issue 7).
 *
 * libupnp 1.8.4 parses every SOAP request into an ixml document twice and
 * hands each connection from its server thread to a worker: about 80% of
 * the instructions of a GetExternalIPAddress (bench/FINDINGS.md). The
 * front answers the control URLs itself (httpreq, soapmsg, no ixml),
 * serves the descriptions from memory, and passes GENA requests
 * (SUBSCRIBE, UNSUBSCRIBE) to libupnp's own server, which listens on an
 * internal port of the LAN address (the guard drops it but on lo: only
 * the front connects to it).
 *
 * A few threads: an idle one accepts each new connection and reads it at
 * once; a connection that needs more bytes waits in a set any idle
 * thread takes it from, so none waits behind a thread busy with a slow
 * action. A connection is read without blocking, so a client that sends
 * slowly holds no thread, and is closed when its request is not complete
 * within FRONT_REQUEST_MS. Neither does one that reads slowly: what the
 * socket does not take of an answer waits in the connection, in the same
 * set, for room. The request is answered by the thread that
 * read its last byte, and the connection is closed after one answer
 * (Connection: close).
 */
#ifndef IGD2D_FRONT_H
#define IGD2D_FRONT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "httpreq.h"
#include "soapmsg.h"
#include "strbuf.h"

#define FRONT_REQUEST_MS	10000	/* a whole request, from accept */
#define FRONT_MAX_CONNS		256	/* open at once; the oldest goes */

struct front;

struct front_conf {
	struct in_addr	 addr;		/* listen here (the LAN address) */
	uint16_t	 port;		/* 0: any free port */
	struct in_addr	 upnp_addr;	/* libupnp's server, for GENA */
	size_t		 max_body;	/* SOAP bodies above: 413 */
	void		*ctx;
	/*
	 * Runs one SOAP action: `path' and `soapaction' as the request
	 * carried them, the parsed body and the peer. Writes the answer's
	 * body to `out' and returns the HTTP status (200, 500 with a UPnP
	 * fault, 400 or 404 with no body).
	 */
	int		(*soap)(void *ctx, struct httpreq_str path,
			    struct httpreq_str soapaction,
			    const struct soapmsg *m, struct in_addr peer,
			    struct strbuf *out);
	/* The document at `path', or NULL (404). */
	const char	*(*doc)(void *ctx, struct httpreq_str path,
			    size_t *len);
	/*
	 * Whether `peer' may be served at all; every request from one
	 * that may not gets 403, before anything else is looked at
	 * (VC-47). NULL: every peer may.
	 */
	bool		(*peer_ok)(void *ctx, struct in_addr peer);
};

/*
 * Binds and listens (so the port is known and taken), without serving
 * yet. Returns 0, or -1 with errno set.
 */
int		 front_open(struct front **fp, const struct front_conf *c);

/* The port it listens on. */
uint16_t	 front_port(const struct front *f);

/*
 * Starts the threads: requests are served from now on; GENA goes to
 * upnp_addr:upnp_port (libupnp's port is known only once it runs).
 */
int		 front_start(struct front *f, uint16_t upnp_port);

/* Stops the threads, closes every connection, frees f. f may be NULL. */
void		 front_close(struct front *f);

#endif
