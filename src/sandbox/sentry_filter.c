/* The Sentry's seccomp filter; see sentry_filter.h. A deny-list for now:
 * the allow-list comes with the Gofer doing all file access (issue 3). */
#include "sandbox/sentry_filter.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <seccomp.h>
#include <sys/ptrace.h>
#include <sys/socket.h>

static const int denied[] = {
    SCMP_SYS(execve),
    SCMP_SYS(execveat),
    SCMP_SYS(mount),
    SCMP_SYS(umount2),
    SCMP_SYS(pivot_root),
    SCMP_SYS(chroot),
    SCMP_SYS(unshare),
    SCMP_SYS(setns),
    SCMP_SYS(init_module),
    SCMP_SYS(finit_module),
    SCMP_SYS(delete_module),
    SCMP_SYS(kexec_load),
    SCMP_SYS(kexec_file_load),
    SCMP_SYS(reboot),
    SCMP_SYS(bpf),
    SCMP_SYS(perf_event_open),
    SCMP_SYS(keyctl),
    SCMP_SYS(add_key),
    SCMP_SYS(request_key),
    SCMP_SYS(userfaultfd),
    SCMP_SYS(open_by_handle_at),
    SCMP_SYS(name_to_handle_at),
    SCMP_SYS(swapon),
    SCMP_SYS(swapoff),
    SCMP_SYS(acct),
    SCMP_SYS(settimeofday),
    SCMP_SYS(clock_settime),
    SCMP_SYS(adjtimex),
    SCMP_SYS(sethostname),
    SCMP_SYS(setdomainname),
    SCMP_SYS(fsopen),
    SCMP_SYS(fsmount),
    SCMP_SYS(move_mount),
    SCMP_SYS(open_tree),
};

int sentry_filter_install(struct error **err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return error_set(err, ENOMEM, "seccomp_init");
	int rc = 0;
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]) && !rc; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
	/* clone into new namespaces: one rule per CLONE_NEW* bit */
	static const uint64_t ns_bits[] = {CLONE_NEWNS,	   CLONE_NEWUTS, CLONE_NEWIPC,
					   CLONE_NEWUSER,  CLONE_NEWPID, CLONE_NEWNET,
					   CLONE_NEWCGROUP};
	for (size_t i = 0; i < sizeof(ns_bits) / sizeof(ns_bits[0]) && !rc; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, ns_bits[i], ns_bits[i]));
	/* inet and other families: AF_UNIX only (network none) */
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
				      SCMP_A0(SCMP_CMP_NE, AF_UNIX));
	/* no new tracees: stubs come from the zygote, traced automatically */
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
				      SCMP_A0(SCMP_CMP_EQ, PTRACE_ATTACH));
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
				      SCMP_A0(SCMP_CMP_EQ, PTRACE_SEIZE));
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
				      SCMP_A0(SCMP_CMP_EQ, PTRACE_TRACEME));
	if (!rc)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
	if (!rc)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc)
		return error_set(err, -rc, "install the Sentry's seccomp filter");
	return 0;
}
