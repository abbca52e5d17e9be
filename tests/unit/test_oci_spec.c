/* config.json parser: good specs, every field read, and broken specs that
 * must fail with a message naming the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "oci/spec.h"

static struct oci_spec *parse_ok(const char *json)
{
	struct oci_spec *s = NULL;
	struct error *err = NULL;
	int rc = oci_spec_parse(json, strlen(json), "config.json", &s, &err);
	if (rc < 0)
		fail_msg("parse failed: %s", err ? err->msg : "?");
	assert_non_null(s);
	return s;
}

static void test_default_spec(void **state)
{
	char *json = oci_spec_default_json(false);
	assert_non_null(json);
	struct oci_spec *s = parse_ok(json);
	assert_string_equal(s->oci_version, "1.0.2-dev");
	assert_non_null(s->process);
	assert_true(s->process->terminal);
	assert_int_equal(s->process->n_args, 1);
	assert_string_equal(s->process->args[0], "sh");
	assert_null(s->process->args[1]);
	assert_string_equal(s->process->cwd, "/");
	assert_true(s->process->has_caps);
	assert_int_equal(s->process->caps.bounding,
			 (1ULL << oci_cap_from_name("CAP_AUDIT_WRITE")) |
			     (1ULL << oci_cap_from_name("CAP_KILL")) |
			     (1ULL << oci_cap_from_name("CAP_NET_BIND_SERVICE")));
	assert_int_equal(s->process->caps.inheritable, 0);
	assert_int_equal(s->process->n_rlimits, 1);
	assert_int_equal(s->process->rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(s->process->rlimits[0].hard, 1024);
	assert_true(s->process->no_new_privileges);
	assert_string_equal(s->root_path, "rootfs");
	assert_true(s->root_readonly);
	assert_string_equal(s->hostname, "cvisor");
	assert_int_equal(s->n_mounts, 7);
	assert_string_equal(s->mounts[1].destination, "/dev");
	assert_true(s->mounts[1].has_size);
	assert_int_equal(s->mounts[1].size, 65536 * 1024);
	assert_true(s->mounts[1].has_mode);
	assert_int_equal(s->mounts[1].mode, 0755);
	assert_int_equal(s->mounts[1].flags, MS_NOSUID | MS_STRICTATIME);
	assert_string_equal(s->mounts[1].data, "mode=755,size=65536k");
	assert_int_equal(s->mounts[5].flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
	assert_true(s->has_linux);
	assert_int_equal(s->linux_.n_namespaces, 6);
	assert_non_null(oci_spec_namespace(s, OCI_NS_NETWORK));
	assert_null(oci_spec_namespace(s, OCI_NS_USER));
	assert_int_equal(s->linux_.n_masked_paths, 10);
	assert_int_equal(s->linux_.n_readonly_paths, 5);
	assert_true(s->linux_.has_resources);
	assert_int_equal(s->linux_.resources.n_devices, 1);
	assert_false(s->linux_.resources.devices[0].allow);
	assert_int_equal(s->linux_.resources.devices[0].type, 'a');
	oci_spec_free(s);
	free(json);
}

static void test_default_rootless(void **state)
{
	char *json = oci_spec_default_json(true);
	struct oci_spec *s = parse_ok(json);
	assert_non_null(oci_spec_namespace(s, OCI_NS_USER));
	assert_null(oci_spec_namespace(s, OCI_NS_NETWORK));
	assert_int_equal(s->linux_.n_uid_mappings, 1);
	assert_int_equal(s->linux_.uid_mappings[0].host_id, geteuid());
	assert_false(s->linux_.has_resources);
	for (size_t i = 0; i < s->n_mounts; i++) {
		assert_string_not_equal(s->mounts[i].destination, "/sys/fs/cgroup");
		if (strcmp(s->mounts[i].destination, "/sys") == 0)
			assert_true(s->mounts[i].flags & MS_BIND);
	}
	oci_spec_free(s);
	free(json);
}

static const char full_spec[] =
    "{\"ociVersion\":\"1.1.0\",\"unknownTop\":{\"x\":[1,2]},"
    "\"process\":{\"terminal\":false,\"consoleSize\":{\"height\":24,\"width\":80},"
    "\"user\":{\"uid\":1000,\"gid\":100,\"umask\":18,\"additionalGids\":[5,6,7]},"
    "\"args\":[\"/bin/echo\",\"hi\"],\"env\":[\"A=1\",\"B=2\"],\"cwd\":\"/tmp\","
    "\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\",\"CAP_NOT_A_CAP\"],"
    "\"inheritable\":[\"cap_chown\"]},"
    "\"rlimits\":[{\"type\":\"RLIMIT_MEMLOCK\",\"soft\":18446744073709551615,"
    "\"hard\":18446744073709551615},{\"type\":\"RLIMIT_NPROC\",\"soft\":10,\"hard\":20}],"
    "\"noNewPrivileges\":false,\"oomScoreAdj\":-500,\"apparmorProfile\":\"p\","
    "\"selinuxLabel\":\"l\"},"
    "\"root\":{\"path\":\"/abs/rootfs\"},\"hostname\":\"h\",\"domainname\":\"d\","
    "\"mounts\":[{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/src\","
    "\"options\":[\"rbind\",\"ro\",\"rprivate\",\"nosuid\",\"suid\"]},"
    "{\"destination\":\"/t\",\"type\":\"tmpfs\",\"options\":[\"size=50%\",\"mode=1777\","
    "\"tmpcopyup\",\"uid=3\"]}],"
    "\"hooks\":{\"prestart\":[{\"path\":\"/bin/true\"}],"
    "\"createRuntime\":[{\"path\":\"/bin/a\",\"args\":[\"a\",\"b\"],\"env\":[\"X=y\"],"
    "\"timeout\":5},{\"path\":\"/bin/b\"}],\"poststop\":[]},"
    "\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\",\"k\":\"v\"},"
    "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\","
    "\"path\":\"/proc/1/ns/net\"},{\"type\":\"user\"},{\"type\":\"time\"}],"
    "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
    "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
    "\"resources\":{\"memory\":{\"limit\":104857600,\"reservation\":52428800,"
    "\"swap\":-1},\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,"
    "\"cpus\":\"0-1\",\"mems\":\"0\"},\"pids\":{\"limit\":100},"
    "\"devices\":[{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,"
    "\"access\":\"rw\"}]},"
    "\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"},\"cgroupsPath\":\"/my/cg\","
    "\"maskedPaths\":[\"/proc/kcore\"],\"readonlyPaths\":[\"/proc/sys\"],"
    "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[]},"
    "\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229,"
    "\"fileMode\":438,\"uid\":0,\"gid\":0}],\"rootfsPropagation\":\"rslave\"}}";

static void test_full_spec(void **state)
{
	struct oci_spec *s = parse_ok(full_spec);
	struct oci_process *p = s->process;
	assert_false(p->terminal);
	assert_true(p->has_console_size);
	assert_int_equal(p->console_height, 24);
	assert_int_equal(p->console_width, 80);
	assert_int_equal(p->user.uid, 1000);
	assert_int_equal(p->user.gid, 100);
	assert_true(p->user.has_umask);
	assert_int_equal(p->user.umask, 022);
	assert_int_equal(p->user.n_additional_gids, 3);
	assert_int_equal(p->user.additional_gids[2], 7);
	assert_int_equal(p->n_env, 2);
	assert_string_equal(p->env[1], "B=2");
	assert_string_equal(p->cwd, "/tmp");
	assert_int_equal(p->caps.bounding, 1ULL << 21);
	assert_int_equal(p->caps.inheritable, 1ULL << 0);
	assert_int_equal(p->n_rlimits, 2);
	assert_int_equal(p->rlimits[0].resource, RLIMIT_MEMLOCK);
	assert_true(p->rlimits[0].soft == UINT64_MAX);
	assert_true(p->rlimits[0].hard == UINT64_MAX);
	assert_int_equal(p->rlimits[1].soft, 10);
	assert_true(p->has_oom_score_adj);
	assert_int_equal(p->oom_score_adj, -500);
	assert_string_equal(p->apparmor_profile, "p");
	assert_string_equal(p->selinux_label, "l");
	assert_string_equal(s->root_path, "/abs/rootfs");
	assert_false(s->root_readonly);
	assert_string_equal(s->domainname, "d");
	assert_int_equal(s->n_mounts, 2);
	assert_int_equal(s->mounts[0].flags, MS_BIND | MS_REC | MS_RDONLY);
	assert_int_equal(s->mounts[0].clear_flags, MS_NOSUID);
	assert_int_equal(s->mounts[0].propagation, MS_PRIVATE | MS_REC);
	assert_null(s->mounts[0].data);
	assert_false(s->mounts[1].has_size);
	assert_int_equal(s->mounts[1].mode, 01777);
	assert_string_equal(s->mounts[1].data, "size=50%,mode=1777,uid=3");
	assert_int_equal(s->hooks[OCI_HOOK_PRESTART].n, 1);
	assert_int_equal(s->hooks[OCI_HOOK_CREATE_RUNTIME].n, 2);
	assert_int_equal(s->hooks[OCI_HOOK_CREATE_RUNTIME].v[0].timeout, 5);
	assert_string_equal(s->hooks[OCI_HOOK_CREATE_RUNTIME].v[0].args[1], "b");
	assert_string_equal(s->hooks[OCI_HOOK_CREATE_RUNTIME].v[0].env[0], "X=y");
	assert_int_equal(s->hooks[OCI_HOOK_POSTSTOP].n, 0);
	assert_string_equal(oci_spec_annotation(s, "io.kubernetes.cri.container-type"), "sandbox");
	assert_null(oci_spec_annotation(s, "nope"));
	const struct oci_namespace *net = oci_spec_namespace(s, OCI_NS_NETWORK);
	assert_string_equal(net->path, "/proc/1/ns/net");
	assert_non_null(oci_spec_namespace(s, OCI_NS_TIME));
	assert_int_equal(s->linux_.uid_mappings[0].host_id, 100000);
	assert_int_equal(s->linux_.gid_mappings[0].size, 65536);
	struct oci_resources *r = &s->linux_.resources;
	assert_int_equal(r->memory_limit, 104857600);
	assert_int_equal(r->memory_reservation, 52428800);
	assert_int_equal(r->memory_swap, -1);
	assert_int_equal(r->cpu_shares, 512);
	assert_int_equal(r->cpu_quota, 50000);
	assert_int_equal(r->cpu_period, 100000);
	assert_string_equal(r->cpu_cpus, "0-1");
	assert_true(r->has_pids_limit);
	assert_int_equal(r->pids_limit, 100);
	assert_int_equal(r->devices[0].major, 1);
	assert_string_equal(r->devices[0].access, "rw");
	assert_string_equal(s->linux_.sysctl[0].key, "net.ipv4.ip_forward");
	assert_string_equal(s->linux_.cgroups_path, "/my/cg");
	assert_non_null(strstr(s->linux_.seccomp_json, "SCMP_ACT_ERRNO"));
	assert_int_equal(s->linux_.devices[0].file_mode, 0666);
	assert_int_equal(s->linux_.devices[0].minor, 229);
	assert_string_equal(s->linux_.rootfs_propagation, "rslave");
	oci_spec_free(s);
}

/* Each broken config and a piece of the message it must give. */
#define MIN "\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"r\"}"
static const struct {
	const char *json, *msg;
} broken[] = {
    {"", "invalid JSON"},
    {"{", "invalid JSON"},
    {"[]", "must be a JSON object"},
    {"null", "invalid JSON"},
    {"{}", "`ociVersion` is required"},
    {"{\"ociVersion\":1}", "`ociVersion` must be a string"},
    {"{\"ociVersion\":\"1\"}", "`root` is required"},
    {"{\"ociVersion\":\"1\",\"root\":[]}", "`root` must be an object"},
    {"{\"ociVersion\":\"1\",\"root\":{}}", "`root.path` is required"},
    {"{\"ociVersion\":\"1\",\"root\":{\"path\":\"\"}}", "`root.path` must not be empty"},
    {"{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\",\"readonly\":1}}",
     "`root.readonly` must be true or false"},
    {"{" MIN ",\"process\":1}", "`process` must be an object"},
    {"{" MIN ",\"process\":{}}", "`process.args` must be a non-empty array"},
    {"{" MIN ",\"process\":{\"args\":[]}}", "`process.args` must be a non-empty array"},
    {"{" MIN ",\"process\":{\"args\":\"sh\"}}", "`process.args` must be an array"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\",3]}}", "`process.args[1]` must be a string"},
    {"{" MIN ",\"process\":{\"args\":[\"a\\u0000b\"]}}", "\\u0000 is not allowed"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"cwd\":\"rel\"}}",
     "`process.cwd` must be an absolute path"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"terminal\":\"yes\"}}",
     "`process.terminal` must be true or false"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"user\":{\"uid\":-1}}}",
     "`process.user.uid` must be a non-negative integer"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"user\":{\"uid\":4294967296}}}",
     "`process.user.uid` is out of range"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"user\":{\"gid\":1.5}}}",
     "`process.user.gid` must be a non-negative integer"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"user\":{\"additionalGids\":[1,\"x\"]}}}",
     "`process.user.additionalGids[1]`"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"user\":{\"umask\":99999}}}",
     "`process.user.umask` is out of range"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"capabilities\":[]}}",
     "`process.capabilities` must be an object"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"capabilities\":{\"bounding\":[1]}}}",
     "`process.capabilities.bounding[0]` must be a string"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_X\","
     "\"soft\":1,\"hard\":1}]}}",
     "`process.rlimits[0].type`: unknown rlimit `RLIMIT_X`"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_CPU\","
     "\"soft\":2,\"hard\":1}]}}",
     "soft limit is above the hard limit"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_CPU\"}]}}",
     "`process.rlimits[0]` needs `soft` and `hard`"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_CPU\","
     "\"soft\":1,\"hard\":1},{\"type\":\"RLIMIT_CPU\",\"soft\":1,\"hard\":1}]}}",
     "given twice"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_CPU\","
     "\"soft\":1e30,\"hard\":1}]}}",
     "`process.rlimits[0].soft` must be a non-negative integer"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_CPU\","
     "\"soft\":184467440737095516150,\"hard\":1}]}}",
     "`process.rlimits[0].soft` must be a non-negative integer"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"oomScoreAdj\":1001}}",
     "`process.oomScoreAdj` is out of range"},
    {"{" MIN ",\"process\":{\"args\":[\"sh\"],\"consoleSize\":{\"height\":-3}}}",
     "`process.consoleSize.height`"},
    {"{" MIN ",\"mounts\":{}}", "`mounts` must be an array"},
    {"{" MIN ",\"mounts\":[1]}", "`mounts[0]` must be an object"},
    {"{" MIN ",\"mounts\":[{}]}", "`mounts[0].destination` is required"},
    {"{" MIN ",\"mounts\":[{\"destination\":\"/a\"},{\"destination\":\"\"}]}",
     "`mounts[1].destination` must not be empty"},
    {"{" MIN ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"size=big\"]}]}",
     "`mounts[0].options[0]`: bad size `big`"},
    {"{" MIN ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"mode=999\"]}]}",
     "`mounts[0].options[0]`: bad mode"},
    {"{" MIN ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"mode=-1\"]}]}", "bad mode"},
    {"{" MIN ",\"hooks\":[]}", "`hooks` must be an object"},
    {"{" MIN ",\"hooks\":{\"prestart\":{}}}", "`hooks.prestart` must be an array"},
    {"{" MIN ",\"hooks\":{\"poststop\":[{}]}}", "`hooks.poststop[0].path` is required"},
    {"{" MIN ",\"hooks\":{\"poststart\":[{\"path\":\"rel\"}]}}",
     "`hooks.poststart[0].path` must be an absolute path"},
    {"{" MIN ",\"hooks\":{\"createRuntime\":[{\"path\":\"/a\",\"timeout\":0}]}}",
     "`hooks.createRuntime[0].timeout` must be greater than zero"},
    {"{" MIN ",\"annotations\":{\"a\":1}}", "`annotations.a` must be a string"},
    {"{" MIN ",\"annotations\":[]}", "`annotations` must be an object"},
    {"{" MIN ",\"linux\":3}", "`linux` must be an object"},
    {"{" MIN ",\"linux\":{\"namespaces\":[{\"type\":\"bogus\"}]}}",
     "`linux.namespaces[0].type`: unknown namespace `bogus`"},
    {"{" MIN ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}}",
     "`linux.namespaces[1].type`: namespace `pid` given twice"},
    {"{" MIN ",\"linux\":{\"namespaces\":[{\"type\":\"net\"}]}}", "unknown namespace"},
    {"{" MIN ",\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":\"x\"}]}}",
     "`linux.namespaces[0].path` must be an absolute path"},
    {"{" MIN ",\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":0}]}}",
     "`linux.uidMappings[0]` needs"},
    {"{" MIN ",\"linux\":{\"gidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":0}]}}",
     "`linux.gidMappings[0].size` is out of range"},
    {"{" MIN ",\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1G\"}}}}",
     "`linux.resources.memory.limit` must be an integer"},
    {"{" MIN ",\"linux\":{\"resources\":{\"memory\":{\"limit\":-2}}}}",
     "`linux.resources.memory.limit` is out of range"},
    {"{" MIN ",\"linux\":{\"resources\":{\"memory\":{\"limit\":100,\"swap\":50}}}}",
     "`linux.resources.memory.swap` must not be below"},
    {"{" MIN ",\"linux\":{\"resources\":{\"cpu\":{\"shares\":-1}}}}",
     "`linux.resources.cpu.shares` must be a non-negative integer"},
    {"{" MIN ",\"linux\":{\"resources\":{\"cpu\":{\"period\":10}}}}",
     "`linux.resources.cpu.period` must be within"},
    {"{" MIN ",\"linux\":{\"resources\":{\"pids\":{\"limit\":true}}}}",
     "`linux.resources.pids.limit` must be an integer"},
    {"{" MIN ",\"linux\":{\"resources\":{\"devices\":[{\"access\":\"rwm\"}]}}}",
     "`linux.resources.devices[0].allow` is required"},
    {"{" MIN ",\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"type\":\"x\"}]}}}",
     "`linux.resources.devices[0].type`"},
    {"{" MIN ",\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]}}}",
     "`linux.resources.devices[0].access`"},
    {"{" MIN ",\"linux\":{\"sysctl\":{\"a\":[]}}}", "`linux.sysctl.a` must be a string"},
    {"{" MIN ",\"linux\":{\"cgroupsPath\":5}}", "`linux.cgroupsPath` must be a string"},
    {"{" MIN ",\"linux\":{\"maskedPaths\":[null]}}", "`linux.maskedPaths[0]` must be a string"},
    {"{" MIN ",\"linux\":{\"seccomp\":[]}}", "`linux.seccomp` must be an object"},
    {"{" MIN ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\"}]}}",
     "`linux.devices[0]` needs `major` and `minor`"},
    {"{" MIN ",\"linux\":{\"devices\":[{\"path\":\"dev/x\",\"type\":\"p\"}]}}",
     "`linux.devices[0].path` must be an absolute path"},
    {"{" MIN ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"q\"}]}}",
     "`linux.devices[0].type`"},
};

