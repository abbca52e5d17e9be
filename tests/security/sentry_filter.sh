#!/bin/bash
# The Sentry's seccomp allow-list holds against someone who took the Sentry
# over: inject_probe makes a running process make a system call of our
# choosing. Natively (a plain process) every probe call works, which shows
# the probe does what it claims; in a Sentry getpid still works (the probe
# reaches it) while openat(AT_FDCWD), open, execve and socket(AF_INET) kill
# it with SIGSYS (the container exits 128+31) or fail; and it cannot even
# see another host process to signal it (its own pid namespace).
set -u
P=$PWD/${B:-build}/tests/security/inject_probe
[ -x "$P" ] || { echo "inject_probe is not built (make test builds it)"; exit 77; }
fail=0
pids=()
trap 'kill ${pids[*]} 2>/dev/null; wait 2>/dev/null' EXIT

native() { # call expected-regex
	sleep 30 &
	local v=$!
	pids+=($v)
	sleep 0.2
	local out
	out=$("$P" "$v" "$1" 2>&1)
	if [[ ! "$out" =~ $2 ]]; then
		echo "FAIL: probe $1 on a plain process: '$out', want /$2/"
		fail=1
	fi
	kill "$v" 2>/dev/null
}
native getpid '^ret [0-9]+$'
native openat '^ret [0-9]+$'
native open '^ret [0-9]+$'
native socket '^ret [0-9]+$'
native execve '^ret 0$'
# openw: a plain process holding the host's / opens a host file for writing
sleep 30 3</ &
v=$!
pids+=($v)
sleep 0.2
out=$("$P" "$v" openw 3 etc/hostname 2>&1)
[[ "$out" =~ ^ret\ [0-9]+$ ]] || { echo "FAIL: probe openw on a plain process: '$out'"; fail=1; }
kill "$v"

# A Sentry running `sleep`, its filter in place: S, under cvisor do's W.
. tests/lib/sentry.sh
sentry() {
	"$CVISOR" do sleep 30 &
	W=$!
	pids+=($W)
	S=$(sentry_of "$W") && return 0
	echo "FAIL: no Sentry with a seccomp filter under cvisor do"
	exit 1
}

for call in openat open execve socket; do
	sentry
	out=$("$P" "$S" getpid 2>&1)
	if [ "$out" != "ret 1" ]; then # pid 1 of its own namespace
		echo "FAIL: probe getpid in the Sentry: '$out' (the probe does not reach it)"
		fail=1
	fi
	out=$("$P" "$S" "$call" 2>&1)
	[ "${out#ret -}" != "$out" ] && kill "$S" # refused: it lives on
	wait "$W"
	rc=$?
	case "$out" in
	"killed 31")
		[ "$rc" = 159 ] || { echo "FAIL: $call: the Sentry was killed but cvisor exited $rc, not 159"; fail=1; } ;;
	"ret -"[0-9]*) ;;
	*)
		echo "FAIL: $call in the Sentry: '$out' (neither refused nor killed)"
		fail=1 ;;
	esac
	echo "# $call in the Sentry: $out, exit $rc"
done
# The host directories it holds (the root, bind mounts, walked paths) are
# read-only to the kernel too: it keeps host uid 0, which owns /etc and
# /proc/sys.
sentry
held=0
for f in /proc/$S/fd/*; do
	[ -d "$f" ] || continue
	held=$((held + 1))
	for rel in etc/hostname proc/sys/kernel/core_pattern; do
		out=$("$P" "$S" openw "${f##*/}" "$rel" 2>&1)
		[[ "$out" =~ ^ret\ -[0-9]+$ ]] ||
			{ echo "FAIL: openat(fd ${f##*/} -> $(readlink "$f"), $rel, O_WRONLY) in the Sentry: '$out'"; fail=1; }
	done
done
[ $held -gt 0 ] || { echo "FAIL: the Sentry holds no directory (nothing was tried)"; fail=1; }
echo "# tried writes through $held directories the Sentry holds"
# Other host processes are out of its sight: kill(pid, 0) of one finds
# nothing (a plain process finds it: the probe works)
sleep 30 &
other=$!
pids+=($other)
out=$("$P" "$S" kill "$other" 2>&1)
[ "$out" = "ret -3" ] || { echo "FAIL: kill($other, 0) in the Sentry: '$out', want ESRCH"; fail=1; }
sleep 30 &
v=$!
pids+=($v)
sleep 0.2
out=$("$P" "$v" kill "$other" 2>&1)
[ "$out" = "ret 0" ] || { echo "FAIL: kill($other, 0) on a plain process: '$out'"; fail=1; }
kill "$S"
wait "$W"

[ $fail = 0 ] && echo "ok - the Sentry's filter refuses host paths, execve and inet sockets"
exit $fail
