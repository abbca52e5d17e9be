/* procfs: /proc generated from live kernel state.
 *
 * Directories are listed and looked up from the task table, fd tables and
 * mounts on every call; nothing is cached but the inodes the dentry cache
 * holds, and those only name a (pid, tid, fd, entry) that is checked again
 * whenever it is used. A file's text is made at open into a buffer the open
 * file keeps; reads serve from it at the file's offset. */
#ifndef CVISOR_SENTRY_FS_PROC_PROC_H
#define CVISOR_SENTRY_FS_PROC_PROC_H

#include "sentry/fs/vfs.h"

/* The root inode of a new procfs (a reference for the caller). Reads what it
 * needs from the host (cpuinfo) once, here. */
struct inode *procfs_new(void);

#endif
