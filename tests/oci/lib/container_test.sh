# Sourced by OCI script tests (from the top of the tree): checks what they
# need (else exit 77), makes $tmp (state under $tmp/state, removed with
# every container left on exit), and defines fail, cv (cvisor with that
# state root, under a timeout), need_static_busybox, and for a test's
# $bundle: default_spec, config, args and bind.
CVISOR=${CVISOR:-$PWD/build/cvisor}
[ -x "$CVISOR" ] || { echo "build/cvisor is not built"; exit 77; }
command -v python3 >/dev/null || { echo "python3 is needed"; exit 77; }
need_static_busybox() {
	[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
		{ echo "busybox-static is needed for the rootfs"; exit 77; }
}
tmp=$(mktemp -d)
cleanup() {
	for id in $("$CVISOR" --root "$tmp/state" list -q 2>/dev/null); do
		"$CVISOR" --root "$tmp/state" delete --force "$id" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
cv() { timeout 60 "$CVISOR" --root "$tmp/state" "$@"; }
# default_spec: $bundle/config.json as `cvisor spec` writes it, kept as the
# base config edits.
default_spec() {
	"$CVISOR" spec --bundle "$bundle" || fail "spec"
	cp "$bundle/config.json" "$tmp/config.orig"
}
# config 'python statements on d': $bundle/config.json, the default spec
# edited (no terminal unless the statements ask).
config() {
	python3 - "$tmp/config.orig" "$bundle/config.json" "$1" <<'PY' || fail "config edit"
import json, sys
d = json.load(open(sys.argv[1]))
d["process"]["terminal"] = False
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}
# args CMD...: the process args, as a python list
args() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@"; }
# a config statement: $tmp/host bind mounted read-write on /data
bind="d['mounts'].append({'destination':'/data','type':'bind','source':'$tmp/host','options':['rbind','rw']})"
