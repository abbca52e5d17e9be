/* futex(2): wait, wake, requeue, cmp_requeue, wake_op, bitset variants, with
 * timeouts; robust lists at exit. Waiters are kept in one list per hash
 * bucket, keyed by (address space, address) for private futexes and by
 * (backing object, offset) for shared ones in MAP_SHARED memory, so shared
 * futexes work across processes. */
#include "sentry/kernel/futex.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <time.h>

#include "sentry/fs/vfs.h"
#include "sentry/kernel/task.h"
#include "sentry/mm/mm.h"
#include "sentry/syscalls/syscalls.h"

struct fkey {
	uintptr_t obj; /* mm, inode, or shared mapping id (tagged with 1) */
	uint64_t off;
};

struct fwaiter {
	struct task *task;
	struct fkey key;
	uint32_t bitset;
	int woken;
	struct fwaiter *next, **pprev;
};

#define NB 256
static struct fwaiter *buckets[NB];

static unsigned hashkey(struct fkey k)
{
	return (unsigned)((k.obj >> 4) ^ (k.off >> 2) ^ (k.off >> 12)) % NB;
}

static int key_eq(struct fkey a, struct fkey b)
{
	return a.obj == b.obj && a.off == b.off;
}

static struct fkey key_of(struct task *t, uint64_t addr, int private)
{
	struct fkey k = {(uintptr_t)t->mm, addr};
	if (private)
		return k;
	struct vma *v = mm_find(t->mm, addr);
	if (v && (v->flags & VMA_SHARED)) {
		if (v->file)
			k.obj = (uintptr_t)v->file->inode;
		else
			k.obj = (uintptr_t)(v->shared_id << 1 | 1);
		k.off = addr - v->start + v->off;
	}
	return k;
}

static void fw_add(struct fwaiter *w)
{
	struct fwaiter **b = &buckets[hashkey(w->key)];
	w->next = *b;
	w->pprev = b;
	if (*b)
		(*b)->pprev = &w->next;
	*b = w;
}

static void fw_del(struct fwaiter *w)
{
	if (!w->pprev)
		return;
	*w->pprev = w->next;
	if (w->next)
		w->next->pprev = w->pprev;
	w->pprev = NULL;
	w->next = NULL;
}

static int do_wake(struct fkey key, int n, uint32_t bitset)
{
	int woken = 0;
	struct fwaiter *w = buckets[hashkey(key)];
	while (w && woken < n) {
		struct fwaiter *next = w->next;
		if (key_eq(w->key, key) && (w->bitset & bitset)) {
			fw_del(w);
			w->woken = 1;
			task_wake(w->task);
			woken++;
		}
		w = next;
	}
	return woken;
}

int futex_wake(struct task *t, uint64_t addr, int n, uint32_t bitset)
{
	return do_wake(key_of(t, addr, 0), n, bitset);
}

static int do_requeue(struct fkey key, int nwake, struct fkey key2, int nreq)
{
	int woken = do_wake(key, nwake, ~0U);
	int moved = 0;
	struct fwaiter *w = buckets[hashkey(key)];
	while (w && moved < nreq) {
		struct fwaiter *next = w->next;
		if (key_eq(w->key, key)) {
			fw_del(w);
			w->key = key2;
			fw_add(w);
			moved++;
		}
		w = next;
	}
	return woken + moved;
}

static long do_wait(struct task *t, uint64_t addr, int private, uint32_t val, int64_t deadline,
		    uint32_t bitset)
{
	if (addr & 3)
		return -EINVAL;
	uint32_t cur;
	if (copy_in(t, addr, &cur, 4))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	struct fwaiter w = {.task = t, .key = key_of(t, addr, private), .bitset = bitset};
	fw_add(&w);
	int err = task_block(t, deadline, 1);
	fw_del(&w);
	if (w.woken)
		return 0;
	if (err == -ETIMEDOUT)
		return -ETIMEDOUT;
	return err ? -ERESTARTSYS : 0;
}

static int wake_op_cmp(uint32_t op, int oldval)
{
	int cmp = (op >> 24) & 15, arg = op & 0xfff;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return oldval == arg;
	case FUTEX_OP_CMP_NE:
		return oldval != arg;
	case FUTEX_OP_CMP_LT:
		return oldval < arg;
	case FUTEX_OP_CMP_LE:
		return oldval <= arg;
	case FUTEX_OP_CMP_GT:
		return oldval > arg;
	case FUTEX_OP_CMP_GE:
		return oldval >= arg;
	}
	return -ENOSYS;
}

