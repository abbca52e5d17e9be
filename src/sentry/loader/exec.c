/* execve: loads an ELF executable (static, dynamic with PT_INTERP, PIE) or a
 * #! script into a fresh stub, builds the initial stack and auxv, and then
 * replaces the task's address space. Errors before the point of no return
 * leave the caller untouched. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/internal.h"
#include "sentry/loader/exec.h"
#include "sentry/mm/mm.h"
#include "sentry/syscalls/syscalls.h"

#define PIE_BASE   0x555555554000UL
#define STACK_TOP  0x7ffffd000000UL
#define STACK_SIZE (8UL << 20)
#define MAX_ARGS   (2UL << 20)

struct image {
	uint64_t entry, bias, phdr, phnum, brk;
	char *interp;
};

static long read_at(struct file *f, void *buf, size_t len, int64_t off)
{
	int64_t pos = off;
	if (!f->ops || !f->ops->read)
		return -EACCES;
	return f->ops->read(f, buf, len, &pos);
}

static int open_exec(struct task *t, const char *path, struct file **out)
{
	struct file *f;
	int err = vfs_open(t, AT_FDCWD, path, O_RDONLY, 0, &f);
	if (err)
		return err;
	struct inode *in = f->inode;
	if (in->iops && in->iops->getattr)
		in->iops->getattr(in);
	if (S_ISDIR(in->mode) || !S_ISREG(in->mode) || vfs_permission(t, in, 1)) {
		file_put(f);
		return -EACCES;
	}
	*out = f;
	return 0;
}

/* Maps an ELF file into mm through pt; fills img. */
static int load_elf(struct mm *mm, struct plat_thread *pt, struct file *f, struct image *img,
		    int is_interp)
{
	Elf64_Ehdr eh;
	if (read_at(f, &eh, sizeof(eh), 0) != sizeof(eh))
		return -ENOEXEC;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64 || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 128)
		return -ENOEXEC;
	size_t phsz = eh.e_phnum * sizeof(Elf64_Phdr);
	Elf64_Phdr *ph = malloc(phsz);
	if (!ph)
		return -ENOMEM;
	int err = 0;
	if (read_at(f, ph, phsz, (int64_t)eh.e_phoff) != (long)phsz) {
		err = -ENOEXEC;
		goto out;
	}
	uint64_t lo = UINT64_MAX, hi = 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP && !is_interp) {
			if (ph[i].p_filesz < 2 || ph[i].p_filesz > 4096) {
				err = -ENOEXEC;
				goto out;
			}
			img->interp = calloc(1, ph[i].p_filesz + 1);
			if (!img->interp ||
			    read_at(f, img->interp, ph[i].p_filesz, (int64_t)ph[i].p_offset) !=
				(long)ph[i].p_filesz) {
				err = -ENOEXEC;
				goto out;
			}
		}
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz) {
			err = -ENOEXEC;
			goto out;
		}
		if (ph[i].p_vaddr < lo)
			lo = ph[i].p_vaddr;
		if (ph[i].p_vaddr + ph[i].p_memsz > hi)
			hi = ph[i].p_vaddr + ph[i].p_memsz;
	}
	if (lo >= hi) {
		err = -ENOEXEC;
		goto out;
	}
	lo &= ~(PAGE_SIZE - 1);
	uint64_t bias = 0;
	if (eh.e_type == ET_DYN) {
		/* Reserve the whole span, then map segments over it. */
		uint64_t want = is_interp ? 0 : PIE_BASE;
		long r = mm_mmap(mm, pt, want, PAGE_ALIGN(hi) - lo, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
		if (r < 0) {
			err = (int)r;
			goto out;
		}
		bias = (uint64_t)r - lo;
	}
	uint64_t brk = 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr *p = &ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		int prot = (p->p_flags & PF_R ? PROT_READ : 0) |
			   (p->p_flags & PF_W ? PROT_WRITE : 0) |
			   (p->p_flags & PF_X ? PROT_EXEC : 0);
		uint64_t vstart = bias + p->p_vaddr;
		uint64_t mstart = vstart & ~(PAGE_SIZE - 1);
		uint64_t fend = vstart + p->p_filesz;
		uint64_t mend = vstart + p->p_memsz;
		if ((p->p_offset & (PAGE_SIZE - 1)) != (p->p_vaddr & (PAGE_SIZE - 1))) {
			err = -ENOEXEC;
			goto out;
		}
		if (p->p_filesz) {
			long r =
			    mm_mmap(mm, pt, mstart, PAGE_ALIGN(fend) - mstart, prot,
				    MAP_PRIVATE | MAP_FIXED, f, p->p_offset & ~(PAGE_SIZE - 1));
			if (r < 0) {
				err = (int)r;
				goto out;
			}
			/* zero the rest of the last file page (bss start) */
			if (p->p_memsz > p->p_filesz && (fend & (PAGE_SIZE - 1)) &&
			    (prot & PROT_WRITE)) {
				static const char zeros[PAGE_SIZE];
				plat_write(pt->as, fend, zeros,
					   PAGE_SIZE - (fend & (PAGE_SIZE - 1)));
			}
		}
		uint64_t astart = p->p_filesz ? PAGE_ALIGN(fend) : mstart;
		if (PAGE_ALIGN(mend) > astart) {
			long r = mm_mmap(mm, pt, astart, PAGE_ALIGN(mend) - astart, prot,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
			if (r < 0) {
				err = (int)r;
				goto out;
			}
		}
		if (mend > brk)
			brk = mend;
	}
	img->entry = bias + eh.e_entry;
	img->bias = bias;
	img->phnum = eh.e_phnum;
	img->phdr = 0;
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			img->phdr = bias + ph[i].p_vaddr;
	if (!img->phdr) {
		for (int i = 0; i < eh.e_phnum; i++) {
			if (ph[i].p_type == PT_LOAD && ph[i].p_offset <= eh.e_phoff &&
			    eh.e_phoff < ph[i].p_offset + ph[i].p_filesz) {
				img->phdr = bias + ph[i].p_vaddr + (eh.e_phoff - ph[i].p_offset);
				break;
			}
		}
	}
	img->brk = brk;
out:
	free(ph);
	return err;
}

