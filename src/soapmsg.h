/*
 * soapmsg: the SOAP envelope of a UPnP action, read from the raw HTTP
 * body and written as text (pure: no sockets, no logging, no pupnp).
 *
 * The reader is a small XML parser for hostile input: one pass, no
 * recursion, memory a small multiple of the body (one copy plus a stack
 * of open elements).  It takes UTF-8 only and refuses any DOCTYPE, so no
 * entity can expand (billion laughs) or reach outside (XXE).  It does not
 * normalise line ends or attribute values: text comes back byte for byte,
 * entity and character references decoded.
 */
#ifndef IGD2D_SOAPMSG_H
#define IGD2D_SOAPMSG_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

#define SOAPMSG_MAX_ARGS	32

struct soapmsg_arg {
	/* The local name of the argument element (inside m->buf). */
	const char	*name;
	/*
	 * Its text, entities and CDATA decoded, NUL-terminated; NULL if the
	 * element holds child elements.
	 */
	const char	*value;
};

struct soapmsg {
	char		*buf;		/* owned working copy */
	/* The local name of the action (the first element child of Body). */
	const char	*action;
	const char	*ns;		/* its namespace URI ("" if none) */
	size_t		 nargs;
	/* More than SOAPMSG_MAX_ARGS argument elements. */
	bool		 too_many;
	/*
	 * Non-blank text or a CDATA section directly inside the action
	 * element, between arguments.
	 */
	bool		 stray;
	struct soapmsg_arg args[SOAPMSG_MAX_ARGS];
};

enum soapmsg_err {
	SOAPMSG_OK = 0,
	SOAPMSG_ENOMEM,		/* allocation failed */
	/*
	 * Not well-formed XML, invalid UTF-8, a DOCTYPE, an undefined
	 * entity, text/CDATA/element after the root element.
	 */
	SOAPMSG_EXML,
	/* Well-formed but not Envelope > Body > action element. */
	SOAPMSG_ESOAP,
};

/*
 * Reads the request body[0..len) into m (which need not be initialised).
 * The root must be an element named Envelope (any namespace), one of its
 * children Body (elements before it, a Header, are skipped), and Body's
 * first element child is the action; its element children are the
 * arguments, in order.  Element names are namespace-checked (one colon at
 * most, a declared prefix on Envelope, Body and the action).  On an error
 * m is left zeroed; soapmsg_free is safe on it either way.
 */
enum soapmsg_err soapmsg_parse(struct soapmsg *m, const char *body,
		    size_t len);

/* Frees what soapmsg_parse kept; safe on a zeroed or failed struct. */
void		 soapmsg_free(struct soapmsg *m);

/*
 * The response, appended to b (allocation failure: b->nomem).  Names are
 * written as given (the caller's own argument names); values and the
 * service type are escaped.  A value is UTF-8 text; what XML 1.0 cannot
 * carry (invalid UTF-8, control characters but tab, LF and CR, U+FFFE,
 * U+FFFF) is written as U+FFFD, so the text is always well-formed and any
 * value soapmsg_parse gave reads back unchanged.
 */

/* <?xml ...?><s:Envelope ...><s:Body><u:ACTIONResponse xmlns:u="TYPE"> */
void	 soapmsg_resp_begin(struct strbuf *b, const char *action,
	    const char *service_type);
/* <name>escaped value</name> */
void	 soapmsg_resp_arg(struct strbuf *b, const char *name,
	    const char *value);
/* <name><![CDATA[text]]></name>; the caller guarantees no "]]>". */
void	 soapmsg_resp_cdata(struct strbuf *b, const char *name,
	    const char *text);
/* The same in two halves, the text appended between them by the caller. */
void	 soapmsg_resp_cdata_open(struct strbuf *b, const char *name);
void	 soapmsg_resp_cdata_close(struct strbuf *b, const char *name);
/* </u:ACTIONResponse></s:Body></s:Envelope> */
void	 soapmsg_resp_end(struct strbuf *b, const char *action);

/*
 * A whole UPnP fault envelope: faultcode s:Client, faultstring
 * UPnPError, and the UPnPError detail with errorCode `code' and
 * errorDescription `desc' (escaped).
 */
void	 soapmsg_fault(struct strbuf *b, int code, const char *desc);

#endif
