/* A tiny harness for the system call tests: each program runs natively and
 * inside cvisor with the same expectations. CHECK stops at the first
 * failure with the line and errno; a program that reaches the end passes. */
#ifndef CVISOR_TESTS_SYSCALLS_HARNESS_H
#define CVISOR_TESTS_SYSCALLS_HARNESS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: CHECK(%s) failed (errno %d: %s)\n", __FILE__,      \
				__LINE__, #cond, errno, strerror(errno));                          \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

/* A call that must fail with the given errno. */
#define CHECK_ERR(call, e) CHECK((call) == -1 && errno == (e))

#endif
