/* inotify: watches on dentries and the events the VFS reports to them.
 * The hooks cost one test of a counter while nobody watches. */
#ifndef CVISOR_SENTRY_FS_NOTIFY_INOTIFY_H
#define CVISOR_SENTRY_FS_NOTIFY_INOTIFY_H

#include <stdint.h>

struct dentry;
struct file;

extern int inotify_nwatches;

/* An event on the entry `name` of directory dir (create, delete, moves). */
void fsnotify_name(struct dentry *dir, const char *name, uint32_t mask, uint32_t cookie);
/* An event on an open file (modify, close, open, access): reported to its
 * own watches and to its directory's with its name. */
void fsnotify_file(struct file *f, uint32_t mask);
/* A fresh cookie pairing IN_MOVED_FROM with IN_MOVED_TO. */
uint32_t fsnotify_cookie(void);

#define FSNOTIFY_NAME(dir, name, mask)                                                             \
	do {                                                                                       \
		if (inotify_nwatches)                                                              \
			fsnotify_name(dir, name, mask, 0);                                         \
	} while (0)
#define FSNOTIFY_FILE(f, mask)                                                                     \
	do {                                                                                       \
		if (inotify_nwatches)                                                              \
			fsnotify_file(f, mask);                                                    \
	} while (0)

#endif
