/* File descriptor tables; see fdtable.h. */
#include "sentry/fs/fdtable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/fs/vfs.h"
#include "sentry/kernel/locks.h"

struct fd_table *fdt_new(void)
{
	struct fd_table *t = calloc(1, sizeof(*t));
	if (t)
		t->refs = 1;
	return t;
}

struct fd_table *fdt_copy(struct fd_table *src)
{
	struct fd_table *t = fdt_new();
	if (!t)
		return NULL;
	if (src->size) {
		t->fds = calloc((size_t)src->size, sizeof(*t->fds));
		if (!t->fds) {
			free(t);
			return NULL;
		}
		t->size = src->size;
		for (int i = 0; i < src->size; i++) {
			t->fds[i] = src->fds[i];
			if (t->fds[i].file)
				file_get(t->fds[i].file);
		}
	}
	return t;
}

void fdt_put(struct fd_table *t)
{
	if (!t || --t->refs > 0)
		return;
	for (int i = 0; i < t->size; i++) {
		if (t->fds[i].file) {
			locks_close_posix(t, t->fds[i].file);
			file_put(t->fds[i].file);
		}
	}
	free(t->fds);
	free(t);
}

struct file *fdt_get(struct fd_table *t, int fd)
{
	if (fd < 0 || fd >= t->size || !t->fds[fd].file)
		return NULL;
	return file_get(t->fds[fd].file);
}

static int grow(struct fd_table *t, int need)
{
	if (need < t->size)
		return 0;
	int n = t->size ? t->size : 64;
	while (n <= need)
		n *= 2;
	struct fd_entry *fds = realloc(t->fds, (size_t)n * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	memset(fds + t->size, 0, (size_t)(n - t->size) * sizeof(*fds));
	t->fds = fds;
	t->size = n;
	return 0;
}

int fdt_install(struct fd_table *t, struct file *f, int min, int cloexec, uint64_t limit)
{
	for (int fd = min; (uint64_t)fd < limit; fd++) {
		if (fd < t->size && t->fds[fd].file)
			continue;
		int err = grow(t, fd);
		if (err)
			return err;
		t->fds[fd].file = f;
		t->fds[fd].cloexec = cloexec;
		return fd;
	}
	return -EMFILE;
}

int fdt_install_at(struct fd_table *t, int fd, struct file *f, int cloexec, uint64_t limit)
{
	if (fd < 0 || (uint64_t)fd >= limit)
		return -EBADF;
	int err = grow(t, fd);
	if (err)
		return err;
	struct file *old = t->fds[fd].file;
	t->fds[fd].file = f;
	t->fds[fd].cloexec = cloexec;
	if (old) {
		locks_close_posix(t, old);
		file_put(old);
	}
	return fd;
}

int fdt_close(struct fd_table *t, int fd)
{
	if (fd < 0 || fd >= t->size || !t->fds[fd].file)
		return -EBADF;
	struct file *f = t->fds[fd].file;
	t->fds[fd].file = NULL;
	locks_close_posix(t, f);
	file_put(f);
	return 0;
}

void fdt_close_on_exec(struct fd_table *t)
{
	for (int i = 0; i < t->size; i++)
		if (t->fds[i].file && t->fds[i].cloexec)
			fdt_close(t, i);
}

int fdt_get_cloexec(struct fd_table *t, int fd)
{
	if (fd < 0 || fd >= t->size || !t->fds[fd].file)
		return -EBADF;
	return t->fds[fd].cloexec;
}

int fdt_set_cloexec(struct fd_table *t, int fd, int on)
{
	if (fd < 0 || fd >= t->size || !t->fds[fd].file)
		return -EBADF;
	t->fds[fd].cloexec = on;
	return 0;
}
