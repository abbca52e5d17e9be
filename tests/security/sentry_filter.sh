#!/bin/bash
# The Sentry runs under its own seccomp filter once the sandbox is up (a
# first step of its confinement), and the sandbox still works under it.
set -u
"$CVISOR" do sleep 3 &
sentry=$!
trap 'kill $sentry 2>/dev/null; wait $sentry 2>/dev/null' EXIT
for _ in $(seq 50); do
	grep -q '^Seccomp:[[:space:]]*2' "/proc/$sentry/status" 2>/dev/null && break
	sleep 0.05
done
if ! grep -q '^Seccomp:[[:space:]]*2' "/proc/$sentry/status"; then
	echo "FAIL: the Sentry has no seccomp filter"
	grep Seccomp "/proc/$sentry/status"
	exit 1
fi
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$sentry/status" || { echo "FAIL: no no_new_privs"; exit 1; }
echo "ok - the Sentry runs filtered, with no_new_privs"
