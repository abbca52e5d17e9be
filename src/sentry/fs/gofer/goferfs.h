/* goferfs: a file system whose inodes are 9P fids on a Gofer connection
 * (see DESIGN.md, Files): the root's lower layer and the bind mounts of the
 * sandbox.
 *
 * Caching: a read-only mount that nobody else writes (the root under the
 * memory overlay) keeps the attributes fetched at lookup and a lookup
 * cache, so a walk that was made once costs no round trip. A mount shared
 * with the host (GOFERFS_SHARED: bind mounts) or written through (the root
 * with --overlay=none) asks the Gofer again on every stat (Tgetattr) and
 * keeps no unused dentries, so changes made on the host are seen. */
#ifndef CVISOR_SENTRY_FS_GOFER_GOFERFS_H
#define CVISOR_SENTRY_FS_GOFER_GOFERFS_H

#include "sentry/fs/gofer/p9client.h"
#include "sentry/fs/vfs.h"

#define GOFERFS_READONLY 0x1 /* writes fail with EROFS */
#define GOFERFS_SHARED	 0x2 /* the host may change it: revalidate */

/* Attaches aname ("" for the first export) on c (a reference is taken) and
 * returns its root inode, or NULL with *err set to a negative errno. */
struct inode *goferfs_new(struct p9_client *c, const char *aname, unsigned flags, int *err);

/* Drops the root inode returned by goferfs_new and ends the file system.
 * Every other inode of it must be released already (the Sentry never
 * unmounts; tests do). */
void goferfs_put_root(struct inode *root);

#endif
