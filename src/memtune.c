/*
 * memtune: glibc allocator settings (see memtune.h).
 */
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "memtune.h"

#define TUNABLES	"GLIBC_TUNABLES"
#define TCACHE_OFF	"glibc.malloc.tcache_count=0"

/*
 * glibc's per-thread cache keeps up to 7 freed chunks of each small size
 * in each thread, for that thread only: the arena can neither give them
 * to another thread nor return them. With libupnp's threads each serving
 * every kind of request, the caches filled for minutes and held about
 * 3 MB under the soak's load (6.3 MB RSS at one minute, 7.2 MB later;
 * without them 3.3 and 3.6 MB). The tunable is read only at process
 * start, hence the exec. valgrind replaces malloc and would not follow
 * the exec (its preload library is in LD_PRELOAD). The exec names the
 * binary by its path, not /proc/self/exe: the kernel takes the process
 * name (ps, pgrep, top) from it, and "exe" would replace "igd2d".
 */
void
memtune_reexec(char **argv)
{
	const char *old = getenv(TUNABLES), *pre = getenv("LD_PRELOAD");
	char self[PATH_MAX], *val;
	ssize_t n;
	size_t len;

	if ((old != NULL && strstr(old, "glibc.malloc.tcache_count") != NULL) ||
	    (pre != NULL && strstr(pre, "vgpreload") != NULL))
		return;
	/* " (deleted)": the binary was replaced, an upgrade; run as is. */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0 || (size_t)n >= sizeof(self) - 1)
		return;
	self[n] = '\0';
	if (access(self, X_OK) != 0)
		return;
	len = (old != NULL ? strlen(old) + 1 : 0) + sizeof(TCACHE_OFF);
	if ((val = malloc(len)) == NULL)
		return;
	if (old != NULL && old[0] != '\0')
		snprintf(val, len, "%s:%s", old, TCACHE_OFF);
	else
		snprintf(val, len, "%s", TCACHE_OFF);
	if (setenv(TUNABLES, val, 1) == 0)
		execv(self, argv);
	/* No exec: no harm, the default stays; leave the environment too. */
	if (old != NULL)
		setenv(TUNABLES, old, 1);
	else
		unsetenv(TUNABLES);
	free(val);
}

void
memtune_init(void)
{
	/*
	 * Each libupnp worker thread would get its own arena and keep the
	 * fragmented table-sized buffers of libiptc's commits: 28 MB at 8
	 * concurrent clients instead of 5 (bench/FINDINGS.md). One arena:
	 * with two, 1000 mappings still cost 5.0 KB each (bench, 8f08b2c);
	 * every table change is serialised by the gateway lock anyway.
	 */
	mallopt(M_ARENA_MAX, 1);
	/*
	 * A fixed threshold (setting it stops glibc from raising it after
	 * each free): libiptc's table-sized blobs stay in mmap and go back
	 * whole when freed, instead of fragmenting the heap as the table
	 * grows and shrinks (the soak's RSS climbed for 5 minutes).
	 */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
}

/*
 * libiptc's whole-table caches and libupnp's DOMs come and go with every
 * request, and under load the fragmented heap kept growing for minutes
 * (the soak: +12-16 % after the first minute without this).
 */
void
memtune_trim(void)
{
	static uint32_t last;
	uint32_t now = clock_now();

	if (now == last)
		return;
	last = now;
	(void)malloc_trim(0);
}
