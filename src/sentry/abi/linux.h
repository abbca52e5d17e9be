/* Linux x86-64 ABI structures the Sentry hands to programs. They carry a
 * linux_ prefix so they never mix with the host's types; sizes and offsets
 * are asserted. */
#ifndef CVISOR_SENTRY_ABI_LINUX_H
#define CVISOR_SENTRY_ABI_LINUX_H

#include <stddef.h>
#include <stdint.h>

struct linux_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	struct linux_timespec st_atim, st_mtim, st_ctim;
	int64_t reserved[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "stat size");
_Static_assert(offsetof(struct linux_stat, st_size) == 48, "stat st_size");

struct linux_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

struct linux_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t pad1;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct linux_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t spare[14];
};
_Static_assert(sizeof(struct linux_statx) == 256, "statx size");
_Static_assert(offsetof(struct linux_statx, stx_rdev_major) == 128, "statx rdev");

struct linux_statfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "statfs size");

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
_Static_assert(offsetof(struct linux_dirent64, d_name) == 19, "dirent64 name");

/* rt_sigaction's struct (the kernel's, not libc's). */
struct linux_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};
_Static_assert(sizeof(struct linux_sigaction) == 32, "sigaction size");

struct linux_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};
_Static_assert(sizeof(struct linux_stack) == 24, "stack_t size");

struct linux_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
		} kill;
		struct {
			int32_t tid;
			int32_t overrun;
			uint64_t value;
		} timer;
		struct {
			int32_t pid;
			uint32_t uid;
			uint64_t value;
		} rt;
		struct {
			int32_t pid;
			uint32_t uid;
			int32_t status;
			int32_t pad;
			int64_t utime;
			int64_t stime;
		} chld;
		struct {
			uint64_t addr;
		} fault;
		struct {
			int64_t band;
			int32_t fd;
		} poll;
		struct {
			uint64_t call_addr;
			int32_t syscall;
			uint32_t arch;
		} sys;
		char raw[112];
	};
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo size");

/* The signal frame's machine context (struct sigcontext). */
struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct linux_sigcontext) == 256, "sigcontext size");

struct linux_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct linux_stack uc_stack;
	struct linux_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};
_Static_assert(offsetof(struct linux_ucontext, uc_mcontext) == 40, "ucontext mcontext");
_Static_assert(offsetof(struct linux_ucontext, uc_sigmask) == 296, "ucontext sigmask");

struct linux_rt_sigframe {
	uint64_t pretcode;
	struct linux_ucontext uc;
	struct linux_siginfo info;
};

/* The software-reserved bytes of the fxsave area that announce XSAVE. */
#define LINUX_FP_XSTATE_MAGIC1 0x46505853U
#define LINUX_FP_XSTATE_MAGIC2 0x46505845U
struct linux_fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size;
	uint32_t padding[7];
};
_Static_assert(sizeof(struct linux_fpx_sw_bytes) == 48, "fpx_sw_bytes size");

struct linux_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct linux_rlimit {
	uint64_t cur, max;
};

struct linux_timeval {
	int64_t tv_sec, tv_usec;
};

struct linux_itimerspec {
	struct linux_timespec interval, value;
};
_Static_assert(sizeof(struct linux_itimerspec) == 32, "itimerspec size");

struct linux_rusage {
	struct linux_timeval utime, stime;
	int64_t rest[14];
};
_Static_assert(sizeof(struct linux_rusage) == 144, "rusage size");

struct linux_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

struct linux_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct linux_epoll_event) == 12, "epoll_event size");

struct linux_iovec {
	uint64_t base;
	uint64_t len;
};

struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char f[0];
};

/* fcntl F_GETLK/F_SETLK/F_OFD_* record locks */
struct linux_flock {
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
};
_Static_assert(sizeof(struct linux_flock) == 32, "flock size");
_Static_assert(offsetof(struct linux_flock, l_start) == 8, "flock l_start");
_Static_assert(offsetof(struct linux_flock, l_pid) == 24, "flock l_pid");

#endif
