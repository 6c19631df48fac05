/*
 * msearch: the answers to SSDP searches (UDA 1.0 1.2.2-1.2.3), the pure
 * part: an M-SEARCH datagram parsed, its search target (ST) matched
 * against the devices and services of the description, each answer
 * formatted.  No I/O, no clock, no allocation: the shell (ssdp.c) gives
 * the date and sends.
 *
 * The answers are those libupnp 1.8.4 gave (doc/ARCHITECTURE.md, "SSDP"):
 * ssdp:all lists the root, every UDN and every type at its own version;
 * a device or service type is answered at the version asked when that is
 * at most the one implemented, with the lower description's LOCATION
 * when it is lower (LEG-03, VC-50); a higher version gets nothing.
 */
#ifndef IGD2D_MSEARCH_H
#define IGD2D_MSEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSEARCH_ST_MAX		192	/* the longest ST answered */
#define MSEARCH_MX_MAX		5	/* UDA 1.1: a larger MX counts as 5 */
#define MSEARCH_DEVICES		4	/* ours: 3 */
#define MSEARCH_SERVICES	8	/* ours: 2 */
#define MSEARCH_NAME_MAX	96	/* a type or UDN in the description */
/* Answers to one search at most: ssdp:all. */
#define MSEARCH_ANSWERS_MAX	(1 + 2 * MSEARCH_DEVICES + MSEARCH_SERVICES)
/* Room for one formatted answer with the longest values. */
#define MSEARCH_ANSWER_MAX	1536

struct msearch {
	char		 st[MSEARCH_ST_MAX + 1];
	unsigned	 mx;		/* seconds, at most MSEARCH_MX_MAX */
};

enum msearch_status {
	MSEARCH_OK,
	MSEARCH_OTHER,		/* a complete head, not an M-SEARCH */
	MSEARCH_BAD		/* malformed or incomplete */
};

/*
 * Parses one datagram (LEG-01: header names in any case, white space
 * after the colon optional, bare LF line ends, anything after the blank
 * line ignored).  OK needs "M-SEARCH * HTTP/1.x", MAN "ssdp:discover"
 * in double quotes, MX a decimal number and ST present, at most
 * MSEARCH_ST_MAX bytes, without white space.
 */
enum msearch_status msearch_parse(const char *buf, size_t len,
		    struct msearch *m);

/* What a description offers: its devices and their services. */
struct msearch_name {
	char		 type[MSEARCH_NAME_MAX];
	char		 udn[MSEARCH_NAME_MAX];	/* a service: its device's */
};

struct msearch_targets {
	struct msearch_name	 dev[MSEARCH_DEVICES];	/* dev[0]: the root */
	size_t			 ndev;
	struct msearch_name	 svc[MSEARCH_SERVICES];
	size_t			 nsvc;
};

/*
 * Reads the deviceType, UDN and serviceType elements of a device
 * description in document order.  A service belongs to the device whose
 * deviceType came last, as UDA's element order (serviceList before
 * deviceList) makes true.  false (and t empty) when the description has
 * no device, a device without exactly one UDN, a service before any
 * device, an empty or too long value, or too many devices or services.
 */
bool		 msearch_targets(const char *desc, struct msearch_targets *t);

/* One answer: ST, USN = udn or udn::suffix, and which LOCATION. */
struct msearch_hit {
	const char	*st;
	const char	*udn;
	const char	*suffix;	/* NULL: the USN is the UDN alone */
	bool		 lower;		/* the lower-version description */
};

typedef void	(*msearch_emit_fn)(void *ctx, const struct msearch_hit *h);

/*
 * Calls emit for each answer to a search for st, in order; returns how
 * many (at most MSEARCH_ANSWERS_MAX, 0 when st matches nothing).
 */
size_t		 msearch_match(const struct msearch_targets *t, const char *st,
		    msearch_emit_fn emit, void *ctx);

/*
 * The delay before answering, in whole seconds below the MX asked, as
 * libupnp computed it: MX less one tenth (at least one second) leaves the
 * answer time to arrive; MX 0-2 is answered at once.  rnd: any random
 * number.
 */
unsigned	 msearch_delay(unsigned mx, uint32_t rnd);

struct msearch_vars {
	unsigned	 max_age;	/* CACHE-CONTROL, as the NOTIFYs */
	const char	*date;		/* RFC 1123, GMT */
	const char	*location;
	const char	*lower_location;
	const char	*nls;		/* 01-NLS of the NOTIFYs; "": none */
	const char	*server;	/* "OS/version UPnP/1.0 product/version" */
};

/*
 * Writes the answer h into buf (NUL-terminated); returns its length, or
 * 0 if it does not fit in size bytes.
 */
size_t		 msearch_format(char *buf, size_t size,
		    const struct msearch_vars *v, const struct msearch_hit *h);

#endif
