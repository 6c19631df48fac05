/*
 * pump: keeps libupnp 1.8.4's HTTP worker pool growing while slow clients
 * hold its workers (issue 8). The pool starts a worker only when it
 * accepts a connection while every worker is busy, and the new worker
 * takes the oldest queued connection; connections accepted in a burst
 * therefore queue behind workers held for up to 30 s, although the pool
 * could still grow. The pump is a thread that, every PUMP_PERIOD_MS,
 * opens a connection to the daemon's own HTTP port (over loopback, so the
 * firewall's per-source limits do not count it) and, while that is not
 * served within PUMP_WAIT_MS, opens another: each one accepted while the
 * pool is busy starts a worker. At most PUMP_MAX are outstanding.
 *
 * Never logs; the only state is its own.
 */
#ifndef IGD2D_PUMP_H
#define IGD2D_PUMP_H

#include <netinet/in.h>
#include <stdint.h>

struct pump;

/*
 * Start pumping addr:port (the address and port libupnp serves on).
 * Returns 0, or -1 with errno set and *pp untouched.
 */
int	pump_start(struct pump **pp, struct in_addr addr, uint16_t port);

/* Stop the thread, close its connections, free p. p may be NULL. */
void	pump_stop(struct pump *p);

#endif