/* Builds argv/envp/auxv on the new stack; returns the initial rsp. */
static long build_stack(struct mm *mm, struct plat_thread *pt, char **argv, char **envp,
			const char *execfn, const struct image *main, const struct image *interp,
			struct creds *cr)
{
	long r = mm_mmap(mm, pt, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, NULL, 0);
	if (r < 0)
		return r;
	struct vma *v = mm_find(mm, STACK_TOP - 1);
	if (v)
		v->name = strdup("[stack]");
	mm->stack_top = STACK_TOP;
	int argc = 0, envc = 0;
	size_t strsz = 0;
	for (; argv[argc]; argc++)
		strsz += strlen(argv[argc]) + 1;
	for (; envp[envc]; envc++)
		strsz += strlen(envp[envc]) + 1;
	strsz += strlen(execfn) + 1 + 16 + 7; /* execfn, random bytes, "x86_64" */
	size_t ptrs = (size_t)(1 + argc + 1 + envc + 1) + 2 * 24;
	size_t total = ((strsz + 15) & ~15UL) + ptrs * 8 + 16;
	if (total > STACK_SIZE / 4)
		return -E2BIG;
	char *img = calloc(1, total);
	if (!img)
		return -ENOMEM;
	uint64_t base = (STACK_TOP - total) & ~15UL;
	/* strings at the top of the image */
	size_t spos = total;
	uint64_t *argp = malloc((size_t)(argc + envc + 2) * 8);
	if (!argp) {
		free(img);
		return -ENOMEM;
	}
#define PUTSTR(s, dst)                                                                             \
	do {                                                                                       \
		size_t _n = strlen(s) + 1;                                                         \
		spos -= _n;                                                                        \
		memcpy(img + spos, s, _n);                                                         \
		dst = base + spos;                                                                 \
	} while (0)
	uint64_t execfn_addr, platform_addr, random_addr;
	PUTSTR(execfn, execfn_addr);
	for (int i = envc - 1; i >= 0; i--)
		PUTSTR(envp[i], argp[argc + i]);
	/* the strings lie argv, envp, execfn in ascending order (/proc cmdline, environ) */
	uint64_t env_start = base + spos;
	for (int i = argc - 1; i >= 0; i--)
		PUTSTR(argv[i], argp[i]);
	uint64_t arg_start = base + spos;
	PUTSTR("x86_64", platform_addr);
	spos -= 16;
	getrandom(img + spos, 16, 0);
	random_addr = base + spos;
#undef PUTSTR
	uint64_t *sp = (uint64_t *)img;
	size_t k = 0;
	sp[k++] = (uint64_t)argc;
	for (int i = 0; i < argc; i++)
		sp[k++] = argp[i];
	sp[k++] = 0;
	for (int i = 0; i < envc; i++)
		sp[k++] = argp[argc + i];
	sp[k++] = 0;
	uint64_t aux[][2] = {
	    {AT_SYSINFO_EHDR, mm->vdso_base},
	    {AT_MINSIGSTKSZ, plat_fpstate_size + 1024},
	    {AT_HWCAP, getauxval(AT_HWCAP)},
	    {AT_PAGESZ, PAGE_SIZE},
	    {AT_CLKTCK, 100},
	    {AT_PHDR, main->phdr},
	    {AT_PHENT, sizeof(Elf64_Phdr)},
	    {AT_PHNUM, main->phnum},
	    {AT_BASE, interp ? interp->bias : 0},
	    {AT_FLAGS, 0},
	    {AT_ENTRY, main->entry},
	    {AT_UID, cr->ruid},
	    {AT_EUID, cr->euid},
	    {AT_GID, cr->rgid},
	    {AT_EGID, cr->egid},
	    {AT_SECURE, 0},
	    {AT_RANDOM, random_addr},
	    {AT_HWCAP2, getauxval(AT_HWCAP2)},
	    {AT_EXECFN, execfn_addr},
	    {AT_PLATFORM, platform_addr},
	    {AT_NULL, 0},
	};
	for (size_t i = 0; i < sizeof(aux) / sizeof(aux[0]); i++) {
		sp[k++] = aux[i][0];
		sp[k++] = aux[i][1];
	}
	if (k * 8 > spos) {
		free(argp);
		free(img);
		return -E2BIG;
	}
	/* the pointer block starts at base; it must be 16-byte aligned */
	r = plat_write(pt->as, base, img, total);
	mm->arg_start = arg_start;
	mm->arg_end = mm->env_start = env_start;
	mm->env_end = execfn_addr;
	mm->auxv_start = base + (uint64_t)(1 + argc + 1 + envc + 1) * 8;
	mm->auxv_end = mm->auxv_start + sizeof(aux);
	free(argp);
	free(img);
	if (r != (long)total)
		return -EFAULT;
	return (long)base;
}

