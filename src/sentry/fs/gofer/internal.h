/* Shared by the gofer file system's inode (goferfs.c) and file (gofer_file.c)
 * halves. */
#ifndef CVISOR_SENTRY_FS_GOFER_INTERNAL_H
#define CVISOR_SENTRY_FS_GOFER_INTERNAL_H

#include "sentry/fs/gofer/p9client.h"
#include "sentry/fs/vfs.h"

struct lookup_cache;

struct gfs {
	struct fs fs; /* first: inodes point at it */
	struct p9_client *conn;
	struct lookup_cache *lc; /* may be NULL */
};

struct gnode {
	uint32_t fid; /* walked, never opened */
};

struct gfile {
	uint32_t fid;	  /* opened with Tlopen */
	int fd;		  /* the donated host fd, or -1 */
	uint64_t dir_off; /* Treaddir cursor */
	uint32_t iounit;
};

static inline struct p9_client *gconn(struct inode *in)
{
	return ((struct gfs *)in->fs)->conn;
}

extern const struct file_ops gofer_fops;
/* Opens in for f (Tlopen of a clone of its fid). */
int gofer_open(struct inode *in, struct file *f);

/* lookup_cache.c: the inode of name in the directory with fid dir (a new
 * reference) or NULL; gofer_lc_add keeps its own reference to in. */
struct lookup_cache *gofer_lc_new(void);
void gofer_lc_free(struct lookup_cache *c);
struct inode *gofer_lc_find(struct lookup_cache *c, uint32_t dir, const char *name);
void gofer_lc_add(struct lookup_cache *c, uint32_t dir, const char *name, struct inode *in);

#endif
