/*
 * fw_guard_test: drive the firewall backend step by step, for
 * test_fw_guard.sh, which runs it inside a scratch network namespace and
 * reads the resulting tables with iptables-legacy-save between runs.
 *
 *	fw_guard_test WAN STEP...
 *
 * Steps run in order on the named WAN interface (it need not exist):
 *	lan=LANIF,LANADDR/PREFIX
 *			later opens set fw_conf's lan_if, lan_addr and
 *			lan_mask (the LAN-source guard); "lan=" clears them
 *	ssdp=RATE/BURST	later opens set ssdp_rate and ssdp_burst (the
 *			SSDP rate limit); "ssdp=0/0" turns it off
 *	http=LIMIT/RATE/BURST
 *			later opens set http_conn_limit, http_conn_rate
 *			and http_conn_burst; "http=0/0/0" turns them off
 *	open		fw_open with hook; a second open gets a second
 *			handle and later steps use the newest one
 *	open-nohook	fw_open without hook
 *	guard=SPEC	fw_guard; SPEC is a comma list of tcp/PORT,
 *			local/PORT (struct fw_ports local) and udp/PORT,
 *			empty for no ports
 *	close		fw_close the newest handle
 * Handles still open at exit are not closed, so their rules stay for
 * inspection, as after a crash.
 *
 * Environment: FW_GUARD_LOCK, the xtables lock file (default the real
 * one); FW_GUARD_LOCK_MS, how long to wait for it; FW_GUARD_PREFIX, the
 * chain prefix (default IGD2D).
 *
 * Exit 0 when every step succeeded, 1 when a step failed (the error goes
 * to stderr as "STEP: where: strerror"), 2 on bad usage.
 */

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

#define MAX_HANDLES	4
#define MAX_PORTS	16

struct ports {
	uint16_t	 tcp[MAX_PORTS];
	size_t		 ntcp;
	uint16_t	 local[MAX_PORTS];
	size_t		 nlocal;
	uint16_t	 udp[MAX_PORTS];
	size_t		 nudp;
};

/* What lan=, ssdp= and http= set for later opens. */
struct lan_opts {
	char		 lan_if[64];	/* "": no LAN */
	struct in_addr	 addr;
	struct in_addr	 mask;
	unsigned	 rate;
	unsigned	 burst;
	unsigned	 http[3];	/* limit, rate, burst */
};

static struct fw	*handles[MAX_HANDLES];
static size_t		 nhandles;
static struct lan_opts	 opts;

static void
usage(void)
{
	fprintf(stderr, "usage: fw_guard_test WAN "
	    "lan=[LANIF,LANADDR/PREFIX]|ssdp=RATE/BURST|"
	    "http=LIMIT/RATE/BURST|open|open-nohook|"
	    "guard=[tcp/P,local/P,udp/P...]|close ...\n");
	exit(2);
}

/* Strict port: digits only, 1..65535. Returns 0 when invalid. */
static uint16_t
parse_port(const char *s, size_t len)
{
	unsigned long	 v = 0;
	size_t		 i;

	if (len == 0 || len > 5)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v <= 65535 ? (uint16_t)v : 0;
}

