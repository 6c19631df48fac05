/*
 * log: stderr or syslog, with a level threshold.  Thread-safe: one
 * vfprintf/vsyslog per line, each of which glibc serialises.
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static bool	 use_stderr = true;
static int	 threshold = LOG_NOTICE;
static const char *prefix[] = {
	"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"
};

void
log_init(const char *ident, bool to_stderr, int level)
{
	use_stderr = to_stderr;
	threshold = level;
	if (!use_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_setlevel(int level)
{
	threshold = level;
}

int
log_getlevel(void)
{
	return threshold;
}

static void
vlog(int pri, const char *err, const char *fmt, va_list ap)
{
	char msg[1024];

	if (pri > threshold)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (use_stderr) {
		if (err != NULL)
			fprintf(stderr, "igd2d: %s: %s: %s\n", prefix[pri], msg,
			    err);
		else
			fprintf(stderr, "igd2d: %s: %s\n", prefix[pri], msg);
	} else if (err != NULL)
		syslog(pri, "%s: %s", msg, err);
	else
		syslog(pri, "%s", msg);
}

#define LOGFN(fn, pri, witherr)					\
void								\
fn(const char *fmt, ...)					\
{								\
	char ebuf[128];						\
	const char *e = NULL;					\
	va_list ap;						\
								\
	if (witherr)						\
		e = strerror_r(errno, ebuf, sizeof(ebuf));	\
	va_start(ap, fmt);					\
	vlog(pri, e, fmt, ap);					\
	va_end(ap);						\
}

LOGFN(log_warn, LOG_WARNING, 1)
LOGFN(log_warnx, LOG_WARNING, 0)
LOGFN(log_notice, LOG_NOTICE, 0)
LOGFN(log_info, LOG_INFO, 0)
LOGFN(log_debug, LOG_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	char ebuf[128];
	const char *e = strerror_r(errno, ebuf, sizeof(ebuf));
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, e, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

char *
log_escape(const char *in, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	unsigned char c;

	for (; *in != '\0' && n + 5 < len; in++) {
		c = (unsigned char)*in;
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			buf[n++] = (char)c;
			continue;
		}
		buf[n++] = '\\';
		buf[n++] = 'x';
		buf[n++] = hex[c >> 4];
		buf[n++] = hex[c & 15];
	}
	buf[n] = '\0';
	return buf;
}
