/* /proc/[pid]/ and /proc/[pid]/task/[tid]/: one process or thread, read
 * from the task table, its address space and its memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "sentry/fs/devpts/devpts.h"
#include "sentry/kernel/cpus.h"
#include "sentry/fs/fdtable.h"
#include "sentry/fs/proc/internal.h"
#include "sentry/mm/mm.h"

#define PROC_PID_LIMIT 32768	  /* as kernel/pid.c */
#define TICK_NS	       10000000LL /* USER_HZ = 100 */

/* ---- numbers ---- */

int proc_pid_keys(const struct proc_node *n, int **out)
{
	int cap = 64, k = 0;
	int *keys = malloc(sizeof(int) * (size_t)cap);
	if (!keys)
		return -ENOMEM;
	for (pid_t pid = 1; pid < PROC_PID_LIMIT; pid++) {
		if (!process_by_pid(pid))
			continue;
		if (k == cap) {
			int *nk = realloc(keys, sizeof(int) * (size_t)(cap *= 2));
			if (!nk) {
				free(keys);
				return -ENOMEM;
			}
			keys = nk;
		}
		keys[k++] = pid;
	}
	*out = keys;
	return k;
}

int proc_tid_hidden(const struct proc_node *n, int key, struct proc_node *out)
{
	struct task *t = task_by_tid(key);
	if (!t || t->state == TASK_DEAD)
		return -ENOENT;
	*out = *n;
	out->ent = &proc_pid_ent;
	out->pid = t->proc->pid;
	out->tid = key;
	out->fd = -1;
	out->start_ns = t->proc->start_ns;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int tid_keys(const struct proc_node *n, int **out)
{
	struct process *p = proc_node_process(n);
	if (!p)
		return -ENOENT;
	int k = 0;
	int *keys = malloc(sizeof(int) * (size_t)(p->nthreads + 1));
	if (!keys)
		return -ENOMEM;
	for (struct task *t = p->threads; t && k <= p->nthreads; t = t->thread_next)
		if (t->state != TASK_DEAD)
			keys[k++] = t->tid;
	qsort(keys, (size_t)k, sizeof(int), cmp_int);
	*out = keys;
	return k;
}

/* ---- shared pieces ---- */

static char state_of(struct process *p, struct task *t, const char **name)
{
	char c = 'S';
	if (!t)
		c = p->zombie ? 'Z' : 'X';
	else if (t->state == TASK_STOPPED || p->stopped)
		c = 'T';
	else if (t->state == TASK_RUNNING || t->state == TASK_USER)
		c = 'R';
	else if (t->state == TASK_DEAD)
		c = 'X';
	switch (c) {
	case 'R':
		*name = "running";
		break;
	case 'T':
		*name = "stopped";
		break;
	case 'Z':
		*name = "zombie";
		break;
	case 'X':
		*name = "dead";
		break;
	default:
		*name = "sleeping";
		break;
	}
	return c;
}

struct memstat {
	uint64_t size, rss, file, text, data, stack, exe;
};

static void mem_of(struct mm *mm, struct memstat *s)
{
	memset(s, 0, sizeof(*s));
	if (!mm)
		return;
	for (struct vma *v = mm->vmas; v; v = v->next) {
		uint64_t len = v->end - v->start;
		s->size += len;
		s->rss += len;
		if (v->file)
			s->file += len;
		if ((v->prot & PROT_EXEC) && v->file) {
			s->text += len;
			if (!s->exe)
				s->exe = len;
		}
		if ((v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED) && !v->name)
			s->data += len;
		if (v->name && strcmp(v->name, "[stack]") == 0)
			s->stack += len;
		if (v->name && strcmp(v->name, "[heap]") == 0)
			s->data += len;
	}
}

/* The code range of the executable: its first executable mapping. */
static void code_range(struct mm *mm, uint64_t *start, uint64_t *end)
{
	*start = *end = 0;
	for (struct vma *v = mm ? mm->vmas : NULL; v; v = v->next)
		if ((v->prot & PROT_EXEC) && v->file) {
			*start = v->start;
			*end = v->end;
			return;
		}
}

static void sigsets(struct process *p, uint64_t *ign, uint64_t *cgt)
{
	*ign = *cgt = 0;
	for (int s = 1; s <= NSIG_LINUX; s++) {
		uint64_t h = p->sighand->act[s].handler;
		if (h == 1) /* SIG_IGN */
			*ign |= SIGBIT(s);
		else if (h != 0)
			*cgt |= SIGBIT(s);
	}
}

static int64_t start_ticks(struct process *p)
{
	return proc_boot_ns(p->start_ns) / TICK_NS;
}

/* ---- files ---- */

static int show_stat(const struct proc_node *n, struct sbuf *b)
{
	struct process *p = proc_node_process(n);
	if (!p)
		return -ESRCH;
	struct task *t = proc_node_task(n);
	struct mm *mm = t ? t->mm : NULL;
	const char *sname;
	char st = state_of(p, t, &sname);
	struct memstat ms;
	mem_of(mm, &ms);
	uint64_t cs, ce, ign, cgt;
	code_range(mm, &cs, &ce);
	sigsets(p, &ign, &cgt);
	uint64_t pend = p->pending.set | (t ? t->pending.set : 0);
	pid_t fg;
	unsigned tty = devpts_stat_tty(p->sid, &fg);
	sb_printf(b, "%d (%s) %c %d %d %d %u %d %u %lu %lu %lu %lu ", n->tid ? n->tid : p->pid,
		  t ? t->comm : p->comm, st, p->parent ? p->parent->pid : 0, p->pgid, p->sid, tty,
		  (int)fg, 0x400100u, 0UL, 0UL, 0UL, 0UL);
	sb_printf(b, "%ld %ld %ld %ld 20 0 %d 0 %ld %lu %lu %lu ", (long)(p->utime_ns / TICK_NS),
		  (long)(p->stime_ns / TICK_NS), (long)(p->cutime_ns / TICK_NS),
		  (long)(p->cstime_ns / TICK_NS), p->nthreads, (long)start_ticks(p), ms.size,
		  ms.rss / 4096, (unsigned long)p->rlim[RLIMIT_RSS].cur);
	sb_printf(b, "%lu %lu %lu 0 0 %lu %lu %lu %lu 0 0 0 %u 0 0 0 0 0 0 ", cs, ce,
		  mm ? mm->stack_top : 0, pend, t ? t->sigmask : 0, ign, cgt, p->exit_signal);
	sb_printf(b, "0 0 %lu %lu %lu %lu %lu %d\n", mm ? mm->brk_start : 0, mm ? mm->arg_start : 0,
		  mm ? mm->arg_end : 0, mm ? mm->env_start : 0, mm ? mm->env_end : 0,
		  p->zombie ? p->exit_code : 0);
	return 0;
}

static int show_statm(const struct proc_node *n, struct sbuf *b)
{
	struct task *t = proc_node_task(n);
	struct memstat ms;
	mem_of(t ? t->mm : NULL, &ms);
	sb_printf(b, "%lu %lu %lu %lu 0 %lu 0\n", ms.size / 4096, ms.rss / 4096, ms.file / 4096,
		  ms.text / 4096, (ms.data + ms.stack) / 4096);
	return 0;
}

static void kb_line(struct sbuf *b, const char *name, uint64_t bytes)
{
	sb_printf(b, "%s:\t%8lu kB\n", name, bytes / 1024);
}

static int show_status(const struct proc_node *n, struct sbuf *b)
{
	struct process *p = proc_node_process(n);
	if (!p)
		return -ESRCH;
	struct task *t = proc_node_task(n);
	const char *sname;
	char st = state_of(p, t, &sname);
	struct creds *c = &p->creds;
	int fdsize = t && t->files ? t->files->size : 0;
	sb_printf(b, "Name:\t%s\n", t ? t->comm : p->comm);
	if (t && t->fs)
		sb_printf(b, "Umask:\t%04o\n", t->fs->umask);
	sb_printf(b, "State:\t%c (%s)\n", st, sname);
	pid_t pid = n->tid ? n->tid : p->pid;
	sb_printf(b, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->pid, pid,
		  p->parent ? p->parent->pid : 0);
	sb_printf(b, "Uid:\t%u\t%u\t%u\t%u\n", c->ruid, c->euid, c->suid, c->fsuid);
	sb_printf(b, "Gid:\t%u\t%u\t%u\t%u\n", c->rgid, c->egid, c->sgid, c->fsgid);
	sb_printf(b, "FDSize:\t%d\nGroups:\t", fdsize);
	for (uint32_t i = 0; i < c->ngroups && i < 64; i++)
		sb_printf(b, "%u ", c->groups[i]);
	sb_printf(b, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid, pid, p->pgid,
		  p->sid);
	if (t && t->mm) {
		struct memstat ms;
		mem_of(t->mm, &ms);
		kb_line(b, "VmPeak", ms.size);
		kb_line(b, "VmSize", ms.size);
		kb_line(b, "VmLck", 0);
		kb_line(b, "VmPin", 0);
		kb_line(b, "VmHWM", ms.rss);
		kb_line(b, "VmRSS", ms.rss);
		kb_line(b, "RssAnon", ms.rss - ms.file);
		kb_line(b, "RssFile", ms.file);
		kb_line(b, "RssShmem", 0);
		kb_line(b, "VmData", ms.data);
		kb_line(b, "VmStk", ms.stack);
		kb_line(b, "VmExe", ms.exe);
		kb_line(b, "VmLib", ms.text - ms.exe);
		kb_line(b, "VmPTE", 0);
		kb_line(b, "VmSwap", 0);
	}
	uint64_t ign, cgt;
	sigsets(p, &ign, &cgt);
	int queued = 0;
	for (struct sigqueue_entry *e = p->pending.head; e; e = e->next)
		queued++;
	sb_printf(b, "Threads:\t%d\nSigQ:\t%d/%lu\n", p->nthreads, queued,
		  (unsigned long)p->rlim[RLIMIT_SIGPENDING].cur);
	sb_printf(b, "SigPnd:\t%016lx\nShdPnd:\t%016lx\n", t ? t->pending.set : 0, p->pending.set);
	sb_printf(b, "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n", t ? t->sigmask : 0, ign,
		  cgt);
	sb_printf(b, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\n", c->cap_inh, c->cap_perm,
		  c->cap_eff);
	sb_printf(b, "CapBnd:\t%016lx\nCapAmb:\t%016x\n", c->cap_bnd, 0);
	sb_printf(b, "NoNewPrivs:\t%d\nSeccomp:\t0\nSeccomp_filters:\t0\n", c->no_new_privs);
	int ncpu = sentry_ncpus;
	sb_printf(b, "Cpus_allowed:\t%x\nCpus_allowed_list:\t0",
		  ncpu >= 32 ? ~0u : (1u << ncpu) - 1);
	if (ncpu > 1)
		sb_printf(b, "-%d", ncpu - 1);
	sb_printf(b, "\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
	sb_printf(b, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
	return 0;
}

static int show_maps(const struct proc_node *n, struct sbuf *b)
{
	struct task *t = proc_node_task(n);
	if (!t || !t->mm)
		return 0;
	size_t len;
	char *text = mm_maps_text(t->mm, &len);
	if (!text)
		return -ENOMEM;
	sb_put(b, text, len);
	free(text);
	return 0;
}

/* smaps: each maps line and its sizes. The Sentry does not know which pages
 * are resident (the host does), so a mapping counts as wholly resident, as
 * VmRSS does. */
static void smaps_sizes(struct sbuf *b, uint64_t size, uint64_t anon)
{
	static const char *zero[] = {"Shared_Clean:", "Shared_Dirty:", "Private_Clean:"};
	sb_printf(b, "%-16s%8lu kB\n%-16s%8d kB\n%-16s%8d kB\n", "Size:", size / 1024,
		  "KernelPageSize:", 4, "MMUPageSize:", 4);
	sb_printf(b, "%-16s%8lu kB\n%-16s%8lu kB\n", "Rss:", size / 1024, "Pss:", size / 1024);
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		sb_printf(b, "%-16s%8d kB\n", zero[i], 0);
	sb_printf(b, "%-16s%8lu kB\n%-16s%8lu kB\n%-16s%8lu kB\n", "Private_Dirty:", size / 1024,
		  "Referenced:", size / 1024, "Anonymous:", anon / 1024);
	sb_printf(b, "%-16s%8d kB\n%-16s%8d kB\n%-16s%8d kB\n%-16s%8d kB\n", "LazyFree:", 0,
		  "AnonHugePages:", 0, "Swap:", 0, "Locked:", 0);
}

static int show_smaps_common(const struct proc_node *n, struct sbuf *b, int rollup)
{
	struct task *t = proc_node_task(n);
	if (!t || !t->mm)
		return 0;
	size_t len;
	char *text = mm_maps_text(t->mm, &len);
	if (!text)
		return -ENOMEM;
	uint64_t total = 0, anon = 0, lo = 0, hi = 0;
	char *line = text;
	for (struct vma *v = t->mm->vmas; v && line < text + len; v = v->next) {
		char *nl = memchr(line, '\n', (size_t)(text + len - line));
		size_t ll = nl ? (size_t)(nl - line) + 1 : (size_t)(text + len - line);
		uint64_t size = v->end - v->start, a = v->file ? 0 : size;
		total += size;
		anon += a;
		lo = lo ? lo : v->start;
		hi = v->end;
		if (!rollup) {
			sb_put(b, line, ll);
			smaps_sizes(b, size, a);
			sb_printf(b, "THPeligible:    0\nVmFlags:%s%s%s%s\n",
				  v->prot & 1 ? " rd" : "", v->prot & 2 ? " wr" : "",
				  v->prot & 4 ? " ex" : "", v->flags & VMA_SHARED ? " sh" : "");
		}
		line += ll;
	}
	free(text);
	if (rollup) {
		sb_printf(b, "%012lx-%012lx ---p 00000000 00:00 0%27s[rollup]\n", lo, hi, "");
		smaps_sizes(b, total, anon);
	}
	return 0;
}

static int show_smaps(const struct proc_node *n, struct sbuf *b)
{
	return show_smaps_common(n, b, 0);
}

static int show_smaps_rollup(const struct proc_node *n, struct sbuf *b)
{
	return show_smaps_common(n, b, 1);
}

static int show_cmdline(const struct proc_node *n, struct sbuf *b)
{
	struct process *p = proc_node_process(n);
	struct task *t = proc_node_task(n);
	if (!p || !t || !t->mm)
		return 0;
	struct mm *mm = t->mm;
	int err = proc_read_mem(p, mm->arg_start, mm->arg_end, b);
	if (err || !b->len || b->p[b->len - 1] == 0)
		return err;
	/* a program that rewrote its title over argv and on into the
	 * environment (setproctitle): as Linux, go on up to the first NUL */
	struct sbuf env = {0};
	err = proc_read_mem(p, mm->env_start, mm->env_end, &env);
	if (!err && !env.oom && env.len) {
		size_t n = strnlen(env.p, env.len);
		sb_put(b, env.p, n < env.len ? n + 1 : n); /* with the NUL when there is one */
	}
	free(env.p);
	return err;
}

static int show_environ(const struct proc_node *n, struct sbuf *b)
{
	struct process *p = proc_node_process(n);
	struct task *t = proc_node_task(n);
	if (!p || !t || !t->mm)
		return 0;
	return proc_read_mem(p, t->mm->env_start, t->mm->env_end, b);
}

static int show_auxv(const struct proc_node *n, struct sbuf *b)
{
	struct process *p = proc_node_process(n);
	struct task *t = proc_node_task(n);
	if (!p || !t || !t->mm)
		return 0;
	return proc_read_mem(p, t->mm->auxv_start, t->mm->auxv_end, b);
}

/* mem: the process's memory at offset = address, read and written as the
 * Sentry reads and writes it (no FOLL_FORCE: read-only pages stay so). */
static struct plat_as *mem_as(struct file *f)
{
	struct task *t = proc_node_task(f->inode->priv);
	return t && t->plat && t->mm ? t->plat->as : NULL;
}

static long mem_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct plat_as *as = mem_as(f);
	if (!as)
		return 0;
	long r = plat_read(as, (uint64_t)*off, buf, len);
	if (r <= 0)
		return -EIO;
	*off += r;
	return r;
}

static long mem_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct plat_as *as = mem_as(f);
	if (!as)
		return 0;
	long r = plat_write(as, (uint64_t)*off, buf, len);
	if (r <= 0)
		return -EIO;
	*off += r;
	return r;
}

static int64_t mem_llseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_SET)
		return off;
	if (whence == SEEK_CUR)
		return f->pos + off;
	return -EINVAL;
}

