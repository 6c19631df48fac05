/*
 * strbuf: a growing text buffer (see strbuf.h).
 */
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

/* The first allocation: most texts (an answer, a lease file) fit. */
#define STRBUF_FIRST	4096

void
strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	size_t cap;
	char *np;

	if (b->nomem)
		return;
	if (n >= (size_t)-1 / 2 - b->len) {	/* cannot double past it */
		b->nomem = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap != 0 ? b->cap : STRBUF_FIRST;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->nomem = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void
strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	b->nomem = false;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
strbuf_free(struct strbuf *b)
{
	free(b->p);
	*b = (struct strbuf)STRBUF_INIT;
}

char *
strbuf_take(struct strbuf *b)
{
	char *p;

	if (b->nomem) {
		strbuf_free(b);
		return NULL;
	}
	p = b->p != NULL ? b->p : strdup("");
	*b = (struct strbuf)STRBUF_INIT;
	return p;
}
