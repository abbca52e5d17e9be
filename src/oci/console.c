/* Host terminals; see console.h. */
#include "oci/console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fdpass.h"

static int connect_unix(const char *path, struct error **err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path))
		return error_set(err, ENAMETOOLONG, "console socket `%s`", path);
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_set(err, errno, "console socket `%s`", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		return error_set(err, e, "connect to the console socket `%s`", path);
	}
	return fd;
}

static int send_fd(int sock, int fd, const char *path, struct error **err)
{
	static const char name[] = "/dev/ptmx";
	ssize_t n = fd_sendmsg(sock, name, sizeof(name) - 1, &fd, 1);
	if (n < 0)
		return error_set(err, (int)-n, "send the terminal over the console socket `%s`",
				 path);
	return 0;
}

int console_send_pty(const char *socket_path, uint16_t rows, uint16_t cols, int *slave,
		     struct error **err)
{
	cleanup_close int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return error_set(err, errno, "open a host terminal");
	char name[64];
	if (ptsname_r(m, name, sizeof(name)))
		return error_set(err, errno, "open a host terminal");
	cleanup_close int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0)
		return error_set(err, errno, "open the host terminal `%s`", name);
	/* the sandbox's pty does the line discipline; this one passes bytes */
	struct termios t;
	if (tcgetattr(s, &t) < 0)
		return error_set(err, errno, "host terminal `%s`", name);
	cfmakeraw(&t);
	if (tcsetattr(s, TCSANOW, &t) < 0)
		return error_set(err, errno, "host terminal `%s`: raw mode", name);
	if (rows || cols) {
		struct winsize ws = {.ws_row = rows, .ws_col = cols};
		if (ioctl(m, TIOCSWINSZ, &ws) < 0)
			return error_set(err, errno, "host terminal `%s`: window size", name);
	}
	cleanup_close int sock = connect_unix(socket_path, err);
	if (sock < 0 || send_fd(sock, m, socket_path, err) < 0)
		return -1;
	*slave = steal_fd(s);
	return 0;
}

int console_take_caller(int fd, int *out, struct termios *saved, struct error **err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	cleanup_close int own = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (own < 0)
		return error_set(err, errno, "reopen the terminal on fd %d", fd);
	if (tcgetattr(own, saved) < 0)
		return error_set(err, errno, "terminal on fd %d", fd);
	struct termios raw = *saved;
	cfmakeraw(&raw);
	if (tcsetattr(own, TCSADRAIN, &raw) < 0)
		return error_set(err, errno, "terminal on fd %d: raw mode", fd);
	*out = steal_fd(own);
	return 0;
}

void console_restore(int fd, const struct termios *saved)
{
	tcsetattr(fd, TCSADRAIN, saved);
}
