/*
 * ctl: the control socket (see ctl.h; protocol in ctlproto.h).
 */
#include "autoconf.h"
#include "upnpcompat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "ctl.h"
#include "ctlproto.h"
#include "device.h"
#include "gw.h"
#include "log.h"
#include "nat.h"
#include "portmap.h"
#include "strbuf.h"

struct client {
	int		 fd;		/* -1: free slot */
	char		 in[CTLPROTO_LINE_MAX];
	size_t		 inlen;
	struct strbuf	 out;		/* answers not yet sent */
	size_t		 outoff;	/* of them, sent */
	bool		 closing;	/* read no more; close once sent */
	bool		 discard;	/* after a long line: drop input */
	bool		 shut;		/* our side shut down after the error */
	uint64_t	 deadline;	/* clock_now_ms() */
	unsigned	 uid, pid;
};

struct ctl {
	struct gw	*gw;
	int		 fd;
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	gid_t		 gid;		/* ctl_group, or (gid_t)-1 */
	ctl_reload_fn	 reload;
	void		*arg;
	struct client	 c[CTL_CLIENTS];
};

/* ---- output --------------------------------------------------------------- */

/* Out of memory, the client gets a cut answer, then the connection ends. */
static void
out_add(struct client *c, const char *s, size_t n)
{
	strbuf_add(&c->out, s, n);
	if (c->out.nomem)
		c->closing = true;
}

