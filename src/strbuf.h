/*
 * strbuf: a growing text buffer (pure). Appends never fail loudly: on
 * allocation failure `nomem' sticks, later appends do nothing and the
 * caller decides what a cut text means. The text is NUL-terminated once
 * anything was added.
 */
#ifndef IGD2D_STRBUF_H
#define IGD2D_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char	*p;
	size_t	 len, cap;
	bool	 nomem;
};

#define STRBUF_INIT	{ NULL, 0, 0, false }

/* Appends n bytes of s. */
void	 strbuf_add(struct strbuf *b, const char *s, size_t n);

/* Appends the string s. */
void	 strbuf_puts(struct strbuf *b, const char *s);

/* Drops the text, keeps the memory; clears nomem. */
void	 strbuf_reset(struct strbuf *b);

/* Frees the memory; b is empty again. */
void	 strbuf_free(struct strbuf *b);

/*
 * Hands the text over (the caller frees it): NULL after an allocation
 * failure, "" when nothing was added. b is empty again.
 */
char	*strbuf_take(struct strbuf *b);

#endif