static void test_broken_specs(void **state)
{
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct oci_spec *s = NULL;
		struct error *err = NULL;
		int rc =
		    oci_spec_parse(broken[i].json, strlen(broken[i].json), "config.json", &s, &err);
		if (rc >= 0)
			fail_msg("case %zu parsed but should not: %s", i, broken[i].json);
		assert_null(s);
		assert_non_null(err);
		if (!strstr(err->msg, broken[i].msg) || strncmp(err->msg, "config.json: ", 13))
			fail_msg("case %zu: message `%s` lacks `%s`", i, err->msg, broken[i].msg);
		error_free(err);
	}
}

static void test_nulls_are_absent(void **state)
{
	struct oci_spec *s = parse_ok("{" MIN ",\"process\":{\"args\":[\"x\"],\"env\":null,"
				      "\"user\":null},\"hostname\":null,\"linux\":null}");
	assert_null(s->process->env);
	assert_null(s->hostname);
	assert_false(s->has_linux);
	oci_spec_free(s);
}

static void test_process_json(void **state)
{
	const char *json = "{\"terminal\":true,\"args\":[\"/bin/sh\",\"-c\",\"id\"],"
			   "\"env\":[\"PATH=/bin\"],\"cwd\":\"/\",\"user\":{\"uid\":5}}";
	struct oci_process *p = NULL;
	struct error *err = NULL;
	assert_int_equal(oci_process_parse(json, strlen(json), "process.json", &p, &err), 0);
	assert_true(p->terminal);
	assert_int_equal(p->n_args, 3);
	assert_int_equal(p->user.uid, 5);
	oci_process_free(p);
	p = NULL;
	json = "{\"args\":[]}";
	assert_int_equal(oci_process_parse(json, strlen(json), "process.json", &p, &err), -1);
	assert_null(p);
	assert_string_equal(err->msg, "process.json: `process.args` must be a non-empty array");
	error_free(err);
}

