/* Character devices the Sentry implements itself, selected by device
 * number when a device node is opened: null, zero, full, random, urandom,
 * tty (the controlling terminal), ptmx (a new pty of devpts). */
#ifndef CVISOR_SENTRY_FS_DEV_CHARDEV_H
#define CVISOR_SENTRY_FS_DEV_CHARDEV_H

#include "sentry/fs/vfs.h"

#define MKDEV(ma, mi) (((uint64_t)(ma) << 8) | (mi))

/* Sets f->ops for the device of inode in, or returns -ENXIO. */
int chardev_open(struct inode *in, struct file *f);
/* Populates a /dev directory (a tmpfs root) with the standard nodes. */
int devfs_populate(struct inode *dir);

#endif
