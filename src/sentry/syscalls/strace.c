/* --strace: one line per system call with decoded arguments and result.
 * Argument kinds per call: d int, x hex, s path string, b buffer (first
 * bytes, after the call for reads), o open flags; calls not listed print
 * six hex words. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "lib/log.h"
#include "sentry/syscalls/strace.h"
#include "sentry/syscalls/syscalls.h"

static const char *const kinds[] = {
    [SYS_read] = "dbd",
    [SYS_write] = "dbd",
    [SYS_open] = "sod",
    [SYS_close] = "d",
    [SYS_stat] = "sx",
    [SYS_fstat] = "dx",
    [SYS_lstat] = "sx",
    [SYS_lseek] = "ddd",
    [SYS_mmap] = "xxxxdx",
    [SYS_mprotect] = "xxx",
    [SYS_munmap] = "xx",
    [SYS_brk] = "x",
    [SYS_pread64] = "dbdd",
    [SYS_pwrite64] = "dbdd",
    [SYS_access] = "sd",
    [SYS_pipe] = "x",
    [SYS_dup] = "d",
    [SYS_dup2] = "dd",
    [SYS_getpid] = "",
    [SYS_execve] = "sxx",
    [SYS_exit] = "d",
    [SYS_wait4] = "dxdx",
    [SYS_kill] = "dd",
    [SYS_fcntl] = "ddx",
    [SYS_chdir] = "s",
    [SYS_rename] = "ss",
    [SYS_mkdir] = "sd",
    [SYS_rmdir] = "s",
    [SYS_unlink] = "s",
    [SYS_symlink] = "ss",
    [SYS_readlink] = "sxd",
    [SYS_chmod] = "sd",
    [SYS_exit_group] = "d",
    [SYS_openat] = "dsod",
    [SYS_mkdirat] = "dsd",
    [SYS_newfstatat] = "dsxd",
    [SYS_unlinkat] = "dsd",
    [SYS_renameat] = "dsds",
    [SYS_readlinkat] = "dsxd",
    [SYS_faccessat] = "dsd",
    [SYS_faccessat2] = "dsdd",
    [SYS_statx] = "dsdxx",
    [SYS_clone] = "xxxxx",
    [SYS_getdents64] = "dxd",
    [SYS_ioctl] = "dxx",
    [SYS_rt_sigaction] = "dxxd",
    [SYS_rt_sigprocmask] = "dxxd",
    [SYS_pipe2] = "xo",
    [SYS_dup3] = "ddo",
    [SYS_chroot] = "s",
    [SYS_truncate] = "sd",
};

static void put_str(char *out, size_t cap, const char *s, size_t n)
{
	size_t j = 0;
	out[j++] = '"';
	for (size_t i = 0; i < n && j + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			out[j++] = '\\';
			out[j++] = 'n';
		} else if (c == '"' || c == '\\') {
			out[j++] = '\\';
			out[j++] = (char)c;
		} else if (c < 32 || c > 126) {
			j += (size_t)snprintf(out + j, cap - j, "\\%o", c);
		} else {
			out[j++] = (char)c;
		}
	}
	out[j++] = '"';
	out[j] = 0;
}

static void arg_text(struct task *t, char kind, uint64_t v, long ret, size_t buflen, char *out,
		     size_t cap)
{
	char tmp[64];
	switch (kind) {
	case 'd':
		if ((int)v == AT_FDCWD)
			snprintf(out, cap, "AT_FDCWD");
		else
			snprintf(out, cap, "%d", (int)v);
		return;
	case 's': {
		char path[256];
		long n = copy_in_str(t, v, path, sizeof(path));
		if (n < 0)
			snprintf(out, cap, "%#lx", v);
		else
			put_str(out, cap, path, (size_t)n);
		return;
	}
	case 'b': {
		size_t n = buflen < 32 ? buflen : 32;
		if (ret >= 0 && (size_t)ret < n)
			n = (size_t)ret;
		if (!v || copy_in(t, v, tmp, n)) {
			snprintf(out, cap, "%#lx", v);
			return;
		}
		put_str(out, cap, tmp, n);
		if (n < buflen && cap > strlen(out) + 4)
			strcat(out, "...");
		return;
	}
	case 'o': {
		int f = (int)v, acc = f & O_ACCMODE;
		snprintf(out, cap, "%s%s%s%s%s%s",
			 acc == O_RDONLY   ? "O_RDONLY"
			 : acc == O_WRONLY ? "O_WRONLY"
					   : "O_RDWR",
			 f & O_CREAT ? "|O_CREAT" : "", f & O_TRUNC ? "|O_TRUNC" : "",
			 f & O_APPEND ? "|O_APPEND" : "", f & O_CLOEXEC ? "|O_CLOEXEC" : "",
			 f & O_DIRECTORY ? "|O_DIRECTORY" : "");
		return;
	}
	default:
		snprintf(out, cap, "%#lx", v);
	}
}

void strace_log(struct task *t, const char *name, long nr, const uint64_t *a, long ret)
{
	char line[1024], arg[160];
	size_t len = (size_t)snprintf(line, sizeof(line), "[%d] %s(", t->tid, name);
	const char *k = nr >= 0 && nr < (long)(sizeof(kinds) / sizeof(kinds[0])) ? kinds[nr] : NULL;
	int n = k ? (int)strlen(k) : 6;
	for (int i = 0; i < n && len < sizeof(line); i++) {
		arg_text(t, k ? k[i] : 'x', a[i], ret, i + 1 < 6 ? a[i + 1] : 0, arg, sizeof(arg));
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", i ? ", " : "", arg);
	}
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	if (ret < 0 && ret > -4096)
		snprintf(line + len, sizeof(line) - len, ") = -1 %s (%s)",
			 strerrorname_np((int)-ret) ?: "?", strerror((int)-ret));
	else
		snprintf(line + len, sizeof(line) - len, ") = %ld", ret);
	log_msg(LOG_INFO, "%s", line);
}
