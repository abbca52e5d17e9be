/* The config.json `cvisor spec` writes: runc's default, with our hostname.
 * The rootless variant follows `runc spec --rootless`: a user namespace
 * mapping the caller's ids, no network namespace, /sys bind-mounted, no
 * cgroup mount, no devpts gid and no resources. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "oci/spec.h"

static const char default_spec[] =
    "{"
    "\"ociVersion\":\"1.0.2-dev\","
    "\"process\":{"
    "\"terminal\":true,"
    "\"user\":{\"uid\":0,\"gid\":0},"
    "\"args\":[\"sh\"],"
    "\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
    "\"TERM=xterm\"],"
    "\"cwd\":\"/\","
    "\"capabilities\":{"
    "\"bounding\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
    "\"effective\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
    "\"permitted\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
    "\"ambient\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]},"
    "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}],"
    "\"noNewPrivileges\":true},"
    "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
    "\"hostname\":\"cvisor\","
    "\"mounts\":["
    "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
    "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
    "\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
    "{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\","
    "\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\","
    "\"gid=5\"]},"
    "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\","
    "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},"
    "{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\","
    "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
    "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
    "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
    "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","
    "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"relatime\",\"ro\"]}],"
    "\"linux\":{"
    "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},"
    "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
    "{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"cgroup\"}],"
    "\"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\",\"/proc/kcore\",\"/proc/keys\","
    "\"/proc/latency_stats\",\"/proc/timer_list\",\"/proc/timer_stats\","
    "\"/proc/sched_debug\",\"/sys/firmware\",\"/proc/scsi\"],"
    "\"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\","
    "\"/proc/sysrq-trigger\"]}"
    "}";

static json_t *mapping(unsigned id)
{
	json_t *a = json_array();
	json_array_append_new(
	    a, json_pack("{s:i,s:I,s:i}", "containerID", 0, "hostID", (json_int_t)id, "size", 1));
	return a;
}

static void make_rootless(json_t *spec)
{
	json_t *lin = json_object_get(spec, "linux");
	json_object_del(lin, "resources");
	json_t *ns = json_array();
	json_t *old = json_object_get(lin, "namespaces");
	size_t i;
	json_t *e;
	json_array_foreach(old, i, e)
	{
		const char *t = json_string_value(json_object_get(e, "type"));
		if (t && strcmp(t, "network") != 0 && strcmp(t, "user") != 0)
			json_array_append(ns, e);
	}
	json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
	json_object_set_new(lin, "namespaces", ns);
	json_object_set_new(lin, "uidMappings", mapping(geteuid()));
	json_object_set_new(lin, "gidMappings", mapping(getegid()));

	json_t *mounts = json_array();
	json_array_foreach(json_object_get(spec, "mounts"), i, e)
	{
		const char *dst = json_string_value(json_object_get(e, "destination"));
		if (!dst || strcmp(dst, "/sys/fs/cgroup") == 0)
			continue;
		if (strcmp(dst, "/sys") == 0) {
			json_array_append_new(
			    mounts, json_pack("{s:s,s:s,s:s,s:[s,s,s,s,s]}", "destination", "/sys",
					      "type", "none", "source", "/sys", "options", "rbind",
					      "nosuid", "noexec", "nodev", "ro"));
			continue;
		}
		if (strcmp(dst, "/dev/pts") == 0) {
			json_t *opts = json_object_get(e, "options");
			size_t last = json_array_size(opts);
			if (last &&
			    strcmp(json_string_value(json_array_get(opts, last - 1)), "gid=5") == 0)
				json_array_remove(opts, last - 1);
		}
		json_array_append(mounts, e);
	}
	json_object_set_new(spec, "mounts", mounts);
}

char *oci_spec_default_json(bool rootless)
{
	json_t *spec = json_loads(default_spec, 0, NULL);
	if (!spec)
		return NULL;
	if (rootless)
		make_rootless(spec);
	char *s = json_dumps(spec, JSON_INDENT(8) | JSON_PRESERVE_ORDER);
	json_decref(spec);
	return s;
}

int oci_spec_write_default(const char *bundle, bool rootless, struct error **err)
{
	cleanup_free char *path = NULL, *json = oci_spec_default_json(rootless);
	if (!json || asprintf(&path, "%s/config.json", bundle ? bundle : ".") < 0)
		return error_set(err, ENOMEM, "default spec");
	cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		if (errno == EEXIST)
			return error_set(err, EEXIST, "`%s` exists; remove it first", path);
		return error_set(err, errno, "create `%s`", path);
	}
	size_t len = strlen(json), off = 0;
	while (off < len) {
		ssize_t w = write(fd, json + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return error_set(err, errno, "write `%s`", path);
		off += (size_t)w;
	}
	if (write(fd, "\n", 1) != 1)
		return error_set(err, errno, "write `%s`", path);
	return 0;
}
