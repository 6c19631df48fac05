/*
 * fw_iptc: the fw.h backend on libiptc, i.e. the legacy iptables tables
 * (IPT_SO_SET_REPLACE), not nf_tables: rules land where iptables-legacy
 * shows them. Entries are built by hand from the kernel's structures, so
 * no libxtables is needed.
 *
 * Every change is one whole-table transaction, iptc_init .. iptc_commit,
 * held under the xtables lock that iptables(8) takes, because libiptc
 * takes none and a commit silently overwrites a change made between init
 * and commit. A commit refused with EAGAIN (the table changed under us,
 * by someone not using the lock) is retried from a fresh snapshot.
 *
 * A port mapping is three rules in two tables (fw.h). Two mappings can
 * need the very same rule (two external ports to one internal client
 * share the FORWARD rule; a wildcard and a specific remote host share
 * the MASQUERADE rule), and x_tables has no reference count, so a rule
 * is installed once and deleting a mapping keeps a rule that a mapping
 * still in <prefix>-DNAT needs: the DNAT rules are the list of mappings.
 *
 * The DNAT rules name no interface: <prefix>-PREROUTING sends them what
 * arrives on the WAN and, with hairpin (fw_conf), what a LAN host sends
 * to any local address but the gateway's LAN address (an addrtype LOCAL
 * match, so a change of the WAN address needs no new rules). Hairpin
 * then needs only two rules more, whatever the number of mappings: a
 * MASQUERADE of the LAN's DNATed connections back into the LAN, so the
 * client's replies come back through the gateway, and their FORWARD
 * ACCEPT. Each change replaces a whole table, so the rules per mapping
 * are what a change costs as the table grows.
 *
 * The guard of the daemon's own ports (fw_guard) drops the internal ones
 * unless they come in on lo, the others on the WAN and from any source
 * outside the LAN prefix when a LAN interface is set, and
 * above a per-source rate for SSDP when ssdp_rate is set: an
 * "xt_hashlimit" match, keyed on the source address, in the revision
 * iptables(8) 1.8.9 writes (3), so iptables-legacy-save shows it and
 * "iptables -C" finds it. The HTTP port gets a per-source connection
 * count ("xt_connlimit", revision 1) and rate (hashlimit) on the LAN.
 */

#include <sys/file.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libiptc/libiptc.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_connlimit.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_hashlimit.h>
#include <linux/netfilter/xt_multiport.h>
#include <linux/netfilter/xt_tcpudp.h>

#include "fw.h"

#define LOCK_PATH	"/run/xtables.lock"
#define LOCK_TIMEOUT_MS	5000
#define LOCK_STEP_MS	10
#define TXN_TRIES	5

/*
 * A chain label holds 31 characters, but a jump names its chain in the
 * target's name field, which holds 28, so iptables(8) allows 28. The
 * longest built-in chain we shadow is POSTROUTING: "<prefix>-POSTROUTING"
 * must fit.
 */
#define CHAIN_MAX	(XT_EXTENSION_MAXNAMELEN - 1)
#define PREFIX_MAX	(CHAIN_MAX - (int)sizeof("-POSTROUTING") + 1)

/*
 * The hashlimit table is named "<prefix>-ssdp", its file in
 * /proc/net/ipt_hashlimit/. Revision 3's field holds 255 characters, but
 * revision 1 and older kernels allow IFNAMSIZ with the NUL: the prefix is
 * cut to fit. Rules of one name share one table (the first rule's
 * settings win), so all our guarded UDP ports share the per-source
 * budget, and two daemons whose prefixes start alike share it too.
 */
#define SSDP_SUFFIX	"-ssdp"
#define SSDP_PREFIX_MAX	(IFNAMSIZ - (int)sizeof(SSDP_SUFFIX))
/* The same for the HTTP connection rate: "<prefix>-http". */
#define HTTP_SUFFIX	"-http"
#define HTTP_PREFIX_MAX	(IFNAMSIZ - (int)sizeof(HTTP_SUFFIX))

/*
 * Limits iptables(8) puts on "--hashlimit-above N/sec" (the interval
 * between packets, XT_HASHLIMIT_SCALE_v2 / N, must not be 0) and on
 * "--hashlimit-burst" (XT_HASHLIMIT_BURST_MAX in libxt_hashlimit).
 * HL_GC_MS is its default --hashlimit-htable-gcinterval, HL_EXPIRE_MS
 * the expiry it fills in for a "/sec" rate: a source idle for 1 to 2 s
 * (expiry, then the next gc run) starts again with a full burst.
 */
#define HL_RATE_MAX	1000000u
#define HL_BURST_MAX	1000000u
/* What the tcp match's "--syn" stores: of FIN,SYN,RST,ACK only SYN. */
#define TCP_SYN_MASK	0x17
#define TCP_SYN_CMP	0x02
#define HL_GC_MS	1000
#define HL_EXPIRE_MS	1000

struct fw {
	char		 wan_if[IFNAMSIZ];
	char		 prefix[PREFIX_MAX + 1];
	int		 hook;
	char		*lock_path;
	unsigned	 lock_timeout_ms;
	int		 hairpin;	/* lan_if and the rest are set */
	char		 lan_if[IFNAMSIZ];	/* "": no LAN, no LAN guard */
	struct in_addr	 lan_addr;
	struct in_addr	 lan_net;	/* lan_addr & lan_mask */
	struct in_addr	 lan_mask;
	unsigned	 ssdp_rate;	/* per second per source; 0: off */
	unsigned	 ssdp_burst;
	char		 ssdp_name[IFNAMSIZ];	/* the hashlimit table */
	unsigned	 http_conn_limit;	/* per LAN source; 0: off */
	unsigned	 http_conn_rate;	/* per second per LAN source */
	unsigned	 http_conn_burst;
	char		 http_name[IFNAMSIZ];	/* the hashlimit table */
};

/*
 * The chains the daemon owns, <prefix>-<builtin> in table, and the tables
 * they live in, in the order fw_open visits them: one transaction per
 * table. filter comes first so that an unprivileged fw_open fails on
 * "filter init". Each is jumped to from the built-in chain of the same
 * name, but for sub: <prefix>-DNAT, the mappings, is jumped to from
 * <prefix>-PREROUTING, so it comes before it (a jump's chain must exist)
 * and fw_close visits the list backwards (a chain still jumped to cannot
 * go).
 */
struct chain_def {
	const char	*table;
	/* An array: libiptc declares chain arguments as char[32]. */
	char		 builtin[XT_TABLE_MAXNAMELEN];
	int		 sub;		/* builtin is only a name */
};

#define SUB_DNAT	"DNAT"

static const struct chain_def chain_defs[] = {
	{ "filter",	"INPUT",	0 },
	{ "filter",	"OUTPUT",	0 },
	{ "filter",	"FORWARD",	0 },
	{ "nat",	SUB_DNAT,	1 },
	{ "nat",	"PREROUTING",	0 },
	{ "nat",	"POSTROUTING",	0 },
};

#define NCHAIN_DEFS	(sizeof(chain_defs) / sizeof(chain_defs[0]))

static const char *const tables[] = {
	"filter",
	"nat",
};

#define NTABLES		(sizeof(tables) / sizeof(tables[0]))

/*
 * One rule, in the terms iptables(8) uses. Zero means "any" for every
 * field except target; ports need proto IPPROTO_TCP or IPPROTO_UDP.
 * src_inv: "! -s src/src_mask"; dst_inv: "! -d dst/dst_mask"; in_inv:
 * "! -i in_if".
 * dst_local: "-m addrtype --dst-type LOCAL", which comes before the
 * tcp/udp match in the entry. ct_dnat: "-m conntrack --ctstate DNAT",
 * next. tcp_syn: "--syn" in the tcp match.
 * cl_above: "-m connlimit --connlimit-above cl_above --connlimit-mask 32
 * --connlimit-saddr". hl_rate: "-m hashlimit --hashlimit-above
 * hl_rate/sec --hashlimit-burst hl_burst --hashlimit-mode srcip
 * --hashlimit-name hl_name". Both after the tcp/udp match, connlimit
 * first, as iptables(8) orders "-p udp --dport X -m hashlimit".
 */
enum rule_target {
	RULE_DROP,
	RULE_ACCEPT,
	RULE_RETURN,
	RULE_JUMP,			/* to chain jump */
	RULE_DNAT,			/* to nat_addr[:nat_port] */
	RULE_SNAT,			/* to nat_addr[:nat_port] */
	RULE_MASQUERADE			/* [to-ports nat_port] */
};

