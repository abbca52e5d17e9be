/* The number of host CPUs online, counted once at program start: glibc
 * reads /sys for it, which the confined Sentry can no longer open. */
#ifndef CVISOR_SENTRY_KERNEL_CPUS_H
#define CVISOR_SENTRY_KERNEL_CPUS_H

extern int sentry_ncpus; /* at least 1 */

#endif
