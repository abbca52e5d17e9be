/* Anonymous files: eventfd, timerfd, signalfd and epoll.
 *
 * Each is a file of its own synthesized inode on "anon_inodefs" (named
 * "anon_inode:[eventfd]" and so on, as /proc/self/fd shows on Linux) whose
 * state lives in f->priv and is freed by the file's release. The functions
 * return >= 0 or a negative errno; *_create hand the caller a file
 * reference. Functions taking a file borrow it and return -EINVAL when it is
 * not of their kind. */
#ifndef CVISOR_SENTRY_FS_ANON_ANON_H
#define CVISOR_SENTRY_FS_ANON_ANON_H

#include <stdint.h>

#include "sentry/abi/linux.h"
#include "sentry/fs/vfs.h"

struct task;

/* A new anonymous file with ops and state priv (taken over by the file);
 * flags: O_ACCMODE and O_NONBLOCK. */
struct file *anon_file_new(const char *name, const struct file_ops *ops, void *priv, int flags);

/* eventfd.c */
int eventfd_new(uint64_t initval, int flags, struct file **out);

/* timerfd.c: clocks are Linux clock ids; times in struct linux_itimerspec */
int timerfd_new(int clockid, int flags, struct file **out);
int timerfd_set(struct file *f, int flags, const struct linux_itimerspec *nv,
		struct linux_itimerspec *old);
int timerfd_get(struct file *f, struct linux_itimerspec *cur);

/* signalfd.c */
int signalfd_new(uint64_t mask, int flags, struct file **out);
int signalfd_set_mask(struct file *f, uint64_t mask);
/* Called by signal_send after it queued a signal: wakes signalfd readers. */
void signalfd_notify(void);

/* epoll.c */
int epoll_create_file(int flags, struct file **out);
int epoll_is(struct file *f);
/* op: EPOLL_CTL_*; ev may be NULL for EPOLL_CTL_DEL. */
int epoll_ctl_file(struct file *ep, int op, int fd, struct file *target,
		   const struct linux_epoll_event *ev);
/* Waits until deadline (monotonic ns; 0 forever, -1 don't block); returns
 * the number of events written to out, 0 on timeout, -EINTR. */
int epoll_wait_file(struct task *t, struct file *ep, struct linux_epoll_event *out, int max,
		    int64_t deadline);
/* Called by file_put when a watched file goes away. */
void epoll_file_release(struct file *f);

#endif