struct rule {
	const char	*in_if;
	const char	*out_if;
	uint8_t		 proto;
	struct in_addr	 src, src_mask;
	struct in_addr	 dst, dst_mask;
	int		 in_inv;
	int		 src_inv;
	int		 dst_inv;
	int		 dst_local;
	int		 ct_dnat;
	uint16_t	 sport, dport;
	int		 tcp_syn;
	unsigned	 cl_above;	/* 0: no connlimit match */
	unsigned	 hl_rate;	/* 0: no hashlimit match */
	unsigned	 hl_burst;
	const char	*hl_name;
	enum rule_target target;
	const char	*jump;
	struct in_addr	 nat_addr;
	uint16_t	 nat_port;	/* 0: keep the packet's port */
};

/* arg carries the request in and, for some edits, results out. */
typedef int	txn_edit(struct fw *, struct xtc_handle *, void *,
		    struct fw_err *);

static int	set_err(struct fw_err *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	foreign_find(struct fw *, struct xtc_handle *, uint8_t,
		    uint16_t);

const char *
fw_backend_name(void)
{
	return "iptc";
}

/* Fill *err; returns -1 so callers can "return set_err(...)". */
static int
set_err(struct fw_err *err, int e, const char *fmt, ...)
{
	va_list	 ap;

	err->err = e;
	va_start(ap, fmt);
	vsnprintf(err->where, sizeof(err->where), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Report a failed libiptc call. iptc_strerror knows which call failed
 * last and says e.g. "Table does not exist (do you need to insmod?)" for
 * an ENOENT from iptc_init, which strerror would call "No such file or
 * directory"; keep its text when it adds something. Must run before any
 * other libiptc call or free() changes errno.
 */
static int
iptc_fail(struct fw_err *err, const char *what, const char *step)
{
	const char	*hint;
	int		 e = errno;

	hint = iptc_strerror(e);
	if (e == 0)			/* libiptc: version mismatch */
		e = EPROTO;
	if (hint == NULL || strcmp(hint, strerror(e)) == 0)
		return set_err(err, e, "%s %s", what, step);
	return set_err(err, e, "%s %s: %s", what, step, hint);
}

static void
chain_name(char *buf, const char *prefix, const char *builtin)
{
	snprintf(buf, XT_TABLE_MAXNAMELEN, "%s-%s", prefix, builtin);
}

static void
nap_ms(unsigned ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/*
 * Take the xtables lock the way iptables(8) does: flock on the lock file.
 * Returns the descriptor (closing it releases the lock), or -1 with *err
 * filled; ETIMEDOUT when someone held it past lock_timeout_ms.
 */
static int
lock_take(const struct fw *fw, struct fw_err *err)
{
	unsigned	 i, steps;
	int		 fd, e;

	fd = open(fw->lock_path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd == -1)
		return set_err(err, errno, "xtables lock %s open",
		    fw->lock_path);
	steps = fw->lock_timeout_ms / LOCK_STEP_MS;
	for (i = 0; ; i++) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			e = errno;
			close(fd);
			return set_err(err, e, "xtables lock %s",
			    fw->lock_path);
		}
		if (i >= steps)
			break;
		nap_ms(LOCK_STEP_MS);
	}
	close(fd);
	return set_err(err, ETIMEDOUT, "xtables lock %s busy",
	    fw->lock_path);
}

static int
txn_once(struct fw *fw, const char *table, const char *what,
    txn_edit *edit, void *arg, struct fw_err *err)
{
	struct xtc_handle	*h;

	if ((h = iptc_init(table)) == NULL)
		return iptc_fail(err, table, "init");
	if (edit(fw, h, arg, err) == -1) {
		iptc_free(h);
		return -1;
	}
	if (!iptc_commit(h)) {
		iptc_fail(err, what, "commit");
		iptc_free(h);
		return -1;
	}
	iptc_free(h);
	return 0;
}

/*
 * Run edit on a snapshot of table and commit it, retrying a bounded
 * number of times while the kernel says the table changed under us; edit
 * must start afresh each time. The caller holds the xtables lock. what
 * names the transaction in errors. An edit that changed nothing costs no
 * commit (libiptc skips it), so reads run here too.
 */
static int
txn_locked(struct fw *fw, const char *table, const char *what,
    txn_edit *edit, void *arg, struct fw_err *err)
{
	int	 rc = -1, tries;

	for (tries = 0; tries < TXN_TRIES; tries++) {
		rc = txn_once(fw, table, what, edit, arg, err);
		if (rc == 0 || err->err != EAGAIN)
			break;
	}
	return rc;
}

/* txn_locked under the xtables lock. */
static int
txn_run(struct fw *fw, const char *table, const char *what,
    txn_edit *edit, void *arg, struct fw_err *err)
{
	int	 fd, rc;

	if ((fd = lock_take(fw, err)) == -1)
		return -1;
	rc = txn_locked(fw, table, what, edit, arg, err);
	close(fd);
	return rc;
}

static void
set_iface(char *name, unsigned char *mask, const char *ifname)
{
	size_t	 len;

	if (ifname == NULL)
		return;
	len = strlen(ifname);
	memcpy(name, ifname, len + 1);
	/* Mask the NUL too, so "eth0" does not also match "eth01". */
	memset(mask, 0xff, len + 1);
}

static int
rule_valid(const struct rule *r)
{
	if (r->in_if != NULL && strlen(r->in_if) >= IFNAMSIZ)
		return 0;
	if (r->out_if != NULL && strlen(r->out_if) >= IFNAMSIZ)
		return 0;
	if ((r->sport != 0 || r->dport != 0 || r->nat_port != 0) &&
	    r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP)
		return 0;
	/* --syn lives in the tcp match, which only a port brings along. */
	if (r->tcp_syn && (r->proto != IPPROTO_TCP || r->dport == 0))
		return 0;
	if (r->target == RULE_JUMP &&
	    (r->jump == NULL || strlen(r->jump) > CHAIN_MAX))
		return 0;
	if ((r->target == RULE_DNAT || r->target == RULE_SNAT) &&
	    r->nat_addr.s_addr == INADDR_ANY)
		return 0;
	if (r->hl_rate != 0 && (r->hl_rate > HL_RATE_MAX ||
	    r->hl_burst == 0 || r->hl_burst > HL_BURST_MAX ||
	    r->hl_name == NULL || r->hl_name[0] == '\0' ||
	    strlen(r->hl_name) >= IFNAMSIZ))
		return 0;
	return 1;
}

static size_t
addrtype_size(const struct rule *r)
{
	if (!r->dst_local)
		return 0;
	return XT_ALIGN(sizeof(struct xt_entry_match)) +
	    XT_ALIGN(sizeof(struct xt_addrtype_info_v1));
}

static size_t
conntrack_size(const struct rule *r)
{
	if (!r->ct_dnat)
		return 0;
	return XT_ALIGN(sizeof(struct xt_entry_match)) +
	    XT_ALIGN(sizeof(struct xt_conntrack_mtinfo3));
}

static size_t
ports_size(const struct rule *r)
{
	size_t	 data;

	if (r->sport == 0 && r->dport == 0)
		return 0;
	data = r->proto == IPPROTO_TCP ? sizeof(struct xt_tcp) :
	    sizeof(struct xt_udp);
	return XT_ALIGN(sizeof(struct xt_entry_match)) + XT_ALIGN(data);
}

static size_t
connlimit_size(const struct rule *r)
{
	if (r->cl_above == 0)
		return 0;
	return XT_ALIGN(sizeof(struct xt_entry_match)) +
	    XT_ALIGN(sizeof(struct xt_connlimit_info));
}

static size_t
hashlimit_size(const struct rule *r)
{
	if (r->hl_rate == 0)
		return 0;
	return XT_ALIGN(sizeof(struct xt_entry_match)) +
	    XT_ALIGN(sizeof(struct xt_hashlimit_mtinfo3));
}

/*
 * NAT targets are written in the revision iptables(8) 1.8.9 writes for
 * IPv4, so iptables-legacy-save shows them as --to-destination,
 * --to-source and --to-ports, and an administrator's "iptables -D"
 * matches them; other revisions print as "[unsupported revision]". DNAT
 * is revision 2 (Linux 4.19), SNAT and MASQUERADE the IPv4-only
 * revision 0.
 */
static size_t
nat_size(enum rule_target target)
{
	if (target == RULE_DNAT)
		return sizeof(struct nf_nat_range2);
	return sizeof(struct nf_nat_ipv4_multi_range_compat);
}

static size_t
target_size(const struct rule *r)
{
	if (r->target == RULE_DNAT || r->target == RULE_SNAT ||
	    r->target == RULE_MASQUERADE)
		return XT_ALIGN(sizeof(struct xt_entry_target)) +
		    XT_ALIGN(nat_size(r->target));
	return XT_ALIGN(sizeof(struct xt_standard_target));
}

/* An unset port matches the whole range, as iptables(8) stores it. */
static void
port_range(uint16_t *range, uint16_t port)
{
	range[0] = port;
	range[1] = port != 0 ? port : 0xffff;
}

/* Fill a match's header; returns its data, for the match's own struct. */
static void *
match_head(struct xt_entry_match *m, size_t size, const char *name,
    uint8_t revision)
{
	m->u.match_size = size;
	snprintf(m->u.user.name, sizeof(m->u.user.name), "%s", name);
	m->u.user.revision = revision;
	return m->data;
}

/*
 * The "addrtype" match, in revision 1 as iptables(8) 1.8.9 writes it
 * (revision 0 is the old layout with separate invert words).
 */
static void
fill_addrtype(struct xt_entry_match *m, size_t size, const struct rule *r)
{
	struct xt_addrtype_info_v1	*at;

	(void)r;
	at = match_head(m, size, "addrtype", 1);
	at->dest = XT_ADDRTYPE_LOCAL;
}

/*
 * "-m conntrack --ctstate DNAT" in revision 3, as iptables(8) 1.8.9
 * writes it: only the state flag and its mask.
 */
static void
fill_conntrack(struct xt_entry_match *m, size_t size, const struct rule *r)
{
	struct xt_conntrack_mtinfo3	*ct;

	(void)r;
	ct = match_head(m, size, "conntrack", 3);
	ct->match_flags = XT_CONNTRACK_STATE;
	ct->state_mask = XT_CONNTRACK_STATE_DNAT;
}

/* The "tcp" or "udp" match: ports in host order, unlike the IP fields. */
static void
fill_ports(struct xt_entry_match *m, size_t size, const struct rule *r)
{
	struct xt_tcp	*tcp;
	struct xt_udp	*udp;

	m->u.match_size = size;
	if (r->proto == IPPROTO_TCP) {
		strcpy(m->u.user.name, "tcp");
		tcp = (struct xt_tcp *)m->data;
		port_range(tcp->spts, r->sport);
		port_range(tcp->dpts, r->dport);
		if (r->tcp_syn) {
			tcp->flg_mask = TCP_SYN_MASK;
			tcp->flg_cmp = TCP_SYN_CMP;
		}
	} else {
		strcpy(m->u.user.name, "udp");
		udp = (struct xt_udp *)m->data;
		port_range(udp->spts, r->sport);
		port_range(udp->dpts, r->dport);
	}
}

static void
fill_dnat(struct xt_entry_target *t, const struct rule *r)
{
	struct nf_nat_range2	*range;

	strcpy(t->u.user.name, "DNAT");
	t->u.user.revision = 2;
	range = (struct nf_nat_range2 *)t->data;
	range->flags = NF_NAT_RANGE_MAP_IPS;
	range->min_addr.ip = range->max_addr.ip = r->nat_addr.s_addr;
	if (r->nat_port != 0) {
		range->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		range->min_proto.all = range->max_proto.all =
		    htons(r->nat_port);
	}
}

/*
 * "-m connlimit --connlimit-above N --connlimit-mask 32
 * --connlimit-saddr" as iptables(8) 1.8.9 writes it: revision 1, a
 * full IPv4 mask (one count per source address), no flags ("above" is
 * the uninverted sense). The kernel's data pointer stays 0.
 */
static void
fill_connlimit(struct xt_entry_match *m, size_t size, const struct rule *r)
{
	struct xt_connlimit_info	*cl;

	cl = match_head(m, size, "connlimit", 1);
	cl->v4_mask = htonl(0xffffffffu);
	cl->limit = r->cl_above;
}

/*
 * "-m hashlimit --hashlimit-above RATE/sec --hashlimit-burst BURST
 * --hashlimit-mode srcip --hashlimit-name NAME", with the fields
 * iptables(8) 1.8.9 fills for it in revision 3: the interval between
 * packets in XT_HASHLIMIT_SCALE_v2 units, "above" as the INVERT mode
 * bit, its default gcinterval, expire and masks; size and max 0 let the
 * kernel size the table. The kernel's hinfo pointer stays 0, as the
 * kernel hands it back.
 */
static void
fill_hashlimit(struct xt_entry_match *m, size_t size, const struct rule *r)
{
	struct xt_hashlimit_mtinfo3	*hl;

	hl = match_head(m, size, "hashlimit", 3);
	snprintf(hl->name, sizeof(hl->name), "%s", r->hl_name);
	hl->cfg.mode = XT_HASHLIMIT_HASH_SIP | XT_HASHLIMIT_INVERT;
	hl->cfg.avg = XT_HASHLIMIT_SCALE_v2 / r->hl_rate;
	hl->cfg.burst = r->hl_burst;
	hl->cfg.gc_interval = HL_GC_MS;
	hl->cfg.expire = HL_EXPIRE_MS;
	hl->cfg.srcmask = 32;
	hl->cfg.dstmask = 32;
}

/*
 * SNAT (--to-source ADDR[:PORT]) and MASQUERADE (--to-ports PORT) share
 * the IPv4 compat range, as iptables(8) writes them: rangesize 1, the
 * address only for SNAT.
 */
static void
fill_compat(struct xt_entry_target *t, const char *name, const struct rule *r)
{
	struct nf_nat_ipv4_multi_range_compat	*mr;
	struct nf_nat_ipv4_range		*range;

	strcpy(t->u.user.name, name);
	mr = (struct nf_nat_ipv4_multi_range_compat *)t->data;
	mr->rangesize = 1;
	range = &mr->range[0];
	if (r->nat_addr.s_addr != INADDR_ANY) {
		range->flags = NF_NAT_RANGE_MAP_IPS;
		range->min_ip = range->max_ip = r->nat_addr.s_addr;
	}
	if (r->nat_port != 0) {
		range->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		range->min.all = range->max.all = htons(r->nat_port);
	}
}

/*
 * A standard target is named by verdict or chain; libiptc turns the name
 * into the kernel's verdict or jump offset when the entry is added, so a
 * jump's chain must exist by then.
 */
static void
fill_target(struct xt_entry_target *t, size_t size, const struct rule *r)
{
	const char	*name = "";

	t->u.target_size = size;
	switch (r->target) {
	case RULE_DROP:
		name = IPTC_LABEL_DROP;
		break;
	case RULE_ACCEPT:
		name = IPTC_LABEL_ACCEPT;
		break;
	case RULE_RETURN:
		name = IPTC_LABEL_RETURN;
		break;
	case RULE_JUMP:
		name = r->jump;
		break;
	case RULE_DNAT:
		fill_dnat(t, r);
		return;
	case RULE_SNAT:
		fill_compat(t, "SNAT", r);
		return;
	case RULE_MASQUERADE:
		fill_compat(t, "MASQUERADE", r);
		return;
	}
	snprintf(t->u.user.name, sizeof(t->u.user.name), "%s", name);
}

/*
 * The matches an entry can carry, in the order they go into it, as
 * iptables(8) orders "-m addrtype ... -m conntrack ... -p tcp --dport X
 * -m connlimit ... -m hashlimit ...". size is 0 when r has no such match.
 */
struct match_def {
	size_t	(*size)(const struct rule *);
	void	(*fill)(struct xt_entry_match *, size_t, const struct rule *);
};

static const struct match_def match_defs[] = {
	{ addrtype_size,	fill_addrtype },
	{ conntrack_size,	fill_conntrack },
	{ ports_size,		fill_ports },
	{ connlimit_size,	fill_connlimit },
	{ hashlimit_size,	fill_hashlimit },
};

#define NMATCH_DEFS	(sizeof(match_defs) / sizeof(match_defs[0]))

/*
 * Build the kernel entry for r: ipt_entry, then its matches (match_defs),
 * then the target, each XT_ALIGNed. Returns a malloc'd entry for the
 * caller to free, or NULL with errno EINVAL or ENOMEM.
 */
static struct ipt_entry *
rule_entry(const struct rule *r)
{
	struct ipt_entry	*e;
	size_t			 msize[NMATCH_DEFS], off, tsize, i;

	if (!rule_valid(r)) {
		errno = EINVAL;
		return NULL;
	}
	off = sizeof(*e);
	for (i = 0; i < NMATCH_DEFS; i++) {
		msize[i] = match_defs[i].size(r);
		off += msize[i];
	}
	tsize = target_size(r);
	if ((e = calloc(1, off + tsize)) == NULL)
		return NULL;
	e->ip.src = r->src;
	e->ip.smsk = r->src_mask;
	e->ip.dst = r->dst;
	e->ip.dmsk = r->dst_mask;
	if (r->in_inv)
		e->ip.invflags |= IPT_INV_VIA_IN;
	if (r->src_inv)
		e->ip.invflags |= IPT_INV_SRCIP;
	if (r->dst_inv)
		e->ip.invflags |= IPT_INV_DSTIP;
	set_iface(e->ip.iniface, e->ip.iniface_mask, r->in_if);
	set_iface(e->ip.outiface, e->ip.outiface_mask, r->out_if);
	e->ip.proto = r->proto;
	e->target_offset = off;
	e->next_offset = off + tsize;
	off = sizeof(*e);
	for (i = 0; i < NMATCH_DEFS; i++) {
		if (msize[i] != 0)
			match_defs[i].fill((struct xt_entry_match *)
			    ((char *)e + off), msize[i], r);
		off += msize[i];
	}
	fill_target((struct xt_entry_target *)((char *)e + e->target_offset),
	    tsize, r);
	return e;
}

static int
rule_append(struct xtc_handle *h, const char *table, const char *chain,
    const struct rule *r, struct fw_err *err)
{
	struct ipt_entry	*e;
	char			 what[64];
	int			 rc = 0;

	snprintf(what, sizeof(what), "%s/%s", table, chain);
	if ((e = rule_entry(r)) == NULL)
		return set_err(err, errno, "%s rule", what);
	if (!iptc_append_entry(chain, e, h))
		rc = iptc_fail(err, what, "append");
	free(e);
	return rc;
}

/* Index of the first rule in builtin jumping to chain, or -1. */
static int
find_jump(struct xtc_handle *h, const char *builtin, const char *chain)
{
	const struct ipt_entry	*e;
	int			 i = 0;

	for (e = iptc_first_rule(builtin, h); e != NULL;
	    e = iptc_next_rule(e, h), i++) {
		if (strcmp(iptc_get_target(e, h), chain) == 0)
			return i;
	}
	return -1;
}

/* Delete every jump from builtin to chain; ends as each pass shrinks it. */
static int
unhook(struct xtc_handle *h, const char *table, const char *builtin,
    const char *chain, struct fw_err *err)
{
	char	 what[64];
	int	 i;

	while ((i = find_jump(h, builtin, chain)) != -1) {
		if (!iptc_delete_num_entry(builtin, i, h)) {
			snprintf(what, sizeof(what), "%s/%s", table, builtin);
			return iptc_fail(err, what, "unhook");
		}
	}
	return 0;
}

/*
 * Make chain exist and be empty; with hook, make the jump to it the one
 * and only, at the head of builtin, whatever an earlier run left. A sub
 * chain gets its jumps from fixed_rules.
 */
static int
own_chain(struct fw *fw, struct xtc_handle *h, const struct chain_def *d,
    struct fw_err *err)
{
	char			 chain[XT_TABLE_MAXNAMELEN], what[64];
	struct ipt_entry	*e;
	struct rule		 jump = { .target = RULE_JUMP };
	int			 ok;

	chain_name(chain, fw->prefix, d->builtin);
	snprintf(what, sizeof(what), "%s/%s", d->table, chain);
	if (iptc_is_chain(chain, h))
		ok = iptc_flush_entries(chain, h);
	else
		ok = iptc_create_chain(chain, h);
	if (!ok)
		return iptc_fail(err, what, "create");
	if (!fw->hook || d->sub)
		return 0;
	if (unhook(h, d->table, d->builtin, chain, err) == -1)
		return -1;
	jump.jump = chain;
	if ((e = rule_entry(&jump)) == NULL)
		return set_err(err, errno, "%s hook", what);
	ok = iptc_insert_entry(d->builtin, e, 0, h);
	free(e);
	if (!ok)
		return iptc_fail(err, what, "hook");
	return 0;
}

/*
 * The hairpin rules that serve every mapping (fw.h), in table: a
 * MASQUERADE of the LAN's DNATed connections going back into the LAN,
 * and their FORWARD ACCEPT. Appended to our chains, which must exist.
 */
static int
hairpin_rules(struct fw *fw, struct xtc_handle *h, const char *table,
    struct fw_err *err)
{
	char		 chain[XT_TABLE_MAXNAMELEN];
	struct rule	 r = { .ct_dnat = 1 };

	if (!fw->hairpin)
		return 0;
	if (strcmp(table, "nat") == 0) {
		chain_name(chain, fw->prefix, "POSTROUTING");
		r.out_if = fw->lan_if;
		r.src = fw->lan_net;
		r.src_mask = fw->lan_mask;
		r.target = RULE_MASQUERADE;
	} else {
		chain_name(chain, fw->prefix, "FORWARD");
		r.in_if = fw->lan_if;
		r.out_if = fw->lan_if;
		r.target = RULE_ACCEPT;
	}
	return rule_append(h, table, chain, &r, err);
}

/*
 * The rules of our chains that are there whatever the mappings: in nat,
 * the jumps of <prefix>-PREROUTING to the mappings (from the WAN, and
 * with hairpin from the LAN to a local address but the gateway's LAN
 * one), then hairpin_rules.
 */
static int
fixed_rules(struct fw *fw, struct xtc_handle *h, const char *table,
    struct fw_err *err)
{
	char		 chain[XT_TABLE_MAXNAMELEN], sub[XT_TABLE_MAXNAMELEN];
	struct rule	 r = { .target = RULE_JUMP };
	struct in_addr	 host = { INADDR_BROADCAST };

	if (strcmp(table, "nat") == 0) {
		chain_name(chain, fw->prefix, "PREROUTING");
		chain_name(sub, fw->prefix, SUB_DNAT);
		r.jump = sub;
		r.in_if = fw->wan_if;
		if (rule_append(h, table, chain, &r, err) == -1)
			return -1;
		if (fw->hairpin) {
			r.in_if = fw->lan_if;
			r.dst = fw->lan_addr;
			r.dst_mask = host;
			r.dst_inv = 1;
			r.dst_local = 1;
			if (rule_append(h, table, chain, &r, err) == -1)
				return -1;
		}
	}
	return hairpin_rules(fw, h, table, err);
}

/* arg: the table's name, as a const char **. */
static int
open_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	const char	*table = *(const char **)arg;
	size_t		 i;

	for (i = 0; i < NCHAIN_DEFS; i++) {
		if (strcmp(chain_defs[i].table, table) != 0)
			continue;
		if (own_chain(fw, h, &chain_defs[i], err) == -1)
			return -1;
	}
	return fixed_rules(fw, h, table, err);
}

/*
 * Best effort: a failed step is skipped, not reported. A chain still
 * referenced (the administrator jumps to it from a chain of their own)
 * stays, empty, since the kernel refuses to delete it.
 */
static void
disown_chain(struct fw *fw, struct xtc_handle *h, const struct chain_def *d)
{
	char		 chain[XT_TABLE_MAXNAMELEN];
	const char	*c;
	struct fw_err	 ignored;
	unsigned	 refs;

	chain_name(chain, fw->prefix, d->builtin);
	if (!iptc_is_chain(chain, h))
		return;
	for (c = iptc_first_chain(h); c != NULL; c = iptc_next_chain(h)) {
		if (iptc_builtin(c, h))
			unhook(h, d->table, c, chain, &ignored);
	}
	iptc_flush_entries(chain, h);
	if (iptc_get_references(&refs, chain, h) && refs == 0)
		iptc_delete_chain(chain, h);
}

static int
close_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	const char	*table = *(const char **)arg;
	size_t		 i;

	(void)err;
	/* Backwards: a sub chain goes after the chain that jumps to it. */
	for (i = NCHAIN_DEFS; i-- > 0; ) {
		if (strcmp(chain_defs[i].table, table) == 0)
			disown_chain(fw, h, &chain_defs[i]);
	}
	return 0;
}

