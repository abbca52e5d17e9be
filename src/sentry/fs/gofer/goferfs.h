/* goferfs: a file system whose inodes are 9P fids on a Gofer connection
 * (see DESIGN.md, Files). Used as the read-only lower layer of the root
 * under `--file-access=gofer`. Attributes are fetched once per inode and
 * cached: the Sentry is the only writer and the layer is read-only. */
#ifndef CVISOR_SENTRY_FS_GOFER_GOFERFS_H
#define CVISOR_SENTRY_FS_GOFER_GOFERFS_H

#include "sentry/fs/vfs.h"

/* Takes over sock (a connected stream socket to a Gofer), attaches aname
 * ("" for the first export) and returns its root inode, or NULL with *err
 * set to a negative errno. */
struct inode *goferfs_new(int sock, const char *aname, int readonly, int *err);

/* Drops the root inode returned by goferfs_new and ends the file system:
 * the connection is closed. Every other inode of it must be released
 * already (the Sentry never unmounts its root; tests do). */
void goferfs_put_root(struct inode *root);

#endif
