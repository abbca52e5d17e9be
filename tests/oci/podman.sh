#!/bin/bash
# Podman drives cvisor in runc's place (`podman --runtime $CVISOR`): output
# and exit status, -e, -w, -u, a -v bind mount writing to the host,
# --read-only, --init, exec, stop (SIGTERM; SIGKILL after the timeout), logs and
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

podman_setup
cli() { timeout -k 5 120 podman --runtime "$RT" "$@"; }
RUNF=(--network none)
source tests/oci/lib/cli_checks.bash

make_rootfs_tar "$T/rootfs" "$T/rootfs.tar"
IMG=localhost/cvisor-busybox
check import cli import -q "$T/rootfs.tar" $IMG
expect_rc "podman import" 0

cli_run_checks
check user_name run -u user $IMG id -un
expect_out "-u user" user
check hostname run --hostname box1 $IMG hostname
expect_out "--hostname" box1
# writes to the root go to the container's layer, not the image
check image_write run $IMG sh -c 'echo x >/etc/motd'
check image_intact run $IMG cat /etc/motd
expect_out "image unchanged after a write in a container" image-file
# --read-only: the root refuses writes, /tmp (a tmpfs) takes them.
check read_only run --read-only $IMG sh -c 'touch /etc/x 2>/dev/null && echo wrote; touch /tmp/y && echo tmp-ok'
expect_out "--read-only" tmp-ok
# --init: catatonit as pid 1 reaps the command and passes its status on
check init run --init $IMG sh -c 'echo init-ok; exit 6'
expect_rc "--init: exit status" 6
[ "$OUT" = init-ok ] || bad "--init: output '$OUT'"
cli_logs_check
cli_stop_checks
cli_exec_checks podman

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
