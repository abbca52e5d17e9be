/* A container's files (root, mounts, guarded paths of a sentry_config) as
 * the control socket carries them when a container joins a running
 * sandbox: {"root", "readonlyRoot", "overlayNone", "mounts": [{"source",
 * "destination", "readonly", "tmpfs", "mode"}], "maskedPaths",
 * "readonlyPaths"}. Host paths are the Gofer's export names only; the
 * Sentry opens none of them. */
#ifndef CVISOR_SENTRY_CONTROL_FILES_JSON_H
#define CVISOR_SENTRY_CONTROL_FILES_JSON_H

#include <jansson.h>

#include "lib/error.h"

struct sentry_config;

/* cfg's files as JSON (NULL if out of memory). */
json_t *files_json_from_config(const struct sentry_config *cfg);

/* Fills cfg's file fields from j; the strings stay j's, the arrays are
 * new (files_json_release frees them). Returns 0, or -1 with *err. */
int files_json_to_config(json_t *j, struct sentry_config *cfg, struct error **err);
void files_json_release(struct sentry_config *cfg);

#endif
