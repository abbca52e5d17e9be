/* Advisory file locks: flock(2), POSIX record locks (fcntl F_SETLK...) and
 * open file description locks (F_OFD_SETLK...).
 *
 * Locks are kept per inode (the file's f->inode, which for overlay files is
 * the real upper or lower inode). Owners:
 *  - flock and OFD locks: the open file description (struct file); they go
 *    when its last reference goes (locks_file_release from file_put);
 *  - POSIX locks: the fd table (a process, or threads sharing CLONE_FILES,
 *    as Linux's files_struct); they go when that table closes ANY fd of the
 *    inode or is released (locks_close_posix from fdtable.c).
 * Same-owner POSIX/OFD ranges never overlap: setting a range first cuts it
 * out of the owner's ranges, then merges adjacent ranges of the same type.
 * Waiters sleep on the inode's wait queue and look again when woken; every
 * release wakes them. Both hooks cost one test while no lock exists. */
#ifndef CVISOR_SENTRY_KERNEL_LOCKS_H
#define CVISOR_SENTRY_KERNEL_LOCKS_H

#include <stdint.h>

struct task;
struct file;
struct fd_table;

/* Inodes with lock state (locks held or waiters): 0 keeps the hooks cheap. */
extern int locks_active;

/* flock(2) on f (borrowed): LOCK_SH/LOCK_EX/LOCK_UN, | LOCK_NB. */
long locks_flock(struct task *t, struct file *f, unsigned op);
/* fcntl F_GETLK/F_SETLK/F_SETLKW/F_OFD_GETLK/F_OFD_SETLK/F_OFD_SETLKW with
 * the application's struct flock at uarg. */
long locks_fcntl(struct task *t, struct file *f, int cmd, uint64_t uarg);

void locks_file_release_slow(struct file *f);
void locks_close_posix_slow(struct fd_table *owner, struct file *f);

/* f's last reference is going: drop its flock and OFD locks. */
static inline void locks_file_release(struct file *f)
{
	if (locks_active)
		locks_file_release_slow(f);
}

/* owner closes an fd of f: drop owner's POSIX locks on f's inode. */
static inline void locks_close_posix(struct fd_table *owner, struct file *f)
{
	if (locks_active)
		locks_close_posix_slow(owner, f);
}

#endif
