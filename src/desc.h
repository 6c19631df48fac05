/*
 * desc: the device description and SCPD documents the daemon serves.
 * The texts are compiled in from xml/ (xmldata.c, generated at build
 * time); desc fills the placeholders of the description templates with
 * the settings and the address actually bound.  Pure: no I/O.
 */
#ifndef IGD2D_DESC_H
#define IGD2D_DESC_H

#include <stddef.h>

struct desc_file {
	const char	*name;		/* file name in xml/, e.g. "rootDesc2.xml" */
	const char	*text;
};

extern const struct desc_file	desc_files[];	/* from xmldata.c */
extern const size_t		desc_nfiles;

struct desc_vars {
	const char	*url_base;	/* "http://192.168.1.1:49152" */
	const char	*friendly_name;
	const char	*manufacturer;
	const char	*manufacturer_url;
	const char	*model_description;
	const char	*model_name;
	const char	*model_number;
	const char	*model_url;
	const char	*serial_number;
	const char	*udn_root;	/* "uuid:..." */
	const char	*udn_wan;
	const char	*udn_wanconn;
};

/* The compiled-in text of file `name`, or NULL. */
const char	*desc_text(const char *name);

/*
 * Returns a malloc'd copy of tmpl with every @NAME@ placeholder replaced
 * by the XML-escaped value from v (unknown @...@ sequences are copied as
 * they are).  NULL when out of memory.
 */
char		*desc_render(const char *tmpl, const struct desc_vars *v);

/*
 * Derives the UDN of an embedded device from the root UUID (the last
 * hex digit pair XORed with `n`), so all three stay stable across
 * restarts.  out must hold 42 bytes ("uuid:" + 36 + NUL).
 */
void		 desc_udn(const char *root_uuid, unsigned n, char *out);

#endif
