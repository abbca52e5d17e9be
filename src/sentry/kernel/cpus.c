/* See cpus.h. */
#include "sentry/kernel/cpus.h"

#include <unistd.h>

int sentry_ncpus = 1;

__attribute__((constructor)) static void count_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	sentry_ncpus = n > 0 ? (int)n : 1;
}