static void reset_signals(struct task *t)
{
	struct process *p = t->proc;
	posix_timers_exit(p);
	if (p->sighand->refs > 1) {
		struct sighand *n = sighand_copy(p->sighand);
		if (n) {
			sighand_put(p->sighand);
			p->sighand = n;
		}
	}
	for (int s = 1; s <= NSIG_LINUX; s++) {
		struct linux_sigaction *sa = &p->sighand->act[s];
		if (sa->handler != (uint64_t)SIG_IGN)
			memset(sa, 0, sizeof(*sa));
	}
	memset(&t->altstack, 0, sizeof(t->altstack));
}

static int parse_shebang(char *buf, long n, char **interp, char **arg)
{
	buf[n < 255 ? n : 255] = 0;
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
	char *p = buf + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	char *e = p;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	char *rest = NULL;
	if (*e) {
		*e++ = 0;
		while (*e == ' ' || *e == '\t')
			e++;
		if (*e) {
			rest = e;
			char *end = rest + strlen(rest);
			while (end > rest && (end[-1] == ' ' || end[-1] == '\t'))
				*--end = 0;
		}
	}
	*interp = strdup(p);
	*arg = rest ? strdup(rest) : NULL;
	return *interp ? 0 : -ENOMEM;
}

long exec_task(struct task *t, const char *path, char **argv, char **envp)
{
	char **owned_argv = NULL;
	char *cur_path = strdup(path);
	struct file *f = NULL;
	long err;
	if (!cur_path)
		return -ENOMEM;
	for (int depth = 0;; depth++) {
		if ((err = open_exec(t, cur_path, &f)))
			goto fail;
		char head[256];
		long n = read_at(f, head, sizeof(head) - 1, 0);
		if (n >= 2 && head[0] == '#' && head[1] == '!') {
			if (depth >= 4) {
				err = -ELOOP;
				goto fail;
			}
			char *interp, *arg;
			if ((err = parse_shebang(head, n, &interp, &arg)))
				goto fail;
			int argc = 0;
			while (argv[argc])
				argc++;
			char **nv = calloc((size_t)argc + 4, sizeof(char *));
			if (!nv) {
				err = -ENOMEM;
				goto fail;
			}
			int k = 0;
			nv[k++] = interp;
			if (arg)
				nv[k++] = arg;
			nv[k++] = strdup(cur_path);
			for (int i = 1; i < argc; i++)
				nv[k++] = strdup(argv[i]);
			strv_free(owned_argv);
			owned_argv = nv;
			argv = nv;
			free(cur_path);
			cur_path = strdup(interp);
			file_put(f);
			f = NULL;
			continue;
		}
		break;
	}

	struct plat_thread *pt;
	if ((err = plat_as_new(&pt)))
		goto fail;
	struct mm *mm = mm_new();
	if (!mm || mm_add_vdso(mm)) {
		err = -ENOMEM;
		goto fail_as;
	}
	struct image main = {0}, interp = {0};
	if ((err = load_elf(mm, pt, f, &main, 0)))
		goto fail_mm;
	if (main.interp) {
		struct file *fi;
		if ((err = open_exec(t, main.interp, &fi)) &&
		    (err = vfs_open(t, AT_FDCWD, main.interp, O_RDONLY, 0, &fi)))
			goto fail_mm;
		err = load_elf(mm, pt, fi, &interp, 1);
		file_put(fi);
		if (err)
			goto fail_mm;
	}
	mm->brk_start = mm->brk = PAGE_ALIGN(main.brk);
	long sp = build_stack(mm, pt, argv, envp, path, &main, main.interp ? &interp : NULL,
			      &t->proc->creds);
	if (sp < 0) {
		err = sp;
		goto fail_mm;
	}

	/* Point of no return. */
	task_kill_other_threads(t);
	plat_regs regs = pt->regs;
	memset(&regs, 0, sizeof(regs));
	regs.cs = pt->regs.cs;
	regs.ss = pt->regs.ss;
	regs.ds = pt->regs.ds;
	regs.es = pt->regs.es;
	regs.eflags = 0x202;
	regs.rip = main.interp ? interp.entry : main.entry;
	regs.rsp = (uint64_t)sp;
	regs.orig_rax = (uint64_t)-1;
	pt->regs = regs;
	pt->regs_dirty = 1;

	struct plat_thread *old = t->plat;
	old->owner = NULL;
	t->plat = pt;
	pt->owner = t;
	plat_thread_exit(old);
	mm->exe = f;
	f = NULL;
	mm_put(t->mm);
	t->mm = mm;
	if (t->files->refs > 1) {
		struct fd_table *nt = fdt_copy(t->files);
		if (nt) {
			fdt_put(t->files);
			t->files = nt;
		}
	}
	fdt_close_on_exec(t->files);
	reset_signals(t);
	t->robust_list = 0;
	t->clear_child_tid = 0;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	memset(t->comm, 0, sizeof(t->comm));
	strncpy(t->comm, base, sizeof(t->comm) - 1);
	memcpy(t->proc->comm, t->comm, sizeof(t->comm));
	task_release_vfork(t);
	free(main.interp);
	free(cur_path);
	strv_free(owned_argv);
	t->in_syscall = 0;
	return 0;

fail_mm:
	free(main.interp);
	mm_put(mm);
fail_as:
	plat_thread_exit(pt);
fail:
	if (f)
		file_put(f);
	free(cur_path);
	strv_free(owned_argv);
	return err;
}

