/* Finding, creating and removing the container's cgroup; the parts that do
 * not depend on the cgroup version. See cgroup.h. */
#include "sandbox/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "sandbox/cgroup_internal.h"

const char *const cgroup_v1_names[CG1_N] = {
    [CG1_CPU] = "cpu",	       [CG1_CPUACCT] = "cpuacct", [CG1_CPUSET] = "cpuset",
    [CG1_MEMORY] = "memory",   [CG1_PIDS] = "pids",	  [CG1_FREEZER] = "freezer",
    [CG1_DEVICES] = "devices", [CG1_BLKIO] = "blkio",	  [CG1_SYSTEMD] = "name=systemd",
};

struct mounts {
	char *v2;
	char *v1[CG1_N];
};

static void mounts_clear(struct mounts *m)
{
	free(m->v2);
	for (int i = 0; i < CG1_N; i++)
		free(m->v1[i]);
	memset(m, 0, sizeof(*m));
}

/* Is ctl one of the comma-separated words of list? */
static bool has_word(const char *list, const char *ctl)
{
	size_t n = strlen(ctl);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, ctl, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* Reads the cgroup mounts from /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT
 * MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS". The first mount
 * of each hierarchy wins. */
static void mounts_read(struct mounts *m)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		char *sep = strstr(line, " - ");
		if (!sep)
			continue;
		char mnt[4096], fstype[64], super[1024];
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		if (strcmp(fstype, "cgroup2") == 0) {
			if (!m->v2)
				m->v2 = strdup(mnt);
		} else if (strcmp(fstype, "cgroup") == 0) {
			for (int i = 0; i < CG1_N; i++)
				if (!m->v1[i] && has_word(super, cgroup_v1_names[i]))
					m->v1[i] = strdup(mnt);
		}
	}
	free(line);
	fclose(f);
}

static enum cgroup_mode mode_of(const struct mounts *m)
{
	bool v1 = false;
	for (int i = 0; i < CG1_N; i++)
		if (i != CG1_SYSTEMD && m->v1[i])
			v1 = true;
	if (v1)
		return m->v2 ? CGROUP_HYBRID : CGROUP_V1;
	return m->v2 ? CGROUP_V2 : CGROUP_NONE;
}

enum cgroup_mode cgroup_detect(void)
{
	struct mounts m = {0};
	mounts_read(&m);
	enum cgroup_mode mode = mode_of(&m);
	mounts_clear(&m);
	return mode;
}

const char *cgroup_mode_name(enum cgroup_mode m)
{
	switch (m) {
	case CGROUP_V1:
		return "v1";
	case CGROUP_V2:
		return "v2";
	case CGROUP_HYBRID:
		return "hybrid";
	default:
		return "none";
	}
}

/* "a-b.slice" -> "/a.slice/a-b.slice", as systemd nests slices. */
static int expand_slice(const char *slice, char **out)
{
	size_t len = strlen(slice);
	if (len < 6 || strcmp(slice + len - 6, ".slice") != 0 || strchr(slice, '/'))
		return -1;
	if (strcmp(slice, "-.slice") == 0)
		return (*out = strdup("")) ? 0 : -1;
	char *acc = strdup("");
	const char *stem_end = slice + len - 6;
	for (const char *p = slice; acc; p++) {
		if (p == stem_end || *p == '-') {
			char *next;
			if (asprintf(&next, "%s/%.*s.slice", acc, (int)(p - slice), slice) < 0)
				next = NULL;
			free(acc);
			acc = next;
			if (p == stem_end)
				break;
		}
	}
	*out = acc;
	return acc ? 0 : -1;
}

int cgroup_path_for(const char *cgroups_path, const char *id, char **out, struct error **err)
{
	if (!cgroups_path || !*cgroups_path) {
		if (asprintf(out, "/cvisor/%s", id) < 0)
			return error_set(err, ENOMEM, "cgroup path");
		return 0;
	}
	/* systemd's "slice:prefix:name" (runc --systemd-cgroup). */
	const char *c1 = strchr(cgroups_path, ':');
	if (c1 && cgroups_path[0] != '/') {
		const char *c2 = strchr(c1 + 1, ':');
		if (!c2 || strchr(c2 + 1, ':'))
			return error_set(err, EINVAL,
					 "`linux.cgroupsPath` `%s`: expected slice:prefix:name",
					 cgroups_path);
		cleanup_free char *slice = strndup(cgroups_path, (size_t)(c1 - cgroups_path));
		cleanup_free char *dir = NULL;
		if (!*slice) {
			free(slice);
			slice = strdup("system.slice");
		}
		if (expand_slice(slice, &dir) < 0)
			return error_set(err, EINVAL, "`linux.cgroupsPath`: bad slice `%s`", slice);
		if (asprintf(out, "%s/%.*s-%s.scope", dir, (int)(c2 - c1 - 1), c1 + 1, c2 + 1) < 0)
			return error_set(err, ENOMEM, "cgroup path");
		return 0;
	}
	for (const char *p = cgroups_path; *p;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return error_set(err, EINVAL,
					 "`linux.cgroupsPath` `%s` must not contain `..`",
					 cgroups_path);
		p += len;
		while (*p == '/')
			p++;
	}
	if (!(*out = strdup(cgroups_path)))
		return error_set(err, ENOMEM, "cgroup path");
	return 0;
}

