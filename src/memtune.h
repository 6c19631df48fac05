/*
 * memtune: how the daemon uses glibc's allocator. Its memory is mostly
 * short-lived (libupnp's DOMs, libiptc's whole-table caches) made by
 * libupnp's ~18 threads, and glibc's defaults let that churn hold memory
 * it no longer uses: per-thread caches, per-thread arenas, a fragmented
 * heap. The figures are in doc/ROBUSTNESS.md and bench/FINDINGS.md.
 */
#ifndef IGD2D_MEMTUNE_H
#define IGD2D_MEMTUNE_H

/*
 * First thing in main: unless GLIBC_TUNABLES already sets
 * glibc.malloc.tcache_count, or valgrind runs us, execute argv again
 * (same pid) with glibc.malloc.tcache_count=0 added to it. Returns only
 * when it did not (a failed exec is not an error: the daemon just keeps
 * glibc's default).
 */
void	 memtune_reexec(char **argv);

/* The allocator settings: one arena, a fixed mmap threshold. */
void	 memtune_init(void);

/*
 * Hands the free pages inside the heap back to the kernel, at most once
 * per clock second (clock.h): call it from the main loop.
 */
void	 memtune_trim(void);

#endif
