#!/bin/bash
# A hostile client on control.sock: garbage, oversized, truncated and
# ill-typed requests, fds where none belong, too many fds, a container
# joining with broken files or a Gofer that is not one, a flood of silent
# connections. Each gets an error reply or a closed connection; the Sentry
# neither crashes nor hangs, and exec and ps still work afterwards.
. "$(dirname "$0")/lib/busybox_bundle.sh"

config "d['process']['args']=$(args sleep 100)"
cv run --detach --bundle "$bundle" h1 </dev/null >/dev/null 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"
timeout 120 python3 - "$tmp/state/h1/control.sock" <<'PY' || fail "hostile client"
import socket, sys, json, os, array
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    for _ in range(50):
        try:
            s.connect(path)
            break
        except BlockingIOError:
            import time; time.sleep(0.1)
    else:
        print('connect: backlog stays full'); sys.exit(1)
    return s
def ask(payload, fds=None):
    s = conn()
    if fds:
        s.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', fds))])
    else:
        s.send(payload)
    try:
        r = s.recv(70000)
    except socket.timeout:
        print("TIMEOUT", payload[:40]); sys.exit(1)
    s.close()
    return r
bad = [b'garbage', b'{"version":1,"type":"exec"', b'[1,2,3]', b'{"version":2,"type":"ps"}',
       b'{"version":1}', b'{"version":1,"type":"nope"}', b'{"version":1,"type":"exec","process":{"args":[]}}',
       b'{"version":1,"type":"exec","process":{"args":[1]}}', b'{"version":1,"type":"exec","process":{"args":["sh"],"user":{"uid":-1}}}',
       b'{"version":1,"type":"wait","pid":"x"}', b'{"version":1,"type":"wait","pid":1}', b'{"version":1,"type":"signal","pid":1,"signal":999}',
       b'{"version":1,"type":"signal","pid":99999,"signal":9}', b'{"version":1,"type":"exec","process":{"args":["/nonexistent"]}}',
       b'{"version":1,"type":"exec","process":{"args":["sh"],"cwd":"/nonexistent"}}',
       b'{"version":1,"type":"ps","type":"ps"}', b'\0' * 100, b'x' * 70000]
for b in bad:
    r = ask(b)
    if r:
        j = json.loads(r)
        assert j.get("ok") is False, (b[:60], r)
# fds where none belong, and too many fds
null = os.open("/dev/null", os.O_RDWR)
r = json.loads(ask(b'{"version":1,"type":"ps"}', [null]))
assert r["ok"] is False, r
r = json.loads(ask(b'{"version":1,"type":"exec","process":{"args":["true"]}}', [null] * 65))
assert r["ok"] is False, r
# a container joining with broken files, no Gofer, or a Gofer that is not
# one (a file, a socket whose peer is gone, a peer that speaks garbage)
sc = lambda extra: json.dumps(dict({"version": 1, "type": "start-container", "container": "j1",
    "process": {"args": ["true"]}, "files": {"root": "/"}}, **extra)).encode()
r = json.loads(ask(sc({})))
assert r["ok"] is False and "Gofer" in r["error"], r
for files in [None, 1, {"root": "rel"}, {"root": "/", "mounts": [{"destination": "x"}]},
              {"root": "/", "mounts": [{"destination": "/x", "source": 7}]},
              {"root": "/", "maskedPaths": [1]}, {"root": "/", "mounts": "no"}]:
    r = json.loads(ask(sc({"files": files}), [null, null]))
    assert r["ok"] is False, (files, r)
r = json.loads(ask(sc({}), [null, null]))
assert r["ok"] is False, r
a, b = socket.socketpair(); b.close()
r = json.loads(ask(sc({}), [a.fileno(), null]))
assert r["ok"] is False, r
a, b = socket.socketpair(); b.send(b'\x07\0\0\0xyz' * 10)
r = json.loads(ask(sc({}), [a.fileno(), null]))
assert r["ok"] is False, r
r = json.loads(ask(sc({"container": ""}), [null, null]))
assert r["ok"] is False, r
r = json.loads(ask(b'{"version":1,"type":"exec","container":"nope","process":{"args":["true"]}}'))
assert r["ok"] is False and "nope" in r["error"], r
# connections that say nothing, or go away
idle = [conn() for _ in range(100)]
for _ in range(20):
    conn().close()
s = conn(); s.shutdown(socket.SHUT_WR); s.close()
r = json.loads(ask(b'{"version":1,"type":"ps"}'))
assert r["ok"] is True and r["processes"], r
for s in idle: s.close()
print("hostile ok")
PY
out=$(cv exec h1 echo still) || fail "exec after the hostile client"
[ "$out" = still ] || fail "exec output after the hostile client: '$out'"
cv ps h1 | grep -q sleep || fail "ps after the hostile client"
kill -0 "$(cv state h1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')" ||
	fail "the Sentry died"
echo "all hostile-client checks passed"
