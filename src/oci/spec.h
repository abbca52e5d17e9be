/* The OCI runtime spec (config.json) as a plain C struct.
 *
 * Contract: oci_spec_parse() either returns a fully built spec or an error
 * naming the offending field in backticks ("`process.args` must be a
 * non-empty array"); it never crashes on any input. Unknown fields are
 * ignored. JSON null counts as absent. Every string and array in the struct
 * belongs to the spec and is released by oci_spec_free(). String vectors
 * (char **) are NULL-terminated and also carry their length.
 * Optional scalars come with a `has_` flag; absent pointers are NULL. */
#ifndef CVISOR_OCI_SPEC_H
#define CVISOR_OCI_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/error.h"

struct oci_kv {
	char *key;
	char *value;
};

struct oci_user {
	uint32_t uid, gid;
	bool has_umask;
	uint32_t umask;
	uint32_t *additional_gids;
	size_t n_additional_gids;
	char *username; /* Windows only; kept for completeness */
};

/* Capability sets as bit masks (bit n = capability n). Names the host does
 * not know are ignored, as runc does. */
struct oci_caps {
	uint64_t bounding, effective, inheritable, permitted, ambient;
};

struct oci_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft, hard;
};

struct oci_process {
	bool terminal;
	bool has_console_size;
	uint32_t console_height, console_width;
	struct oci_user user;
	char **args;
	size_t n_args;
	char **env;
	size_t n_env;
	char *cwd;
	bool has_caps;
	struct oci_caps caps;
	struct oci_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
	char *apparmor_profile;
	char *selinux_label;
};

/* Mount options are split into mount(2) flags, propagation flags and the
 * remaining file-system data ("size=64k,mode=755"). */
struct oci_mount {
	char *destination;
	char *type;
	char *source;
	char **options;
	size_t n_options;
	unsigned long flags;	   /* MS_RDONLY, MS_NOSUID, MS_BIND, MS_REC, ... */
	unsigned long clear_flags; /* flags named negatively ("rw", "suid", "dev") */
	unsigned long propagation; /* MS_PRIVATE/MS_SHARED/MS_SLAVE/MS_UNBINDABLE (| MS_REC) */
	char *data;		   /* other options joined by ",", or NULL */
	bool has_size;		   /* tmpfs size= */
	uint64_t size;
	bool has_mode; /* tmpfs mode= */
	mode_t mode;
};

struct oci_hook {
	char *path;
	char **args;
	size_t n_args;
	char **env;
	size_t n_env;
	int timeout; /* seconds; 0 = none */
};

enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK_NKINDS,
};

struct oci_hook_list {
	struct oci_hook *v;
	size_t n;
};

enum oci_ns_type {
	OCI_NS_PID,
	OCI_NS_NETWORK,
	OCI_NS_MOUNT,
	OCI_NS_IPC,
	OCI_NS_UTS,
	OCI_NS_USER,
	OCI_NS_CGROUP,
	OCI_NS_TIME,
	OCI_NS_NTYPES,
};

struct oci_namespace {
	enum oci_ns_type type;
	char *path; /* join this one instead of creating; NULL = new */
};

struct oci_id_mapping {
	uint32_t container_id, host_id, size;
};

/* A linux.resources.devices rule (the cgroup device controller). */
struct oci_device_rule {
	bool allow;
	char type;	      /* 'a', 'c', 'b' */
	int64_t major, minor; /* -1 = any */
	char access[4];	      /* subset of "rwm" */
};

struct oci_resources {
	bool has_memory_limit, has_memory_reservation, has_memory_swap;
	int64_t memory_limit, memory_reservation, memory_swap; /* bytes, -1 = unlimited */
	bool has_cpu_shares, has_cpu_quota, has_cpu_period;
	uint64_t cpu_shares;
	int64_t cpu_quota; /* -1 = unlimited */
	uint64_t cpu_period;
	char *cpu_cpus, *cpu_mems;
	bool has_pids_limit;
	int64_t pids_limit; /* <= 0 = unlimited */
	struct oci_device_rule *devices;
	size_t n_devices;
};

/* A linux.devices entry: a device node to create in the container. */
struct oci_device {
	char *path;
	char type; /* 'c', 'b', 'u', 'p' */
	int64_t major, minor;
	bool has_file_mode;
	uint32_t file_mode;
	bool has_uid, has_gid;
	uint32_t uid, gid;
};

