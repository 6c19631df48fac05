/*
 * portmap: the port-mapping table of one WANIPConnection: entries, conflict
 * rules (§2.5.16, §2.5.17), free-port choice, leases, the GetGeneric index
 * and the ordered listing.  No I/O, no clock, no logging, no UPnP codes:
 * callers pass `now' (monotonic seconds) and hold the gateway lock, and the
 * service maps each status to the code of its action.
 *
 * Costs, n entries: lookup by key O(log n) (AVL tree on the key); add
 * O(log n + k) where k is the number of entries on the same (protocol,
 * external port), one per RemoteHost; delete O(n) (the index is compacted,
 * WIC-055); portmap_at O(1); list O(log n + k); expiry O(log n) per entry
 * plus one O(n) compaction.  The table itself holds any number of entries
 * up to its limit; PortMappingNumberOfEntries is a ui2, so the configured
 * limit should not exceed 65535 (VC-21).
 */
#ifndef IGD2D_PORTMAP_H
#define IGD2D_PORTMAP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PORTMAP_DESC_MAX	256		/* bytes, no NUL (VC-25) */
#define PORTMAP_STATIC		0u		/* lease: never expires */
#define PORTMAP_NEVER		UINT32_MAX	/* `expires' if static */
#define PORTMAP_LEASE_MAX	604800u		/* a CP's 0 (WIC-061) */

enum portmap_proto {
	PORTMAP_TCP,
	PORTMAP_UDP
};

/* Who made an entry.  Only UPNP entries can be touched through UPnP. */
enum portmap_origin {
	PORTMAP_ORIGIN_UPNP,		/* a control point's Add action */
	PORTMAP_ORIGIN_ADMIN,		/* control socket (igd2ctl) */
	PORTMAP_ORIGIN_CONFIG		/* configuration file */
};

enum portmap_status {
	PORTMAP_OK,
	PORTMAP_CONFLICT,	/* (proto, eport) held for another client */
	PORTMAP_FOREIGN,	/* (proto, eport) held by ADMIN/CONFIG */
	PORTMAP_NOT_FOUND,	/* no such key, or index >= count */
	PORTMAP_NO_PORTS,	/* add_any: no port qualifies */
	PORTMAP_FULL,		/* the table holds its maximum */
	PORTMAP_NOMEM,		/* out of memory; table unchanged */
	PORTMAP_INVALID		/* breaks the contract (see add) */
};

/* What a successful add did (for SystemUpdateID, VC-12). */
enum portmap_change {
	PORTMAP_CREATED,	/* a new entry */
	PORTMAP_UPDATED,	/* overwrite that changed more than the lease */
	PORTMAP_REFRESHED	/* overwrite that changed only the lease */
};

/* An entry's identity (WIC-057).  remote_host 0.0.0.0 is the wildcard "". */
struct portmap_key {
	struct in_addr	remote_host;
	uint16_t	eport;
	enum portmap_proto proto;
};

/* One entry, as a value: callers get copies, never pointers into the table. */
struct mapping {
	struct portmap_key key;
	struct in_addr	internal_client;
	uint16_t	internal_port;
	bool		enabled;	/* false: no forwarding (WIC-059) */
	char		desc[PORTMAP_DESC_MAX + 1];
	uint32_t	expires;	/* lease end (mono s); PORTMAP_NEVER */
	enum portmap_origin origin;
	struct in_addr	creator;	/* CP that created it (VC-06) */
};

/* Port predicate for add_any: true if `port' may be handed out. */
typedef bool	(*portmap_port_fn)(uint16_t port, void *arg);
/* Entry predicate for list and delete_range: true if the caller may. */
typedef bool	(*portmap_filter_fn)(const struct mapping *m, void *arg);
/* Receives each listed entry. */
typedef void	(*portmap_entry_fn)(const struct mapping *m, void *arg);

/* An empty table for at most max entries, or NULL when out of memory. */
struct portmap	*portmap_new(size_t max);
void		 portmap_free(struct portmap *pm);

/* Changes the limit (config reload); a lower limit deletes nothing. */
void		 portmap_set_max(struct portmap *pm, size_t max);
size_t		 portmap_count(const struct portmap *pm);

/*
 * AddPortMapping (result table of §2.5.16, WIC-163).  req gives the key
 * and every field but `expires'; lease is the lease in seconds, or
 * PORTMAP_STATIC, which only ADMIN and CONFIG requests may use (WIC-062:
 * the service turns a CP's 0 into PORTMAP_LEASE_MAX first).
 *
 * Against every entry with the same (protocol, external port), whatever
 * its RemoteHost:
 *   - a UPNP request meeting an ADMIN/CONFIG entry: PORTMAP_FOREIGN (VC-11:
 *     not even the same client can overwrite or refresh a static entry);
 *     this wins over PORTMAP_CONFLICT;
 *   - another InternalClient: PORTMAP_CONFLICT (rows 13, 15);
 *   - same InternalClient, same RemoteHost: overwrite (row 16): internal
 *     port, enabled, description, origin and lease are replaced; key,
 *     creator and GetGeneric index are kept (VC-22);
 *   - same InternalClient, other RemoteHost: a new entry beside it (row 14,
 *     VC-07).
 * A different protocol or external port never conflicts (rows 1-12).  For
 * InternalClient 255.255.255.255, "same InternalClient" also needs the same
 * creator (VC-06), so one CP cannot take over another's broadcast mapping.
 *
 * PORTMAP_FULL when a new entry is needed and count >= max; an overwrite
 * succeeds at the limit.  PORTMAP_INVALID for a protocol other than TCP or
 * UDP, external or internal port 0, InternalClient 0.0.0.0, a description
 * with no NUL within PORTMAP_DESC_MAX + 1 bytes, or a static UPNP request.
 * On success *out (may be NULL) is the stored entry and *change (may be
 * NULL) says what happened; on failure the table is unchanged.
 */