static int
guard_append(struct xtc_handle *h, const char *chain, struct rule *r,
    const uint16_t *ports, size_t n, struct fw_err *err)
{
	size_t		 i;

	for (i = 0; i < n; i++) {
		r->dport = ports[i];
		if (rule_append(h, "filter", chain, r, err) == -1)
			return -1;
	}
	return 0;
}

/* Empties our chain for `builtin`, which fw_open must have created. */
static int
guard_chain(struct fw *fw, struct xtc_handle *h, const char *builtin,
    char *chain, struct fw_err *err)
{
	chain_name(chain, fw->prefix, builtin);
	/* Recreating it here would leave it without its jump: say so. */
	if (!iptc_is_chain(chain, h))
		return set_err(err, ENOENT, "filter/%s missing", chain);
	if (!iptc_flush_entries(chain, h))
		return set_err(err, errno, "filter/%s flush", chain);
	return 0;
}

/* Append r for each guarded port: TCP ones, then UDP ones. */
static int
guard_append_all(struct xtc_handle *h, const char *chain, struct rule *r,
    const struct fw_ports *g, struct fw_err *err)
{
	r->proto = IPPROTO_TCP;
	if (guard_append(h, chain, r, g->tcp, g->ntcp, err) == -1)
		return -1;
	r->proto = IPPROTO_UDP;
	return guard_append(h, chain, r, g->udp, g->nudp, err);
}

