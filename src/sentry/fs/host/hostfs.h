/* hostfs: a file system over a host directory the Gofer donated
 * (`--file-access=direct`, as gVisor's directfs), walked by the Sentry with
 * *at calls relative to O_PATH file descriptors only: one name at a time,
 * never `..`, never a followed symlink, never AT_FDCWD or a host path. */
#ifndef CVISOR_SENTRY_FS_HOST_HOSTFS_H
#define CVISOR_SENTRY_FS_HOST_HOSTFS_H

#include "sentry/fs/vfs.h"

/* Takes over root_fd (an O_PATH directory fd). shared: the host may change
 * the tree too, so no unused dentry is kept (attributes are always read
 * fresh). */
struct inode *hostfs_new(int root_fd, int readonly, int shared);

#endif
