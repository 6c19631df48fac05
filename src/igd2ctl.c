/*
 * igd2ctl: the administrator's client of igd2d's control socket.  Sends
 * one request line (ctlproto.h), prints the answer as text or JSON.
 * Exit status: 0 ok, 1 the daemon refused or is unreachable, 2 usage.
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlproto.h"

#ifndef IGD2D_RUNTIME_DIR
#define IGD2D_RUNTIME_DIR	"/run/igd2d"
#endif
#define DEFAULT_SOCKET	IGD2D_RUNTIME_DIR "/igd2d.sock"
#define EXIT_REFUSED	1
#define EXIT_USAGE	2
#define ANSWER_TIMEOUT	10	/* seconds */

struct opts {
	const char	*socket;
	bool		 json;
	const char	*lease, *remote, *desc;
	bool		 disabled;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: igd2ctl [-s socket] [-j] command [arguments]\n"
"  status                      the daemon's state\n"
"  list                        every port mapping\n"
"  add PROTO EXTPORT CLIENT INTPORT [-l lease] [-r remote] [-d desc]\n"
"      [--disabled]            add or replace a mapping (lease 0: static)\n"
"  delete PROTO EXTPORT [-r remote]\n"
"  flush                       delete every mapping but the configured ones\n"
"  reload                      re-read the configuration file\n"
"  wan up | wan down | wan address A.B.C.D   (wan_mode = emulate only)\n"
"options:\n"
"  -s, --socket PATH   control socket (default %s)\n"
"  -j, --json          JSON output for status and list\n"
"  -l, --lease SECONDS lease of an added mapping (default 0: static)\n"
"  -r, --remote ADDR   remote host of the mapping (default: any)\n"
"  -d, --desc TEXT     description of an added mapping\n"
"      --disabled      add the mapping disabled\n"
"  -h, --help          this help;  -V, --version  the version\n",
	    DEFAULT_SOCKET);
}

static void usage_error(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("igd2ctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see igd2ctl --help)\n", stderr);
	exit(EXIT_USAGE);
}

/* Appends " key=ENCODED" to the request. */
static void
field(char *req, size_t len, const char *key, const char *value)
{
	char enc[CTLPROTO_LINE_MAX];
	size_t n = strlen(req);

	if (ctlproto_encode(value, enc, sizeof(enc)) >= sizeof(enc) ||
	    (size_t)snprintf(req + n, len - n, " %s=%s", key, enc) >= len - n)
		usage_error("%s: too long", key);
}

static void
need(int argc, int want, const char *what)
{
	if (argc != want)
		usage_error("%s", what);
}

/* Builds the request line from the command words. */
static void
build(int argc, char **argv, const struct opts *o, char *req, size_t len)
{
	const char *cmd = argv[0];

	snprintf(req, len, "%s", cmd);
	if (strcmp(cmd, "status") == 0 || strcmp(cmd, "list") == 0 ||
	    strcmp(cmd, "flush") == 0 || strcmp(cmd, "reload") == 0) {
		need(argc, 1, "this command takes no arguments");
	} else if (strcmp(cmd, "add") == 0) {
		need(argc, 5, "add PROTO EXTPORT CLIENT INTPORT");
		field(req, len, "proto", argv[1]);
		field(req, len, "eport", argv[2]);
		field(req, len, "client", argv[3]);
		field(req, len, "iport", argv[4]);
		field(req, len, "lease", o->lease != NULL ? o->lease : "0");
		field(req, len, "enabled", o->disabled ? "0" : "1");
		if (o->desc != NULL)
			field(req, len, "desc", o->desc);
	} else if (strcmp(cmd, "delete") == 0) {
		need(argc, 3, "delete PROTO EXTPORT");
		field(req, len, "proto", argv[1]);
		field(req, len, "eport", argv[2]);
	} else if (strcmp(cmd, "wan") == 0) {
		if (argc == 2 && (strcmp(argv[1], "up") == 0 ||
		    strcmp(argv[1], "down") == 0))
			snprintf(req, len, "wan %s", argv[1]);
		else if (argc == 3 && strcmp(argv[1], "address") == 0) {
			snprintf(req, len, "wan");
			field(req, len, "address", argv[2]);
		} else
			usage_error("wan up | wan down | wan address A.B.C.D");
	} else
		usage_error("%s: unknown command", cmd);
	if (o->remote != NULL && (strcmp(cmd, "add") == 0 ||
	    strcmp(cmd, "delete") == 0))
		field(req, len, "remote", o->remote);
	else if (o->remote != NULL)
		usage_error("-r is for add and delete");
	if ((o->lease != NULL || o->desc != NULL || o->disabled) &&
	    strcmp(cmd, "add") != 0)
		usage_error("-l, -d and --disabled are for add");
	strncat(req, "\n", len - strlen(req) - 1);
}