/*
 * With a LAN, the HTTP limits (fw.h) on each guarded TCP port, on SYNs
 * from the LAN link only: the daemon's own connections to itself (libupnp
 * fetches its description at registration) come in on lo. The count goes
 * first, so a SYN it drops does not use up the source's rate budget.
 */
static int
guard_http(struct fw *fw, struct xtc_handle *h, const char *chain,
    const struct fw_ports *g, struct fw_err *err)
{
	struct rule	 r = { .target = RULE_DROP };

	if (fw->lan_if[0] == '\0')
		return 0;
	r.in_if = fw->lan_if;
	r.proto = IPPROTO_TCP;
	r.tcp_syn = 1;
	if (fw->http_conn_limit != 0) {
		r.cl_above = fw->http_conn_limit;
		if (guard_append(h, chain, &r, g->tcp, g->ntcp, err) == -1)
			return -1;
		r.cl_above = 0;
	}
	if (fw->http_conn_rate == 0)
		return 0;
	r.hl_rate = fw->http_conn_rate;
	r.hl_burst = fw->http_conn_burst;
	r.hl_name = fw->http_name;
	return guard_append(h, chain, &r, g->tcp, g->ntcp, err);
}

/*
 * INPUT, in this order (VC-47, SEC-06): the internal ports arriving on
 * any interface but lo (the gateway's own connections to its own
 * addresses come in on lo, whichever address they name); the guarded
 * ports arriving on the WAN; with a LAN, the guarded ports from any
 * source outside the LAN prefix, on any interface (a WAN host routing
 * through us, a foreign address on the LAN link); with ssdp_rate, the
 * guarded UDP ports above the rate per source address, so a flood of
 * M-SEARCHes cannot make us answer without bound; then the HTTP limits
 * (guard_http). The drops come first, so only packets we would answer
 * count against a source's budget.
 */
