/* Export specs from the command line: "PATH[:ro]" becomes an open O_PATH
 * directory fd that the serve loop works beneath. */
#include "gofer/gofer.h"

#include <errno.h>
#include <fcntl.h>
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
	e->root_fd = open(spec, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (e->root_fd < 0)
		return error_set(err, errno, "export `%s`", spec);
	return 0;
}
