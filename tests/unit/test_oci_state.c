/* State directories: ids, atomic save/load, list, lock, delete and the
 * live status (dead pid, reused pid, zombie). Runs in a temporary root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "oci/state.h"

static char root[64];

static int setup(void **state)
{
	strcpy(root, "/tmp/cvisor-state-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd) == 0 ? 0 : -1;
}

static struct oci_state *make_state(const char *id, pid_t pid)
{
	struct oci_state *st = calloc(1, sizeof(*st));
	char now[64];
	oci_time_now(now);
	st->id = strdup(id);
	st->pid = pid;
	st->pid_start_time = oci_pid_start_time(pid);
	st->status = OCI_STATUS_RUNNING;
	st->bundle = strdup("/bundle");
	st->rootfs = strdup("/bundle/rootfs");
	st->created = strdup(now);
	st->owner = strdup("root");
	st->n_annotations = 1;
	st->annotations = calloc(1, sizeof(struct oci_kv));
	st->annotations[0].key = strdup("io.kubernetes.cri.sandbox-id");
	st->annotations[0].value = strdup("pod1");
	st->sandbox_id = strdup("pod1");
	st->control_socket = strdup("/run/cvisor/x/sentry.sock");
	st->cgroup_path = strdup("/cvisor/x");
	return st;
}

static void test_ids(void **state)
{
	const char *good[] = {"a", "abc-DEF_1.2+3", "...", "a..b",
			      "0123456789012345678901234567890123456789012345678901234567890123"};
	const char *bad[] = {"", ".", "..", "a/b", "/", "a b", "a\nb", "ü", "a:b", "../x"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(oci_id_validate(good[i], NULL), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct error *err = NULL;
		assert_int_equal(oci_id_validate(bad[i], &err), -1);
		assert_non_null(err);
		error_free(err);
	}
	char longid[300];
	memset(longid, 'a', sizeof(longid) - 1);
	longid[299] = 0;
	assert_int_equal(oci_id_validate(longid, NULL), -1);
	longid[255] = 0;
	assert_int_equal(oci_id_validate(longid, NULL), 0);
}

static void test_save_load(void **state)
{
	struct error *err = NULL;
	assert_int_equal(oci_state_create_dir(root, "c1", &err), 0);
	assert_int_equal(oci_state_create_dir(root, "c1", &err), -1);
	assert_int_equal(err->status, EEXIST);
	assert_string_equal(err->msg, "container `c1` already exists");
	error_free(err);
	err = NULL;

	struct oci_state *st = make_state("c1", getpid());
	assert_int_equal(oci_state_save(root, st, &err), 0);
	st->status = OCI_STATUS_PAUSED;
	assert_int_equal(oci_state_save(root, st, &err), 0);

	struct oci_state *got = NULL;
	assert_int_equal(oci_state_load(root, "c1", &got, &err), 0);
	assert_string_equal(got->id, "c1");
	assert_int_equal(got->pid, getpid());
	assert_int_equal(got->status, OCI_STATUS_PAUSED);
	assert_string_equal(got->bundle, "/bundle");
	assert_string_equal(got->rootfs, "/bundle/rootfs");
	assert_string_equal(got->created, st->created);
	assert_string_equal(got->owner, "root");
	assert_int_equal(got->n_annotations, 1);
	assert_string_equal(got->annotations[0].value, "pod1");
	assert_true(got->pid_start_time == st->pid_start_time);
	assert_true(got->pid_start_time != 0);
	assert_string_equal(got->sandbox_id, "pod1");
	assert_string_equal(got->control_socket, "/run/cvisor/x/sentry.sock");
	assert_string_equal(got->cgroup_path, "/cvisor/x");
	assert_int_equal(oci_state_status(got), OCI_STATUS_PAUSED);

	/* No temporary files left behind. */
	char dir[128];
	snprintf(dir, sizeof(dir), "%s/c1", root);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) = 1", dir);
	assert_int_equal(system(cmd), 0);

	oci_state_free(got);
	oci_state_free(st);
}

