/* cgroups on the real host, as root: a test cgroup below our own (so the
 * test stays inside whatever cgroup runs it), limits written and read
 * back, a process added, stats, freeze/thaw, kill, removal. Skips without
 * root or cgroups; removes everything it made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox/cgroup.h"
#include "sandbox/cgroup_internal.h"

static char parent[64], leaf[96];
static pid_t child = -1;

static void cleanup(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = -1;
	}
	struct cgroup *cg;
	if (cgroup_open(leaf, &cg, NULL) == 0) {
		cgroup_freeze(cg, false, NULL);
		cgroup_remove(cg, NULL);
		cgroup_free(cg);
	}
	char v2[96];
	snprintf(v2, sizeof(v2), "%s-v2", parent);
	if (cgroup_open(v2, &cg, NULL) == 0) {
		if (cg->v2_dir)
			rmdir(cg->v2_dir);
		cgroup_free(cg);
	}
	if (cgroup_open(parent, &cg, NULL) == 0) {
		cgroup_remove(cg, NULL);
		cgroup_free(cg);
	}
}

static int setup(void **state)
{
	snprintf(parent, sizeof(parent), "cvisor-test-%d", (int)getpid());
	snprintf(leaf, sizeof(leaf), "%s/c1", parent);
	return 0;
}

static int teardown(void **state)
{
	cleanup();
	return 0;
}

static void test_paths(void **state)
{
	char *p = NULL;
	struct error *err = NULL;
	assert_int_equal(cgroup_path_for(NULL, "abc", &p, &err), 0);
	assert_string_equal(p, "/cvisor/abc");
	free(p);
	assert_int_equal(cgroup_path_for("/libpod_parent/libpod-x", "abc", &p, &err), 0);
	assert_string_equal(p, "/libpod_parent/libpod-x");
	free(p);
	assert_int_equal(cgroup_path_for("machine.slice:libpod:abc", "abc", &p, &err), 0);
	assert_string_equal(p, "/machine.slice/libpod-abc.scope");
	free(p);
	assert_int_equal(cgroup_path_for("user-1000.slice:crio:x", "x", &p, &err), 0);
	assert_string_equal(p, "/user.slice/user-1000.slice/crio-x.scope");
	free(p);
	assert_int_equal(cgroup_path_for(":cvisor:x", "x", &p, &err), 0);
	assert_string_equal(p, "/system.slice/cvisor-x.scope");
	free(p);
	assert_int_equal(cgroup_path_for("rel/path", "x", &p, &err), 0);
	assert_string_equal(p, "rel/path");
	free(p);
	assert_int_equal(cgroup_path_for("/a/../../etc", "x", &p, &err), -1);
	assert_non_null(strstr(err->msg, "`linux.cgroupsPath`"));
	error_free(err);
	err = NULL;
	assert_int_equal(cgroup_path_for("a:b", "x", &p, &err), -1);
	error_free(err);
}

static int dir_exists(const char *d)
{
	struct stat st;
	return d && stat(d, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_lifecycle(void **state)
{
	enum cgroup_mode mode = cgroup_detect();
	if (geteuid() != 0 || mode == CGROUP_NONE) {
		print_message("skipped: needs root and a cgroup file system\n");
		skip();
	}
	struct error *err = NULL;
	struct cgroup *cg = NULL;
	if (cgroup_create(leaf, &cg, &err) < 0)
		fail_msg("create: %s", err->msg);
	assert_int_equal(cg->mode, mode);
	if (mode == CGROUP_V2) {
		assert_true(dir_exists(cg->v2_dir));
	} else {
		assert_true(dir_exists(cg->v1_dir[CG1_MEMORY]));
		assert_true(dir_exists(cg->v1_dir[CG1_PIDS]));
		/* Nested below our own cgroup: relative path. */
		assert_non_null(strstr(cg->v1_dir[CG1_MEMORY], leaf));
	}

	struct oci_resources r = {
	    .has_memory_limit = true,
	    .memory_limit = 64 << 20,
	    .has_memory_reservation = true,
	    .memory_reservation = 32 << 20,
	    .has_memory_swap = true,
	    .memory_swap = 128 << 20,
	    .has_cpu_shares = true,
	    .cpu_shares = 512,
	    .has_cpu_quota = true,
	    .cpu_quota = 50000,
	    .has_cpu_period = true,
	    .cpu_period = 100000,
	    .has_pids_limit = true,
	    .pids_limit = 50,
	};
	if (cgroup_apply(cg, &r, &err) < 0)
		fail_msg("apply: %s", err->msg);
	uint64_t v;
	if (mode == CGROUP_V2) {
		assert_int_equal(cg_read_u64(cg->v2_dir, "memory.max", &v), 0);
		assert_int_equal(v, 64 << 20);
		assert_int_equal(cg_read_u64(cg->v2_dir, "pids.max", &v), 0);
		assert_int_equal(v, 50);
	} else {
		assert_int_equal(cg_read_u64(cg->v1_dir[CG1_MEMORY], "memory.limit_in_bytes", &v),
				 0);
		assert_int_equal(v, 64 << 20);
		assert_int_equal(
		    cg_read_u64(cg->v1_dir[CG1_MEMORY], "memory.soft_limit_in_bytes", &v), 0);
		assert_int_equal(v, 32 << 20);
		if (cg_read_u64(cg->v1_dir[CG1_MEMORY], "memory.memsw.limit_in_bytes", &v) == 0)
			assert_int_equal(v, 128 << 20);
		assert_int_equal(cg_read_u64(cg->v1_dir[CG1_CPU], "cpu.shares", &v), 0);
		assert_int_equal(v, 512);
		assert_int_equal(cg_read_u64(cg->v1_dir[CG1_CPU], "cpu.cfs_quota_us", &v), 0);
		assert_int_equal(v, 50000);
		assert_int_equal(cg_read_u64(cg->v1_dir[CG1_PIDS], "pids.max", &v), 0);
		assert_int_equal(v, 50);
	}
	/* Lowering below memsw and raising above it both work (order). */
	r.memory_limit = 16 << 20;
	r.memory_swap = 16 << 20;
	if (cgroup_apply(cg, &r, &err) < 0)
		fail_msg("apply lower: %s", err->msg);
	r.memory_limit = 256 << 20;
	r.memory_swap = 512 << 20;
	if (cgroup_apply(cg, &r, &err) < 0)
		fail_msg("apply higher: %s", err->msg);
	r = (struct oci_resources){.has_pids_limit = true, .pids_limit = 0};
	assert_int_equal(cgroup_apply(cg, &r, &err), 0);

	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	if (cgroup_add_pid(cg, child, &err) < 0)
		fail_msg("add pid: %s", err->msg);
	pid_t *pids;
	size_t n;
	assert_int_equal(cgroup_pids(cg, &pids, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pids[0], child);
	free(pids);

	struct cgroup_stats st;
	assert_int_equal(cgroup_stats(cg, &st, &err), 0);
	assert_int_equal(st.pids_current, 1);
	assert_int_equal(st.pids_limit, 0);
	assert_int_equal(st.memory_limit, 256 << 20);

	if (cgroup_freeze(cg, true, &err) < 0)
		fail_msg("freeze: %s", err->msg);
	char buf[32];
	if (mode != CGROUP_V2) {
		assert_true(cg_read(cg->v1_dir[CG1_FREEZER], "freezer.state", buf, sizeof(buf)) >
			    0);
		assert_string_equal(buf, "FROZEN");
	}
	if (cgroup_freeze(cg, false, &err) < 0)
		fail_msg("thaw: %s", err->msg);
	if (mode != CGROUP_V2) {
		assert_true(cg_read(cg->v1_dir[CG1_FREEZER], "freezer.state", buf, sizeof(buf)) >
			    0);
		assert_string_equal(buf, "THAWED");
	}

	if (cgroup_kill(cg, SIGKILL, &err) < 0)
		fail_msg("kill: %s", err->msg);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	child = -1;
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	if (cgroup_remove(cg, &err) < 0)
		fail_msg("remove: %s", err->msg);
	for (int i = 0; i < CG1_N; i++)
		assert_false(dir_exists(cg->v1_dir[i]));
	if (mode == CGROUP_V2)
		assert_false(dir_exists(cg->v2_dir));
	/* Removing again is fine. */
	assert_int_equal(cgroup_remove(cg, &err), 0);
	assert_int_equal(cgroup_stats(cg, &st, &err), -1);
	error_free(err);
	cgroup_free(cg);
}

