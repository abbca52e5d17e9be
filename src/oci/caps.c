/* Capability names <-> numbers, for config.json and `features`. The table
 * follows linux/capability.h; a name we do not know maps to -1 and the spec
 * parser ignores it, as runc does for capabilities newer than itself. */
#include <string.h>
#include <strings.h>

#include "oci/spec.h"

static const char *const cap_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

int oci_cap_count(void)
{
	return (int)(sizeof(cap_names) / sizeof(cap_names[0]));
}

int oci_cap_from_name(const char *name)
{
	for (int i = 0; i < oci_cap_count(); i++)
		if (strcasecmp(cap_names[i], name) == 0)
			return i;
	return -1;
}

const char *oci_cap_name(int cap)
{
	return cap >= 0 && cap < oci_cap_count() ? cap_names[cap] : NULL;
}

void oci_caps_after_exec(const struct oci_caps *c, bool root, uint64_t *eff, uint64_t *perm,
			 uint64_t *inh)
{
	/* Linux's execve rule without file capabilities: root gets its
	 * inheritable set plus the bounding set; others keep only the
	 * ambient set (which must stay within permitted and inheritable). */
	uint64_t amb = c->ambient & c->permitted & c->inheritable;
	*perm = root ? (c->inheritable | c->bounding) : amb;
	*eff = root ? *perm & (c->effective | c->bounding) : amb;
	*inh = c->inheritable;
}
