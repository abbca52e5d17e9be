#!/bin/bash
# `cvisor gofer --sock-fd N`, the way the runtime starts it: the Gofer gets
# one end of a socketpair, a client (tests/gofer/p9tool) the other; the
# client copies a read-only export and changes a writable one. Confined
# when run as root.
source "$(dirname "$0")/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"
need_cvisor

mkdir -p "$T/ro/d" "$T/rw"
echo one >"$T/ro/d/f"
ln -s d/f "$T/ro/l"
build_p9tool "$T/p9tool"
confine=--no-confine
[ "$(id -u)" = 0 ] && confine=
python3 - "$CVISOR" "$T" "$confine" <<'PY' || fail "gofer over --sock-fd"
import socket, subprocess, sys
cvisor, t, confine = sys.argv[1], sys.argv[2], sys.argv[3]
a, b = socket.socketpair()
args = [cvisor, "gofer", "--sock-fd", str(b.fileno()),
        "--export", t + "/ro:ro", "--export", t + "/rw"] + ([confine] if confine else [])
g = subprocess.Popen(args, pass_fds=[b.fileno()])
b.close()
tool = t + "/p9tool"
fd = "fd:%d" % a.fileno()
rc = subprocess.call([tool, "copy", fd, t + "/ro", t + "/copy"], pass_fds=[a.fileno()])
rc = rc or subprocess.call([tool, "exercise", fd, t + "/rw"], pass_fds=[a.fileno()])
a.close()  # the gofer exits when its client hangs up
grc = g.wait(timeout=10)
sys.exit(rc or grc)
PY
diff -r --no-dereference "$T/ro" "$T/copy" || fail "copy differs"
[ -z "$(ls -A "$T/rw")" ] || fail "exercise left files"
echo "ok: gofer over an inherited socket"
