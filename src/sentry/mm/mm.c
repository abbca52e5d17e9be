/* Address spaces; see mm.h. */
#include "sentry/mm/mm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "sentry/fs/vfs.h"

#define MMAP_BASE 0x7ff000000000UL

struct mm *mm_new(void)
{
	struct mm *mm = calloc(1, sizeof(*mm));
	if (!mm)
		return NULL;
	mm->refs = 1;
	mm->mmap_base = MMAP_BASE;
	return mm;
}

struct mm *mm_get(struct mm *mm)
{
	mm->refs++;
	return mm;
}

static void vma_free(struct vma *v)
{
	if (v->file)
		file_put(v->file);
	free(v->name);
	free(v);
}

void mm_put(struct mm *mm)
{
	if (!mm || --mm->refs > 0)
		return;
	while (mm->vmas) {
		struct vma *v = mm->vmas;
		mm->vmas = v->next;
		vma_free(v);
	}
	if (mm->exe)
		file_put(mm->exe);
	free(mm);
}

static struct vma *vma_dup(const struct vma *v)
{
	struct vma *n = malloc(sizeof(*n));
	if (!n)
		return NULL;
	*n = *v;
	n->next = NULL;
	n->name = v->name ? strdup(v->name) : NULL;
	if (n->file)
		file_get(n->file);
	return n;
}

struct mm *mm_fork(struct mm *src)
{
	struct mm *mm = mm_new();
	if (!mm)
		return NULL;
	*mm = *src;
	mm->refs = 1;
	mm->vmas = NULL;
	if (mm->exe)
		file_get(mm->exe);
	struct vma **tail = &mm->vmas;
	for (struct vma *v = src->vmas; v; v = v->next) {
		struct vma *n = vma_dup(v);
		if (!n) {
			mm_put(mm);
			return NULL;
		}
		*tail = n;
		tail = &n->next;
	}
	return mm;
}

struct vma *mm_find(struct mm *mm, uint64_t addr)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (addr >= v->start && addr < v->end)
			return v;
	return NULL;
}

static int overlaps(struct mm *mm, uint64_t start, uint64_t end, int reserved_only)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (v->start < end && start < v->end &&
		    (!reserved_only || (v->flags & VMA_RESERVED)))
			return 1;
	return 0;
}

/* Removes [start, end) from the list, splitting vmas at the edges. */
static int cut(struct mm *mm, uint64_t start, uint64_t end)
{
	for (struct vma **pv = &mm->vmas; *pv;) {
		struct vma *v = *pv;
		if (v->end <= start || v->start >= end) {
			pv = &v->next;
			continue;
		}
		if (v->start < start && v->end > end) {
			/* split in three: keep both sides */
			struct vma *right = vma_dup(v);
			if (!right)
				return -ENOMEM;
			right->off += end - v->start;
			right->start = end;
			v->end = start;
			right->next = v->next;
			v->next = right;
			return 0;
		}
		if (v->start < start) {
			v->end = start;
			pv = &v->next;
		} else if (v->end > end) {
			v->off += end - v->start;
			v->start = end;
			pv = &v->next;
		} else {
			*pv = v->next;
			vma_free(v);
		}
	}
	return 0;
}

static void insert(struct mm *mm, struct vma *n)
{
	struct vma **pv = &mm->vmas;
	while (*pv && (*pv)->start < n->start)
		pv = &(*pv)->next;
	n->next = *pv;
	*pv = n;
}

/* Highest free range of len below top, above APP_BOTTOM. */
static uint64_t find_free(struct mm *mm, uint64_t len, uint64_t top)
{
	uint64_t end = top;
	for (;;) {
		if (end < len + APP_BOTTOM)
			return 0;
		uint64_t start = end - len;
		struct vma *hit = NULL;
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->start < end && start < v->end && (!hit || v->start < hit->start))
				hit = v;
		if (!hit)
			return start;
		end = hit->start;
	}
}

static int valid_range(uint64_t addr, uint64_t len)
{
	return addr >= APP_BOTTOM && addr + len > addr && addr + len <= APP_TOP;
}

