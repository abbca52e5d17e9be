#!/bin/bash
# The commands that need no sandbox: spec, features, list, state (over a
# state directory made by hand, with a live and a dead "Sentry" pid).
cd "$(dirname "$0")/../.."
CVISOR=${CVISOR:-$PWD/build/cvisor}
[ -x "$CVISOR" ] || { echo "build/cvisor is not built"; exit 77; }
command -v python3 >/dev/null || { echo "python3 is needed to check JSON"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }

# spec: writes config.json in --bundle or the working directory, never over one.
"$CVISOR" spec --bundle "$tmp" || fail "spec --bundle"
json "$tmp/config.json" 'assert d["root"]["path"]=="rootfs" and d["process"]["args"]==["sh"]' ||
	fail "default spec content"
"$CVISOR" spec --bundle "$tmp" 2>"$tmp/err" && fail "spec overwrote config.json"
grep -q 'exists' "$tmp/err" || fail "spec refusal message: $(cat "$tmp/err")"
mkdir "$tmp/rl"
(cd "$tmp/rl" && "$CVISOR" spec --rootless) || fail "spec --rootless in cwd"
json "$tmp/rl/config.json" '
ns=[n["type"] for n in d["linux"]["namespaces"]]
assert "user" in ns and "network" not in ns, ns
assert d["linux"]["uidMappings"][0]["hostID"]=='"$(id -u)"'
assert "resources" not in d["linux"]' || fail "rootless spec content"

# features: runc's document.
"$CVISOR" features >"$tmp/features.json" || fail "features"
json "$tmp/features.json" '
assert d["ociVersionMin"]=="1.0.0"
assert "createRuntime" in d["hooks"] and "rbind" in d["mountOptions"]
assert "CAP_SYS_ADMIN" in d["linux"]["capabilities"] and "user" in d["linux"]["namespaces"]
assert d["linux"]["cgroup"]["v1"] and d["linux"]["seccomp"]["enabled"]' ||
	fail "features content"

# list on a root that does not exist yet: empty, not an error.
root=$tmp/root
[ "$("$CVISOR" --root "$root" list -q)" = "" ] || fail "list -q of no containers"
[ "$("$CVISOR" --root "$root" list --format json)" = "[]" ] || fail "list json of none"

# Hand-made state: "live" is this shell (pid and start time match), "dead"
# a pid that has exited, "reused" this shell's pid with a wrong start time.
start=$(awk '{ sub(/.*\) /, ""); print $20 }' /proc/$$/stat)
sleep 0 & deadpid=$!; wait $deadpid
mk() { # id pid start status
	mkdir -p "$root/$1"
	cat >"$root/$1/state.json" <<J
{"ociVersion":"1.1.0","id":"$1","pid":$2,"status":"$4","bundle":"/b/$1","rootfs":"/b/$1/rootfs",
 "created":"2024-01-02T03:04:05.123456789Z","owner":"root","annotations":{"k":"v"},
 "cvisor":{"pidStartTime":$3}}
J
}
mk live $$ "$start" running
mk dead $deadpid 1 running
mk reused $$ $((start + 1)) created
mkdir -p "$root/not-a-container"

"$CVISOR" --root "$root" state live >"$tmp/s.json" || fail "state live"
json "$tmp/s.json" '
assert d["id"]=="live" and d["status"]=="running" and d["pid"]=='"$$"', d
assert d["bundle"]=="/b/live" and d["rootfs"]=="/b/live/rootfs" and d["owner"]=="root"
assert d["created"]=="2024-01-02T03:04:05.123456789Z" and d["annotations"]=={"k":"v"}
assert "cvisor" not in d' || fail "state live content"
for id in dead reused; do
	"$CVISOR" --root "$root" state $id >"$tmp/s.json" || fail "state $id"
	json "$tmp/s.json" 'assert d["status"]=="stopped" and d["pid"]==0, d' ||
		fail "state $id should be stopped with pid 0"
done
"$CVISOR" --root "$root" state nope 2>"$tmp/err" && fail "state of a missing container"
grep -q 'does not exist' "$tmp/err" || fail "missing container message: $(cat "$tmp/err")"
"$CVISOR" --root "$root" state ../etc 2>/dev/null && fail "state accepted ../etc"
"$CVISOR" --root "$root" state 2>/dev/null && fail "state without an id"

[ "$("$CVISOR" --root "$root" list -q | tr '\n' ' ')" = "dead live reused " ] ||
	fail "list -q: $("$CVISOR" --root "$root" list -q)"
"$CVISOR" --root "$root" list >"$tmp/table" || fail "list"
head -1 "$tmp/table" | grep -q '^ID  *PID  *STATUS  *BUNDLE  *CREATED  *OWNER$' ||
	fail "list header: $(head -1 "$tmp/table")"
grep -q "^live  *$$  *running  */b/live " "$tmp/table" || fail "list row: $(cat "$tmp/table")"
grep -q "^dead  *0  *stopped " "$tmp/table" || fail "list dead row: $(cat "$tmp/table")"
"$CVISOR" --root "$root" list --format json >"$tmp/l.json" || fail "list --format json"
json "$tmp/l.json" 'assert [c["id"] for c in d]==["dead","live","reused"], d' ||
	fail "list json content"
"$CVISOR" --root "$root" list --format yaml 2>/dev/null && fail "list accepted a bad format"
echo "cli_basic: all checks passed"
exit 0
