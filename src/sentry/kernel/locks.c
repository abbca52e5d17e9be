/* Advisory file locks; see locks.h. */
#include "sentry/kernel/locks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "sentry/abi/linux.h"
#include "sentry/fs/fdtable.h"
#include "sentry/fs/vfs.h"
#include "sentry/syscalls/syscalls.h"

#define OFFSET_MAX INT64_MAX

/* A POSIX or OFD lock on the byte range [start, end]. */
struct range_lock {
	struct range_lock *next;
	const void *owner;  /* struct fd_table * (POSIX) or struct file * (OFD) */
	int type;	    /* F_RDLCK or F_WRLCK */
	int64_t start, end; /* inclusive; end OFFSET_MAX: to the end of the file */
	pid_t pid;	    /* for F_GETLK: the locker's pid, -1 for OFD locks */
};

/* A flock(2) lock of one open file description. */
struct flock_lock {
	struct flock_lock *next;
	struct file *f;
	int type; /* F_RDLCK (LOCK_SH) or F_WRLCK (LOCK_EX) */
};

/* The lock state of one inode; exists while it has locks or waiters. */
struct inode_locks {
	struct inode_locks *next;
	const struct inode *inode;
	struct range_lock *ranges;
	struct flock_lock *flocks;
	struct waitq wq;
	int waiters;
};

/* A POSIX F_SETLKW asleep: owner waits for blocker (deadlock detection). */
struct blocked {
	struct blocked *next;
	const void *owner, *blocker;
};

#define NBUCKETS 64
static struct inode_locks *buckets[NBUCKETS];
static struct blocked *blocked_list;
int locks_active;

static struct inode_locks **bucket(const struct inode *in)
{
	return &buckets[((uintptr_t)in >> 4) % NBUCKETS];
}

static struct inode_locks *il_find(const struct inode *in, int create)
{
	struct inode_locks **b = bucket(in);
	for (struct inode_locks *il = *b; il; il = il->next)
		if (il->inode == in)
			return il;
	if (!create)
		return NULL;
	struct inode_locks *il = calloc(1, sizeof(*il));
	if (!il)
		return NULL;
	il->inode = in;
	il->next = *b;
	*b = il;
	locks_active++;
	return il;
}

static void il_maybe_free(struct inode_locks *il)
{
	if (il->ranges || il->flocks || il->waiters)
		return;
	for (struct inode_locks **p = bucket(il->inode); *p; p = &(*p)->next) {
		if (*p == il) {
			*p = il->next;
			break;
		}
	}
	free(il);
	locks_active--;
}

/* Sleeps on il's queue; -ERESTARTSYS when a signal came. */
static int il_wait(struct task *t, struct inode_locks *il)
{
	struct waiter w;
	il->waiters++;
	waitq_add(&il->wq, &w, t, 0);
	int err = task_block(t, 0, 1);
	waitq_del(&w);
	il->waiters--;
	return err ? -ERESTARTSYS : 0;
}

/* flock(2) */

static struct flock_lock *flock_conflict(struct inode_locks *il, struct file *f, int type)
{
	for (struct flock_lock *l = il->flocks; l; l = l->next)
		if (l->f != f && (l->type == F_WRLCK || type == F_WRLCK))
			return l;
	return NULL;
}

