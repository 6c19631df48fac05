/*
 * service: what a UPnP service offers the device layer: a table of
 * actions (name -> handler) and the evented variables for a new
 * subscriber.  Handlers run without the gateway lock (they take it around the
 * state they touch, after any name lookup) and return a UPnP
 * error as a value (UPNPERR_NONE on success); device.c turns it into the
 * SOAP answer.
 */
#ifndef IGD2D_SERVICE_H
#define IGD2D_SERVICE_H

#include "upnpcompat.h"

#include <netinet/in.h>
#include <stddef.h>

#include "soap.h"
#include "upnperr.h"

struct gw;

struct action {
	const char	*name;
	const struct soapmsg *args;	/* the parsed request */
	struct in_addr	 cp;		/* the control point's IPv4 address */
	struct soap_resp resp;
};

struct service_action {
	const char	*name;
	/* NULL: declared in the SCPD, not implemented yet: 602. */
	enum upnperr	(*fn)(struct gw *, struct action *);
};

#define SERVICE_VARS_MAX	8
#define SERVICE_VALUE_LEN	64

struct service_vars {
	size_t		 n;
	const char	*name[SERVICE_VARS_MAX];
	char		 value[SERVICE_VARS_MAX][SERVICE_VALUE_LEN];
};

struct service {
	const char	*id;		/* serviceId in the description */
	const char	*type;		/* highest serviceType we implement */
	const struct service_action *actions;
	size_t		 nactions;
	/* All evented variables with their values (initial event). */
	void		(*vars)(struct gw *, struct service_vars *);
};

extern const struct service wanipconn_service;
extern const struct service wancommon_service;

struct mapping;

/*
 * Would the policy and the LAN of now still give a control point's
 * mapping m to the CP that made it (VC-05, the acl)?  Administrator and
 * configuration entries are always kept.  For a reload and the restore
 * at start; the caller holds the gateway lock.
 */
bool	wanipconn_may_keep_locked(struct gw *gw, const struct mapping *m);

/* Adds one name/value to v (values are truncated to fit). */
void	service_var(struct service_vars *v, const char *name,
	    const char *value);

#endif
