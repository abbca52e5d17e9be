#!/bin/bash
# config.json fields seen from inside the sandbox: rlimits (ulimit),
# capabilities (/proc/self/status), umask, additionalGids (id), hostname,
# domainname, sysctl, maskedPaths, readonlyPaths, oomScoreAdj on the host;
# and fields the sandbox cannot honour refused with their name.
cd "$(dirname "$0")/../.."
. tests/oci/lib/container_test.sh
need_static_busybox

bundle=$tmp/bundle
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/etc" "$bundle/rootfs/data/sub" "$bundle/rootfs/tmp"
cp /bin/busybox "$bundle/rootfs/bin/"
for t in sh cat id hostname ls touch mkdir; do ln -s busybox "$bundle/rootfs/bin/$t"; done
echo secret >"$bundle/rootfs/etc/secret"
echo data >"$bundle/rootfs/data/file"
(cd "$bundle" && "$CVISOR" spec) || fail "spec"
cp "$bundle/config.json" "$tmp/config.orig"
# config 'python statements on d' SCRIPT: the container runs sh -c SCRIPT.
config() {
	python3 - "$tmp/config.orig" "$bundle/config.json" "$1" "$2" <<'PY' || fail "config edit"
import json, sys
d = json.load(open(sys.argv[1]))
d["process"]["terminal"] = False
d["process"]["args"] = ["/bin/sh", "-c", sys.argv[4]]
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}
run() { (cd "$bundle" && cv run "$@" </dev/null 2>"$tmp/err"); }

# 1. rlimits, umask, groups, hostname, domainname, sysctl.
config "
d['process']['rlimits'] = [{'type':'RLIMIT_NOFILE','soft':321,'hard':654}]
d['process']['user'] = {'uid':0,'gid':0,'umask':0o027,'additionalGids':[10,20]}
d['hostname'] = 'box1'
d['domainname'] = 'example.org'
d['linux']['sysctl'] = {'net.ipv4.ip_unprivileged_port_start':'0','kernel.shm_rmid_forced':'1','net.ipv4.ip_local_port_range':'1024 65000'}
" 'echo "nofile=$(ulimit -n) hard=$(ulimit -Hn) umask=$(umask) groups=$(id -G) host=$(hostname) dom=$(cat /proc/sys/kernel/domainname)"'
out=$(run f1) || fail "run f1: $(cat "$tmp/err")"
want="nofile=321 hard=654 umask=0027 groups=0 10 20 host=box1 dom=example.org"
[ "$out" = "$want" ] || fail "got '$out', want '$want'"

# 2. capabilities: root gets bounding (runc's rule), CapEff shows it, and
# the bounding set; noNewPrivileges sticks.
config "
c = ['CAP_CHOWN','CAP_KILL']
d['process']['capabilities'] = {'bounding':c,'effective':c,'permitted':c,'inheritable':[],'ambient':[]}
d['process']['noNewPrivileges'] = True
" 'grep -E "^(Cap(Eff|Prm|Bnd)|NoNewPrivs)" /proc/self/status'
out=$(run f2) || fail "run f2: $(cat "$tmp/err")"
echo "$out" | grep -q "CapEff:.0000000000000021" || fail "root CapEff: $out"
echo "$out" | grep -q "CapBnd:.0000000000000021" || fail "root CapBnd: $out"
echo "$out" | grep -q "NoNewPrivs:.1" || fail "noNewPrivileges: $out"
# A non-root user keeps only the ambient set.
config "
d['process']['user'] = {'uid':1000,'gid':1000}
c = ['CAP_CHOWN','CAP_KILL']
d['process']['capabilities'] = {'bounding':c,'effective':c,'permitted':c,'inheritable':['CAP_KILL'],'ambient':['CAP_KILL']}
" 'grep -E "^CapEff" /proc/self/status; id -u'
out=$(run f3) || fail "run f3: $(cat "$tmp/err")"
echo "$out" | grep -q "CapEff:.0000000000000020" || fail "user CapEff: $out"

# 3. maskedPaths (file empty, directory empty, both read-only) and
# readonlyPaths (EROFS); a missing path is fine.
config "
d['linux']['maskedPaths'] = ['/etc/secret', '/data/sub', '/no/such/path']
d['linux']['readonlyPaths'] = ['/data']
d['root']['readonly'] = False
" 'echo "secret=[$(cat /etc/secret)] sub=[$(ls /data/sub)]"
echo x >/etc/secret 2>/dev/null && echo "masked file writable"
touch /data/sub/new 2>/dev/null && echo "masked dir writable"
touch /data/new 2>/dev/null && echo "readonly dir writable"
echo "data=$(cat /data/file)"; touch /tmp/ok && echo "tmp writable"'
out=$(run f4) || fail "run f4: $(cat "$tmp/err")"
want=$'secret=[] sub=[]\ndata=data\ntmp writable'
[ "$out" = "$want" ] || fail "masked/readonly: got '$out'"

# 4. oomScoreAdj lands on the Sentry process on the host.
config "d['process']['oomScoreAdj'] = 123" 'sleep 30'
(cd "$bundle" && cv create f5) || fail "create f5"
pid=$(cv state f5 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
[ "$(cat /proc/$pid/oom_score_adj)" = 123 ] || fail "oom_score_adj $(cat /proc/$pid/oom_score_adj)"
cv delete --force f5 || fail "delete f5"

# 5. refused, naming the field.
refuse() { # refuse FIELD-TEXT 'python edit'
	config "$2" 'true'
	run bad && fail "accepted: $2"
	grep -q -- "$1" "$tmp/err" || fail "error does not name $1: $(cat "$tmp/err")"
}
refuse 'linux.sysctl' "d['linux']['sysctl'] = {'kernel.shmmax':'1'}"
refuse 'kernel.shmmax' "d['linux']['sysctl'] = {'kernel.shmmax':'1'}"
refuse 'mounts\[' "d['mounts'].append({'destination':'/x','type':'nfs','source':'h:/x'})"
refuse 'additionalGids' "d['process']['user']['additionalGids'] = list(range(65))"
refuse 'rlimits' "d['process']['rlimits'] = [{'type':'RLIMIT_NOFILE','soft':9,'hard':8}]"
refuse 'rlimits' "d['process']['rlimits'] = [{'type':'RLIMIT_BOGUS','soft':1,'hard':1}]"
# A network namespace path (which one the Sentry joins: netns.sh).
config "d['linux']['namespaces'] = [n for n in d['linux']['namespaces'] if n['type'] != 'network'] + [{'type':'network','path':'/proc/self/ns/net'}]" 'true'
run nsok || fail "netns path with --network=none refused: $(cat "$tmp/err")"
(cd "$bundle" && cv --network=host run nsok2 </dev/null 2>"$tmp/err") ||
	fail "netns path with --network=host refused: $(cat "$tmp/err")"
echo "ok"