/* The runtime's own cgroup in a hierarchy, from /proc/self/cgroup, for
 * relative paths. ctl NULL means the v2 line ("0::/path"). */
static char *own_cgroup(const char *ctl)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return NULL;
	char *line = NULL, *res = NULL;
	size_t cap = 0;
	while (!res && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = 0;
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = 0;
		bool match = ctl ? has_word(c1 + 1, ctl) : (strcmp(line, "0:") == 0);
		if (match)
			res = strdup(c2 + 1);
	}
	free(line);
	fclose(f);
	return res;
}

static char *join_dir(const char *mnt, const char *ctl, const char *path)
{
	char *dir = NULL;
	if (path[0] == '/') {
		if (asprintf(&dir, "%s%s", mnt, path) < 0)
			return NULL;
	} else {
		cleanup_free char *own = own_cgroup(ctl);
		const char *base = own && strcmp(own, "/") != 0 ? own : "";
		if (asprintf(&dir, "%s%s/%s", mnt, base, path) < 0)
			return NULL;
	}
	/* No trailing slash: the directory is also a name in messages. */
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = 0;
	return dir;
}

void cgroup_free(struct cgroup *cg)
{
	if (!cg)
		return;
	free(cg->path);
	free(cg->v2_dir);
	for (int i = 0; i < CG1_N; i++)
		free(cg->v1_dir[i]);
	free(cg);
}

int cgroup_open(const char *path, struct cgroup **out, struct error **err)
{
	struct mounts m = {0};
	mounts_read(&m);
	struct cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg || !(cg->path = strdup(path))) {
		free(cg);
		mounts_clear(&m);
		return error_set(err, ENOMEM, "cgroup `%s`", path);
	}
	cg->mode = mode_of(&m);
	if (cg->mode == CGROUP_NONE) {
		mounts_clear(&m);
		cgroup_free(cg);
		return error_set(err, ENOENT, "no cgroup file system is mounted");
	}
	bool oom = false;
	if (m.v2 && !(cg->v2_dir = join_dir(m.v2, NULL, path)))
		oom = true;
	for (int i = 0; i < CG1_N; i++)
		if (m.v1[i] && !(cg->v1_dir[i] = join_dir(m.v1[i], cgroup_v1_names[i], path)))
			oom = true;
	mounts_clear(&m);
	if (oom) {
		cgroup_free(cg);
		return error_set(err, ENOMEM, "cgroup `%s`", path);
	}
	*out = cg;
	return 0;
}

/* mkdir -p below the hierarchy's mount point. For cpuset, each new level
 * needs cpus and mems from its parent before a task may join. */
static int make_dirs(const char *dir, bool cpuset, struct error **err)
{
	cleanup_free char *p = strdup(dir);
	if (!p)
		return error_set(err, ENOMEM, "mkdir `%s`", dir);
	/* Start after "/sys/fs/cgroup/<ctl>": it exists. */
	for (char *s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;
		*s = 0;
		struct stat st;
		if (stat(p, &st) < 0) {
			if (mkdir(p, 0755) < 0 && errno != EEXIST)
				return error_set(err, errno, "mkdir `%s`", p);
			if (cpuset) {
				char parent[4096], buf[1024];
				snprintf(parent, sizeof(parent), "%s", p);
				*strrchr(parent, '/') = 0;
				if (cg_read(p, "cpuset.cpus", buf, sizeof(buf)) == 0 &&
				    cg_read(parent, "cpuset.cpus", buf, sizeof(buf)) > 0 &&
				    cg_write(p, "cpuset.cpus", buf, err) < 0)
					return -1;
				if (cg_read(p, "cpuset.mems", buf, sizeof(buf)) == 0 &&
				    cg_read(parent, "cpuset.mems", buf, sizeof(buf)) > 0 &&
				    cg_write(p, "cpuset.mems", buf, err) < 0)
					return -1;
			}
		}
		if (!c)
			break;
		*s = c;
	}
	return 0;
}

