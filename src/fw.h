/*
 * fw: the firewall backend. Owns the daemon's own chains (named
 * <prefix>-<built-in chain>, e.g. IGD2D-INPUT) and the jump rules leading
 * to them; never touches a rule it did not create. Never logs: every
 * failure comes back as -1 with a struct fw_err for the caller to print.
 *
 * Not thread-safe (libiptc keeps global state): callers serialise all
 * calls, e.g. under the gateway lock. Each call that changes the kernel
 * runs as whole-table transactions under the xtables lock, so it does not
 * race iptables(8) run by an administrator.
 */

#ifndef FW_H
#define FW_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct fw;				/* opaque, one per daemon */

struct fw_conf {
	const char	*wan_if;	/* "eth0", matched exactly */
	const char	*chain_prefix;	/* "IGD2D": IGD2D-INPUT... */
	int		 hook;		/* 1: we insert the jump rules */
	const char	*lock_path;	/* NULL: "/run/xtables.lock" */
	unsigned	 lock_timeout_ms;	/* 0: 5000 */
	/*
	 * Hairpinning (RFC 4787 REQ-9): with hairpin set, each mapping also
	 * gets the rules that let a LAN host reach it at the gateway's
	 * external address and port (see fw_map_add).  lan_if NULL or
	 * hairpin 0: no such rules.
	 */
	int		 hairpin;
	const char	*lan_if;	/* "eth1"; also enables the LAN-source guard */
	struct in_addr	 lan_addr;	/* the gateway's LAN address */
	struct in_addr	 lan_mask;
	unsigned	 ssdp_rate;	/* M-SEARCH per second per source; 0: off */
	unsigned	 ssdp_burst;	/* packets allowed above the rate at once */
	/*
	 * The HTTP limits (issue 8), on the guarded TCP ports (struct
	 * fw_ports tcp), for sources on lan_if only: the HTTP server has a
	 * bounded number of connections, so one host must not hold them
	 * all. 0: off.
	 */
	unsigned	 http_conn_limit;	/* connections per source */
	unsigned	 http_conn_rate;	/* new ones/s per source */
	unsigned	 http_conn_burst;	/* above the rate at once */
};

/*
 * err is an errno value. where names the step that failed, as
 * "table/chain step", e.g. "filter/IGD2D-INPUT commit"; it may carry a
 * hint after a colon when libiptc has a better word than strerror(err),
 * e.g. "filter init: Table does not exist (do you need to insmod?)".
 */
struct fw_err {
	int		 err;
	char		 where[128];
};

/*
 * Create the daemon's chains if missing and flush them, so no stale rule
 * from a previous run survives. With conf->hook, make sure each built-in
 * chain has exactly one jump to its daemon chain, at its head, however
 * many an earlier run or crash left; then the fixed rules of
 * <prefix>-PREROUTING and, with hairpin, the hairpin rules (see struct
 * fw_mapping). conf is copied. Returns 0, or -1 with *err filled and
 * *fwp untouched.
 */
int	 fw_open(struct fw **fwp, const struct fw_conf *conf,
	    struct fw_err *err);

/* The daemon's own ports, for fw_guard. */
struct fw_ports {
	const uint16_t	*tcp;		/* served to the LAN (the front) */
	size_t		 ntcp;
	const uint16_t	*local;		/* TCP, only for the gateway itself */
	size_t		 nlocal;
	const uint16_t	*udp;		/* SSDP */
	size_t		 nudp;
};

/*
 * Replace the contents of <prefix>-INPUT and <prefix>-OUTPUT with the
 * guard of the daemon's own UPnP ports (issue 5, VC-47, SEC-06):
 *   INPUT, per local port: ! -i lo -p tcp --dport X -j DROP
 *                       (libupnp's internal server: only the front, on
 *                       the gateway, connects to it)
 *   INPUT, per TCP and UDP port:
 *                     -i WAN -p P --dport X -j DROP
 *                     ! -s LANNET -p P --dport X -j DROP   (when lan_if is
 *                       set in fw_conf: only LAN sources, on any interface)
 *   INPUT, per UDP port, when ssdp_rate > 0 (fw_conf): a per-source rate
 *   limit, so a burst of M-SEARCHes cannot make the gateway answer
 *   without bound:
 *                     -p udp --dport X -m hashlimit --hashlimit-above
 *                       RATE/sec --hashlimit-burst BURST --hashlimit-mode
 *                       srcip --hashlimit-name <prefix>-ssdp -j DROP
 *   INPUT, per TCP port, when lan_if is set, http_conn_limit > 0 and
 *   http_conn_rate > 0 respectively (fw_conf): new connections from one
 *   LAN source above a count and above a rate are dropped, so one host
 *   cannot hold every connection slot of the HTTP server (a dropped SYN
 *   is retried by the client, so a busy but honest one is delayed, not
 *   refused):
 *                     -i LAN -p tcp --dport X --syn -m connlimit
 *                       --connlimit-above LIMIT --connlimit-mask 32
 *                       --connlimit-saddr -j DROP
 *                     -i LAN -p tcp --dport X --syn -m hashlimit
 *                       --hashlimit-above RATE/sec --hashlimit-burst BURST
 *                       --hashlimit-mode srcip --hashlimit-name
 *                       <prefix>-http -j DROP
 *   OUTPUT, per UDP port: -o WAN -p udp --dport X -j DROP (no SSDP leaves
 *   through the WAN).
 * All or nothing: on -1 the old rules stay. Ports must be nonzero (EINVAL).
 */
