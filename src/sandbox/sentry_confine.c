/* The Sentry's confinement; see sentry_confine.h.
 *
 * Order matters: the private procfs must be mounted while the Sentry is
 * still root in the host's user namespace (procfs belongs to the host's
 * pid namespace); pivot_root comes before unshare(CLONE_NEWUSER), which
 * refuses a chrooted caller; the uid map needs a writer with CAP_SETUID in
 * the host's user namespace, so a child forked before the unshare writes
 * it. The mount namespace stays owned by the host's user namespace: even
 * with capabilities in its own user namespace the Sentry could not change
 * a mount. */
#include "sandbox/sentry_confine.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int proc_root = -1;

int sentry_proc_dir(void)
{
	if (proc_root < 0)
		proc_root = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return proc_root;
}

int sentry_proc_open(const char *rel, int flags)
{
	return openat(sentry_proc_dir(), rel, flags | O_CLOEXEC);
}

static int write_proc(int dir, const char *name, const char *text)
{
	int fd = openat(dir, name, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The child that maps the Sentry's ids once it has its user namespace:
 * every host id to itself for root (files keep their owners; the Sentry
 * and its stubs keep host uid 0, which ptrace between them needs), else
 * just the caller's own ids. It waits for a byte on the returned fd. */
static pid_t start_mapper(int *go)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	/* our /proc directory in the host's procfs: our pid there is not the
	 * one getpid() gives in our own pid namespace */
	int parent = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char c, um[64], gm[64];
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		if (uid == 0) {
			strcpy(um, "0 0 4294967295\n");
			strcpy(gm, um);
		} else {
			snprintf(um, sizeof(um), "%u %u 1\n", uid, uid);
			snprintf(gm, sizeof(gm), "%u %u 1\n", gid, gid);
			if (write_proc(parent, "setgroups", "deny\n") < 0)
				_exit(1);
		}
		_exit(write_proc(parent, "uid_map", um) < 0 ||
		      write_proc(parent, "gid_map", gm) < 0);
	}
	close(p[0]);
	close(parent);
	if (pid < 0) {
		close(p[1]);
		return -1;
	}
	*go = p[1];
	return pid;
}

/* A new mount namespace whose root is an empty read-only tmpfs; the old
 * root is detached. On the way, a procfs limited to the Sentry's own
 * tasks is opened and kept as proc_root. */
static int empty_root(struct error **err)
{
	if (unshare(CLONE_NEWNS) < 0)
		return error_set(err, errno, "unshare mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return error_set(err, errno, "make mounts private");
	/* /proc always exists; covering it is harmless in our own namespace */
	if (mount("cvisor-sentry", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,mode=0555") < 0 ||
	    chdir("/proc") < 0)
		return error_set(err, errno, "mount an empty tmpfs");
	if (mkdir("p", 0500) < 0 || mount("proc", "p", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
					  "subset=pid,hidepid=invisible") < 0)
		return error_set(err, errno, "mount a private procfs");
	int fd = open("p", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || umount2("p", MNT_DETACH) < 0 || rmdir("p") < 0)
		return error_set(err, errno, "detach the private procfs");
	if (proc_root >= 0)
		close(proc_root);
	proc_root = fd;
	if (syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return error_set(err, errno, "pivot_root into the empty tmpfs");
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return error_set(err, errno, "remount the empty root read-only");
	return 0;
}

/* The empty root first, then the user namespace; the mapper is forked
 * before either so that it keeps the host's /proc and user namespace. */
static int namespaces(struct error **err)
{
	int go;
	pid_t mapper = start_mapper(&go);
	if (mapper < 0)
		return error_set(err, errno, "start the uid mapper");
	int r = empty_root(err);
	if (r == 0 && (unshare(CLONE_NEWUSER) < 0 || write(go, "", 1) != 1))
		r = error_set(err, errno, "unshare user namespace");
	close(go);
	int st = 0;
	while (waitpid(mapper, &st, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && (!WIFEXITED(st) || WEXITSTATUS(st)))
		r = error_set(err, EPERM, "write the uid and gid maps");
	return r;
}

/* Every capability gone from every set, root's special powers on exec
 * included (securebits), and no way back. */
static int drop_caps(struct error **err)
{
	int bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
		   SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;
	if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0)
		return error_set(err, errno, "set securebits");
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return error_set(err, errno, "drop capability %d from the bounding set",
					 cap);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return error_set(err, errno, "clear ambient capabilities");
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {0};
	if (syscall(SYS_capset, &h, d) < 0)
		return error_set(err, errno, "capset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return error_set(err, errno, "no_new_privs");
	return 0;
}

int sentry_confine(struct error **err)
{
	const struct rlimit none = {0, 0};
	if (namespaces(err) < 0 || drop_caps(err) < 0)
		return error_wrap(err, "confine the Sentry");
	if (setrlimit(RLIMIT_CORE, &none) < 0)
		return error_set(err, errno, "confine the Sentry: no core dumps");
	return 0;
}