static const struct file_ops mem_fops = {
    .read = mem_read, .write = mem_write, .llseek = mem_llseek};

static int show_comm(const struct proc_node *n, struct sbuf *b)
{
	struct process *p = proc_node_process(n);
	if (!p)
		return -ESRCH;
	struct task *t = proc_node_task(n);
	sb_printf(b, "%s\n", t ? t->comm : p->comm);
	return 0;
}

static int write_comm(const struct proc_node *n, const char *buf, size_t len)
{
	struct task *t = proc_node_task(n);
	if (!t)
		return -ESRCH;
	char name[16] = {0};
	size_t k = len < 15 ? len : 15; /* a newline stays, as on Linux */
	memcpy(name, buf, k);
	memcpy(t->comm, name, sizeof(name));
	if (t->tid == t->proc->pid)
		memcpy(t->proc->comm, name, sizeof(name));
	return 0;
}

static int show_limits(const struct proc_node *n, struct sbuf *b)
{
	static const struct {
		const char *name, *unit;
	} lim[16] = {
	    {"Max cpu time", "seconds"},     {"Max file size", "bytes"},
	    {"Max data size", "bytes"},	     {"Max stack size", "bytes"},
	    {"Max core file size", "bytes"}, {"Max resident set", "bytes"},
	    {"Max processes", "processes"},  {"Max open files", "files"},
	    {"Max locked memory", "bytes"},  {"Max address space", "bytes"},
	    {"Max file locks", "locks"},     {"Max pending signals", "signals"},
	    {"Max msgqueue size", "bytes"},  {"Max nice priority", NULL},
	    {"Max realtime priority", NULL}, {"Max realtime timeout", "us"},
	};
	struct process *p = proc_node_process(n);
	if (!p)
		return -ESRCH;
	sb_printf(b, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < 16; i++) {
		char soft[24], hard[24];
		if (p->rlim[i].cur == ~0ULL)
			strcpy(soft, "unlimited");
		else
			snprintf(soft, sizeof(soft), "%lu", (unsigned long)p->rlim[i].cur);
		if (p->rlim[i].max == ~0ULL)
			strcpy(hard, "unlimited");
		else
			snprintf(hard, sizeof(hard), "%lu", (unsigned long)p->rlim[i].max);
		sb_printf(b, "%-25s %-20s %-20s ", lim[i].name, soft, hard);
		if (lim[i].unit)
			sb_printf(b, "%-10s", lim[i].unit);
		sb_put(b, "\n", 1);
	}
	return 0;
}

