/* A tiny TAP-ish harness for the syscall test programs.
 *
 * Each program runs natively and then inside `cvisor do` with the same
 * expectations, so a check may only state real Linux behaviour that holds in
 * both places (never absolute pids, host paths of the test binary aside).
 *
 *   CHECK(expr)                  fails when expr is false; prints file:line, the
 *                                expression and errno
 *   CHECK_EQ(a, b)               compares two integers, printing both
 *   CHECK_OK(call)               the call returns >= 0 (a syscall-style result)
 *   CHECK_ERR(call, ERR)         the call returns -1 and sets errno to ERR
 *   TEST(name) { ... }           declares a test; RUN(name) runs it and prints
 *                                "ok N - name" or "not ok N - name"
 *   return done();               from main: 0 when nothing failed, else 1
 *
 * A fresh scratch directory under /tmp is made by scratch_dir() and removed
 * (recursively) at exit.
 */
#ifndef CVISOR_TEST_HARNESS_H
#define CVISOR_TEST_HARNESS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static int h_failures;	    /* failed checks, whole program */
static int h_test_failures; /* failed checks in the current test */
static int h_tests, h_tests_failed;

static __attribute__((unused)) void h_fail(const char *file, int line, const char *what, int err)
{
	h_failures++;
	h_test_failures++;
	printf("#   FAIL %s:%d: %s (errno %d: %s)\n", file, line, what, err, strerror(err));
	fflush(stdout);
}

#define CHECK(expr)                                                                                \
	do {                                                                                       \
		errno = 0;                                                                         \
		if (!(expr))                                                                       \
			h_fail(__FILE__, __LINE__, #expr, errno);                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long h_a = (long long)(a), h_b = (long long)(b);                              \
		if (h_a != h_b) {                                                                  \
			int h_e = errno;                                                           \
			char h_m[512];                                                             \
			snprintf(h_m, sizeof(h_m), "%s == %s: %lld != %lld", #a, #b, h_a, h_b);    \
			h_fail(__FILE__, __LINE__, h_m, h_e);                                      \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *h_a = (a), *h_b = (b);                                                 \
		if (!h_a || !h_b || strcmp(h_a, h_b) != 0) {                                       \
			char h_m[512];                                                             \
			snprintf(h_m, sizeof(h_m), "%s == %s: \"%.200s\" != \"%.200s\"", #a, #b,   \
				 h_a ? h_a : "(null)", h_b ? h_b : "(null)");                      \
			h_fail(__FILE__, __LINE__, h_m, 0);                                        \
		}                                                                                  \
	} while (0)

/* The call returns >= 0; evaluates to the result. */
#define CHECK_OK(call)                                                                             \
	({                                                                                         \
		errno = 0;                                                                         \
		long h_r = (long)(call);                                                           \
		if (h_r < 0)                                                                       \
			h_fail(__FILE__, __LINE__, #call " failed", errno);                        \
		h_r;                                                                               \
	})

/* The call returns -1 with errno == err. */
#define CHECK_ERR(call, err)                                                                       \
	do {                                                                                       \
		errno = 0;                                                                         \
		long h_r = (long)(call);                                                           \
		int h_e = errno;                                                                   \
		if (h_r != -1 || h_e != (err)) {                                                   \
			char h_m[512];                                                             \
			snprintf(h_m, sizeof(h_m), "%s: want -1/%s, got %ld/%s", #call, #err, h_r, \
				 strerror(h_e));                                                   \
			h_fail(__FILE__, __LINE__, h_m, h_e);                                      \
		}                                                                                  \
	} while (0)

/* Same as CHECK_ERR, named after the brief's helper. */
#define expect_errno(call, err) CHECK_ERR(call, err)

#define TEST(name) static void test_##name(void)
#define RUN(name)                                                                                  \
	do {                                                                                       \
		h_test_failures = 0;                                                               \
		h_tests++;                                                                         \
		printf("# %s\n", #name); /* shows where a hang happened */                         \
		fflush(stdout);                                                                    \
		test_##name();                                                                     \
		if (h_test_failures)                                                               \
			h_tests_failed++;                                                          \
		printf("%sok %d - %s\n", h_test_failures ? "not " : "", h_tests, #name);           \
		fflush(stdout);                                                                    \
	} while (0)

static char h_scratch[256];
static pid_t h_scratch_owner;

static __attribute__((unused)) int h_rm(const char *path, const struct stat *st, int flag,
					struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static __attribute__((unused)) void h_cleanup(void)
{
	if (h_scratch[0] && getpid() == h_scratch_owner)
		nftw(h_scratch, h_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh, empty directory under /tmp, removed at exit. */
static __attribute__((unused)) const char *scratch_dir(void)
{
	if (!h_scratch[0]) {
		strcpy(h_scratch, "/tmp/cvisor-test-XXXXXX");
		if (!mkdtemp(h_scratch)) {
			perror("mkdtemp");
			exit(2);
		}
		h_scratch_owner = getpid();
		atexit(h_cleanup);
	}
	return h_scratch;
}

/* Joins the scratch dir and a name into a static rotating buffer. */
static __attribute__((unused)) const char *scratch_path(const char *name)
{
	static char bufs[8][512];
	static int n;
	char *b = bufs[n++ % 8];
	snprintf(b, sizeof(bufs[0]), "%s/%s", scratch_dir(), name);
	return b;
}

static inline __attribute__((unused)) double now_sec(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __attribute__((unused)) int done(void)
{
	printf("1..%d\n# %d of %d tests failed, %d failed checks\n", h_tests, h_tests_failed,
	       h_tests, h_failures);
	fflush(stdout);
	return h_failures ? 1 : 0;
}

/* An address no program maps: pointer arguments here must give EFAULT. */
static inline __attribute__((unused)) void *h_bad_ptr(void)
{
	volatile uintptr_t p = 8; /* opaque to the compiler's buffer checks */
	return (void *)p;
}
#define BAD_PTR h_bad_ptr()

#endif
