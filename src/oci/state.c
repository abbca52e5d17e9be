/* State directories: create, lock, save, load, list, delete; see state.h. */
#include "oci/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "oci/json_util.h"

#define STATE_FILE "state.json"
#define LOCK_FILE  "lock"

int oci_id_validate(const char *id, struct error **err)
{
	if (!id || !*id)
		return error_set(err, EINVAL, "container id must not be empty");
	size_t len = strlen(id);
	if (len > 255)
		return error_set(err, EINVAL,
				 "container id `%.32s...` is longer than 255 characters", id);
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return error_set(err, EINVAL, "invalid container id `%s`", id);
	for (const char *p = id; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-' || c == '.'))
			return error_set(err, EINVAL,
					 "invalid container id `%s`: only letters, digits and "
					 "`_+-.` are allowed",
					 id);
	}
	return 0;
}

int oci_state_dir(const char *root, const char *id, char **out, struct error **err)
{
	if (oci_id_validate(id, err) < 0)
		return -1;
	if (asprintf(out, "%s/%s", root, id) < 0)
		return error_set(err, ENOMEM, "state directory of `%s`", id);
	return 0;
}

/* mkdir -p for the state root: a client may pass a root several levels
 * below an existing directory. */
static int mkdir_p(const char *path, mode_t mode)
{
	cleanup_free char *p = strdup(path);
	if (!p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int oci_state_create_dir(const char *root, const char *id, struct error **err)
{
	cleanup_free char *dir = NULL;
	if (oci_state_dir(root, id, &dir, err) < 0)
		return -1;
	if (mkdir_p(root, 0711) < 0)
		return error_set(err, errno, "create state root `%s`", root);
	if (mkdir(dir, 0711) < 0) {
		if (errno == EEXIST)
			return error_set(err, EEXIST, "container `%s` already exists", id);
		return error_set(err, errno, "create `%s`", dir);
	}
	return 0;
}

int oci_state_lock(const char *root, const char *id, int *fd_out, struct error **err)
{
	cleanup_free char *dir = NULL, *path = NULL;
	if (oci_state_dir(root, id, &dir, err) < 0)
		return -1;
	if (asprintf(&path, "%s/%s", dir, LOCK_FILE) < 0)
		return error_set(err, ENOMEM, "lock `%s`", id);
	cleanup_close int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		if (errno == ENOENT)
			return error_set(err, ENOENT, "container `%s` does not exist", id);
		return error_set(err, errno, "open `%s`", path);
	}
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return error_set(err, errno, "lock `%s`", path);
	/* The holder before us may have deleted the container. */
	struct stat st;
	if (fstat(fd, &st) < 0)
		return error_set(err, errno, "stat `%s`", path);
	if (st.st_nlink == 0)
		return error_set(err, ENOENT, "container `%s` does not exist", id);
	*fd_out = steal_fd(fd);
	return 0;
}

static json_t *state_to_json(const struct oci_state *st)
{
	json_t *j = json_object(), *ann = json_object(), *priv = json_object();
	json_object_set_new(j, "ociVersion",
			    json_string(st->oci_version ? st->oci_version : OCI_VERSION));
	json_object_set_new(j, "id", json_string(st->id));
	json_object_set_new(j, "pid", json_integer(st->pid));
	json_object_set_new(j, "status", json_string(oci_status_name(st->status)));
	json_object_set_new(j, "bundle", json_string(st->bundle ? st->bundle : ""));
	json_object_set_new(j, "rootfs", json_string(st->rootfs ? st->rootfs : ""));
	json_object_set_new(j, "created", json_string(st->created ? st->created : ""));
	json_object_set_new(j, "owner", json_string(st->owner ? st->owner : ""));
	for (size_t i = 0; i < st->n_annotations; i++)
		json_object_set_new(ann, st->annotations[i].key,
				    json_string(st->annotations[i].value));
	json_object_set_new(j, "annotations", ann);
	json_object_set_new(priv, "pidStartTime", json_integer((json_int_t)st->pid_start_time));
	if (st->sandbox_id)
		json_object_set_new(priv, "sandboxId", json_string(st->sandbox_id));
	if (st->control_socket)
		json_object_set_new(priv, "controlSocket", json_string(st->control_socket));
	if (st->cgroup_path)
		json_object_set_new(priv, "cgroupPath", json_string(st->cgroup_path));
	json_object_set_new(j, "cvisor", priv);
	return j;
}

int oci_state_save(const char *root, const struct oci_state *st, struct error **err)
{
	cleanup_free char *dir = NULL, *tmp = NULL, *path = NULL, *text = NULL;
	if (oci_state_dir(root, st->id, &dir, err) < 0)
		return -1;
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, STATE_FILE) < 0 ||
	    asprintf(&path, "%s/%s", dir, STATE_FILE) < 0)
		return error_set(err, ENOMEM, "save state of `%s`", st->id);
	json_t *j = state_to_json(st);
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		return error_set(err, ENOMEM, "save state of `%s`", st->id);
	cleanup_close int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "create `%s`", tmp);
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;
			unlink(tmp);
			return error_set(err, e, "write `%s`", tmp);
		}
		off += (size_t)w;
	}
	/* No fsync: the state root lives on tmpfs (/run) and does not outlive a
	 * reboot; rename alone gives readers the atomic switch. */
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return error_set(err, e, "rename `%s` to `%s`", tmp, path);
	}
	return 0;
}