/* The v2 code paths on the cgroup2 tree of a hybrid host: freeze, kill
 * and cpu.stat are core cgroup2 files, present without any controller. The
 * directory is made by hand so no controller gets enabled on the host. */
static void test_v2_core(void **state)
{
	if (geteuid() != 0 || cgroup_detect() != CGROUP_HYBRID) {
		print_message("skipped: needs root on a hybrid cgroup host\n");
		skip();
	}
	char path[96];
	snprintf(path, sizeof(path), "%s-v2", parent);
	struct cgroup *cg = NULL;
	struct error *err = NULL;
	assert_int_equal(cgroup_open(path, &cg, &err), 0);
	for (int i = 0; i < CG1_N; i++) {
		free(cg->v1_dir[i]);
		cg->v1_dir[i] = NULL;
	}
	cg->mode = CGROUP_V2;
	char events[256];
	snprintf(events, sizeof(events), "%s/cgroup.kill", cg->v2_dir);
	if (mkdir(cg->v2_dir, 0755) < 0 || access(events, F_OK) < 0) {
		rmdir(cg->v2_dir);
		cgroup_free(cg);
		print_message("skipped: no cgroup.kill in the cgroup2 tree\n");
		skip();
	}
	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	if (cgroup_add_pid(cg, child, &err) < 0)
		fail_msg("add pid: %s", err->msg);
	pid_t *pids;
	size_t n;
	assert_int_equal(cgroup_pids(cg, &pids, &n, &err), 0);
	assert_int_equal(n, 1);
	free(pids);
	if (cgroup_freeze(cg, true, &err) < 0)
		fail_msg("freeze: %s", err->msg);
	uint64_t frozen = 0;
	assert_int_equal(cg_read_key(cg->v2_dir, "cgroup.events", "frozen", &frozen), 0);
	assert_int_equal(frozen, 1);
	if (cgroup_freeze(cg, false, &err) < 0)
		fail_msg("thaw: %s", err->msg);
	struct cgroup_stats st;
	assert_int_equal(cgroup_stats(cg, &st, &err), 0);
	/* No pids controller here: the limit write must fail, naming the file. */
	struct oci_resources r = {.has_pids_limit = true, .pids_limit = 5};
	assert_int_equal(cgroup_apply(cg, &r, &err), -1);
	assert_non_null(strstr(err->msg, "pids.max"));
	error_free(err);
	err = NULL;
	if (cgroup_kill(cg, SIGKILL, &err) < 0)
		fail_msg("kill: %s", err->msg);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	child = -1;
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	if (cgroup_remove(cg, &err) < 0)
		fail_msg("remove: %s", err->msg);
	assert_false(dir_exists(cg->v2_dir));
	cgroup_free(cg);
}

