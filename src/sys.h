/*
 * sys: process plumbing of a distribution daemon: detaching with a
 * readiness pipe (the parent exits 0 only once the child serves), the
 * pid file, and systemd's readiness notification (sd_notify protocol,
 * spoken directly so there is no libsystemd dependency).
 */
#ifndef IGD2D_SYS_H
#define IGD2D_SYS_H

/*
 * Forks; the parent waits until the child calls sys_ready() and exits 0,
 * or exits 1 if the child dies first.  In the child: new session, cwd /,
 * stdio on /dev/null.  Returns 0 in the child, -1 (errno) if fork fails.
 */
int	sys_daemonize(void);

/* Tells the waiting parent (if any) and systemd (if any) we serve. */
void	sys_ready(void);

/* Sends a state line ("STOPPING=1", "RELOADING=1") to systemd, if any. */
void	sys_notify(const char *state);

/* Writes our pid to path; 0 or -1 with errno. */
int	sys_pidfile_write(const char *path);
void	sys_pidfile_remove(const char *path);

#endif