/* In v2, a controller works in a cgroup only if every ancestor enables it
 * in cgroup.subtree_control. Enables what the root offers, best effort:
 * a controller the kernel refuses is simply not enforced. */
static void v2_enable_controllers(const char *mnt, const char *dir)
{
	char avail[1024];
	if (cg_read(mnt, "cgroup.controllers", avail, sizeof(avail)) <= 0)
		return;
	cleanup_free char *p = strdup(dir);
	if (!p)
		return;
	size_t mlen = strlen(mnt);
	for (char *s = p + mlen;; s++) {
		if (*s && *s != '/')
			continue;
		if (!*s)
			break; /* the leaf: processes live here, no subtree control */
		char c = *s;
		*s = 0;
		char word[64];
		for (const char *q = avail; sscanf(q, "%63s", word) == 1;) {
			char val[80];
			snprintf(val, sizeof(val), "+%s", word);
			cg_write(p, "cgroup.subtree_control", val, NULL);
			q = strstr(q, word) + strlen(word);
		}
		*s = c;
	}
}

int cgroup_create(const char *path, struct cgroup **out, struct error **err)
{
	struct cgroup *cg;
	if (cgroup_open(path, &cg, err) < 0)
		return -1;
	if (cg->v2_dir) {
		struct error *e2 = NULL;
		int rc = make_dirs(cg->v2_dir, false, &e2);
		/* Hybrid: the unified tree only tracks; not fatal there. */
		if (rc < 0 && cg->mode == CGROUP_V2) {
			cgroup_free(cg);
			if (!err) {
				error_free(e2);
				return -1;
			}
			error_free(*err);
			*err = e2;
			return error_wrap(err, "create cgroup `%s`", path);
		}
		error_free(e2);
		if (rc < 0) {
			free(cg->v2_dir);
			cg->v2_dir = NULL;
		} else if (cg->mode == CGROUP_V2) {
			struct mounts m = {0};
			mounts_read(&m);
			if (m.v2)
				v2_enable_controllers(m.v2, cg->v2_dir);
			mounts_clear(&m);
		}
	}
	for (int i = 0; i < CG1_N; i++) {
		if (!cg->v1_dir[i])
			continue;
		if (make_dirs(cg->v1_dir[i], i == CG1_CPUSET, err) < 0) {
			cgroup_remove(cg, NULL);
			cgroup_free(cg);
			return error_wrap(err, "create cgroup `%s`", path);
		}
	}
	*out = cg;
	return 0;
}

int cgroup_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err)
{
	int rc = cg->mode == CGROUP_V2 ? cgroup_v2_apply(cg, r, err) : cgroup_v1_apply(cg, r, err);
	return rc < 0 ? error_wrap(err, "cgroup `%s`", cg->path) : 0;
}

int cgroup_add_pid(struct cgroup *cg, pid_t pid, struct error **err)
{
	char val[32];
	snprintf(val, sizeof(val), "%d", (int)pid);
	/* In hybrid mode the unified tree only tracks: best effort. */
	if (cg->v2_dir &&
	    cg_write(cg->v2_dir, "cgroup.procs", val, cg->mode == CGROUP_V2 ? err : NULL) < 0 &&
	    cg->mode == CGROUP_V2)
		return error_wrap(err, "add pid %d to cgroup", (int)pid);
	for (int i = 0; i < CG1_N; i++)
		if (cg->v1_dir[i] && cg_write(cg->v1_dir[i], "cgroup.procs", val, err) < 0)
			return error_wrap(err, "add pid %d to cgroup", (int)pid);
	return 0;
}

/* The directory whose cgroup.procs lists every process of the container. */
static const char *procs_dir(struct cgroup *cg)
{
	if (cg->mode == CGROUP_V2)
		return cg->v2_dir;
	const enum cgroup_v1_ctl order[] = {CG1_FREEZER, CG1_PIDS, CG1_MEMORY, CG1_CPU};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (cg->v1_dir[order[i]])
			return cg->v1_dir[order[i]];
	return cg->v2_dir;
}

