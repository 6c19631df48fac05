/*
 * clock: the only reader of the system clocks.  The core takes `now' as
 * an argument (monotonic seconds); the shell gets it here.
 */
#ifndef IGD2D_CLOCK_H
#define IGD2D_CLOCK_H

#include <stdint.h>

uint32_t	clock_now(void);	/* CLOCK_MONOTONIC, seconds */
uint64_t	clock_now_ms(void);	/* CLOCK_MONOTONIC, milliseconds */

/*
 * Lease time: CLOCK_MONOTONIC in quarter seconds, rounded down (expiry)
 * or up (a lease's start), so a lease ends at most 0.25 s late and never
 * early.
 */
#define CLOCK_TICKS_PER_SEC	4
uint32_t	clock_ticks(void);
uint32_t	clock_ticks_up(void);

/*
 * Wall-clock milliseconds since the epoch: only for the lease file, whose
 * lease ends must mean the same after a reboot (the monotonic clock
 * restarts).
 */
uint64_t	clock_wall_ms(void);

#endif
