/* Export specs from the command line: "PATH[:ro]" becomes an open O_PATH
 * directory fd that the serve loop works beneath. */
#include "gofer/gofer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gofer_export_open(char *spec, struct gofer_export *e, struct error **err)
{
	size_t len = strlen(spec);
	e->readonly = false;
	if (len > 3 && !strcmp(spec + len - 3, ":ro")) {
		spec[len - 3] = 0;
		e->readonly = true;
	} else if (len > 3 && !strcmp(spec + len - 3, ":rw")) {
		spec[len - 3] = 0;
	}
	if (spec[0] != '/')
		return error_set(err, EINVAL, "export `%s`: not an absolute path", spec);
	e->aname = spec;
	e->file_fd = -1;
	e->root_fd = open(spec, O_PATH | O_CLOEXEC);
	if (e->root_fd < 0)
		return error_set(err, errno, "export `%s`", spec);
	struct stat st;
	if (fstat(e->root_fd, &st) < 0 || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
		close(e->root_fd);
		return error_set(err, ENOTSUP, "export `%s`: not a directory or a regular file",
				 spec);
	}
	if (S_ISREG(st.st_mode)) {
		/* Opened now: the file has no parent in the export to reopen it
		 * from. Reopened through the O_PATH fd, so a source that is a
		 * symlink (Podman's catatonit) works and both fds are one file. */
		char self[64];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", e->root_fd);
		int acc = e->readonly ? O_RDONLY : O_RDWR;
		e->file_fd = open(self, acc | O_CLOEXEC | O_NOCTTY);
		if (e->file_fd < 0 && acc == O_RDWR && (errno == EACCES || errno == EROFS))
			e->file_fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (e->file_fd < 0) {
			int er = errno;
			close(e->root_fd);
			return error_set(err, er, "export `%s`", spec);
		}
	}
	return 0;
}
