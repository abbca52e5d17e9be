#!/bin/bash
# exec --tty whose client goes away (closes the terminal's master) while
# the process floods it: the bridge's two host fds hang up in one scheduler
# wake-up (once freed both watch records: a double free killed the Sentry),
# and the Sentry, leading its own session, gets the host terminal's SIGHUP
# (once passed on to init). Ten times; the container must live on.
. "$(dirname "$0")/lib/busybox_bundle.sh"
python3 -c 'import socket; socket.recv_fds' 2>/dev/null || { echo "python3 with socket.recv_fds is needed"; exit 77; }
config "d['process']['args']=$(args sleep 100)"
cv run --detach --bundle "$bundle" h1 </dev/null >/dev/null 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"
python3 - "$CVISOR" "$tmp" <<'PY' || fail "exec --tty clients"
import os, socket, subprocess, sys, time
cvisor, tmp = sys.argv[1], sys.argv[2]
flood = "while :; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done"
for k in range(10):
    path = "%s/console%d.sock" % (tmp, k)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(10)
    p = subprocess.Popen([cvisor, "--root", tmp + "/state", "exec", "--tty", "--console-socket",
                          path, "h1", "sh", "-c", flood], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        sys.exit("exec %d sent no terminal (is the Sentry gone?)" % k)
    _, fds, _, _ = socket.recv_fds(conn, 1024, 4)
    time.sleep(0.3)  # unread, the host pty fills: the bridge waits to write
    os.close(fds[0])
    try:
        p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        sys.exit("exec %d: the CLI did not end after its terminal went away" % k)
PY
out=$(cv exec h1 echo alive </dev/null 2>"$tmp/err") || fail "the container died: $(cat "$tmp/err")"
[ "$out" = alive ] || fail "exec after the hang-ups: '$out'"
echo "exec terminal hang-ups: the container lives on"
