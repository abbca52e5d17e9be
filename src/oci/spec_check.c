/* What config.json may ask that the sandbox cannot give: refused by name
 * rather than silently ignored. See spec.h. */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "oci/spec.h"

bool oci_sysctl_supported(const char *key)
{
	static const char *const keys[] = {
	    "kernel.hostname",
	    "kernel.domainname",
	    /* Docker sets the first two for every container with its own
	     * network; the rest are the other sysctls Kubernetes calls safe for
	     * a pod. With no inet stack and no SysV shm inside yet, they have
	     * nothing to act on. */
	    "net.ipv4.ip_unprivileged_port_start",
	    "net.ipv4.ping_group_range",
	    "net.ipv4.ip_local_port_range",
	    "net.ipv4.ip_local_reserved_ports",
	    "net.ipv4.tcp_syncookies",
	    "net.ipv4.tcp_keepalive_time",
	    "net.ipv4.tcp_keepalive_intvl",
	    "net.ipv4.tcp_keepalive_probes",
	    "net.ipv4.tcp_fin_timeout",
	    "kernel.shm_rmid_forced",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static bool mount_type_known(const struct oci_mount *m)
{
	static const char *const types[] = {"bind",   "rbind",	"tmpfs",  "proc",    "sysfs",
					    "devpts", "mqueue", "cgroup", "cgroup2", "shm"};
	if (m->flags & MS_BIND)
		return true;
	for (size_t i = 0; m->type && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(m->type, types[i]) == 0)
			return true;
	return false;
}

int oci_spec_check(const struct oci_spec *s, struct error **err)
{
	const struct oci_linux *l = &s->linux_;
	for (size_t i = 0; i < l->n_sysctl; i++)
		if (!oci_sysctl_supported(l->sysctl[i].key))
			return error_set(err, ENOTSUP,
					 "config.json: `linux.sysctl` `%s` is not supported in the "
					 "sandbox",
					 l->sysctl[i].key);
	if (s->process && s->process->user.n_additional_gids > 64)
		return error_set(err, EINVAL,
				 "config.json: `process.user.additionalGids`: at most 64 groups");
	for (size_t i = 0; i < s->n_mounts; i++)
		if (!mount_type_known(&s->mounts[i]))
			return error_set(err, ENOTSUP,
					 "config.json: `mounts[%zu].type` `%s` is not supported", i,
					 s->mounts[i].type ? s->mounts[i].type : "");
	return 0;
}