static void test_stats_json(void **state)
{
	struct cgroup_stats st = {.memory_usage = 1000,
				  .memory_max_usage = 2000,
				  .memory_limit = UINT64_MAX,
				  .pids_current = 3,
				  .pids_limit = 50,
				  .cpu_usage_ns = 123456789,
				  .cpu_user_ns = 100,
				  .cpu_system_ns = 200};
	char *s = cgroup_stats_event_json("c1", &st);
	assert_non_null(s);
	assert_non_null(strstr(s, "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{\"cpu\":"));
	assert_non_null(strstr(s, "\"usage\":{\"total\":123456789,\"kernel\":200,\"user\":100}"));
	assert_non_null(
	    strstr(s, "\"usage\":{\"limit\":9223372036854775807,\"usage\":1000,\"max\":2000"));
	assert_non_null(strstr(s, "\"pids\":{\"current\":3,\"limit\":50}"));
	free(s);
}

/* The sandbox's cgroup: --systemd-cgroup's default unit, resources
 * written, the process inside; removal kills what is left and removes the
 * directories. */
static void test_sandbox(void **state)
{
	if (geteuid() != 0 || cgroup_detect() == CGROUP_NONE) {
		print_message("skipped: needs root and a cgroup file system\n");
		skip();
	}
	char id[64];
	snprintf(id, sizeof(id), "unit-sb-%d", (int)getpid());
	struct oci_spec spec = {.has_linux = true};
	spec.linux_.has_resources = true;
	spec.linux_.resources = (struct oci_resources){.has_pids_limit = true, .pids_limit = 33};
	pid_t pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	char *path = NULL;
	struct error *err = NULL;
	if (cgroup_sandbox_create(&spec, NULL, id, true, pid, &path, &err) < 0)
		fail_msg("create: %s", err->msg);
	char want[128];
	snprintf(want, sizeof(want), "/system.slice/cvisor-%s.scope", id);
	assert_string_equal(path, want);
	struct cgroup *cg = NULL;
	assert_int_equal(cgroup_open(path, &cg, &err), 0);
	pid_t *pids;
	size_t n;
	assert_int_equal(cgroup_pids(cg, &pids, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pids[0], pid);
	free(pids);
	struct cgroup_stats st;
	assert_int_equal(cgroup_stats(cg, &st, &err), 0);
	assert_int_equal(st.pids_limit, 33);
	/* The process is still there: removal kills it first. */
	assert_int_equal(cgroup_sandbox_remove(path, &err), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	const char *dir = cg->mode == CGROUP_V2 ? cg->v2_dir : cg->v1_dir[CG1_PIDS];
	assert_false(dir_exists(dir));
	assert_int_equal(cgroup_sandbox_remove(path, &err), 0); /* gone: fine */
	cgroup_free(cg);
	/* The empty parents are ours to tidy here. */
	cgroup_open("/system.slice", &cg, NULL);
	for (int i = 0; cg && i < CG1_N; i++)
		if (cg->v1_dir[i])
			rmdir(cg->v1_dir[i]);
	if (cg && cg->v2_dir)
		rmdir(cg->v2_dir);
	cgroup_free(cg);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paths),     cmocka_unit_test(test_stats_json),
	    cmocka_unit_test(test_lifecycle), cmocka_unit_test(test_v2_core),
	    cmocka_unit_test(test_sandbox),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
