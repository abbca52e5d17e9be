# Shared by the real-client tests tests/oci/{podman,containerd,docker}.sh
# (sourced, not run). Facts behind the configs: ../shared/CLIENTS.md.
#
#   need_client PKG BIN...   installs Debian's PKG when a BIN is missing
#                            (apt-get), else skips the test with the reason
#   make_rootfs DIR          a busybox-static root: every applet in /bin,
#                            /etc/passwd and /etc/group with a user 1000
#   make_rootfs_tar DIR TAR  the same root as a tarball (for imports)
#   make_oci_archive DIR TAR NAME  an OCI image archive of DIR (ctr import)
#   cvisor_has FEATURE       exec | terminal | install: cvisor has it
#   gate FEATURE WHAT        true if cvisor has FEATURE; else records WHAT
#                            as not run (printed by finish)
#   check NAME CMD...        runs CMD (stdin /dev/null), output in $OUT,
#                            status in $RC
#   expect_out NAME WANT / expect_rc NAME WANT   compare $OUT / $RC
#   at_exit CMD              runs CMD when the test ends (last in, first out)
#   finish                   prints the verdict and exits 0 or 1
#
# Everything a test makes lives under $T (mode 755, so a container's user
# 1000 can walk it), which the exit trap unmounts and removes.
set -u
CLIENTS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
CVISOR=${CVISOR:-$CLIENTS_ROOT/build/cvisor}
T=$(mktemp -d /tmp/cvisor-clients.XXXXXX)
chmod 755 "$T"
failures=0
not_run=()
exit_cmds=()

note() { printf '# %s\n' "$*"; }
skip() {
	echo "$*"
	exit 77
}
bad() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
good() { echo "ok - $*"; }

at_exit() { exit_cmds=("$*" "${exit_cmds[@]}"); }

# Unmounts everything mounted at or below DIR, deepest first (dockerd and
# podman leave overlay, shm and netns mounts behind).
unmount_under() {
	local m
	for m in $(awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
}

clients_cleanup() {
	local c
	for c in "${exit_cmds[@]}"; do
		eval "$c" >/dev/null 2>&1
	done
	unmount_under "$T"
	rm -rf "$T"
}
trap clients_cleanup EXIT

[ -x "$CVISOR" ] || skip "build/cvisor is not built"
[ "$(id -u)" = 0 ] || skip "the real clients need root"

need_client() {
	local pkg=$1 b missing=0
	shift
	for b in "$@"; do
		[ -x "$b" ] || command -v "$b" >/dev/null || missing=1
	done
	[ $missing = 0 ] && return
	command -v apt-get >/dev/null || skip "$pkg is not installed and there is no apt-get"
	note "installing $pkg"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
		--no-install-recommends "$pkg" >"$T/apt.log" 2>&1 ||
		skip "apt-get install $pkg failed: $(tail -n 1 "$T/apt.log")"
	for b in "$@"; do
		[ -x "$b" ] || command -v "$b" >/dev/null || skip "$pkg installed but $b is missing"
	done
}

make_rootfs() {
	local r=$1 a
	[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
		need_client busybox-static /bin/busybox
	mkdir -p "$r"/{bin,etc,tmp,root,home/user,proc,sys,dev,data}
	chmod 1777 "$r/tmp"
	cp /bin/busybox "$r/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n' \
		>"$r/etc/passwd"
	printf 'root:x:0:\nuser:x:1000:\n' >"$r/etc/group"
	chown 1000:1000 "$r/home/user"
	echo image-file >"$r/etc/motd"
}

make_rootfs_tar() {
	tar -C "$1" -cf "$2" .
}

# An OCI image layout in a tar (one gzip layer), named NAME:latest for
# `ctr images import`.
make_oci_archive() {
	python3 - "$1" "$2" "$3" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
root, out, name = sys.argv[1:]
blobs = {}
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    blobs[d] = data
    return "sha256:" + d
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w") as t:
    t.add(root, arcname=".")
layer = gzip.compress(raw.getvalue(), mtime=0)
config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/bin"], "Cmd": ["/bin/sh"]},
    "rootfs": {"type": "layers",
               "diff_ids": ["sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()]},
}).encode()
manifest = json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
               "digest": blob(config), "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": blob(layer), "size": len(layer)}],
}).encode()
index = json.dumps({
    "schemaVersion": 2,
    "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                   "digest": blob(manifest), "size": len(manifest),
                   "annotations": {"io.containerd.image.name": name + ":latest",
                                   "org.opencontainers.image.ref.name": "latest"}}],
}).encode()
def add(t, path, data):
    i = tarfile.TarInfo(path)
    i.size = len(data)
    t.addfile(i, io.BytesIO(data))
with tarfile.open(out, "w") as t:
    add(t, "oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
    add(t, "index.json", index)
    for d, data in blobs.items():
        add(t, "blobs/sha256/" + d, data)
PY
}

# What cvisor can do today; other branches add exec, terminals and install.
cvisor_has() {
	case $1 in
	exec | install) "$CVISOR" "$1" --help >/dev/null 2>&1 ;;
	terminal)
		# without terminal support create refuses --console-socket outright
		! "$CVISOR" --root "$T/probe" create --console-socket "$T/none" \
			--bundle "$T/none" probe 2>&1 | grep -q 'not supported'
		;;
	*) return 1 ;;
	esac
}

gate() {
	cvisor_has "$1" && return 0
	not_run+=("$2 (cvisor has no $1 yet)")
	note "not run: $2 (cvisor has no $1 yet)"
	return 1
}

OUT="" RC=0
check() {
	local name=$1
	shift
	OUT=$("$@" </dev/null 2>"$T/check.err")
	RC=$?
	ERR=$(tail -n 5 "$T/check.err")
}
expect_rc() {
	if [ "$RC" = "$2" ]; then good "$1"; else bad "$1: exit status $RC, want $2; output '$OUT'; stderr: $ERR"; fi
}
expect_out() {
	if [ "$OUT" = "$2" ] && [ "$RC" = 0 ]; then
		good "$1"
	else
		bad "$1: output '$OUT' (status $RC), want '$2'; stderr: $ERR"
	fi
}

finish() {
	local w
	if [ ${#not_run[@]} -gt 0 ]; then
		echo "checks not run:"
		for w in "${not_run[@]}"; do echo "  $w"; done
	fi
	if [ $failures -gt 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}
