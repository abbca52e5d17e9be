# Sourced by script tests that look at a running Sentry. `cvisor do` (and
# `create`) run the Sentry as the first process of a pid namespace of its
# own, a child of the process the test started.
#
# sentry_of PID: prints the pid of PID's Sentry child once it has its
# seccomp filter (fully confined); fails after ~5 s.
sentry_of() {
	local s
	for _ in $(seq 100); do
		s=$(pgrep -P "$1" -x cvisor-sentry | head -n1)
		[ -n "$s" ] && grep -q '^Seccomp:[[:space:]]*2' "/proc/$s/status" 2>/dev/null &&
			{ echo "$s"; return 0; }
		sleep 0.05
	done
	return 1
}
