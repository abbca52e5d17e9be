#!/bin/bash
# Terminals: `terminal: true` with runc's console socket (create sends the
# master, start runs sh: echo, consoleSize and window changes seen by
# `stty size` and as SIGWINCH, ^C, job control, exit status), the error
# without a socket, a foreground `run` on the caller's terminal, and an
# interactive `cvisor do bash -i` (job control, ^C, ^Z, fg). The driver is
# tests/oci/terminal.py; the expectations are checked natively first.
cd "$(dirname "$0")/../.."
. tests/oci/lib/container_test.sh
need_static_busybox
python3 -c 'import socket; socket.recv_fds' 2>/dev/null || { echo "python3 with socket.recv_fds is needed"; exit 77; }
command -v bash >/dev/null || { echo "bash is needed"; exit 77; }
drive() { timeout 120 python3 tests/oci/terminal.py "$@"; }

# The driver's expectations hold on the host's own terminals.
drive caller bash --norc --noprofile -i || fail "native bash (the test itself is wrong)"
drive caller /bin/busybox sh -i || fail "native busybox sh (the test itself is wrong)"

bundle=$tmp/bundle rootfs=$tmp/bundle/rootfs
mkdir -p "$rootfs"/{bin,etc,tmp}
cp /bin/busybox "$rootfs/bin/"
for t in sh echo sleep stty kill; do ln -s busybox "$rootfs/bin/$t"; done
"$CVISOR" spec --bundle "$bundle" || fail "spec"
python3 - "$bundle/config.json" <<'PY' || fail "config edit"
import json, sys
d = json.load(open(sys.argv[1]))
p = d["process"]
p["terminal"] = True
p["consoleSize"] = {"height": 24, "width": 80}
p["args"] = ["sh", "-i"]
p["env"] = ["PATH=/bin", "PS1=$ ", "TERM=dumb"]
json.dump(d, open(sys.argv[1], "w"))
PY

# 1. create --console-socket, start, drive sh over the received master.
drive console "$tmp/console.sock" "$CVISOR" "$tmp/state" "$bundle" t1 || fail "console socket"
"$CVISOR" --root "$tmp/state" delete t1 || fail "delete t1"

# 2. terminal: true without a console socket: an error, as with runc.
if "$CVISOR" --root "$tmp/state" create --bundle "$bundle" t2 </dev/null >"$tmp/out" 2>&1; then
	fail "create with terminal: true and no console socket succeeded"
fi
grep -q -- "--console-socket" "$tmp/out" || fail "no console socket: message '$(cat "$tmp/out")'"
[ -z "$("$CVISOR" --root "$tmp/state" list -q)" ] || fail "a failed create left state behind"

# 3. a foreground run on the caller's terminal.
drive caller "$CVISOR" --root "$tmp/state" run --bundle "$bundle" t3 || fail "run on the caller's terminal"

# 4. an interactive do: bash with job control.
drive caller "$CVISOR" do -- bash --norc --noprofile -i || fail "do bash -i"
echo "terminal: ok"
