/*
 * desc: template filling for the device descriptions.
 */
#include "desc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
desc_text(const char *name)
{
	size_t i;

	for (i = 0; i < desc_nfiles; i++)
		if (strcmp(desc_files[i].name, name) == 0)
			return desc_files[i].text;
	return NULL;
}

static const char *
lookup(const struct desc_vars *v, const char *name, size_t len)
{
	const struct { const char *key; const char *val; } tab[] = {
		{ "URL_BASE", v->url_base },
		{ "FRIENDLY_NAME", v->friendly_name },
		{ "MANUFACTURER", v->manufacturer },
		{ "MANUFACTURER_URL", v->manufacturer_url },
		{ "MODEL_DESCRIPTION", v->model_description },
		{ "MODEL_NAME", v->model_name },
		{ "MODEL_NUMBER", v->model_number },
		{ "MODEL_URL", v->model_url },
		{ "SERIAL_NUMBER", v->serial_number },
		{ "UDN_ROOT", v->udn_root },
		{ "UDN_WAN", v->udn_wan },
		{ "UDN_WANCONN", v->udn_wanconn },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].key) == len &&
		    memcmp(tab[i].key, name, len) == 0)
			return tab[i].val != NULL ? tab[i].val : "";
	return NULL;
}

/* Appends s (len bytes, XML-escaped if esc) to the growing buffer. */
static int
append(char **buf, size_t *n, size_t *cap, const char *s, size_t len,
    int esc)
{
	const char *rep;
	size_t i, rl;
	char *nb;

	for (i = 0; i < len; i++) {
		rep = NULL;
		if (esc) {
			switch (s[i]) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&apos;"; break;
			}
		}
		rl = rep != NULL ? strlen(rep) : 1;
		if (*n + rl + 1 > *cap) {
			*cap = (*cap + rl + 1) * 2;
			if ((nb = realloc(*buf, *cap)) == NULL)
				return -1;
			*buf = nb;
		}
		memcpy(*buf + *n, rep != NULL ? rep : &s[i], rl);
		*n += rl;
	}
	(*buf)[*n] = '\0';
	return 0;
}

char *
desc_render(const char *tmpl, const struct desc_vars *v)
{
	size_t n = 0, cap = strlen(tmpl) + 256;
	const char *p = tmpl, *at, *end, *val;
	char *buf;

	if ((buf = malloc(cap)) == NULL)
		return NULL;
	buf[0] = '\0';
	while ((at = strchr(p, '@')) != NULL) {
		if (append(&buf, &n, &cap, p, (size_t)(at - p), 0) < 0)
			goto fail;
		end = strchr(at + 1, '@');
		val = end != NULL ? lookup(v, at + 1, (size_t)(end - at - 1)) :
		    NULL;
		if (val == NULL) {
			/* Not a placeholder: copy the '@' and go on. */
			if (append(&buf, &n, &cap, at, 1, 0) < 0)
				goto fail;
			p = at + 1;
			continue;
		}
		if (append(&buf, &n, &cap, val, strlen(val), 1) < 0)
			goto fail;
		p = end + 1;
	}
	if (append(&buf, &n, &cap, p, strlen(p), 0) < 0)
		goto fail;
	return buf;
fail:
	free(buf);
	return NULL;
}

void
desc_udn(const char *root_uuid, unsigned n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	char u[37];
	unsigned last;

	snprintf(u, sizeof(u), "%s", root_uuid);
	if (n != 0 && strlen(u) == 36) {
		last = (unsigned)strtoul(u + 34, NULL, 16) ^ n;
		u[34] = hex[(last >> 4) & 15];
		u[35] = hex[last & 15];
	}
	snprintf(out, 42, "uuid:%s", u);
}
