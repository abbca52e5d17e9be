/* Gofer confinement: what is left to a Gofer process that an attacker
 * takes over is its open export fds and the calls that serve files.
 *
 * 1. A private mount namespace whose root is a read-only tmpfs holding
 *    only the exports, bind-mounted at /0, /1, ... (read-only binds for
 *    read-only exports); the old root is detached and the export fds are
 *    reopened from the binds, so even `..` from them ends at that root.
 * 2. Capabilities cut to what serving files as root needs (chown, DAC
 *    override, fowner, fsetid), bounding set included; no_new_privs.
 * 3. A libseccomp allow-list of the serving calls; anything else kills the
 *    process. There is no socket(), connect(), execve(), mount(), ptrace().
 * Must run single-threaded, after every export is open. */
#include "gofer/gofer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A detached copy of the export's mount tree, taken from its fd (not its
 * path) while still in the original namespace; nosuid, nodev, and
 * read-only for a read-only export. */
static int clone_export(const struct gofer_export *e, struct error **err)
{
	int fd = open_tree(e->root_fd, "",
			   OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (fd < 0)
		return error_set(err, errno, "clone export `%s`", e->aname);
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					      (e->readonly ? MOUNT_ATTR_RDONLY : 0)};
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
		error_set(err, errno, "set attributes of export `%s`", e->aname);
		close(fd);
		return -1;
	}
	return fd;
}

/* In a new mount namespace, an empty tmpfs with the export trees attached
 * at 0, 1, ...; leaves the cwd there. */
