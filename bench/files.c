/* File access benchmarks, one per mode:
 *
 *   files MODE PATH [SECONDS]
 *
 * stat and openread first collect up to 1000 regular files under the
 * directory PATH (not timed), then loop over them for about SECONDS
 * (default 0.5): stat (lstat of each) or openread (open + read up to 4 KiB +
 * close of each); one line "MODE NS ns/op ITERS iterations". seqread reads
 * the file PATH whole in 1 MiB reads, again and again; one line
 * "seqread MS ms/op ITERS iterations" (one op = the whole file).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES 1000

static char *files[MAX_FILES];
static int nfiles;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode) && !(files[nfiles++] = strdup(path)))
		return 1;
	return nfiles == MAX_FILES;
}

static int op_stat(void)
{
	struct stat st;
	for (int i = 0; i < nfiles; i++)
		if (lstat(files[i], &st) < 0)
			return -1;
	return nfiles;
}

static int op_openread(void)
{
	char buf[4096];
	for (int i = 0; i < nfiles; i++) {
		int fd = open(files[i], O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) < 0)
			return -1;
		close(fd);
	}
	return nfiles;
}

static const char *big;

static int op_seqread(void)
{
	static char buf[1 << 20];
	int fd = open(big, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 ? -1 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s stat|openread|seqread PATH [SECONDS]\n", argv[0]);
		return 2;
	}
	double secs = argc > 3 ? atof(argv[3]) : 0.5;
	int (*op)(void);
	if (!strcmp(argv[1], "seqread")) {
		big = argv[2];
		op = op_seqread;
	} else {
		op = !strcmp(argv[1], "stat")	    ? op_stat
		     : !strcmp(argv[1], "openread") ? op_openread
						    : NULL;
		if (!op) {
			fprintf(stderr, "unknown mode `%s`\n", argv[1]);
			return 2;
		}
		if (nftw(argv[2], collect, 32, FTW_PHYS) < 0 || nfiles == 0) {
			fprintf(stderr, "no files under `%s`\n", argv[2]);
			return 1;
		}
	}
	if (op() < 0) { /* warm-up */
		perror(argv[1]);
		return 1;
	}
	long ops = 0;
	double t0 = now(), t;
	do {
		int n = op();
		if (n < 0) {
			perror(argv[1]);
			return 1;
		}
		ops += n;
	} while ((t = now()) - t0 < secs);
	if (big)
		printf("%s %.2f ms/op %ld iterations\n", argv[1], (t - t0) * 1e3 / ops, ops);
	else
		printf("%s %.1f ns/op %ld iterations\n", argv[1], (t - t0) * 1e9 / ops, ops);
	return 0;
}
