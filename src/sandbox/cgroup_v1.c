/* cgroup v1 (and hybrid): one directory per controller. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/cgroup_internal.h"

static int write_i64(const char *dir, const char *file, int64_t v, struct error **err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return cg_write(dir, file, buf, err);
}

static int need(struct cgroup *cg, enum cgroup_v1_ctl c, struct error **err)
{
	if (cg->v1_dir[c])
		return 0;
	return error_set(err, ENOTSUP, "the `%s` controller is not mounted", cgroup_v1_names[c]);
}

/* The kernel refuses memory.limit_in_bytes above memory.memsw.limit_in_bytes
 * and the reverse, so when one order fails the other is tried. */
static int apply_memory(struct cgroup *cg, const struct oci_resources *r, struct error **err)
{
	const char *dir = cg->v1_dir[CG1_MEMORY];
	if (r->has_memory_reservation &&
	    write_i64(dir, "memory.soft_limit_in_bytes", r->memory_reservation, err) < 0)
		return -1;
	bool swap = r->has_memory_swap && access(dir, F_OK) == 0;
	if (swap) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/memory.memsw.limit_in_bytes", dir);
		swap = access(p, F_OK) == 0; /* absent without swap accounting */
	}
	if (!r->has_memory_limit)
		return swap ? write_i64(dir, "memory.memsw.limit_in_bytes", r->memory_swap, err)
			    : 0;
	if (!swap)
		return write_i64(dir, "memory.limit_in_bytes", r->memory_limit, err);
	if (write_i64(dir, "memory.limit_in_bytes", r->memory_limit, NULL) == 0)
		return write_i64(dir, "memory.memsw.limit_in_bytes", r->memory_swap, err);
	if (write_i64(dir, "memory.memsw.limit_in_bytes", r->memory_swap, err) < 0)
		return -1;
	return write_i64(dir, "memory.limit_in_bytes", r->memory_limit, err);
}

int cgroup_v1_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err)
{
	if (r->has_memory_limit || r->has_memory_reservation || r->has_memory_swap) {
		if (need(cg, CG1_MEMORY, err) < 0 || apply_memory(cg, r, err) < 0)
			return -1;
	}
	if (r->has_cpu_shares || r->has_cpu_period || r->has_cpu_quota) {
		if (need(cg, CG1_CPU, err) < 0)
			return -1;
		const char *dir = cg->v1_dir[CG1_CPU];
		if (r->has_cpu_shares && r->cpu_shares &&
		    write_i64(dir, "cpu.shares", (int64_t)r->cpu_shares, err) < 0)
			return -1;
		/* Period first: a quota is checked against the current period. */
		if (r->has_cpu_period && r->cpu_period &&
		    write_i64(dir, "cpu.cfs_period_us", (int64_t)r->cpu_period, err) < 0)
			return -1;
		if (r->has_cpu_quota && r->cpu_quota &&
		    write_i64(dir, "cpu.cfs_quota_us", r->cpu_quota, err) < 0)
			return -1;
	}
	if (r->cpu_cpus || r->cpu_mems) {
		if (need(cg, CG1_CPUSET, err) < 0)
			return -1;
		if (r->cpu_cpus && *r->cpu_cpus &&
		    cg_write(cg->v1_dir[CG1_CPUSET], "cpuset.cpus", r->cpu_cpus, err) < 0)
			return -1;
		if (r->cpu_mems && *r->cpu_mems &&
		    cg_write(cg->v1_dir[CG1_CPUSET], "cpuset.mems", r->cpu_mems, err) < 0)
			return -1;
	}
	if (r->has_pids_limit) {
		if (need(cg, CG1_PIDS, err) < 0)
			return -1;
		if (r->pids_limit > 0)
			return write_i64(cg->v1_dir[CG1_PIDS], "pids.max", r->pids_limit, err);
		return cg_write(cg->v1_dir[CG1_PIDS], "pids.max", "max", err);
	}
	return 0;
}

int cgroup_v1_stats(struct cgroup *cg, struct cgroup_stats *st)
{
	const char *mem = cg->v1_dir[CG1_MEMORY], *pids = cg->v1_dir[CG1_PIDS];
	const char *acct = cg->v1_dir[CG1_CPUACCT];
	const char *any = mem ? mem : pids ? pids : acct;
	if (!any || access(any, F_OK) < 0) {
		errno = ENOENT;
		return -1;
	}
	if (mem) {
		cg_read_u64(mem, "memory.usage_in_bytes", &st->memory_usage);
		cg_read_u64(mem, "memory.max_usage_in_bytes", &st->memory_max_usage);
		cg_read_u64(mem, "memory.limit_in_bytes", &st->memory_limit);
		cg_read_key(mem, "memory.oom_control", "oom_kill", &st->oom_kills);
	}
	if (pids) {
		cg_read_u64(pids, "pids.current", &st->pids_current);
		if (cg_read_u64(pids, "pids.max", &st->pids_limit) == 0 &&
		    st->pids_limit == UINT64_MAX)
			st->pids_limit = 0;
	}
	if (acct) {
		cg_read_u64(acct, "cpuacct.usage", &st->cpu_usage_ns);
		/* cpuacct.stat counts USER_HZ ticks. */
		uint64_t ticks, ns_per_tick = 1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK);
		if (cg_read_key(acct, "cpuacct.stat", "user", &ticks) == 0)
			st->cpu_user_ns = ticks * ns_per_tick;
		if (cg_read_key(acct, "cpuacct.stat", "system", &ticks) == 0)
			st->cpu_system_ns = ticks * ns_per_tick;
	}
	return 0;
}

int cgroup_v1_freeze(struct cgroup *cg, bool frozen, struct error **err)
{
	if (need(cg, CG1_FREEZER, err) < 0)
		return -1;
	const char *dir = cg->v1_dir[CG1_FREEZER];
	const char *want = frozen ? "FROZEN" : "THAWED";
	/* A freeze can stay FREEZING while a task is busy in the kernel;
	 * writing again retries it. About 2 s in all. */
	for (int i = 0; i < 400; i++) {
		if (cg_write(dir, "freezer.state", want, err) < 0)
			return -1;
		char state[32];
		if (cg_read(dir, "freezer.state", state, sizeof(state)) < 0)
			return error_set(err, errno, "read `%s/freezer.state`", dir);
		if (strcmp(state, want) == 0)
			return 0;
		nanosleep(&(struct timespec){0, i < 10 ? 1000000L : 5000000L}, NULL);
	}
	cg_write(dir, "freezer.state", "THAWED", NULL);
	return error_set(err, ETIMEDOUT, "`%s/freezer.state` did not reach %s", dir, want);
}