static void test_mount_options(void **state)
{
	struct oci_mount m = {0};
	struct error *err = NULL;
	const char *opts[] = {"ro",	"rw",	  "nodev",   "dev",
			      "noexec", "shared", "size=1g", "mode=700"};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		assert_int_equal(oci_mount_add_option(&m, opts[i], &err), 0);
	assert_int_equal(m.flags, MS_NOEXEC);
	assert_int_equal(m.clear_flags, MS_RDONLY | MS_NODEV);
	assert_int_equal(m.propagation, MS_SHARED);
	assert_int_equal(m.size, 1ULL << 30);
	assert_int_equal(m.mode, 0700);
	assert_string_equal(m.data, "size=1g,mode=700");
	assert_int_equal(oci_mount_add_option(&m, "size=99999999999999999999k", &err), -1);
	error_free(err);
	free(m.data);
}

static void test_caps_table(void **state)
{
	assert_int_equal(oci_cap_from_name("CAP_CHOWN"), 0);
	assert_int_equal(oci_cap_from_name("CAP_SYS_ADMIN"), 21);
	assert_int_equal(oci_cap_from_name("CAP_CHECKPOINT_RESTORE"), 40);
	assert_int_equal(oci_cap_from_name("CAP_NOPE"), -1);
	assert_string_equal(oci_cap_name(13), "CAP_NET_RAW");
	assert_null(oci_cap_name(64));
	assert_string_equal(oci_ns_type_name(OCI_NS_NETWORK), "network");
	assert_string_equal(oci_hook_kind_name(OCI_HOOK_CREATE_RUNTIME), "createRuntime");
}

