/* Gofer internals shared by the serve loop and the operation handlers.
 *
 * A node is one walked-to file: an O_PATH fd plus the node it was walked
 * from and the name used, so `..`, remove and rename work without re-walking
 * host paths. Nodes are reference counted (a child holds its parent); each
 * walk makes fresh nodes, so two fids never share one. Cost: a fid holds one
 * fd per node of its chain not shared with other fids; a client that walks
 * one component from its parent's fid (as a dentry cache does) pays one fd
 * per fid. A fid owns one node
 * reference and, once opened, one real fd. The server is single-threaded per
 * connection: no locks. */
#ifndef CVISOR_GOFER_INTERNAL_H
#define CVISOR_GOFER_INTERNAL_H

#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "gofer/gofer.h"
#include "p9/p9.h"

struct gnode {
	int refs;
	int fd;		      /* O_PATH|O_NOFOLLOW */
	struct gnode *parent; /* NULL at the export root */
	char *name;	      /* name in parent; NULL at the root */
};

struct gfid {
	uint32_t id;
	struct gnode *node;
	int open_fd; /* -1 until Tlopen/Tlcreate */
	int open_flags;
	const struct gofer_export *exp;
	uid_t uid; /* from Tattach, owner of what this fid creates */
	struct gfid *next;
};

#define GFID_BUCKETS 256
#define GFID_MAX     65536

struct gconn {
	int sock;
	uint32_t msize;
	bool donate;
	bool direct; /* Rattach of a directory export donates its O_PATH fd */
	int pass_fd; /* fd to send with the current reply, borrowed; -1 none */
	const struct gofer_export *exports;
	size_t nexports;
	struct gfid *fids[GFID_BUCKETS];
	size_t nfids;
	uint8_t *out; /* reply buffer, msize bytes: Rread data goes in place */
};

/* node.c */
/* openat2() of one name beneath dirfd, never following symlinks. */
int gofer_openat(int dirfd, const char *name, int flags, mode_t mode);
struct gnode *gnode_new(int fd, struct gnode *parent, const char *name);
struct gnode *gnode_get(struct gnode *n);
void gnode_put(struct gnode *n);
int gnode_stat(const struct gnode *n, struct stat *st);
void gofer_qid(const struct stat *st, struct p9_qid *q);
int gofer_name_ok(const char *name);
int gnode_walk(struct gnode *from, const char *name, struct gnode **out);
int gnode_child(struct gnode *dir, const char *name, struct gnode **out, struct p9_qid *q);
int gnode_reopen(const struct gnode *n, int flags);
/* 0 if fd is the file n names, else -ESTALE (it was replaced). */
int gnode_same(const struct gnode *n, int fd);

/* ops_file.c: opens the file f names for I/O (a file export through its
 * export's fd). */
int gfid_reopen(const struct gfid *f, int flags);

/* fid.c */
struct gfid *gfid_find(struct gconn *c, uint32_t id);
int gfid_add(struct gconn *c, uint32_t id, struct gfid **out);
void gfid_del(struct gconn *c, uint32_t id);
void gfid_clear(struct gconn *c);

/* Handlers: t is the request, r the reply (type and tag preset). */
typedef int (*gofer_op)(struct gconn *c, const struct p9_msg *t, struct p9_msg *r);
int gop_walk(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_lopen(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_lcreate(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_read(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_write(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_readdir(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_getattr(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_setattr(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_statfs(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_fsync(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_readlink(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_lock(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_getlock(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_mkdir(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_symlink(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_mknod(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_link(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_rename(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_renameat(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_unlinkat(struct gconn *, const struct p9_msg *, struct p9_msg *);
int gop_remove(struct gconn *, const struct p9_msg *, struct p9_msg *);

#endif
