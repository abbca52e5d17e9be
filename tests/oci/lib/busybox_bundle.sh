# Sourced by tests/oci/*.sh that need a running container: sets CVISOR,
# tmp (removed at exit, its containers deleted), bundle (busybox-static
# rootfs, default spec), and defines fail, cv (cvisor --root $tmp/state),
# config 'python on d' (edits config.json from the default) and args.
cd "$(dirname "$0")/../.." || exit 1
. tests/oci/lib/container_test.sh
need_static_busybox

bundle=$tmp/bundle
mkdir -p "$bundle/rootfs"/{bin,etc,tmp,data} "$tmp/host"
cp /bin/busybox "$bundle/rootfs/bin/"
for t in sh echo cat sleep env id pwd true false kill wc; do ln -s busybox "$bundle/rootfs/bin/$t"; done
"$CVISOR" spec --bundle "$bundle" || fail "spec"
cp "$bundle/config.json" "$tmp/config.orig"
config() {
	python3 - "$tmp/config.orig" "$bundle/config.json" "$1" <<'PY' || fail "config edit"
import json, sys
d = json.load(open(sys.argv[1]))
d["process"]["terminal"] = False
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}
args() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@"; }
bind="d['mounts'].append({'destination':'/data','type':'bind','source':'$tmp/host','options':['rbind','rw']})"