static int
guard_input(struct fw *fw, struct xtc_handle *h, const char *chain,
    const struct fw_ports *g, struct fw_err *err)
{
	struct rule	 r = { .target = RULE_DROP };

	r.in_if = "lo";
	r.in_inv = 1;
	r.proto = IPPROTO_TCP;
	if (guard_append(h, chain, &r, g->local, g->nlocal, err) == -1)
		return -1;
	r.in_inv = 0;
	r.in_if = fw->wan_if;
	if (guard_append_all(h, chain, &r, g, err) == -1)
		return -1;
	if (fw->lan_if[0] != '\0') {
		r.in_if = NULL;
		r.src = fw->lan_net;
		r.src_mask = fw->lan_mask;
		r.src_inv = 1;
		if (guard_append_all(h, chain, &r, g, err) == -1)
			return -1;
	}
	if (fw->ssdp_rate != 0) {
		memset(&r, 0, sizeof(r));
		r.target = RULE_DROP;
		r.proto = IPPROTO_UDP;
		r.hl_rate = fw->ssdp_rate;
		r.hl_burst = fw->ssdp_burst;
		r.hl_name = fw->ssdp_name;
		if (guard_append(h, chain, &r, g->udp, g->nudp, err) == -1)
			return -1;
	}
	return guard_http(fw, h, chain, g, err);
}

/*
 * INPUT: see guard_input. OUTPUT: UDP to the guarded UDP ports (SSDP)
 * never leaves through the WAN, whatever route a datagram would take
 * (WIC-087).
 */
static int
guard_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	const struct fw_ports	*g = arg;
	char			 in[XT_TABLE_MAXNAMELEN];
	char			 out[XT_TABLE_MAXNAMELEN];
	struct rule		 r = { .target = RULE_DROP };

	if (guard_chain(fw, h, "INPUT", in, err) == -1 ||
	    guard_chain(fw, h, "OUTPUT", out, err) == -1)
		return -1;
	if (guard_input(fw, h, in, g, err) == -1)
		return -1;
	r.out_if = fw->wan_if;
	r.proto = IPPROTO_UDP;
	return guard_append(h, out, &r, g->udp, g->nudp, err);
}

/*
 * The rules of one mapping (fw.h) and the chains they go to.
 * fw_map_add installs the nat rules in one transaction, then the filter
 * rule.
 */
enum map_rule {
	MAP_DNAT,
	MAP_MASQ,
	MAP_FORWARD,
	MAP_NRULES
};

#define MAP_BIT(w)	(1u << (w))

static const struct chain_def map_defs[MAP_NRULES] = {
	[MAP_DNAT] =		{ "nat",	SUB_DNAT,	1 },
	[MAP_MASQ] =		{ "nat",	"POSTROUTING",	0 },
	[MAP_FORWARD] =		{ "filter",	"FORWARD",	0 },
};

/*
 * One mapping operation on the rules of one table. excl: an add fails
 * when a foreign rule claims the port (fw_map_add_excl). added: the rules
 * (MAP_BIT) the last add attempt installed. keep: the shared rules of m
 * that del found another mapping still needs.
 */
struct map_op {
	const struct fw_mapping	*m;
	const char		*table;
	int			 excl;
	unsigned		 added;
	unsigned		 keep;
};

struct map_list {
	struct fw_mapping	*v;
	size_t			 n;
	size_t			 cap;
};

struct foreign_req {
	uint8_t		 proto;
	uint16_t	 eport;
	int		 found;
};

/*
 * The compare mask for iptc_check_entry and iptc_delete_entry: every
 * byte counts. Our entries are about 250 bytes; libiptc reads the mask
 * only as far as the entry goes.
 */
#define MASK_MAX	512

static int
map_check(const struct fw_mapping *m, struct fw_err *err)
{
	if (m->proto != IPPROTO_TCP && m->proto != IPPROTO_UDP)
		return set_err(err, EINVAL, "mapping protocol %u", m->proto);
	if (m->eport == 0 || m->iport == 0)
		return set_err(err, EINVAL, "mapping port 0");
	if (m->iaddr.s_addr == INADDR_ANY)
		return set_err(err, EINVAL, "mapping internal client 0.0.0.0");
	return 0;
}

/*
 * *r: rule `which` of m, as fw.h spells it. The DNAT names no interface:
 * <prefix>-PREROUTING only sends it the WAN's packets and, with hairpin,
 * the LAN's to a local address. It keeps m's remote host for both: with
 * a specific RemoteHost a LAN host gets hairpin only when it is that
 * host.
 */
static void
map_rule(const struct fw *fw, const struct fw_mapping *m,
    enum map_rule which, struct rule *r)
{
	struct in_addr	 host = { INADDR_BROADCAST };

	memset(r, 0, sizeof(*r));
	r->proto = m->proto;
	if (which == MAP_MASQ) {
		r->out_if = fw->wan_if;
		r->src = m->iaddr;
		r->src_mask = host;
		r->sport = m->iport;
		r->target = RULE_MASQUERADE;
		r->nat_port = m->eport;
		return;
	}
	r->src = m->remote;
	if (m->remote.s_addr != INADDR_ANY)
		r->src_mask = host;
	if (which == MAP_DNAT) {
		r->dport = m->eport;
		r->target = RULE_DNAT;
		r->nat_addr = m->iaddr;
		r->nat_port = m->iport;
	} else {
		r->in_if = fw->wan_if;
		r->dst = m->iaddr;
		r->dst_mask = host;
		r->dport = m->iport;
		r->target = RULE_ACCEPT;
	}
}

/*
 * Name the chain of rule `which` (chain holds XT_TABLE_MAXNAMELEN) and
 * build the rule's entry. Returns the entry for the caller to free, or
 * NULL with *err filled: ENOENT when our chain is gone.
 */
static struct ipt_entry *
map_entry(struct fw *fw, struct xtc_handle *h, const struct fw_mapping *m,
    enum map_rule which, char *chain, struct fw_err *err)
{
	const struct chain_def	*d = &map_defs[which];
	struct ipt_entry	*e;
	struct rule		 r;

	chain_name(chain, fw->prefix, d->builtin);
	if (!iptc_is_chain(chain, h)) {
		set_err(err, ENOENT, "%s/%s missing", d->table, chain);
		return NULL;
	}
	map_rule(fw, m, which, &r);
	if ((e = rule_entry(&r)) == NULL) {
		set_err(err, errno, "%s/%s rule", d->table, chain);
		return NULL;
	}
	if (e->next_offset > MASK_MAX) {	/* cannot happen */
		free(e);
		set_err(err, EOVERFLOW, "%s/%s rule", d->table, chain);
		return NULL;
	}
	return e;
}

/*
 * Whether chain holds a rule equal to e in every field: interfaces,
 * protocol, addresses and masks, the tcp/udp match, the target and its
 * NAT range (what iptables -C compares). 1 yes, 0 no, -1 on failure.
 */
static int
rule_has(struct xtc_handle *h, const char *what, const char *chain,
    const struct ipt_entry *e, struct fw_err *err)
{
	unsigned char	 mask[MASK_MAX];

	memset(mask, 0xff, sizeof(mask));
	if (iptc_check_entry(chain, e, mask, h))
		return 1;
	if (errno == ENOENT)
		return 0;
	return iptc_fail(err, what, "check");
}

