/* What `state`, `list` and hooks show of a container. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "oci/state.h"

static json_t *annotations_json(const struct oci_state *st)
{
	json_t *a = json_object();
	for (size_t i = 0; i < st->n_annotations; i++)
		json_object_set_new(a, st->annotations[i].key,
				    json_string(st->annotations[i].value));
	return a;
}

/* runc's containerState: pid 0 once stopped; annotations only if any. */
static json_t *public_state(const struct oci_state *st)
{
	enum oci_status s = oci_state_status(st);
	json_t *j = json_object();
	json_object_set_new(j, "ociVersion",
			    json_string(st->oci_version ? st->oci_version : OCI_VERSION));
	json_object_set_new(j, "id", json_string(st->id));
	json_object_set_new(j, "pid", json_integer(s == OCI_STATUS_STOPPED ? 0 : st->pid));
	json_object_set_new(j, "status", json_string(oci_status_name(s)));
	json_object_set_new(j, "bundle", json_string(st->bundle ? st->bundle : ""));
	json_object_set_new(j, "rootfs", json_string(st->rootfs ? st->rootfs : ""));
	json_object_set_new(j, "created", json_string(st->created ? st->created : ""));
	json_object_set_new(j, "owner", json_string(st->owner ? st->owner : ""));
	if (st->n_annotations)
		json_object_set_new(j, "annotations", annotations_json(st));
	return j;
}

char *oci_state_json(const struct oci_state *st)
{
	json_t *j = public_state(st);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	return s;
}

char *oci_state_hook_json(const struct oci_state *st, enum oci_status status)
{
	json_t *j = json_object();
	json_object_set_new(j, "ociVersion",
			    json_string(st->oci_version ? st->oci_version : OCI_VERSION));
	json_object_set_new(j, "id", json_string(st->id));
	json_object_set_new(j, "status", json_string(oci_status_name(status)));
	if (st->pid > 0)
		json_object_set_new(j, "pid", json_integer(st->pid));
	json_object_set_new(j, "bundle", json_string(st->bundle ? st->bundle : ""));
	json_object_set_new(j, "annotations", annotations_json(st));
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return s;
}

/* Like Go's tabwriter as runc sets it up: cells padded to the widest of
 * the column plus 3, at least 12; the last column unpadded. */
static void print_table(FILE *out, struct oci_state **v, size_t n)
{
	enum {
		NCOL = 6
	};
	const char *head[NCOL] = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};
	size_t width[NCOL];
	char(*pids)[16] = calloc(n ? n : 1, sizeof(*pids));
	const char **cells = calloc((n + 1) * NCOL, sizeof(*cells));
	if (!pids || !cells) {
		free(pids);
		free(cells);
		return;
	}
	for (int c = 0; c < NCOL; c++)
		cells[c] = head[c];
	for (size_t i = 0; i < n; i++) {
		enum oci_status s = oci_state_status(v[i]);
		snprintf(pids[i], sizeof(pids[i]), "%d", s == OCI_STATUS_STOPPED ? 0 : v[i]->pid);
		const char **row = cells + (i + 1) * NCOL;
		row[0] = v[i]->id;
		row[1] = pids[i];
		row[2] = oci_status_name(s);
		row[3] = v[i]->bundle ? v[i]->bundle : "";
		row[4] = v[i]->created ? v[i]->created : "";
		row[5] = v[i]->owner ? v[i]->owner : "";
	}
	for (int c = 0; c < NCOL; c++) {
		width[c] = 12;
		for (size_t r = 0; r <= n; r++)
			if (strlen(cells[r * NCOL + c]) + 3 > width[c])
				width[c] = strlen(cells[r * NCOL + c]) + 3;
	}
	for (size_t r = 0; r <= n; r++) {
		for (int c = 0; c < NCOL - 1; c++)
			fprintf(out, "%-*s", (int)width[c], cells[r * NCOL + c]);
		fprintf(out, "%s\n", cells[r * NCOL + NCOL - 1]);
	}
	free(pids);
	free(cells);
}

int oci_state_print_list(FILE *out, struct oci_state **v, size_t n, enum oci_list_format fmt,
			 bool quiet, struct error **err)
{
	if (quiet) {
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s\n", v[i]->id);
		return 0;
	}
	if (fmt == OCI_LIST_TABLE) {
		print_table(out, v, n);
		return 0;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, public_state(v[i]));
	char *s = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(a);
	if (!s)
		return error_set(err, ENOMEM, "list");
	fprintf(out, "%s\n", s);
	free(s);
	return 0;
}

int oci_state_print(const char *root, const char *id, FILE *out, struct error **err)
{
	struct oci_state *st;
	if (oci_state_load(root, id, &st, err) < 0)
		return -1;
	char *s = oci_state_json(st);
	oci_state_free(st);
	if (!s)
		return error_set(err, ENOMEM, "state of `%s`", id);
	fprintf(out, "%s\n", s);
	free(s);
	return 0;
}

int oci_list_print(const char *root, FILE *out, enum oci_list_format fmt, bool quiet,
		   struct error **err)
{
	struct oci_state **v;
	size_t n;
	if (oci_state_list(root, &v, &n, err) < 0)
		return -1;
	int rc = oci_state_print_list(out, v, n, fmt, quiet, err);
	oci_state_list_free(v, n);
	return rc;
}
