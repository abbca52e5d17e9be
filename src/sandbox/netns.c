/* The Sentry's host network namespace; see netns.h. */
#include "sandbox/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "oci/spec.h"

int sandbox_netns_enter(const struct oci_spec *s, const char *network_mode, int *back,
			struct error **err)
{
	*back = -1;
	const struct oci_namespace *ns = oci_spec_namespace(s, OCI_NS_NETWORK);
	bool none = !network_mode || strcmp(network_mode, "none") == 0;
	if (!none && !ns)
		return 0; /* host networking */
	const char *path = none ? NULL : ns->path;
	int target = -1;
	if (path && (target = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return error_set(err, errno, "config.json: `linux.namespaces` network `path` `%s`",
				 path);
	int here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (here < 0) {
		int e = errno;
		if (target >= 0)
			close(target);
		return error_set(err, e, "network namespace: /proc/self/ns/net");
	}
	int r = path ? setns(target, CLONE_NEWNET) : unshare(CLONE_NEWNET);
	int e = errno;
	if (target >= 0)
		close(target);
	if (r < 0) {
		close(here);
		if (path)
			return error_set(err, e,
					 "config.json: `linux.namespaces` network `path` `%s`: not "
					 "a network namespace we can join",
					 path);
		return error_set(err, e, "create the sandbox's network namespace");
	}
	*back = here;
	return 0;
}

void sandbox_netns_leave(int back)
{
	if (back < 0)
		return;
	if (setns(back, CLONE_NEWNET) < 0)
		log_warn("back to the host's network namespace: %s", strerror(errno));
	close(back);
}
