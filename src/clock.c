#include "clock.h"

#include <time.h>

uint32_t
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

uint64_t
clock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}


static uint64_t
ticks_ns(uint64_t *rem)
{
	struct timespec ts;
	uint64_t ns, tick = 1000000000ull / CLOCK_TICKS_PER_SEC;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	*rem = ns % tick;
	return ns / tick;
}

uint32_t
clock_ticks(void)
{
	uint64_t rem;

	return (uint32_t)ticks_ns(&rem);
}

uint32_t
clock_ticks_up(void)
{
	uint64_t rem, t = ticks_ns(&rem);

	return (uint32_t)(t + (rem != 0));
}

uint64_t
clock_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
