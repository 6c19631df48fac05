/*
 * upnpcompat: the one place that includes pupnp's headers.  Include it
 * before any other header in files that talk to pupnp.
 *
 * pupnp 1.8.4's <list.h> defines bool/true/false as macros of its own and
 * then undefines them, which breaks C99 <stdbool.h> users; its template
 * headers also trip -Wstrict-prototypes.  Both are contained here.
 */
#ifndef IGD2D_UPNPCOMPAT_H
#define IGD2D_UPNPCOMPAT_H

#ifdef __bool_true_false_are_defined
#error "include upnpcompat.h before <stdbool.h>"
#endif

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <upnp.h>
#include <upnptools.h>
#include <ixml.h>
#pragma GCC diagnostic pop

#undef bool
#undef true
#undef false
#include <stdbool.h>
#ifndef bool
#define bool	_Bool
#define true	1
#define false	0
#endif

#endif