void oci_state_free(struct oci_state *st)
{
	if (!st)
		return;
	free(st->oci_version);
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->owner);
	oj_kv_free(st->annotations, st->n_annotations);
	free(st->sandbox_id);
	free(st->control_socket);
	free(st->cgroup_path);
	free(st);
}

static int state_from_json(json_t *j, struct oci_state *st, struct error **err)
{
	if (!json_is_object(j))
		return error_set(err, 0, "the document must be a JSON object");
	cleanup_free char *status = NULL;
	int64_t pid = 0;
	json_t *priv;
	if (oj_string(j, "", "ociVersion", false, &st->oci_version, err) < 0 ||
	    oj_string(j, "", "id", true, &st->id, err) < 0 ||
	    oj_int64(j, "", "pid", 0, INT32_MAX, &pid, NULL, err) < 0 ||
	    oj_string(j, "", "status", true, &status, err) < 0 ||
	    oj_string(j, "", "bundle", false, &st->bundle, err) < 0 ||
	    oj_string(j, "", "rootfs", false, &st->rootfs, err) < 0 ||
	    oj_string(j, "", "created", false, &st->created, err) < 0 ||
	    oj_string(j, "", "owner", false, &st->owner, err) < 0 ||
	    oj_strmap(j, "", "annotations", &st->annotations, &st->n_annotations, err) < 0 ||
	    oj_object(j, "", "cvisor", &priv, err) < 0)
		return -1;
	st->pid = (pid_t)pid;
	int s = oci_status_from_name(status);
	if (s < 0)
		return error_set(err, 0, "`status`: unknown status `%s`", status);
	st->status = (enum oci_status)s;
	if (oj_uint64(priv, "cvisor", "pidStartTime", UINT64_MAX, &st->pid_start_time, NULL, err) <
		0 ||
	    oj_string(priv, "cvisor", "sandboxId", false, &st->sandbox_id, err) < 0 ||
	    oj_string(priv, "cvisor", "controlSocket", false, &st->control_socket, err) < 0 ||
	    oj_string(priv, "cvisor", "cgroupPath", false, &st->cgroup_path, err) < 0)
		return -1;
	return 0;
}

int oci_state_load(const char *root, const char *id, struct oci_state **out, struct error **err)
{
	cleanup_free char *dir = NULL, *path = NULL, *buf = NULL;
	size_t len;
	if (oci_state_dir(root, id, &dir, err) < 0)
		return -1;
	if (asprintf(&path, "%s/%s", dir, STATE_FILE) < 0)
		return error_set(err, ENOMEM, "load state of `%s`", id);
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return error_set(err, ENOENT, "container `%s` does not exist", id);
	if (oj_read_file(path, 1 << 20, &buf, &len, err) < 0)
		return -1;
	json_t *j = oj_loads(buf, len, err);
	if (!j)
		return error_wrap(err, "%s", path);
	struct oci_state *st = calloc(1, sizeof(*st));
	if (!st) {
		json_decref(j);
		return error_set(err, ENOMEM, "load state of `%s`", id);
	}
	int rc = state_from_json(j, st, err);
	json_decref(j);
	if (rc == 0 && strcmp(st->id, id) != 0)
		rc = error_set(err, 0, "`id` is `%s`, not the directory's name", st->id);
	if (rc < 0) {
		oci_state_free(st);
		return error_wrap(err, "%s", path);
	}
	*out = st;
	return 0;
}

/* Removes name under parent, recursing into directories (depth-limited;
 * a state directory is shallow). Never follows symlinks. */
static int remove_at(int parent, const char *name, int depth)
{
	if (unlinkat(parent, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth > 16) {
		errno = ELOOP;
		return -1;
	}
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (remove_at(dirfd(d), e->d_name, depth + 1) < 0)
			rc = -1;
	}
	closedir(d);
	if (rc < 0)
		return -1;
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int oci_state_delete(const char *root, const char *id, struct error **err)
{
	if (oci_id_validate(id, err) < 0)
		return -1;
	cleanup_close int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		if (errno == ENOENT)
			return 0;
		return error_set(err, errno, "open state root `%s`", root);
	}
	if (remove_at(rootfd, id, 0) < 0)
		return error_set(err, errno, "remove `%s/%s`", root, id);
	return 0;
}

void oci_state_list_free(struct oci_state **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		oci_state_free(v[i]);
	free(v);
}

static int by_id(const void *a, const void *b)
{
	return strcmp((*(struct oci_state *const *)a)->id, (*(struct oci_state *const *)b)->id);
}

int oci_state_list(const char *root, struct oci_state ***out, size_t *n, struct error **err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(root);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return error_set(err, errno, "open state root `%s`", root);
	}
	struct oci_state **v = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (oci_id_validate(e->d_name, NULL) < 0)
			continue;
		struct oci_state *st = NULL;
		struct error *ignored = NULL;
		/* Half-created or foreign directories are not containers. */
		if (oci_state_load(root, e->d_name, &st, &ignored) < 0) {
			error_free(ignored);
			continue;
		}
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct oci_state **nv = realloc(v, ncap * sizeof(*v));
			if (!nv) {
				oci_state_free(st);
				oci_state_list_free(v, count);
				closedir(d);
				return error_set(err, ENOMEM, "list `%s`", root);
			}
			v = nv;
			cap = ncap;
		}
		v[count++] = st;
	}
	closedir(d);
	if (count)
		qsort(v, count, sizeof(*v), by_id);
	*out = v;
	*n = count;
	return 0;
}
