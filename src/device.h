/*
 * device: the pupnp glue.  Starts the SDK on the LAN interface, writes and
 * serves the descriptions, registers the root device (byebye before the
 * first alive), dispatches action and subscription callbacks to the
 * services under the gateway lock, and sends events after releasing it.
 * The only module that calls Upnp* functions.
 */
#ifndef IGD2D_DEVICE_H
#define IGD2D_DEVICE_H

#include "gw.h"

/* http_port = 0: the first free port from here (libupnp's habit). */
#define DEVICE_HTTP_PORT_FIRST	49152u
#define DEVICE_HTTP_PORT_TRIES	100

/*
 * Starts libupnp on cfg.lan_interface (waiting up to cfg.lan_wait seconds
 * for the interface to be ready); gw->ip and gw->port then hold what it
 * bound.  Nothing is published yet.  Returns 0, or -1 after logging why.
 */
int	device_init(struct gw *gw);

/*
 * Writes the descriptions, registers the root device and advertises
 * (byebye first).  Returns 0, or -1 after logging why (libupnp is then
 * shut down).
 */
int	device_publish(struct gw *gw);

/* Sends ssdp:byebye, unregisters and shuts libupnp down.  Idempotent. */
void	device_stop(struct gw *gw);

/*
 * Re-reads the WAN and LAN interfaces and events what changed
 * (ConnectionStatus, ExternalIPAddress, PhysicalLinkStatus).  Called by
 * the main loop once a second.
 */
void	device_poll(struct gw *gw);

/*
 * Milliseconds until device_poll() should run again: 0 when the
 * connection has a state to leave at once, else 1000 (counters are read
 * every second for the idle timer).
 */
int	device_next_tick_ms(struct gw *gw);

/*
 * Events leave in the order of the changes they report: with the gateway
 * lock held, device_events_begin_locked() takes the event lock and drops
 * the gateway lock; device_events_end() drops the event lock once the
 * events are queued.  Without it two actions finishing together could
 * queue SystemUpdateID 6 before 5 (the soak saw it, doc/ROBUSTNESS.md).
 * Lock order: gateway lock, event lock, then pupnp's own.
 */
void	device_events_begin_locked(struct gw *gw);
void	device_events_end(struct gw *gw);

/*
 * Events PortMappingNumberOfEntries and SystemUpdateID together, in one
 * NOTIFY (WIC-047).  Called with the event lock held, not the gateway lock.
 */
void	device_notify_mappings(struct gw *gw, unsigned entries,
	    uint32_t system_update_id);

#endif
