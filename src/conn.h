/*
 * conn: the connection of the one WANIPConnection instance as control
 * points see it: ConnectionStatus and its state machine (§2.6, checklist
 * 1.7), ConnectionType, PossibleConnectionTypes, Uptime,
 * LastConnectionError, ExternalIPAddress, the Auto/Idle/Warn disconnect
 * timers, EnabledForInternet, and whether mappings may forward.
 * No I/O, no clock, no logging: the shell reports what it saw of the WAN
 * interface and passes `now` (monotonic seconds); callers hold the
 * gateway lock.
 *
 * Two modes (VC-35):
 *   CONN_MONITOR  a real router.  The status follows the link and its IPv4
 *                 address: Connected or Disconnected, nothing in between.
 *                 ConnectionType IP_Routed, read-only (VC-37).  The link is
 *                 always on, so nothing terminates it: RequestTermination
 *                 and ForceTermination fail (VC-38), and the Auto/Idle/Warn
 *                 values are stored and read back but never fire.
 *                 Mappings always forward (VC-45).
 *   CONN_EMULATE  a lab.  Every state and timer is simulated on top of the
 *                 real interface.  The first tick starts a connection
 *                 attempt, as an always-on router does at boot (WIC-071);
 *                 after that the connection comes up only by
 *                 RequestConnection.  Connecting lasts connect_delay
 *                 seconds if the link is up with an address, else it ends
 *                 Disconnected at connecting_timeout (VC-42).
 *                 Disconnecting lasts disconnect_delay seconds.  A link
 *                 or address lost while up is a network failure:
 *                 Disconnecting, then Disconnected.  Mappings forward only
 *                 while the connection is up (VC-45).
 *
 * "Up" means Connected or PendingDisconnect (packets still flow,
 * WIC-014).  While up, and only then, Uptime counts (from the move to
 * Connected; a restored PendingDisconnect keeps counting), ExternalIPAddress
 * is known, and mappings forward in emulate mode.  Uptime is 0 from
 * Disconnecting on (WIC-053).
 *
 * One transition per call: an action or a tick moves ConnectionStatus at
 * most one step, so each step is its own event (VC-39).  A following step
 * that is already due (a delay of 0) shows as conn_next_deadline() <= now:
 * send this call's events, then tick again.
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

enum conn_mode {
	CONN_MONITOR,
	CONN_EMULATE
};

/* ConnectionType (WIC-010); also bit positions of PossibleConnectionTypes. */
enum conn_type {
	CONN_TYPE_UNCONFIGURED,
	CONN_TYPE_IP_ROUTED,
	CONN_TYPE_IP_BRIDGED
};

#define CONN_TYPE_BIT(t)	(1u << (t))

/*
 * What an action reports, in conn's words.  The service maps (switch, no
 * default):
 *   CONN_OK                      success
 *   CONN_ERR_CANNOT              501 Action Failed (VC-38)
 *   CONN_ERR_BAD_VALUE           601 Argument Value Out of Range (WIC-115)
 *   CONN_ERR_INACTIVE_REQUIRED   703 InactiveConnectionStateRequired
 *   CONN_ERR_SETUP_FAILED        704 ConnectionSetupFailed
 *   CONN_ERR_IN_PROGRESS         705 ConnectionSetupInProgress
 *   CONN_ERR_NOT_CONFIGURED      706 ConnectionNotConfigured
 *   CONN_ERR_DISCONNECTING       707 DisconnectInProgress
 *   CONN_ERR_INTERNET_DISABLED   709 InternetAccessDisabled
 *   CONN_ERR_INVALID_TYPE        710 InvalidConnectionType
 *   CONN_ERR_ALREADY_TERMINATED  711 ConnectionAlreadyTerminated
 *   CONN_ERR_READ_ONLY           731 ReadOnly
 */
enum conn_err {
	CONN_OK,
	CONN_ERR_CANNOT,
	CONN_ERR_BAD_VALUE,
	CONN_ERR_INACTIVE_REQUIRED,
	CONN_ERR_SETUP_FAILED,
	CONN_ERR_IN_PROGRESS,
	CONN_ERR_NOT_CONFIGURED,
	CONN_ERR_DISCONNECTING,
	CONN_ERR_INTERNET_DISABLED,
	CONN_ERR_INVALID_TYPE,
	CONN_ERR_ALREADY_TERMINATED,
	CONN_ERR_READ_ONLY
};

#define CONN_DEFAULT_CONNECT_DELAY	0	/* seconds in Connecting */
#define CONN_DEFAULT_CONNECTING_TIMEOUT	60	/* VC-42 */
#define CONN_DEFAULT_DISCONNECT_DELAY	0	/* seconds in Disconnecting */

