/* `cvisor features`: runc's features document (runtime-spec
 * features.md), listing what config.json may ask of us. */
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>

#include "oci/spec.h"
#include "oci/state.h"

static json_t *strings(const char *const *v)
{
	json_t *a = json_array();
	for (; *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

char *oci_features_json(void)
{
	static const char *const namespaces[] = {"cgroup", "ipc",  "mount", "network",
						 "pid",	   "user", "uts",   NULL};
	static const char *const actions[] = {"SCMP_ACT_ALLOW",	      "SCMP_ACT_ERRNO",
					      "SCMP_ACT_KILL",	      "SCMP_ACT_KILL_PROCESS",
					      "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
					      "SCMP_ACT_NOTIFY",      "SCMP_ACT_TRACE",
					      "SCMP_ACT_TRAP",	      NULL};
	static const char *const operators[] = {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
						"SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ",
						"SCMP_CMP_NE", NULL};
	static const char *const archs[] = {"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
					    NULL};

	json_t *hooks = json_array();
	for (int k = 0; k < OCI_HOOK_NKINDS; k++)
		json_array_append_new(hooks, json_string(oci_hook_kind_name(k)));
	json_t *mopts = json_array();
	for (size_t i = 0; oci_mount_option_name(i); i++)
		json_array_append_new(mopts, json_string(oci_mount_option_name(i)));
	json_t *caps = json_array();
	for (int c = 0; c < oci_cap_count(); c++)
		json_array_append_new(caps, json_string(oci_cap_name(c)));

	const struct scmp_version *v = seccomp_version();
	char ver[48] = "";
	if (v)
		snprintf(ver, sizeof(ver), "%u.%u.%u", v->major, v->minor, v->micro);

	json_t *doc = json_pack(
	    "{s:s, s:s, s:o, s:o, s:{s:o, s:o, s:{s:b, s:b, s:b, s:b}, "
	    "s:{s:b, s:o, s:o, s:o}, s:{s:b}, s:{s:b}}, s:{s:s}}",
	    "ociVersionMin", "1.0.0", "ociVersionMax", OCI_VERSION, "hooks", hooks, "mountOptions",
	    mopts, "linux", "namespaces", strings(namespaces), "capabilities", caps, "cgroup", "v1",
	    1, "v2", 1, "systemd", 0, "systemdUser", 0, "seccomp", "enabled", 1, "actions",
	    strings(actions), "operators", strings(operators), "archs", strings(archs), "apparmor",
	    "enabled", 0, "selinux", "enabled", 0, "annotations",
	    "io.github.seccomp.libseccomp.version", ver);
	if (!doc)
		return NULL;
	char *s = json_dumps(doc, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s;
}
