/* cgroup stats as runc's `events --stats` prints them (runc's types in
 * types/events.go: cpu.usage, memory.usage, pids), so tools that read
 * runc's output read ours. */
#include <jansson.h>
#include <stdint.h>

#include "sandbox/cgroup.h"

/* jansson integers are signed; an unlimited limit saturates. */
static json_t *u64(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static json_t *memory_entry(uint64_t limit, uint64_t usage, uint64_t max)
{
	return json_pack("{s:o, s:o, s:o, s:i}", "limit", u64(limit), "usage", u64(usage), "max",
			 u64(max), "failcnt", 0);
}

char *cgroup_stats_event_json(const char *id, const struct cgroup_stats *st)
{
	json_t *cpu =
	    json_pack("{s:{s:o, s:o, s:o}, s:{}}", "usage", "total", u64(st->cpu_usage_ns),
		      "kernel", u64(st->cpu_system_ns), "user", u64(st->cpu_user_ns), "throttling");
	json_t *mem =
	    json_pack("{s:o, s:o, s:o, s:o}", "usage",
		      memory_entry(st->memory_limit, st->memory_usage, st->memory_max_usage),
		      "swap", memory_entry(0, 0, 0), "kernel", memory_entry(0, 0, 0), "kernelTCP",
		      memory_entry(0, 0, 0));
	json_t *pids =
	    json_pack("{s:o, s:o}", "current", u64(st->pids_current), "limit", u64(st->pids_limit));
	json_t *ev =
	    json_pack("{s:s, s:s, s:{s:o, s:{}, s:o, s:o, s:{}, s:{}, s:{}, s:n}}", "type", "stats",
		      "id", id ? id : "", "data", "cpu", cpu, "cpuset", "memory", mem, "pids", pids,
		      "blkio", "hugetlb", "intel_rdt", "network_interfaces");
	if (!ev)
		return NULL;
	char *s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(ev);
	return s;
}
