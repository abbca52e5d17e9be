/* The platform: how application code runs. One interface; ptrace/ is the
 * first implementation (PTRACE_SYSEMU: every application system call stops in
 * the Sentry and is never executed by the host).
 *
 * An address space (struct plat_as) is a host "stub" process forked from a
 * clean zygote: it holds only the application's mappings, the stub code page
 * and the vDSO. A struct plat_thread is one host thread of a stub; it runs
 * one application thread. The Sentry changes a stub's mappings by injecting
 * host system calls into one of its stopped threads. */
#ifndef CVISOR_SENTRY_PLATFORM_H
#define CVISOR_SENTRY_PLATFORM_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

typedef struct user_regs_struct plat_regs;

/* Fixed places of the stub region, above the application's addresses. */
#define STUB_ADDR    0x7fffff000000UL
#define STUB_LEN     0x2000UL	      /* code page + data page */
#define STUB_SYSCALL STUB_ADDR	      /* "syscall; int3" */
#define APP_TOP	     0x7ffffe000000UL /* first address the application may not use */
#define APP_BOTTOM   0x10000UL

struct plat_as {
	int refs;
	pid_t pid; /* host pid of the stub; its leader thread stays alive */
};

enum plat_stop_kind {
	STOP_SYSCALL,	/* the thread made a system call */
	STOP_SIGNAL,	/* a host signal (fault) was to be delivered: siginfo valid */
	STOP_INTERRUPT, /* plat_interrupt() stopped it */
	STOP_EXITED,	/* the host thread is gone (killed) */
};

struct plat_thread {
	pid_t tid;
	struct plat_as *as;
	plat_regs regs; /* valid while stopped */
	int regs_dirty; /* regs must be written before resuming */
	int in_user;	/* resumed, not yet stopped */
	int parked;	/* never resumed again (an exited leader) */
	void *owner;	/* the task it runs */
	/* the last stop */
	enum plat_stop_kind stop;
	siginfo_t siginfo;
	int exit_status;
};

/* Creates the zygote. Called once, before the Sentry confines itself. */
int plat_init(void);
/* Pins the caller to the CPU it runs on (plat_init does it too; earlier
 * for what should follow, such as the Gofer). CVISOR_NO_PIN=1: no. */
int plat_pin_cpu(void);
/* vdso/vvar range of every address space (from the zygote). */
void plat_vdso_range(uint64_t *start, uint64_t *end, uint64_t *vdso_base);

/* A fresh address space with one stopped thread. */
int plat_as_new(struct plat_thread **out);
/* fork: a copy of t's address space (share_vm: the same one, for vfork and
 * CLONE_VM) with one stopped thread. */
int plat_fork(struct plat_thread *t, int share_vm, struct plat_thread **out);
/* A new thread in t's address space. */
int plat_thread_new(struct plat_thread *t, struct plat_thread **out);
/* Ends a thread (parks the stub's leader instead) and frees it. */
void plat_thread_exit(struct plat_thread *t);
void plat_as_get(struct plat_as *as);
/* Drops a reference; the last one kills the stub. */
void plat_as_put(struct plat_as *as);

/* Runs a host system call inside the stub on stopped thread t; t's saved
 * registers are kept. Returns the host result (negative errno). */
long plat_syscall(struct plat_thread *t, long nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3, uint64_t a4, uint64_t a5);
/* Hands a host fd to the stub; returns its fd number there or -errno. */
int plat_send_fd(struct plat_thread *t, int fd);

/* Application memory; return bytes done, or -EFAULT if none. */
long plat_read(struct plat_as *as, uint64_t addr, void *buf, size_t len);
long plat_write(struct plat_as *as, uint64_t addr, const void *buf, size_t len);

/* Extended FP state (XSAVE layout) of a stopped thread. */
extern size_t plat_fpstate_size;
int plat_get_fpstate(struct plat_thread *t, void *buf);
int plat_set_fpstate(struct plat_thread *t, const void *buf);

/* Resumes t in user mode until its next stop (reported through
 * plat_wait_stop). */
int plat_resume(struct plat_thread *t);
/* Asks a running thread to stop soon (STOP_INTERRUPT). */
void plat_interrupt(struct plat_thread *t);
/* Collects one stop; block: wait for it. Returns the thread or NULL (none).
 * Events of unknown threads are consumed silently. */
struct plat_thread *plat_wait_stop(int block);

/* Set (as a bit mask of signal numbers) by the Sentry's handler for host
 * signals to forward; plat_wait_stop returns NULL when they interrupt it. */
extern volatile sig_atomic_t plat_host_signals;

/* Looks up a thread by host tid. */
struct plat_thread *plat_thread_find(pid_t tid);

#endif