int	 fw_guard(struct fw *fw, const struct fw_ports *ports,
	    struct fw_err *err);

/*
 * Remove every jump to the daemon's chains from the built-in chains, then
 * flush and delete the chains, and free fw. Best effort: carries on past
 * failures and reports none. fw may be NULL.
 */
void	 fw_close(struct fw *fw);

/*
 * One port mapping as the kernel sees it (issue 4). Addresses in network
 * order, ports in host order; remote 0.0.0.0 means any remote host.
 *   nat    <prefix>-DNAT:        -p P [-s R] --dport E -j DNAT --to I:IP
 *   filter <prefix>-FORWARD:     -i WAN -p P [-s R] -d I --dport IP -j ACCEPT
 *   nat    <prefix>-POSTROUTING: -o WAN -p P -s I --sport IP -j MASQUERADE
 *                                --to-ports E  (outbound traffic from
 *                                I:IP leaves with source port E, VC-49)
 * <prefix>-DNAT is reached from fw_open's rules in <prefix>-PREROUTING:
 *   -i WAN -j <prefix>-DNAT
 * and with hairpin (fw_conf), so a LAN host reaches a mapping at the
 * external address and port whatever that address is now, three rules
 * that serve every mapping:
 *   nat    <prefix>-PREROUTING:  -i LAN ! -d LANADDR -m addrtype
 *                                --dst-type LOCAL -j <prefix>-DNAT
 *   nat    <prefix>-POSTROUTING: -o LAN -s LANNET -m conntrack --ctstate
 *                                DNAT -j MASQUERADE  (replies come back
 *                                via the gateway)
 *   filter <prefix>-FORWARD:     -i LAN -o LAN -m conntrack --ctstate
 *                                DNAT -j ACCEPT
 * The last two also serve a DNAT back into the LAN made by someone
 * else's rule, which needs them just the same.
 */
struct fw_mapping {
	uint8_t		 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	struct in_addr	 remote;
	uint16_t	 eport;
	struct in_addr	 iaddr;
	uint16_t	 iport;
};

/*
 * Install the three rules of m, or none of them: on -1 the kernel is as
 * it was. Installing a mapping that is already there adds no duplicate.
 */
int	 fw_map_add(struct fw *fw, const struct fw_mapping *m,
	    struct fw_err *err);

/*
 * fw_map_add, unless a rule outside our chains claims m's external port
 * (fw_foreign): then -1 with err EADDRINUSE and nothing changed. It reads
 * the nat table once where fw_foreign and fw_map_add would read it twice.
 */
int	 fw_map_add_excl(struct fw *fw, const struct fw_mapping *m,
	    struct fw_err *err);

/* Remove the rules of exactly m (others untouched); absent is success. */
int	 fw_map_del(struct fw *fw, const struct fw_mapping *m,
	    struct fw_err *err);

/* Remove every mapping rule (the guard and the fixed rules stay). */
int	 fw_map_flush(struct fw *fw, struct fw_err *err);

/*
 * Read back the mappings installed in <prefix>-DNAT: *out is a
 * malloc'd array of *n entries (the caller frees it). For consistency
 * checks.
 */
int	 fw_map_list(struct fw *fw, struct fw_mapping **out, size_t *n,
	    struct fw_err *err);

/*
 * 1 when (proto, eport) arriving on the WAN is already claimed by another
 * mechanism: a DNAT/REDIRECT rule for that port in the nat PREROUTING
 * chain outside our own chain. 0 when free, -1 with *err on failure.
 */
int	 fw_foreign(struct fw *fw, uint8_t proto, uint16_t eport,
	    struct fw_err *err);

/* The backend's name for logs and igd2d -n: "iptc". */
const char	*fw_backend_name(void);

#endif /* FW_H */
