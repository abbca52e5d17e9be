#!/bin/bash
# --preserve-fds N (runc's): the caller's fds 3 .. 3+N-1 reach the program
# at the same numbers, for run, create (kept until start) and exec (also
# with --tty); an fd not preserved does not, nor reaches the Gofer or the
# stubs; the end of an exec's terminal leaves init alone; bad counts,
# closed fds and cvisor's own are refused.
. "$(dirname "$0")/lib/busybox_bundle.sh"

echo from-three >"$tmp/in3"
probe='cat <&3; echo wrote >&4; { echo x >&5; } 2>/dev/null && echo fd5-leaked || echo fd5-closed'
config "d['process']['args']=$(args sh -c "$probe")"
out=$(cv run --preserve-fds 2 --bundle "$bundle" p1 3<"$tmp/in3" 4>"$tmp/out4" 5>"$tmp/out5" </dev/null 2>"$tmp/err") ||
	fail "run --preserve-fds 2: $(cat "$tmp/err")"
[ "$out" = "from-three
fd5-closed" ] || fail "run: '$out'"
[ "$(cat "$tmp/out4")" = wrote ] || fail "run: fd 4 got '$(cat "$tmp/out4")'"
[ ! -s "$tmp/out5" ] || fail "run: the unpreserved fd 5 was written"

# without the flag nothing beyond stdio goes in
out=$(cv run --bundle "$bundle" p2 3<"$tmp/in3" 4>"$tmp/out4b" </dev/null 2>/dev/null)
[ "$out" != from-three ] && [ ! -s "$tmp/out4b" ] || fail "fds went in without --preserve-fds: '$out'"

# create keeps them for start (as podman uses it); a pipe works too
config "d['process']['args']=$(args sh -c 'read l <&3; echo "got $l"')"
exec 7< <(echo through-a-pipe)
cv create --preserve-fds 1 --bundle "$bundle" p3 3<&7 </dev/null >"$tmp/p3.out" 2>"$tmp/err" ||
	fail "create --preserve-fds: $(cat "$tmp/err")"
exec 7<&-
cv start p3 || fail "start p3"
for i in $(seq 50); do [ -s "$tmp/p3.out" ] && break; sleep 0.1; done
[ "$(cat "$tmp/p3.out")" = "got through-a-pipe" ] || fail "create/start: '$(cat "$tmp/p3.out")'"

# exec
config "d['process']['args']=$(args sleep 100)"
cv run --detach --bundle "$bundle" p4 7>"$tmp/seven" </dev/null >/dev/null 2>"$tmp/err" ||
	fail "run p4: $(cat "$tmp/err")"
out=$(cv exec --preserve-fds 1 p4 sh -c 'cat <&3; { echo x >&4; } 2>/dev/null || echo fd4-closed' 3<"$tmp/in3" 4>"$tmp/out4c") ||
	fail "exec --preserve-fds"
[ "$out" = "from-three
fd4-closed" ] || fail "exec: '$out'"

# the Sentry's children (the Gofer, the stubs) hold none of the caller's fds
sentry=$(cv state p4 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
kids=$(cat /proc/"$sentry"/task/*/children)
[ -n "$kids" ] || fail "the Sentry $sentry has no children"
for k in $kids; do
	for f in /proc/"$k"/fd/*; do
		[ "$(readlink "$f")" != "$tmp/seven" ] || fail "child $k of the Sentry holds fd 7 ($f)"
	done
done

# exec --tty: the terminal is 0-2, the preserved fd 3 the caller's
python3 - "$CVISOR" "$tmp" <<'PY' || fail "exec --tty --preserve-fds 1"
import os, socket, subprocess, sys, time
cvisor, tmp = sys.argv[1], sys.argv[2]
os.dup2(os.open(tmp + "/in3", os.O_RDONLY), 3)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(tmp + "/console.sock")
srv.listen(1)
srv.settimeout(10)
p = subprocess.Popen([cvisor, "--root", tmp + "/state", "exec", "--tty", "--console-socket",
                      tmp + "/console.sock", "--preserve-fds", "1", "p4", "sh", "-c",
                      'read l <&3; test -t 0 && echo "tty:$l"; exit 3'],
                     stdin=subprocess.DEVNULL, pass_fds=(3,))
conn, _ = srv.accept()
_, fds, _, _ = socket.recv_fds(conn, 1024, 4)
out, end = b"", time.time() + 10
while b"tty:from-three" not in out and time.time() < end:
    try:
        out += os.read(fds[0], 1024)
    except OSError:
        break
rc = p.wait(timeout=30)
assert b"tty:from-three" in out and rc == 3, (out, rc)
PY
# the end of the exec's terminal is not the container's (its init lives on)
sleep 0.5
cv exec p4 true </dev/null || fail "p4 is gone after a terminal exec ended: $(cv state p4)"

# refused
for bad in abc -1 61; do
	cv run --preserve-fds "$bad" --bundle "$bundle" pbad </dev/null 2>"$tmp/err" && fail "--preserve-fds $bad accepted"
	grep -q -- "--preserve-fds" "$tmp/err" || fail "--preserve-fds $bad error: $(cat "$tmp/err")"
done
cv run --preserve-fds 3 --bundle "$bundle" pbad 3<"$tmp/in3" 4<"$tmp/in3" </dev/null 2>"$tmp/err" &&
	fail "--preserve-fds past the open fds accepted"
grep -q "fd 5 is not open" "$tmp/err" || fail "closed fd error: $(cat "$tmp/err")"
cv exec --preserve-fds 2 p4 true 3<"$tmp/in3" 2>"$tmp/err" && fail "exec --preserve-fds past the open fds accepted"
grep -q "fd 4 is not open" "$tmp/err" || fail "exec closed fd error: $(cat "$tmp/err")"
# with fd 3 closed, --log takes it: cvisor's own log is not handed in
config "d['process']['args']=$(args sh -c 'echo from-the-container >&3')"
cv --log "$tmp/log" run --preserve-fds 1 --bundle "$bundle" pbad 3<&- </dev/null 2>/dev/null &&
	fail "--preserve-fds 1 with fd 3 closed and --log accepted"
grep -q from-the-container "$tmp/log" && fail "the container wrote to cvisor's log"
grep -q "fd 3 is not open" "$tmp/log" || fail "log fd error: $(cat "$tmp/log")"
[ -z "$(cv list -q | grep pbad)" ] || fail "a refused run left state"
echo "preserve_fds: OK"