/* Delete every rule of chain equal to e. Returns 0, or -1. */
static int
rule_drop(struct xtc_handle *h, const char *what, const char *chain,
    const struct ipt_entry *e, struct fw_err *err)
{
	unsigned char	 mask[MASK_MAX];

	memset(mask, 0xff, sizeof(mask));
	/* Ends: each pass removes a rule. */
	while (iptc_delete_entry(chain, e, mask, h))
		;
	if (errno != ENOENT)
		return iptc_fail(err, what, "delete");
	return 0;
}

/*
 * Install rule `which` of m unless an equal rule is there. Returns 1 when
 * added, 0 when already there, -1 on failure. A DNAT rule for one remote
 * host goes to the head of the chain, so that it wins over a wildcard
 * mapping of the same port (VC-07).
 */
static int
map_add_rule(struct fw *fw, struct xtc_handle *h, const struct fw_mapping *m,
    enum map_rule which, struct fw_err *err)
{
	char			 chain[XT_TABLE_MAXNAMELEN], what[64];
	struct ipt_entry	*e;
	int			 ok, rc;

	if ((e = map_entry(fw, h, m, which, chain, err)) == NULL)
		return -1;
	snprintf(what, sizeof(what), "%s/%s", map_defs[which].table, chain);
	if ((rc = rule_has(h, what, chain, e, err)) == 0) {
		if (which == MAP_DNAT && m->remote.s_addr != INADDR_ANY)
			ok = iptc_insert_entry(chain, e, 0, h);
		else
			ok = iptc_append_entry(chain, e, h);
		rc = ok ? 1 : iptc_fail(err, what, "append");
	} else if (rc == 1)
		rc = 0;
	free(e);
	return rc;
}

/* Delete every copy of rule `which` of m. Returns 0, or -1. */
static int
map_drop_rule(struct fw *fw, struct xtc_handle *h, const struct fw_mapping *m,
    enum map_rule which, struct fw_err *err)
{
	char			 chain[XT_TABLE_MAXNAMELEN], what[64];
	struct ipt_entry	*e;
	int			 rc;

	if ((e = map_entry(fw, h, m, which, chain, err)) == NULL)
		return -1;
	snprintf(what, sizeof(what), "%s/%s", map_defs[which].table, chain);
	rc = rule_drop(h, what, chain, e, err);
	free(e);
	return rc;
}

static int
map_add_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	struct map_op	*op = arg;
	int		 w, rc;

	op->added = 0;
	if (op->excl && strcmp(op->table, "nat") == 0 &&
	    foreign_find(fw, h, op->m->proto, op->m->eport))
		return set_err(err, EADDRINUSE, "nat: %s port %u claimed by "
		    "another rule", op->m->proto == IPPROTO_TCP ? "tcp" :
		    "udp", op->m->eport);
	for (w = 0; w < MAP_NRULES; w++) {
		if (strcmp(map_defs[w].table, op->table) != 0)
			continue;
		if ((rc = map_add_rule(fw, h, op->m, w, err)) == -1)
			return -1;
		if (rc == 1)
			op->added |= MAP_BIT(w);
	}
	return 0;
}

/* Take back the rules of op->table that map_add_edit added. */
static int
map_undo_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	struct map_op	*op = arg;
	int		 w;

	for (w = 0; w < MAP_NRULES; w++) {
		if (strcmp(map_defs[w].table, op->table) != 0 ||
		    (op->added & MAP_BIT(w)) == 0)
			continue;
		if (map_drop_rule(fw, h, op->m, w, err) == -1)
			return -1;
	}
	return 0;
}

static const struct xt_entry_target *
entry_target(const struct ipt_entry *e)
{
	return (const struct xt_entry_target *)((const char *)e +
	    e->target_offset);
}

/* e's match called name with at least len bytes of data, or NULL. */
static const struct xt_entry_match *
entry_match(const struct ipt_entry *e, const char *name, size_t len)
{
	const struct xt_entry_match	*mt;
	size_t				 off;

	for (off = sizeof(*e); off + sizeof(*mt) <= e->target_offset;
	    off += mt->u.match_size) {
		mt = (const struct xt_entry_match *)((const char *)e + off);
		if (mt->u.match_size < sizeof(*mt))
			break;
		if (strcmp(mt->u.user.name, name) == 0 &&
		    mt->u.match_size >= sizeof(*mt) + len)
			return mt;
	}
	return NULL;
}

/*
 * The destination ports of e's tcp or udp match for proto: 1 with the
 * range and whether it is inverted ("! --dport"), 0 when e has none.
 */
static int
entry_dports(const struct ipt_entry *e, uint8_t proto, uint16_t *lo,
    uint16_t *hi, int *inv)
{
	const struct xt_entry_match	*mt;
	const struct xt_tcp		*tcp;
	const struct xt_udp		*udp;

	if (proto == IPPROTO_TCP &&
	    (mt = entry_match(e, "tcp", sizeof(*tcp))) != NULL) {
		tcp = (const struct xt_tcp *)mt->data;
		*lo = tcp->dpts[0];
		*hi = tcp->dpts[1];
		*inv = (tcp->invflags & XT_TCP_INV_DSTPT) != 0;
		return 1;
	}
	if (proto == IPPROTO_UDP &&
	    (mt = entry_match(e, "udp", sizeof(*udp))) != NULL) {
		udp = (const struct xt_udp *)mt->data;
		*lo = udp->dpts[0];
		*hi = udp->dpts[1];
		*inv = (udp->invflags & XT_UDP_INV_DSTPT) != 0;
		return 1;
	}
	return 0;
}

/* Whether an -i or -o field names no interface. */
static int
iface_none(const unsigned char *mask)
{
	size_t	 i;

	for (i = 0; i < IFNAMSIZ; i++) {
		if (mask[i] != 0)
			return 0;
	}
	return 1;
}

/*
 * Whether e is one of our DNAT rules, -p tcp|udp [-s R/32] --dport E -j
 * DNAT --to-destination I:IP and nothing more; if so, *m.
 */
static int
entry_mapping(struct xtc_handle *h, const struct ipt_entry *e,
    struct fw_mapping *m)
{
	const struct xt_entry_target	*t = entry_target(e);
	const struct nf_nat_range2	*r;
	const unsigned			 both = NF_NAT_RANGE_MAP_IPS |
					    NF_NAT_RANGE_PROTO_SPECIFIED;
	uint16_t			 lo, hi;
	int				 inv;

	if (strcmp(iptc_get_target(e, h), "DNAT") != 0 ||
	    t->u.user.revision != 2 ||
	    t->u.target_size < sizeof(*t) + sizeof(*r))
		return 0;
	r = (const struct nf_nat_range2 *)t->data;
	if ((r->flags & both) != both || r->min_addr.ip != r->max_addr.ip ||
	    r->min_proto.all != r->max_proto.all)
		return 0;
	if (e->ip.smsk.s_addr != INADDR_ANY &&
	    e->ip.smsk.s_addr != INADDR_BROADCAST)
		return 0;
	if (e->ip.invflags != 0 || e->ip.dmsk.s_addr != INADDR_ANY ||
	    !iface_none(e->ip.iniface_mask) ||
	    !iface_none(e->ip.outiface_mask))
		return 0;
	if (!entry_dports(e, e->ip.proto, &lo, &hi, &inv) || inv || lo != hi)
		return 0;
	memset(m, 0, sizeof(*m));
	m->proto = e->ip.proto;
	m->remote = e->ip.src;
	m->eport = lo;
	m->iaddr.s_addr = r->min_addr.ip;
	m->iport = ntohs(r->min_proto.all);
	return 1;
}

/*
 * Which of m's shared rules (MAP_BIT) a mapping still in <prefix>-DNAT
 * needs: the MASQUERADE rule (same client, port and external port, any
 * remote host) and the FORWARD rule (same client, port and remote host,
 * any external port).
 */
static unsigned
map_needs(struct fw *fw, struct xtc_handle *h, const struct fw_mapping *m)
{
	char			 chain[XT_TABLE_MAXNAMELEN];
	const struct ipt_entry	*e;
	struct fw_mapping	 o;
	unsigned		 keep = 0;

	chain_name(chain, fw->prefix, map_defs[MAP_DNAT].builtin);
	for (e = iptc_first_rule(chain, h); e != NULL;
	    e = iptc_next_rule(e, h)) {
		if (!entry_mapping(h, e, &o) || o.proto != m->proto ||
		    o.iaddr.s_addr != m->iaddr.s_addr || o.iport != m->iport)
			continue;
		if (o.eport == m->eport)
			keep |= MAP_BIT(MAP_MASQ);
		if (o.remote.s_addr == m->remote.s_addr)
			keep |= MAP_BIT(MAP_FORWARD);
	}
	return keep;
}

/*
 * nat (first): delete m's DNAT rule, then note which of its shared rules
 * a mapping left needs. Then, in nat and in filter, delete the shared
 * rules of m that none needs.
 */
