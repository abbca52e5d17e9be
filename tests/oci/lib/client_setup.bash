# Installs, configures, starts and stops the real OCI clients (Podman,
# containerd, Docker), all inside one temporary directory $T; sourced by
# tests/oci/lib/clients.bash and by bench/clients.sh. Facts behind the
# configs: ../shared/CLIENTS.md.
#
#   install_client PKG BIN...  installs Debian's PKG when a BIN is missing;
#                              returns 1 with the reason in $WHY if it cannot
#   make_rootfs DIR            a busybox-static root: every applet in /bin,
#                              /etc/passwd and /etc/group with a user 1000
#   make_oci_archive DIR TAR NAME  an OCI image archive of DIR (ctr import)
#   podman_setup               containers.conf and storage.conf under $T,
#                              exported as CONTAINERS_CONF / _STORAGE_CONF
#   containerd_start           a containerd on $CTRD_SOCK; `ctrd ARGS` runs
#                              ctr against it in namespace $CTRD_NS
#   docker_config NAME=PATH... daemon.json ($DOCKER_CONF) with those runtimes
#   dockerd_start              dockerd from $DOCKER_CONF; `dk ARGS` talks to it
#   at_exit CMD                runs CMD when the script ends (last in, first out)
# The start functions return 1 with the reason in $WHY when a daemon fails.
# Debian's docker is /usr/bin/docker: another `docker` may come first in PATH.
DOCKER=/usr/bin/docker DOCKERD=/usr/sbin/dockerd
if [ -z "${T:-}" ]; then
	T=$(mktemp -d /tmp/cvisor-clients.XXXXXX)
	chmod 755 "$T" # a container's user 1000 walks it
fi
exit_cmds=()
WHY=""

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
# a test stopped by timeout or ^C cleans up too
trap 'exit 143' TERM
trap 'exit 130' INT

install_client() {
	local pkg=$1 b missing=0
	shift
	for b in "$@"; do
		[ -x "$b" ] || command -v "$b" >/dev/null || missing=1
	done
	[ $missing = 0 ] && return 0
	WHY="$pkg is not installed and there is no apt-get"
	command -v apt-get >/dev/null || return 1
	echo "# installing $pkg" >&2
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
		--no-install-recommends "$pkg" >"$T/apt.log" 2>&1; then
		WHY="apt-get install $pkg failed: $(tail -n 1 "$T/apt.log")"
		return 1
	fi
	for b in "$@"; do
		WHY="$pkg installed but $b is missing"
		[ -x "$b" ] || command -v "$b" >/dev/null || return 1
	done
}

make_rootfs() {
	local r=$1 a
	if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
		install_client busybox-static /bin/busybox || return 1
	fi
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

# An OCI image layout in a tar (one gzip layer), named NAME:latest for
# `ctr images import`.
make_oci_archive() {
	python3 - "$1" "$2" "$3" <<'PY'
import gzip, hashlib, io, json, sys, tarfile
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

podman_setup() {
	local d=$T/podman
	mkdir -p "$d"
	# rlimits above root's hard limits fail here (no CAP_SYS_RESOURCE); the
	# storage driver must be set from the first call on
	cat >"$d/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
log_driver = "k8s-file"
netns = "none"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events.log"
# podman passes --log and --log-format=json only to runtimes named here
runtime_supports_json = ["cvisor", "crun", "runc", "runsc"]
tmp_dir = "$d/tmp"
static_dir = "$d/storage/libpod"
volume_path = "$d/storage/volumes"
EOF
	cat >"$d/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$d/storage"
runroot = "$d/run"
EOF
	export CONTAINERS_CONF=$d/containers.conf CONTAINERS_STORAGE_CONF=$d/storage.conf
	at_exit "podman rm -af -t 0; podman system reset -f"
}

containerd_start() {
	local d=$T/containerd
	mkdir -p "$d"
	CTRD_SOCK=$d/containerd.sock
	CTRD_NS=cvisor-test-$$
	cat >"$d/config.toml" <<EOF
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTRD_SOCK"
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/opt"
EOF
	containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
	local pid=$!
	# the shims outlive containerd: end those of this one, by pid
	at_exit "kill $pid; wait $pid; for p in \$(pgrep -f -- '-address $CTRD_SOCK'); do kill \$p; done; rm -rf /run/containerd/runc/$CTRD_NS"
	at_exit "for c in \$(ctrd c ls -q); do ctrd t rm -f \$c; ctrd c rm \$c; done"
	for _ in $(seq 100); do ctrd version >/dev/null 2>&1 && return 0; sleep 0.1; done
	WHY="containerd did not start: $(tail -n 3 "$d/containerd.log")"
	return 1
}
ctrd() { timeout -k 5 60 ctr -a "$CTRD_SOCK" -n "$CTRD_NS" "$@"; }

docker_config() {
	local d=$T/docker
	mkdir -p "$d"
	DOCKER_CONF=$d/daemon.json
	python3 - "$d" "$@" >"$DOCKER_CONF" <<'PY'
import json, sys
d = sys.argv[1]
conf = {
    "data-root": d + "/data", "exec-root": d + "/exec", "pidfile": d + "/dockerd.pid",
    "hosts": ["unix://" + d + "/docker.sock"],
    "iptables": False, "ip6tables": False, "bridge": "none",
    "storage-driver": "overlay2", "exec-opts": ["native.cgroupdriver=cgroupfs"],
    "log-driver": "json-file",
}
rts = dict(a.split("=", 1) for a in sys.argv[2:])
if rts:
    conf["runtimes"] = {n: {"path": p, "runtimeArgs": []} for n, p in rts.items()}
print(json.dumps(conf, indent=2))
PY
}

dockerd_start() {
	local d=$T/docker
	$DOCKERD --config-file "$DOCKER_CONF" >"$d/dockerd.log" 2>&1 &
	local pid=$!
	at_exit "kill $pid; for _ in \$(seq 100); do kill -0 $pid || break; sleep 0.1; done; kill -9 $pid; for p in \$(pgrep -f -- '-address $d/exec/'); do kill \$p; done"
	export DOCKER_HOST=unix://$d/docker.sock
	at_exit "$DOCKER rm -f \$($DOCKER ps -aq)"
	for _ in $(seq 300); do dk version >/dev/null 2>&1 && return 0; sleep 0.1; done
	WHY="dockerd did not start: $(tail -n 3 "$d/dockerd.log")"
	return 1
}
dk() { timeout -k 5 120 $DOCKER "$@"; }