static void out_printf(struct client *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
out_printf(struct client *c, const char *fmt, ...)
{
	char buf[CTLPROTO_MAPLINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		out_add(c, buf, (size_t)n < sizeof(buf) ? (size_t)n :
		    sizeof(buf) - 1);
}

/* A data line for m, with the seconds left as `lease'. */
static void
out_mapping(struct client *c, const struct mapping *m)
{
	char line[CTLPROTO_MAPLINE_MAX];

	out_add(c, line, ctlproto_format_mapping(m, "-", "lease",
	    nat_remaining(m), line, sizeof(line)));
}

/* ---- commands ------------------------------------------------------------- */

static void
cmd_status(struct ctl *ctl, struct client *c)
{
	struct gw *gw = ctl->gw;
	char ext[INET_ADDRSTRLEN], lease[CONFIG_PATH_MAX + 16];
	char lan[INET_ADDRSTRLEN];
	const char *conn;
	unsigned n;
	uint32_t id;
	bool link;

	gw_lock(gw);
	conn_external_ip(&gw->conn, ext, sizeof(ext));
	conn = conn_status_name(gw->conn.status);
	inet_ntop(AF_INET, &gw->lan.addr, lan, sizeof(lan));
	n = (unsigned)portmap_count(gw->pm);
	id = gw->system_update_id;
	link = gw->link_up;
	gw_unlock(gw);
	config_lease_file(&gw->cfg, lease, sizeof(lease));
	out_printf(c, "- version=%s uptime=%u lan=%s lan_address=%s wan=%s "
	    "wan_mode=%s connection=%s external_ip=%s link=%s mappings=%u "
	    "system_update_id=%u", PACKAGE_VERSION,
	    clock_now() - gw->started_mono, gw->cfg.lan_interface, lan,
	    gw->cfg.wan_interface, gw->cfg.wan_emulate ? "emulate" :
	    "monitor", conn, ext, link ? "Up" : "Down", n, id);
	out_printf(c, " lease_file=%s\n", gw->cfg.persist ? lease : "");
}

static void
cmd_list(struct ctl *ctl, struct client *c)
{
	struct mapping m;
	size_t i, n;

	gw_lock(ctl->gw);
	n = portmap_count(ctl->gw->pm);
	for (i = 0; i < n; i++)
		if (portmap_at(ctl->gw->pm, i, &m) == PORTMAP_OK)
			out_mapping(c, &m);
	gw_unlock(ctl->gw);
}

static const char *
add_error(enum nat_status st)
{
	switch (st) {
	case NAT_CONFLICT:
		return "the port is mapped to another client (delete it first)";
	case NAT_FOREIGN:
		return "the port holds a static mapping of another kind";
	case NAT_FULL:
		return "the table is full (max_mappings)";
	case NAT_KERNEL:
		return "the kernel refused the rules (see the log)";
	default:
		return nat_status_name(st);
	}
}

static const char *
cmd_add(struct ctl *ctl, struct client *c, struct ctlproto_req *r)
{
	struct mapping out;
	enum nat_status st;

	gw_lock(ctl->gw);
	st = nat_add_locked(ctl->gw, &r->m, r->lease, NAT_ADD, NULL, NULL,
	    &out);
	if (st == NAT_OK)
		out_mapping(c, &out);
	gw_unlock(ctl->gw);
	return st == NAT_OK ? NULL : add_error(st);
}

static const char *
cmd_delete(struct ctl *ctl, struct ctlproto_req *r)
{
	enum nat_status st;

	gw_lock(ctl->gw);
	st = nat_delete_locked(ctl->gw, &r->m.key);
	gw_unlock(ctl->gw);
	if (st == NAT_NOT_FOUND)
		return "no such mapping";
	return st == NAT_OK ? NULL : add_error(st);
}

/* Configuration mappings stay: the configuration is their source. */
static bool
flushable(const struct mapping *m, void *arg)
{
	(void)arg;
	return m->origin != PORTMAP_ORIGIN_CONFIG;
}

static void
cmd_flush(struct ctl *ctl, struct client *c)
{
	size_t n;

	gw_lock(ctl->gw);
	nat_remove_if_locked(ctl->gw, flushable, NULL, &n);
	gw_unlock(ctl->gw);
	out_printf(c, "- deleted=%zu\n", n);
}

static const char *
cmd_wan(struct ctl *ctl, const struct ctlproto_req *r)
{
	struct gw *gw = ctl->gw;
	uint32_t now = clock_now();
	unsigned bits = 0;

	if (!gw->cfg.wan_emulate)
		return "wan: only in emulate mode (wan_mode = emulate)";
	gw_lock(gw);
	switch (r->cmd) {
	case CTL_WAN_DOWN:
		gw->wan_down = true;
		break;
	case CTL_WAN_UP:
		gw->wan_down = false;
		/*
		 * An always-on router redials when the line comes back; a
		 * connection that is up or on its way answers an error here,
		 * which changes nothing.
		 */
		if (gw->conn.status == CONN_DISCONNECTED &&
		    conn_request_connection(&gw->conn, now, &bits) == CONN_OK)
			nat_conn_changed_locked(gw, bits);
		break;
	default:
		nat_conn_changed_locked(gw, conn_set_external_ip(&gw->conn,
		    &r->addr));
		break;
	}
	gw_unlock(gw);
	return NULL;
}

/* Runs one request line; answers data lines and "ok" or "error ...". */
static void
execute(struct ctl *ctl, struct client *c, char *line)
{
	struct ctlproto_req r;
	const char *err;
	char esc[128];

	log_escape(line, esc, sizeof(esc));
	if ((err = ctlproto_parse_request(line, &r)) != NULL) {
		out_printf(c, "error %s\n", err);
		return;
	}
	switch (r.cmd) {
	case CTL_STATUS: cmd_status(ctl, c); break;
	case CTL_LIST: cmd_list(ctl, c); break;
	case CTL_ADD: err = cmd_add(ctl, c, &r); break;
	case CTL_DELETE: err = cmd_delete(ctl, &r); break;
	case CTL_FLUSH: cmd_flush(ctl, c); break;
	case CTL_RELOAD: err = ctl->reload(ctl->arg); break;
	case CTL_WAN_UP:
	case CTL_WAN_DOWN:
	case CTL_WAN_ADDRESS: err = cmd_wan(ctl, &r); break;
	}
	if (r.cmd != CTL_STATUS && r.cmd != CTL_LIST)
		log_notice("ctl: uid %u pid %u: %s: %s", c->uid, c->pid, esc,
		    err != NULL ? err : "ok");
	if (err != NULL)
		out_printf(c, "error %s\n", err);
	else
		out_add(c, "ok\n", 3);
}

/* After a command: events and the lease file, as after a SOAP action. */
static void
after_command(struct gw *gw)
{
	device_poll(gw);		/* connection changes (wan ...) */
	nat_flush_changes(gw);
}

/* ---- clients -------------------------------------------------------------- */

static void
drop(struct client *c)
{
	close(c->fd);
	strbuf_free(&c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Runs every complete line in c->in. */
static void
lines(struct ctl *ctl, struct client *c)
{
	char *nl;
	size_t n;
	bool ran = false;

	while (!c->closing &&
	    (nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		*nl = '\0';
		n = (size_t)(nl - c->in) + 1;
		if (nl > c->in && nl[-1] == '\r')
			nl[-1] = '\0';
		execute(ctl, c, c->in);
		ran = true;
		memmove(c->in, c->in + n, c->inlen - n);
		c->inlen -= n;
	}
	if (!c->closing && c->inlen == sizeof(c->in)) {
		/*
		 * Answer, then drop what else comes until the client stops
		 * or its time is up: closing now, with its data unread, could
		 * reset the connection before it reads the answer.
		 */
		out_printf(c, "error line too long (at most %d bytes)\n",
		    CTLPROTO_LINE_MAX - 1);
		c->discard = true;
		c->inlen = 0;
	}
	if (ran)
		after_command(ctl->gw);
}

static void
readable(struct ctl *ctl, struct client *c)
{
	ssize_t n;

	if (c->discard)
		c->inlen = 0;		/* the buffer is a sink now */
	n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen,
	    MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0 && c->discard)
		return;
	if (n <= 0) {
		c->closing = true;	/* EOF: answer what came, then close */
		if (!c->discard && c->inlen > 0 && c->inlen < sizeof(c->in)) {
			c->in[c->inlen++] = '\n';	/* a last line */
			lines(ctl, c);
		}
		return;
	}
	c->inlen += (size_t)n;
	lines(ctl, c);
}

/* Ready for the next answers; a cut answer has set closing already. */
static void
sent_all(struct client *c)
{
	c->outoff = 0;
	strbuf_reset(&c->out);
}

static void
writable(struct client *c)
{
	ssize_t n;

	n = send(c->fd, c->out.p + c->outoff, c->out.len - c->outoff,
	    MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		sent_all(c);
		c->closing = true;
		return;
	}
	c->outoff += (size_t)n;
	if (c->outoff == c->out.len)
		sent_all(c);
}

/* Root, the daemon's user, or the primary group ctl_group. */
static bool
peer_allowed(const struct ctl *ctl, int fd, struct client *c)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	c->uid = (unsigned)cr.uid;
	c->pid = (unsigned)cr.pid;
	return cr.uid == 0 || cr.uid == geteuid() ||
	    (ctl->gid != (gid_t)-1 && cr.gid == ctl->gid);
}

static void
accept_one(struct ctl *ctl)
{
	static const char busy[] = "error busy: too many clients\n";
	static const char denied[] = "error permission denied\n";
	struct client tmp, *c = NULL;
	size_t i;
	int fd;

	if ((fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) < 0)
		return;
	for (i = 0; i < CTL_CLIENTS && c == NULL; i++)
		if (ctl->c[i].fd < 0)
			c = &ctl->c[i];
	if (!peer_allowed(ctl, fd, c != NULL ? c : &tmp)) {
		log_warnx("ctl: refused uid %u pid %u", c != NULL ? c->uid :
		    tmp.uid, c != NULL ? c->pid : tmp.pid);
		(void)send(fd, denied, sizeof(denied) - 1, MSG_NOSIGNAL);
		close(fd);
		return;
	}
	if (c == NULL) {
		(void)send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL);
		close(fd);
		return;
	}
	c->fd = fd;
	c->deadline = clock_now_ms() + CTL_IDLE_MS;
}

size_t
ctl_pollfds(struct ctl *ctl, struct pollfd *pfd)
{
	struct client *c;
	size_t i, n = 0;

	if (ctl == NULL)
		return 0;
	pfd[n].fd = ctl->fd;
	pfd[n++].events = POLLIN;
	for (i = 0; i < CTL_CLIENTS; i++) {
		c = &ctl->c[i];
		if (c->fd < 0)
			continue;
		pfd[n].fd = c->fd;
		pfd[n].events = (c->closing ? 0 : POLLIN) |
		    (c->out.len > 0 ? POLLOUT : 0);
		pfd[n++].revents = 0;
	}
	return n;
}

static struct client *
find(struct ctl *ctl, int fd)
{
	size_t i;

	for (i = 0; i < CTL_CLIENTS; i++)
		if (ctl->c[i].fd == fd)
			return &ctl->c[i];
	return NULL;
}

void
ctl_serve(struct ctl *ctl, const struct pollfd *pfd, size_t n)
{
	uint64_t now = clock_now_ms();
	struct client *c;
	size_t i;

	if (ctl == NULL)
		return;
	for (i = 1; i < n; i++) {
		if ((c = find(ctl, pfd[i].fd)) == NULL)
			continue;
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			readable(ctl, c);
		if (c->out.len > 0 && (pfd[i].revents & POLLOUT))
			writable(c);
		if (c->discard && c->out.len == 0 && !c->shut) {
			shutdown(c->fd, SHUT_WR);	/* the answer is out */
			c->shut = true;
		}
		/* A client being drained gets no more time by sending. */
		if (pfd[i].revents != 0 && !c->discard)
			c->deadline = now + CTL_IDLE_MS;
	}
	for (i = 0; i < CTL_CLIENTS; i++) {
		c = &ctl->c[i];
		if (c->fd >= 0 && ((c->closing && c->out.len == 0) ||
		    now >= c->deadline))
			drop(c);
	}
	if (n > 0 && (pfd[0].revents & POLLIN))
		accept_one(ctl);
}

int
ctl_timeout_ms(const struct ctl *ctl)
{
	uint64_t now = clock_now_ms(), next = UINT64_MAX;
	size_t i;

	if (ctl == NULL)
		return -1;
	for (i = 0; i < CTL_CLIENTS; i++)
		if (ctl->c[i].fd >= 0 && ctl->c[i].deadline < next)
			next = ctl->c[i].deadline;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

/* ---- the socket ----------------------------------------------------------- */

/* A socket file nobody answers on is a leftover of a crash. */
static int
remove_stale(const struct sockaddr_un *sa)
{
	int fd, r;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (r == 0) {
		errno = EADDRINUSE;
		return -1;
	}
	if (errno == ENOENT)
		return 0;
	return unlink(sa->sun_path);
}

static int
resolve_group(const char *name, gid_t *gid)
{
	struct group gr, *res = NULL;
	char buf[4096];

	*gid = (gid_t)-1;
	if (name[0] == '\0')
		return 0;
	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
		return -1;
	*gid = gr.gr_gid;
	return 0;
}

static int
listen_at(struct ctl *ctl)
{
	struct sockaddr_un sa;
	mode_t old;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, ctl->path, sizeof(sa.sun_path));
	if (remove_stale(&sa) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	old = umask(0177);		/* no window with a wider mode */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if ((ctl->gid != (gid_t)-1 && (chown(ctl->path, (uid_t)-1,
	    ctl->gid) < 0 || chmod(ctl->path, 0660) < 0)) ||
	    listen(fd, CTL_CLIENTS) < 0) {
		close(fd);
		unlink(ctl->path);
		return -1;
	}
	return fd;
}

struct ctl *
ctl_open(struct gw *gw, const char *path, const char *group,
    ctl_reload_fn reload, void *arg)
{
	struct ctl *ctl;
	size_t i;

	if (strlen(path) >= sizeof(ctl->path)) {
		log_warnx("ctl: %s: path too long for a Unix socket", path);
		return NULL;
	}
	if ((ctl = calloc(1, sizeof(*ctl))) == NULL) {
		log_warn("ctl");
		return NULL;
	}
	ctl->gw = gw;
	ctl->reload = reload;
	ctl->arg = arg;
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	for (i = 0; i < CTL_CLIENTS; i++)
		ctl->c[i].fd = -1;
	if (resolve_group(group, &ctl->gid) < 0) {
		log_warnx("ctl: ctl_group %s: no such group", group);
		free(ctl);
		return NULL;
	}
	if ((ctl->fd = listen_at(ctl)) < 0) {
		log_warn("ctl: %s", path);
		free(ctl);
		return NULL;
	}
	log_info("ctl: listening on %s", path);
	return ctl;
}

void
ctl_close(struct ctl *ctl)
{
	size_t i;

	if (ctl == NULL)
		return;
	for (i = 0; i < CTL_CLIENTS; i++)
		if (ctl->c[i].fd >= 0)
			drop(&ctl->c[i]);
	close(ctl->fd);
	unlink(ctl->path);
	free(ctl);
}
