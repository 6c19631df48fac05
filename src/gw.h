/*
 * gw: the state of one gateway instance, shared by the device (pupnp
 * glue), the services and the main loop.  Everything below `lock' is
 * read and written only with gw->lock held (the one gateway lock: pupnp
 * calls actions from several threads at once).
 */
#ifndef IGD2D_GW_H
#define IGD2D_GW_H

#include "upnpcompat.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>

#include "config.h"
#include "conn.h"
#include "netif.h"

#define GW_UDN_LEN	42	/* "uuid:" + 36 + NUL */

struct front;
struct fw;
struct portmap;

struct gw {
	struct config	 cfg;		/* effective settings */
	char		 uuid[CONFIG_UUID_LEN + 1];
	char		 udn_root[GW_UDN_LEN];
	char		 udn_wan[GW_UDN_LEN];
	char		 udn_wanconn[GW_UDN_LEN];
	char		 ip[INET_ADDRSTRLEN];	/* LAN address pupnp bound */
	uint16_t	 port;			/* the advertised HTTP port (front) */
	uint16_t	 upnp_port;		/* libupnp's own, for GENA */
	struct front	*front;			/* the HTTP server (front.h) */
	const char	**docs;			/* desc_files[i], rendered */
	UpnpDevice_Handle hnd;
	bool		 registered;
	struct fw	*fw;			/* NULL: no WAN guard */

	pthread_t	 timer;			/* the lease timer (nat.c) */
	bool		 timer_running;

	/*
	 * Taken after `lock' and held while pupnp queues an event, so events
	 * leave in the order their changes were made (device.h).
	 */
	pthread_mutex_t	 event_lock;
	pthread_mutex_t	 lock;
	pthread_cond_t	 timer_cond;	/* wakes the lease timer */
	bool		 timer_stop;
	struct netif_info lan;		/* LAN address and prefix */
	struct conn	 conn;		/* WAN connection as CPs see it */
	bool		 link_up;	/* PhysicalLinkStatus */
	struct portmap	*pm;		/* the mapping table */
	uint32_t	 system_update_id;	/* VC-13: 0 at start */
	bool		 map_changed;	/* an event is due (nat.c) */
	bool		 forwarding;	/* rules installed (emulate: VC-45) */
	bool		 bc_forwarding;	/* turned on for a broadcast mapping */
	unsigned	 bc_was;	/* NETIF_BCF_* on before (nat_stop) */
	unsigned	 conn_pending;	/* CONN_CHANGED_* not evented yet */
	bool		 enabled_pending;	/* EnabledForInternet changed */
	bool		 batch;		/* changes count once (nat.c) */
	bool		 batch_changed;
	uint64_t	 lease_gen;	/* table changes, for the lease file */
	bool		 wan_down;	/* igd2ctl wan down (emulate) */

	pthread_mutex_t	 persist_lock;	/* one lease-file writer (persist.c) */
	uint64_t	 persisted_gen;	/* lease_gen in the file */
	uint32_t	 started_mono;	/* clock_now() at start */
};

void	gw_lock(struct gw *gw);
void	gw_unlock(struct gw *gw);

#endif
