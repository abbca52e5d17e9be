/* The Gofer: a 9P2000.L file server for one container's mounts.
 *
 * Contract:
 * - Every export is a directory the Gofer holds open (O_PATH); every client
 *   fid holds its own O_PATH fd. Operations are carried out relative to those
 *   fds, one path component at a time, with openat2(RESOLVE_BENEATH |
 *   RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS); host paths are never
 *   walked by name, so no symlink, `..` or rename race leads outside an
 *   export. Symlinks are served as symlinks and never followed.
 * - `..` is answered from the fid's own ancestry and stops at the export
 *   root.
 * - A read-only export answers every mutation with EROFS.
 * - Device nodes are never opened or created (EPERM): the Sentry serves
 *   /dev itself.
 * - Fd donation (P9_VERSION_DONATE, see p9/p9.h): after that Tversion,
 *   Rlopen/Rlcreate of a regular file carry the opened host fd over
 *   SCM_RIGHTS. Directory fds are not donated there: openat(fd, "..")
 *   would lead out of the export.
 * - Directory donation (P9_VERSION_DIRECT, `--file-access=direct`): the
 *   client asked to walk the exports itself, so Rattach of a directory
 *   export carries the export's O_PATH root fd. Only the Sentry asks for it;
 *   it walks with single names, never `..`, and the Gofer's own mount
 *   namespace (when confined) holds nothing but the container's exports.
 * - An export may be a regular file (a file bind mount): it is walked to by
 *   attach only and opened through the fd opened with the export.
 * - A fid follows its own Trename; other fids naming the same file keep
 *   their old parent and name, and opening through them fails with ESTALE
 *   (never opens another file) once the name no longer leads to it.
 * - Extended attributes are not served (EOPNOTSUPP); locks are granted
 *   (the Sentry arbitrates locks between its tasks itself).
 * - gofer_* serving functions return >= 0 or a negative errno. Setup
 *   functions (export parsing, confinement) use struct error.
 */
#ifndef CVISOR_GOFER_GOFER_H
#define CVISOR_GOFER_GOFER_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"

#define GOFER_MAX_MSIZE (1u << 20)

struct gofer_export {
	const char *aname; /* what Tattach names; "" in Tattach picks exports[0] */
	int root_fd;	   /* O_PATH fd of the export; borrowed by gofer_serve */
	int file_fd;	   /* a file export opened for I/O (read-only if readonly),
			    * -1 for a directory export */
	bool readonly;
};

/* Serves one 9P connection on sock until the peer closes it. exports is
 * borrowed. Create modes are used as sent, so the process umask should be 0
 * (`cvisor gofer` sets it). Returns 0 on orderly close, a negative errno on a broken
 * connection or a frame larger than the negotiated msize. */
int gofer_serve(int sock, const struct gofer_export *exports, size_t n);

/* Parses "PATH[:ro]" and opens PATH (a directory or a regular file) as an
 * export (aname = PATH, which must be absolute). On success e->aname points
 * into spec (which is modified). */
int gofer_export_open(char *spec, struct gofer_export *e, struct error **err);

/* Confines the calling process to serving: a private mount namespace whose
 * root is a read-only tmpfs holding only the exports (each root_fd is
 * replaced by one opened there), no capabilities beyond what file serving
 * needs, and a seccomp allow-list. Call single-threaded, after every export
 * is open and before serving. */
int gofer_confine(struct gofer_export *exports, size_t n, struct error **err);

#endif
