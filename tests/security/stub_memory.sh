#!/bin/bash
# Stubs hold no Sentry memory: the host process that runs the application's
# code maps only the application's files, the vDSO and the stub page, never
# the cvisor binary, its heap or its stack.
set -u
. tests/lib/sentry.sh
"$CVISOR" do sleep 5 &
cvisor=$!
trap 'kill $cvisor 2>/dev/null; wait $cvisor 2>/dev/null' EXIT
fail=0 found=0
sentry=$(sentry_of "$cvisor") || { echo "FAIL: no Sentry under cvisor do"; exit 1; }
for _ in $(seq 50); do
	sleep 0.1
	for z in $(pgrep -P "$sentry"); do
		for stub in $(pgrep -P "$z"); do
			maps=$(cat "/proc/$stub/maps" 2>/dev/null) || continue
			grep -q '/usr/bin/sleep\|/bin/sleep' <<<"$maps" || continue
			found=1
			if grep -qE 'cvisor|\[heap\]|\[stack\]' <<<"$maps"; then
				echo "FAIL: the stub maps Sentry memory:"
				grep -E 'cvisor|\[heap\]|\[stack\]' <<<"$maps"
				fail=1
			fi
			grep -q '^7fffff000000-' <<<"$maps" || { echo "FAIL: no stub page"; fail=1; }
		done
	done
	[ $found = 1 ] && break
done
[ $found = 1 ] || { echo "FAIL: could not find the stub running sleep"; exit 1; }
[ $fail = 0 ] && echo "ok - the stub maps only the application, the vDSO and the stub page"
exit $fail
