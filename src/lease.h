/*
 * lease: the lease file's text (state_dir/leases), which keeps the
 * dynamic and administrator mappings across a restart (issue 6).  Pure:
 * the shell reads and writes the file (store_write_atomic) and passes the
 * wall-clock time in.
 *
 * One mapping per line, in the control socket's format (ctlproto.h):
 *	map proto=TCP eport=8080 remote= client=192.168.1.10 iport=80
 *	    enabled=1 origin=upnp creator=192.168.1.10 expires=1795000000
 *	    desc=Game%20server
 * `expires' is the lease end in wall-clock seconds since the epoch (the
 * monotonic clock restarts with the machine), 0 for a static entry.
 * Blank lines and lines starting with '#' are ignored.  Configuration
 * mappings are not written: the configuration file is their source.
 */
#ifndef IGD2D_LEASE_H
#define IGD2D_LEASE_H

#include <stddef.h>
#include <stdint.h>

#include "portmap.h"

#define LEASE_HEADER	"# igd2d lease file: written by igd2d, do not edit " \
			"while it runs\n"

/* A restored entry: the mapping and the seconds left (0: static). */
struct lease_entry {
	struct mapping	m;
	uint32_t	remaining;
};

struct lease_counts {
	size_t		restored;	/* handed to the entry callback */
	size_t		expired;	/* valid, but the lease had run out */
	size_t		bad;		/* lines reported as errors */
};

typedef void	(*lease_entry_fn)(const struct lease_entry *e, void *arg);
typedef void	(*lease_error_fn)(unsigned line, const char *why, void *arg);

/*
 * Formats m's line into buf (CTLPROTO_MAPLINE_MAX bytes) given the lease
 * end in wall-clock seconds (0: static).  Returns the length.
 */
size_t	lease_format(const struct mapping *m, uint64_t expires, char *buf,
	    size_t len);

/*
 * Parses the file text buf[0..len) (modified in place; NULs allowed and
 * reported) at wall-clock time now.  Each valid, unexpired line goes to
 * entry(); each bad line to error() with its number, and parsing goes
 * on, so one damaged line loses only itself.  A last line without its
 * '\n' is reported as truncated.  The counts come back in *c.
 */
void	lease_parse(char *buf, size_t len, uint64_t now, lease_entry_fn entry,
	    lease_error_fn error, void *arg, struct lease_counts *c);

#endif