static int mount_exports(const struct gofer_export *exports, const int *trees, size_t n,
			 struct error **err)
{
	if (unshare(CLONE_NEWNS) < 0)
		return error_set(err, errno, "unshare mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return error_set(err, errno, "make mounts private");
	/* Any existing directory will do as a mount point: it is our private
	 * copy of the tree, and the old tree is detached right after. */
	const char *at = access("/tmp", F_OK) == 0 ? "/tmp" : "/mnt";
	if (mount("cvisor-gofer", at, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=16k,mode=0755") < 0 ||
	    chdir(at) < 0)
		return error_set(err, errno, "mount tmpfs on `%s`", at);
	for (size_t i = 0; i < n; i++) {
		char dst[32];
		snprintf(dst, sizeof(dst), "%zu", i);
		int made = exports[i].file_fd >= 0 ? mknodat(AT_FDCWD, dst, S_IFREG | 0644, 0)
						   : mkdir(dst, 0755);
		if (made < 0 ||
		    move_mount(trees[i], "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return error_set(err, errno, "mount export `%s`", exports[i].aname);
	}
	return 0;
}

/* Makes the tmpfs holding only the exports the root, and reopens every
 * export fd there. The fds opened on the host tree must go: `..` from them
 * would climb the host's file system even after its mounts are detached;
 * from the root of an export's mount `..` ends at our root. */
static int new_root(struct gofer_export *exports, size_t n, struct error **err)
{
	int trees[n ? n : 1];
	size_t made = 0;
	int ret = 0;
	while (made < n && (trees[made] = clone_export(&exports[made], err)) >= 0)
		made++;
	if (made < n || mount_exports(exports, trees, n, err) < 0)
		ret = -1;
	for (size_t i = 0; i < made; i++)
		close(trees[i]);
	if (ret < 0)
		return ret;
	if (mkdir("old", 0700) < 0 || syscall(SYS_pivot_root, ".", "old") < 0)
		return error_set(err, errno, "pivot_root");
	if (chdir("/") < 0 || umount2("/old", MNT_DETACH) < 0 || rmdir("/old") < 0)
		return error_set(err, errno, "detach old root");
	for (size_t i = 0; i < n; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/%zu", i);
		int fd = open(path, O_PATH | O_CLOEXEC |
					(exports[i].file_fd >= 0 ? O_NOFOLLOW : O_DIRECTORY));
		if (fd < 0)
			return error_set(err, errno, "reopen export `%s`", exports[i].aname);
		close(exports[i].root_fd);
		exports[i].root_fd = fd;
	}
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return error_set(err, errno, "remount new root read-only");
	return 0;
}

/* Not CAP_DAC_READ_SEARCH: it is what open_by_handle_at() needs to reach
 * any inode of a file system (the "shocker" escape). */
#define KEEP_CAPS                                                                                  \
	((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_FOWNER) |                 \
	 (1ULL << CAP_FSETID))

static int drop_caps(struct error **err)
{
	for (int cap = 0; cap <= 63; cap++) {
		if (KEEP_CAPS & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return error_set(err, errno, "drop capability %d from the bounding set",
					 cap);
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {0};
	if (syscall(SYS_capget, &h, d) < 0)
		return error_set(err, errno, "capget");
	for (int i = 0; i < 2; i++) {
		uint32_t keep = (uint32_t)(KEEP_CAPS >> (32 * i));
		d[i].effective &= keep;
		d[i].permitted &= keep;
		d[i].inheritable = 0;
	}
	if (syscall(SYS_capset, &h, d) < 0)
		return error_set(err, errno, "capset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return error_set(err, errno, "no_new_privs");
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	return 0;
}

/* fchmodat2 (Linux 6.6) is newer than the headers of Debian 12. */
#define SYS_fchmodat2_NR 452

/* What serving needs: socket I/O, fd-relative file calls, memory, exit. */
static const int allowed[] = {
    SCMP_SYS(read),	     SCMP_SYS(write),	       SCMP_SYS(readv),
    SCMP_SYS(writev),	     SCMP_SYS(pread64),	       SCMP_SYS(pwrite64),
    SCMP_SYS(recvmsg),	     SCMP_SYS(sendmsg),	       SCMP_SYS(recvfrom),
    SCMP_SYS(sendto),	     SCMP_SYS(accept4),	       SCMP_SYS(close),
    SCMP_SYS(fstat),	     SCMP_SYS(newfstatat),     SCMP_SYS(statx),
    SCMP_SYS(lseek),	     SCMP_SYS(getdents64),     SCMP_SYS(openat),
    SCMP_SYS(openat2),	     SCMP_SYS(mkdirat),	       SCMP_SYS(mknodat),
    SCMP_SYS(symlinkat),     SCMP_SYS(linkat),	       SCMP_SYS(unlinkat),
    SCMP_SYS(renameat),	     SCMP_SYS(renameat2),      SCMP_SYS(readlinkat),
    SCMP_SYS(fchownat),	     SCMP_SYS(fchown),	       SCMP_SYS(fchmod),
    SCMP_SYS(fchmodat),	     SYS_fchmodat2_NR,	       SCMP_SYS(ftruncate),
    SCMP_SYS(utimensat),     SCMP_SYS(fsync),	       SCMP_SYS(fdatasync),
    SCMP_SYS(fstatfs),	     SCMP_SYS(fcntl),	       SCMP_SYS(dup),
    SCMP_SYS(mmap),	     SCMP_SYS(munmap),	       SCMP_SYS(mremap),
    SCMP_SYS(brk),	     SCMP_SYS(madvise),	       SCMP_SYS(mprotect),
    SCMP_SYS(futex),	     SCMP_SYS(exit),	       SCMP_SYS(exit_group),
    SCMP_SYS(rt_sigreturn),  SCMP_SYS(rt_sigprocmask), SCMP_SYS(restart_syscall),
    SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday),   SCMP_SYS(getpid),
    SCMP_SYS(gettid),	     SCMP_SYS(geteuid),	       SCMP_SYS(getrandom),
    SCMP_SYS(tgkill),
};

static int install_seccomp(struct error **err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return error_set(err, ENOMEM, "seccomp_init");
	int r = 0;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]) && r == 0; i++)
		if (allowed[i] >= 0) /* unknown to this libseccomp: skip */
			r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r < 0 ? error_set(err, -r, "seccomp allow-list") : 0;
}

int gofer_confine(struct gofer_export *exports, size_t n, struct error **err)
{
	if (new_root(exports, n, err) < 0 || drop_caps(err) < 0 || install_seccomp(err) < 0)
		return error_wrap(err, "confine gofer");
	return 0;
}
