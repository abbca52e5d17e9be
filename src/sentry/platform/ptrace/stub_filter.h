/* The seccomp filter of every stub (installed in the zygote, inherited by
 * its forks). Application system calls never reach it: PTRACE_SYSEMU stops
 * them first. What reaches it are the calls the Sentry injects at the
 * stub's own "syscall" instruction, so that is all it allows: from that
 * instruction only, the memory calls that manage an address space (mmap,
 * munmap, mprotect, mremap, madvise, msync), close and recvmsg for the fds
 * the Sentry passes in to map, exit, and clone without any CLONE_NEW* or
 * CLONE_UNTRACED flag. Anything else kills the stub, so a taken-over
 * Sentry cannot use a stub for calls its own filter forbids (sockets,
 * files, namespaces). */
#ifndef CVISOR_SENTRY_PLATFORM_PTRACE_STUB_FILTER_H
#define CVISOR_SENTRY_PLATFORM_PTRACE_STUB_FILTER_H

#include <linux/filter.h>

extern const struct sock_filter stub_filter[];
extern const unsigned short stub_filter_len;

#endif
