/*
 * fw_map_test: drive the port-mapping half of the firewall backend, for
 * test_fw_map.sh, which runs it inside a scratch network namespace. One
 * process runs a whole sequence, since fw_open flushes our chains:
 *
 *	fw_map_test WAN STEP...
 *
 * Steps run in order on the named WAN interface:
 *	open		fw_open with hook (open-nohook: without)
 *	open-hairpin=LANIF,LANADDR/PREFIX
 *			fw_open with hook and hairpin on LANIF, the
 *			gateway's LAN address LANADDR in a /PREFIX
 *	add=SPEC	fw_map_add; SPEC is tcp|udp,REMOTE,EPORT,IADDR,IPORT
 *	addx=SPEC	fw_map_add_excl
 *	del=SPEC	fw_map_del
 *	flush		fw_map_flush
 *	list		fw_map_list: one "map SPEC" line per mapping
 *	foreign=P/N	fw_foreign: prints "foreign P/N 0" or "... 1"
 *	close		fw_close
 *	sleep=MS	sleep
 *	hold		print "hold", then wait for a line on stdin (or
 *			its end), so the caller can look at the kernel and
 *			run traffic while the rules are in place
 *	time		print "time N ops MS ms": the add and del steps
 *			since the previous time step (or the start)
 * A step written !STEP must fail: its error is printed and the run goes
 * on; should it succeed, the run stops with exit 1.
 *
 * Environment: FW_MAP_LOCK, the xtables lock file (default the real one);
 * FW_MAP_LOCK_MS, how long to wait for it.
 *
 * Exit 0 when every step went as written, 1 when not (the error goes to
 * stderr as "STEP: where: strerror"), 2 on bad usage.
 */

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw.h"

struct run {
	const char	*wan;
	struct fw	*fw;
	unsigned	 ops;		/* add/del since the last "time" */
	struct timespec	 since;
};

static void
usage(void)
{
	fprintf(stderr, "usage: fw_map_test WAN open|open-nohook|"
	    "open-hairpin=LANIF,LANADDR/PREFIX|add=SPEC|addx=SPEC|\n"
	    "    del=SPEC|flush|list|foreign=P/N|close|sleep=MS|hold|time ...\n"
	    "SPEC: tcp|udp,REMOTE,EPORT,IADDR,IPORT\n");
	exit(2);
}

/* Strict number: digits only, at most max. Returns -1 when invalid. */
static long
parse_num(const char *s, size_t len, long max)
{
	long	 v = 0;
	size_t	 i;

	if (len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

static int
parse_proto(const char *s, size_t len, uint8_t *proto)
{
	if (len == 3 && strncmp(s, "tcp", 3) == 0)
		*proto = IPPROTO_TCP;
	else if (len == 3 && strncmp(s, "udp", 3) == 0)
		*proto = IPPROTO_UDP;
	else
		return -1;
	return 0;
}

static int
parse_addr(const char *s, size_t len, struct in_addr *a)
{
	char	 buf[INET_ADDRSTRLEN];

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, a) == 1 ? 0 : -1;
}

/* Ports may be 0 here, so that the backend's EINVAL can be tested. */
static int
parse_spec(const char *s, struct fw_mapping *m)
{
	const char	*f[5];
	size_t		 len[5], i;
	long		 ep, ip;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 5; i++) {
		f[i] = s;
		len[i] = strcspn(s, ",");
		s += len[i];
		if (*s == ',' && i < 4)
			s++;
		else if (*s != '\0' || i < 4)
			return -1;
	}
	if (parse_proto(f[0], len[0], &m->proto) == -1 ||
	    parse_addr(f[1], len[1], &m->remote) == -1 ||
	    (ep = parse_num(f[2], len[2], 65535)) == -1 ||
	    parse_addr(f[3], len[3], &m->iaddr) == -1 ||
	    (ip = parse_num(f[4], len[4], 65535)) == -1)
		return -1;
	m->eport = (uint16_t)ep;
	m->iport = (uint16_t)ip;
	return 0;
}

static void
print_mapping(const struct fw_mapping *m)
{
	char	 r[INET_ADDRSTRLEN], i[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &m->remote, r, sizeof(r));
	inet_ntop(AF_INET, &m->iaddr, i, sizeof(i));
	printf("map %s,%s,%u,%s,%u\n", m->proto == IPPROTO_TCP ? "tcp" :
	    "udp", r, m->eport, i, m->iport);
}

static int
no_handle(struct fw_err *err)
{
	err->err = EBADF;
	snprintf(err->where, sizeof(err->where), "no open handle");
	return -1;
}

/* LANIF,LANADDR/PREFIX into conf's hairpin fields; lan holds LANIF. */
static int
parse_lan(const char *s, struct fw_conf *conf, char *lan, size_t size)
{
	size_t		 len = strcspn(s, ",");
	const char	*a, *slash;
	long		 prefix;

	if (len == 0 || len >= size || s[len] != ',')
		return -1;
	memcpy(lan, s, len);
	lan[len] = '\0';
	a = s + len + 1;
	if ((slash = strchr(a, '/')) == NULL ||
	    parse_addr(a, (size_t)(slash - a), &conf->lan_addr) == -1 ||
	    (prefix = parse_num(slash + 1, strlen(slash + 1), 32)) == -1)
		return -1;
	conf->lan_mask.s_addr = prefix == 0 ? 0 :
	    htonl(0xffffffffu << (32 - prefix));
	conf->lan_if = lan;
	conf->hairpin = 1;
	return 0;
}

