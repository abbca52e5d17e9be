#!/bin/bash
# Inside `cvisor do` the command is pid 1 of its own pid namespace, with its
# own uts name (hostname and a sandbox kernel release differ from the host's)
# and sees only the sandbox's processes. (Sandbox-only facts.)
. "$(dirname "$0")/lib/common.bash"
need_cvisor

check() { # description, then a shell test on $OUT
	if eval "$2"; then echo "ok - $1"; else bad "$1 (got: $(printf '%s' "$OUT" | head -c 300))"; fi
}

in_cvisor dollar sh -c 'echo $$'
check "\$\$ is 1" '[ "$RC" = 0 ] && [ "$OUT" = 1 ]'
in_cvisor ppid sh -c 'echo $PPID'
check "parent of pid 1 is 0" '[ "$OUT" = 0 ]'
in_cvisor status grep -E "^(Pid|PPid):" /proc/self/status
check "/proc/self/status of pid 1" '[ "$(printf "%s\n" "$OUT" | tr -s "\t" " ")" = "$(printf "Pid: 1\nPPid: 0")" ]'
in_cvisor child sh -c 'sh -c "echo \$\$ \$PPID"'
check "a child's pid is small and its parent is 1" '[ "${OUT#* }" = 1 ] && [ "${OUT% *}" -gt 1 ] && [ "${OUT% *}" -lt 100 ]'
in_cvisor uname uname -r
check "uname -r differs from the host's ($(uname -r))" '[ "$RC" = 0 ] && [ -n "$OUT" ] && [ "$OUT" != "$(uname -r)" ]'
in_cvisor uname_s uname -s
check "uname -s is Linux" '[ "$OUT" = Linux ]'
in_cvisor hostname hostname
check "hostname differs from the host's ($(hostname))" '[ "$RC" = 0 ] && [ -n "$OUT" ] && [ "$OUT" != "$(hostname)" ]'
in_cvisor procs sh -c 'ls /proc | grep -c "^[0-9]"'
check "only the sandbox's processes in /proc" '[ "$RC" = 0 ] && [ "$OUT" -ge 1 ] && [ "$OUT" -le 5 ]'
in_cvisor kill_host sh -c "kill -0 $$ 2>/dev/null && echo visible || echo invisible"
check "host processes are invisible" '[ "$OUT" = invisible ]'
in_cvisor orphans sh -c '(sh -c "sleep 0.2; echo \$PPID" &); sleep 0.5'
check "orphans are re-parented to pid 1" '[ "$OUT" = 1 ]'
finish
