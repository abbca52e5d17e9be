# Checks shared by the Docker-like command lines (podman.sh, docker.sh),
# sourced after clients.bash. The test defines `cli ARGS...` (its client),
# RUNF (flags for every `cli run`), IMG (the busybox image) and RT.
#
#   cli_run_checks    output, the Sentry, exit status, -e -w -u, -v writes
#   cli_logs_check    logs of a detached container (stdout and stderr)
#   cli_stop_checks   stop: a TERM handler runs; TERM ignored: KILL after -t
#   cli_exec_checks   exec: output, exit status, -e -w (when cvisor has exec)

run() { cli run --rm "${RUNF[@]}" "$@"; }
both() { "$@" 2>&1 | sort; } # stdout and stderr: two pipes, no order

cli_run_checks() {
	check run run $IMG echo hello
	expect_out "run echo" hello
	if [ "$RT" = "$CVISOR" ]; then
		check kernel run $IMG uname -r
		expect_sentry
	fi
	check status run $IMG sh -c 'echo out; exit 7'
	expect_rc "exit status 7" 7
	[ "$OUT" = out ] || bad "output before exit 7: '$OUT'"
	check env run -e FOO=bar -w /tmp -u 1000:1000 $IMG sh -c 'echo $FOO $(pwd) $(id -u) $(id -g)'
	expect_out "-e, -w, -u" "bar /tmp 1000 1000"
	mkdir -p "$T/vol"
	check volume run -v "$T/vol:/data" $IMG sh -c 'echo persisted >/data/f'
	expect_rc "-v write" 0
	[ "$(cat "$T/vol/f" 2>/dev/null)" = persisted ] || bad "-v: the write did not reach the host"
}

cli_logs_check() {
	check logs_run cli run -d --name logs1 "${RUNF[@]}" $IMG sh -c 'echo line1; echo line2 >&2'
	cli wait logs1 >/dev/null 2>&1
	check logs both cli logs logs1
	expect_out "logs" "line1
line2"
	cli rm -f logs1 >/dev/null 2>&1
}

# detached NAME SCRIPT: runs sh -c SCRIPT detached; waits until it says "up"
detached() {
	check run_d cli run -d --name "$1" "${RUNF[@]}" $IMG sh -c "$2; echo up; while :; do sleep 0.2; done"
	expect_rc "run -d ($1)" 0
	for _ in $(seq 100); do [ "$(cli logs "$1" 2>/dev/null)" = up ] && return; sleep 0.1; done
}

cli_stop_checks() {
	detached stop1 'trap "exit 3" TERM'
	check stop cli stop -t 20 stop1
	expect_rc "stop (TERM handled)" 0
	check stop_code cli inspect -f '{{.State.ExitCode}}' stop1
	expect_out "exit status after TERM" 3
	detached stop2 'trap "" TERM'
	local start took
	start=$(date +%s%N)
	check stop cli stop -t 2 stop2
	took=$((($(date +%s%N) - start) / 1000000))
	expect_rc "stop (TERM ignored)" 0
	check stop_code cli inspect -f '{{.State.ExitCode}}' stop2
	expect_out "exit status after the SIGKILL" 137
	[ $took -ge 1900 ] || bad "stop -t 2 returned after $took ms: TERM was not ignored"
	cli rm -f stop1 stop2 >/dev/null 2>&1
}

cli_exec_checks() {
	gate exec "$1 exec" || return
	check exec_run cli run -d --name exec1 "${RUNF[@]}" $IMG sleep 100
	check exec cli exec exec1 sh -c 'echo $((6 * 7))'
	expect_out "exec" 42
	check exec_rc cli exec exec1 sh -c 'exit 5'
	expect_rc "exec exit status" 5
	check exec_env cli exec -e X=y -w /tmp exec1 sh -c 'echo $X $(pwd)'
	expect_out "exec -e -w" "y /tmp"
	cli kill exec1 >/dev/null 2>&1
	cli rm -f exec1 >/dev/null 2>&1
}
