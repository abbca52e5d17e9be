/* overlay: a writable upper file system (tmpfs) over a read-only lower one
 * (the host's root). Reads fall through to the lower layer; the first write
 * copies a file up; deletions leave whiteouts (0/0 character devices) in the
 * upper layer; a directory made where a lower one was deleted is opaque.
 * The lower layer is never written. */
#ifndef CVISOR_SENTRY_FS_OVERLAY_OVERLAY_H
#define CVISOR_SENTRY_FS_OVERLAY_OVERLAY_H

#include "sentry/fs/vfs.h"

/* Takes over both root inodes; returns the overlay's root. */
struct inode *overlay_new(struct inode *upper_root, struct inode *lower_root);

#endif