static void test_load_errors(void **state)
{
	struct error *err = NULL;
	struct oci_state *st = NULL;
	assert_int_equal(oci_state_load(root, "nope", &st, &err), -1);
	assert_int_equal(err->status, ENOENT);
	assert_string_equal(err->msg, "container `nope` does not exist");
	error_free(err);
	err = NULL;
	assert_int_equal(oci_state_load(root, "../etc", &st, &err), -1);
	error_free(err);
	err = NULL;

	/* A corrupt state.json is an error naming the file, not a crash. */
	assert_int_equal(oci_state_create_dir(root, "bad", &err), 0);
	char path[128];
	snprintf(path, sizeof(path), "%s/bad/state.json", root);
	FILE *f = fopen(path, "w");
	fputs("{\"id\":\"bad\",\"status\":\"dancing\"}", f);
	fclose(f);
	assert_int_equal(oci_state_load(root, "bad", &st, &err), -1);
	assert_non_null(strstr(err->msg, "unknown status `dancing`"));
	error_free(err);
	err = NULL;
	f = fopen(path, "w");
	fputs("{\"id\":\"other\",\"status\":\"created\"}", f);
	fclose(f);
	assert_int_equal(oci_state_load(root, "bad", &st, &err), -1);
	error_free(err);
	assert_int_equal(oci_state_delete(root, "bad", NULL), 0);
}

static void test_status(void **state)
{
	struct oci_state *st = make_state("s", getpid());
	assert_int_equal(oci_state_status(st), OCI_STATUS_RUNNING);
	st->pid_start_time += 1; /* as if the pid now belonged to another process */
	assert_int_equal(oci_state_status(st), OCI_STATUS_STOPPED);
	st->pid_start_time -= 1;
	st->status = OCI_STATUS_STOPPED;
	assert_int_equal(oci_state_status(st), OCI_STATUS_STOPPED);
	st->status = OCI_STATUS_CREATING;
	st->pid = 0;
	assert_int_equal(oci_state_status(st), OCI_STATUS_CREATING);
	st->status = OCI_STATUS_CREATED;
	assert_int_equal(oci_state_status(st), OCI_STATUS_STOPPED);

	/* A zombie, then a reaped (gone) pid. */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	st->pid = child;
	st->pid_start_time = oci_pid_start_time(child);
	for (int i = 0; i < 200; i++) {
		if (oci_state_status(st) == OCI_STATUS_STOPPED)
			break;
		usleep(5000);
	}
	assert_int_equal(oci_state_status(st), OCI_STATUS_STOPPED);
	waitpid(child, NULL, 0);
	assert_int_equal(oci_state_status(st), OCI_STATUS_STOPPED);
	assert_int_equal(oci_pid_start_time(child), 0);

	/* The public state: stopped means pid 0. */
	char *json = oci_state_json(st);
	assert_non_null(strstr(json, "\"pid\": 0"));
	assert_non_null(strstr(json, "\"status\": \"stopped\""));
	assert_non_null(strstr(json, "\"io.kubernetes.cri.sandbox-id\": \"pod1\""));
	assert_null(strstr(json, "cvisor"));
	free(json);
	json = oci_state_hook_json(st, OCI_STATUS_CREATED);
	assert_non_null(strstr(json, "\"status\":\"created\""));
	assert_non_null(strstr(json, "\"bundle\":\"/bundle\""));
	free(json);
	oci_state_free(st);
}

static void test_list(void **state)
{
	const char *ids[] = {"zeta", "alpha", "mid"};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(oci_state_create_dir(root, ids[i], NULL), 0);
		struct oci_state *st = make_state(ids[i], getpid());
		assert_int_equal(oci_state_save(root, st, NULL), 0);
		oci_state_free(st);
	}
	/* Not containers: an empty directory and a stray file. */
	assert_int_equal(oci_state_create_dir(root, "empty", NULL), 0);
	char path[128];
	snprintf(path, sizeof(path), "%s/stray", root);
	close(open(path, O_CREAT | O_WRONLY, 0600));

	struct oci_state **v = NULL;
	size_t n = 0;
	struct error *err = NULL;
	assert_int_equal(oci_state_list(root, &v, &n, &err), 0);
	assert_true(n >= 3);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(v[i - 1]->id, v[i]->id) < 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(oci_state_print_list(f, v, n, OCI_LIST_TABLE, false, &err), 0);
	fclose(f);
	assert_int_equal(strncmp(buf, "ID          PID ", 16), 0);
	assert_non_null(strstr(buf, "\nalpha       "));
	assert_non_null(strstr(buf, "running"));
	free(buf);
	f = open_memstream(&buf, &len);
	assert_int_equal(oci_state_print_list(f, v, n, OCI_LIST_JSON, false, &err), 0);
	fclose(f);
	assert_int_equal(buf[0], '[');
	assert_non_null(strstr(buf, "\"id\":\"zeta\""));
	free(buf);
	f = open_memstream(&buf, &len);
	assert_int_equal(oci_state_print_list(f, v, n, OCI_LIST_TABLE, true, &err), 0);
	fclose(f);
	assert_non_null(strstr(buf, "alpha\n"));
	assert_null(strstr(buf, "ID"));
	free(buf);
	oci_state_list_free(v, n);

	assert_int_equal(oci_state_list("/nonexistent/root", &v, &n, &err), 0);
	assert_int_equal(n, 0);
}