long locks_flock(struct task *t, struct file *f, unsigned op)
{
	int nb = (op & LOCK_NB) != 0, type;
	switch (op & ~(unsigned)LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	if (f->flags & O_PATH)
		return -EBADF;
	struct inode_locks *il = il_find(f->inode, type != F_UNLCK);
	if (!il)
		return type == F_UNLCK ? 0 : -ENOMEM;
	/* A conversion drops the old lock first, as Linux does (not atomic). */
	for (struct flock_lock **p = &il->flocks; *p; p = &(*p)->next) {
		struct flock_lock *l = *p;
		if (l->f != f)
			continue;
		if (l->type == type)
			return 0;
		*p = l->next;
		free(l);
		waitq_wake(&il->wq, 0);
		break;
	}
	long r = 0;
	while (type != F_UNLCK) {
		if (!flock_conflict(il, f, type)) {
			struct flock_lock *l = malloc(sizeof(*l));
			if (!l) {
				r = -ENOMEM;
				break;
			}
			l->f = f;
			l->type = type;
			l->next = il->flocks;
			il->flocks = l;
			break;
		}
		if (nb) {
			r = -EWOULDBLOCK;
			break;
		}
		if ((r = il_wait(t, il)))
			break;
	}
	il_maybe_free(il);
	return r;
}

/* POSIX and OFD record locks */

static int overlaps(const struct range_lock *l, int64_t start, int64_t end)
{
	return l->start <= end && l->end >= start;
}

static struct range_lock *range_conflict(struct inode_locks *il, const void *owner, int type,
					 int64_t start, int64_t end)
{
	if (!il)
		return NULL;
	for (struct range_lock *l = il->ranges; l; l = l->next)
		if (l->owner != owner && overlaps(l, start, end) &&
		    (l->type == F_WRLCK || type == F_WRLCK))
			return l;
	return NULL;
}

/* Sets owner's lock on [start, end] to type (F_UNLCK removes it). */
static int range_apply(struct inode_locks *il, const void *owner, pid_t pid, int type,
		       int64_t start, int64_t end)
{
	/* allocate first so that failure changes nothing */
	struct range_lock *nl = NULL, *split = malloc(sizeof(*split));
	if (!split || (type != F_UNLCK && !(nl = malloc(sizeof(*nl))))) {
		free(split);
		return -ENOMEM;
	}
	struct range_lock **pp = &il->ranges;
	while (*pp) {
		struct range_lock *l = *pp;
		if (l->owner != owner || !overlaps(l, start, end)) {
			pp = &l->next;
			continue;
		}
		if (l->start < start && l->end > end) {
			/* [start, end] inside l: keep both sides (only one lock of an
			 * owner can contain the range) */
			*split = *l;
			split->start = end + 1;
			l->end = start - 1;
			split->next = l->next;
			l->next = split;
			split = NULL;
			pp = &l->next->next;
		} else if (l->start < start) {
			l->end = start - 1;
			pp = &l->next;
		} else if (l->end > end) {
			l->start = end + 1;
			pp = &l->next;
		} else {
			*pp = l->next;
			free(l);
		}
	}
	free(split);
	if (nl) {
		/* merge with the owner's adjacent ranges of the same type */
		for (pp = &il->ranges; *pp;) {
			struct range_lock *l = *pp;
			if (l->owner == owner && l->type == type &&
			    ((start > 0 && l->end == start - 1) ||
			     (end < OFFSET_MAX && l->start == end + 1))) {
				if (l->start < start)
					start = l->start;
				if (l->end > end)
					end = l->end;
				*pp = l->next;
				free(l);
				continue;
			}
			pp = &l->next;
		}
		nl->owner = owner;
		nl->pid = pid;
		nl->type = type;
		nl->start = start;
		nl->end = end;
		nl->next = il->ranges;
		il->ranges = nl;
	}
	waitq_wake(&il->wq, 0);
	return 0;
}

/* Would owner, waiting for holder, wait for itself? Follows the chain of
 * sleeping POSIX requests. */
static int deadlock(const void *owner, const void *holder)
{
	for (int depth = 0; depth < 128; depth++) {
		if (holder == owner)
			return 1;
		const struct blocked *b = blocked_list;
		while (b && b->owner != holder)
			b = b->next;
		if (!b)
			return 0;
		holder = b->blocker;
	}
	return 0;
}

static long setlk(struct task *t, struct file *f, const void *owner, int ofd, int type,
		  int64_t start, int64_t end, int wait)
{
	struct inode_locks *il = il_find(f->inode, type != F_UNLCK);
	if (!il)
		return type == F_UNLCK ? 0 : -ENOMEM;
	long r;
	for (;;) {
		struct range_lock *c =
		    type == F_UNLCK ? NULL : range_conflict(il, owner, type, start, end);
		if (!c) {
			r = range_apply(il, owner, ofd ? -1 : t->proc->pid, type, start, end);
			break;
		}
		if (!wait) {
			r = -EAGAIN;
			break;
		}
		if (!ofd && deadlock(owner, c->owner)) {
			r = -EDEADLK;
			break;
		}
		struct blocked b = {.next = blocked_list, .owner = owner, .blocker = c->owner};
		if (!ofd)
			blocked_list = &b;
		r = il_wait(t, il);
		if (!ofd) {
			struct blocked **p = &blocked_list;
			while (*p != &b)
				p = &(*p)->next;
			*p = b.next;
		}
		if (r)
			break;
	}
	il_maybe_free(il);
	return r;
}

/* The byte range a struct flock names, as [start, end]. */
static long flock_range(struct file *f, const struct linux_flock *fl, int64_t *start, int64_t *end)
{
	int64_t base;
	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		if (f->inode->iops && f->inode->iops->getattr)
			f->inode->iops->getattr(f->inode);
		base = (int64_t)f->inode->size;
		break;
	default:
		return -EINVAL;
	}
	int64_t s;
	if (__builtin_add_overflow(base, fl->l_start, &s))
		return -EOVERFLOW;
	if (fl->l_len > 0) {
		if (__builtin_add_overflow(s, fl->l_len - 1, end))
			return -EOVERFLOW;
	} else if (fl->l_len < 0) {
		*end = s - 1;
		s += fl->l_len;
	} else {
		*end = OFFSET_MAX;
	}
	if (s < 0)
		return -EINVAL;
	*start = s;
	return 0;
}

