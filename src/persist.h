/*
 * persist: the lease file on disk (format: lease.h).  After every change
 * of the mappings the whole file is rewritten atomically
 * (store_write_atomic: temporary file, fsync, rename), before the action's
 * answer leaves, so a control point told "success" finds its mapping
 * again after a crash.  Writers are group-committed: a caller that finds
 * the file already holds its change returns at once.
 */
#ifndef IGD2D_PERSIST_H
#define IGD2D_PERSIST_H

struct gw;

/*
 * Writes the lease file if the table changed since the last write
 * (persist = no: nothing).  Called without the gateway lock.  0, or -1
 * after logging why (the table is unchanged; the next change retries).
 */
int	persist_save(struct gw *gw);

/*
 * At start, before advertising: reinstalls the mappings of the lease
 * file whose leases have not run out, with the time they have left, and
 * logs each bad line as file:line.  Entries that the current policy or
 * LAN forbid, or that meet a static mapping, are dropped with a log line.
 * Takes the gateway lock.
 */
void	persist_restore(struct gw *gw);

#endif
