/* A container's files on the wire; see files_json.h. */
#include "sentry/control/files_json.h"

#include <errno.h>
#include <stdlib.h>

#include "oci/json_util.h"
#include "sentry/sentry.h"

json_t *files_json_from_config(const struct sentry_config *cfg)
{
	json_t *mounts = json_array();
	for (size_t i = 0; mounts && i < cfg->n_mounts; i++) {
		const struct sentry_mount *m = &cfg->mounts[i];
		json_t *o =
		    json_pack("{s:s,s:b,s:b,s:i}", "destination", m->destination, "readonly",
			      m->readonly, "tmpfs", m->tmpfs, "mode", (int)m->mode);
		if (o && m->source)
			json_object_set_new(o, "source", json_string(m->source));
		json_array_append_new(mounts, o);
	}
	return json_pack("{s:s,s:b,s:b,s:o,s:o,s:o}", "root", cfg->root ? cfg->root : "/",
			 "readonlyRoot", cfg->readonly_root, "overlayNone", cfg->overlay_none,
			 "mounts", mounts, "maskedPaths",
			 oj_strv_json(cfg->masked_paths, cfg->n_masked_paths), "readonlyPaths",
			 oj_strv_json(cfg->readonly_paths, cfg->n_readonly_paths));
}

/* An array of strings as a vector of j's strings. */
static int strv_of(json_t *j, const char *key, char ***out, size_t *n, struct error **err)
{
	json_t *a = json_object_get(j, key), *v;
	size_t i;
	*out = NULL;
	*n = 0;
	if (!a)
		return 0;
	if (!json_is_array(a))
		return error_set(err, EINVAL, "files: `%s` must be an array", key);
	if (!(*out = calloc(json_array_size(a) + 1, sizeof(char *))))
		return error_set(err, ENOMEM, "files");
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v))
			return error_set(err, EINVAL, "files: `%s[%zu]` must be a string", key, i);
		(*out)[(*n)++] = (char *)json_string_value(v);
	}
	return 0;
}

static int mount_of(json_t *o, size_t i, struct sentry_mount *m, struct error **err)
{
	json_t *src = json_object_get(o, "source"), *mode = json_object_get(o, "mode");
	m->destination = json_string_value(json_object_get(o, "destination"));
	m->source = json_string_value(src);
	m->readonly = json_is_true(json_object_get(o, "readonly"));
	m->tmpfs = json_is_true(json_object_get(o, "tmpfs"));
	if (!m->destination || m->destination[0] != '/')
		return error_set(err, EINVAL, "files: `mounts[%zu].destination` must be absolute",
				 i);
	if (!m->tmpfs && (!m->source || m->source[0] != '/'))
		return error_set(err, EINVAL, "files: `mounts[%zu].source` must be absolute", i);
	if (mode && (!json_is_integer(mode) || json_integer_value(mode) < 0 ||
		     json_integer_value(mode) > 07777))
		return error_set(err, EINVAL, "files: `mounts[%zu].mode` must be 0..07777", i);
	m->mode = (uint32_t)json_integer_value(mode);
	return 0;
}

int files_json_to_config(json_t *j, struct sentry_config *cfg, struct error **err)
{
	if (!json_is_object(j))
		return error_set(err, EINVAL, "`files` must be an object");
	cfg->root = json_string_value(json_object_get(j, "root"));
	if (!cfg->root || cfg->root[0] != '/')
		return error_set(err, EINVAL, "files: `root` must be an absolute path");
	cfg->readonly_root = json_is_true(json_object_get(j, "readonlyRoot"));
	cfg->overlay_none = json_is_true(json_object_get(j, "overlayNone"));
	json_t *mounts = json_object_get(j, "mounts"), *o;
	size_t i;
	if (mounts && !json_is_array(mounts))
		return error_set(err, EINVAL, "files: `mounts` must be an array");
	struct sentry_mount *m = calloc(json_array_size(mounts) + 1, sizeof(*m));
	if (!m)
		return error_set(err, ENOMEM, "files");
	cfg->mounts = m;
	json_array_foreach(mounts, i, o)
	{
		if (mount_of(o, i, &m[i], err) < 0)
			return -1;
		cfg->n_mounts = i + 1;
	}
	char **masked, **ro;
	int r = strv_of(j, "maskedPaths", &masked, &cfg->n_masked_paths, err);
	cfg->masked_paths = masked;
	if (r < 0)
		return -1;
	r = strv_of(j, "readonlyPaths", &ro, &cfg->n_readonly_paths, err);
	cfg->readonly_paths = ro;
	return r;
}

void files_json_release(struct sentry_config *cfg)
{
	free((void *)cfg->mounts);
	free((void *)cfg->masked_paths);
	free((void *)cfg->readonly_paths);
}
