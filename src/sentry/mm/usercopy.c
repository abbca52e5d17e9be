/* Application memory access through the platform; see usercopy.h. */
#include "sentry/mm/usercopy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/kernel/task.h"
#include "sentry/platform/platform.h"

static int bad_range(uint64_t addr, size_t len)
{
	return addr + len < addr || addr + len > APP_TOP;
}

int copy_in(struct task *t, uint64_t addr, void *buf, size_t len)
{
	if (!len)
		return 0;
	if (bad_range(addr, len))
		return -EFAULT;
	long n = plat_read(t->plat->as, addr, buf, len);
	return n == (long)len ? 0 : -EFAULT;
}

int copy_out(struct task *t, uint64_t addr, const void *buf, size_t len)
{
	if (!len)
		return 0;
	if (bad_range(addr, len))
		return -EFAULT;
	long n = plat_write(t->plat->as, addr, buf, len);
	return n == (long)len ? 0 : -EFAULT;
}

long copy_in_str(struct task *t, uint64_t addr, char *buf, size_t max)
{
	size_t done = 0;
	while (done < max) {
		/* Read up to the end of the page so we never cross into an
		 * unmapped one needlessly. */
		size_t chunk = 4096 - ((addr + done) & 4095);
		if (chunk > max - done)
			chunk = max - done;
		if (bad_range(addr + done, chunk))
			return -EFAULT;
		long n = plat_read(t->plat->as, addr + done, buf + done, chunk);
		if (n <= 0)
			return -EFAULT;
		char *nul = memchr(buf + done, 0, (size_t)n);
		if (nul)
			return nul - buf;
		done += (size_t)n;
	}
	return -ENAMETOOLONG;
}

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

long copy_in_strv(struct task *t, uint64_t addr, char ***out, size_t max_total)
{
	size_t n = 0, cap = 16, total = 0;
	char **v = calloc(cap + 1, sizeof(char *));
	if (!v)
		return -ENOMEM;
	char *tmp = malloc(131072);
	if (!tmp) {
		free(v);
		return -ENOMEM;
	}
	long err = 0;
	for (; addr; n++) {
		uint64_t p;
		if ((err = copy_in(t, addr + n * 8, &p, 8)))
			break;
		if (!p)
			break;
		long len = copy_in_str(t, p, tmp, 131072);
		if (len < 0) {
			err = len == -ENAMETOOLONG ? -E2BIG : len;
			break;
		}
		total += (size_t)len + 1 + 8;
		if (total > max_total) {
			err = -E2BIG;
			break;
		}
		if (n == cap) {
			char **nv = realloc(v, (cap * 2 + 1) * sizeof(char *));
			if (!nv) {
				err = -ENOMEM;
				break;
			}
			v = nv;
			cap *= 2;
		}
		v[n] = strdup(tmp);
		v[n + 1] = NULL;
		if (!v[n]) {
			err = -ENOMEM;
			break;
		}
	}
	free(tmp);
	if (err) {
		strv_free(v);
		return err;
	}
	v[n] = NULL;
	*out = v;
	return (long)n;
}