struct conn_conf {
	enum conn_mode	mode;
	uint32_t	connect_delay;		/* emulate only */
	uint32_t	connecting_timeout;	/* emulate only; VC-42 */
	uint32_t	disconnect_delay;	/* emulate only */
	struct in_addr	external_ip;		/* 0.0.0.0: no override */
};

/*
 * The state.  Callers read status, last_error, has_addr, addr and since
 * directly (or use the functions below); everything else is conn's.
 */
struct conn {
	enum conn_status status;
	const char	*last_error;	/* a Table 2-5 value (VC-43) */
	uint32_t	 since;		/* when it became Connected (Uptime) */
	bool		 has_addr;	/* up, and the interface has one */
	struct in_addr	 addr;		/* the interface's, override or not */

	struct conn_conf conf;
	enum conn_type	 type;
	unsigned	 possible;	/* CONN_TYPE_BIT()s */
	bool		 enabled;	/* EnabledForInternet */
	uint32_t	 auto_time, idle_time, warn_delay;

	bool		 link_ok;	/* last seen: carrier and an address */
	struct in_addr	 link_addr;	/* last seen address, if link_ok */
	bool		 link_carrier;	/* last seen: carrier */
	bool		 seen_link;	/* any observation yet */
	bool		 seen_packets;	/* a packet count seen yet */
	uint64_t	 packets;	/* last packet count seen */
	uint32_t	 activity;	/* last traffic or move to Connected */
	uint32_t	 entered;	/* when the current status began */
	uint32_t	 connected_at;	/* last move to Connected (Auto) */
	uint64_t	 pending_until;	/* end of PendingDisconnect */
	const char	*cause;		/* LastConnectionError once torn down */
};

/* What the shell saw of the WAN interface. */
struct conn_link {
	bool		exists, up, running, has_addr;
	struct in_addr	addr;
};

#define CONN_CHANGED_STATUS	0x1	/* ConnectionStatus (evented) */
#define CONN_CHANGED_ADDR	0x2	/* ExternalIPAddress (evented) */
#define CONN_CHANGED_TYPES	0x4	/* PossibleConnectionTypes (evented) */
/*
 * conn_forwarding() changed (emulate only): withdraw or restore the
 * mappings' kernel rules, and increment SystemUpdateID if the table is not
 * empty (VC-45).  A CONN_CHANGED_ADDR with entries in the table also
 * increments it (VC-45); that is the shell's to decide.
 */
#define CONN_CHANGED_FORWARDING	0x8

/* Fills the defaults: monitor, the CONN_DEFAULT_* delays, no override. */
void	conn_conf_defaults(struct conn_conf *conf);

/* conn_init_conf() with the defaults (monitor mode).  Cannot fail. */
void	conn_init(struct conn *c);

/*
 * Starts in Unconfigured with no address, ConnectionType IP_Routed
 * (WIC-010), EnabledForInternet 1, the three timers 0; a NULL conf means
 * the defaults.  The first tick leaves Unconfigured.  Cannot fail.
 */
void	conn_init_conf(struct conn *c, const struct conn_conf *conf);

/*
 * Applies an observation of the link and the interface's packet count
 * (sent plus received, IP level: VC-44) at time now, then makes at most
 * one status transition that is due (timers, link loss, connect delay).
 * l may be NULL: the link as last seen.  The idle timer counts from the
 * last change of `packets` (or the move to Connected).  Returns the
 * CONN_CHANGED_* bits.
 */
unsigned conn_tick(struct conn *c, uint32_t now, const struct conn_link *l,
	    uint64_t packets);

/*
 * conn_tick() without a packet count: the idle timer is not fed, and
 * until a count has been seen it never fires.
 */
unsigned conn_observe(struct conn *c, const struct conn_link *l, uint32_t now);

/*
 * The next time conn_tick() has something to do by itself; false if
 * nothing is pending (monitor mode never has anything).  May be <= the
 * current time: tick at once.  Re-read it after every action and Set.
 */
bool	conn_next_deadline(const struct conn *c, uint32_t *when);

/*
 * The actions.  Access control (606) and argument syntax (402) are the
 * caller's; checks run in VC-30 order within conn.  *changed (may be
 * NULL) gets the CONN_CHANGED_* bits, 0 on an error; an error changes
 * nothing.
 *
 * RequestConnection (WIC-120, WIC-121): 706 Unconfigured, 710 type not
 * IP_Routed, 705 Connecting, 707 Disconnecting, 709 EnabledForInternet
 * 0; Connected is a no-op success (WIC-076); PendingDisconnect is
 * restored to Connected (WIC-075).  Emulate: Disconnected -> Connecting,
 * and the outcome comes later from conn_tick() (WIC-072).  Monitor:
 * Disconnected is 704, the host cannot bring the link up.
 */
