/* The containers of a pod; see container.h. */
#include "sentry/kernel/container.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/fs/vfs.h"
#include "sentry/kernel/task.h"

static struct container *containers;

struct container *container_find(const char *id)
{
	for (struct container *c = containers; c; c = c->next)
		if (!c->ended && strcmp(c->id, id) == 0)
			return c;
	return NULL;
}

struct container *container_new(const char *id, struct fs_context *fs)
{
	if (container_find(id))
		return NULL;
	struct container *c = calloc(1, sizeof(*c));
	if (!c || !(c->id = strdup(id))) {
		free(c);
		return NULL;
	}
	c->refs = 1;
	c->fs = fs;
	c->next = containers;
	containers = c;
	return c;
}

struct container *container_get(struct container *c)
{
	if (c)
		c->refs++;
	return c;
}

void container_put(struct container *c)
{
	if (!c || --c->refs > 0)
		return;
	for (struct container **q = &containers; *q; q = &(*q)->next)
		if (*q == c) {
			*q = c->next;
			break;
		}
	fs_context_put(c->fs);
	free(c->id);
	free(c);
}

void container_process_exited(struct container *c, struct process *p)
{
	if (!c || c->ended || p->pid != c->init)
		return;
	c->ended = 1;
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->proc->container == c && t->proc != p && !t->proc->exiting &&
		    t->state != TASK_DEAD)
			signal_kill_proc(t->proc, SIGKILL, NULL);
}
