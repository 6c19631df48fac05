/*
 * store: state-directory files.
 */
#include "store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int
store_mkdirs(const char *path, unsigned mode)
{
	char buf[512];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int
fsync_dir_of(const char *path)
{
	char buf[512];
	int fd, r;

	snprintf(buf, sizeof(buf), "%s", path);
	if ((fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

char *
store_read_file(const char *path, size_t max, size_t *len)
{
	struct stat st;
	FILE *f;
	char *buf;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	if (fstat(fileno(f), &st) < 0 || (uintmax_t)st.st_size > max) {
		fclose(f);
		errno = EFBIG;
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

int
store_write_atomic(const char *path, const char *data, size_t len)
{
	char tmp[512];
	ssize_t n;
	int fd, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (len > 0) {
		if ((n = write(fd, data, len)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		data += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) < 0)
		goto fail_unlink;
	return fsync_dir_of(path);
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	errno = saved;
fail_unlink:
	saved = errno;
	unlink(tmp);
	errno = saved;
	return -1;
}

static void
uuid_v4(char *out)
{
	unsigned char b[16];
	size_t got = 0;
	ssize_t n;

	/* getrandom blocks only before the pool is initialised at boot. */
	while (got < sizeof(b)) {
		if ((n = getrandom(b + got, sizeof(b) - got, 0)) > 0)
			got += (size_t)n;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	snprintf(out, STORE_UUID_LEN + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int
valid_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != STORE_UUID_LEN)
		return 0;
	for (i = 0; i < STORE_UUID_LEN; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
store_uuid(const char *state_dir, char *out, char *err, size_t errlen)
{
	char path[512], buf[64], line[STORE_UUID_LEN + 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/uuid", state_dir);
	if ((f = fopen(path, "re")) != NULL) {
		buf[0] = '\0';
		if (fgets(buf, sizeof(buf), f) == NULL)
			buf[0] = '\0';
		fclose(f);
		buf[strcspn(buf, "\r\n")] = '\0';
		if (!valid_uuid(buf)) {
			snprintf(err, errlen, "%s:1: not a UUID", path);
			errno = EINVAL;
			return -1;
		}
		memcpy(out, buf, STORE_UUID_LEN + 1);
		return 0;
	}
	if (errno != ENOENT) {
		snprintf(err, errlen, "open %s", path);
		return -1;
	}
	if (store_mkdirs(state_dir, 0755) < 0) {
		snprintf(err, errlen, "mkdir %s", state_dir);
		return -1;
	}
	uuid_v4(out);
	snprintf(line, sizeof(line), "%s\n", out);
	if (store_write_atomic(path, line, strlen(line)) < 0) {
		snprintf(err, errlen, "write %s", path);
		return -1;
	}
	return 0;
}