enum portmap_status portmap_add(struct portmap *pm, const struct mapping *req,
	    uint32_t lease, uint32_t now, struct mapping *out,
	    enum portmap_change *change);

/*
 * AddAnyPortMapping (result table of §2.5.17, WIC-175).  The requested port
 * is tried first, with portmap_add's rules (so rows 14 and 16 keep it);
 * if those refuse it (CONFLICT or FOREIGN) or `allowed' rejects it, another
 * port is reserved, one used by no entry of the protocol whatever the
 * RemoteHost (VC-17), searched in this order:
 *
 *	requested + 1, ..., 65535, then 1, ..., requested - 1
 *
 * skipping every port for which allowed(port, arg) is false.  `allowed'
 * (NULL: every port) is where the caller says which ports the CP may get
 * and which other mechanisms claim (VC-11): for an unauthenticated CP it
 * rejects ports below 1024, so the wrap starts at 1024 (VC-17, VC-18).
 * The reserved port is out->key.eport.
 *
 * Never PORTMAP_CONFLICT or PORTMAP_FOREIGN.  PORTMAP_FULL when a new entry
 * is needed and the table is at its limit (checked before any search);
 * PORTMAP_NO_PORTS when no port qualifies; PORTMAP_INVALID, PORTMAP_NOMEM
 * as for portmap_add.  On failure the table is unchanged.
 */
enum portmap_status portmap_add_any(struct portmap *pm,
	    const struct mapping *req, uint32_t lease, uint32_t now,
	    portmap_port_fn allowed, void *arg, struct mapping *out,
	    enum portmap_change *change);

/*
 * Rollback of an overwrite the firewall refused: sets every field of the
 * entry with m's key to m's values, `expires' (absolute), origin and
 * creator included, bypassing the conflict rules; the index is kept.  m is
 * what portmap_get returned before the change.  PORTMAP_OK,
 * PORTMAP_NOT_FOUND, PORTMAP_INVALID (description) or PORTMAP_NOMEM (the
 * entry is unchanged).  An add that created an entry is undone with
 * portmap_delete.
 */
enum portmap_status portmap_replace(struct portmap *pm,
	    const struct mapping *m);

/*
 * The entry with exactly this key (VC-08: the wildcard never matches a
 * specific RemoteHost, nor the reverse; WIC-143).  PORTMAP_OK with a copy
 * in *out, or PORTMAP_NOT_FOUND.
 */
enum portmap_status portmap_get(const struct portmap *pm,
	    const struct portmap_key *key, struct mapping *out);

/*
 * The entry at GetGeneric index i: indexes are 0..count-1 in creation order
 * (VC-22).  PORTMAP_OK with a copy in *out, or PORTMAP_NOT_FOUND.
 */
enum portmap_status portmap_at(const struct portmap *pm, size_t i,
	    struct mapping *out);

/*
 * Deletes the entry with exactly this key (matching as portmap_get); every
 * later index moves down by one (WIC-055).  PORTMAP_OK with the deleted
 * entry in *gone (may be NULL), or PORTMAP_NOT_FOUND.
 */
enum portmap_status portmap_delete(struct portmap *pm,
	    const struct portmap_key *key, struct mapping *gone);

/*
 * DeletePortMappingRange: calls may(m, arg) (NULL: always true) once per
 * entry of proto with start <= ExternalPort <= end, any RemoteHost
 * (WIC-182, VC-23), in the order of portmap_list, and deletes exactly the
 * entries it accepted; the others are skipped, not an error (WIC-186).
 * Cannot fail, so the entries `may' accepted are the deleted ones.  `may'
 * must not change the table.  Returns how many were deleted (0: the
 * service answers 730).  For an all-or-nothing firewall change (WIC-188),
 * collect the entries with portmap_list and the same filter first.
 */
size_t	portmap_delete_range(struct portmap *pm, enum portmap_proto proto,
	    uint16_t start, uint16_t end, portmap_filter_fn may, void *arg);

/*
 * GetListOfPortMappings: calls fn(m, arg) for each entry of proto with
 * start <= ExternalPort <= end (any RemoteHost) that filter(m, arg) accepts
 * (filter NULL: all), ordered by ExternalPort then RemoteHost, the wildcard
 * first (VC-23); stops after max entries (0: no limit, WIC-197).  Neither
 * callback may change the table.  Returns how many fn received.
 */
size_t	portmap_list(const struct portmap *pm, enum portmap_proto proto,
	    uint16_t start, uint16_t end, size_t max, portmap_filter_fn filter,
	    portmap_entry_fn fn, void *arg);

/*
 * Deletes entries whose lease end is <= now, earliest end first, at most n
 * of them, copying each into gone[] (may be NULL); enabled or not (WIC-065,
 * WIC-067); indexes are compacted.  Returns how many; call again while the
 * answer equals n.  Static entries never expire.
 */
size_t	portmap_expire(struct portmap *pm, uint32_t now,
	    struct mapping *gone, size_t n);

/*
 * The earliest lease end among dynamic entries, in *when: true, or false
 * when no entry can expire (empty table or static entries only).
 */
bool	portmap_next_expiry(const struct portmap *pm, uint32_t *when);

/*
 * Seconds of lease left at now, as GetGeneric, GetSpecific and the listing
 * report it: 0 for a static entry (WIC-063); at least 1 for a dynamic one
 * until it is expired, since 0 would read as static (VC-15).
 */
uint32_t portmap_remaining(const struct mapping *m, uint32_t now);

const char *portmap_proto_name(enum portmap_proto proto);	/* "TCP" */
const char *portmap_status_name(enum portmap_status st);	/* for logs */

#endif
