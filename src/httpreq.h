/*
 * httpreq: the head of an HTTP/1.x request (RFC 9112) and a chunked body,
 * for igd2d's own server of the control URLs (SOAP), the descriptions
 * (GET) and GENA (SUBSCRIBE, UNSUBSCRIBE).  Pure: no I/O, no logging, no
 * allocation; every string points into the caller's buffer.
 *
 * Strict where framing is at stake (request line, Content-Length,
 * Transfer-Encoding, control bytes, obs-fold), liberal where real clients
 * differ: header names in any case, white space around values, bare LF
 * line ends, empty lines before the request line (RFC 9112 2.2).
 */
#ifndef IGD2D_HTTPREQ_H
#define IGD2D_HTTPREQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Request line + headers + blank line. */
#define HTTPREQ_HEAD_MAX	(16 * 1024)
#define HTTPREQ_HEADERS_MAX	100		/* header lines */

enum httpreq_method {
	HTTPREQ_OTHER,
	HTTPREQ_GET,
	HTTPREQ_HEAD,
	HTTPREQ_POST,
	HTTPREQ_MPOST,
	HTTPREQ_SUBSCRIBE,
	HTTPREQ_UNSUBSCRIBE,
	HTTPREQ_NOTIFY,
	HTTPREQ_MSEARCH		/* SSDP, over UDP only */
};

/* Points into the caller's buffer; len 0 / p NULL when absent. */
struct httpreq_str {
	const char	*p;
	size_t		 len;
};

/*
 * A parsed head.  Header values have their surrounding white space
 * removed; a header sent twice keeps its first value (Host twice is a
 * 400, Content-Length twice must agree).  A header present with an empty
 * value has p set and len 0.
 */
struct httpreq {
	/* Bytes of the head including the final CRLFCRLF (or LFLF). */
	size_t			 head_len;
	enum httpreq_method	 method;
	struct httpreq_str	 method_name, target;
	struct httpreq_str	 host, soapaction, content_type, man;
	struct httpreq_str	 transfer_encoding, connection, expect;
	struct httpreq_str	 st, mx;	/* SSDP search target, delay */
	int			 minor;		/* HTTP/1.minor */
	bool			 has_length;
	uint64_t		 content_length;
	/* Transfer-Encoding contains "chunked". */
	bool			 chunked;
};

enum httpreq_status {
	HTTPREQ_MORE = 0,
	HTTPREQ_DONE = 1,
	HTTPREQ_BAD = -1
};

/*
 * Parses the head at the start of buf[0..len).  MORE: no complete head yet
 * (and len < HTTPREQ_HEAD_MAX); DONE: *r filled; BAD: *http_status holds
 * the status to answer (400 malformed/too large/too many headers/bad or
 * conflicting Content-Length, 505 for a major version other than 1, 501
 * for a Transfer-Encoding other than chunked).
 * Pure and restartable: call again with the same buffer grown; it may
 * re-parse from the start (the head is small).  Only complete lines are
 * judged, in order, so a prefix that is BAD stays BAD with the same
 * status, and a prefix that is DONE gives the same *r as the whole.
 * With both Transfer-Encoding: chunked and Content-Length the length is
 * ignored (RFC 9112 6.3): chunked set, has_length false.
 * For an M-POST (UDA 1.0 3.2.2, RFC 2774) soapaction comes from the
 * NN-SOAPACTION header when MAN declares the SOAP envelope as ns=NN, else
 * from a plain SOAPACTION.
 */
enum httpreq_status httpreq_parse(const char *buf, size_t len,
		    struct httpreq *r, int *http_status);

/* Case-insensitive comparison of a header value / token with a C string. */
bool		 httpreq_eq(struct httpreq_str s, const char *lit);

/*
 * SOAPACTION value `"urn:...:service:NAME:V#Action"` (quotes optional per
 * old clients) split into the service type (the whole `urn:...:NAME:V`)
 * and the action; false if malformed: unbalanced quotes, no '#', an empty
 * type or action, or white space, '"' or a second '#' in either.  The
 * type is not checked further: the caller compares it with its own.
 */
bool		 httpreq_soapaction(struct httpreq_str sa,
		    struct httpreq_str *type, struct httpreq_str *action);

/*
 * Whether a Host value names the server itself: the dotted-quad IPv4
 * address addr (host byte order; four decimal parts of at most 255,
 * leading zeros allowed) with ":port" (at most 5 digits) or no port
 * (":" alone counts as none, RFC 9110 7.2). A page from a name made to
 * resolve to the gateway (DNS rebinding) sends that name; control points
 * send the address and port of the LOCATION they were given.
 */
bool		 httpreq_host_is(struct httpreq_str host, uint32_t addr,
		    uint16_t port);

/*
 * The path of the target: origin-form "/x?y" -> "/x"; absolute-form
 * "http://host:port/x" -> "/x" (scheme case-insensitive; with no path at
 * all, "http://host:port" or "http://host?q", the path is a static "/");
 * false if neither (asterisk-form, authority-form, another scheme).
 */
bool		 httpreq_path(struct httpreq_str target,
		    struct httpreq_str *path);

/*
 * Decodes a chunked body in place in buf[0..len): DONE with *out_len,
 * MORE if incomplete, BAD (400) if malformed or larger than max.
 * On DONE buf[0..*out_len) holds the data and *consumed is the length of
 * the encoded body with its trailer section and final CRLF; bytes from
 * *consumed on are left alone.  MORE and BAD leave buf unchanged, so the
 * call can be repeated on the grown buffer.  BAD as soon as a chunk size
 * takes the total past max, a chunk-size line passes 1 KiB or the
 * trailer section passes HTTPREQ_HEAD_MAX, without waiting for the rest.
 */
enum httpreq_status httpreq_dechunk(char *buf, size_t len, size_t max,
		    size_t *out_len, size_t *consumed);

#endif
