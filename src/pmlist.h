/*
 * pmlist: the PortMappingList XML fragment of GetListOfPortMappings
 * (§2.3.25, WIC-205..WIC-210, VC-24).  Pure: builds a string in memory.
 * Values are entity-escaped inside the fragment; the caller sends the
 * fragment as a CDATA section, which the escaping makes safe (no "]]>").
 */
#ifndef IGD2D_PMLIST_H
#define IGD2D_PMLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct pmlist {
	struct strbuf	*b;	/* &own, or the caller's (pmlist_begin_in) */
	struct strbuf	 own;	/* out of memory: the result is NULL */
};

struct pmlist_entry {
	const char	*remote_host;	/* "" for the wildcard */
	uint16_t	 external_port;
	const char	*protocol;	/* "TCP" / "UDP" */
	uint16_t	 internal_port;
	const char	*internal_client;
	bool		 enabled;
	const char	*description;
	uint32_t	 lease_time;	/* remaining seconds, 0 = static */
};

/* Starts a list (the root element with its namespaces). */
void	 pmlist_begin(struct pmlist *l);

/*
 * The same, appending to the caller's buffer (a response being built:
 * the listing is not held twice); end it with pmlist_end_in.
 */
void	 pmlist_begin_in(struct pmlist *l, struct strbuf *into);

/* Appends one PortMappingEntry with its eight fields in WIC-207 order. */
void	 pmlist_add(struct pmlist *l, const struct pmlist_entry *e);

/* What pmlist_end appends. */
#define PMLIST_CLOSE	"</p:PortMappingList>"

/*
 * Closes the root element and returns the fragment (malloc'd, the caller
 * frees it), or NULL if memory ran out at any step.
 */
char	*pmlist_end(struct pmlist *l);

/* Closes a list begun with pmlist_begin_in; false if memory ran out. */
bool	 pmlist_end_in(struct pmlist *l);

#endif
