#!/bin/bash
# Docker drives cvisor: the test starts its own dockerd (data, exec root and
# socket in a temporary directory) with cvisor registered as the runtime
# `cvisor` (by `cvisor install` when cvisor has it), imports a busybox-static
# root and checks `docker run --runtime=cvisor`: output, exit status, -e, -w,
# -u, a -v bind mount, logs, stop (TERM handled; ignored, then KILL), exec
# and -t where cvisor has them. RUNTIME=runc (or crun) registers that binary
# as `cvisor` instead, to check the test itself. Debian's docker is
# /usr/bin/docker (another `docker` may come first in PATH).
cd "$(dirname "$0")/../.."
source tests/oci/lib/clients.bash
need_client docker.io $DOCKER $DOCKERD
RT=${RUNTIME:-$CVISOR}
[ "$RT" = "$CVISOR" ] || cvisor_has() { true; }

if [ "$RT" = "$CVISOR" ] && gate install "cvisor install writing daemon.json"; then
	docker_config
	check install "$CVISOR" install --config-file "$DOCKER_CONF"
	expect_rc "cvisor install --config-file" 0
else
	docker_config cvisor="$RT"
fi
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["runtimes"]["cvisor"]["path"] == sys.argv[2], d.get("runtimes")
assert d["data-root"] == sys.argv[3]' "$DOCKER_CONF" "$RT" "$T/docker/data" ||
	bad "daemon.json has no runtime cvisor at $RT, or lost its other keys"
# what a hung client leaves: containers in the runtime's state under exec-root
at_exit "for d in $T/docker/exec/runtime-*/moby; do for c in \$('$RT' --root \$d list -q); do '$RT' --root \$d delete --force \$c; done; done"
dockerd_start || { bad "$WHY"; finish; }

cli() { dk "$@"; }
RUNF=(--runtime=cvisor --network none)
source tests/oci/lib/cli_checks.bash

make_rootfs_tar "$T/rootfs" "$T/rootfs.tar"
IMG=localhost/cvisor-busybox
check import cli import "$T/rootfs.tar" $IMG
expect_rc "docker import" 0

cli_run_checks
# Docker's own network setup (no --network flag): its libnetwork-setkey
# prestart hook configures the namespace of the pid it is given, which
# must be the sandbox's, never the host's
links=$(ip -o link | wc -l)
check defaultnet cli run --rm --runtime=cvisor $IMG echo net
[ "$OUT" = net ] && good "run with Docker's default network" ||
	bad "run with Docker's default network: '$OUT' (status $RC); stderr: $ERR"
[ "$(ip -o link | wc -l)" = "$links" ] && good "the host's interfaces are unchanged" ||
	bad "the host's interfaces changed: $(ip -o link | tail -n 2)"
cli_logs_check
cli_stop_checks
cli_exec_checks docker
if gate terminal "docker run -t"; then
	check tty run -t $IMG sh -c 'test -t 1 && echo tty'
	[ "$(printf '%s' "$OUT" | tr -d '\r')" = tty ] && good "run -t: stdout is a tty" ||
		bad "run -t: '$OUT' (status $RC); stderr: $ERR"
fi

finish
