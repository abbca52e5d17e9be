#!/bin/bash
# ps (table and JSON) shows init and an exec'd process; pause stops a
# counter loop writing to a bind-mounted host file, resume lets it go on,
# state/list say paused; kill --all ends every process; a paused container
# can be killed and deleted with --force.
. "$(dirname "$0")/lib/busybox_bundle.sh"

status() { cv state "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
lines() { wc -l <"$tmp/host/count"; }

config "$bind; d['process']['args']=$(args sh -c 'trap \"\" TERM; while true; do echo x >>/data/count; sleep 0.01; done')"
cv run --detach --bundle "$bundle" p1 </dev/null >/dev/null 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"
cv exec --detach p1 sleep 100 || fail "exec --detach"
sleep 0.5

cv ps p1 >"$tmp/ps" || fail "ps"
head -n1 "$tmp/ps" | grep -q '^UID *PID *PPID *C *STIME *TIME *CMD$' || fail "ps header: $(head -n1 "$tmp/ps")"
grep -Eq '^root +1 +0 .* sh -c trap' "$tmp/ps" || fail "ps has no init: $(cat "$tmp/ps")"
grep -Eq '^root +[0-9]+ +0 .* sleep 100$' "$tmp/ps" || fail "ps has no exec'd sleep: $(cat "$tmp/ps")"
cv ps --format json p1 >"$tmp/ps.json" || fail "ps --format json"
python3 - "$tmp/ps.json" <<'PY' || fail "ps json: $(cat "$tmp/ps.json")"
import json, sys
pids = json.load(open(sys.argv[1]))
assert isinstance(pids, list) and 1 in pids and len(pids) >= 3 and all(isinstance(p, int) for p in pids), pids
PY

[ "$(lines)" -gt 0 ] || fail "the counter loop does not run"
cv pause p1 || fail "pause"
[ "$(status p1)" = paused ] || fail "state after pause: $(status p1)"
cv list | grep -q 'p1 .*paused' || fail "list after pause: $(cv list)"
sleep 0.3
a=$(lines)
sleep 1
b=$(lines)
[ "$a" = "$b" ] || fail "the counter went on while paused ($a, then $b)"
cv ps p1 >/dev/null || fail "ps of a paused container"
cv exec p1 true 2>/dev/null && fail "exec into a paused container accepted"
cv pause p1 2>/dev/null && fail "pause of a paused container accepted"
cv resume p1 || fail "resume"
[ "$(status p1)" = running ] || fail "state after resume: $(status p1)"
sleep 1
c=$(lines)
[ "$c" -gt "$b" ] || fail "the counter did not go on after resume ($b, then $c)"
cv resume p1 2>/dev/null && fail "resume of a running container accepted"

# kill --all: every process, not only init (which ignores SIGTERM here)
sleeper=$(awk '$(NF-1) == "sleep" && $NF == 100 && $3 == 0 { print $2 }' "$tmp/ps")
[ -n "$sleeper" ] || fail "no exec'd sleep pid in ps"
cv kill --all p1 TERM || fail "kill --all TERM"
sleep 0.5
cv ps --format json p1 >"$tmp/ps.json" || fail "ps after kill --all TERM"
python3 -c "import json,sys; p=json.load(open(sys.argv[1])); assert 1 in p and $sleeper not in p, p" "$tmp/ps.json" ||
	fail "kill --all TERM: $(cat "$tmp/ps.json") (exec'd sleep was $sleeper)"
cv kill --all p1 KILL || fail "kill --all KILL"
timeout 10 "$CVISOR" --root "$tmp/state" wait p1 >/dev/null
[ "$(status p1)" = stopped ] || fail "state after kill --all: $(status p1)"
cv delete p1 || fail "delete"

# a paused container: kill KILL and delete --force work
cv run --detach --bundle "$bundle" p2 </dev/null >/dev/null 2>&1 || fail "run p2"
cv pause p2 || fail "pause p2"
cv delete p2 2>/dev/null && fail "delete of a paused container without --force"
cv kill p2 KILL || fail "kill of a paused container"
timeout 10 "$CVISOR" --root "$tmp/state" wait p2 >/dev/null
[ "$(status p2)" = stopped ] || fail "paused container after SIGKILL: $(status p2)"
cv delete p2 || fail "delete p2"
cv run --detach --bundle "$bundle" p3 </dev/null >/dev/null 2>&1 || fail "run p3"
cv pause p3 || fail "pause p3"
cv delete --force p3 || fail "delete --force of a paused container"
[ -z "$(cv list -q)" ] || fail "containers left: $(cv list -q)"
echo "all ps/pause checks passed"