static long do_wake_op(struct task *t, int priv, uint64_t a1, int n1, uint64_t a2, int n2,
		       uint32_t op)
{
	int kind = (op >> 28) & 7, shift = (op >> 28) & 8;
	int oparg = (op >> 12) & 0xfff;
	if (shift)
		oparg = 1 << (oparg & 31);
	uint32_t old;
	if (copy_in(t, a2, &old, 4))
		return -EFAULT;
	uint32_t nv;
	switch (kind) {
	case FUTEX_OP_SET:
		nv = (uint32_t)oparg;
		break;
	case FUTEX_OP_ADD:
		nv = old + (uint32_t)oparg;
		break;
	case FUTEX_OP_OR:
		nv = old | (uint32_t)oparg;
		break;
	case FUTEX_OP_ANDN:
		nv = old & ~(uint32_t)oparg;
		break;
	case FUTEX_OP_XOR:
		nv = old ^ (uint32_t)oparg;
		break;
	default:
		return -ENOSYS;
	}
	/* The kernel is single-threaded but application threads run: this
	 * read-modify-write is not atomic against them (a documented gap). */
	if (copy_out(t, a2, &nv, 4))
		return -EFAULT;
	int woken = do_wake(key_of(t, a1, priv), n1, ~0U);
	int c = wake_op_cmp(op, (int)old);
	if (c < 0)
		return c;
	if (c)
		woken += do_wake(key_of(t, a2, priv), n2, ~0U);
	return woken;
}

SYSCALL(futex)
{
	uint64_t addr = a[0];
	int op = (int)a[1] & FUTEX_CMD_MASK;
	int realtime = (int)a[1] & FUTEX_CLOCK_REALTIME;
	int priv = !!((int)a[1] & FUTEX_PRIVATE_FLAG);
	uint32_t val = (uint32_t)a[2];
	int64_t deadline = 0;
	if ((op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET) && a[3]) {
		struct linux_timespec ts;
		if (copy_in(t, a[3], &ts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		if (op == FUTEX_WAIT) {
			deadline = now_ns() + ts_to_ns(&ts);
		} else {
			deadline = ts_to_ns(&ts);
			if (realtime) {
				struct timespec r, m;
				clock_gettime(CLOCK_REALTIME, &r);
				clock_gettime(CLOCK_MONOTONIC, &m);
				deadline -=
				    (r.tv_sec - m.tv_sec) * 1000000000LL + (r.tv_nsec - m.tv_nsec);
			}
		}
		if (deadline <= 0)
			deadline = 1;
	}
	switch (op) {
	case FUTEX_WAIT:
		return do_wait(t, addr, priv, val, deadline, ~0U);
	case FUTEX_WAIT_BITSET:
		if (!(uint32_t)a[5])
			return -EINVAL;
		return do_wait(t, addr, priv, val, deadline, (uint32_t)a[5]);
	case FUTEX_WAKE:
		return do_wake(key_of(t, addr, priv), (int)val, ~0U);
	case FUTEX_WAKE_BITSET:
		if (!(uint32_t)a[5])
			return -EINVAL;
		return do_wake(key_of(t, addr, priv), (int)val, (uint32_t)a[5]);
	case FUTEX_REQUEUE:
		return do_requeue(key_of(t, addr, priv), (int)val, key_of(t, a[4], priv),
				  (int)a[3]);
	case FUTEX_CMP_REQUEUE: {
		uint32_t cur;
		if (copy_in(t, addr, &cur, 4))
			return -EFAULT;
		if (cur != (uint32_t)a[5])
			return -EAGAIN;
		return do_requeue(key_of(t, addr, priv), (int)val, key_of(t, a[4], priv),
				  (int)a[3]);
	}
	case FUTEX_WAKE_OP:
		return do_wake_op(t, priv, addr, (int)val, a[4], (int)a[3], (uint32_t)a[5]);
	default:
		return -ENOSYS;
	}
}

SYSCALL(set_robust_list)
{
	if (a[1] != 24)
		return -EINVAL;
	t->robust_list = a[0];
	return 0;
}

SYSCALL(get_robust_list)
{
	pid_t tid = (pid_t)a[0];
	struct task *o = tid ? task_by_tid(tid) : t;
	if (!o)
		return -ESRCH;
	uint64_t len = 24;
	if (copy_out(t, a[1], &o->robust_list, 8) || copy_out(t, a[2], &len, 8))
		return -EFAULT;
	return 0;
}

void futex_exit_robust(struct task *t)
{
	if (!t->robust_list || !t->mm)
		return;
	struct {
		uint64_t next;
		int64_t offset;
		uint64_t pending;
	} head;
	if (copy_in(t, t->robust_list, &head, sizeof(head)))
		return;
	uint64_t entry = head.next;
	for (int i = 0; i < 2048 && entry && entry != t->robust_list; i++) {
		uint64_t word = entry + (uint64_t)head.offset;
		uint32_t v;
		if (copy_in(t, word, &v, 4))
			break;
		if ((v & FUTEX_TID_MASK) == (uint32_t)t->tid) {
			uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
			copy_out(t, word, &nv, 4);
			if (v & FUTEX_WAITERS)
				do_wake(key_of(t, word, 0), 1, ~0U);
		}
		if (copy_in(t, entry, &entry, 8))
			break;
	}
}