static int
map_del_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	struct map_op	*op = arg;
	int		 w;

	if (strcmp(op->table, "nat") == 0) {
		if (map_drop_rule(fw, h, op->m, MAP_DNAT, err) == -1)
			return -1;
		op->keep = map_needs(fw, h, op->m);
	}
	for (w = 0; w < MAP_NRULES; w++) {
		if (w == MAP_DNAT || (MAP_BIT(w) & op->keep) != 0 ||
		    strcmp(map_defs[w].table, op->table) != 0)
			continue;
		if (map_drop_rule(fw, h, op->m, w, err) == -1)
			return -1;
	}
	return 0;
}

/*
 * arg: the table's name, as a const char **. The hairpin rules share the
 * chains and go with the flush: put them back.
 */
static int
map_flush_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	const char	*table = *(const char **)arg;
	char		 chain[XT_TABLE_MAXNAMELEN], what[64];
	size_t		 w;

	for (w = 0; w < MAP_NRULES; w++) {
		if (strcmp(map_defs[w].table, table) != 0)
			continue;
		chain_name(chain, fw->prefix, map_defs[w].builtin);
		snprintf(what, sizeof(what), "%s/%s", table, chain);
		if (!iptc_is_chain(chain, h))
			return set_err(err, ENOENT, "%s missing", what);
		if (!iptc_flush_entries(chain, h))
			return iptc_fail(err, what, "flush");
	}
	return hairpin_rules(fw, h, table, err);
}

static int
map_list_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	struct map_list		*l = arg;
	char			 chain[XT_TABLE_MAXNAMELEN];
	const struct ipt_entry	*e;
	struct fw_mapping	 m, *v;
	size_t			 cap;

	l->n = 0;
	chain_name(chain, fw->prefix, map_defs[MAP_DNAT].builtin);
	if (!iptc_is_chain(chain, h))
		return set_err(err, ENOENT, "nat/%s missing", chain);
	for (e = iptc_first_rule(chain, h); e != NULL;
	    e = iptc_next_rule(e, h)) {
		if (!entry_mapping(h, e, &m))
			continue;
		if (l->n == l->cap) {
			cap = l->cap != 0 ? l->cap * 2 : 16;
			if ((v = reallocarray(l->v, cap, sizeof(*v))) == NULL)
				return set_err(err, ENOMEM, "nat/%s list",
				    chain);
			l->v = v;
			l->cap = cap;
		}
		l->v[l->n++] = m;
	}
	return 0;
}

/* Whether ip's -i (with its "+" wildcard and "!") admits wan. */
static int
iface_admits(const struct ipt_ip *ip, const char *wan)
{
	int	 i, same = 1;

	for (i = 0; i < IFNAMSIZ; i++) {
		if (((ip->iniface[i] ^ wan[i]) & ip->iniface_mask[i]) != 0) {
			same = 0;
			break;
		}
	}
	return same != ((ip->invflags & IPT_INV_VIA_IN) != 0);
}

static int
multiport_has(const struct xt_multiport_v1 *mp, uint16_t port)
{
	unsigned	 i, n = mp->count;

	if (n > XT_MULTI_PORTS)
		n = XT_MULTI_PORTS;
	for (i = 0; i < n; i++) {
		if (mp->pflags[i] && i + 1 < n) {	/* a range */
			if (port >= mp->ports[i] && port <= mp->ports[i + 1])
				return 1;
			i++;
		} else if (port == mp->ports[i])
			return 1;
	}
	return 0;
}

/*
 * Whether e's destination port condition admits port. A rule without a
 * port match, or with one we do not read, may claim any port: yes.
 */
static int
ports_admit(const struct ipt_entry *e, uint8_t proto, uint16_t port)
{
	const struct xt_entry_match	*mt;
	const struct xt_multiport_v1	*mp;
	uint16_t			 lo, hi;
	int				 inv;

	if (entry_dports(e, proto, &lo, &hi, &inv))
		return (port >= lo && port <= hi) != inv;
	mt = entry_match(e, "multiport", sizeof(*mp));
	if (mt != NULL && mt->u.user.revision == 1) {
		mp = (const struct xt_multiport_v1 *)mt->data;
		if (mp->flags == XT_MULTIPORT_DESTINATION)
			return multiport_has(mp, port) != (mp->invert != 0);
	}
	return 1;
}

/*
 * Whether e DNATs or REDIRECTs (proto, port) arriving on the WAN. Other
 * conditions (addresses, other matches) are not read: a rule that might
 * claim the port counts.
 */
static int
rule_claims(const struct fw *fw, struct xtc_handle *h,
    const struct ipt_entry *e, uint8_t proto, uint16_t port)
{
	const char	*target = iptc_get_target(e, h);
	int		 inv = (e->ip.invflags & XT_INV_PROTO) != 0;

	if (strcmp(target, "DNAT") != 0 && strcmp(target, "REDIRECT") != 0)
		return 0;
	if (e->ip.proto != 0 && (e->ip.proto == proto) == inv)
		return 0;
	return iface_admits(&e->ip, fw->wan_if) && ports_admit(e, proto, port);
}

/* Whether chain c of the nat table is one of ours. */
static int
nat_own(const struct fw *fw, const char *c)
{
	char	 chain[XT_TABLE_MAXNAMELEN];
	size_t	 i;

	for (i = 0; i < NCHAIN_DEFS; i++) {
		if (strcmp(chain_defs[i].table, "nat") != 0)
			continue;
		chain_name(chain, fw->prefix, chain_defs[i].builtin);
		if (strcmp(chain, c) == 0)
			return 1;
	}
	return 0;
}

/*
 * Whether a rule of nat claims (proto, port): scan the built-in
 * PREROUTING chain and every user chain but ours (docker, for one, DNATs
 * in a chain of its own). The built-in OUTPUT chain only sees the
 * gateway's own traffic.
 */
static int
foreign_find(struct fw *fw, struct xtc_handle *h, uint8_t proto,
    uint16_t port)
{
	const struct ipt_entry	*e;
	const char		*c;

	for (c = iptc_first_chain(h); c != NULL; c = iptc_next_chain(h)) {
		if (nat_own(fw, c) ||
		    (iptc_builtin(c, h) && strcmp(c, "PREROUTING") != 0))
			continue;
		for (e = iptc_first_rule(c, h); e != NULL;
		    e = iptc_next_rule(e, h)) {
			if (rule_claims(fw, h, e, proto, port))
				return 1;
		}
	}
	return 0;
}

static int
foreign_edit(struct fw *fw, struct xtc_handle *h, void *arg,
    struct fw_err *err)
{
	struct foreign_req	*q = arg;

	(void)err;
	q->found = foreign_find(fw, h, q->proto, q->eport);
	return 0;
}

/* Disown our chains in tables[0 .. n-1]. */
static void
teardown(struct fw *fw, size_t n)
{
	struct fw_err	 ignored;
	const char	*table;
	size_t		 i;

	for (i = 0; i < n; i++) {
		table = tables[i];
		txn_run(fw, table, table, close_edit, &table, &ignored);
	}
}

/*
 * The LAN settings, when lan_if is set (hairpin and the LAN-source guard
 * use them): a LAN interface other than the WAN one, an address, and a
 * netmask iptables(8) can write as a prefix, but not /0: the guard's
 * "! -s 0.0.0.0/0" would match no packet.
 */
static int
lan_check(const struct fw_conf *conf, struct fw_err *err)
{
	uint32_t	 inv = ~ntohl(conf->lan_mask.s_addr);

	if (conf->lan_if == NULL)
		return 0;
	if (conf->lan_if[0] == '\0' || strlen(conf->lan_if) >= IFNAMSIZ ||
	    strcmp(conf->lan_if, conf->wan_if) == 0)
		return set_err(err, EINVAL, "LAN interface name");
	if (conf->lan_addr.s_addr == INADDR_ANY)
		return set_err(err, EINVAL, "LAN address");
	if ((inv & (inv + 1)) != 0 || conf->lan_mask.s_addr == INADDR_ANY)
		return set_err(err, EINVAL, "LAN netmask");
	return 0;
}

/*
 * A per-source rate limit (SSDP, HTTP), when on: what iptables(8)
 * accepts for "--hashlimit-above N/sec --hashlimit-burst B". The kernel
 * refuses a burst of 0. what names the limit in errors.
 */
static int
rate_check(const char *what, unsigned rate, unsigned burst,
    struct fw_err *err)
{
	if (rate == 0)
		return 0;
	if (rate > HL_RATE_MAX)
		return set_err(err, EINVAL, "%s rate %u/s above %u", what,
		    rate, HL_RATE_MAX);
	if (burst == 0 || burst > HL_BURST_MAX)
		return set_err(err, EINVAL, "%s burst %u not in 1..%u", what,
		    burst, HL_BURST_MAX);
	return 0;
}

