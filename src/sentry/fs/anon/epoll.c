/* epoll: an interest list of (fd, file) items and a ready list.
 *
 * Like Linux, each item hangs waiters on its file's wait queues (by calling
 * the file's poll with the item's own poll table); their notify callback puts
 * the item on the ready list and wakes the epoll's queue, where epoll_wait
 * sleepers and the waiters of outer epolls (nesting) hang. epoll_wait polls
 * only the items of the ready list, re-arming their waiters as it goes: a
 * level-triggered item that is still ready stays on the list (moved to its
 * end), an edge-triggered one leaves it until its next wake-up, a oneshot one
 * is disabled until EPOLL_CTL_MOD. An item whose file registered no wait
 * queue while ready stays on the list and is reported when its ready mask
 * gains a bit.
 *
 * Items hold no file reference: file_put calls epoll_file_release when a
 * watched file goes, which drops its items (f->epitems lists them). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "sentry/fs/anon/anon.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

#define EP_NWAIT     4 /* wait queues per item (a file uses one or two) */
#define EP_MAX_NESTS 4 /* as Linux's EPOLL_MAX_NESTS */
#define EP_PRIVATE   (EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE | EPOLLWAKEUP)

struct epoll;

struct epitem {
	struct epoll *ep;
	int fd;
	struct file *file; /* not referenced */
	uint32_t events;   /* requested, with EPOLLET etc. */
	uint64_t data;
	int disabled;		      /* a oneshot item that fired */
	int on_rd;		      /* on the ready list */
	int woken;		      /* a wake-up since the last report (edge) */
	unsigned last;		      /* the ready mask at the last look */
	struct epitem *next, **pprev; /* in ep->items */
	struct epitem *h_next;	      /* in ep->buckets */
	struct epitem *rd_next;	      /* in ep->rd */
	struct epitem *f_next;	      /* in file->epitems */
	struct waiter w[EP_NWAIT];
	int nw;
};

struct epoll {
	struct file *file; /* the epoll's own file (not referenced) */
	struct epitem *items;
	struct epitem **buckets; /* by fd; nbuckets a power of two */
	size_t nbuckets, nitems;
	struct epitem *rd, **rd_tail;
	struct waitq wq; /* epoll_wait sleepers and outer epolls */
};

static const struct file_ops epoll_fops;

static size_t bucket(struct epoll *ep, int fd)
{
	return (size_t)(unsigned)fd & (ep->nbuckets - 1);
}

int epoll_is(struct file *f)
{
	return f && f->ops == &epoll_fops;
}

static void rd_add(struct epitem *it)
{
	if (it->on_rd)
		return;
	it->on_rd = 1;
	it->rd_next = NULL;
	*it->ep->rd_tail = it;
	it->ep->rd_tail = &it->rd_next;
}

static void rd_remove(struct epitem *it)
{
	if (!it->on_rd)
		return;
	struct epoll *ep = it->ep;
	for (struct epitem **p = &ep->rd; *p; p = &(*p)->rd_next) {
		if (*p == it) {
			*p = it->rd_next;
			if (ep->rd_tail == &it->rd_next)
				ep->rd_tail = p;
			break;
		}
	}
	it->on_rd = 0;
	it->rd_next = NULL;
}

/* A wake-up on one of the item's file's queues. */
static void item_notify(struct waiter *w)
{
	struct epitem *it = w->priv;
	it->woken = 1;
	if (it->disabled)
		return;
	rd_add(it);
	waitq_wake(&it->ep->wq, 0);
}

static void item_unhook(struct epitem *it)
{
	for (int i = 0; i < it->nw; i++)
		waitq_del(&it->w[i]);
	it->nw = 0;
}

/* Polls the item's file, hanging the item's waiters on its queues. */
static unsigned item_arm(struct epitem *it)
{
	item_unhook(it);
	struct poll_table pt = {.task = current_task(), .waiters = it->w, .cap = EP_NWAIT};
	unsigned m = it->file->ops->poll(it->file, &pt);
	it->nw = pt.nwaiters;
	for (int i = 0; i < it->nw; i++) {
		it->w[i].notify = item_notify;
		it->w[i].priv = it;
	}
	return m;
}

static unsigned item_wanted(struct epitem *it)
{
	return it->disabled ? 0 : (it->events & ~EP_PRIVATE) | EPOLLERR | EPOLLHUP;
}

