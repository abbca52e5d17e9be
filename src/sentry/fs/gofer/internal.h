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
	struct lookup_cache *lc; /* NULL unless attributes are cached */
	int cache_attrs;	 /* read-only and not shared: nobody else writes */
};

struct gnode {
	uint32_t fid;	/* walked (or created), never opened by us */
	int rofd;	/* a donated read-only fd shared by every read-only
			 * open of a regular file of a cached fs, or -1 */
	uint32_t rofid; /* the opened fid behind rofd */
};

struct gfile {
	uint32_t fid;	  /* opened with Tlopen; P9_NOFID when shared is set */
	int fd;		  /* the donated host fd, or -1 */
	int shared;	  /* fd is the inode's rofd: not ours to close */
	uint64_t dir_off; /* Treaddir cursor */
	uint32_t iounit;
};

static inline struct p9_client *gconn(struct inode *in)
{
	return ((struct gfs *)in->fs)->conn;
}

static inline struct gfs *gfs_of(struct inode *in)
{
	return (struct gfs *)in->fs;
}

extern const struct file_ops gofer_fops;
/* goferfs.c: a new inode for a walked (or created) fid, which it takes
 * over (clunked on failure). */
int gofer_node_new(struct fs *fs, uint32_t fid, struct inode **out);
/* Refetches in's attributes (Tgetattr). */
int gofer_refresh(struct inode *in);
/* gofer_change.c: the operations of a writable mount. */
int gofer_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out);
int gofer_mkdir(struct inode *dir, const char *name, uint32_t mode);
int gofer_symlink(struct inode *dir, const char *name, const char *target);
int gofer_link(struct inode *dir, const char *name, struct inode *target);
int gofer_unlink(struct inode *dir, const char *name);
int gofer_rmdir(struct inode *dir, const char *name);
int gofer_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname,
		 unsigned flags);
int gofer_setattr(struct inode *in, const struct iattr *ia);
/* Opens in for f (Tlopen of a clone of its fid). */
int gofer_open(struct inode *in, struct file *f);

/* lookup_cache.c: the inode of name in the directory with fid dir (a new
 * reference) or NULL; gofer_lc_add keeps its own reference to in. */
struct lookup_cache *gofer_lc_new(void);
void gofer_lc_free(struct lookup_cache *c);
struct inode *gofer_lc_find(struct lookup_cache *c, uint32_t dir, const char *name);
void gofer_lc_add(struct lookup_cache *c, uint32_t dir, const char *name, struct inode *in);

#endif
