/* Shared by cgroup.c, cgroup_v1.c and cgroup_v2.c (internal). */
#ifndef CVISOR_SANDBOX_CGROUP_INTERNAL_H
#define CVISOR_SANDBOX_CGROUP_INTERNAL_H

#include <stddef.h>

#include "sandbox/cgroup.h"

extern const char *const cgroup_v1_names[CG1_N];

/* Writes val to DIR/file. */
int cg_write(const char *dir, const char *file, const char *val, struct error **err);
/* Reads DIR/file into buf (NUL-terminated, trailing newline dropped);
 * returns the length or -1 with errno set. */
ssize_t cg_read(const char *dir, const char *file, char *buf, size_t size);
/* Reads a number; "max" reads as UINT64_MAX. */
int cg_read_u64(const char *dir, const char *file, uint64_t *out);
/* Value of `key N` in a flat-keyed file (cpu.stat, memory.stat). */
int cg_read_key(const char *dir, const char *file, const char *key, uint64_t *out);

int cgroup_v1_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err);
int cgroup_v1_stats(struct cgroup *cg, struct cgroup_stats *st);
int cgroup_v1_freeze(struct cgroup *cg, bool frozen, struct error **err);
int cgroup_v2_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err);
int cgroup_v2_stats(struct cgroup *cg, struct cgroup_stats *st);
int cgroup_v2_freeze(struct cgroup *cg, bool frozen, struct error **err);

#endif