long mm_mmap(struct mm *mm, struct plat_thread *pt, uint64_t addr, uint64_t len, int prot,
	     int flags, struct file *file, uint64_t off)
{
	if (!len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len || (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	int type = flags & (MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE);
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE)
		type = MAP_SHARED;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (!valid_range(addr, len) || overlaps(mm, addr, addr + len, 1))
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
		    overlaps(mm, addr, addr + len, 0))
			return -EEXIST;
	} else {
		addr = PAGE_ALIGN(addr);
		if (!addr || !valid_range(addr, len) || overlaps(mm, addr, addr + len, 0))
			addr = find_free(mm, len, mm->mmap_base);
		if (!addr)
			return -ENOMEM;
	}
	int hflags = type | MAP_FIXED | (flags & (MAP_NORESERVE | MAP_POPULATE));
	long r;
	if (file) {
		if (!file->ops->mmap_fd)
			return -ENODEV;
		int hfd = file->ops->mmap_fd(file);
		if (hfd < 0)
			return hfd;
		int sfd = plat_send_fd(pt, hfd);
		if (sfd < 0)
			return sfd;
		r = plat_syscall(pt, SYS_mmap, addr, len, (uint64_t)prot, (uint64_t)hflags,
				 (uint64_t)sfd, off);
		plat_syscall(pt, SYS_close, (uint64_t)sfd, 0, 0, 0, 0, 0);
	} else {
		r = plat_syscall(pt, SYS_mmap, addr, len, (uint64_t)prot,
				 (uint64_t)(hflags | MAP_ANONYMOUS), (uint64_t)-1, 0);
	}
	if (r < 0)
		return r;
	struct vma *v = calloc(1, sizeof(*v));
	if (!v || cut(mm, addr, addr + len) < 0) {
		free(v);
		return -ENOMEM;
	}
	v->start = addr;
	v->end = addr + len;
	v->prot = prot;
	v->flags =
	    (type == MAP_SHARED ? VMA_SHARED : 0) | (flags & MAP_GROWSDOWN ? VMA_GROWSDOWN : 0);
	v->file = file ? file_get(file) : NULL;
	v->off = off;
	if (type == MAP_SHARED && !file) {
		static uint64_t next_shared_id;
		v->shared_id = ++next_shared_id;
	}
	insert(mm, v);
	return (long)addr;
}

long mm_munmap(struct mm *mm, struct plat_thread *pt, uint64_t addr, uint64_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || !len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!valid_range(addr, len))
		return -EINVAL;
	if (overlaps(mm, addr, addr + len, 1))
		return -EINVAL;
	long r = plat_syscall(pt, SYS_munmap, addr, len, 0, 0, 0, 0);
	if (r < 0)
		return r;
	return cut(mm, addr, addr + len);
}

long mm_mprotect(struct mm *mm, struct plat_thread *pt, uint64_t addr, uint64_t len, int prot)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return 0;
	if (!valid_range(addr, len))
		return -ENOMEM;
	/* the whole range must be mapped */
	uint64_t at = addr;
	for (struct vma *v = mm->vmas; v && at < addr + len; v = v->next) {
		if (v->end <= at)
			continue;
		if (v->start > at)
			return -ENOMEM;
		if (v->flags & VMA_RESERVED)
			return -EACCES;
		at = v->end;
	}
	if (at < addr + len)
		return -ENOMEM;
	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	long r = plat_syscall(pt, SYS_mprotect, addr, len, (uint64_t)prot, 0, 0, 0);
	if (r < 0)
		return r;
	/* split at the edges, then set prot inside */
	for (struct vma *v = mm->vmas; v; v = v->next) {
		if (v->end <= addr || v->start >= addr + len)
			continue;
		if (v->start < addr) {
			struct vma *right = vma_dup(v);
			if (!right)
				return -ENOMEM;
			right->off += addr - v->start;
			right->start = addr;
			v->end = addr;
			right->next = v->next;
			v->next = right;
			continue;
		}
		if (v->end > addr + len) {
			struct vma *right = vma_dup(v);
			if (!right)
				return -ENOMEM;
			right->off += addr + len - v->start;
			right->start = addr + len;
			v->end = addr + len;
			right->next = v->next;
			v->next = right;
		}
		v->prot = prot;
	}
	return 0;
}

