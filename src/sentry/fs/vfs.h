/* The VFS: inodes, dentries, mounts, open files and path walk.
 *
 * Every operation returns >= 0 or a negative errno. Objects are reference
 * counted: *_get takes a reference, *_put drops it; functions that return an
 * object hand the caller a reference. Dentries form a tree under each mount's
 * root and are cached while referenced by a child, a file or a cwd; a
 * dentry's inode never changes (rename moves dentries, unlink detaches). */
#ifndef CVISOR_SENTRY_FS_VFS_H
#define CVISOR_SENTRY_FS_VFS_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "sentry/abi/linux.h"

struct task;
struct inode;
struct file;
struct dentry;
struct mount;
struct poll_table;
struct epitem;

/* Attribute changes (chmod, chown, truncate, utimens). */
#define IATTR_MODE  0x1
#define IATTR_UID   0x2
#define IATTR_GID   0x4
#define IATTR_SIZE  0x8
#define IATTR_ATIME 0x10
#define IATTR_MTIME 0x20
struct iattr {
	unsigned valid;
	uint32_t mode, uid, gid;
	uint64_t size;
	struct timespec atime, mtime;
};

struct fs {
	const char *name; /* "tmpfs", "hostfs", ... (/proc/mounts) */
	uint64_t dev;
	int readonly;
	uint64_t next_ino;
	long magic;    /* statfs f_type */
	int no_dcache; /* names come and go by themselves (/proc): never keep an
			* unused dentry */
};

/* Callback for readdir: returns 0 to go on, 1 when the buffer is full. */
typedef int (*dir_emit_fn)(void *ctx, const char *name, uint64_t ino, unsigned type, int64_t next);

struct inode_ops {
	int (*lookup)(struct inode *dir, const char *name, struct inode **out);
	int (*create)(struct inode *dir, const char *name, uint32_t mode, struct inode **out);
	int (*mkdir)(struct inode *dir, const char *name, uint32_t mode);
	int (*mknod)(struct inode *dir, const char *name, uint32_t mode, uint64_t rdev);
	int (*symlink)(struct inode *dir, const char *name, const char *target);
	int (*link)(struct inode *dir, const char *name, struct inode *target);
	int (*unlink)(struct inode *dir, const char *name);
	int (*rmdir)(struct inode *dir, const char *name);
	int (*rename)(struct inode *odir, const char *oname, struct inode *ndir, const char *nname,
		      unsigned flags);
	int (*readlink)(struct inode *in, char *buf, size_t len);
	/* Refreshes the inode's attribute fields (for file systems that cache nothing). */
	int (*getattr)(struct inode *in);
	int (*setattr)(struct inode *in, const struct iattr *ia);
	/* Fills f->ops/f->priv for an open; may be NULL to use the inode's fops. */
	int (*open)(struct inode *in, struct file *f);
	int (*statfs)(struct inode *in, struct linux_statfs *st);
	int (*listxattr)(struct inode *in, char *buf, size_t len);
	int (*getxattr)(struct inode *in, const char *name, void *buf, size_t len);
	/* Used for a magic link (/proc/self/fd/N): the path it stands for. */
	int (*get_link_path)(struct inode *in, struct task *t, struct mount **mnt,
			     struct dentry **d);
	void (*release)(struct inode *in);
};

struct file_ops {
	/* off is the position to use; NULL for stream files (pipes, ttys). */
	long (*read)(struct file *f, void *buf, size_t len, int64_t *off);
	long (*write)(struct file *f, const void *buf, size_t len, int64_t *off);
	int64_t (*llseek)(struct file *f, int64_t off, int whence);
	int (*readdir)(struct file *f, dir_emit_fn emit, void *ctx);
	long (*ioctl)(struct task *t, struct file *f, unsigned cmd, uint64_t arg);
	/* Returns the ready mask of events; if pt is non-NULL registers the
	 * waiter so a later change wakes it. epoll keeps such waiters until
	 * the file is released: the queues must live as long as the file. */
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	/* The host fd backing mappings of this file, or -ENODEV. */
	int (*mmap_fd)(struct file *f);
	int (*fsync)(struct file *f);
	int (*truncate)(struct file *f, uint64_t len);
	void (*release)(struct file *f);
};

struct inode {
	int refs;
	const struct inode_ops *iops;
	const struct file_ops *fops;
	struct fs *fs;
	uint64_t ino;
	uint32_t mode;
	uint32_t uid, gid;
	uint32_t nlink;
	uint64_t size;
	uint64_t blocks;
	uint64_t rdev;
	uint64_t dev;	 /* st_dev if not the fs's (host files keep the host's) */
	unsigned iflags; /* IFLAG_* */
	struct timespec atime, mtime, ctime, btime;
	void *priv;
};

#define IFLAG_OPAQUE 0x1 /* an overlay upper directory hiding its lower one */

