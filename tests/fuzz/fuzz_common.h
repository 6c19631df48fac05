/*
 * fuzz_common: helpers shared by the libFuzzer targets (header only).
 *
 * FUZZ_CHECK() is the targets' assert: it stays on whatever NDEBUG says,
 * prints where and what, and aborts, which libFuzzer reports as a crash
 * and saves as crash-<sha1>.
 *
 * A `struct fuzz_in' hands the input out byte by byte; once it runs dry
 * every read returns 0, so a decoder never fails, it only sees zeros.
 */
#ifndef IGD2D_FUZZ_COMMON_H
#define IGD2D_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__,	\
		    __LINE__, #cond);					\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

struct fuzz_in {
	const uint8_t	*p;
	size_t		 n;
};

static inline bool
fuzz_left(const struct fuzz_in *in)
{
	return in->n > 0;
}

static inline uint8_t
fuzz_u8(struct fuzz_in *in)
{
	uint8_t b;

	if (in->n == 0)
		return 0;
	b = *in->p++;
	in->n--;
	return b;
}

static inline uint16_t
fuzz_u16(struct fuzz_in *in)
{
	uint16_t v = fuzz_u8(in);

	return (uint16_t)(v << 8 | fuzz_u8(in));
}

static inline uint32_t
fuzz_u32(struct fuzz_in *in)
{
	uint32_t v = fuzz_u16(in);

	return v << 16 | fuzz_u16(in);
}

/* Copies up to max bytes (fewer if the input runs dry); returns how many. */
static inline size_t
fuzz_bytes(struct fuzz_in *in, char *dst, size_t max)
{
	size_t n = max < in->n ? max : in->n, i;

	for (i = 0; i < n; i++)
		dst[i] = (char)in->p[i];
	in->p += n;
	in->n -= n;
	return n;
}

#endif
