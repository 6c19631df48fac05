/*
 * igd2d: UPnP InternetGatewayDevice:2 daemon.  main: command line,
 * configuration loading, process lifecycle (detach, pid file, systemd
 * readiness), the WAN guard, signals and the once-a-second tick.
 */
#include "autoconf.h"
#include "upnpcompat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "config.h"
#include "ctl.h"
#include "device.h"
#include "dns.h"
#include "fw.h"
#include "gw.h"
#include "log.h"
#include "memtune.h"
#include "nat.h"
#include "netif.h"
#include "clock.h"
#include "persist.h"
#include "portmap.h"
#include "store.h"
#include "ssdp.h"
#include "sys.h"
#include "upnpfix.h"

#ifndef IGD2D_CONF_FILE
#define IGD2D_CONF_FILE		"/etc/igd2d.conf"
#endif
#ifndef IGD2D_STATE_DIR
#define IGD2D_STATE_DIR		"/var/lib/igd2d"
#endif
#ifndef IGD2D_RUNTIME_DIR
#define IGD2D_RUNTIME_DIR	"/run/igd2d"
#endif
#ifndef IGD2D_PID_FILE
#define IGD2D_PID_FILE		"/run/igd2d.pid"
#endif

#define SSDP_PORT	1900
#define EXIT_USAGE	2

/* Command-line settings, re-applied over the file at every reload. */
struct cmdline {
	const char	*file;		/* -f */
	bool		 file_given;
	bool		 foreground;
	bool		 check;
	int		 verbose;
	size_t		 nover;
	char		**over;		/* "key=value", in command-line order */
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: igd2d [-FhVv] [-f file] [-o key=value] [--lan IF] [--wan IF]\n"
"             [--state-dir DIR] [--check-config]\n"
"  -f, --config FILE   configuration file (default %s)\n"
"  -F, --foreground    stay in the foreground, log to stderr (systemd)\n"
"  -o KEY=VALUE        set any configuration key; wins over the file\n"
"      --lan IF        LAN interface (same as -o lan_interface=IF)\n"
"      --wan IF        WAN interface (same as -o wan_interface=IF)\n"
"      --state-dir DIR state directory (same as -o state_dir=DIR)\n"
"  -n, --check-config  check the configuration, print the effective\n"
"                      settings and exit (0: valid, 1: errors)\n"
"  -v, --verbose       more log output (repeat for debug)\n"
"  -V, --version       print the version and exit\n"
"  -h, --help          this help\n", IGD2D_CONF_FILE);
}

static void usage_error(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("igd2d: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see igd2d --help)\n", stderr);
	exit(EXIT_USAGE);
}

static void
add_override(struct cmdline *cl, const char *key, const char *value)
{
	size_t n;
	char *kv;

	n = strlen(key) + strlen(value) + 2;
	if ((kv = malloc(n)) == NULL)
		fatal("malloc");
	snprintf(kv, n, "%s=%s", key, value);
	cl->over[cl->nover++] = kv;
}