long mm_mremap(struct mm *mm, struct plat_thread *pt, uint64_t old, uint64_t old_len,
	       uint64_t new_len, int flags, uint64_t new_addr)
{
	if ((old & (PAGE_SIZE - 1)) ||
	    (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;
	struct vma *v = mm_find(mm, old);
	if (!v || (v->flags & VMA_RESERVED))
		return -EFAULT;
	if (!old_len) {
		if (!(v->flags & VMA_SHARED))
			return -EINVAL;
		old_len = v->end - old; /* duplicating a shared mapping */
	}
	if (old + old_len > v->end)
		return -EFAULT;
	if (!(flags & MREMAP_FIXED)) {
		if (new_len <= old_len) {
			if (new_len < old_len) {
				long r = mm_munmap(mm, pt, old + new_len, old_len - new_len);
				if (r < 0)
					return r;
			}
			return (long)old;
		}
		if (valid_range(old, new_len) && !overlaps(mm, old + old_len, old + new_len, 0)) {
			long r = plat_syscall(pt, SYS_mremap, old, old_len, new_len, 0, 0, 0);
			if (r < 0)
				return r;
			/* the range after old_len is free, so v ended there */
			v->end = old + new_len;
			return (long)old;
		}
		if (!(flags & MREMAP_MAYMOVE))
			return -ENOMEM;
		new_addr = find_free(mm, new_len, mm->mmap_base);
		if (!new_addr)
			return -ENOMEM;
	} else {
		if ((new_addr & (PAGE_SIZE - 1)) || !valid_range(new_addr, new_len) ||
		    overlaps(mm, new_addr, new_addr + new_len, 1))
			return -EINVAL;
		if (new_addr < old + old_len && old < new_addr + new_len)
			return -EINVAL;
	}
	long r =
	    plat_syscall(pt, SYS_mremap, old, old_len, new_len,
			 MREMAP_MAYMOVE | MREMAP_FIXED | (flags & MREMAP_DONTUNMAP), new_addr, 0);
	if (r < 0)
		return r;
	struct vma *n = vma_dup(v);
	if (!n)
		return -ENOMEM;
	n->off += old - v->start;
	n->start = new_addr;
	n->end = new_addr + new_len;
	cut(mm, new_addr, new_addr + new_len);
	if (!(flags & MREMAP_DONTUNMAP))
		cut(mm, old, old + old_len);
	insert(mm, n);
	return (long)new_addr;
}

long mm_brk(struct mm *mm, struct plat_thread *pt, uint64_t brk)
{
	if (brk < mm->brk_start)
		return (long)mm->brk;
	uint64_t old_end = PAGE_ALIGN(mm->brk), new_end = PAGE_ALIGN(brk);
	if (new_end > old_end) {
		if (!valid_range(old_end, new_end - old_end) || overlaps(mm, old_end, new_end, 0))
			return (long)mm->brk;
		long r = mm_mmap(mm, pt, old_end, new_end - old_end, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		if (r < 0)
			return (long)mm->brk;
		struct vma *v = mm_find(mm, old_end);
		if (v && !v->name)
			v->name = strdup("[heap]");
	} else if (new_end < old_end) {
		if (mm_munmap(mm, pt, new_end, old_end - new_end) < 0)
			return (long)mm->brk;
	}
	mm->brk = brk;
	return (long)brk;
}

int mm_add_vdso(struct mm *mm)
{
	uint64_t lo, hi, base;
	plat_vdso_range(&lo, &hi, &base);
	struct vma *vv = calloc(1, sizeof(*vv)), *vd = calloc(1, sizeof(*vd));
	if (!vv || !vd) {
		free(vv);
		free(vd);
		return -ENOMEM;
	}
	vv->start = lo;
	vv->end = base;
	vv->prot = PROT_READ;
	vv->flags = VMA_RESERVED;
	vv->name = strdup("[vvar]");
	vd->start = base;
	vd->end = hi;
	vd->prot = PROT_READ | PROT_EXEC;
	vd->flags = VMA_RESERVED;
	vd->name = strdup("[vdso]");
	insert(mm, vv);
	insert(mm, vd);
	mm->vdso_base = base;
	return 0;
}

char *mm_maps_text(struct mm *mm, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	for (struct vma *v = mm->vmas; v; v = v->next) {
		char line[4096 + 128];
		char *path = NULL;
		uint64_t ino = 0, dev = 0;
		if (v->file) {
			path = file_path(v->file);
			ino = v->file->inode->ino;
			dev = v->file->inode->fs ? v->file->inode->fs->dev : 0;
		}
		const char *name = v->name ? v->name : path ? path : "";
		if (!v->file && !v->name && v->start <= mm->stack_top && v->end >= mm->stack_top)
			name = "[stack]";
		int n = snprintf(line, sizeof(line),
				 "%012lx-%012lx %c%c%c%c %08lx %02lx:%02lx %-10lu %s%s\n", v->start,
				 v->end, v->prot & PROT_READ ? 'r' : '-',
				 v->prot & PROT_WRITE ? 'w' : '-', v->prot & PROT_EXEC ? 'x' : '-',
				 v->flags & VMA_SHARED ? 's' : 'p', v->file ? v->off : 0, dev >> 8,
				 dev & 0xff, ino, *name ? "                         " : "", name);
		free(path);
		if (n < 0)
			continue;
		if ((size_t)n >= sizeof(line))
			n = sizeof(line) - 1;
		if (len + (size_t)n + 1 > cap) {
			while (len + (size_t)n + 1 > cap)
				cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		memcpy(buf + len, line, (size_t)n);
		len += (size_t)n;
	}
	buf[len] = 0;
	*lenp = len;
	return buf;
}