/* lan: NULL, or the argument of open-hairpin=. */
static int
step_open(struct run *run, int hook, const char *lan, struct fw_err *err)
{
	struct fw_conf	 conf;
	const char	*ms;
	char		 lan_if[64];

	memset(&conf, 0, sizeof(conf));
	if (lan != NULL &&
	    parse_lan(lan, &conf, lan_if, sizeof(lan_if)) == -1)
		usage();
	if (run->fw != NULL) {
		fw_close(run->fw);
		run->fw = NULL;
	}
	conf.wan_if = run->wan;
	conf.chain_prefix = "IGD2D";
	conf.hook = hook;
	conf.lock_path = getenv("FW_MAP_LOCK");
	if ((ms = getenv("FW_MAP_LOCK_MS")) != NULL)
		conf.lock_timeout_ms = (unsigned)strtoul(ms, NULL, 10);
	return fw_open(&run->fw, &conf, err);
}

/* add: 0 del, 1 add, 2 add_excl. */
static int
step_map(struct run *run, int add, const char *spec, struct fw_err *err)
{
	struct fw_mapping	 m;

	if (parse_spec(spec, &m) == -1)
		usage();
	if (run->fw == NULL)
		return no_handle(err);
	run->ops++;
	if (add == 2)
		return fw_map_add_excl(run->fw, &m, err);
	return add ? fw_map_add(run->fw, &m, err) :
	    fw_map_del(run->fw, &m, err);
}

static int
step_list(struct run *run, struct fw_err *err)
{
	struct fw_mapping	*v;
	size_t			 n, i;

	if (run->fw == NULL)
		return no_handle(err);
	if (fw_map_list(run->fw, &v, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		print_mapping(&v[i]);
	free(v);
	return 0;
}

static int
step_foreign(struct run *run, const char *arg, struct fw_err *err)
{
	uint8_t		 proto;
	long		 port;
	int		 rc;

	if (strlen(arg) < 5 || arg[3] != '/' ||
	    parse_proto(arg, 3, &proto) == -1 ||
	    (port = parse_num(arg + 4, strlen(arg + 4), 65535)) == -1)
		usage();
	if (run->fw == NULL)
		return no_handle(err);
	if ((rc = fw_foreign(run->fw, proto, (uint16_t)port, err)) == -1)
		return -1;
	printf("foreign %s %d\n", arg, rc);
	return 0;
}

static void
step_sleep(const char *arg)
{
	struct timespec	 ts;
	long		 ms;

	if ((ms = parse_num(arg, strlen(arg), 600000)) == -1)
		usage();
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static void
step_hold(void)
{
	char	 line[64];

	printf("hold\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		clearerr(stdin);
}

static void
step_time(struct run *run)
{
	struct timespec	 now;
	double		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - run->since.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - run->since.tv_nsec) / 1e6;
	printf("time %u ops %.3f ms\n", run->ops, ms);
	run->ops = 0;
	run->since = now;
}

static int
step(struct run *run, const char *s, struct fw_err *err)
{
	if (strcmp(s, "open") == 0 || strcmp(s, "open-nohook") == 0)
		return step_open(run, strcmp(s, "open") == 0, NULL, err);
	if (strncmp(s, "open-hairpin=", 13) == 0)
		return step_open(run, 1, s + 13, err);
	if (strncmp(s, "add=", 4) == 0 || strncmp(s, "del=", 4) == 0)
		return step_map(run, s[0] == 'a', s + 4, err);
	if (strncmp(s, "addx=", 5) == 0)
		return step_map(run, 2, s + 5, err);
	if (strcmp(s, "flush") == 0)
		return run->fw == NULL ? no_handle(err) :
		    fw_map_flush(run->fw, err);
	if (strcmp(s, "list") == 0)
		return step_list(run, err);
	if (strncmp(s, "foreign=", 8) == 0)
		return step_foreign(run, s + 8, err);
	if (strcmp(s, "close") == 0) {
		fw_close(run->fw);
		run->fw = NULL;
	} else if (strncmp(s, "sleep=", 6) == 0)
		step_sleep(s + 6);
	else if (strcmp(s, "hold") == 0)
		step_hold();
	else if (strcmp(s, "time") == 0)
		step_time(run);
	else
		usage();
	return 0;
}

int
main(int argc, char *argv[])
{
	/* Static: a handle left open at exit stays reachable, not leaked. */
	static struct run run;
	struct fw_err	 err;
	const char	*s;
	int		 i, must_fail;

	if (argc < 3)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	run.wan = argv[1];
	clock_gettime(CLOCK_MONOTONIC, &run.since);
	for (i = 2; i < argc; i++) {
		s = argv[i];
		if ((must_fail = s[0] == '!'))
			s++;
		memset(&err, 0, sizeof(err));
		if (step(&run, s, &err) == 0) {
			if (!must_fail)
				continue;
			fprintf(stderr, "fw_map_test: %s: succeeded\n", s);
			return 1;
		}
		if (must_fail) {
			printf("failed %s: %s: %s\n", s, err.where,
			    strerror(err.err));
			continue;
		}
		fprintf(stderr, "fw_map_test: %s: %s: %s\n", s, err.where,
		    strerror(err.err));
		return 1;
	}
	/* Like a crash: an open handle keeps its rules for inspection. */
	printf("fw_map_test: %s: ok (backend %s)\n", argv[1],
	    fw_backend_name());
	return 0;
}