/* Strict unsigned: digits only, at most max. Returns -1 when invalid. */
static long
parse_num(const char *s, size_t len, unsigned long max)
{
	unsigned long	 v = 0;
	size_t		 i;

	if (len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v <= max ? (long)v : -1;
}

/* LANIF,LANADDR/PREFIX, or "" for no LAN, into opts. */
static int
parse_lan(const char *s)
{
	size_t		 len = strcspn(s, ",");
	const char	*a, *slash;
	char		 addr[INET_ADDRSTRLEN];
	long		 prefix;

	memset(opts.lan_if, 0, sizeof(opts.lan_if));
	if (*s == '\0')
		return 0;
	if (len == 0 || len >= sizeof(opts.lan_if) || s[len] != ',')
		return -1;
	memcpy(opts.lan_if, s, len);
	a = s + len + 1;
	if ((slash = strchr(a, '/')) == NULL ||
	    (size_t)(slash - a) >= sizeof(addr))
		return -1;
	memcpy(addr, a, (size_t)(slash - a));
	addr[slash - a] = '\0';
	if (inet_pton(AF_INET, addr, &opts.addr) != 1 ||
	    (prefix = parse_num(slash + 1, strlen(slash + 1), 32)) == -1)
		return -1;
	opts.mask.s_addr = prefix == 0 ? 0 :
	    htonl(0xffffffffu << (32 - prefix));
	return 0;
}

/*
 * n numbers separated by "/" into out; any numbers, fw_open judges them.
 */
static int
parse_nums(const char *s, unsigned *out, size_t n)
{
	size_t	 i, len;
	long	 v;

	for (i = 0; i < n; i++) {
		len = strcspn(s, "/");
		if ((s[len] == '/') != (i + 1 < n) ||
		    (v = parse_num(s, len, 999999999)) == -1)
			return -1;
		out[i] = (unsigned)v;
		s += len + 1;
	}
	return 0;
}

/* RATE/BURST into opts. */
static int
parse_ssdp(const char *s)
{
	unsigned	 v[2];

	if (parse_nums(s, v, 2) == -1)
		return -1;
	opts.rate = v[0];
	opts.burst = v[1];
	return 0;
}

static int
parse_item(struct ports *p, const char *s, size_t len)
{
	uint16_t	*list;
	size_t		*n, kind = strcspn(s, "/");

	if (kind >= len)
		return -1;
	if (kind == 3 && strncmp(s, "tcp", 3) == 0) {
		list = p->tcp;
		n = &p->ntcp;
	} else if (kind == 5 && strncmp(s, "local", 5) == 0) {
		list = p->local;
		n = &p->nlocal;
	} else if (kind == 3 && strncmp(s, "udp", 3) == 0) {
		list = p->udp;
		n = &p->nudp;
	} else
		return -1;
	kind++;
	if (*n == MAX_PORTS ||
	    (list[*n] = parse_port(s + kind, len - kind)) == 0)
		return -1;
	(*n)++;
	return 0;
}

static int
parse_spec(struct ports *p, const char *spec)
{
	size_t	 len;

	memset(p, 0, sizeof(*p));
	while (*spec != '\0') {
		len = strcspn(spec, ",");
		if (parse_item(p, spec, len) == -1)
			return -1;
		spec += len;
		if (*spec == ',')
			spec++;
	}
	return 0;
}

static int
step_open(const char *wan, int hook, struct fw_err *err)
{
	struct fw_conf	 conf;
	const char	*ms;

	if (nhandles == MAX_HANDLES) {
		err->err = EMFILE;
		snprintf(err->where, sizeof(err->where), "too many handles");
		return -1;
	}
	memset(&conf, 0, sizeof(conf));
	conf.wan_if = wan;
	if ((conf.chain_prefix = getenv("FW_GUARD_PREFIX")) == NULL)
		conf.chain_prefix = "IGD2D";
	conf.hook = hook;
	if (opts.lan_if[0] != '\0') {
		conf.lan_if = opts.lan_if;
		conf.lan_addr = opts.addr;
		conf.lan_mask = opts.mask;
	}
	conf.ssdp_rate = opts.rate;
	conf.ssdp_burst = opts.burst;
	conf.http_conn_limit = opts.http[0];
	conf.http_conn_rate = opts.http[1];
	conf.http_conn_burst = opts.http[2];
	conf.lock_path = getenv("FW_GUARD_LOCK");
	if ((ms = getenv("FW_GUARD_LOCK_MS")) != NULL)
		conf.lock_timeout_ms = (unsigned)strtoul(ms, NULL, 10);
	if (fw_open(&handles[nhandles], &conf, err) == -1)
		return -1;
	nhandles++;
	return 0;
}

static int
step_guard(const char *spec, struct fw_err *err)
{
	struct ports	 p;
	struct fw_ports	 fp;

	if (parse_spec(&p, spec) == -1)
		usage();
	if (nhandles == 0) {
		err->err = EBADF;
		snprintf(err->where, sizeof(err->where), "no open handle");
		return -1;
	}
	fp.tcp = p.tcp;
	fp.ntcp = p.ntcp;
	fp.local = p.local;
	fp.nlocal = p.nlocal;
	fp.udp = p.udp;
	fp.nudp = p.nudp;
	return fw_guard(handles[nhandles - 1], &fp, err);
}

static int
step(const char *wan, const char *s, struct fw_err *err)
{
	if (strcmp(s, "open") == 0)
		return step_open(wan, 1, err);
	if (strcmp(s, "open-nohook") == 0)
		return step_open(wan, 0, err);
	if (strncmp(s, "guard=", 6) == 0)
		return step_guard(s + 6, err);
	if (strncmp(s, "lan=", 4) == 0) {
		if (parse_lan(s + 4) == -1)
			usage();
		return 0;
	}
	if (strncmp(s, "ssdp=", 5) == 0) {
		if (parse_ssdp(s + 5) == -1)
			usage();
		return 0;
	}
	if (strncmp(s, "http=", 5) == 0) {
		if (parse_nums(s + 5, opts.http, 3) == -1)
			usage();
		return 0;
	}
	if (strcmp(s, "close") == 0 && nhandles > 0) {
		fw_close(handles[--nhandles]);
		return 0;
	}
	usage();
	return -1;
}

int
main(int argc, char *argv[])
{
	struct fw_err	 err;
	int		 i;

	if (argc < 3)
		usage();
	for (i = 2; i < argc; i++) {
		memset(&err, 0, sizeof(err));
		if (step(argv[1], argv[i], &err) == -1) {
			fprintf(stderr, "fw_guard_test: %s: %s: %s\n",
			    argv[i], err.where, strerror(err.err));
			return 1;
		}
	}
	printf("fw_guard_test: %s: ok (backend %s)\n", argv[1],
	    fw_backend_name());
	return 0;
}