static long do_execveat(struct task *t, int dirfd, uint64_t upath, uint64_t uargv, uint64_t uenvp,
			int flags)
{
	char *path = malloc(4096);
	if (!path)
		return -ENOMEM;
	long err = copy_in_str(t, upath, path, 4096);
	if (err < 0) {
		free(path);
		return err;
	}
	if (dirfd != AT_FDCWD && path[0] != '/') {
		/* resolve relative to dirfd through /proc-free path building */
		struct file *d = fdt_get(t->files, dirfd);
		if (!d) {
			free(path);
			return -EBADF;
		}
		char *full = file_path(d);
		file_put(d);
		if (!full) {
			free(path);
			return -ENOENT;
		}
		char *joined = malloc(8192);
		if (joined)
			snprintf(joined, 8192, "%s%s%s", full, path[0] ? "/" : "", path);
		free(full);
		free(path);
		if (!joined)
			return -ENOMEM;
		path = joined;
	}
	(void)flags;
	char **argv = NULL, **envp = NULL;
	err = copy_in_strv(t, uargv, &argv, MAX_ARGS);
	if (err >= 0)
		err = copy_in_strv(t, uenvp, &envp, MAX_ARGS);
	if (err >= 0)
		err = exec_task(t, path, argv, envp);
	strv_free(argv);
	strv_free(envp);
	free(path);
	return err;
}

SYSCALL(execve)
{
	return do_execveat(t, AT_FDCWD, a[0], a[1], a[2], 0);
}

SYSCALL(execveat)
{
	return do_execveat(t, (int)a[0], a[1], a[2], a[3], (int)a[4]);
}

long exec_search(struct task *t, char **args, char **env)
{
	if (strchr(args[0], '/'))
		return exec_task(t, args[0], args, env);
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (char **e = env; *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	long r = -ENOENT, denied = 0;
	for (const char *d = path; *d;) {
		size_t len = strcspn(d, ":");
		char *cand = malloc(len + strlen(args[0]) + 2);
		if (!cand)
			return -ENOMEM;
		memcpy(cand, d, len);
		cand[len] = '/';
		strcpy(cand + len + 1, args[0]);
		r = exec_task(t, cand, args, env);
		free(cand);
		if (r >= 0 || (r != -ENOENT && r != -EACCES && r != -ENOTDIR))
			return r;
		if (r == -EACCES)
			denied = 1;
		d += len + (d[len] == ':');
	}
	return denied ? -EACCES : -ENOENT;
}
