/* The stubs' seccomp filter; see stub_filter.h. */
#include "sentry/platform/ptrace/stub_filter.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "sentry/platform/platform.h"

#define LD(field)    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define LD_HI(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field) + 4)
/* Jumps are relative to the next instruction: at is the jump's own index. */
#define TO(target, at)	   ((target) - (at)-1)
#define KILL_UNLESS(k, at) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(k), 0, TO(KILL, at))
#define ALLOW_IF(nr, at)   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, TO(ALLOW, at), 0)

/* clone flags a stub never needs: new namespaces, or a child out of the
 * Sentry's sight */
#define CLONE_REFUSED                                                                              \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |             \
	 CLONE_NEWPID | CLONE_NEWNET | CLONE_UNTRACED)

enum {
	ALLOW = 19,
	KILL = 20
};
const struct sock_filter stub_filter[] = {
    /* 0 */ LD(arch),
    /* 1 */ KILL_UNLESS(AUDIT_ARCH_X86_64, 1),
    /* 2 */ LD(instruction_pointer),
    /* 3 */ KILL_UNLESS(STUB_SYSCALL + 2, 3),
    /* 4 */ LD_HI(instruction_pointer),
    /* 5 */ KILL_UNLESS((STUB_SYSCALL + 2) >> 32, 5),
    /* 6 */ LD(nr),
    /* 7 */ ALLOW_IF(SYS_mmap, 7),
    /* 8 */ ALLOW_IF(SYS_munmap, 8),
    /* 9 */ ALLOW_IF(SYS_mprotect, 9),
    /* 10 */ ALLOW_IF(SYS_mremap, 10),
    /* 11 */ ALLOW_IF(SYS_madvise, 11),
    /* 12 */ ALLOW_IF(SYS_msync, 12),
    /* 13 */ ALLOW_IF(SYS_close, 13),
    /* 14 */ ALLOW_IF(SYS_recvmsg, 14),
    /* 15 */ ALLOW_IF(SYS_exit, 15),
    /* 16 */ KILL_UNLESS(SYS_clone, 16),
    /* 17 */ LD(args[0]),
    /* 18 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_REFUSED, TO(KILL, 18), TO(ALLOW, 18)),
    /* 19 ALLOW */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    /* 20 KILL */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};
const unsigned short stub_filter_len = sizeof(stub_filter) / sizeof(stub_filter[0]);

_Static_assert(sizeof(stub_filter) / sizeof(stub_filter[0]) == KILL + 1, "ALLOW and KILL");
