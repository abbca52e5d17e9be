/* libFuzzer target: the Gofer's serve loop on arbitrary frames. After a
 * fixed Tversion and two Tattach (fid 0: a read-only tree, fid 1: a
 * scratch writable tree), the input goes to the server as raw bytes; the
 * server must answer or drop the connection, never crash, leak or touch
 * anything outside its exports. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gofer/gofer.h"
#include "p9/p9.h"

static char ro[64], rw[64];
static struct gofer_export exports[2];

static void setup_once(void)
{
	char dir[] = "/tmp/fuzz-gofer.XXXXXX", p[128];
	if (!mkdtemp(dir))
		abort();
	snprintf(ro, sizeof(ro), "%s/ro", dir);
	snprintf(rw, sizeof(rw), "%s/rw", dir);
	mkdir(ro, 0755);
	mkdir(rw, 0755);
	snprintf(p, sizeof(p), "%s/d", ro);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/f", ro);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write(fd, "data\n", 5) != 5)
		abort();
	close(fd);
	snprintf(p, sizeof(p), "%s/l", ro);
	if (symlink("/etc/passwd", p) < 0)
		abort();
	exports[0] = (struct gofer_export){ro, open(ro, O_PATH | O_DIRECTORY), true};
	exports[1] = (struct gofer_export){rw, open(rw, O_PATH | O_DIRECTORY), false};
}

/* Reads and drops replies (and donated fds) until the server hangs up. */
static void *drain(void *arg)
{
	static __thread uint8_t buf[1 << 16];
	int s = *(int *)arg, fd;
	while (p9_recv(s, buf, sizeof(buf), &fd) > 0)
		if (fd >= 0)
			close(fd);
	return NULL;
}

static size_t put(uint8_t *buf, size_t cap, struct p9_msg *m)
{
	int n = p9_encode(m, buf, cap);
	return n > 0 ? (size_t)n : 0;
}

struct feed {
	int sock;
	const uint8_t *head, *data;
	size_t nhead, ndata;
};

/* Writes the handshake then the fuzz bytes, then half-closes. */
static void *feed(void *arg)
{
	struct feed *f = arg;
	const uint8_t *parts[2] = {f->head, f->data};
	size_t lens[2] = {f->nhead, f->ndata};
	for (int i = 0; i < 2; i++) {
		for (size_t done = 0; done < lens[i];) {
			ssize_t n = send(f->sock, parts[i] + done, lens[i] - done, MSG_NOSIGNAL);
			if (n <= 0)
				goto out;
			done += (size_t)n;
		}
	}
out:
	shutdown(f->sock, SHUT_WR);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int runs;
	if (!runs++)
		setup_once();
	if (runs % 500 == 0) { /* keep the scratch tree small */
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s/* 2>/dev/null", rw);
		if (system(cmd) != 0)
			abort();
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	uint8_t head[256];
	size_t n = 0;
	struct p9_msg m = {.type = P9_TVERSION, .tag = P9_NOTAG};
	m.version =
	    (struct p9_version){8192, size && (data[0] & 1) ? P9_VERSION_DONATE : P9_VERSION};
	n += put(head + n, sizeof(head) - n, &m);
	m = (struct p9_msg){.type = P9_TATTACH, .tag = 1};
	m.tattach = (struct p9_tattach){0, P9_NOFID, "", ro, 0};
	n += put(head + n, sizeof(head) - n, &m);
	m.tattach = (struct p9_tattach){1, P9_NOFID, "", rw, 0};
	n += put(head + n, sizeof(head) - n, &m);

	/* Client writes and reads on their own threads; the server runs here. */
	struct feed f = {sv[0], head, data, n, size};
	pthread_t reader, writer;
	pthread_create(&reader, NULL, drain, &sv[0]);
	pthread_create(&writer, NULL, feed, &f);
	gofer_serve(sv[1], exports, 2);
	close(sv[1]);
	pthread_join(writer, NULL);
	pthread_join(reader, NULL);
	close(sv[0]);
	return 0;
}
