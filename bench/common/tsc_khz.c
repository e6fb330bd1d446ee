/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Print the host's TSC frequency in kHz, measured against
 * CLOCK_MONOTONIC_RAW over a few 50 ms windows (the median is printed).
 *
 * QEMU's TCG returns the host's own rdtsc to a guest (scaled by nothing),
 * so this is exactly the rate a Linux guest must be told about with
 * tsc_early_khz= when it has no other clock to calibrate against.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>

static uint64_t ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	enum { N = 5 };
	double khz[N];
	struct timespec d = {0, 50 * 1000 * 1000};

	for (int i = 0; i < N; i++) {
		uint64_t n0 = ns_now(), c0 = __rdtsc();
		nanosleep(&d, NULL);
		uint64_t n1 = ns_now(), c1 = __rdtsc();
		khz[i] = (double)(c1 - c0) * 1e6 / (double)(n1 - n0);
	}
	qsort(khz, N, sizeof(khz[0]), cmp);
	printf("%.0f\n", khz[N / 2]);
	return 0;
}
