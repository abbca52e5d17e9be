/* A container's files: the Gofer that serves its root and bind mounts, and
 * the mount tree the Sentry builds over that Gofer. The sandbox's first
 * container and every container that joins it later (a pod) are built the
 * same way, each with its own Gofer. */
#ifndef CVISOR_SENTRY_CONTAINER_FS_H
#define CVISOR_SENTRY_CONTAINER_FS_H

#include <sys/types.h>

struct sentry_config;
struct p9_client;
struct fs_context;

/* Starts the Gofer for cfg's root and bind mounts (run on the host side,
 * unconfined). Returns the socket to it and its pid in *pid, or -errno. */
int container_gofer_launch(const struct sentry_config *cfg, pid_t *pid);

/* Connects to a Gofer over sock (taken over) the way file_access
 * (SENTRY_FILES_*) says. Returns the client, or NULL with *err = -errno. */
struct p9_client *container_gofer_connect(int sock, int file_access, int *err);

/* The root (under a memory overlay unless cfg->overlay_none), /dev, /proc,
 * /sys, every mount and the guarded paths, reached through the Gofer
 * connection c. Returns 0 with *out, or -errno. */
int container_fs_build(const struct sentry_config *cfg, struct p9_client *c,
		       struct fs_context **out);

#endif
