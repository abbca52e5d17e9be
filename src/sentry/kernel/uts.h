/* The sandbox's identity as uname(2) and /proc/sys/kernel show it. */
#ifndef CVISOR_SENTRY_KERNEL_UTS_H
#define CVISOR_SENTRY_KERNEL_UTS_H

#define SANDBOX_SYSNAME "Linux"
#define SANDBOX_RELEASE "5.15.0-cvisor"
#define SANDBOX_VERSION "#1 SMP cvisor"

extern char sandbox_hostname[65];
extern char sandbox_domainname[65];

#endif