struct oci_linux {
	struct oci_namespace *namespaces;
	size_t n_namespaces;
	struct oci_id_mapping *uid_mappings, *gid_mappings;
	size_t n_uid_mappings, n_gid_mappings;
	bool has_resources;
	struct oci_resources resources;
	struct oci_kv *sysctl;
	size_t n_sysctl;
	char *cgroups_path;
	char **masked_paths, **readonly_paths;
	size_t n_masked_paths, n_readonly_paths;
	char *seccomp_json; /* linux.seccomp re-serialized, or NULL */
	struct oci_device *devices;
	size_t n_devices;
	char *rootfs_propagation;
	char *mount_label;
};

struct oci_spec {
	char *oci_version;
	struct oci_process *process; /* NULL if absent */
	char *root_path;	     /* as written; may be relative to the bundle */
	bool root_readonly;
	char *hostname;
	char *domainname;
	struct oci_mount *mounts;
	size_t n_mounts;
	struct oci_hook_list hooks[OCI_HOOK_NKINDS];
	struct oci_kv *annotations;
	size_t n_annotations;
	struct oci_linux linux_; /* `linux` is a predefined macro under GNU C */
	bool has_linux;
};

/* Parses config.json text. name prefixes error messages ("config.json").
 * On success *out is a new spec the caller frees. */
int oci_spec_parse(const char *buf, size_t len, const char *name, struct oci_spec **out,
		   struct error **err);
/* Reads and parses a config.json file (at most 16 MiB). */
int oci_spec_load(const char *path, struct oci_spec **out, struct error **err);
void oci_spec_free(struct oci_spec *s);

/* process.json for `exec --process`: the same parser as config.json's
 * `process`. */
int oci_process_parse(const char *buf, size_t len, const char *name, struct oci_process **out,
		      struct error **err);
int oci_process_load(const char *path, struct oci_process **out, struct error **err);
void oci_process_free(struct oci_process *p);

/* An OCI LinuxResources document (`update -r FILE`); field names in errors
 * are relative to it ("`memory.limit`"). */
int oci_resources_parse(const char *buf, size_t len, const char *name, struct oci_resources *out,
			struct error **err);
void oci_resources_clear(struct oci_resources *r);

/* The capability sets the container's program holds once runc's init has
 * set c and called execve: what the Sentry gives the first program. */
void oci_caps_after_exec(const struct oci_caps *c, bool root, uint64_t *eff, uint64_t *perm,
			 uint64_t *inh);

/* Refuses what cvisor cannot honour, naming the field: linux.sysctl keys
 * the sandbox has no value for, more than 64 additionalGids, mount types
 * the sandbox does not know. */
int oci_spec_check(const struct oci_spec *s, struct error **err);
/* linux.sysctl keys that are honoured: the sandbox's own value is set
 * (kernel.hostname, kernel.domainname) or already as asked (the sandbox's
 * network has no privileged ports and allows ping sockets). */
bool oci_sysctl_supported(const char *key);

/* Value of annotation key, or NULL. */
const char *oci_spec_annotation(const struct oci_spec *s, const char *key);
/* The namespace entry of that type, or NULL. */
const struct oci_namespace *oci_spec_namespace(const struct oci_spec *s, enum oci_ns_type t);

/* Names as they appear in config.json ("network", "createRuntime"). */
const char *oci_ns_type_name(enum oci_ns_type t);
const char *oci_hook_kind_name(enum oci_hook_kind k);

/* Capability number for "CAP_SYS_ADMIN", or -1. */
int oci_cap_from_name(const char *name);
/* Name for a capability number, or NULL. */
const char *oci_cap_name(int cap);
/* One past the highest capability number we know. */
int oci_cap_count(void);

/* Parses one mount option into m (flags, propagation or data); used by the
 * spec parser and by tests. Returns -1 with *err set for a bad size=/mode=. */
int oci_mount_add_option(struct oci_mount *m, const char *opt, struct error **err);

/* The i-th mount option we know (flags, propagation, runtime extensions),
 * NULL past the end; for `features`. */
const char *oci_mount_option_name(size_t i);

/* The default config.json of `cvisor spec` (runc's), pretty-printed; rootless
 * adds a user namespace mapping the caller's ids. Caller frees. */
char *oci_spec_default_json(bool rootless);
/* Writes that default to BUNDLE/config.json (bundle NULL = "."); refuses to
 * overwrite an existing one, as runc does. */
int oci_spec_write_default(const char *bundle, bool rootless, struct error **err);

/* runc's `features` document: what this runtime accepts. Caller frees. */
char *oci_features_json(void);

/* Frees a NULL-terminated string vector. */
void oci_strv_free(char **v);

#endif
