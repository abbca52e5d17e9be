/* procfs internals shared by the files of fs/proc/.
 *
 * Every procfs inode names a struct proc_node: which entry of which table
 * (proc_ent), for which process, thread and fd. Entries are described by
 * constant tables; a directory (proc_dir) lists its constant entries and,
 * optionally, numeric entries (pids, tids, fds) computed on every call.
 * Nothing here holds a reference to a task or a file: each use looks the
 * node's pid/tid/fd up again and fails with -ENOENT/-ESRCH when it is gone. */
#ifndef CVISOR_SENTRY_FS_PROC_INTERNAL_H
#define CVISOR_SENTRY_FS_PROC_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sentry/fs/vfs.h"
#include "sentry/kernel/task.h"

/* A growing text buffer; a failed allocation sets oom and drops the rest. */
struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
};
void sb_put(struct sbuf *b, const void *s, size_t n);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct proc_node;
struct proc_dir;

#define PE_TGID_ONLY 0x1 /* not under task/[tid]/ */
#define PE_PTRACE    0x2 /* opens only for who may ptrace the process */

struct proc_ent {
	const char *name;
	uint32_t mode; /* S_IFREG | perms, S_IFDIR, S_IFLNK */
	int flags;
	/* regular files: fixed text, or the text made at open */
	const char *text;
	int (*show)(const struct proc_node *n, struct sbuf *b);
	/* regular files opened for writing: one write(2) worth of text */
	int (*write)(const struct proc_node *n, const char *buf, size_t len);
	/* directories */
	const struct proc_dir *dir;
	/* symlinks: the target text */
	int (*readlink)(const struct proc_node *n, char *buf, size_t len);
	/* a file that is not text (mem): its own file operations */
	const struct file_ops *fops;
	/* permission bits that depend on the node (fd links), or -1 */
	int (*perm_of)(const struct proc_node *n);
	/* magic links: the (referenced) dentry they stand for */
	int (*get_link)(const struct proc_node *n, struct task *t, struct mount **m,
			struct dentry **d);
};

enum proc_key {
	KEY_NONE,
	KEY_PID,
	KEY_TID,
	KEY_FD
};

struct proc_dir {
	const struct proc_ent *ents; /* ended by a NULL name; may be NULL */
	/* numeric entries: all of them, ascending, in a malloc'd array */
	enum proc_key key;
	const struct proc_ent *key_ent; /* what a numeric entry is */
	int (*keys)(const struct proc_node *dir, int **out);
	/* numeric names that work but are not listed (/proc/[tid]): fills
	 * *out and returns 0, or -ENOENT */
	int (*hidden)(const struct proc_node *dir, int key, struct proc_node *out);
};

struct proc_node {
	const struct proc_ent *ent;
	pid_t pid; /* the process, 0 outside /proc/[pid] */
	pid_t tid; /* the thread under task/[tid], else 0 */
	int fd;	   /* under fd/ and fdinfo/, else -1 */
	/* the process's start time: a cached dentry of a dead process never
	 * names a later one that got the same pid */
	int64_t start_ns;
};

/* The process of n (NULL when gone); zombies included. */
struct process *proc_node_process(const struct proc_node *n);
/* A live thread of n: the tid's own, else the leader or any thread. */
struct task *proc_node_task(const struct proc_node *n);
/* Whether t may look into n's process as ptrace would let it (Linux's
 * PTRACE_MODE_READ_FSCREDS, for magic links and environ): 0 or -EACCES. */
int proc_may_ptrace(struct task *t, const struct proc_node *n);
/* Bytes [start, end) of p's memory, NULs kept; stops at the first gap. */
int proc_read_mem(struct process *p, uint64_t start, uint64_t end, struct sbuf *b);
/* Parses a decimal number that may be the whole name; -1 if not one. */
long proc_parse_num(const char *s);

/* Time, in the host's boot clock (as sysinfo(2) reports it). */
int64_t proc_boot_ns(int64_t mono_ns); /* a CLOCK_MONOTONIC time as time since boot */
int64_t proc_btime(void);	       /* boot time, seconds since the epoch */

/* The tables. */
extern const struct proc_dir proc_pid_dir;		 /* /proc/[pid]/ and task/[tid]/ */
extern const struct proc_ent proc_pid_ent;		 /* /proc/[pid] itself */
int proc_pid_keys(const struct proc_node *n, int **out); /* the pids of /proc */
/* /proc/[tid] of a thread that does not lead its group */
int proc_tid_hidden(const struct proc_node *n, int key, struct proc_node *out);
extern const struct proc_dir proc_sys_dir; /* /proc/sys/ */
extern const struct proc_dir proc_fd_dir, proc_fdinfo_dir;

/* proc_sys.c: files at the top of /proc */
int proc_show_meminfo(const struct proc_node *n, struct sbuf *b);
int proc_show_vmstat(const struct proc_node *n, struct sbuf *b);
int proc_show_cpuinfo(const struct proc_node *n, struct sbuf *b);
int proc_show_uptime(const struct proc_node *n, struct sbuf *b);
int proc_show_loadavg(const struct proc_node *n, struct sbuf *b);
int proc_show_stat(const struct proc_node *n, struct sbuf *b);
int proc_show_version(const struct proc_node *n, struct sbuf *b);
int proc_show_filesystems(const struct proc_node *n, struct sbuf *b);
void proc_sys_init(void);

/* proc_files.c: the file-system view of a process */
int proc_show_mounts(const struct proc_node *n, struct sbuf *b);
int proc_show_mountinfo(const struct proc_node *n, struct sbuf *b);
int proc_link_exe(const struct proc_node *n, struct task *t, struct mount **m, struct dentry **d);
int proc_link_cwd(const struct proc_node *n, struct task *t, struct mount **m, struct dentry **d);
int proc_link_root(const struct proc_node *n, struct task *t, struct mount **m, struct dentry **d);

#endif
