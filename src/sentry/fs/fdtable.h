/* File descriptor tables: shared by CLONE_FILES, copied by fork. */
#ifndef CVISOR_SENTRY_FS_FDTABLE_H
#define CVISOR_SENTRY_FS_FDTABLE_H

#include <stdint.h>

struct file;

struct fd_entry {
	struct file *file;
	int cloexec;
};

struct fd_table {
	int refs;
	int size;
	struct fd_entry *fds;
};

struct fd_table *fdt_new(void);
struct fd_table *fdt_copy(struct fd_table *t);
void fdt_put(struct fd_table *t);
/* Returns a referenced file or NULL. */
struct file *fdt_get(struct fd_table *t, int fd);
/* Installs f (reference taken over) at the lowest free fd >= min, below
 * limit; returns the fd or -EMFILE. */
int fdt_install(struct fd_table *t, struct file *f, int min, int cloexec, uint64_t limit);
/* Installs at exactly fd, closing what was there. */
int fdt_install_at(struct fd_table *t, int fd, struct file *f, int cloexec, uint64_t limit);
int fdt_close(struct fd_table *t, int fd);
void fdt_close_on_exec(struct fd_table *t);
int fdt_get_cloexec(struct fd_table *t, int fd);
int fdt_set_cloexec(struct fd_table *t, int fd, int on);

#endif