static int show_oom_score_adj(const struct proc_node *n, struct sbuf *b)
{
	struct process *p = proc_node_process(n);
	if (!p)
		return -ESRCH;
	sb_printf(b, "%d\n", p->oom_score_adj);
	return 0;
}

static int write_oom_score_adj(const struct proc_node *n, const char *buf, size_t len)
{
	struct process *p = proc_node_process(n);
	if (!p)
		return -ESRCH;
	char *end;
	long v = strtol(buf, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\t')
		end++;
	if (end == buf || *end || v < -1000 || v > 1000)
		return -EINVAL;
	p->oom_score_adj = (int)v;
	return 0;
}

static int show_zero(const struct proc_node *n, struct sbuf *b)
{
	sb_printf(b, "0\n");
	return 0;
}

static int show_unset_id(const struct proc_node *n, struct sbuf *b)
{
	sb_printf(b, "4294967295");
	return 0;
}

static int show_cgroup(const struct proc_node *n, struct sbuf *b)
{
	sb_printf(b, "0::/\n");
	return 0;
}

/* ns/: one set of namespaces for the whole sandbox; readlink names them
 * ("pid:[4026532001]"), they do not open. */
static int ns_link(const struct proc_node *n, char *buf, size_t len)
{
	static const char *names[] = {"cgroup",
				      "ipc",
				      "mnt",
				      "net",
				      "pid",
				      "time",
				      "user",
				      "uts",
				      "pid_for_children",
				      "time_for_children"};
	const char *name = n->ent->name;
	unsigned k = 0;
	while (k < sizeof(names) / sizeof(names[0]) && strcmp(names[k], name) != 0)
		k++;
	size_t base = strcspn(name, "_"); /* pid_for_children is pid's */
	if (strncmp(name, "pid_", 4) == 0)
		k = 4;
	if (strncmp(name, "time_", 5) == 0)
		k = 5;
	int r = snprintf(buf, len, "%.*s:[%u]", (int)base, name, 4026532000u + k);
	return r < (int)len ? r : (int)len;
}

static const struct proc_ent ns_ents[] = {
    {"cgroup", S_IFLNK | 0777, .readlink = ns_link},
    {"ipc", S_IFLNK | 0777, .readlink = ns_link},
    {"mnt", S_IFLNK | 0777, .readlink = ns_link},
    {"net", S_IFLNK | 0777, .readlink = ns_link},
    {"pid", S_IFLNK | 0777, .readlink = ns_link},
    {"pid_for_children", S_IFLNK | 0777, .readlink = ns_link},
    {"time", S_IFLNK | 0777, .readlink = ns_link},
    {"time_for_children", S_IFLNK | 0777, .readlink = ns_link},
    {"user", S_IFLNK | 0777, .readlink = ns_link},
    {"uts", S_IFLNK | 0777, .readlink = ns_link},
    {NULL},
};
static const struct proc_dir ns_dir = {.ents = ns_ents};

static const struct proc_dir task_dir;

static const struct proc_ent pid_ents[] = {
    {"task", S_IFDIR | 0555, PE_TGID_ONLY, .dir = &task_dir},
    {"fd", S_IFDIR | 0500, .dir = &proc_fd_dir},
    {"fdinfo", S_IFDIR | 0500, .dir = &proc_fdinfo_dir},
    {"stat", S_IFREG | 0444, .show = show_stat},
    {"statm", S_IFREG | 0444, .show = show_statm},
    {"status", S_IFREG | 0444, .show = show_status},
    {"maps", S_IFREG | 0444, .show = show_maps},
    {"smaps", S_IFREG | 0444, .show = show_smaps},
    {"smaps_rollup", S_IFREG | 0444, .show = show_smaps_rollup},
    {"cmdline", S_IFREG | 0444, .show = show_cmdline},
    {"environ", S_IFREG | 0400, PE_PTRACE, .show = show_environ},
    {"auxv", S_IFREG | 0400, PE_PTRACE, .show = show_auxv},
    {"mem", S_IFREG | 0600, PE_PTRACE, .fops = &mem_fops},
    {"comm", S_IFREG | 0644, .show = show_comm, .write = write_comm},
    {"exe", S_IFLNK | 0777, .get_link = proc_link_exe},
    {"cwd", S_IFLNK | 0777, .get_link = proc_link_cwd},
    {"root", S_IFLNK | 0777, .get_link = proc_link_root},
    {"mounts", S_IFREG | 0444, .show = proc_show_mounts},
    {"mountinfo", S_IFREG | 0444, .show = proc_show_mountinfo},
    {"limits", S_IFREG | 0444, .show = show_limits},
    {"oom_score_adj", S_IFREG | 0644, .show = show_oom_score_adj, .write = write_oom_score_adj},
    {"oom_score", S_IFREG | 0444, .show = show_zero},
    {"loginuid", S_IFREG | 0644, .show = show_unset_id},
    {"sessionid", S_IFREG | 0444, .show = show_unset_id},
    {"cgroup", S_IFREG | 0444, .show = show_cgroup},
    {"ns", S_IFDIR | 0511, .dir = &ns_dir},
    {"uid_map", S_IFREG | 0444, .text = "         0          0 4294967295\n"},
    {"gid_map", S_IFREG | 0444, .text = "         0          0 4294967295\n"},
    {"setgroups", S_IFREG | 0444, .text = "allow\n"},
    {"personality", S_IFREG | 0444, .text = "00000000\n"},
    {"wchan", S_IFREG | 0444, .text = "0"},
    {"io", S_IFREG | 0400,
     .text = "rchar: 0\nwchar: 0\nsyscr: 0\nsyscw: 0\nread_bytes: 0\nwrite_bytes: 0\n"
	     "cancelled_write_bytes: 0\n"},
    {NULL},
};

const struct proc_dir proc_pid_dir = {.ents = pid_ents};

const struct proc_ent proc_pid_ent = {"[pid]", S_IFDIR | 0555, .dir = &proc_pid_dir};
static const struct proc_ent tid_ent = {"[tid]", S_IFDIR | 0555, .dir = &proc_pid_dir};

static const struct proc_dir task_dir = {
    .key = KEY_TID,
    .key_ent = &tid_ent,
    .keys = tid_keys,
};
