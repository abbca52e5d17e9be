/* config.json -> struct oci_spec: the top level, root, mounts, hooks and
 * annotations. `process` lives in spec_process.c, `linux` in spec_linux.c. */
#include "oci/spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "lib/cleanup.h"
#include "oci/json_util.h"
#include "oci/spec_internal.h"

static const char *const hook_names[OCI_HOOK_NKINDS] = {
    [OCI_HOOK_PRESTART] = "prestart",
    [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
    [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
    [OCI_HOOK_START_CONTAINER] = "startContainer",
    [OCI_HOOK_POSTSTART] = "poststart",
    [OCI_HOOK_POSTSTOP] = "poststop",
};

const char *oci_hook_kind_name(enum oci_hook_kind k)
{
	return (unsigned)k < OCI_HOOK_NKINDS ? hook_names[k] : "?";
}

static void mount_clear(struct oci_mount *m)
{
	free(m->destination);
	free(m->type);
	free(m->source);
	oci_strv_free(m->options);
	free(m->data);
}

static void hook_clear(struct oci_hook *h)
{
	free(h->path);
	oci_strv_free(h->args);
	oci_strv_free(h->env);
}

void oci_spec_free(struct oci_spec *s)
{
	if (!s)
		return;
	free(s->oci_version);
	oci_process_free(s->process);
	free(s->root_path);
	free(s->hostname);
	free(s->domainname);
	for (size_t i = 0; s->mounts && i < s->n_mounts; i++)
		mount_clear(&s->mounts[i]);
	free(s->mounts);
	for (int k = 0; k < OCI_HOOK_NKINDS; k++) {
		for (size_t i = 0; s->hooks[k].v && i < s->hooks[k].n; i++)
			hook_clear(&s->hooks[k].v[i]);
		free(s->hooks[k].v);
	}
	oj_kv_free(s->annotations, s->n_annotations);
	oci_linux_clear(&s->linux_);
	free(s);
}

static int parse_root(json_t *j, struct oci_spec *s, struct error **err)
{
	json_t *root;
	if (oj_object(j, "", "root", &root, err) < 0)
		return -1;
	if (!root)
		return error_set(err, 0, "`root` is required");
	if (oj_string(root, "root", "path", true, &s->root_path, err) < 0 ||
	    oj_bool(root, "root", "readonly", &s->root_readonly, NULL, err) < 0)
		return -1;
	if (!*s->root_path)
		return error_set(err, 0, "`root.path` must not be empty");
	return 0;
}

static int parse_mount(json_t *e, const char *path, struct oci_mount *m, struct error **err)
{
	if (oj_string(e, path, "destination", true, &m->destination, err) < 0 ||
	    oj_string(e, path, "type", false, &m->type, err) < 0 ||
	    oj_string(e, path, "source", false, &m->source, err) < 0 ||
	    oj_strv(e, path, "options", &m->options, &m->n_options, err) < 0)
		return -1;
	if (!*m->destination)
		return error_set(err, 0, "`%s.destination` must not be empty", path);
	if (m->type && strcmp(m->type, "bind") == 0)
		m->flags |= MS_BIND;
	for (size_t i = 0; i < m->n_options; i++)
		if (oci_mount_add_option(m, m->options[i], err) < 0)
			return error_wrap(err, "`%s.options[%zu]`", path, i);
	return 0;
}

static int parse_mounts(json_t *j, struct oci_spec *s, struct error **err)
{
	json_t *a;
	if (oj_array(j, "", "mounts", &a, err) < 0)
		return -1;
	size_t n = json_array_size(a);
	if (!n)
		return 0;
	if (!(s->mounts = calloc(n, sizeof(*s->mounts))))
		return error_set(err, ENOMEM, "`mounts`");
	s->n_mounts = n;
	for (size_t i = 0; i < n; i++) {
		char path[32];
		snprintf(path, sizeof(path), "mounts[%zu]", i);
		json_t *e = json_array_get(a, i);
		if (!json_is_object(e))
			return error_set(err, 0, "`%s` must be an object", path);
		if (parse_mount(e, path, &s->mounts[i], err) < 0)
			return -1;
	}
	return 0;
}

static int parse_hook_list(json_t *hooks, enum oci_hook_kind k, struct oci_hook_list *l,
			   struct error **err)
{
	json_t *a;
	if (oj_array(hooks, "hooks", hook_names[k], &a, err) < 0)
		return -1;
	size_t n = json_array_size(a);
	if (!n)
		return 0;
	if (!(l->v = calloc(n, sizeof(*l->v))))
		return error_set(err, ENOMEM, "`hooks.%s`", hook_names[k]);
	l->n = n;
	for (size_t i = 0; i < n; i++) {
		char path[64];
		snprintf(path, sizeof(path), "hooks.%s[%zu]", hook_names[k], i);
		json_t *e = json_array_get(a, i);
		if (!json_is_object(e))
			return error_set(err, 0, "`%s` must be an object", path);
		struct oci_hook *h = &l->v[i];
		int64_t timeout = 0;
		bool has_timeout;
		if (oj_string(e, path, "path", true, &h->path, err) < 0 ||
		    oj_strv(e, path, "args", &h->args, &h->n_args, err) < 0 ||
		    oj_strv(e, path, "env", &h->env, &h->n_env, err) < 0 ||
		    oj_int64(e, path, "timeout", INT32_MIN, INT32_MAX, &timeout, &has_timeout,
			     err) < 0)
			return -1;
		if (h->path[0] != '/')
			return error_set(err, 0, "`%s.path` must be an absolute path", path);
		if (has_timeout && timeout <= 0)
			return error_set(err, 0, "`%s.timeout` must be greater than zero", path);
		h->timeout = (int)timeout;
	}
	return 0;
}

static int parse_spec(json_t *j, struct oci_spec *s, struct error **err)
{
	if (!json_is_object(j))
		return error_set(err, 0, "the document must be a JSON object");
	if (oj_string(j, "", "ociVersion", true, &s->oci_version, err) < 0)
		return -1;
	json_t *proc = oj_get(j, "process");
	if (proc && oci_process_from_json(proc, "process", &s->process, err) < 0)
		return -1;
	if (parse_root(j, s, err) < 0)
		return -1;
	if (oj_string(j, "", "hostname", false, &s->hostname, err) < 0 ||
	    oj_string(j, "", "domainname", false, &s->domainname, err) < 0)
		return -1;
	if (parse_mounts(j, s, err) < 0)
		return -1;
	json_t *hooks;
	if (oj_object(j, "", "hooks", &hooks, err) < 0)
		return -1;
	for (int k = 0; hooks && k < OCI_HOOK_NKINDS; k++)
		if (parse_hook_list(hooks, (enum oci_hook_kind)k, &s->hooks[k], err) < 0)
			return -1;
	if (oj_strmap(j, "", "annotations", &s->annotations, &s->n_annotations, err) < 0)
		return -1;
	json_t *lin = oj_get(j, "linux");
	if (lin) {
		s->has_linux = true;
		if (oci_linux_from_json(lin, &s->linux_, err) < 0)
			return -1;
	}
	return 0;
}

int oci_spec_parse(const char *buf, size_t len, const char *name, struct oci_spec **out,
		   struct error **err)
{
	json_t *j = oj_loads(buf, len, err);
	if (!j)
		return error_wrap(err, "%s", name);
	struct oci_spec *s = calloc(1, sizeof(*s));
	if (!s) {
		json_decref(j);
		return error_set(err, ENOMEM, "%s", name);
	}
	int rc = parse_spec(j, s, err);
	json_decref(j);
	if (rc < 0) {
		oci_spec_free(s);
		return error_wrap(err, "%s", name);
	}
	*out = s;
	return 0;
}

int oci_spec_load(const char *path, struct oci_spec **out, struct error **err)
{
	cleanup_free char *buf = NULL;
	size_t len;
	if (oj_read_file(path, 16 << 20, &buf, &len, err) < 0)
		return -1;
	return oci_spec_parse(buf, len, path, out, err);
}

const char *oci_spec_annotation(const struct oci_spec *s, const char *key)
{
	/* Keys are unique: like Go's decoder, jansson keeps the last duplicate. */
	for (size_t i = 0; i < s->n_annotations; i++)
		if (strcmp(s->annotations[i].key, key) == 0)
			return s->annotations[i].value;
	return NULL;
}

const struct oci_namespace *oci_spec_namespace(const struct oci_spec *s, enum oci_ns_type t)
{
	for (size_t i = 0; i < s->linux_.n_namespaces; i++)
		if (s->linux_.namespaces[i].type == t)
			return &s->linux_.namespaces[i];
	return NULL;
}