static void
parse_cmdline(int argc, char **argv, struct cmdline *cl)
{
	enum { OPT_LAN = 256, OPT_WAN, OPT_STATE };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "lan", required_argument, NULL, OPT_LAN },
		{ "wan", required_argument, NULL, OPT_WAN },
		{ "state-dir", required_argument, NULL, OPT_STATE },
		{ "check-config", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(cl, 0, sizeof(*cl));
	cl->file = IGD2D_CONF_FILE;
	if ((cl->over = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		fatal("calloc");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:Fo:nvVh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'f': cl->file = optarg; cl->file_given = true; break;
		case 'F': cl->foreground = true; break;
		case 'o':
			if (strchr(optarg, '=') == NULL)
				usage_error("-o %s: expected key=value",
				    optarg);
			cl->over[cl->nover++] = strdup(optarg);
			break;
		case OPT_LAN: add_override(cl, "lan_interface", optarg); break;
		case OPT_WAN: add_override(cl, "wan_interface", optarg); break;
		case OPT_STATE: add_override(cl, "state_dir", optarg); break;
		case 'n': cl->check = true; break;
		case 'v': cl->verbose++; break;
		case 'V': printf("igd2d %s (libupnp %s)\n", PACKAGE_VERSION,
			    UPNP_VERSION_STRING); exit(0);
		case 'h': usage(stdout); exit(0);
		case ':':
			usage_error("%s: missing argument", argv[optind - 1]);
			break;
		default:
			usage_error("%s: unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("%s: unexpected argument", argv[optind]);
}

static void
cmdline_free(struct cmdline *cl)
{
	size_t i;

	for (i = 0; i < cl->nover; i++)
		free(cl->over[i]);
	free(cl->over);
}

/*
 * Builds the effective settings: defaults, then the file (optional when
 * not named with -f), then the command line.  Returns the number of
 * errors (all in *errs); *bad_cmdline tells if some are the command
 * line's own (exit 2 rather than 1).
 */
static unsigned
load_config(const struct cmdline *cl, struct config *cfg,
    struct config_errs *errs, bool *bad_cmdline)
{
	const struct config_paths paths = {
		.state_dir = IGD2D_STATE_DIR,
		.runtime_dir = IGD2D_RUNTIME_DIR,
		.pid_file = IGD2D_PID_FILE,
		.version = PACKAGE_VERSION,
		.url = PACKAGE_URL,
	};
	unsigned before;
	size_t i, len;
	char *buf;

	memset(errs, 0, sizeof(*errs));
	config_defaults(cfg, &paths);
	/* A configuration file is small; refuse anything absurd. */
	if ((buf = store_read_file(cl->file, 1024 * 1024, &len)) != NULL) {
		config_parse(cfg, cl->file, buf, len, errs);
		free(buf);
	} else if (cl->file_given || errno != ENOENT)
		config_err_add(errs, "%s: %s", cl->file, strerror(errno));
	before = errs->count;
	for (i = 0; i < cl->nover; i++)
		config_set_option(cfg, "command line", cl->over[i], errs);
	*bad_cmdline = errs->count != before;
	config_validate(cfg, errs);
	return errs->count;
}

static void
print_errors(const struct config_errs *errs)
{
	unsigned i;

	for (i = 0; i < errs->count && i < CONFIG_ERRS_MAX; i++)
		log_warnx("%s", errs->err[i].msg);
	if (errs->count > CONFIG_ERRS_MAX)
		log_warnx("... and %u more errors",
		    errs->count - CONFIG_ERRS_MAX);
}

static void
print_setting(const char *key, const char *value, void *arg)
{
	(void)arg;
	if (value[0] == '\0' || strpbrk(value, " #\"\\") != NULL) {
		printf("%s = \"", key);
		for (; *value != '\0'; value++)
			printf("%s%c", *value == '"' || *value == '\\' ?
			    "\\" : "", *value);
		printf("\"\n");
	} else
		printf("%s = %s\n", key, value);
}

static void
print_config(const struct config *cfg)
{
	config_foreach(cfg, print_setting, NULL);
	if (cfg->http_port == 0)
		printf("# http_port: the first free port from %u\n",
		    DEVICE_HTTP_PORT_FIRST);
	if (cfg->uuid[0] == '\0')
		printf("# uuid: generated once and kept in %s/uuid\n",
		    cfg->state_dir);
	if (cfg->lease_file[0] == '\0')
		printf("# lease_file: %s/leases%s\n", cfg->state_dir,
		    cfg->persist ? "" : " (not used: persist = no)");
	if (cfg->ctl_socket[0] == '\0')
		printf("# ctl_socket: %s/igd2d.sock\n", cfg->runtime_dir);
}

static int
syslog_level(const struct config *cfg, int verbose)
{
	static const int map[] = { LOG_ERR, LOG_WARNING, LOG_NOTICE,
	    LOG_INFO, LOG_DEBUG };
	int l = (int)cfg->log_level + verbose;

	return map[l > 4 ? 4 : l];
}

/*
 * Installs the guard: the daemon's SSDP and HTTP (the front's) ports are
 * dropped when they arrive on the WAN interface (WIC-087, WIC-088,
 * VC-47); libupnp's internal port (0: not known yet) when they arrive on
 * any interface but lo, since only the front connects to it.
 */
static int
guard_ports(struct gw *gw, uint16_t http_port, uint16_t upnp_port)
{
	const uint16_t udp[] = { SSDP_PORT };
	struct fw_ports ports = { .tcp = &http_port, .local = &upnp_port,
	    .udp = udp, .nudp = 1 };
	struct fw_err err;

	if (!gw->cfg.wan_guard)
		return 0;
	ports.ntcp = http_port != 0;
	ports.nlocal = upnp_port != 0;
	if (fw_guard(gw->fw, &ports, &err) < 0) {
		errno = err.err;
		log_warn("fw: guard %s: %s", gw->cfg.wan_interface, err.where);
		return -1;
	}
	log_info("fw: WAN guard on %s: udp %u%s%.0u dropped",
	    gw->cfg.wan_interface, SSDP_PORT, http_port ? ", tcp " : "",
	    http_port);
	if (upnp_port != 0)
		log_info("fw: tcp %u (libupnp) dropped but on lo", upnp_port);
	return 0;
}

/*
 * Opens the firewall backend (the daemon's chains, empty: no stale rule
 * from a previous run survives) and installs the WAN guard.
 */
static int
open_fw(struct gw *gw)
{
	struct fw_conf conf = {
		.wan_if = gw->cfg.wan_interface,
		.chain_prefix = gw->cfg.fw_chain_prefix,
		.hook = gw->cfg.fw_hook,
		.hairpin = gw->cfg.hairpin,
		.lan_if = gw->cfg.lan_interface,
		.lan_addr = gw->lan.addr,
		.lan_mask = gw->lan.mask,
		.ssdp_rate = gw->cfg.ssdp_rate,
		.ssdp_burst = gw->cfg.ssdp_burst,
		.http_conn_limit = gw->cfg.http_conn_limit,
		.http_conn_rate = gw->cfg.http_conn_rate,
		.http_conn_burst = gw->cfg.http_conn_burst,
	};
	struct fw_err err;

	if (fw_open(&gw->fw, &conf, &err) < 0) {
		errno = err.err;
		log_warn("fw: %s", err.where);
		return -1;
	}
	if (!gw->cfg.wan_guard) {
		log_warnx("fw: wan_guard = no: UPnP ports are not filtered "
		    "on %s", gw->cfg.wan_interface);
		return 0;
	}
	return guard_ports(gw, gw->cfg.http_port, 0);
}

struct reloader {
	struct gw		*gw;
	const struct cmdline	*cl;
	char			 err[CONFIG_ERR_LEN + 64];
};

/*
 * SIGHUP or igd2ctl reload: the log level, limits, access rules and
 * static mappings change in place (admin.c); other settings wait for a
 * restart.  NULL, or the first configuration error (the running
 * configuration is then kept).
 */
static const char *
reload(void *arg)
{
	struct reloader *rl = arg;
	struct gw *gw = rl->gw;
	struct config cfg;
	struct config_errs errs;
	bool bad, other;

	sys_notify("RELOADING=1");
	if (load_config(rl->cl, &cfg, &errs, &bad) > 0) {
		print_errors(&errs);
		log_warnx("reload: configuration has errors; keeping the "
		    "running one");
		snprintf(rl->err, sizeof(rl->err), "%s%s", errs.err[0].msg,
		    errs.count > 1 ? " (and more: see the log)" : "");
		sys_notify("READY=1");
		return rl->err;
	}
	log_setlevel(syslog_level(&cfg, rl->cl->verbose));
	gw_lock(gw);
	admin_reload_locked(gw, &cfg);
	other = memcmp(&cfg, &gw->cfg, sizeof(cfg)) != 0;
	gw_unlock(gw);
	nat_flush_changes(gw);
	if (other)
		log_notice("reload: log level, limits, access rules and "
		    "static mappings applied; other changed settings take "
		    "effect at the next restart");
	else
		log_notice("reload: configuration reloaded");
	sys_notify("READY=1");
	return NULL;
}

/*
 * A netlink socket for link and IPv4 address changes: the WAN state is
 * re-read as soon as the kernel reports a change, not only at the next
 * tick (issue 9: ExternalIPAddress evented within 1 s).  -1 if
 * unavailable; the once-a-second tick still catches every change.
 */
static int
open_rtnetlink(void)
{
	struct sockaddr_nl sa;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_warn("rtnetlink");
		close(fd);
		return -1;
	}
	return fd;
}

/* Empties the netlink socket; what changed is re-read by device_poll. */
static void
drain(int fd)
{
	char buf[8192];

	while (recv(fd, buf, sizeof(buf), 0) > 0)
		;
}

static int
min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

static int
serve(struct gw *gw, struct ctl *ctl, struct reloader *rl)
{
	struct signalfd_siginfo si;
	struct pollfd pfd[3 + CTL_POLLFDS];
	sigset_t set;
	size_t nctl;
	uint64_t due;
	bool netlink;
	int n, tick;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pfd[0].fd = signalfd(-1, &set, SFD_CLOEXEC);
	pfd[1].fd = open_rtnetlink();	/* -1 is ignored by poll */
	pfd[2].fd = ssdp_fd();		/* delayed SSDP answers */
	pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
	if (pfd[0].fd < 0)
		fatal("signalfd");
	for (;;) {
		tick = device_next_tick_ms(gw);
		due = clock_now_ms() + (uint64_t)tick;
		nctl = ctl_pollfds(ctl, pfd + 3);
		n = poll(pfd, 3 + nctl, min_timeout(min_timeout(tick,
		    ctl_timeout_ms(ctl)), ssdp_timeout_ms()));
		if (n < 0 && errno != EINTR)
			fatal("poll");
		if (n < 0)
			continue;
		ssdp_run();
		ctl_serve(ctl, pfd + 3, nctl);
		if ((pfd[0].revents & POLLIN) &&
		    read(pfd[0].fd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
				log_notice("igd2d: stopping on signal %u",
				    si.ssi_signo);
				break;
			}
			(void)reload(rl);
			continue;
		}
		netlink = pfd[1].fd >= 0 && (pfd[1].revents & POLLIN);
		if (netlink)
			drain(pfd[1].fd);
		/*
		 * On the tick or an interface change, not on every wakeup: a
		 * control client streaming a long line wakes us once per read
		 * (its commands run device_poll themselves, ctl.c).
		 */
		if (netlink || clock_now_ms() >= due)
			device_poll(gw);
		memtune_trim();
	}
	close(pfd[0].fd);
	if (pfd[1].fd >= 0)
		close(pfd[1].fd);
	return 0;
}

static void
block_signals(void)
{
	sigset_t set;

	/*
	 * Blocked before libupnp starts its threads, so they inherit the
	 * mask and only the main loop's sigtimedwait sees these.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
init_conn(struct gw *gw)
{
	struct conn_conf cc;

	conn_conf_defaults(&cc);
	cc.mode = gw->cfg.wan_emulate ? CONN_EMULATE : CONN_MONITOR;
	cc.connect_delay = gw->cfg.connect_delay;
	cc.connecting_timeout = gw->cfg.connecting_timeout;
	cc.disconnect_delay = gw->cfg.disconnect_delay;
	if (gw->cfg.external_ip[0] != '\0')
		inet_pton(AF_INET, gw->cfg.external_ip, &cc.external_ip);
	conn_init_conf(&gw->conn, &cc);
}

/*
 * At boot the LAN interface may not be up with its address yet: wait
 * (lan_wait seconds at most) before anything needs it.
 */
static void
wait_lan(struct gw *gw)
{
	struct timespec nap = { 0, 200 * 1000000L };
	uint64_t deadline = clock_now_ms() + (uint64_t)gw->cfg.lan_wait * 1000;

	if (netif_ready(gw->cfg.lan_interface))
		return;
	log_notice("igd2d: waiting up to %u s for %s to be up with an "
	    "address", gw->cfg.lan_wait, gw->cfg.lan_interface);
	while (!netif_ready(gw->cfg.lan_interface) &&
	    clock_now_ms() < deadline)
		nanosleep(&nap, NULL);
}

static void
start(struct gw *gw, const struct cmdline *cl)
{
	char err[256];

	if (store_uuid(gw->cfg.state_dir, gw->uuid, err, sizeof(err)) < 0)
		fatal("%s", err);
	if (gw->cfg.uuid[0] != '\0')	/* the configured one wins */
		memcpy(gw->uuid, gw->cfg.uuid, sizeof(gw->uuid));
	/* The control socket's directory (ctl_socket's default). */
	if (store_mkdirs(gw->cfg.runtime_dir, 0755) < 0)
		log_warn("mkdir %s", gw->cfg.runtime_dir);
	if ((gw->pm = portmap_new(gw->cfg.max_mappings)) == NULL)
		fatal("portmap");
	wait_lan(gw);
	if (netif_query(gw->cfg.lan_interface, &gw->lan) < 0 ||
	    !gw->lan.has_addr)
		fatalx("igd2d: %s has no IPv4 address", gw->cfg.lan_interface);
	upnpfix_restrict_tcp(gw->lan.addr, gw->lan.mask);	/* CallStranger */
	dns_warm_up();
	if (open_fw(gw) < 0)
		exit(1);
	if (nat_timer_start(gw) < 0) {
		fw_close(gw->fw);
		exit(1);
	}
	if (device_init(gw) < 0) {
		device_stop(gw);
		fw_close(gw->fw);
		fatalx("igd2d: cannot start UPnP on %s",
		    gw->cfg.lan_interface);
	}
	/* Mappings are back in table and kernel before anyone is told. */
	gw_lock(gw);
	nat_batch_begin_locked(gw);
	(void)admin_statics_locked(gw, &gw->cfg);
	nat_batch_end_locked(gw);
	gw_unlock(gw);
	persist_restore(gw);
	/*
	 * VC-13: SystemUpdateID is 0 at start; what was restored is the
	 * start's state, not a change anyone is told about.
	 */
	gw_lock(gw);
	gw->system_update_id = 0;
	gw->map_changed = false;
	gw_unlock(gw);
	nat_flush_changes(gw);		/* the lease file, rewritten clean */
	/* The real HTTP ports are guarded before anything advertises them. */
	if (guard_ports(gw, gw->port, gw->upnp_port) < 0 ||
	    device_publish(gw) < 0) {
		device_stop(gw);
		fw_close(gw->fw);
		exit(1);
	}
	if (!cl->foreground && sys_pidfile_write(gw->cfg.pid_file) < 0)
		log_warn("pid file %s", gw->cfg.pid_file);
	log_notice("igd2d %s started: LAN %s (%s), WAN %s, uuid %s",
	    PACKAGE_VERSION, gw->cfg.lan_interface, gw->ip,
	    gw->cfg.wan_interface, gw->uuid);
}

static int
run(struct gw *gw, struct cmdline *cl)
{
	static struct reloader rl;
	char path[CONFIG_PATH_MAX + 16];
	struct config_errs errs;
	struct ctl *ctl;
	bool bad_cmdline;

	log_init("igd2d", true, LOG_WARNING);
	if (load_config(cl, &gw->cfg, &errs, &bad_cmdline) > 0) {
		print_errors(&errs);
		if (cl->check)
			return 1;
		log_warnx("igd2d: not starting: configuration has errors");
		return bad_cmdline ? EXIT_USAGE : 1;
	}
	if (cl->check) {
		print_config(&gw->cfg);
		printf("# configuration OK\n");
		return 0;
	}
	if (!cl->foreground && sys_daemonize() < 0)
		fatal("daemonize");
	log_init("igd2d", cl->foreground, syslog_level(&gw->cfg, cl->verbose));
	block_signals();
	memtune_init();
	pthread_mutex_init(&gw->lock, NULL);
	pthread_mutex_init(&gw->persist_lock, NULL);
	pthread_mutex_init(&gw->event_lock, NULL);
	gw->started_mono = clock_now();
	init_conn(gw);
	gw->forwarding = !gw->cfg.wan_emulate || conn_forwarding(&gw->conn);
	start(gw, cl);
	config_ctl_socket(&gw->cfg, path, sizeof(path));
	rl.gw = gw;
	rl.cl = cl;
	/* Without the socket the daemon still serves UPnP: say so, go on. */
	if ((ctl = ctl_open(gw, path, gw->cfg.ctl_group, reload, &rl)) == NULL)
		log_warnx("igd2d: no control socket; igd2ctl will not work");
	sys_ready();
	serve(gw, ctl, &rl);
	sys_notify("STOPPING=1");
	ctl_close(ctl);
	device_stop(gw);
	nat_timer_stop(gw);
	fw_close(gw->fw);		/* every mapping rule goes with the chains */
	nat_stop(gw);
	portmap_free(gw->pm);
	if (!cl->foreground)
		sys_pidfile_remove(gw->cfg.pid_file);
	log_notice("igd2d: stopped");
	return 0;
}

int
main(int argc, char **argv)
{
	static struct gw gw;
	struct cmdline cl;
	int rc;

	memtune_reexec(argv);
	parse_cmdline(argc, argv, &cl);
	rc = run(&gw, &cl);
	cmdline_free(&cl);
	return rc;
}
