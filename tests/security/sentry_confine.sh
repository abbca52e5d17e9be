#!/bin/bash
# What a running Sentry (and its stubs) can reach on the host: no
# capabilities in any set, no_new_privs, a seccomp filter, no core dumps,
# an empty read-only root, user, mount and pid namespaces of its own (it
# is pid 1 there and sees no host process), and a name that tells it apart
# in ps.
set -u
. tests/lib/sentry.sh
fail=0
bad() { echo "FAIL: $*"; fail=1; }
"$CVISOR" do sleep 30 &
W=$!
trap 'kill $W 2>/dev/null; wait $W 2>/dev/null' EXIT
S=$(sentry_of "$W") || { echo "FAIL: no confined Sentry under cvisor do"; exit 1; }

field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
check_creds() { # pid what
	for k in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(field "$1" $k)" = 0000000000000000 ] || bad "$2: $k is $(field "$1" $k)"
	done
	[ "$(field "$1" NoNewPrivs)" = 1 ] || bad "$2: no no_new_privs"
}
check_creds "$S" "the Sentry"
[ "$(field "$S" Seccomp)" = 2 ] || bad "the Sentry has no seccomp filter"
grep -q '^Max core file size *0 *0 ' "/proc/$S/limits" || bad "the Sentry may dump core"
[ "$(cat /proc/$S/comm)" = cvisor-sentry ] || bad "the Sentry is called '$(cat /proc/$S/comm)'"

# its root: empty and read-only, even for the host's root
[ -z "$(ls -A "/proc/$S/root/")" ] || bad "the Sentry's root holds: $(ls -A "/proc/$S/root/" | head -5)"
touch "/proc/$S/root/x" 2>/dev/null && bad "the Sentry's root is writable"
# its namespaces
for ns in user mnt pid; do
	[ "$(readlink "/proc/$S/ns/$ns")" != "$(readlink /proc/self/ns/$ns)" ] ||
		bad "the Sentry shares the host's $ns namespace"
done
grep -q '^NSpid:[[:space:]]*[0-9]*[[:space:]]*1$' "/proc/$S/status" ||
	bad "the Sentry is not pid 1 of its namespace: $(grep NSpid "/proc/$S/status")"
# host ids map to themselves (files keep their owners), nothing else
[ "$(awk '{print $1, $2, $3}' "/proc/$S/uid_map")" = "0 0 4294967295" ] ||
	bad "uid_map: $(cat "/proc/$S/uid_map")"

# the stubs (children of the zygote, the Sentry's child) share all of it
zygote=$(pgrep -P "$S" -x cvisor-stub | head -1) # the Gofer is a child too
stubs=$(pgrep -P "$zygote")
[ -n "$stubs" ] || bad "no stub found"
for p in $zygote $stubs; do
	check_creds "$p" "stub $p"
	[ "$(readlink "/proc/$p/ns/mnt")" = "$(readlink "/proc/$S/ns/mnt")" ] ||
		bad "stub $p is in another mount namespace"
	[ -z "$(ls -A "/proc/$p/root/" 2>/dev/null)" ] || bad "stub $p sees the host's root"
done

# the Gofer shows its name too
"$CVISOR" --file-access=gofer do sleep 30 &
G=$!
GS=$(sentry_of "$G")
gofer=$(pgrep -P "${GS:-0}" -x cvisor-gofer)
[ -n "$gofer" ] || bad "no process named cvisor-gofer under a Sentry with a Gofer: $(ps -o comm= --ppid "${GS:-0}" | tr '\n' ' ')"
kill "$G" 2>/dev/null
wait "$G" 2>/dev/null
[ $fail = 0 ] && echo "ok - the Sentry and its stubs hold nothing of the host"
exit $fail
