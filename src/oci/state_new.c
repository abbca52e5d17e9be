/* Building the first state of a container from its bundle and spec. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "oci/state.h"

static char *user_name(void)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
		return strdup(res->pw_name);
	char *s = NULL;
	return asprintf(&s, "%u", (unsigned)geteuid()) < 0 ? NULL : s;
}

int oci_state_new(const struct oci_spec *spec, const char *id, const char *bundle,
		  struct oci_state **out, struct error **err)
{
	if (oci_id_validate(id, err) < 0)
		return -1;
	cleanup_free char *abs_bundle = realpath(bundle ? bundle : ".", NULL);
	if (!abs_bundle)
		return error_set(err, errno, "bundle `%s`", bundle ? bundle : ".");
	struct oci_state *st = calloc(1, sizeof(*st));
	if (!st)
		return error_set(err, ENOMEM, "state of `%s`", id);
	char now[64];
	oci_time_now(now);
	st->status = OCI_STATUS_CREATING;
	st->id = strdup(id);
	st->oci_version = strdup(spec->oci_version ? spec->oci_version : OCI_VERSION);
	st->created = strdup(now);
	st->owner = user_name();
	bool ok = st->id && st->oci_version && st->created && st->owner;
	/* The rootfs as config.json names it, relative to the bundle; resolved
	 * when it exists so state shows the real directory, as runc does. */
	cleanup_free char *joined = NULL;
	if (spec->root_path && spec->root_path[0] == '/')
		joined = strdup(spec->root_path);
	else if (asprintf(&joined, "%s/%s", abs_bundle, spec->root_path ? spec->root_path : "") < 0)
		joined = NULL;
	if (joined) {
		st->rootfs = realpath(joined, NULL);
		if (!st->rootfs)
			st->rootfs = steal_ptr(joined);
	}
	st->bundle = steal_ptr(abs_bundle);
	ok = ok && st->rootfs;
	if (ok && spec->n_annotations) {
		st->annotations = calloc(spec->n_annotations, sizeof(*st->annotations));
		ok = st->annotations != NULL;
		for (size_t i = 0; ok && i < spec->n_annotations; i++) {
			st->annotations[i].key = strdup(spec->annotations[i].key);
			st->annotations[i].value = strdup(spec->annotations[i].value);
			st->n_annotations = i + 1;
			ok = st->annotations[i].key && st->annotations[i].value;
		}
	}
	if (!ok) {
		oci_state_free(st);
		return error_set(err, ENOMEM, "state of `%s`", id);
	}
	*out = st;
	return 0;
}
