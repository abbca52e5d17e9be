#!/bin/bash
# linux.resources on the sandbox's host cgroup: limits written at create
# (v1 controllers, and the cgroup2 tree where it enforces), `update`
# changing them, `events --stats` printing runc's JSON, `delete` (also
# --force after a crashed Sentry) removing the cgroup, cgroupsPath and
# --systemd-cgroup paths.
cd "$(dirname "$0")/../.."
. tests/oci/lib/container_test.sh
need_static_busybox
[ "$(id -u)" = 0 ] || { echo "cgroups need root"; exit 77; }
grep -q cgroup /proc/self/mountinfo || { echo "no cgroup file system mounted"; exit 77; }

bundle=$tmp/bundle
mkdir -p "$bundle/rootfs/bin"
cp /bin/busybox "$bundle/rootfs/bin/"
(cd "$bundle" && "$CVISOR" spec) || fail "spec"
# config 'python statements on d'
config() {
	python3 - "$bundle/config.json" "$1" <<'PY' || fail "config edit"
import json, sys
d = json.load(open(sys.argv[1]))
d["process"]["terminal"] = False
d["process"]["args"] = ["/bin/busybox", "sleep", "60"]
d["linux"]["resources"] = {"memory": {"limit": 268435456}, "pids": {"limit": 77},
                           "cpu": {"shares": 512, "quota": 50000, "period": 100000}}
exec(sys.argv[2])
json.dump(d, open(sys.argv[1], "w"))
PY
}
# The directory of cgroup path $2 for controller $1 (v1), or in cgroup2 ($1 = unified).
# mountinfo: "... MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS"
mounts() { awk -F' - ' '{split($1, a, " "); split($2, b, " "); print b[1], a[5], b[3]}' /proc/self/mountinfo; }
mnt() { mounts | awk -v c="$1" '$1=="cgroup" && ("," $3 ",") ~ ("," c ",") {print $2; exit}'; }
v2=$(mounts | awk '$1=="cgroup2" {print $2; exit}')
v1mem=$(mnt memory) v1pids=$(mnt pids)
checked=0
limits() { # limits CGPATH MEM PIDS: the values the host enforces
	if [ -n "$v1mem" ]; then
		[ "$(cat "$v1mem$1/memory.limit_in_bytes")" = "$2" ] ||
			fail "v1 memory limit: $(cat "$v1mem$1/memory.limit_in_bytes") want $2"
		[ "$(cat "$v1pids$1/pids.max")" = "$3" ] || fail "v1 pids.max: want $3"
		checked=1
	elif [ -n "$v2" ]; then
		[ "$(cat "$v2$1/memory.max")" = "$2" ] || fail "v2 memory.max: want $2"
		[ "$(cat "$v2$1/pids.max")" = "$3" ] || fail "v2 pids.max: want $3"
		checked=1
	fi
}
rmdir_all() { # rmdir_all CGPATH: an empty parent the test made, in every hierarchy
	for c in cpu cpuacct cpuset memory pids freezer devices blkio name=systemd; do
		d=$(mnt $c) && [ -n "$d" ] && rmdir "$d$1" 2>/dev/null
	done
	[ -n "$v2" ] && rmdir "$v2$1" 2>/dev/null
	return 0
}
exists() { # exists CGPATH: in any hierarchy we use
	[ -n "$v1mem" ] && [ -d "$v1mem$1" ] && return 0
	[ -n "$v2" ] && [ -d "$v2$1" ] && return 0
	return 1
}

