/* A minimal, read-only /sys: what libcs and runtimes read to size
 * themselves (the CPU lists), and empty class/devices/fs directories. */
#ifndef CVISOR_SENTRY_FS_SYS_SYSFS_H
#define CVISOR_SENTRY_FS_SYS_SYSFS_H

#include "sentry/fs/vfs.h"

/* A new /sys tree (a tmpfs filled once). */
struct inode *sysfs_new(void);

#endif
