/* System call handlers: long sys_<name>(struct task *t, const uint64_t *a)
 * with a[0..5] the raw arguments. They return a value or a negative errno,
 * which goes unchanged to the application's rax; they touch application
 * memory only through copy_in/copy_out (mm/usercopy.h). */
#ifndef CVISOR_SENTRY_SYSCALLS_SYSCALLS_H
#define CVISOR_SENTRY_SYSCALLS_SYSCALLS_H

#include <errno.h>
#include <stdint.h>

#include "sentry/kernel/task.h"
#include "sentry/mm/usercopy.h"

struct file;

typedef long (*syscall_fn)(struct task *t, const uint64_t *a);

/* Kernel-internal restart codes (never seen by the application). */
#define ERESTARTSYS	      512
#define ERESTARTNOINTR	      513
#define ERESTARTNOHAND	      514
#define ERESTART_RESTARTBLOCK 516

/* Installs f (reference taken over) at the lowest free fd; returns the fd
 * or a negative errno (f is released then). */
int fd_install(struct task *t, struct file *f, int cloexec);

/* Runs the system call t stopped at; stores the result in its registers. */
void syscall_dispatch(struct task *t);
extern int strace_enabled;

#define SYSCALL(name) long sys_##name(struct task *t, const uint64_t *a)

#endif