/* An unlimited rlimit (2^64-1) makes the parser read numbers as reals;
 * seccomp's raw JSON must still carry integers. */
static void test_seccomp_ints_after_overflow(void **state)
{
	struct oci_spec *s = parse_ok(
	    "{" MIN ",\"process\":{\"args\":[\"x\"],\"rlimits\":[{\"type\":\"RLIMIT_CORE\","
	    "\"soft\":18446744073709551615,\"hard\":18446744073709551615}]},"
	    "\"linux\":{\"seccomp\":{\"syscalls\":[{\"names\":[\"personality\"],"
	    "\"args\":[{\"index\":0,\"value\":131072,\"op\":\"SCMP_CMP_EQ\"}]}]}}}");
	assert_non_null(strstr(s->linux_.seccomp_json, "\"index\":0,"));
	assert_non_null(strstr(s->linux_.seccomp_json, "\"value\":131072,"));
	oci_spec_free(s);
}

static void test_load_missing(void **state)
{
	struct oci_spec *s = NULL;
	struct error *err = NULL;
	assert_int_equal(oci_spec_load("/nonexistent/config.json", &s, &err), -1);
	assert_non_null(strstr(err->msg, "`/nonexistent/config.json`"));
	error_free(err);
}

/* tests/unit/data/NAME, next to this file (tests run from the repository). */
static struct oci_spec *load_data(const char *name)
{
	char path[4096];
	const char *slash = strrchr(__FILE__, '/');
	snprintf(path, sizeof(path), "%.*s/data/%s", slash ? (int)(slash - __FILE__) : 1,
		 slash ? __FILE__ : ".", name);
	struct oci_spec *s = NULL;
	struct error *err = NULL;
	if (oci_spec_load(path, &s, &err) < 0)
		fail_msg("%s: %s", path, err ? err->msg : "?");
	return s;
}