enum conn_err conn_request_connection(struct conn *c, uint32_t now,
	    unsigned *changed);

/*
 * RequestTermination (WIC-123, WIC-124): 706 Unconfigured, 710 type not
 * IP_Routed, 707 PendingDisconnect or Disconnecting, 711 Disconnected.
 * Monitor: 501 otherwise (VC-38).  Emulate: Connected -> PendingDisconnect
 * when WarnDisconnectDelay > 0, else Disconnecting (WIC-078, WIC-080);
 * Connecting -> Disconnecting, ERROR_COMMAND_ABORTED (VC-41).
 */
enum conn_err conn_request_termination(struct conn *c, uint32_t now,
	    unsigned *changed);

/*
 * ForceTermination (WIC-126, WIC-127): 706 Unconfigured, 710 type not
 * IP_Routed, 707 Disconnecting, 711 Disconnected.  Monitor: 501 otherwise
 * (VC-38).  Emulate: Connected, Connecting or PendingDisconnect ->
 * Disconnecting at once, whatever WarnDisconnectDelay (WIC-082).
 */
enum conn_err conn_force_termination(struct conn *c, uint32_t now,
	    unsigned *changed);

/*
 * SetConnectionType: 601 for a name outside Unconfigured, IP_Routed,
 * IP_Bridged (WIC-115), or (emulate) a type not in
 * PossibleConnectionTypes other than Unconfigured; monitor: 731 for any
 * valid name (VC-37); emulate: 703 unless Disconnected or Unconfigured
 * (WIC-116).  Changes no evented variable.  The service checks the name
 * with conn_type_from_name() before its 606 check (VC-30).
 */
enum conn_err conn_set_connection_type(struct conn *c, const char *name);

/* Set{Auto,Idle}DisconnectTime, SetWarnDisconnectDelay: cannot fail. */
void	conn_set_auto_disconnect_time(struct conn *c, uint32_t secs);
void	conn_set_idle_disconnect_time(struct conn *c, uint32_t secs);
void	conn_set_warn_disconnect_delay(struct conn *c, uint32_t secs);

/*
 * EnabledForInternet (WANCommonInterfaceConfig).  Monitor: 1 only; 0 is
 * 501, the host cannot cut an always-on link.  Emulate: 0 tears an up or
 * connecting connection down (Disconnecting, ERROR_NOT_ENABLED_FOR_INTERNET,
 * WIC-080) and makes RequestConnection 709; 1 does not reconnect.
 */
enum conn_err conn_set_enabled_for_internet(struct conn *c, bool on,
	    uint32_t now, unsigned *changed);

/*
 * The lab's PossibleConnectionTypes (emulate only, else 501): a non-empty
 * set of CONN_TYPE_BIT(IP_ROUTED) and CONN_TYPE_BIT(IP_BRIDGED), else
 * 601.  *changed gets CONN_CHANGED_TYPES if the list changed (WIC-042).
 */
enum conn_err conn_set_possible_types(struct conn *c, unsigned bits,
	    unsigned *changed);

/*
 * The address reported instead of the interface's while up (NULL or
 * 0.0.0.0: none).  Returns CONN_CHANGED_ADDR if ExternalIPAddress changed.
 */
unsigned conn_set_external_ip(struct conn *c, const struct in_addr *ip);

/* Seconds up (0 when not up, WIC-053). */
uint32_t conn_uptime(const struct conn *c, uint32_t now);

/* ExternalIPAddress: dotted quad or "" (never 0.0.0.0, WIC-023). */
void	conn_external_ip(const struct conn *c, char *buf, size_t len);

/* Whether mappings may forward now (VC-45; always true in monitor mode). */
bool	conn_forwarding(const struct conn *c);

enum conn_type conn_connection_type(const struct conn *c);
/* PossibleConnectionTypes as CSV without spaces (WIC-012). */
const char *conn_possible_types(const struct conn *c);
uint32_t conn_auto_disconnect_time(const struct conn *c);
uint32_t conn_idle_disconnect_time(const struct conn *c);
uint32_t conn_warn_disconnect_delay(const struct conn *c);
bool	conn_enabled_for_internet(const struct conn *c);

const char *conn_status_name(enum conn_status s);
const char *conn_type_name(enum conn_type t);
/* Exact, case-sensitive match of a Table 2-3 name; false if none. */
bool	conn_type_from_name(const char *name, enum conn_type *t);

/* RFC 1918 or RFC 6598 (100.64/10): not reachable from the Internet. */
bool	conn_addr_is_private(struct in_addr a);

#endif
