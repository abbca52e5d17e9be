#!/bin/bash
# containerd drives cvisor through its runc v2 shim (`ctr run --runc-binary
# $CVISOR`): containers from a rootfs directory and from an imported image,
# exit status, `ctr task exec`, `ctr task kill` (handled TERM and KILL). The
# test starts its own containerd with root, state and socket in a temporary
# directory. RUNTIME=runc (or crun) runs the same checks against another
# runtime, to check the test itself.
cd "$(dirname "$0")/../.."
source tests/oci/lib/clients.bash
need_client containerd containerd ctr containerd-shim-runc-v2
RT=${RUNTIME:-$CVISOR}
[ "$RT" = "$CVISOR" ] || cvisor_has() { true; }

containerd_start || { bad "$WHY"; finish; }
at_exit "for c in \$('$RT' --root /run/containerd/runc/$CTRD_NS list -q); do '$RT' --root /run/containerd/runc/$CTRD_NS delete --force \$c; done"

make_rootfs "$T/rootfs" || skip "$WHY"
R=$T/rootfs
ctr_run() { ctrd run --rm --runc-binary "$RT" "$@"; }

# From a rootfs directory (such containers have no PATH).
check rootfs ctr_run --rootfs "$R" r1 /bin/echo hello
expect_out "run --rootfs" hello
if [ "$RT" = "$CVISOR" ]; then
	check kernel ctr_run --rootfs "$R" r2 /bin/uname -r
	expect_sentry
fi
check status ctr_run --rootfs "$R" r3 /bin/sh -c 'echo out; exit 7'
expect_rc "exit status 7" 7
[ "$OUT" = out ] || bad "output before exit 7: '$OUT'"
check env ctr_run --env FOO=bar --cwd /tmp --rootfs "$R" r4 /bin/sh -c 'echo $FOO $(/bin/pwd)'
expect_out "--env, --cwd" "bar /tmp"

# From an imported image (the same root as an OCI archive).
IMG=localhost/cvisor-busybox
make_oci_archive "$R" "$T/image.tar" $IMG || bad "make the OCI archive"
check import ctrd images import "$T/image.tar"
expect_rc "images import" 0
check image ctr_run $IMG:latest i1 sh -c 'cat /etc/motd; exit 3'
expect_rc "run from an image: exit status" 3
[ "$OUT" = image-file ] || bad "run from an image: output '$OUT'"

# task exec, task kill: TERM to a handler, then KILL.
started() { # ID: waits until the task runs
	for _ in $(seq 100); do
		ctrd t ls 2>/dev/null | grep -q "^$1 .*RUNNING" && return 0
		sleep 0.1
	done
	return 1
}
bg_run() { # ID CMD...: `ctr run --rm` in the background; its pid in $BG
	local id=$1
	shift
	ctrd run --rm --runc-binary "$RT" $IMG:latest "$id" "$@" </dev/null >"$T/$id.out" 2>&1 &
	BG=$!
}
bg_status() { # waits for the background `ctr run`; its status in $RC
	wait $BG
	RC=$?
	OUT=$(cat "$T/$1.out")
	ERR=$OUT
}
bg_run k1 sh -c 'trap "exit 3" TERM; while :; do sleep 0.2; done'
started k1 || bad "task k1 is not running: $(ctrd t ls 2>&1)"
if gate exec "ctr task exec"; then
	check exec ctrd t exec --exec-id e1 k1 sh -c 'echo $((6 * 7))'
	expect_out "task exec" 42
	check exec_rc ctrd t exec --exec-id e2 k1 sh -c 'exit 5'
	expect_rc "task exec exit status" 5
fi
check kill ctrd t kill k1
expect_rc "task kill (TERM)" 0
bg_status k1
expect_rc "exit status after TERM" 3
bg_run k2 sh -c 'trap "" TERM; while :; do sleep 0.2; done'
started k2 || bad "task k2 is not running: $(ctrd t ls 2>&1)"
ctrd t kill k2 >/dev/null 2>&1
sleep 0.5
ctrd t ls 2>/dev/null | grep -q '^k2 .*RUNNING' && good "task ignoring TERM still runs" ||
	bad "task k2 ignoring TERM stopped: $(ctrd t ls 2>&1)"
check kill9 ctrd t kill -s KILL k2
expect_rc "task kill -s KILL" 0
bg_status k2
expect_rc "exit status after KILL" 137

finish
