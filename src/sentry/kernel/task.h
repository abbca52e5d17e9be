/* Tasks and thread groups: the Sentry's processes.
 *
 * A task is one application thread: a host thread of a stub (plat) plus its
 * kernel side, a coroutine that runs the system calls it makes. A thread
 * group (struct process) is a process: pid, parent, children, signal
 * handlers, credentials, rlimits. The kernel runs on one host thread: no
 * locks; a task that must wait calls task_block() which switches to the
 * scheduler. */
#ifndef CVISOR_SENTRY_KERNEL_TASK_H
#define CVISOR_SENTRY_KERNEL_TASK_H

#include <stdint.h>
#include <sys/types.h>

#include "sentry/abi/linux.h"
#include "sentry/kernel/coro.h"
#include "sentry/platform/platform.h"

struct mm;
struct fd_table;
struct fs_context;
struct file;

#define NSIG_LINUX 64
#define SIGBIT(s)  (1ULL << ((s)-1))

struct sigqueue_entry {
	struct linux_siginfo info;
	struct sigqueue_entry *next;
};

struct sigpending {
	uint64_t set;
	struct sigqueue_entry *head; /* in arrival order */
};

struct sighand {
	int refs;
	struct linux_sigaction act[NSIG_LINUX + 1];
};

struct creds {
	uint32_t ruid, euid, suid, fsuid;
	uint32_t rgid, egid, sgid, fsgid;
	uint32_t ngroups;
	uint32_t groups[64];
	uint64_t cap_eff, cap_perm, cap_inh, cap_bnd;
	int no_new_privs; /* prctl's: sticks, inherited */
};

/* The ids, supplementary groups (at most 64) and capabilities a new
 * program starts with, from config.json or exec's process: caps is
 * {effective, permitted, inheritable, bounding}, or NULL: root keeps what
 * it has, anyone else holds none. 0 or -EINVAL. */
int creds_set(struct creds *c, uint32_t uid, uint32_t gid, const uint32_t *groups, size_t n,
	      const uint64_t *caps);

struct itimer {
	int64_t interval_ns;
	int64_t next_ns; /* monotonic deadline, 0 = off */
};

/* A wait queue entry: tasks blocked in one wait queue. */
struct waiter {
	struct task *task;
	struct waiter *next, **pprev;
	struct waitq *q;
	unsigned events; /* what the waiter is interested in (poll) */
	int woken;
	/* If set, a wake-up calls it instead of waking task (epoll). */
	void (*notify)(struct waiter *w);
	void *priv;
};
struct waitq {
	struct waiter *head;
};

enum task_state {
	TASK_RUNNING,
	TASK_BLOCKED,
	TASK_USER,
	TASK_STOPPED,
	TASK_DEAD
};

struct process {
	int refs;
	pid_t pid; /* tgid in the sandbox's namespace */
	struct process *parent;
	struct process *children, *sibling;
	struct task *threads; /* linked by task->thread_next */
	int nthreads;
	pid_t pgid, sid;
	struct sighand *sighand;
	struct sigpending pending; /* process-directed */
	struct creds creds;
	struct linux_rlimit rlim[16];
	int exit_code;	 /* wait status once dead */
	int exiting;	 /* exit_group in progress */
	int zombie;	 /* all threads gone, waiting for wait4 */
	int stopped;	 /* group stop (SIGSTOP) */
	int stop_report; /* a stop/continue not yet reported to waitpid: 'S'/'C' */
	int stop_sig;
	struct waitq child_wait; /* wait4 sleepers */
	struct itimer itimer_real;
	struct itimer itimer_cpu[2]; /* ITIMER_VIRTUAL, ITIMER_PROF: deadlines in CPU ns */
	int64_t start_ns;
	int oom_score_adj; /* /proc/[pid]/oom_score_adj; inherited */
	int64_t utime_ns, stime_ns, cutime_ns, cstime_ns;
	char comm[16];
	int vfork_done; /* the vfork parent may continue */
	uint32_t exit_signal;
	int nice;
	int nchild_procs;
	struct linux_sigaction *unused;
	struct container *container; /* NULL: the sandbox's first container */
};

