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
 * CLOCK_MONOTONIC, seconds rounded up: a lease that starts now must end
 * no earlier than now + lease, so its end is computed from this, while
 * expiry compares with clock_now() (rounded down).
 */
uint32_t	clock_now_up(void);

#endif
