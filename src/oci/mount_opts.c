/* Mount options of config.json -> mount(2) flags, propagation and data.
 *
 * Options that are mount flags set (or, when named negatively like `rw`,
 * clear) bits; propagation options go apart since they need their own
 * mount(2) call; tmpfs `size=` and `mode=` are checked and kept as numbers
 * and also passed on in data; runtime extensions (`tmpcopyup`, recursive
 * `rro`...) are kept only in the raw option list; everything else is
 * file-system data. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "oci/spec.h"

static const struct {
	const char *name;
	unsigned long set, clear;
} flag_opts[] = {
    {"ro", MS_RDONLY, 0},
    {"rw", 0, MS_RDONLY},
    {"bind", MS_BIND, 0},
    {"rbind", MS_BIND | MS_REC, 0},
    {"nosuid", MS_NOSUID, 0},
    {"suid", 0, MS_NOSUID},
    {"nodev", MS_NODEV, 0},
    {"dev", 0, MS_NODEV},
    {"noexec", MS_NOEXEC, 0},
    {"exec", 0, MS_NOEXEC},
    {"sync", MS_SYNCHRONOUS, 0},
    {"async", 0, MS_SYNCHRONOUS},
    {"dirsync", MS_DIRSYNC, 0},
    {"remount", MS_REMOUNT, 0},
    {"mand", MS_MANDLOCK, 0},
    {"nomand", 0, MS_MANDLOCK},
    {"atime", 0, MS_NOATIME},
    {"noatime", MS_NOATIME, 0},
    {"diratime", 0, MS_NODIRATIME},
    {"nodiratime", MS_NODIRATIME, 0},
    {"relatime", MS_RELATIME, 0},
    {"norelatime", 0, MS_RELATIME},
    {"strictatime", MS_STRICTATIME, 0},
    {"nostrictatime", 0, MS_STRICTATIME},
    {"silent", MS_SILENT, 0},
    {"loud", 0, MS_SILENT},
    {"defaults", 0, 0},
};

static const struct {
	const char *name;
	unsigned long flags;
} propagation_opts[] = {
    {"private", MS_PRIVATE},	   {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},	   {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},	   {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

/* Not for the kernel: runc's extensions and recursive mount attributes. */
static const char *const runtime_opts[] = {
    "tmpcopyup",   "rro",      "rrw",	 "rnosuid",	 "rsuid",	   "rnodev",
    "rdev",	   "rnoexec",  "rexec",	 "rnodiratime",	 "rdiratime",	   "rrelatime",
    "rnorelatime", "rnoatime", "ratime", "rstrictatime", "rnostrictatime", "idmap",
    "ridmap",
};

/* Parses a tmpfs size: bytes with an optional k/m/g/t suffix. Returns 1 if
 * it is a percentage (left to the kernel), 0 if parsed, -1 if invalid. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	int shift = 0;
	switch (*end) {
	case 0:
		break;
	case '%':
		return end[1] ? -1 : 1;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	default:
		return -1;
	}
	if (shift && end[1])
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int append_data(struct oci_mount *m, const char *opt)
{
	char *d;
	if (m->data) {
		if (asprintf(&d, "%s,%s", m->data, opt) < 0)
			return -1;
		free(m->data);
	} else if (!(d = strdup(opt))) {
		return -1;
	}
	m->data = d;
	return 0;
}

int oci_mount_add_option(struct oci_mount *m, const char *opt, struct error **err)
{
	for (size_t i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++) {
		if (strcmp(opt, flag_opts[i].name) == 0) {
			m->flags = (m->flags & ~flag_opts[i].clear) | flag_opts[i].set;
			m->clear_flags = (m->clear_flags & ~flag_opts[i].set) | flag_opts[i].clear;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(propagation_opts) / sizeof(propagation_opts[0]); i++) {
		if (strcmp(opt, propagation_opts[i].name) == 0) {
			m->propagation = propagation_opts[i].flags;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(runtime_opts) / sizeof(runtime_opts[0]); i++)
		if (strcmp(opt, runtime_opts[i]) == 0)
			return 0;
	if (strncmp(opt, "size=", 5) == 0) {
		uint64_t sz;
		int r = parse_size(opt + 5, &sz);
		if (r < 0)
			return error_set(err, 0, "bad size `%s`", opt + 5);
		if (r == 0) {
			m->has_size = true;
			m->size = sz;
		}
	} else if (strncmp(opt, "mode=", 5) == 0) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(opt + 5, &end, 8);
		if (errno || end == opt + 5 || *end || v > 07777 || opt[5] == '-')
			return error_set(err, 0, "bad mode `%s`", opt + 5);
		m->has_mode = true;
		m->mode = (mode_t)v;
	}
	if (append_data(m, opt) < 0)
		return error_set(err, ENOMEM, "mount option `%s`", opt);
	return 0;
}

const char *oci_mount_option_name(size_t i)
{
	size_t nf = sizeof(flag_opts) / sizeof(flag_opts[0]);
	size_t np = sizeof(propagation_opts) / sizeof(propagation_opts[0]);
	size_t nr = sizeof(runtime_opts) / sizeof(runtime_opts[0]);
	if (i < nf)
		return flag_opts[i].name;
	i -= nf;
	if (i < np)
		return propagation_opts[i].name;
	i -= np;
	return i < nr ? runtime_opts[i] : NULL;
}