/* What Podman 4 writes for `podman run --network none`: accepted, every
 * field the sandbox honours read. */
static void test_podman_config(void **state)
{
	struct oci_spec *s = load_data("podman_config.json");
	struct error *err = NULL;
	if (oci_spec_check(s, &err) < 0)
		fail_msg("refused: %s", err->msg);
	assert_int_equal(s->process->user.umask, 022);
	assert_int_equal(s->process->user.n_additional_gids, 11);
	assert_int_equal(s->process->user.additional_gids[10], 27);
	assert_int_equal(s->process->n_rlimits, 2);
	assert_int_equal(s->process->rlimits[1].resource, RLIMIT_NPROC);
	assert_true(s->process->has_oom_score_adj);
	assert_int_equal(s->linux_.resources.pids_limit, 2048);
	assert_string_equal(oci_spec_namespace(s, OCI_NS_NETWORK)->path,
			    "/run/netns/netns-7d2c1e4a");
	assert_int_equal(s->linux_.n_masked_paths, 11);
	uint64_t eff, perm, inh;
	oci_caps_after_exec(&s->process->caps, true, &eff, &perm, &inh);
	assert_int_equal(eff, s->process->caps.bounding);
	assert_int_equal(inh, 0);
	/* A network namespace path is the Sentry's to join (sandbox/netns.c). */
	if (oci_spec_check(s, &err) < 0)
		fail_msg("%s", err->msg);
	oci_spec_free(s);
}

