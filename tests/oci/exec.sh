#!/bin/bash
# exec into a running container: exit status, stdin/stdout, env/cwd/user,
# --process, --detach with --pid-file (the waiter exits with the status),
# signals to a foreground exec, --tty without a console socket refused
# (exec --tty itself is in terminal.sh), exec into a stopped one fails.
. "$(dirname "$0")/lib/busybox_bundle.sh"

config "d['process']['args']=$(args sleep 100); d['process']['env'].append('FROM_CONFIG=yes'); d['process']['noNewPrivileges']=False"
cv run --detach --bundle "$bundle" e1 </dev/null >/dev/null 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"

out=$(cv exec e1 echo hello 2>"$tmp/err") || fail "exec echo: $(cat "$tmp/err")"
[ "$out" = hello ] || fail "exec output '$out'"
cv exec e1 sh -c 'exit 7'
[ $? = 7 ] || fail "exec exit status"
cv exec e1 sh -c 'kill -9 $$'
[ $? = 137 ] || fail "exec killed by SIGKILL: status not 137"
out=$(echo piped | cv exec e1 cat) || fail "exec stdin"
[ "$out" = piped ] || fail "exec stdin/stdout '$out'"
cv exec e1 sh -c 'echo err >&2' 2>"$tmp/stderr" >/dev/null
[ "$(cat "$tmp/stderr")" = err ] || fail "exec stderr '$(cat "$tmp/stderr")'"

out=$(cv exec -e FOO=bar --env FROM_CONFIG=changed --cwd /tmp -u 1000:1001 -g 5 e1 \
	sh -c 'echo $FOO $FROM_CONFIG; pwd; id -u; id -g; id -G') || fail "exec with env/cwd/user"
[ "$out" = "bar changed
/tmp
1000
1001
1001 5" ] || fail "env/cwd/user: '$out'"
out=$(cv exec e1 sh -c 'echo $FROM_CONFIG; pwd; id -u') || fail "exec defaults"
[ "$out" = "yes
/
0" ] || fail "exec takes config.json's env, cwd and user: '$out'"
cv exec --cwd /nonexistent e1 true 2>"$tmp/err" && fail "exec with a missing cwd succeeded"
grep -q nonexistent "$tmp/err" || fail "missing cwd error: $(cat "$tmp/err")"
cv exec e1 /no/such/program 2>"$tmp/err" && fail "exec of a missing program succeeded"
grep -q 'no/such/program' "$tmp/err" || fail "missing program error: $(cat "$tmp/err")"

# noNewPrivileges and rlimits reach an exec'd process
out=$(cv exec e1 sh -c 'grep NoNewPrivs /proc/self/status') || fail "exec nnp 0"
echo "$out" | grep -q "NoNewPrivs:.0" || fail "exec without --no-new-privs: $out"
out=$(cv exec --no-new-privs e1 sh -c 'grep NoNewPrivs /proc/self/status') || fail "exec nnp 1"
echo "$out" | grep -q "NoNewPrivs:.1" || fail "exec --no-new-privs: $out"
python3 -c 'import json; print(json.dumps({"args":["sh","-c","ulimit -n; ulimit -Hn"],"cwd":"/","user":{"uid":0,"gid":0},"rlimits":[{"type":"RLIMIT_NOFILE","soft":123,"hard":456}]}))' >"$tmp/rl.json"
out=$(cv exec --process "$tmp/rl.json" e1) || fail "exec --process with rlimits"
[ "$out" = "123
456" ] || fail "exec rlimits: '$out'"

# --process FILE
python3 -c 'import json; print(json.dumps({"args":["sh","-c","echo $P; pwd; umask; exit 4"],"env":["P=fromfile"],"cwd":"/bin","user":{"uid":0,"gid":0,"umask":63}}))' >"$tmp/process.json"
out=$(cv exec --process "$tmp/process.json" e1)
rc=$?
[ "$rc" = 4 ] || fail "--process exit status $rc"
[ "$out" = "fromfile
/bin
0077" ] || fail "--process output '$out'"

# --detach --pid-file: the pid is the waiter's, which exits with the status
# (a subreaper stands in for conmon/containerd-shim, which wait on it).
python3 - "$CVISOR" "$tmp" <<'PY' || fail "detached exec waiter"
import ctypes, os, subprocess, sys, time
cvisor, tmp = sys.argv[1], sys.argv[2]
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
t0 = time.time()
subprocess.run([cvisor, "--root", tmp + "/state", "exec", "--detach", "--pid-file",
                tmp + "/w.pid", "e1", "sh", "-c", "sleep 1; exit 5"], check=True, timeout=30)
assert time.time() - t0 < 1, "exec --detach waited for the process"
pid = int(open(tmp + "/w.pid").read())
_, st = os.waitpid(pid, 0)
assert os.WIFEXITED(st) and os.WEXITSTATUS(st) == 5, st
print("waiter exited with 5")
PY

# a signal to a foreground exec reaches the process
"$CVISOR" --root "$tmp/state" exec e1 sh -c 'trap "exit 9" TERM; sleep 10 & wait' &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
[ $? = 9 ] || fail "SIGTERM to a foreground exec did not reach the process"

cv exec --tty e1 true 2>"$tmp/err" && fail "exec --tty without --console-socket accepted"
grep -q -- --console-socket "$tmp/err" || fail "--tty error: $(cat "$tmp/err")"
cv exec e1 2>/dev/null && fail "exec without a command accepted"

# a state root and id too long for a unix socket path (Docker's are)
long=$tmp/state-$(printf 'x%.0s' $(seq 30))
lid=$(printf '%064d' 7)
cvl() { timeout 60 "$CVISOR" --root "$long" "$@"; }
trap 'cvl delete --force $lid >/dev/null 2>&1; cleanup' EXIT
cvl run --detach --bundle "$bundle" "$lid" </dev/null >/dev/null 2>"$tmp/err" || fail "run under a long root: $(cat "$tmp/err")"
sock=$long/$lid/control.sock
[ ${#sock} -gt 108 ] && [ -S "$sock" ] || fail "no control socket at a path over 108 bytes: $sock"
out=$(cvl exec "$lid" echo long 2>"$tmp/err") || fail "exec under a long root: $(cat "$tmp/err")"
[ "$out" = long ] || fail "exec under a long root: '$out'"
cvl ps "$lid" >/dev/null || fail "ps under a long root"
cvl delete --force "$lid" || fail "delete under a long root"

# the container dies under a detached exec: its waiter exits 137
python3 - "$CVISOR" "$tmp" <<'PY' || fail "waiter of an exec whose container was killed"
import ctypes, os, subprocess, sys
cvisor, tmp = sys.argv[1], sys.argv[2]
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
cv = [cvisor, "--root", tmp + "/state"]
subprocess.run(cv + ["exec", "-d", "--pid-file", tmp + "/w2.pid", "e1", "sleep", "100"],
               check=True, timeout=30)
subprocess.run(cv + ["kill", "e1", "KILL"], check=True, timeout=30)
_, st = os.waitpid(int(open(tmp + "/w2.pid").read()), 0)
assert os.WIFEXITED(st) and os.WEXITSTATUS(st) == 137, st
PY
timeout 10 "$CVISOR" --root "$tmp/state" wait e1 >/dev/null
cv exec e1 true 2>"$tmp/err" && fail "exec into a stopped container succeeded"
grep -q stopped "$tmp/err" || fail "exec into a stopped container: $(cat "$tmp/err")"
cv exec nosuch true 2>/dev/null && fail "exec into a missing container succeeded"
echo "all exec checks passed"
