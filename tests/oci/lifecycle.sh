#!/bin/bash
# The container lifecycle over a real bundle: run (status, output, bind
# mounts, read-only and overlay roots), create/state/start/delete, kill,
# run --detach, hooks. The rootfs is busybox-static if installed, otherwise
# the host's /bin/sh and a few tools with their libraries (ldd).
cd "$(dirname "$0")/../.."
. tests/oci/lib/container_test.sh

# The rootfs.
bundle=$tmp/bundle rootfs=$tmp/bundle/rootfs
mkdir -p "$rootfs"/{bin,etc,tmp} "$tmp/host"
if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
	cp /bin/busybox "$rootfs/bin/"
	for t in sh echo cat sleep ls rm mkdir; do ln -s busybox "$rootfs/bin/$t"; done
else
	for t in sh cat sleep ls rm mkdir; do
		f=$(command -v $t) || { echo "no $t on the host"; exit 77; }
		cp "$f" "$rootfs/bin/"
		for l in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			mkdir -p "$rootfs$(dirname "$l")"
			[ -e "$rootfs$l" ] || cp "$l" "$rootfs$l"
		done
	done
fi
echo original >"$rootfs/etc/motd"

default_spec
snapshot() { (cd "$rootfs" && find . -printf '%p %s %m %T@\n' | sort | md5sum); }
before=$(snapshot)

# 1. run: output and exit status, in the bundle as working directory.
config "d['process']['args']=$(args sh -c 'echo hello; exit 7')"
out=$(cd "$bundle" && cv run c1 </dev/null 2>"$tmp/err")
rc=$?
[ "$rc" = 7 ] || fail "run exit status $rc (want 7): $(cat "$tmp/err")"
[ "$out" = hello ] || fail "run output '$out'"
[ -z "$(cv list -q)" ] || fail "run left its state behind"

# 2. a bind mount: writes reach the host directory; a read-only one refuses.
config "$bind; d['mounts'].append({'destination':'/ro','type':'bind','source':'$tmp/host','options':['rbind','ro']}); d['process']['args']=$(args sh -c 'echo persisted >/data/f && cat /ro/f && ! (echo x >/ro/g) 2>/dev/null')"
out=$(cv run --bundle "$bundle" c2 </dev/null 2>"$tmp/err") || fail "bind mount run: $(cat "$tmp/err")"
[ "$(cat "$tmp/host/f" 2>/dev/null)" = persisted ] || fail "bind mount write did not reach the host"
[ "$out" = persisted ] || fail "read-only bind mount read '$out'"
[ ! -e "$tmp/host/g" ] || fail "read-only bind mount was written"

