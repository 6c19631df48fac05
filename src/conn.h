/*
 * conn: the WANIPConnection connection state as control points see it
 * (ConnectionStatus, LastConnectionError, Uptime, ExternalIPAddress).
 * Pure: the shell reports what it observed of the WAN interface and the
 * time; conn says what changed.  Today only the "monitor" reading of a
 * real router (VC-35): the status follows link and IPv4 address.  The
 * full state machine with timers and the lab "emulate" mode is issue 9.
 */
#ifndef IGD2D_CONN_H
#define IGD2D_CONN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum conn_status {
	CONN_UNCONFIGURED,
	CONN_CONNECTING,
	CONN_CONNECTED,
	CONN_PENDING_DISCONNECT,
	CONN_DISCONNECTING,
	CONN_DISCONNECTED
};

struct conn {
	enum conn_status status;
	const char	*last_error;	/* a Table 2-5 value */
	uint32_t	 since;		/* when it became Connected */
	bool		 has_addr;	/* ExternalIPAddress is known */
	struct in_addr	 addr;
};

/* What the shell saw of the WAN interface. */
struct conn_link {
	bool		exists, up, running, has_addr;
	struct in_addr	addr;
};

#define CONN_CHANGED_STATUS	0x1	/* ConnectionStatus (evented) */
#define CONN_CHANGED_ADDR	0x2	/* ExternalIPAddress (evented) */

/* Starts in Unconfigured with no address.  Cannot fail. */
void	conn_init(struct conn *c);

/*
 * Applies an observation at time now; returns the CONN_CHANGED_* bits of
 * the evented variables that changed.
 */
unsigned conn_observe(struct conn *c, const struct conn_link *l, uint32_t now);

/* Seconds Connected (0 when not Connected). */
uint32_t conn_uptime(const struct conn *c, uint32_t now);

/* ExternalIPAddress: dotted quad or "" (never 0.0.0.0, WIC-023). */
void	conn_external_ip(const struct conn *c, char *buf, size_t len);

const char *conn_status_name(enum conn_status s);

#endif
