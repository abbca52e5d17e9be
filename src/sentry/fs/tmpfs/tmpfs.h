/* tmpfs: files in memory. Regular files are host memfds (so the stub can map
 * them); directories and symlinks live in the Sentry. */
#ifndef CVISOR_SENTRY_FS_TMPFS_TMPFS_H
#define CVISOR_SENTRY_FS_TMPFS_TMPFS_H

#include "sentry/fs/vfs.h"

/* A new tmpfs; returns its root directory inode. */
struct inode *tmpfs_new(uint32_t mode);

/* A regular file with no name (memfd_create): host_flags go to the host's
 * memfd_create (MFD_ALLOW_SEALING: the seals are the host memfd's). */
struct inode *tmpfs_memfd_new(unsigned host_flags);

#endif