/* Decides whether the item on the ready list is reported now; returns the
 * events to report (0: not) and sets *keep when it stays on the list. */
static unsigned item_check(struct epitem *it, int *keep, int consume)
{
	unsigned m = item_arm(it) & item_wanted(it);
	unsigned gained = m & ~it->last;
	int woken = it->woken;
	if (consume) {
		it->last = m;
		it->woken = 0;
	}
	*keep = 0;
	if (!m)
		return 0;
	if (it->events & EPOLLET) {
		*keep = it->nw == 0; /* nothing will wake it: watch its mask */
		return woken || gained ? m : 0;
	}
	*keep = 1;
	return m;
}

static unsigned epoll_poll(struct file *f, struct poll_table *pt)
{
	struct epoll *ep = f->priv;
	poll_wait_on(pt, &ep->wq, 0);
	for (struct epitem *it = ep->rd; it; it = it->rd_next) {
		int keep;
		if (item_check(it, &keep, 0))
			return POLLIN | POLLRDNORM;
	}
	return 0;
}

static void item_free(struct epitem *it)
{
	struct epoll *ep = it->ep;
	item_unhook(it);
	rd_remove(it);
	*it->pprev = it->next;
	if (it->next)
		it->next->pprev = it->pprev;
	for (struct epitem **p = &ep->buckets[bucket(ep, it->fd)]; *p; p = &(*p)->h_next) {
		if (*p == it) {
			*p = it->h_next;
			break;
		}
	}
	ep->nitems--;
	for (struct epitem **p = &it->file->epitems; *p; p = &(*p)->f_next) {
		if (*p == it) {
			*p = it->f_next;
			break;
		}
	}
	free(it);
}

void epoll_file_release(struct file *f)
{
	while (f->epitems)
		item_free(f->epitems);
}

static void epoll_release(struct file *f)
{
	struct epoll *ep = f->priv;
	while (ep->items)
		item_free(ep->items);
	free(ep->buckets);
	free(ep);
}

static const struct file_ops epoll_fops = {
    .poll = epoll_poll,
    .release = epoll_release,
};

int epoll_create_file(int flags, struct file **out)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct epoll *ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	ep->rd_tail = &ep->rd;
	*out = anon_file_new("anon_inode:[eventpoll]", &epoll_fops, ep, O_RDWR);
	if (!*out) {
		free(ep);
		return -ENOMEM;
	}
	ep->file = *out;
	return 0;
}

static struct epitem *item_find(struct epoll *ep, int fd, struct file *f)
{
	if (!ep->nbuckets)
		return NULL;
	for (struct epitem *it = ep->buckets[bucket(ep, fd)]; it; it = it->h_next)
		if (it->fd == fd && it->file == f)
			return it;
	return NULL;
}

/* Makes room for one more item: doubles the table past two per bucket. */
static int hash_reserve(struct epoll *ep)
{
	if (ep->nitems + 1 <= ep->nbuckets * 2)
		return 0;
	size_t n = ep->nbuckets ? ep->nbuckets * 2 : 16;
	struct epitem **b = calloc(n, sizeof(*b));
	if (!b)
		return -ENOMEM;
	free(ep->buckets);
	ep->buckets = b;
	ep->nbuckets = n;
	for (struct epitem *it = ep->items; it; it = it->next) {
		size_t h = bucket(ep, it->fd);
		it->h_next = b[h];
		b[h] = it;
	}
	return 0;
}

/* How deep the epolls under f nest (0 for a plain file); -1 when ep is among
 * them (a loop). */
static int nest_depth(struct epoll *ep, struct file *f, int level)
{
	if (!epoll_is(f))
		return 0;
	struct epoll *inner = f->priv;
	if (inner == ep || level > EP_MAX_NESTS)
		return -1;
	int max = 0;
	for (struct epitem *it = inner->items; it; it = it->next) {
		int d = nest_depth(ep, it->file, level + 1);
		if (d < 0)
			return -1;
		if (d > max)
			max = d;
	}
	return max + 1;
}

/* How many epolls contain ep, at most (the other direction of nesting). */
static int outer_depth(struct epoll *ep, int level)
{
	if (level > EP_MAX_NESTS)
		return level;
	int max = 0;
	for (struct epitem *it = ep->file->epitems; it; it = it->f_next) {
		int d = outer_depth(it->ep, level + 1) + 1;
		if (d > max)
			max = d;
	}
	return max;
}