# File bind mounts (as Podman's /etc/hosts): over an existing file and a new one.
echo host-file >"$tmp/file1"
config "d['mounts'].append({'destination':'/etc/motd','type':'bind','source':'$tmp/file1','options':['rbind','ro']}); d['mounts'].append({'destination':'/etc/new/hosts','type':'bind','source':'$tmp/file1','options':['rbind','rw']}); d['process']['args']=$(args sh -c 'cat /etc/motd /etc/new/hosts; echo rw >/etc/new/hosts')"
out=$(cv run --bundle "$bundle" c2f </dev/null 2>"$tmp/err") || fail "file bind mount run: $(cat "$tmp/err")"
[ "$out" = "host-file
host-file" ] || fail "file bind mounts read '$out'"
[ "$(cat "$tmp/file1")" = rw ] || fail "rw file bind mount write did not reach the host"
[ "$(cat "$rootfs/etc/motd")" = original ] || fail "file bind mount changed the rootfs"

# 3. the root: read-only (default spec) refuses writes; with readonly false
# writes go to the memory overlay; the host rootfs never changes.
config "d['process']['args']=$(args sh -c 'echo x >/etc/motd')"
cv run --bundle "$bundle" c3 </dev/null >/dev/null 2>&1 && fail "write to a read-only root succeeded"
config "d['root']['readonly']=False; d['process']['args']=$(args sh -c 'echo changed >/etc/motd; echo new >/newfile; rm /bin/ls; cat /etc/motd /newfile')"
out=$(cv run --bundle "$bundle" c4 </dev/null 2>"$tmp/err") || fail "overlay run: $(cat "$tmp/err")"
[ "$out" = "changed
new" ] || fail "overlay writes not seen inside: '$out'"
[ "$(snapshot)" = "$before" ] || fail "the host rootfs changed"
[ "$(cat "$rootfs/etc/motd")" = original ] || fail "the host rootfs changed"

# 4. create / state / start / state / delete, with hooks.
hook() { echo "{'path':'/bin/sh','args':['sh','-c','cat >>$tmp/hook.$1']}"; }
config "$bind; d['hooks']={'createRuntime':[$(hook createRuntime)],'poststart':[$(hook poststart)],'poststop':[$(hook poststop)]}; d['process']['args']=$(args sh -c 'echo started >/data/started; echo out')"
cv create --bundle "$bundle" --pid-file "$tmp/c5.pid" c5 </dev/null >"$tmp/c5.out" 2>&1 ||
	fail "create: $(cat "$tmp/c5.out")"
cv state c5 >"$tmp/st" || fail "state after create"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['status']=='created' and d['pid']==int(open(sys.argv[2]).read()), d" \
	"$tmp/st" "$tmp/c5.pid" || fail "state after create: $(cat "$tmp/st")"
# the Sentry is the first process of a pid namespace of its own
c5=$(cat "$tmp/c5.pid")
[ "$(readlink "/proc/$c5/ns/pid")" != "$(readlink /proc/self/ns/pid)" ] &&
	grep -q '^NSpid:.*[[:space:]]1$' "/proc/$c5/status" ||
	fail "the Sentry is not pid 1 of its own pid namespace: $(grep NSpid "/proc/$c5/status")"
[ -e "$tmp/host/started" ] && fail "the program ran before start"
grep -q '"id":"c5"' "$tmp/hook.createRuntime" 2>/dev/null || fail "createRuntime hook input: $(cat "$tmp/hook.createRuntime" 2>&1)"
cv start c5 || fail "start"
grep -q '"id":"c5"' "$tmp/hook.poststart" 2>/dev/null || fail "poststart hook"
st=$(cv state c5 | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
[ "$st" = running ] || [ "$st" = stopped ] || fail "state after start: $st"
cv wait c5 || fail "wait: status $?"
[ "$(cv state c5 | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = stopped ] ||
	fail "not stopped after wait"
[ -e "$tmp/host/started" ] || fail "the program did not run after start"
grep -q '^out$' "$tmp/c5.out" || fail "output of the created container: $(cat "$tmp/c5.out")"
cv delete c5 || fail "delete"
grep -q '"id":"c5"' "$tmp/hook.poststop" 2>/dev/null || fail "poststop hook"
cv state c5 >/dev/null 2>&1 && fail "state after delete"

# 5. kill of a sleeping container; delete refuses a running one without --force.
config "d['process']['args']=$(args sleep 100)"
cv create --bundle "$bundle" c6 </dev/null >/dev/null 2>&1 || fail "create c6"
cv start c6 || fail "start c6"
cv delete c6 2>/dev/null && fail "delete of a running container without --force"
cv kill c6 TERM || fail "kill c6"
timeout 10 "$CVISOR" --root "$tmp/state" wait c6
rc=$?
[ "$rc" = 143 ] || fail "status after SIGTERM: $rc"
cv delete c6 || fail "delete c6"

# 6. run --detach, kill, delete; and delete --force of a running one.
cv run --detach --bundle "$bundle" --pid-file "$tmp/c7.pid" c7 </dev/null >/dev/null 2>&1 ||
	fail "run --detach"
kill -0 "$(cat "$tmp/c7.pid")" || fail "the detached Sentry is not running"
cv kill c7 KILL || fail "kill c7"
timeout 10 "$CVISOR" --root "$tmp/state" wait c7 >/dev/null
cv delete c7 || fail "delete c7"
cv run --detach --bundle "$bundle" c8 </dev/null >/dev/null 2>&1 || fail "run --detach c8"
cv delete --force c8 || fail "delete --force"
[ -z "$(cv list -q)" ] || fail "containers left: $(cv list -q)"

# 7. a tmpfs mount; process.user; signals to a foreground run reach the program.
config "d['mounts'].append({'destination':'/scratch','type':'tmpfs','source':'tmpfs','options':['mode=1777']}); d['process']['user']={'uid':1000,'gid':1000}; d['process']['args']=$(args sh -c 'echo tmp >/scratch/x && cat /scratch/x; while read k a b; do [ "$k" = Uid: ] && echo $a; done </proc/self/status; exit 0')"
out=$(cv run --bundle "$bundle" c9 </dev/null 2>"$tmp/err") || fail "tmpfs run: $(cat "$tmp/err")"
[ "$out" = "tmp
1000" ] || fail "tmpfs mount or uid: '$out'"
config "d['process']['args']=$(args sleep 100)"
"$CVISOR" --root "$tmp/state" run --bundle "$bundle" c10 </dev/null >/dev/null 2>&1 &
runpid=$!
for i in $(seq 50); do [ "$(cv list -q)" = c10 ] && break; sleep 0.1; done
sleep 0.5
kill -TERM $runpid
wait $runpid
rc=$?
[ "$rc" = 143 ] || fail "foreground run after SIGTERM: $rc"
[ -z "$(cv list -q)" ] || fail "foreground run left its state"

# 8. errors name what is wrong.
config "d['process']['args']=[]"
cv run --bundle "$bundle" bad 2>"$tmp/err" && fail "empty process.args accepted"
grep -q 'process.args' "$tmp/err" || fail "error message: $(cat "$tmp/err")"
echo "all lifecycle checks passed"