struct task {
	pid_t tid;
	struct process *proc;
	struct task *thread_next;
	struct plat_thread *plat;
	struct coro coro;
	enum task_state state;
	struct mm *mm;
	struct fd_table *files;
	struct fs_context *fs;
	uint64_t sigmask;
	uint64_t saved_sigmask; /* rt_sigsuspend / ppoll: restored after the handler */
	int has_saved_sigmask;
	struct sigpending pending; /* thread-directed */
	struct linux_stack altstack;
	uint64_t clear_child_tid;
	uint64_t robust_list;
	/* blocking */
	int64_t wake_at_ns; /* timer deadline, 0 = none */
	int interrupted;    /* a signal woke the task */
	int timed_out;
	struct task *timer_next;
	struct task *run_next;
	int on_runq;
	/* the current system call, for restart and strace */
	long sysno;
	int in_syscall;
	struct task *vfork_parent; /* the parent waiting for our exec/exit */
	int exit_code;
	int stop_pending;
	int pdeathsig;	   /* prctl(PR_SET_PDEATHSIG) */
	int exec_kill;	   /* another thread's execve ends this one */
	uint64_t affinity; /* CPUs allowed (sched_setaffinity); 0 = all */
	char comm[16];
	struct task *all_next; /* every live task */
};

/* pid table */
struct task *task_by_tid(pid_t tid);
struct process *process_by_pid(pid_t pid);
pid_t pid_alloc(void);
void pid_free(pid_t pid);
extern int pid_max_tasks; /* the sandbox's pid limit */
extern int nr_tasks;
extern struct task *all_tasks;

/* scheduler */
void sched_run(void);		/* runs until no task is left */
void task_wake(struct task *t); /* makes a blocked task runnable */
/* Blocks the current task until woken, a signal arrives (if interruptible)
 * or deadline_ns (monotonic, 0 = none) passes. Returns 0 when woken,
 * -EINTR when interrupted by a signal, -ETIMEDOUT on the deadline. */
int task_block(struct task *t, int64_t deadline_ns, int interruptible);
/* Waits for t's host thread to stop in user mode. */
void task_wait_user(struct task *t);
int64_t now_ns(void); /* CLOCK_MONOTONIC */
struct task *current_task(void);

/* wait queues */
void waitq_add(struct waitq *q, struct waiter *w, struct task *t, unsigned events);
void waitq_del(struct waiter *w);
/* Wakes waiters interested in events (all if events is 0). */
void waitq_wake(struct waitq *q, unsigned events);

/* host fds the scheduler watches for blocked tasks */
int sched_watch_fd(int fd, unsigned events, struct waitq *q);
void sched_unwatch_fd(int fd);

/* task life */
int task_start_init(struct plat_thread *pt, struct mm *mm, struct fd_table *files,
		    struct fs_context *fs, pid_t *out_pid);
void task_main(void *arg);
void task_exit(struct task *t, int code);	/* exit: this thread */
void task_exit_group(struct task *t, int code); /* exit_group: wait status */
/* execve's de_thread: ends every other thread of t's process; t takes the
 * process's pid as its tid. */
void task_kill_other_threads(struct task *t);
extern int init_exit_status; /* the sandbox's exit status (wait status of pid 1) */

/* signals (signal.c) */
int signal_send(struct process *p, struct task *t, const struct linux_siginfo *info);
int signal_kill_proc(struct process *p, int sig, struct task *from);
void signal_deliver(struct task *t);
int signal_pending(struct task *t); /* an unblocked signal is pending */
/* Takes the first signal of mask pending for t (signalfd); returns its
 * number, or 0 when none is. */
int signal_dequeue_mask(struct task *t, uint64_t mask, struct linux_siginfo *out);
void signal_force(struct task *t, int sig, int code, uint64_t addr);
long signal_restart_result(struct task *t, long ret);
void sigpending_clear(struct sigpending *p);
struct sighand *sighand_copy(struct sighand *sh);
void sighand_put(struct sighand *sh);

/* process tree (exit.c) */
void process_reparent_children(struct process *p);
void process_notify_parent(struct process *p);
/* Deletes the process's POSIX timers (exit, execve; posix_timer.c). */
void posix_timers_exit(struct process *p);

/* Stops a process's itimers (itimer.c), when it exits. */
void itimers_disarm(struct process *p);

/* CPU time of a process's threads (cputime.c) */
int64_t process_cpu_ns(struct process *p);
long process_maxrss_kb(struct process *p);

/* time helpers */
int64_t ts_to_ns(const struct linux_timespec *ts);
struct linux_timespec ns_to_ts(int64_t ns);

#endif