/* What `ctr run` (containerd 1.6) writes: accepted. */
static void test_containerd_config(void **state)
{
	struct oci_spec *s = load_data("containerd_config.json");
	struct error *err = NULL;
	if (oci_spec_check(s, &err) < 0)
		fail_msg("refused: %s", err->msg);
	assert_true(s->process->no_new_privileges);
	assert_string_equal(s->linux_.cgroups_path, "/default/c1");
	assert_int_equal(s->n_mounts, 7);
	assert_true(s->mounts[3].has_size);
	assert_int_equal(s->mounts[3].mode, 01777);
	assert_int_equal(s->linux_.resources.n_devices, 1);
	assert_false(s->linux_.resources.has_pids_limit);
	oci_spec_free(s);
}

/* What dockerd 20.10 writes (network none): accepted, its two sysctls
 * included. */
static void test_docker_config(void **state)
{
	struct oci_spec *s = load_data("docker_config.json");
	struct error *err = NULL;
	if (oci_spec_check(s, &err) < 0)
		fail_msg("refused: %s", err->msg);
	assert_int_equal(s->linux_.n_sysctl, 2);
	assert_int_equal(s->hooks[OCI_HOOK_PRESTART].n, 1);
	assert_true(s->linux_.resources.has_cpu_shares);
	assert_int_equal(s->linux_.resources.cpu_shares, 0);
	oci_spec_free(s);
}