int cgroup_pids(struct cgroup *cg, pid_t **out, size_t *n, struct error **err)
{
	*out = NULL;
	*n = 0;
	const char *dir = procs_dir(cg);
	if (!dir)
		return error_set(err, ENOENT, "cgroup `%s` has no directory", cg->path);
	char path[4096];
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	FILE *f = fopen(path, "re");
	if (!f)
		return error_set(err, errno, "open `%s`", path);
	pid_t *v = NULL;
	size_t count = 0, cap = 0;
	int pid;
	while (fscanf(f, "%d", &pid) == 1) {
		if (count == cap) {
			cap = cap ? cap * 2 : 32;
			pid_t *nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				fclose(f);
				return error_set(err, ENOMEM, "read `%s`", path);
			}
			v = nv;
		}
		v[count++] = pid;
	}
	fclose(f);
	*out = v;
	*n = count;
	return 0;
}

int cgroup_stats(struct cgroup *cg, struct cgroup_stats *st, struct error **err)
{
	memset(st, 0, sizeof(*st));
	int rc = cg->mode == CGROUP_V2 ? cgroup_v2_stats(cg, st) : cgroup_v1_stats(cg, st);
	if (rc < 0)
		return error_set(err, errno, "read stats of cgroup `%s`", cg->path);
	return 0;
}

int cgroup_freeze(struct cgroup *cg, bool frozen, struct error **err)
{
	int rc = cg->mode == CGROUP_V2 ? cgroup_v2_freeze(cg, frozen, err)
				       : cgroup_v1_freeze(cg, frozen, err);
	return rc < 0 ? error_wrap(err, "%s cgroup `%s`", frozen ? "freeze" : "thaw", cg->path) : 0;
}

int cgroup_kill(struct cgroup *cg, int sig, struct error **err)
{
	if (sig == SIGKILL && cg->mode == CGROUP_V2 &&
	    cg_write(cg->v2_dir, "cgroup.kill", "1", NULL) == 0)
		return 0;
	/* Frozen, no process can fork a child we would miss. A kernel without a
	 * freezer still gets the signals, just without that guarantee. */
	bool frozen = cgroup_freeze(cg, true, NULL) == 0;
	pid_t *pids;
	size_t n;
	int rc = cgroup_pids(cg, &pids, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (kill(pids[i], sig) < 0 && errno != ESRCH)
			rc = error_set(err, errno, "kill pid %d", (int)pids[i]);
	free(pids);
	if (frozen)
		cgroup_freeze(cg, false, NULL);
	return rc < 0 ? error_wrap(err, "kill cgroup `%s`", cg->path) : 0;
}

/* rmdir that waits out EBUSY: the kernel frees a cgroup only after its
 * last process is fully gone, a little after exit. */
static int rmdir_retry(const char *dir)
{
	for (int i = 0;; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || i >= 20)
			return -1;
		nanosleep(&(struct timespec){0, (i < 5 ? 10 : 50) * 1000000L}, NULL);
	}
}

int cgroup_remove(struct cgroup *cg, struct error **err)
{
	int rc = 0;
	for (int i = 0; i < CG1_N; i++) {
		if (!cg->v1_dir[i])
			continue;
		/* Co-mounted controllers share a directory: removed already. */
		if (rmdir_retry(cg->v1_dir[i]) < 0 && rc == 0)
			rc = error_set(err, errno, "remove `%s`", cg->v1_dir[i]);
	}
	if (cg->v2_dir && rmdir_retry(cg->v2_dir) < 0 && rc == 0)
		rc = error_set(err, errno, "remove `%s`", cg->v2_dir);
	return rc;
}

int cg_write(const char *dir, const char *file, const char *val, struct error **err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "open `%s`", path);
	size_t len = strlen(val);
	ssize_t w = write(fd, val, len);
	if (w < 0)
		return error_set(err, errno, "write `%s` to `%s`", val, path);
	if ((size_t)w != len)
		return error_set(err, EIO, "short write to `%s`", path);
	return 0;
}

ssize_t cg_read(const char *dir, const char *file, char *buf, size_t size)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	if (n < 0)
		return -1;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = 0;
	return n;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *out)
{
	char buf[64];
	if (cg_read(dir, file, buf, sizeof(buf)) < 0)
		return -1;
	if (strcmp(buf, "max") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	char *end;
	errno = 0;
	*out = strtoull(buf, &end, 10);
	if (errno || end == buf) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int cg_read_key(const char *dir, const char *file, const char *key, uint64_t *out)
{
	char buf[8192];
	if (cg_read(dir, file, buf, sizeof(buf)) < 0)
		return -1;
	size_t klen = strlen(key);
	for (char *line = buf; line && *line;) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			*out = strtoull(line + klen + 1, NULL, 10);
			return 0;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	errno = ENOENT;
	return -1;
}
