#!/bin/bash
# Podman drives cvisor in runc's place (`podman --runtime $CVISOR`): output
# and exit status, -e, -w, -u, a -v bind mount writing to the host,
# --read-only, exec, stop (SIGTERM; SIGKILL after the timeout), logs and
# run -it through a pty (tmux). Podman, its configs and its storage live in a
# temporary directory; the image is a busybox-static root imported from a
# tarball. RUNTIME=runc (or crun) runs the same checks against another
# runtime, to check the test itself.
cd "$(dirname "$0")/../.."
source tests/oci/lib/clients.bash
need_client podman podman conmon
need_client tmux tmux
RT=${RUNTIME:-$CVISOR}
[ "$RT" = "$CVISOR" ] || cvisor_has() { true; }

mkdir -p "$T/vol"
podman_setup
pm() { timeout -k 5 120 podman --runtime "$RT" "$@"; }

make_rootfs_tar "$T/rootfs" "$T/rootfs.tar"
IMG=localhost/cvisor-busybox
pm import -q "$T/rootfs.tar" $IMG >/dev/null 2>"$T/import.err" ||
	{ bad "podman import: $(tail -n 3 "$T/import.err")"; finish; }
run() { pm run --rm --network none "$@"; }

# Output, exit status and the environment of the process.
check run run $IMG echo hello
expect_out "run echo" hello
if [ "$RT" = "$CVISOR" ]; then
	check kernel run $IMG uname -r
	expect_sentry
fi
check status run $IMG sh -c 'echo out; exit 7'
expect_rc "exit status 7" 7
[ "$OUT" = out ] || bad "output before exit 7: '$OUT'"
check env run -e FOO=bar $IMG sh -c 'echo $FOO'
expect_out "-e FOO=bar" bar
check workdir run -w /tmp $IMG pwd
expect_out "-w /tmp" /tmp
check user run -u 1000:1000 $IMG sh -c 'echo $(id -u) $(id -g)'
expect_out "-u 1000:1000" "1000 1000"
check user_name run -u user $IMG id -un
expect_out "-u user" user
check hostname run --hostname box1 $IMG hostname
expect_out "--hostname" box1

# A bind mount: writes persist on the host; the image is not changed.
check volume run -v "$T/vol:/data" $IMG sh -c 'echo persisted >/data/f; echo x >/etc/motd'
expect_rc "-v write" 0
[ "$(cat "$T/vol/f" 2>/dev/null)" = persisted ] || bad "-v: the write did not reach the host"
check image_intact run $IMG cat /etc/motd
expect_out "image unchanged after a write in a container" image-file

# --read-only: the root refuses writes, /tmp (a tmpfs) takes them.
check read_only run --read-only $IMG sh -c 'touch /etc/x 2>/dev/null && echo wrote; touch /tmp/y && echo tmp-ok'
expect_out "--read-only" tmp-ok

# logs of a detached container, after it exits.
check logs_run pm run -d --name logs1 --network none $IMG sh -c 'echo line1; echo line2 >&2'
pm wait logs1 >/dev/null 2>&1
both() { "$@" 2>&1 | sort; } # stdout and stderr: two pipes, no order
check logs both pm logs logs1
expect_out "logs" "line1
line2"
pm rm -f logs1 >/dev/null 2>&1

# stop: SIGTERM reaches a handler; a process ignoring it is killed after -t.
check stop_run pm run -d --name stop1 --network none $IMG \
	sh -c 'trap "exit 3" TERM; echo up; while :; do sleep 0.2; done'
expect_rc "run -d" 0
for _ in $(seq 50); do [ "$(pm logs stop1 2>/dev/null)" = up ] && break; sleep 0.1; done
check stop pm stop -t 20 stop1
expect_rc "stop (TERM handled)" 0
check stop_code pm inspect -f '{{.State.ExitCode}}' stop1
expect_out "exit status after TERM" 3
pm rm -f stop1 >/dev/null 2>&1
check stop_run pm run -d --name stop2 --network none $IMG \
	sh -c 'trap "" TERM; echo up; while :; do sleep 0.2; done'
for _ in $(seq 50); do [ "$(pm logs stop2 2>/dev/null)" = up ] && break; sleep 0.1; done
start=$(date +%s%N)
check stop pm stop -t 2 stop2
took=$((($(date +%s%N) - start) / 1000000))
expect_rc "stop (TERM ignored)" 0
check stop_code pm inspect -f '{{.State.ExitCode}}' stop2
expect_out "exit status after the SIGKILL" 137
[ $took -ge 1900 ] || bad "stop -t 2 returned after $took ms: TERM was not ignored"
pm rm -f stop2 >/dev/null 2>&1

# exec into a running container.
if gate exec "podman exec"; then
	check exec_run pm run -d --name exec1 --network none $IMG sleep 100
	check exec pm exec exec1 sh -c 'echo $((6 * 7))'
	expect_out "exec" 42
	check exec_rc pm exec exec1 sh -c 'exit 5'
	expect_rc "exec exit status" 5
	check exec_env pm exec -e X=y -w /tmp exec1 sh -c 'echo $X $(pwd)'
	expect_out "exec -e -w" "y /tmp"
	pm rm -f -t 0 exec1 >/dev/null 2>&1
fi

# run -it through a pty: a prompt, a command, its answer, exit.
if gate terminal "podman run -it"; then
	sock=$T/tmux.sock
	at_exit "tmux -S '$sock' kill-server"
	tmux -S "$sock" new-session -d -x 80 -y 24 \
		"podman --runtime '$RT' run -it --rm --network none $IMG sh; echo exited-\$?; sleep 30"
	screen() { tmux -S "$sock" capture-pane -p; }
	wait_for() { # PATTERN: waits up to 20 s for it on the screen
		for _ in $(seq 200); do screen | grep -q "$1" && return 0; sleep 0.1; done
		return 1
	}
	if wait_for '#'; then
		tmux -S "$sock" send-keys 'tty; echo $((6 * 7))' Enter
		wait_for '^42' && good "run -it: a command answers" ||
			bad "run -it: no answer: $(screen | tail -n 5)"
		screen | grep -q '^/dev/pts/' && good "run -it: stdin is a tty" ||
			bad "run -it: tty says $(screen | tail -n 5)"
		tmux -S "$sock" send-keys 'exit 4' Enter
		wait_for 'exited-4' && good "run -it: exit status" ||
			bad "run -it: no exit 4: $(screen | tail -n 5)"
	else
		bad "run -it: no prompt: $(screen | tail -n 5)"
	fi
fi

finish
