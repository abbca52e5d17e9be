/* Kernel-internal helpers shared by the kernel/ files. */
#ifndef CVISOR_SENTRY_KERNEL_INTERNAL_H
#define CVISOR_SENTRY_KERNEL_INTERNAL_H

#include "sentry/kernel/task.h"

void pid_set_task(pid_t tid, struct task *t);
void pid_set_process(pid_t pid, struct process *p);
/* Allocates a task bound to plat thread pt; starts its coroutine runnable. */
struct task *task_alloc(struct process *p, struct plat_thread *pt, pid_t tid);
void task_link(struct task *t);
void task_free(struct task *t);
void process_free(struct process *p);
void process_add_child(struct process *parent, struct process *child);
void process_remove_child(struct process *p);
void task_release_vfork(struct task *t);

#define TASK_STACK_SIZE (256 * 1024)

#endif