# 1. create: the limits are on the host cgroup, the Sentry inside it.
config ""
cv create --bundle "$bundle" r1 || fail "create"
pid=$(cv state r1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
# The default path, /cvisor/ID, carries the state root's hash here.
cg=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cvisor"]["cgroupPath"])' "$tmp/state/r1/state.json")
case $cg in /cvisor/*-r1) ;; *) fail "default cgroup path $cg" ;; esac
limits "$cg" 268435456 77
dir=${v1mem:-$v2}$cg
grep -qx "$pid" "$dir/cgroup.procs" || fail "the Sentry ($pid) is not in $dir"
if [ -n "$v1mem" ]; then
	cpu=$(mnt cpu)
	[ "$(cat "$cpu$cg/cpu.cfs_quota_us")" = 50000 ] || fail "cpu quota"
	[ "$(cat "$cpu$cg/cpu.shares")" = 512 ] || fail "cpu shares"
fi
cv start r1 || fail "start"

# 2. events --stats: one runc-style stats object.
cv events --stats r1 >"$tmp/ev" || fail "events --stats"
[ "$(wc -l <"$tmp/ev")" = 1 ] || fail "events --stats printed $(wc -l <"$tmp/ev") lines"
python3 - "$tmp/ev" <<'PY' || fail "events --stats JSON: $(cat "$tmp/ev")"
import json, sys
e = json.load(open(sys.argv[1]))
assert e["type"] == "stats" and e["id"] == "r1", e
d = e["data"]
assert d["memory"]["usage"]["limit"] == 268435456, d["memory"]
assert d["memory"]["usage"]["usage"] > 0, d["memory"]
assert d["pids"]["limit"] == 77 and d["pids"]["current"] >= 1, d["pids"]
assert "usage" in d["cpu"]
PY
# Without --stats: one object per interval while the container lives.
timeout 5 "$CVISOR" --root "$tmp/state" events --interval 200ms r1 >"$tmp/ev2"
[ "$(grep -c '"type":"stats"' "$tmp/ev2")" -ge 3 ] || fail "events --interval: $(wc -l <"$tmp/ev2") lines"
cv events --interval bogus r1 2>"$tmp/err" && fail "bad --interval accepted"

# 3. update: flags and a resources file (from stdin) change the cgroup.
cv update --memory 128m --pids-limit 55 r1 || fail "update flags"
limits "$cg" 134217728 55
echo '{"memory":{"limit":100663296},"pids":{"limit":44}}' | cv update -r - r1 || fail "update -r -"
limits "$cg" 100663296 44
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["memory"]["limit"]==100663296 and r["cpu"]["shares"]==512, r' \
	"$tmp/state/r1/resources.json" || fail "resources.json not merged"
cv update --memory lots r1 2>"$tmp/err" && fail "bad --memory accepted"
grep -q memory "$tmp/err" || fail "bad --memory: $(cat "$tmp/err")"
echo '{"pids":{"limit":"x"}}' | cv update -r - r1 2>"$tmp/err" && fail "bad resources accepted"
grep -q 'pids.limit' "$tmp/err" || fail "bad resources error: $(cat "$tmp/err")"

# 4. delete --force removes the cgroup.
cv delete --force r1 || fail "delete --force"
exists "$cg" && fail "cgroup $cg left after delete"

# 5. a crashed Sentry: delete --force still cleans up.
config "d['linux']['cgroupsPath'] = '/cvtest-$$/r2'"
cv create --bundle "$bundle" r2 || fail "create r2"
exists /cvtest-$$/r2 || fail "cgroupsPath /cvtest-$$/r2 not made"
kill -9 "$(cv state r2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')"
sleep 0.2
cv delete --force r2 || fail "delete --force after a crash"
exists /cvtest-$$/r2 && fail "cgroup left after a crashed Sentry"
rmdir_all /cvtest-$$

# 6. --systemd-cgroup: slice:prefix:name as a cgroupfs path.
config "d['linux']['cgroupsPath'] = 'cvtest$$.slice:cvisor:r3'"
cv --systemd-cgroup create --bundle "$bundle" r3 || fail "create --systemd-cgroup"
exists /cvtest$$.slice/cvisor-r3.scope || fail "systemd path not mapped"
cv delete --force r3 || fail "delete r3"
exists /cvtest$$.slice/cvisor-r3.scope && fail "systemd cgroup left"
rmdir_all /cvtest$$.slice

# 7. a bad cgroupsPath is refused, naming the field.
config "d['linux']['cgroupsPath'] = '/../escape'"
cv create --bundle "$bundle" r4 2>"$tmp/err" && fail "cgroupsPath with .. accepted"
grep -q cgroupsPath "$tmp/err" || fail "bad cgroupsPath error: $(cat "$tmp/err")"
[ "$checked" = 1 ] || { echo "no memory controller to check limits on"; exit 77; }
echo "ok"
