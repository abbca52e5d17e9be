/* Memory system calls: mmap family, brk, madvise, msync, mincore. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/vfs.h"
#include "sentry/mm/mm.h"
#include "sentry/syscalls/syscalls.h"

SYSCALL(mmap)
{
	uint64_t addr = a[0], len = a[1], off = a[5];
	int prot = (int)a[2], flags = (int)a[3], fd = (int)a[4];
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	struct file *f = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fdt_get(t->files, fd);
		if (!f)
			return -EBADF;
		int acc = f->flags & O_ACCMODE;
		if ((f->flags & O_PATH) || acc == O_WRONLY ||
		    ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)) {
			file_put(f);
			return -EACCES;
		}
		if (S_ISDIR(f->inode->mode)) {
			file_put(f);
			return -ENODEV;
		}
		if (S_ISCHR(f->inode->mode) && f->inode->rdev == ((1 << 8) | 5)) {
			/* /dev/zero: an anonymous mapping */
			file_put(f);
			f = NULL;
			flags |= MAP_ANONYMOUS;
		}
	}
	long r = mm_mmap(t->mm, t->plat, addr, len, prot, flags, f, off);
	if (f)
		file_put(f);
	return r;
}

SYSCALL(munmap)
{
	return mm_munmap(t->mm, t->plat, a[0], a[1]);
}

SYSCALL(mprotect)
{
	return mm_mprotect(t->mm, t->plat, a[0], a[1], (int)a[2]);
}

SYSCALL(mremap)
{
	return mm_mremap(t->mm, t->plat, a[0], a[1], a[2], (int)a[3], a[4]);
}

SYSCALL(brk)
{
	return mm_brk(t->mm, t->plat, a[0]);
}

SYSCALL(madvise)
{
	if (a[0] & (PAGE_SIZE - 1))
		return -EINVAL;
	int advice = (int)a[2];
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		/* these change contents or fork behaviour: the host must do them */
		return plat_syscall(t->plat, SYS_madvise, a[0], a[1], a[2], 0, 0, 0);
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_COLD:
	case MADV_PAGEOUT:
		return 0;
	}
	return -EINVAL;
}

SYSCALL(msync)
{
	if ((a[0] & (PAGE_SIZE - 1)) || (a[2] & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)))
		return -EINVAL;
	if ((a[2] & MS_ASYNC) && (a[2] & MS_SYNC))
		return -EINVAL;
	return plat_syscall(t->plat, SYS_msync, a[0], a[1], a[2], 0, 0, 0);
}

SYSCALL(mincore)
{
	if (a[0] & (PAGE_SIZE - 1))
		return -EINVAL;
	uint64_t len = PAGE_ALIGN(a[1]);
	uint64_t pages = len / PAGE_SIZE;
	for (uint64_t at = a[0]; at < a[0] + len; at += PAGE_SIZE)
		if (!mm_find(t->mm, at))
			return -ENOMEM;
	unsigned char *vec = malloc(pages ? pages : 1);
	if (!vec)
		return -ENOMEM;
	for (uint64_t i = 0; i < pages; i++)
		vec[i] = 1; /* resident as far as the program can tell */
	long r = copy_out(t, a[2], vec, pages) ? -EFAULT : 0;
	free(vec);
	return r;
}

SYSCALL(mlock)
{
	return 0;
}