long locks_fcntl(struct task *t, struct file *f, int cmd, uint64_t uarg)
{
	struct linux_flock fl;
	if (copy_in(t, uarg, &fl, sizeof(fl)))
		return -EFAULT;
	if (f->flags & O_PATH)
		return -EBADF;
	int ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	const void *owner = ofd ? (const void *)f : (const void *)t->files;
	int64_t start, end;
	long r = flock_range(f, &fl, &start, &end);
	if (r)
		return r;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
			return -EINVAL;
		struct range_lock *c =
		    range_conflict(il_find(f->inode, 0), owner, fl.l_type, start, end);
		if (c) {
			fl.l_type = (int16_t)c->type;
			fl.l_whence = SEEK_SET;
			fl.l_start = c->start;
			fl.l_len = c->end == OFFSET_MAX ? 0 : c->end - c->start + 1;
			fl.l_pid = c->pid;
		} else {
			fl.l_type = F_UNLCK;
		}
		return copy_out(t, uarg, &fl, sizeof(fl)) ? -EFAULT : 0;
	}
	int acc = f->flags & O_ACCMODE;
	switch (fl.l_type) {
	case F_RDLCK:
		if (acc != O_RDONLY && acc != O_RDWR)
			return -EBADF;
		break;
	case F_WRLCK:
		if (acc != O_WRONLY && acc != O_RDWR)
			return -EBADF;
		break;
	case F_UNLCK:
		break;
	default:
		return -EINVAL;
	}
	return setlk(t, f, owner, ofd, fl.l_type, start, end,
		     cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/* Removes the ranges owned by owner (all of them, or on one inode's state). */
static void drop_ranges(struct inode_locks *il, const void *owner)
{
	int changed = 0;
	for (struct range_lock **p = &il->ranges; *p;) {
		struct range_lock *l = *p;
		if (l->owner == owner) {
			*p = l->next;
			free(l);
			changed = 1;
			continue;
		}
		p = &l->next;
	}
	if (changed)
		waitq_wake(&il->wq, 0);
}

void locks_file_release_slow(struct file *f)
{
	struct inode_locks *il = il_find(f->inode, 0);
	if (!il)
		return;
	for (struct flock_lock **p = &il->flocks; *p;) {
		struct flock_lock *l = *p;
		if (l->f == f) {
			*p = l->next;
			free(l);
			waitq_wake(&il->wq, 0);
			continue;
		}
		p = &l->next;
	}
	drop_ranges(il, f);
	il_maybe_free(il);
}

void locks_close_posix_slow(struct fd_table *owner, struct file *f)
{
	struct inode_locks *il = il_find(f->inode, 0);
	if (!il)
		return;
	drop_ranges(il, owner);
	il_maybe_free(il);
}
