/*
 * store: files the daemon keeps in its state directory.  Today the device
 * UUID (generated once, kept across restarts); the lease file joins it
 * later.  Every write is temp file + fsync + rename + directory fsync, so
 * a crash leaves the old or the new file, never a torn one.
 */
#ifndef IGD2D_STORE_H
#define IGD2D_STORE_H

#include <stddef.h>

#define STORE_UUID_LEN	36

/*
 * Reads state_dir/uuid into out (37 bytes) or, if the file is absent,
 * generates a random (version 4) UUID and writes it there first; creates
 * state_dir (0755) if needed.  Returns 0, or -1 with err[] saying what
 * failed and errno set.
 */
int	store_uuid(const char *state_dir, char *out, char *err, size_t errlen);

/*
 * Reads a whole file of at most max bytes, NUL-terminated (*len without
 * the NUL).  NULL with errno: ENOENT if absent, EFBIG if larger.
 */
char	*store_read_file(const char *path, size_t max, size_t *len);

/* Writes len bytes to path atomically (mode 0644).  0 or -1 with errno. */
int	store_write_atomic(const char *path, const char *data, size_t len);

/* mkdir -p with mode; 0 or -1 with errno. */
int	store_mkdirs(const char *path, unsigned mode);

#endif
