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

mkdir -p "$T/vol"
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
dockerd_start || { bad "$WHY"; finish; }

make_rootfs_tar "$T/rootfs" "$T/rootfs.tar"
IMG=localhost/cvisor-busybox
check import dk import "$T/rootfs.tar" $IMG
expect_rc "docker import" 0
run() { dk run --rm --runtime=cvisor --network none "$@"; }

check run run $IMG echo hello
expect_out "run echo" hello
if [ "$RT" = "$CVISOR" ]; then
	check kernel run $IMG uname -r
	expect_sentry
fi
check status run $IMG sh -c 'echo out; exit 7'
expect_rc "exit status 7" 7
[ "$OUT" = out ] || bad "output before exit 7: '$OUT'"
check env run -e FOO=bar -w /tmp -u 1000:1000 $IMG sh -c 'echo $FOO $(pwd) $(id -u)'
expect_out "-e, -w, -u" "bar /tmp 1000"
check volume run -v "$T/vol:/data" $IMG sh -c 'echo persisted >/data/f'
expect_rc "-v write" 0
[ "$(cat "$T/vol/f" 2>/dev/null)" = persisted ] || bad "-v: the write did not reach the host"

both() { "$@" 2>&1 | sort; } # stdout and stderr: two pipes, no order
check logs_run dk run -d --name logs1 --runtime=cvisor --network none $IMG \
	sh -c 'echo line1; echo line2 >&2'
dk wait logs1 >/dev/null 2>&1
check logs both dk logs logs1
expect_out "logs" "line1
line2"

# stop: a TERM handler runs; a process ignoring TERM is killed after -t.
up() { # NAME: waits until the container has printed "up"
	for _ in $(seq 100); do [ "$(dk logs "$1" 2>/dev/null)" = up ] && return; sleep 0.1; done
}
check stop_run dk run -d --name stop1 --runtime=cvisor --network none $IMG \
	sh -c 'trap "exit 3" TERM; echo up; while :; do sleep 0.2; done'
up stop1
check stop dk stop -t 20 stop1
expect_rc "stop (TERM handled)" 0
check stop_code dk inspect -f '{{.State.ExitCode}}' stop1
expect_out "exit status after TERM" 3
check stop_run dk run -d --name stop2 --runtime=cvisor --network none $IMG \
	sh -c 'trap "" TERM; echo up; while :; do sleep 0.2; done'
up stop2
start=$(date +%s%N)
check stop dk stop -t 2 stop2
took=$((($(date +%s%N) - start) / 1000000))
expect_rc "stop (TERM ignored)" 0
check stop_code dk inspect -f '{{.State.ExitCode}}' stop2
expect_out "exit status after the SIGKILL" 137
[ $took -ge 1900 ] || bad "stop -t 2 returned after $took ms: TERM was not ignored"

if gate exec "docker exec"; then
	check exec_run dk run -d --name exec1 --runtime=cvisor --network none $IMG sleep 100
	check exec dk exec exec1 sh -c 'echo $((6 * 7))'
	expect_out "exec" 42
	check exec_rc dk exec exec1 sh -c 'exit 5'
	expect_rc "exec exit status" 5
fi
if gate terminal "docker run -t"; then
	check tty run -t $IMG sh -c 'test -t 1 && echo tty'
	[ "$(printf '%s' "$OUT" | tr -d '\r')" = tty ] && good "run -t: stdout is a tty" ||
		bad "run -t: '$OUT' (status $RC); stderr: $ERR"
fi

finish
