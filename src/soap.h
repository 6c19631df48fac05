/*
 * soap: reading the IN arguments of an action from the parsed request
 * (soapmsg.h), checking their UDA types, and building the response text.
 * No state; used by the service handlers.  Every failure is 402 Invalid
 * Args (WIC-039, WIC-107, VC-26, VC-27, VC-29).
 */
#ifndef IGD2D_SOAP_H
#define IGD2D_SOAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "soapmsg.h"
#include "strbuf.h"
#include "upnperr.h"

/*
 * Reads exactly the arguments `names[0..n)` of the action: values[i]
 * points to the text of names[i] (inside m; "" for <X/> and <X></X>).
 * Order does not matter; a missing, unknown or repeated argument, one
 * holding elements, text or CDATA between the arguments, or more than
 * SOAPMSG_MAX_ARGS of them give 402.
 */
enum upnperr	 soap_args(const struct soapmsg *m, const char *const *names,
		    size_t n, const char **values);

/* ASCII decimal digits only, leading zeros allowed, <= 65535 / 2^32-1. */
enum upnperr	 soap_ui2(const char *s, uint16_t *out);
enum upnperr	 soap_ui4(const char *s, uint32_t *out);
/* 0/1/true/false/yes/no in any case, XML white space trimmed (VC-26). */
enum upnperr	 soap_bool(const char *s, bool *out);

/*
 * The response under construction, as text.  Zero it, then set action
 * and service_type: the namespace the request used (VC-33).
 */
struct soap_resp {
	struct strbuf	 body;
	const char	*action;
	const char	*service_type;
	bool		 started;	/* the envelope is open */
};

/*
 * Appends one OUT argument; opens the envelope on first use.  Out of
 * memory: 603 (and so is every later call).
 */
enum upnperr	 soap_out(struct soap_resp *r, const char *name,
		    const char *value);
enum upnperr	 soap_out_u32(struct soap_resp *r, const char *name,
		    uint32_t value);
enum upnperr	 soap_out_bool(struct soap_resp *r, const char *name, bool b);
/*
 * Appends one OUT argument whose text travels as a CDATA section (the
 * PortMappingList fragment, VC-24).  Text holding "]]>" cannot: 501,
 * nothing appended.
 */
enum upnperr	 soap_out_cdata(struct soap_resp *r, const char *name,
		    const char *text);
/*
 * The same with the text built in place, so that a listing of thousands
 * of entries is not held twice: soap_out_cdata_open opens the argument
 * and returns the buffer to append the text to (NULL: 603), *mark where
 * the argument starts; soap_out_cdata_close closes it, or, if the text
 * holds "]]>", takes the whole argument out again (501).
 */
struct strbuf	*soap_out_cdata_open(struct soap_resp *r, const char *name,
		    size_t *mark);
enum upnperr	 soap_out_cdata_close(struct soap_resp *r, const char *name,
		    size_t mark);

/*
 * Closes the envelope (an action without OUT arguments gets an empty
 * <u:ACTIONResponse>) and returns the text, owned by r; NULL if memory
 * ran out at any step.  Call it once.
 */
const char	*soap_resp_finish(struct soap_resp *r);

/*
 * soap_resp_finish, then the text moves to *out (whatever out held is
 * freed) instead of being copied: a listing of thousands of entries is
 * not held twice. false if memory ran out (out is then untouched).
 */
bool		 soap_resp_move(struct soap_resp *r, struct strbuf *out);

/* Frees the text; r holds no text and no open envelope again. */
void		 soap_resp_free(struct soap_resp *r);

#endif