/* A non-root user keeps the ambient set only, within permitted and
 * inheritable, as Linux's execve does without file capabilities. */
static void test_caps_after_exec(void **state)
{
	struct oci_caps c = {.bounding = 0xff,
			     .effective = 0x0f,
			     .permitted = 0x0f,
			     .inheritable = 0x30,
			     .ambient = 0x31};
	uint64_t eff, perm, inh;
	oci_caps_after_exec(&c, false, &eff, &perm, &inh);
	assert_int_equal(eff, 0);
	assert_int_equal(perm, 0);
	c.permitted = 0x3f;
	oci_caps_after_exec(&c, false, &eff, &perm, &inh);
	assert_int_equal(eff, 0x30);
	assert_int_equal(perm, 0x30);
	assert_int_equal(inh, 0x30);
	oci_caps_after_exec(&c, true, &eff, &perm, &inh);
	assert_int_equal(perm, 0xff);
}

/* Fields the sandbox cannot honour are refused by name. */
static void test_check_refuses(void **state)
{
	static const struct {
		const char *json, *field;
	} cases[] = {
	    {"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},"
	     "\"linux\":{\"sysctl\":{"
	     "\"kernel.shmmax\":\"1\"}}}",
	     "`linux.sysctl` `kernel.shmmax`"},
	    {"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"x\"]},"
	     "\"mounts\":[{"
	     "\"destination\":\"/x\",\"type\":"
	     "\"nfs\"}]}",
	     "`mounts[0].type` `nfs`"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oci_spec *s = parse_ok(cases[i].json);
		struct error *err = NULL;
		assert_int_equal(oci_spec_check(s, &err), -1);
		if (!strstr(err->msg, cases[i].field))
			fail_msg("`%s` does not name %s", err->msg, cases[i].field);
		error_free(err);
		oci_spec_free(s);
	}
	assert_true(oci_sysctl_supported("kernel.domainname"));
	assert_false(oci_sysctl_supported("kernel.msgmax"));
}

/* `update -r`: a LinuxResources document on its own. */
static void test_resources_parse(void **state)
{
	struct oci_resources r;
	struct error *err = NULL;
	const char *ok = "{\"memory\":{\"limit\":1048576,\"swap\":-1},\"cpu\":{\"cpus\":\"0\"},"
			 "\"pids\":{\"limit\":9}}";
	assert_int_equal(oci_resources_parse(ok, strlen(ok), "r.json", &r, &err), 0);
	assert_true(r.has_memory_limit);
	assert_int_equal(r.memory_limit, 1048576);
	assert_int_equal(r.memory_swap, -1);
	assert_string_equal(r.cpu_cpus, "0");
	assert_int_equal(r.pids_limit, 9);
	assert_false(r.has_cpu_shares);
	oci_resources_clear(&r);
	const char *bad = "{\"cpu\":{\"period\":5}}";
	assert_int_equal(oci_resources_parse(bad, strlen(bad), "r.json", &r, &err), -1);
	assert_non_null(strstr(err->msg, "`cpu.period`"));
	assert_non_null(strstr(err->msg, "r.json"));
	error_free(err);
	err = NULL;
	assert_int_equal(oci_resources_parse("[1]", 3, "r.json", &r, &err), -1);
	error_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_spec),
	    cmocka_unit_test(test_default_rootless),
	    cmocka_unit_test(test_full_spec),
	    cmocka_unit_test(test_broken_specs),
	    cmocka_unit_test(test_nulls_are_absent),
	    cmocka_unit_test(test_process_json),
	    cmocka_unit_test(test_mount_options),
	    cmocka_unit_test(test_caps_table),
	    cmocka_unit_test(test_load_missing),
	    cmocka_unit_test(test_seccomp_ints_after_overflow),
	    cmocka_unit_test(test_podman_config),
	    cmocka_unit_test(test_containerd_config),
	    cmocka_unit_test(test_docker_config),
	    cmocka_unit_test(test_caps_after_exec),
	    cmocka_unit_test(test_check_refuses),
	    cmocka_unit_test(test_resources_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
