/* `cvisor gofer`: the internal command that runs one container's Gofer.
 *
 *   cvisor gofer --sock-fd N --export PATH[:ro] [--export ...] [--no-confine]
 *   cvisor gofer --listen SOCKPATH --export ...   (tests: one connection at a
 *                                                  time on a listening socket)
 *
 * Exports are opened first, then the process confines itself (see
 * gofer_confine) unless --no-confine, then serves. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "gofer/gofer.h"

#define MAX_EXPORTS 64

static int listen_on(const char *path, struct error **err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path))
		return error_set(err, ENAMETOOLONG, "listen `%s`", path);
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_set(err, errno, "socket");
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		error_set(err, errno, "listen `%s`", path);
		close(fd);
		return -1;
	}
	return fd;
}

int cmd_gofer(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"sock-fd", required_argument, 0, 's'},
	    {"export", required_argument, 0, 'e'},
	    {"listen", required_argument, 0, 'l'},
	    {"no-confine", no_argument, 0, 'n'},
	    {0, 0, 0, 0},
	};
	struct gofer_export exports[MAX_EXPORTS];
	size_t n = 0;
	int sock = -1, confine = 1, c;
	const char *listen_path = NULL;
	prctl(PR_SET_NAME, "cvisor-gofer", 0, 0, 0); /* how ps shows it */
	optind = 0; /* main parsed its own options with getopt already */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = atoi(optarg);
			break;
		case 'l':
			listen_path = optarg;
			break;
		case 'n':
			confine = 0;
			break;
		case 'e':
			if (n == MAX_EXPORTS)
				return error_set(err, E2BIG, "gofer: too many exports");
			if (gofer_export_open(optarg, &exports[n], err) < 0)
				return error_wrap(err, "gofer");
			n++;
			break;
		default:
			return error_set(err, EINVAL, "gofer: bad option");
		}
	}
	if (!n || (sock < 0) == !listen_path)
		return error_set(err, EINVAL,
				 "gofer: need --export and one of --sock-fd or --listen");
	int lfd = -1;
	if (listen_path && (lfd = listen_on(listen_path, err)) < 0)
		return error_wrap(err, "gofer");
	/* Modes in Tlcreate/Tmkdir/... already have the client's umask applied. */
	umask(0);
	if (confine && gofer_confine(exports, n, err) < 0)
		return error_wrap(err, "gofer");
	if (lfd < 0) {
		int r = gofer_serve(sock, exports, n);
		return r < 0 ? error_set(err, -r, "gofer: serve") : 0;
	}
	for (;;) {
		int s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (s < 0) {
			if (errno == EINTR)
				continue;
			return error_set(err, errno, "gofer: accept");
		}
		gofer_serve(s, exports, n);
		close(s);
	}
}
