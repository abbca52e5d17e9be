/* cvisor install [--config-file F] [--runtime NAME] [-- ARGS...]: registers
 * this binary as a Docker runtime: daemon.json (default
 * /etc/docker/daemon.json) gets "runtimes": {NAME: {"path": ...,
 * "runtimeArgs": ARGS}}, the rest of the file kept; the file is replaced
 * atomically. `uninstall` takes the entry out again. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "lib/cleanup.h"
#include "oci/json_util.h"

/* The current daemon.json, or {} if there is none (or it is empty). */
static json_t *load(const char *path, struct error **err)
{
	struct stat sb;
	if (stat(path, &sb) < 0) {
		if (errno == ENOENT)
			return json_object();
		error_set(err, errno, "`%s`", path);
		return NULL;
	}
	if (sb.st_size == 0)
		return json_object();
	return oj_load_object(path, err);
}

/* Writes j to path through a temporary file in the same directory. */
static int save(const char *path, json_t *j, struct error **err)
{
	cleanup_free char *tmp = NULL;
	if (asprintf(&tmp, "%s.cvisor-tmp", path) < 0)
		return error_set(err, ENOMEM, "`%s`", path);
	struct stat sb;
	mode_t mode = stat(path, &sb) == 0 ? (sb.st_mode & 07777) : 0644;
	if (json_dump_file(j, tmp, JSON_INDENT(4) | JSON_PRESERVE_ORDER) < 0 ||
	    chmod(tmp, mode) < 0 || rename(tmp, path) < 0) {
		int e = errno ? errno : EIO;
		unlink(tmp);
		return error_set(err, e, "write `%s`", path);
	}
	return 0;
}

static int edit(const char *path, const char *name, json_t *entry, struct error **err)
{
	json_t *j = load(path, err);
	if (!j)
		return error_wrap(err, "install");
	json_t *rt = json_object_get(j, "runtimes");
	int rc = 0;
	if (rt && !json_is_object(rt)) {
		rc = error_set(err, EINVAL, "install: `runtimes` in `%s` is not an object", path);
	} else if (entry) {
		if (!rt)
			json_object_set_new(j, "runtimes", rt = json_object());
		json_object_set(rt, name, entry);
	} else if (rt) {
		json_object_del(rt, name);
	}
	if (rc == 0)
		rc = save(path, j, err);
	json_decref(j);
	return rc;
}

static int run(int argc, char **argv, bool install, struct error **err)
{
	static const struct option opts[] = {
	    {"config-file", required_argument, 0, 'c'},
	    {"runtime", required_argument, 0, 'r'},
	    {0, 0, 0, 0},
	};
	const char *path = "/etc/docker/daemon.json", *name = "cvisor";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'c')
			path = optarg;
		else if (c == 'r')
			name = optarg;
		else
			return error_set(err, EINVAL,
					 "usage: cvisor %s [--config-file F] [--runtime NAME]%s",
					 argv[0], install ? " [-- RUNTIME-ARGS...]" : "");
	}
	if (!*name)
		return error_set(err, EINVAL, "%s: --runtime must not be empty", argv[0]);
	if (!install)
		return optind == argc
			   ? edit(path, name, NULL, err)
			   : error_set(err, EINVAL, "uninstall: unexpected `%s`", argv[optind]);
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return error_set(err, errno, "install: find this binary");
	self[n] = 0;
	json_t *args = json_array();
	for (int i = optind; i < argc; i++)
		json_array_append_new(args, json_string(argv[i]));
	json_t *entry = json_pack("{s:s, s:o}", "path", self, "runtimeArgs", args);
	int rc = entry ? edit(path, name, entry, err) : error_set(err, EINVAL, "install: bad arg");
	json_decref(entry);
	return rc;
}

int cmd_install(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	return run(argc, argv, true, err);
}

int cmd_uninstall(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	return run(argc, argv, false, err);
}
