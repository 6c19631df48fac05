/*
 * soap: reading the IN arguments of an action from the document pupnp
 * hands us, checking their UDA types, and building the response.  No
 * state; used by the service handlers.  Every failure is 402 Invalid Args
 * (WIC-039, WIC-107, VC-26, VC-27, VC-29).
 */
#ifndef IGD2D_SOAP_H
#define IGD2D_SOAP_H

#include "upnpcompat.h"

#include <stddef.h>
#include <stdint.h>

#include "upnperr.h"


/*
 * Finds the action element (the first element whose local name is
 * `action`) in the request document; NULL if absent.
 */
IXML_Node	*soap_action_node(IXML_Document *req, const char *action);

/*
 * Reads exactly the arguments `names[0..n)` from the children of the
 * action element: values[i] points to the text of names[i] (inside the
 * document; "" for <X/> and <X></X>).  Order does not matter; a missing,
 * unknown or repeated argument, or one holding elements, gives 402.
 */
enum upnperr	 soap_args(IXML_Node *action, const char *const *names,
		    size_t n, const char **values);

/* ASCII decimal digits only, leading zeros allowed, <= 65535 / 2^32-1. */
enum upnperr	 soap_ui2(const char *s, uint16_t *out);
enum upnperr	 soap_ui4(const char *s, uint32_t *out);
/* 0/1/true/false/yes/no in any case, XML white space trimmed (VC-26). */
enum upnperr	 soap_bool(const char *s, bool *out);

/*
 * The response under construction: pupnp frees the document after it
 * sends it.  service_type is the namespace the request used (VC-33).
 */
struct soap_resp {
	IXML_Document	*doc;
	const char	*action;
	const char	*service_type;
};

/* Appends one OUT argument; creates the response element on first use. */
enum upnperr	 soap_out(struct soap_resp *r, const char *name,
		    const char *value);
enum upnperr	 soap_out_u32(struct soap_resp *r, const char *name,
		    uint32_t value);
enum upnperr	 soap_out_bool(struct soap_resp *r, const char *name, bool b);
/*
 * Appends one OUT argument whose text travels as a CDATA section (the
 * PortMappingList fragment, VC-24).  text must not contain "]]>".
 */
enum upnperr	 soap_out_cdata(struct soap_resp *r, const char *name,
		    const char *text);

#endif
