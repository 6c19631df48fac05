/*
 * admin: what the administrator changes in the running gateway, from the
 * configuration (static mappings, a reload's limits and policy) or from
 * igd2ctl, through nat like every other change (table, kernel, events).
 * All functions run with the gateway lock held.
 */
#ifndef IGD2D_ADMIN_H
#define IGD2D_ADMIN_H

#include <stddef.h>

struct config;
struct gw;

/*
 * Makes the table's configuration mappings those of cfg->statics: gone or
 * changed ones are removed, new ones added with lease 0 (origin CONFIG).
 * A static mapping takes its port from any other entry holding it (the
 * configuration wins; each such removal is logged).  Returns how many
 * statics could not be installed (each logged).
 */
size_t	admin_statics_locked(struct gw *gw, const struct config *cfg);

/*
 * A reload: applies the limits, the access rules and managers and the
 * static mappings of cfg, and removes the control points' mappings the
 * new policy forbids, all as one occurrence (one SystemUpdateID
 * increment, one event).  Other settings wait for a restart.
 */
void	admin_reload_locked(struct gw *gw, const struct config *cfg);

#endif
