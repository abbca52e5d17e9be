/* Copying to and from application memory. Every access to application
 * memory goes through here; a bad address gives -EFAULT, never a crash. */
#ifndef CVISOR_SENTRY_MM_USERCOPY_H
#define CVISOR_SENTRY_MM_USERCOPY_H

#include <stddef.h>
#include <stdint.h>

struct task;

/* 0 or -EFAULT (the whole range must be accessible). */
int copy_in(struct task *t, uint64_t addr, void *buf, size_t len);
int copy_out(struct task *t, uint64_t addr, const void *buf, size_t len);
/* Copies a NUL-terminated string of at most max bytes (with the NUL);
 * returns its length, -EFAULT or -ENAMETOOLONG. */
long copy_in_str(struct task *t, uint64_t addr, char *buf, size_t max);
/* Copies a NULL-terminated array of strings (argv) into a malloc'd vector;
 * *out is NULL-terminated. Returns the count or -errno. */
long copy_in_strv(struct task *t, uint64_t addr, char ***out, size_t max_total);
void strv_free(char **v);

#endif
