/* Address spaces: the Sentry's record of every mapping of an application
 * process (the VMA list), and the operations that change it. Each change is
 * decided here and then carried out in the stub by an injected host call, so
 * the list is the truth /proc/[pid]/maps shows.
 *
 * Invariant: vmas are sorted, non-overlapping, page-aligned, inside
 * [APP_BOTTOM, APP_TOP). */
#ifndef CVISOR_SENTRY_MM_MM_H
#define CVISOR_SENTRY_MM_MM_H

#include <stdint.h>
#include <stddef.h>

#include "sentry/platform/platform.h"

struct file;

#define VMA_SHARED    0x1
#define VMA_GROWSDOWN 0x2
#define VMA_RESERVED  0x4 /* the vDSO: the application may not change it */

struct vma {
	uint64_t start, end;
	int prot;
	int flags;
	struct file *file; /* holds a reference; NULL for anonymous */
	uint64_t off;
	char *name;	    /* "[heap]", "[stack]", "[vdso]" or NULL */
	uint64_t shared_id; /* shared anonymous memory: same id in every fork */
	struct vma *next;
};

struct mm {
	int refs;
	struct vma *vmas;
	uint64_t mmap_base; /* top-down allocation starts below this */
	uint64_t brk_start, brk;
	uint64_t stack_top;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t auxv_start, auxv_end; /* the auxiliary vector on the stack (/proc auxv) */
	uint64_t vdso_base;
	struct file *exe;
};

#ifndef PAGE_SIZE
#define PAGE_SIZE 4096UL
#endif
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

struct mm *mm_new(void);
struct mm *mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* A copy of the VMA list for a forked child (the host copies the pages). */
struct mm *mm_fork(struct mm *mm);

/* All operations run their host calls on stopped thread pt of the stub. */
long mm_mmap(struct mm *mm, struct plat_thread *pt, uint64_t addr, uint64_t len, int prot,
	     int flags, struct file *file, uint64_t off);
long mm_munmap(struct mm *mm, struct plat_thread *pt, uint64_t addr, uint64_t len);
long mm_mprotect(struct mm *mm, struct plat_thread *pt, uint64_t addr, uint64_t len, int prot);
long mm_mremap(struct mm *mm, struct plat_thread *pt, uint64_t old, uint64_t old_len,
	       uint64_t new_len, int flags, uint64_t new_addr);
long mm_brk(struct mm *mm, struct plat_thread *pt, uint64_t brk);
/* Records the vDSO pages every stub has. */
int mm_add_vdso(struct mm *mm);
struct vma *mm_find(struct mm *mm, uint64_t addr);
/* Writes /proc/[pid]/maps text into a malloc'd buffer. */
char *mm_maps_text(struct mm *mm, size_t *len);

#endif
