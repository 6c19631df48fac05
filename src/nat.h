/*
 * nat: the gateway's port mappings, with the table (portmap, the truth)
 * and the kernel (fw) kept in step: every change installs or removes the
 * rules first and touches the table only if the kernel agreed, or rolls
 * the table back, so the two never disagree (issue 4).  Also counts
 * SystemUpdateID (one increment per occurrence, WIC-049) and runs the
 * lease timer.  Every nat_* function except the timer's start and stop
 * runs with the gateway lock held (hence _locked).
 */
#ifndef IGD2D_NAT_H
#define IGD2D_NAT_H

#include <stddef.h>
#include <stdint.h>

#include "portmap.h"

struct gw;

enum nat_status {
	NAT_OK,
	NAT_CONFLICT,		/* AddPortMapping rows 13/15: 718 */
	NAT_FOREIGN,		/* another mechanism holds the port: 729 */
	NAT_NOT_FOUND,		/* 714 / 713 / 730 depending on the action */
	NAT_NO_PORTS,		/* 728 */
	NAT_FULL,		/* 728 */
	NAT_KERNEL,		/* the kernel refused: 501 */
	NAT_NOMEM		/* 603 */
};

/* Why a status was reached, for the log line of the caller. */
const char	*nat_status_name(enum nat_status st);

enum nat_add_mode {
	NAT_ADD,		/* the port as asked: out-of-band entries */
	NAT_ADD_EXCL,		/* the same, unless another rule claims it */
	NAT_ADD_ANY		/* AddAnyPortMapping: any port `allowed' takes */
};

/*
 * AddPortMapping (NAT_ADD_EXCL: NAT_FOREIGN when another mechanism holds
 * the port, see nat_port_claimed_locked) / AddAnyPortMapping (NAT_ADD_ANY), lease
 * in seconds (PORTMAP_STATIC for out-of-band entries): the table decides
 * (portmap_add / portmap_add_any), the kernel follows.  For NAT_ADD_ANY
 * the ports the caller may not get are those `allowed' rejects.  *out is
 * the stored entry (for NAT_ADD_ANY, out->key.eport is NewReservedPort).
 */
enum nat_status	 nat_add_locked(struct gw *gw, const struct mapping *req,
		    uint32_t lease, enum nat_add_mode mode,
		    portmap_port_fn allowed, void *arg, struct mapping *out);

/*
 * VC-11: whether another mechanism holds the port: a socket of the
 * gateway listening on it for the WAN, or a DNAT/REDIRECT rule outside
 * our chains (an unreadable table counts).  NAT_ADD_EXCL checks the same.
 */
bool		 nat_port_claimed_locked(struct gw *gw,
		    enum portmap_proto proto, uint16_t port);

/* DeletePortMapping of exactly this key. */
enum nat_status	 nat_delete_locked(struct gw *gw,
		    const struct portmap_key *key);

/*
 * DeletePortMappingRange: every entry `may' accepts goes, or none does
 * (WIC-188).  *deleted is how many (0: NAT_NOT_FOUND).
 */
enum nat_status	 nat_delete_range_locked(struct gw *gw,
		    enum portmap_proto proto, uint16_t start, uint16_t end,
		    portmap_filter_fn may, void *arg, size_t *deleted);

/*
 * Installs (on) or withdraws every enabled mapping's rules, keeping the
 * table (emulate mode while the connection is down, VC-45).  While off,
 * new mappings go into the table without rules.
 */
void		 nat_set_forwarding_locked(struct gw *gw, bool on);

/*
 * The connection state changed by `bits' (CONN_CHANGED_*): in emulate
 * mode the rules are withdrawn or restored with the connection; that, or
 * a new external address with mappings in the table, is one
 * SystemUpdateID increment (VC-45).  The bits are kept in gw for the
 * events sent when the current action or tick ends.
 */
void		 nat_conn_changed_locked(struct gw *gw, unsigned bits);

/*
 * Removes every mapping whose lease has run out by `now' (lease ticks:
 * the table keeps lease ends in clock_ticks() units, a quarter second).
 */
void		 nat_expire_locked(struct gw *gw, uint32_t now);

/*
 * Deletes every mapping `which' selects (both protocols), as one
 * occurrence; *deleted (may be NULL) is how many.  A rule the kernel
 * refuses to drop is logged and the entry removed anyway (the caller is
 * taking it out of service: a reload, a flush).
 */
void		 nat_remove_if_locked(struct gw *gw, portmap_filter_fn which,
		    void *arg, size_t *deleted);

/*
 * Changes between begin and end count as one occurrence: one
 * SystemUpdateID increment at the end if anything changed (a reload, a
 * flush, the restore at start).  Not nested.
 */
void		 nat_batch_begin_locked(struct gw *gw);
void		 nat_batch_end_locked(struct gw *gw);

/* Seconds of lease left, rounded up, as the Get* actions report them. */
uint32_t	 nat_remaining(const struct mapping *m);

/*
 * True once per occurrence that changed the mappings since the last call,
 * with the values to event together (WIC-047): PortMappingNumberOfEntries
 * and SystemUpdateID.
 */
bool		 nat_take_change_locked(struct gw *gw, unsigned *entries,
		    uint32_t *system_update_id);

/*
 * After a change made outside a SOAP action (igd2ctl, a reload, the
 * start): events the mappings if they changed, then saves the lease file.
 * Called without the gateway lock.
 */
void		 nat_flush_changes(struct gw *gw);

/*
 * The lease timer: a thread that sleeps until the next lease end or a
 * change, expires what is due and sends the events.  0 or -1.
 */
int		 nat_timer_start(struct gw *gw);
void		 nat_timer_stop(struct gw *gw);

/*
 * At stop, once the rules are gone: directed-broadcast forwarding back as
 * it was before the first mapping to 255.255.255.255 (VC-06).
 */
void		 nat_stop(struct gw *gw);

#endif
