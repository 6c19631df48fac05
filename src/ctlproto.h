/*
 * ctlproto: the text format shared by the control socket (igd2d <->
 * igd2ctl, documented in igd2ctl(8)) and the lease file.  Pure: no I/O.
 *
 * A line is a verb followed by key=value fields, separated by single or
 * repeated spaces or tabs, ended by '\n'.  Values are percent-encoded:
 * every byte that is not a printable ASCII character other than '%' and
 * '=' travels as %XX, so a value never contains a separator, and a
 * description in any encoding survives unchanged.  An empty value is
 * written "key=".
 *
 * Requests (one line each):
 *	status
 *	list
 *	add proto=TCP|UDP eport=N client=A.B.C.D iport=N [lease=S]
 *	    [remote=A.B.C.D] [enabled=0|1] [desc=TEXT]
 *	delete proto=TCP|UDP eport=N [remote=A.B.C.D]
 *	flush
 *	reload
 *	wan up | wan down | wan address=A.B.C.D
 * Answers: zero or more data lines "- key=value ...", then one line
 * "ok" or "error MESSAGE".
 */
#ifndef IGD2D_CTLPROTO_H
#define IGD2D_CTLPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portmap.h"

#define CTLPROTO_LINE_MAX	1024	/* bytes of a request, with '\n' */
#define CTLPROTO_FIELDS_MAX	16
/* A mapping line: fixed fields plus a description encoded 3 bytes a byte. */
#define CTLPROTO_MAPLINE_MAX	(200 + 3 * PORTMAP_DESC_MAX)

struct ctlproto_field {
	const char	*key;
	char		*value;		/* decoded in place */
};

/* One line split: the verb and its fields, pointing into the line. */
struct ctlproto_line {
	char		*verb;
	struct ctlproto_field field[CTLPROTO_FIELDS_MAX];
	size_t		 nfields;
};

enum ctlproto_cmd {
	CTL_STATUS,
	CTL_LIST,
	CTL_ADD,
	CTL_DELETE,
	CTL_FLUSH,
	CTL_RELOAD,
	CTL_WAN_UP,
	CTL_WAN_DOWN,
	CTL_WAN_ADDRESS
};

/* A checked request. */
struct ctlproto_req {
	enum ctlproto_cmd cmd;
	struct mapping	 m;		/* add, delete: key and fields */
	uint32_t	 lease;		/* add: seconds, 0 = static */
	struct in_addr	 addr;		/* wan address */
};

/*
 * Splits line (NUL-terminated, without '\n'; modified in place) into a
 * verb and fields, decoding the values.  A field without '=' is kept with
 * an empty key when it directly follows the verb ("wan up"), else it is an
 * error.  NULL, or what is wrong (a static string).
 */
const char	*ctlproto_split(char *line, struct ctlproto_line *out);

/* The value of key, or NULL; a repeated key is found by ctlproto_split. */
const char	*ctlproto_get(const struct ctlproto_line *l, const char *key);

/*
 * Parses and checks one request line (modified in place) into *req.
 * NULL, or the error message the daemon answers with.
 */
const char	*ctlproto_parse_request(char *line, struct ctlproto_req *req);

/*
 * Reads the mapping fields shared by the lease file and the `list'
 * answer (proto, eport, remote, client, iport, enabled, desc, origin,
 * creator) into *m.  NULL or what is wrong.
 */
const char	*ctlproto_get_mapping(const struct ctlproto_line *l,
		    struct mapping *m);

/*
 * Formats "VERB fields... TIMEKEY=time\n" for m into buf (at least
 * CTLPROTO_MAPLINE_MAX bytes); the lease file writes the lease end
 * ("expires", wall clock), the `list' answer the seconds left ("lease").
 * Returns the length.
 */
size_t		 ctlproto_format_mapping(const struct mapping *m,
		    const char *verb, const char *timekey, uint64_t time,
		    char *buf, size_t len);

/*
 * Percent-encodes s into buf (3 * strlen(s) + 1 bytes suffice); returns
 * the length, or the length it would have had if buf is too small
 * (snprintf-like, always NUL-terminated when len > 0).
 */
size_t		 ctlproto_encode(const char *s, char *buf, size_t len);

/* Parses a decimal number in [0, max].  false if it is not one. */
bool		 ctlproto_number(const char *s, uint64_t max, uint64_t *out);

const char	*ctlproto_origin_name(enum portmap_origin o);

#endif
