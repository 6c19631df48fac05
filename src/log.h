/*
 * log: the daemon's one log sink.  To stderr in the foreground, to syslog
 * otherwise.  log_warn appends strerror(errno), log_warnx does not;
 * fatal/fatalx exit and are for start-up only.  Not used by the core.
 */
#ifndef IGD2D_LOG_H
#define IGD2D_LOG_H

#include <stdbool.h>
#include <stddef.h>

#define LOG_FMT(a, b)	__attribute__((format(printf, a, b)))

void	log_init(const char *ident, bool to_stderr, int level);
void	log_setlevel(int level);	/* syslog LOG_* value */
int	log_getlevel(void);
void	log_warn(const char *fmt, ...) LOG_FMT(1, 2);
void	log_warnx(const char *fmt, ...) LOG_FMT(1, 2);
void	log_notice(const char *fmt, ...) LOG_FMT(1, 2);
void	log_info(const char *fmt, ...) LOG_FMT(1, 2);
void	log_debug(const char *fmt, ...) LOG_FMT(1, 2);
void	fatal(const char *fmt, ...) LOG_FMT(1, 2) __attribute__((noreturn));
void	fatalx(const char *fmt, ...) LOG_FMT(1, 2) __attribute__((noreturn));

/*
 * Copies network-supplied text into buf with every byte outside printable
 * ASCII (and '"' and '\') written as \xNN, so a peer cannot forge log
 * lines.  Returns buf.
 */
char	*log_escape(const char *in, char *buf, size_t len);

#endif
