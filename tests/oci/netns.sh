#!/bin/bash
# The Sentry's host network namespace, as runsc decides it: --network=none
# (the default) always a new one, even for a spec that names a path;
# --network=host the spec's: a path joined, an entry without a path new, no
# entry the host's. The prestart hooks run in the host's namespace and find
# the Sentry already in its own (Docker's setkey hook configures it there).
# A path that is missing or not a network namespace is refused, naming it.
. "$(dirname "$0")/lib/busybox_bundle.sh"
command -v ip >/dev/null || { echo "iproute2 (ip) is needed"; exit 77; }

ns=cvisor-test-$$
ip netns add "$ns" || fail "ip netns add"
trap 'ip netns delete "$ns" 2>/dev/null; cleanup' EXIT
host=$(readlink /proc/self/ns/net)
want=$(readlink /proc/self/ns/net; ip netns exec "$ns" readlink /proc/self/ns/net | tail -1)
named=$(echo "$want" | tail -1)
[ "$named" != "$host" ] || fail "ip netns exec did not enter $ns"

# $1 python on d (the spec), $2 global flags; prints the Sentry's netns and
# what the prestart hook saw: its own and the Sentry's
sentry_ns() {
	config "d['process']['args']=$(args sleep 100); d['hooks']={'prestart':[{'path':'/bin/sh','args':['sh','-c','readlink /proc/self/ns/net >$tmp/hook; p=\$(sed -n \"s/.*\\\\\"pid\\\\\": *\\\\([0-9]*\\\\).*/\\\\1/p\"); readlink /proc/\$p/ns/net >>$tmp/hook']}]}; $1"
	rm -f "$tmp/hook"
	cv $2 create --bundle "$bundle" n1 </dev/null >/dev/null 2>"$tmp/err" || return 1
	local pid
	pid=$(cv state n1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
	readlink "/proc/$pid/ns/net"
	cat "$tmp/hook"
	cv delete --force n1 >/dev/null 2>&1
}
keep_ns="d['linux']['namespaces'] = [n for n in d['linux']['namespaces'] if n['type'] != 'network']"
with_path="$keep_ns + [{'type':'network','path':'/run/netns/$ns'}]"
with_new="$keep_ns + [{'type':'network'}]"

out=$(sentry_ns "$with_new") || fail "create (none, new): $(cat "$tmp/err")"
set -- $out
[ "$1" != "$host" ] && [ "$1" != "$named" ] || fail "--network=none: the Sentry is in $1 (host $host)"
[ "$2" = "$host" ] || fail "the prestart hook ran in $2, not the host's $host"
[ "$3" = "$1" ] || fail "the prestart hook saw the Sentry in $3, not $1"

out=$(sentry_ns "$with_path") || fail "create (none, path): $(cat "$tmp/err")"
set -- $out
[ "$1" != "$host" ] && [ "$1" != "$named" ] || fail "--network=none joined a path: $1"

out=$(sentry_ns "$with_path" --network=host) || fail "create (host, path): $(cat "$tmp/err")"
set -- $out
[ "$1" = "$named" ] || fail "--network=host did not join $ns: $1 (want $named)"
[ "$2" = "$host" ] || fail "create did not go back to the host's namespace: $2"

out=$(sentry_ns "$with_new" --network=host) || fail "create (host, new): $(cat "$tmp/err")"
set -- $out
[ "$1" != "$host" ] && [ "$1" != "$named" ] || fail "--network=host with a new namespace: $1"

out=$(sentry_ns "$keep_ns" --network=host) || fail "create (host, none): $(cat "$tmp/err")"
set -- $out
[ "$1" = "$host" ] || fail "--network=host without a namespace entry: $1, not the host's"

# refused, naming the path, nothing left
for bad in /nonexistent/netns /proc/self/ns/mnt "$tmp/config.orig"; do
	sentry_ns "$keep_ns + [{'type':'network','path':'$bad'}]" --network=host >/dev/null &&
		fail "a network path $bad was accepted"
	grep -q "$bad" "$tmp/err" || fail "error for $bad: $(cat "$tmp/err")"
	[ -z "$(cv list -q)" ] || fail "a refused create left state ($bad)"
done
cv --network=bogus create --bundle "$bundle" n2 </dev/null 2>"$tmp/err" && fail "--network=bogus accepted"
grep -q -- "--network" "$tmp/err" || fail "--network error: $(cat "$tmp/err")"

# a running container works in its own namespace
config "d['process']['args']=$(args echo hi)"
out=$(cv run --bundle "$bundle" n3 </dev/null 2>"$tmp/err") || fail "run: $(cat "$tmp/err")"
[ "$out" = hi ] || fail "run output '$out'"
echo "netns: OK"
