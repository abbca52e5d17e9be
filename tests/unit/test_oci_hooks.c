/* Hooks: state on stdin, args and env passed, failures and timeouts named,
 * a hook that ignores its stdin or leaves a daemon behind does not hang us. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "oci/hooks.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/cvisor-hooks-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes an executable script DIR/name; returns its path (static buffer). */
static const char *script(const char *name, const char *body)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, 0755);
	return path;
}

static char *slurp(const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 4096);
	size_t n = fread(buf, 1, 4095, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void test_stdin_args_env(void **state)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "cat > %s/stdin.out\necho \"$0|$1|$2|$HOOKVAR|$PATH\" > %s/args.out", dir, dir);
	struct oci_hook h = {.path = strdup(script("h1", body))};
	char *args[] = {"argzero", "one", "two", NULL};
	char *env[] = {"HOOKVAR=yes", NULL};
	h.args = args;
	h.n_args = 3;
	h.env = env;
	h.n_env = 1;
	struct error *err = NULL;
	int rc = oci_hook_run(&h, "{\"id\":\"c1\",\"status\":\"creating\"}", &err);
	if (rc < 0)
		fail_msg("%s", err->msg);
	char *in = slurp("stdin.out"), *out = slurp("args.out");
	assert_string_equal(in, "{\"id\":\"c1\",\"status\":\"creating\"}");
	/* sh sets $0 from the script path, not argv[0]; env is exactly ours. */
	assert_non_null(strstr(out, "|one|two|yes|"));
	free(in);
	free(out);
	free(h.path);
}

static void test_failure_names_hook(void **state)
{
	struct oci_spec s = {0};
	struct oci_hook hooks[2] = {
	    {.path = strdup(script("ok", "exit 0"))},
	    {.path = strdup(script("bad", "echo out-text; echo err-text >&2; exit 3"))},
	};
	s.hooks[OCI_HOOK_PRESTART].v = hooks;
	s.hooks[OCI_HOOK_PRESTART].n = 2;
	struct error *err = NULL;
	assert_int_equal(oci_hooks_run(&s, OCI_HOOK_PRESTART, "{}", &err), -1);
	assert_non_null(strstr(err->msg, "hooks.prestart[1]: `"));
	assert_non_null(
	    strstr(err->msg, "/bad`: exit status 3, stdout: out-text, stderr: err-text"));
	error_free(err);
	err = NULL;
	/* Another list is empty: nothing to do. */
	assert_int_equal(oci_hooks_run(&s, OCI_HOOK_POSTSTOP, "{}", &err), 0);
	free(hooks[0].path);
	free(hooks[1].path);
}

static void test_missing_binary(void **state)
{
	struct oci_hook h = {.path = "/nonexistent/hook"};
	struct error *err = NULL;
	assert_int_equal(oci_hook_run(&h, "{}", &err), -1);
	assert_non_null(strstr(err->msg, "exit status 127"));
	assert_non_null(strstr(err->msg, "No such file"));
	error_free(err);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_timeout(void **state)
{
	struct oci_hook h = {.path = strdup(script("slow", "exec sleep 30")), .timeout = 1};
	struct error *err = NULL;
	double t0 = now();
	assert_int_equal(oci_hook_run(&h, "{}", &err), -1);
	double took = now() - t0;
	assert_true(took >= 0.9 && took < 5);
	assert_non_null(strstr(err->msg, "timed out after 1 s"));
	error_free(err);
	free(h.path);
}

static void test_ignores_stdin_and_daemon(void **state)
{
	/* A large state the hook never reads, and a child that keeps stdout
	 * open after the hook exits. */
	struct oci_hook h = {.path = strdup(script("d", "(sleep 5 &) ; exit 0"))};
	size_t big = 1 << 20;
	char *json = malloc(big + 1);
	memset(json, ' ', big);
	json[big] = 0;
	struct error *err = NULL;
	double t0 = now();
	int rc = oci_hook_run(&h, json, &err);
	if (rc < 0)
		fail_msg("%s", err->msg);
	assert_true(now() - t0 < 3);
	free(json);
	free(h.path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stdin_args_env),
	    cmocka_unit_test(test_failure_names_hook),
	    cmocka_unit_test(test_missing_binary),
	    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_ignores_stdin_and_daemon),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
