#!/bin/bash
# cvisor do exits with the command's status, 128+N when it dies of signal N.
# (Sandbox-only facts: no native comparison.)
. "$(dirname "$0")/lib/common.bash"
need_cvisor

expect() { # want-status description cmd...
	local want=$1 what=$2
	shift 2
	in_cvisor status "$@"
	if [ "$RC" = "$want" ]; then
		echo "ok - $what: $RC"
	else
		bad "$what: cvisor exited $RC, want $want"
		tail -n 10 "$T/status.err" | sed 's/^/#   cvisor stderr: /'
	fi
}

expect 0 "true" /bin/true
expect 1 "false" /bin/false
expect 7 "sh -c 'exit 7'" sh -c 'exit 7'
expect 255 "exit 255" sh -c 'exit 255'
expect 0 "exit 256 wraps" sh -c 'exit 256'
expect 3 "status of a process that forked" sh -c '(exit 5) & wait; sleep 0.01 & exit 3'
# Linux itself ignores non-fatal-by-force signals (kill -9, kill -SEGV) that a
# pid namespace's init sends itself; cvisor, like runsc do, lets it die of them.
expect 137 "kill -9 self" sh -c 'kill -9 $$; sleep 5'
expect 139 "SIGSEGV" sh -c 'kill -SEGV $$; sleep 5'
expect 139 "a real null dereference" /usr/bin/python3 -c 'import ctypes; ctypes.string_at(0)'
expect 127 "command not found" sh -c 'no-such-command-xyz 2>/dev/null'
# the exit status of the sandbox is pid 1's, even when children linger
expect 4 "pid 1 exits with children alive" sh -c 'sleep 30 & sleep 30 & exit 4'
# and a missing program is an error of its own
in_cvisor missing /nonexistent/program
if [ "$RC" = 0 ]; then bad "running a missing program succeeded"; else echo "ok - missing program: $RC"; fi
finish
