#!/bin/bash
# A bounded fork bomb inside the sandbox must hit the sandbox's pid limit
# (fork fails with EAGAIN), cvisor must return, the host must stay responsive
# and no sandbox process may survive. Never run natively.
. "$(dirname "$0")/lib/common.bash"
need_cvisor
command -v gcc >/dev/null || skip "gcc is not installed"
CAP=${FORKBOMB_CAP:-10000}

cat >"$T/bomb.c" <<C
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	int n = 0;
	if (getpid() != 1) { /* kill(-1) below must only reach the sandbox */
		printf("not pid 1: refusing to run outside a pid namespace\n");
		return 4;
	}
	for (;;) {
		pid_t p = fork();
		if (p == 0) {
			for (;;)
				pause();
		}
		if (p < 0) {
			int e = errno;
			printf("fork failed after %d processes: %s\n", n, strerror(e));
			fflush(stdout);
			kill(-1, SIGKILL);
			while (wait(NULL) > 0)
				;
			return e == EAGAIN ? 0 : 2;
		}
		if (++n >= $CAP) {
			printf("no limit within %d processes\n", n);
			fflush(stdout);
			kill(-1, SIGKILL);
			while (wait(NULL) > 0)
				;
			return 3;
		}
	}
}
C
gcc -O1 -o "$T/bomb" "$T/bomb.c" || { bad "cannot build the bomb"; finish; }

count_procs() { ps -e --no-headers | wc -l; }
before=$(count_procs)
# The host's responsiveness: how long a trivial fork+exec takes, sampled all along.
(
	max=0
	while [ ! -e "$T/done" ]; do
		s=$(date +%s%N)
		timeout 10 sh -c true
		e=$((($(date +%s%N) - s) / 1000000))
		[ "$e" -gt "$max" ] && max=$e && echo "$max" >"$T/maxlat"
		sleep 0.2
	done
) &
prober=$!
start=$(date +%s)
timeout -k 5 120 "$CVISOR" do -- "$T/bomb" >"$T/bomb.out" 2>"$T/bomb.err" </dev/null
rc=$?
took=$(($(date +%s) - start))
touch "$T/done"
wait "$prober"
cat "$T/bomb.out"
note "cvisor returned $rc after ${took}s; worst host fork+exec latency $(cat "$T/maxlat" 2>/dev/null || echo 0) ms"
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	bad "cvisor did not return within 120 s"
elif [ "$rc" != 0 ]; then
	bad "the bomb did not end with EAGAIN (status $rc)"
	tail -n 10 "$T/bomb.err" | sed 's/^/#   cvisor stderr: /'
else
	echo "ok - fork failed with EAGAIN inside the sandbox"
fi
lat=$(cat "$T/maxlat" 2>/dev/null || echo 0)
if [ "$lat" -gt 3000 ]; then bad "the host was unresponsive: a fork+exec took $lat ms"; else echo "ok - host responsive (worst $lat ms)"; fi
sleep 1
after=$(count_procs)
if [ $((after - before)) -gt 10 ]; then
	bad "$((after - before)) more host processes than before the run"
	ps -eo pid,ppid,comm --sort=-pid | head -n 15 | sed 's/^/#   /'
else
	echo "ok - no processes left behind ($before before, $after after)"
fi
finish
