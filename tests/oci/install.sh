#!/bin/bash
# `cvisor install` / `uninstall`: the runtime entry in Docker's daemon.json,
# merged with what is there, runtimeArgs from after `--`.
cd "$(dirname "$0")/../.."
CVISOR=${CVISOR:-$PWD/build/cvisor}
[ -x "$CVISOR" ] || { echo "build/cvisor is not built"; exit 77; }
command -v python3 >/dev/null || { echo "python3 is needed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
f=$tmp/daemon.json
check() { # check 'python expression on d'
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert $1, d" "$f" ||
		fail "daemon.json: $(cat "$f")"
}
self=$(readlink -f "$CVISOR")

# A missing file is created.
"$CVISOR" install --config-file "$f" || fail "install into a missing file"
check "d == {'runtimes': {'cvisor': {'path': '$self', 'runtimeArgs': []}}}"

# Existing settings and runtimes stay; args after -- become runtimeArgs.
cat >"$f" <<'J'
{"data-root": "/var/lib/x", "runtimes": {"runc2": {"path": "/usr/bin/runc"}}, "debug": true}
J
chmod 600 "$f"
"$CVISOR" install --config-file "$f" --runtime cv2 -- --network=none --debug-log=/tmp/x/ ||
	fail "install with args"
check "d['data-root'] == '/var/lib/x' and d['debug'] is True"
check "d['runtimes']['runc2'] == {'path': '/usr/bin/runc'}"
check "d['runtimes']['cv2'] == {'path': '$self', 'runtimeArgs': ['--network=none', '--debug-log=/tmp/x/']}"
[ "$(stat -c %a "$f")" = 600 ] || fail "mode not kept: $(stat -c %a "$f")"
ls "$tmp" | grep -q tmp && fail "temporary file left: $(ls "$tmp")"

# Installing again replaces the entry, not duplicates it.
"$CVISOR" install --config-file "$f" --runtime cv2 || fail "reinstall"
check "d['runtimes']['cv2']['runtimeArgs'] == [] and len(d['runtimes']) == 2"

# uninstall removes only that entry.
"$CVISOR" uninstall --config-file "$f" --runtime cv2 || fail "uninstall"
check "'cv2' not in d['runtimes'] and 'runc2' in d['runtimes'] and d['debug'] is True"

# A broken file is refused and left as it was.
echo '{"runtimes": [' >"$f"
"$CVISOR" install --config-file "$f" 2>"$tmp/err" && fail "broken daemon.json accepted"
grep -q daemon.json "$tmp/err" || fail "error does not name the file: $(cat "$tmp/err")"
[ "$(cat "$f")" = '{"runtimes": [' ] || fail "broken file was changed"
echo '{"runtimes": 3}' >"$f"
"$CVISOR" install --config-file "$f" 2>"$tmp/err" && fail "runtimes: 3 accepted"
grep -q runtimes "$tmp/err" || fail "error does not name runtimes: $(cat "$tmp/err")"
echo "ok"
