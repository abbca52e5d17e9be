/* Standard files from the host; see hoststdio.h. */
#include "sentry/fs/host/hoststdio.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/host/hostfile.h"

int hoststdio_install(struct fd_table *ft, int at, int hostfd)
{
	int fl = fcntl(hostfd, F_GETFL);
	if (fl < 0) {
		int e = errno;
		close(hostfd);
		return -e;
	}
	struct file *f = hostfile_new(hostfd, fl & (O_ACCMODE | O_APPEND));
	if (!f) {
		close(hostfd);
		return -ENOMEM;
	}
	if (fdt_install_at(ft, at, f, 0, 1024) < 0) {
		file_put(f);
		return -EMFILE;
	}
	return 0;
}