static void item_set(struct epitem *it, const struct linux_epoll_event *ev)
{
	it->events = ev->events & ~EPOLLWAKEUP;
	it->data = ev->data;
	it->disabled = 0;
	it->last = 0;
	it->woken = 0;
	unsigned m = item_arm(it) & item_wanted(it);
	if (m) {
		it->woken = 1;
		rd_add(it);
		waitq_wake(&it->ep->wq, 0);
	} else if (it->nw) {
		rd_remove(it);
	}
}

int epoll_ctl_file(struct file *epf, int op, int fd, struct file *target,
		   const struct linux_epoll_event *ev)
{
	if (!epoll_is(epf) || epf == target)
		return -EINVAL;
	if (!target->ops || !target->ops->poll)
		return -EPERM;
	struct epoll *ep = epf->priv;
	struct epitem *it = item_find(ep, fd, target);
	if (ev && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    ((ev->events & ~(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP |
				     EPOLLET | EPOLLEXCLUSIVE)) ||
		     epoll_is(target)))
			return -EINVAL;
	}
	switch (op) {
	case EPOLL_CTL_ADD: {
		if (it)
			return -EEXIST;
		if (epoll_is(target)) {
			int d = nest_depth(ep, target, 0);
			if (d < 0 || d + outer_depth(ep, 0) > EP_MAX_NESTS)
				return -ELOOP;
		}
		if (hash_reserve(ep))
			return -ENOMEM;
		it = calloc(1, sizeof(*it));
		if (!it)
			return -ENOMEM;
		it->ep = ep;
		it->fd = fd;
		it->file = target;
		it->next = ep->items;
		it->pprev = &ep->items;
		if (ep->items)
			ep->items->pprev = &it->next;
		ep->items = it;
		size_t h = bucket(ep, fd);
		it->h_next = ep->buckets[h];
		ep->buckets[h] = it;
		ep->nitems++;
		it->f_next = target->epitems;
		target->epitems = it;
		item_set(it, ev);
		return 0;
	}
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		item_set(it, ev);
		return 0;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		item_free(it);
		return 0;
	default:
		return -EINVAL;
	}
}

/* One pass over the ready list: fills out, returns the count. */
static int collect(struct epoll *ep, struct linux_epoll_event *out, int max, int *idle)
{
	struct epitem *list = ep->rd;
	ep->rd = NULL;
	ep->rd_tail = &ep->rd;
	struct epitem *again = NULL, **again_tail = &again; /* reported, staying */
	int n = 0;
	*idle = 0;
	while (list) {
		struct epitem *it = list;
		list = it->rd_next;
		it->on_rd = 0;
		it->rd_next = NULL;
		if (n >= max) {
			rd_add(it); /* keeps its place, before the reported ones */
			continue;
		}
		int keep;
		unsigned m = item_check(it, &keep, 1);
		if (m) {
			out[n].events = m;
			out[n].data = it->data;
			n++;
			if (it->events & EPOLLONESHOT) {
				it->disabled = 1;
				keep = 0;
			}
			if (keep) {
				it->on_rd = 1;
				*again_tail = it;
				again_tail = &it->rd_next;
			}
		} else if (keep) {
			rd_add(it);
			*idle = 1;
		}
	}
	/* Items woken during the pass are on ep->rd already; the reported
	 * level-triggered ones go after them. */
	if (again) {
		*ep->rd_tail = again;
		ep->rd_tail = again_tail;
	}
	return n;
}

int epoll_wait_file(struct task *t, struct file *epf, struct linux_epoll_event *out, int max,
		    int64_t deadline)
{
	if (!epoll_is(epf))
		return -EINVAL;
	struct epoll *ep = epf->priv;
	for (;;) {
		int idle;
		int n = collect(ep, out, max, &idle);
		if (n || deadline < 0)
			return n;
		int64_t d = deadline;
		if (idle) {
			/* an item no queue wakes: look again soon */
			int64_t soon = now_ns() + 10000000;
			if (!d || soon < d)
				d = soon;
		}
		struct waiter w;
		waitq_add(&ep->wq, &w, t, 0);
		int err = task_block(t, d, 1);
		waitq_del(&w);
		if (err == -ETIMEDOUT) {
			if (d == deadline)
				return 0;
		} else if (err) {
			return -EINTR;
		}
	}
}