static int
conf_check(const struct fw_conf *conf, struct fw_err *err)
{
	const char	*p = conf->chain_prefix;
	size_t		 len;

	if (conf->wan_if == NULL || conf->wan_if[0] == '\0' ||
	    strlen(conf->wan_if) >= IFNAMSIZ)
		return set_err(err, EINVAL, "WAN interface name");
	if (p == NULL || (len = strlen(p)) == 0 || len > PREFIX_MAX)
		return set_err(err, EINVAL, "chain prefix length");
	/* Stick to names iptables(8) can show and parse back. */
	if (strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") != len || p[0] == '-')
		return set_err(err, EINVAL, "chain prefix characters");
	if (lan_check(conf, err) == -1 ||
	    rate_check("SSDP", conf->ssdp_rate, conf->ssdp_burst, err) == -1)
		return -1;
	/* The connection count needs no check: any unsigned will do. */
	return rate_check("HTTP", conf->http_conn_rate, conf->http_conn_burst,
	    err);
}

static struct fw *
fw_new(const struct fw_conf *conf)
{
	struct fw	*fw;

	if ((fw = calloc(1, sizeof(*fw))) == NULL)
		return NULL;
	fw->lock_path = strdup(conf->lock_path != NULL ? conf->lock_path :
	    LOCK_PATH);
	if (fw->lock_path == NULL) {
		free(fw);
		return NULL;
	}
	snprintf(fw->wan_if, sizeof(fw->wan_if), "%s", conf->wan_if);
	snprintf(fw->prefix, sizeof(fw->prefix), "%s", conf->chain_prefix);
	fw->hook = conf->hook;
	fw->lock_timeout_ms = conf->lock_timeout_ms != 0 ?
	    conf->lock_timeout_ms : LOCK_TIMEOUT_MS;
	if (conf->lan_if != NULL) {
		fw->hairpin = conf->hairpin != 0;
		snprintf(fw->lan_if, sizeof(fw->lan_if), "%s", conf->lan_if);
		fw->lan_addr = conf->lan_addr;
		fw->lan_mask = conf->lan_mask;
		fw->lan_net.s_addr = conf->lan_addr.s_addr &
		    conf->lan_mask.s_addr;
	}
	fw->ssdp_rate = conf->ssdp_rate;
	fw->ssdp_burst = conf->ssdp_burst;
	snprintf(fw->ssdp_name, sizeof(fw->ssdp_name), "%.*s%s",
	    SSDP_PREFIX_MAX, fw->prefix, SSDP_SUFFIX);
	fw->http_conn_limit = conf->http_conn_limit;
	fw->http_conn_rate = conf->http_conn_rate;
	fw->http_conn_burst = conf->http_conn_burst;
	snprintf(fw->http_name, sizeof(fw->http_name), "%.*s%s",
	    HTTP_PREFIX_MAX, fw->prefix, HTTP_SUFFIX);
	return fw;
}

static void
fw_free(struct fw *fw)
{
	free(fw->lock_path);
	free(fw);
}

int
fw_open(struct fw **fwp, const struct fw_conf *conf, struct fw_err *err)
{
	struct fw	*fw;
	const char	*table;
	size_t		 i;

	if (conf_check(conf, err) == -1)
		return -1;
	if ((fw = fw_new(conf)) == NULL)
		return set_err(err, ENOMEM, "open");
	for (i = 0; i < NTABLES; i++) {
		table = tables[i];
		if (txn_run(fw, table, table, open_edit, &table, err) == -1) {
			/* Tables already done must not keep our chains. */
			teardown(fw, i);
			fw_free(fw);
			return -1;
		}
	}
	*fwp = fw;
	return 0;
}

/* EINVAL for a port 0 in ports[0..n). */
static int
guard_check(const uint16_t *ports, size_t n, const char *what,
    struct fw_err *err)
{
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (ports[i] == 0)
			return set_err(err, EINVAL, "guard %s port 0", what);
	}
	return 0;
}

int
fw_guard(struct fw *fw, const struct fw_ports *ports, struct fw_err *err)
{
	char		 what[64];

	if (guard_check(ports->tcp, ports->ntcp, "tcp", err) == -1 ||
	    guard_check(ports->local, ports->nlocal, "local tcp", err) == -1 ||
	    guard_check(ports->udp, ports->nudp, "udp", err) == -1)
		return -1;
	snprintf(what, sizeof(what), "filter/%s-INPUT", fw->prefix);
	/* txn_run's arg is not const; guard_edit only reads it. */
	return txn_run(fw, "filter", what, guard_edit,
	    (void *)(uintptr_t)ports, err);
}

void
fw_close(struct fw *fw)
{
	if (fw == NULL)
		return;
	teardown(fw, NTABLES);
	fw_free(fw);
}

/* Transaction names for errors: "nat/IGD2D-PREROUTING", "filter/...". */
static void
map_what(const struct fw *fw, char *nat, char *filter, size_t size)
{
	snprintf(nat, size, "nat/%s-%s", fw->prefix,
	    map_defs[MAP_DNAT].builtin);
	snprintf(filter, size, "filter/%s-%s", fw->prefix,
	    map_defs[MAP_FORWARD].builtin);
}

/*
 * nat first, then filter, under one hold of the lock so no iptables(8)
 * run sees half a mapping. When filter fails, the nat rules this call
 * added go again; should that fail too, *err says so after the first
 * error.
 */
static int
map_add(struct fw *fw, const struct fw_mapping *m, int excl,
    struct fw_err *err)
{
	struct map_op	 op = { .m = m, .table = "nat", .excl = excl };
	struct fw_err	 undo;
	char		 nat[64], filter[64];
	unsigned	 nat_added;
	size_t		 len;
	int		 fd, rc;

	if (map_check(m, err) == -1)
		return -1;
	map_what(fw, nat, filter, sizeof(nat));
	if ((fd = lock_take(fw, err)) == -1)
		return -1;
	rc = txn_locked(fw, "nat", nat, map_add_edit, &op, err);
	if (rc == 0) {
		nat_added = op.added;
		op.table = "filter";
		rc = txn_locked(fw, "filter", filter, map_add_edit, &op, err);
		op.table = "nat";
		op.added = nat_added;
		if (rc == -1 && nat_added != 0 && txn_locked(fw, "nat", nat,
		    map_undo_edit, &op, &undo) == -1) {
			len = strlen(err->where);
			snprintf(err->where + len, sizeof(err->where) - len,
			    "; undo %s", undo.where);
		}
	}
	close(fd);
	return rc;
}

int
fw_map_add(struct fw *fw, const struct fw_mapping *m, struct fw_err *err)
{
	return map_add(fw, m, 0, err);
}

int
fw_map_add_excl(struct fw *fw, const struct fw_mapping *m,
    struct fw_err *err)
{
	return map_add(fw, m, 1, err);
}

int
fw_map_del(struct fw *fw, const struct fw_mapping *m, struct fw_err *err)
{
	struct map_op	 op = { .m = m, .table = "nat" };
	char		 nat[64], filter[64];
	int		 fd, rc;

	if (map_check(m, err) == -1)
		return -1;
	map_what(fw, nat, filter, sizeof(nat));
	if ((fd = lock_take(fw, err)) == -1)
		return -1;
	rc = txn_locked(fw, "nat", nat, map_del_edit, &op, err);
	if (rc == 0) {
		op.table = "filter";
		rc = txn_locked(fw, "filter", filter, map_del_edit, &op, err);
	}
	close(fd);
	return rc;
}

int
fw_map_flush(struct fw *fw, struct fw_err *err)
{
	const char	*table;
	int		 fd, rc;

	if ((fd = lock_take(fw, err)) == -1)
		return -1;
	table = "nat";
	rc = txn_locked(fw, table, table, map_flush_edit, &table, err);
	if (rc == 0) {
		table = "filter";
		rc = txn_locked(fw, table, table, map_flush_edit, &table,
		    err);
	}
	close(fd);
	return rc;
}

int
fw_map_list(struct fw *fw, struct fw_mapping **out, size_t *n,
    struct fw_err *err)
{
	struct map_list	 l = { NULL, 0, 0 };
	char		 nat[64], filter[64];

	map_what(fw, nat, filter, sizeof(nat));
	if (txn_run(fw, "nat", nat, map_list_edit, &l, err) == -1) {
		free(l.v);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

int
fw_foreign(struct fw *fw, uint8_t proto, uint16_t eport, struct fw_err *err)
{
	struct foreign_req	 q = { proto, eport, 0 };

	if ((proto != IPPROTO_TCP && proto != IPPROTO_UDP) || eport == 0)
		return set_err(err, EINVAL, "foreign: protocol or port");
	if (txn_run(fw, "nat", "nat/PREROUTING", foreign_edit, &q, err) == -1)
		return -1;
	return q.found;
}