struct dentry {
	int refs;
	char *name;
	struct dentry *parent;
	struct inode *inode;
	struct dentry *children, *sibling;
	struct mount *mounted; /* a mount whose root covers this dentry */
	int unlinked;
	/* unused dentries stay cached (in their parent's children) on an LRU
	 * list, so walks of popular paths do not ask the file system again */
	struct dentry *lru_prev, *lru_next;
	int on_lru;
};

struct mount {
	int refs;
	struct dentry *root;
	struct mount *parent;
	struct dentry *mountpoint; /* in parent */
	char *source;
	int flags; /* MS_RDONLY, MS_NOSUID, ... */
	struct mount *next_all;
};

struct file {
	int refs;
	const struct file_ops *ops;
	struct inode *inode;
	struct mount *mnt;
	struct dentry *dentry;
	int flags; /* O_* status and access flags */
	int64_t pos;
	uint64_t dir_pos; /* readdir cursor */
	void *priv;
	/* fcntl(F_SETOWN) etc. not kept */
	struct epitem *epitems; /* epoll items watching this file (fs/anon/epoll.c) */
};

/* The file-system context of a task: root and cwd (CLONE_FS shares it). */
struct fs_context {
	int refs;
	struct mount *root_mnt, *cwd_mnt;
	struct dentry *root, *cwd;
	uint32_t umask;
};

/* inode */
struct inode *inode_new(struct fs *fs, const struct inode_ops *iops, const struct file_ops *fops,
			uint32_t mode);
struct inode *inode_get(struct inode *in);
void inode_put(struct inode *in);
void inode_touch(struct inode *in, int atime, int mtime, int ctime);
void vfs_fill_statx(struct inode *in, struct linux_statx *sx);

/* dentry */
struct dentry *dentry_new(const char *name, struct dentry *parent, struct inode *in);
struct dentry *dentry_get(struct dentry *d);
void dentry_put(struct dentry *d);
/* Cached child or NULL (no reference taken). */
struct dentry *dentry_child(struct dentry *dir, const char *name);
void dentry_detach(struct dentry *d);
void dentry_move(struct dentry *d, struct dentry *ndir, const char *nname);

/* mounts */
struct mount *vfs_mount_root(struct inode *root_inode, const char *source, int flags);
int vfs_mount_at(struct mount *parent, struct dentry *where, struct inode *root_inode,
		 const char *source, int flags);
extern struct mount *vfs_mounts; /* every mount, for /proc/mounts */

/* files */
struct file *file_new(struct inode *in, struct mount *mnt, struct dentry *d, int flags);
struct file *file_get(struct file *f);
void file_put(struct file *f);
/* The absolute path of a dentry as seen from root (for getcwd, /proc); the
 * name of an anonymous file's dentry (mnt NULL), such as "pipe:[7]". */
int vfs_path_of(struct mount *root_mnt, struct dentry *root, struct mount *mnt, struct dentry *d,
		char *buf, size_t len);
/* The absolute path of an open file (malloc'd), or NULL. */
char *file_path(struct file *f);
/* Opens a file of a synthesized inode without a path (pipes, sockets). */
struct file *file_anon(struct inode *in, int flags, const char *name);

/* path walk */
#define WALK_NOFOLLOW	 0x1 /* don't follow a final symlink */
#define WALK_PARENT	 0x2 /* stop at the parent; the last name goes to *last */
#define WALK_DIR	 0x4 /* the result must be a directory */
#define WALK_NOAUTOMOUNT 0x8
#define WALK_EMPTY	 0x10 /* an empty path means the start dir (AT_EMPTY_PATH) */
#define WALK_BENEATH	 0x20
#define WALK_NO_SYMLINKS 0x40
#define WALK_IN_ROOT	 0x80

struct walk_result {
	struct mount *mnt;
	struct dentry *d; /* referenced */
	char last[256];	  /* WALK_PARENT: the final component */
	int trailing_slash;
};
/* Walks path from dirfd (AT_FDCWD or an fd of t). */
int vfs_walk(struct task *t, int dirfd, const char *path, int flags, struct walk_result *out);
void walk_result_put(struct walk_result *w);
/* Looks name up in dir (cache, then the fs). Returns a referenced dentry. */
int vfs_lookup_child(struct dentry *dir, const char *name, struct dentry **out);
/* Follows mounts stacked on (mnt, d). */
void vfs_follow_mounts(struct mount **mnt, struct dentry **d);

/* Opens path as open(2) does: creates, truncates, checks types. */
int vfs_open(struct task *t, int dirfd, const char *path, int flags, uint32_t mode,
	     struct file **out);
int vfs_open_dentry(struct mount *mnt, struct dentry *d, int flags, struct file **out);
int vfs_permission(struct task *t, struct inode *in, int mask);

/* fs context */
struct fs_context *fs_context_new(struct mount *root_mnt, struct dentry *root);
struct fs_context *fs_context_copy(struct fs_context *fc);
void fs_context_put(struct fs_context *fc);
void fs_context_set_cwd(struct fs_context *fc, struct mount *mnt, struct dentry *d);

#endif
