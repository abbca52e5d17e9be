/* The containers of a pod over the control socket: a container joining
 * the sandbox (start-container), and which container a request is about
 * ("container": ID; absent means the sandbox's first container). */
#include <errno.h>
#include <string.h>

#include "lib/log.h"
#include "sentry/container_fs.h"
#include "sentry/control/control.h"
#include "sentry/control/files_json.h"
#include "sentry/fs/gofer/p9client.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/container.h"
#include "sentry/sentry.h"

static int files_mode; /* SENTRY_FILES_*, as the sandbox's first container */

void control_set_file_access(int file_access)
{
	files_mode = file_access;
}

int control_container_of(struct conn *c, json_t *req, struct container **out)
{
	json_t *v = json_object_get(req, "container");
	*out = NULL;
	if (!v)
		return 0;
	const char *id = json_string_value(v);
	if (!id) {
		control_reply_error(c, EINVAL, "`container` must be a string");
		return -1;
	}
	if (!(*out = container_find(id))) {
		control_reply_error(c, ESRCH, "no running container `%.255s` in this sandbox", id);
		return -1;
	}
	return 0;
}

/* fds: the container's Gofer socket, then its stdio (or terminal) as for
 * exec. */
void control_container_start(struct conn *c, json_t *req, int *fds, int nfds)
{
	const char *id = json_string_value(json_object_get(req, "container"));
	if (!id || !*id || strlen(id) > 255) {
		control_reply_error(c, EINVAL, "start-container: `container` must be an id");
		return;
	}
	if (container_find(id)) {
		control_reply_error(c, EEXIST, "start-container: `%s` is already running", id);
		return;
	}
	if (nfds < 1) {
		control_reply_error(c, EINVAL, "start-container: the Gofer's socket is missing");
		return;
	}
	struct sentry_config cfg = {0};
	struct error *err = NULL;
	if (files_json_to_config(json_object_get(req, "files"), &cfg, &err) < 0) {
		char *t = error_text(err);
		control_reply_error(c, EINVAL, "start-container: %s", t ? t : "bad `files`");
		free(t);
		error_free(err);
		files_json_release(&cfg);
		return;
	}
	int e = 0;
	struct p9_client *p9 = container_gofer_connect(fds[0], files_mode, &e);
	fds[0] = -1; /* the client has it, or closed it */
	struct fs_context *fs = NULL;
	if (p9) {
		e = container_fs_build(&cfg, p9, &fs);
		p9client_put(p9);
	}
	files_json_release(&cfg);
	if (e) {
		control_reply_error(c, -e, "start-container `%s`: its files: %s", id, strerror(-e));
		return;
	}
	struct container *ctr = container_new(id, fs);
	if (!ctr) {
		fs_context_put(fs);
		control_reply_error(c, ENOMEM, "start-container `%s`", id);
		return;
	}
	log_debug("container `%s` joins the sandbox", id);
	control_spawn(c, req, fds + 1, nfds - 1, ctr);
	container_put(ctr); /* its processes hold it from now on */
}
