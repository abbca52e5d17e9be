#!/bin/bash
# Pods: containers whose CRI annotations (containerd's, CRI-O's) name a
# sandbox join that sandbox's Sentry with their own root (their own Gofer)
# and bind mounts. Per container: its files, exec, ps, kill, exit status;
# a container's init takes its other processes with it; the sandbox's end
# ends them all. They share the sandbox's kernel (an abstract unix socket),
# another sandbox does not. Bad annotations are refused and leave nothing behind.
. "$(dirname "$0")/lib/busybox_bundle.sh"

echo sandbox >"$bundle/rootfs/who"
for t in ps ls grep; do ln -sf busybox "$bundle/rootfs/bin/$t"; done
config "d['process']['args']=$(args sleep 1000); d['annotations']={'io.kubernetes.cri.container-type':'sandbox','io.kubernetes.cri.sandbox-id':'pod'}"
cv run --detach --bundle "$bundle" pod </dev/null >/dev/null 2>"$tmp/err" || fail "run the sandbox: $(cat "$tmp/err")"
sentry=$(cv state pod | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
[ "$(cat /proc/$sentry/comm)" = cvisor-sentry ] || fail "the sandbox's pid is not a Sentry"

# a container bundle: its own rootfs and a bind mount; $1 = id, $2 = python
# editing d (the config), $3 = annotation keys (cri or crio)
app_bundle() {
	local b=$tmp/b-$1
	mkdir -p "$b/rootfs"/{bin,tmp,data}
	cp /bin/busybox "$b/rootfs/bin/"
	for t in sh echo cat sleep true ps ls; do ln -s busybox "$b/rootfs/bin/$t"; done
	echo "app $1" >"$b/rootfs/who"
	python3 - "$tmp/config.orig" "$b/config.json" "$1" "$3" "$2" <<'PY' || fail "config $1"
import json, sys
d = json.load(open(sys.argv[1]))
d["process"]["terminal"] = False
d["root"]["readonly"] = False
keys = {"cri": ("io.kubernetes.cri.container-type", "io.kubernetes.cri.sandbox-id"),
        "crio": ("io.kubernetes.cri-o.ContainerType", "io.kubernetes.cri-o.SandboxID")}[sys.argv[4] or "cri"]
d["annotations"] = {keys[0]: "container", keys[1]: "pod"}
exec(sys.argv[5])
json.dump(d, open(sys.argv[2], "w"))
PY
	echo "$b"
}
field() { cv state "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }

mkdir -p "$tmp/host"
b=$(app_bundle c1 "d['process']['args']=['sh','-c','cat /who; ls /data; echo written >/data/out; exec sleep 1000']; $bind")
cv create --bundle "$b" c1 </dev/null >"$tmp/c1.out" 2>"$tmp/err" || fail "create c1: $(cat "$tmp/err")"
[ "$(field c1 status)" = created ] || fail "c1 is $(field c1 status), not created"
waiter=$(field c1 pid)
[ "$(cat /proc/$waiter/comm)" != cvisor-sentry ] || fail "c1 got a Sentry of its own"
touch "$tmp/host/seen"
cv start c1 2>"$tmp/err" || fail "start c1: $(cat "$tmp/err")"
for i in $(seq 50); do [ -s "$tmp/host/out" ] && break; sleep 0.1; done
[ "$(cat "$tmp/host/out" 2>/dev/null)" = written ] || fail "c1's write through its bind mount did not reach the host"
[ "$(cat "$tmp/c1.out")" = "app c1
seen" ] || fail "c1 does not see its own root and mount: '$(cat "$tmp/c1.out")'"
[ "$(field c1 status)" = running ] || fail "c1 is $(field c1 status), not running"

# exec, ps and files per container
[ "$(cv exec c1 cat /who)" = "app c1" ] || fail "exec in c1 does not see c1's root"
[ "$(cv exec pod cat /who)" = sandbox ] || fail "exec in the sandbox does not see the sandbox's root"
cv exec c1 sh -c 'echo mine >/tmp/f' || fail "exec write in c1"
cv exec pod cat /tmp/f 2>/dev/null && fail "the sandbox sees c1's /tmp"
cv ps --format json c1 >"$tmp/ps1" || fail "ps c1"
cv ps --format json pod >"$tmp/ps0" || fail "ps pod"
python3 - "$tmp/ps1" "$tmp/ps0" <<'PY' || fail "ps per container: $(cat "$tmp/ps1") / $(cat "$tmp/ps0")"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(a) == 1 and len(b) == 1 and not set(a) & set(b), (a, b)
PY
cv pause c1 2>"$tmp/err" && fail "pausing one container of a pod succeeded"
grep -q paused "$tmp/err" || fail "pause error: $(cat "$tmp/err")"

# kill: to c1's init; its status through the waiter; the pod goes on
cv kill c1 TERM || fail "kill c1"
for i in $(seq 50); do [ "$(field c1 status)" = stopped ] && break; sleep 0.1; done
[ "$(field c1 status)" = stopped ] || fail "c1 is $(field c1 status) after SIGTERM"
cv wait c1 >/dev/null; st=$?
[ "$st" = 143 ] || fail "c1's status $st, not 143"
[ "$(field pod status)" = running ] || fail "the sandbox stopped with c1"
cv delete c1 || fail "delete c1"
cv exec pod true || fail "the sandbox does not run after c1's delete"

# an exit status of its own; the CRI-O annotations
b=$(app_bundle c2 "d['process']['args']=['sh','-c','exit 3']" crio)
cv run --bundle "$b" c2 </dev/null >/dev/null 2>"$tmp/err"; st=$?
[ "$st" = 3 ] || fail "run c2 (CRI-O annotations): status $st: $(cat "$tmp/err")"

# a container's init takes its other processes with it
b=$(app_bundle c3 "d['process']['args']=['sh','-c','sleep 999 & exec sleep 1000']")
cv run --detach --bundle "$b" c3 </dev/null >/dev/null 2>"$tmp/err" || fail "run c3: $(cat "$tmp/err")"
for i in $(seq 50); do cv exec pod ps | grep -q 'sleep 999' && break; sleep 0.1; done
cv exec pod ps | grep -q 'sleep 999' || fail "c3's background process is not running"
cv kill c3 KILL || fail "kill c3"
for i in $(seq 50); do cv exec pod ps | grep -q 'sleep 99' || break; sleep 0.1; done
cv exec pod ps | grep 'sleep 99' && fail "c3's processes outlived its init"
cv delete --force c3 || fail "delete c3"

# bad annotations: refused, nothing left
b=$(app_bundle bad1 "d['annotations']['io.kubernetes.cri.sandbox-id']='nopod'")
cv create --bundle "$b" bad1 </dev/null 2>"$tmp/err" && fail "create with a missing sandbox succeeded"
grep -q nopod "$tmp/err" || fail "missing sandbox error: $(cat "$tmp/err")"
b=$(app_bundle bad2 "d['annotations']['io.kubernetes.cri.container-type']='sidecar'")
cv create --bundle "$b" bad2 </dev/null 2>"$tmp/err" && fail "create with a bad container type succeeded"
grep -q sidecar "$tmp/err" || fail "bad type error: $(cat "$tmp/err")"
[ -z "$(cv list -q | grep bad)" ] || fail "a refused container left state"

# the sandbox's end ends its containers
b=$(app_bundle c4 "d['process']['args']=['sleep','1000']")
cv run --detach --bundle "$b" c4 </dev/null >/dev/null 2>"$tmp/err" || fail "run c4: $(cat "$tmp/err")"
cv delete --force pod || fail "delete the sandbox"
for i in $(seq 50); do [ "$(field c4 status)" = stopped ] && break; sleep 0.1; done
[ "$(field c4 status)" = stopped ] || fail "c4 outlived its sandbox"
cv delete c4 || fail "delete c4"
# the pod's containers share its kernel: an abstract unix socket bound in
# the sandbox is reached from a container (two python3s over the host root)
command -v python3 >/dev/null || fail "python3 is needed"
spec_root() { # $1 dir, $2 args (JSON), $3 annotations (python dict)
	mkdir -p "$1"
	python3 - "$tmp/config.orig" "$1/config.json" "$2" "$3" <<'PY' || fail "config $1"
import json, sys
d = json.load(open(sys.argv[1]))
d["process"]["terminal"] = False
d["root"] = {"path": "/", "readonly": True}
d["process"]["args"] = json.loads(sys.argv[3])
d["annotations"] = eval(sys.argv[4])
json.dump(d, open(sys.argv[2], "w"))
PY
}
server='import socket; s=socket.socket(socket.AF_UNIX); s.bind("\0cvisor-pod-test"); s.listen(1); c,_=s.accept(); c.send(b"hello from the sandbox"); c.close(); import time; time.sleep(1000)'
client='import socket,time
for i in range(100):
    try:
        s=socket.socket(socket.AF_UNIX); s.connect("\0cvisor-pod-test"); break
    except OSError: time.sleep(0.05)
print(s.recv(100).decode())'
spec_root "$tmp/p2" "$(args python3 -c "$server")" "{'io.kubernetes.cri.container-type':'sandbox'}"
cv run --detach --bundle "$tmp/p2" pod2 </dev/null >/dev/null 2>"$tmp/err" || fail "run pod2: $(cat "$tmp/err")"
spec_root "$tmp/p2c" "$(args python3 -c "$client")" "{'io.kubernetes.cri.container-type':'container','io.kubernetes.cri.sandbox-id':'pod2'}"
out=$(cv run --bundle "$tmp/p2c" p2c </dev/null 2>"$tmp/err") || fail "run p2c: $(cat "$tmp/err")"
[ "$out" = "hello from the sandbox" ] || fail "a pod's container does not reach the sandbox's abstract socket: '$out'"
# a separate sandbox does not
spec_root "$tmp/p3" "$(args python3 -c "$client")" "{}"
out=$(cv run --bundle "$tmp/p3" p3 </dev/null 2>&1) && fail "another sandbox reached pod2's abstract socket: '$out'"
cv delete --force pod2 || fail "delete pod2"
echo "pod: OK"