static void test_lock_and_delete(void **state)
{
	struct error *err = NULL;
	int fd = -1;
	assert_int_equal(oci_state_create_dir(root, "L", &err), 0);
	assert_int_equal(oci_state_lock(root, "L", &fd, &err), 0);
	/* Another open of the lock file cannot take it meanwhile. */
	char path[128];
	snprintf(path, sizeof(path), "%s/L/lock", root);
	int other = open(path, O_RDWR);
	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);

	/* Nested content goes too. */
	snprintf(path, sizeof(path), "%s/L/sub", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/L/sub/f", root);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	assert_int_equal(oci_state_delete(root, "L", &err), 0);
	close(fd);
	/* The waiter that gets the lock after a delete sees it is gone. */
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), 0);
	close(other);
	assert_int_equal(oci_state_lock(root, "L", &fd, &err), -1);
	assert_int_equal(err->status, ENOENT);
	error_free(err);
	err = NULL;
	assert_int_equal(oci_state_delete(root, "L", &err), 0);
	assert_int_equal(oci_state_delete(root, "a/b", &err), -1);
	error_free(err);
}

static void test_time(void **state)
{
	char t[64];
	oci_time_now(t);
	/* 2026-11-28T13:00:00[.nnn]Z */
	assert_true(strlen(t) >= 20);
	assert_int_equal(t[4], '-');
	assert_int_equal(t[10], 'T');
	assert_int_equal(t[strlen(t) - 1], 'Z');
	if (t[19] == '.')
		assert_true(t[strlen(t) - 2] != '0');
}

static void test_state_new(void **state)
{
	const char *json = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
			   "\"annotations\":{\"a\":\"b\"}}";
	struct oci_spec *spec = NULL;
	struct error *err = NULL;
	assert_int_equal(oci_spec_parse(json, strlen(json), "config.json", &spec, &err), 0);
	char bundle[128], rootfs[160];
	snprintf(bundle, sizeof(bundle), "%s/bundle", root);
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	mkdir(bundle, 0755);
	mkdir(rootfs, 0755);
	struct oci_state *st = NULL;
	assert_int_equal(oci_state_new(spec, "new1", bundle, &st, &err), 0);
	assert_string_equal(st->id, "new1");
	assert_string_equal(st->bundle, bundle);
	assert_string_equal(st->rootfs, rootfs);
	assert_string_equal(st->oci_version, "1.0.2");
	assert_int_equal(st->status, OCI_STATUS_CREATING);
	assert_int_equal(st->pid, 0);
	assert_non_null(st->owner);
	assert_int_equal(st->n_annotations, 1);
	assert_string_equal(st->annotations[0].value, "b");
	assert_int_equal(oci_state_status(st), OCI_STATUS_CREATING);
	oci_state_free(st);
	assert_int_equal(oci_state_new(spec, "bad/id", bundle, &st, &err), -1);
	error_free(err);
	err = NULL;
	assert_int_equal(oci_state_new(spec, "x", "/nonexistent/bundle", &st, &err), -1);
	assert_non_null(strstr(err->msg, "`/nonexistent/bundle`"));
	error_free(err);
	oci_spec_free(spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ids),		cmocka_unit_test(test_save_load),
	    cmocka_unit_test(test_load_errors), cmocka_unit_test(test_status),
	    cmocka_unit_test(test_list),	cmocka_unit_test(test_lock_and_delete),
	    cmocka_unit_test(test_time),	cmocka_unit_test(test_state_new),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