static int
connect_to(const char *path)
{
	struct timeval tv = { ANSWER_TIMEOUT, 0 };
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- output --------------------------------------------------------------- */

/* JSON string; bytes that are not valid UTF-8 become U+FFFD. */
static void
json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i;

	putchar('"');
	while (*p != '\0') {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p++);
		else if (*p < 0x20)
			printf("\\u%04x", *p++);
		else if (*p < 0x80)
			putchar(*p++);
		else {
			n = *p >= 0xf0 && *p < 0xf5 ? 4 : *p >= 0xe0 ? 3 :
			    *p >= 0xc2 && *p < 0xe0 ? 2 : 0;
			if (*p >= 0xf5)
				n = 0;
			for (i = 1; i < n; i++)
				if ((p[i] & 0xc0) != 0x80)
					n = 0;
			if (n == 0) {
				fputs("\\ufffd", stdout);
				p++;
			} else {
				fwrite(p, 1, n, stdout);
				p += n;
			}
		}
	}
	putchar('"');
}

static bool
numeric(const char *key)
{
	static const char *const keys[] = { "eport", "iport", "lease",
	    "uptime", "mappings", "system_update_id", "deleted", NULL };
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static void
json_object(const struct ctlproto_line *l)
{
	size_t i;

	putchar('{');
	for (i = 0; i < l->nfields; i++) {
		if (i > 0)
			fputs(", ", stdout);
		json_str(l->field[i].key);
		fputs(": ", stdout);
		if (strcmp(l->field[i].key, "enabled") == 0)
			fputs(strcmp(l->field[i].value, "1") == 0 ? "true" :
			    "false", stdout);
		else if (numeric(l->field[i].key) && l->field[i].value[0])
			fputs(l->field[i].value, stdout);
		else
			json_str(l->field[i].value);
	}
	putchar('}');
}

static const char *
get(const struct ctlproto_line *l, const char *key)
{
	const char *v = ctlproto_get(l, key);

	return v != NULL ? v : "";
}

static void
table_row(const struct ctlproto_line *l)
{
	const char *remote = get(l, "remote");

	printf("%-5s %-5s %-15s %-15s %-5s %-7s %-6s %-3s %s\n",
	    get(l, "proto"), get(l, "eport"), remote[0] ? remote : "*",
	    get(l, "client"), get(l, "iport"), get(l, "lease"),
	    get(l, "origin"), strcmp(get(l, "enabled"), "1") == 0 ? "yes" :
	    "no", get(l, "desc"));
}

static void
text_fields(const struct ctlproto_line *l)
{
	size_t i;

	for (i = 0; i < l->nfields; i++)
		printf("%s: %s\n", l->field[i].key, l->field[i].value);
}

/* ---- the answer ----------------------------------------------------------- */

struct printer {
	const char	*cmd;
	bool		 json;
	size_t		 rows;
};

static void
data_line(struct printer *p, char *line)
{
	struct ctlproto_line l;

	if (ctlproto_split(line, &l) != NULL)
		return;			/* not ours to judge: skip it */
	if (strcmp(p->cmd, "list") == 0 || (strcmp(p->cmd, "add") == 0 &&
	    !p->json)) {
		if (p->json) {
			fputs(p->rows == 0 ? "[\n  " : ",\n  ", stdout);
			json_object(&l);
		} else {
			if (p->rows == 0)
				printf("%-5s %-5s %-15s %-15s %-5s %-7s %-6s "
				    "%-3s %s\n", "PROTO", "EXT", "REMOTE",
				    "CLIENT", "INT", "LEASE", "ORIGIN", "ON",
				    "DESCRIPTION");
			table_row(&l);
		}
	} else if (p->json) {
		json_object(&l);
		putchar('\n');
	} else
		text_fields(&l);
	p->rows++;
}

/* Reads the answer to its last line; the exit status. */
static int
answer(int fd, struct printer *p)
{
	static char buf[4 * CTLPROTO_MAPLINE_MAX];
	size_t len = 0;
	ssize_t n;
	char *nl;

	for (;;) {
		while ((nl = memchr(buf, '\n', len)) != NULL) {
			*nl = '\0';
			if (strncmp(buf, "- ", 2) == 0)
				data_line(p, buf);
			else if (strcmp(buf, "ok") == 0)
				return 0;
			else if (strncmp(buf, "error ", 6) == 0) {
				fprintf(stderr, "igd2ctl: %s\n", buf + 6);
				return EXIT_REFUSED;
			}
			len -= (size_t)(nl - buf) + 1;
			memmove(buf, nl + 1, len);
		}
		if (len == sizeof(buf))
			len = 0;	/* an overlong line: drop it */
		n = recv(fd, buf + len, sizeof(buf) - len, 0);
		if (n <= 0) {
			fprintf(stderr, "igd2ctl: %s\n", n == 0 ?
			    "the daemon closed the connection" :
			    strerror(errno));
			return EXIT_REFUSED;
		}
		len += (size_t)n;
	}
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	enum { OPT_DISABLED = 256 };
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "lease", required_argument, NULL, 'l' },
		{ "remote", required_argument, NULL, 'r' },
		{ "desc", required_argument, NULL, 'd' },
		{ "disabled", no_argument, NULL, OPT_DISABLED },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->socket = DEFAULT_SOCKET;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:jl:r:d:hV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 's': o->socket = optarg; break;
		case 'j': o->json = true; break;
		case 'l': o->lease = optarg; break;
		case 'r': o->remote = optarg; break;
		case 'd': o->desc = optarg; break;
		case OPT_DISABLED: o->disabled = true; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("igd2ctl %s\n", PACKAGE_VERSION); exit(0);
		case ':':
			usage_error("%s: missing argument", argv[optind - 1]);
			break;
		default:
			usage_error("%s: unknown option", argv[optind - 1]);
		}
	}
}

int
main(int argc, char **argv)
{
	char req[CTLPROTO_LINE_MAX];
	struct printer p;
	struct opts o;
	int fd, rc;

	parse_opts(argc, argv, &o);	/* options anywhere (GNU getopt) */
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage_error("no command");
	build(argc, argv, &o, req, sizeof(req));
	if ((fd = connect_to(o.socket)) < 0) {
		fprintf(stderr, "igd2ctl: %s: %s\n", o.socket,
		    strerror(errno));
		return EXIT_REFUSED;
	}
	/*
	 * A daemon that refuses us has already answered and closed: a failed
	 * send still leaves its answer to read.
	 */
	(void)send(fd, req, strlen(req), MSG_NOSIGNAL);
	memset(&p, 0, sizeof(p));
	p.cmd = argv[0];
	p.json = o.json;
	rc = answer(fd, &p);
	if (rc == 0 && p.json && strcmp(p.cmd, "list") == 0)
		fputs(p.rows == 0 ? "[]\n" : "\n]\n", stdout);
	close(fd);
	return rc;
}
