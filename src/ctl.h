/*
 * ctl: the control socket (out-of-band management, igd2ctl(8)).  A Unix
 * stream socket, mode 0600 (0660 with ctl_group), served from the main
 * loop without blocking it: at most CTL_CLIENTS clients, lines of at most
 * CTLPROTO_LINE_MAX bytes (a longer one is answered with an error and the
 * rest dropped for at most CTL_IDLE_MS), and a client idle for CTL_IDLE_MS
 * is closed, so a client that sends nothing or megabytes costs nothing.
 * Peers are checked with SO_PEERCRED: root, the daemon's own user, or a
 * member (primary group) of ctl_group.  Commands change the mappings
 * through nat like SOAP actions (same table, kernel, events, lease file).
 */
#ifndef IGD2D_CTL_H
#define IGD2D_CTL_H

#include <poll.h>
#include <stddef.h>

#define CTL_CLIENTS	8
#define CTL_IDLE_MS	5000
#define CTL_POLLFDS	(1 + CTL_CLIENTS)

struct gw;
struct ctl;

/*
 * Reloads the configuration (igd2ctl reload); NULL on success, or the
 * error to answer (the first configuration error).
 */
typedef const char *(*ctl_reload_fn)(void *arg);

/*
 * Creates the socket at path (a stale one is replaced; a live daemon's is
 * an error).  NULL after logging why.
 */
struct ctl	*ctl_open(struct gw *gw, const char *path, const char *group,
		    ctl_reload_fn reload, void *arg);

/* Removes the socket and closes every client.  NULL is a no-op. */
void		 ctl_close(struct ctl *ctl);

/* Fills pfd (CTL_POLLFDS entries) for poll(); returns how many. */
size_t		 ctl_pollfds(struct ctl *ctl, struct pollfd *pfd);

/* Serves what poll() reported in the n entries ctl_pollfds() filled. */
void		 ctl_serve(struct ctl *ctl, const struct pollfd *pfd, size_t n);

/* Milliseconds until the next client times out; -1 if none. */
int		 ctl_timeout_ms(const struct ctl *ctl);

#endif
