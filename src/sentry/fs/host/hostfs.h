/* hostfs: a file system over a host directory, reached through O_PATH file
 * descriptors only (never by re-walking host paths). Used for the root of
 * `cvisor do` (read-only) and, later, for direct file access. */
#ifndef CVISOR_SENTRY_FS_HOST_HOSTFS_H
#define CVISOR_SENTRY_FS_HOST_HOSTFS_H

#include "sentry/fs/vfs.h"

/* Takes over root_fd (an O_PATH directory fd). */
struct inode *hostfs_new(int root_fd, int readonly);

#endif
