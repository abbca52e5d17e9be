#!/bin/bash
# Escape attempts against a confined `cvisor gofer`: a client must never
# read outside the export, whatever symlinks, `..` or host-side rename races
# are planted inside it; the confined process has an empty root, few
# capabilities and a seccomp filter, and still serves every operation.
# Needs root (mount namespace, pivot_root); skips (77) otherwise.
source "$(dirname "$0")/../gofer/common.bash"
[ "$(id -u)" = 0 ] || skip "needs root for the gofer's mount namespace"
command -v diodcat >/dev/null || skip "diod's clients are not installed"
need_cvisor

ex=$T/export
mkdir -p "$ex/dir" "$T/outside" "$ex/swap.real"
echo SECRET >"$T/outside/secret"
echo inside >"$ex/dir/file"
echo inside >"$ex/swap.real/secret"
ln -s /etc/passwd "$ex/abs"
ln -s ../outside/secret "$ex/rel"
ln -s ../outside "$ex/reldir"
ln -s /proc/self/root/etc/passwd "$ex/magic"
ln -s . "$ex/loop"

"$CVISOR" gofer --listen "$T/sock" --export "$ex" 2>"$T/gofer.log" &
gpid=$!
pids+=($gpid)
wait_sock "$T/sock" || fail "gofer did not start: $(cat "$T/gofer.log")"

# The confinement is in place (the socket listens a moment before it is).
for _ in $(seq 100); do
	[ "$(ls -A "/proc/$gpid/root/")" = 0 ] && break
	sleep 0.05
done
[ "$(ls -A "/proc/$gpid/root/")" = 0 ] || fail "gofer root holds more than the export"
# the socket appears before the filter goes on: give it a moment
for _ in $(seq 50); do
	grep -q '^Seccomp:[[:space:]]*2' "/proc/$gpid/status" && break
	sleep 0.05
done
grep -q '^Seccomp:[[:space:]]*2' "/proc/$gpid/status" || fail "no seccomp filter"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$gpid/status" || fail "no no_new_privs"
capeff=$(awk '/^CapEff/ {print $2}' "/proc/$gpid/status")
[ $((0x$capeff & ~0x1b)) = 0 ] || fail "capabilities left: $capeff"
# Every directory the gofer holds is under its own root (the bind of the
# export), none on the host tree: `..` from them cannot climb out.
for l in /proc/$gpid/fd/*; do
	t=$(readlink "$l")
	case $t in "$ex" | "$ex"/* | "$T/outside"*) fail "gofer holds a host path: $t" ;; esac
done
echo "ok: root holds only the export, seccomp, no_new_privs, CapEff=$capeff"

cat9p() { timeout 10 diodcat -s "$T/sock" -a "$ex" "$@" 2>/dev/null; }
[ "$(cat9p dir/file)" = inside ] || fail "plain read"
for p in abs rel reldir/secret magic loop/dir/file ../outside/secret dir/../../outside/secret \
	/../outside/secret; do
	out=$(cat9p "$p")
	case $out in *SECRET* | *root:*) fail "read outside through $p" ;; esac
done
echo "ok: symlinks and .. stay inside"

# Race: the host flips swap between a real directory and a symlink to the
# outside while a client keeps reading swap/secret.
(
	while :; do
		mv -T "$ex/swap.real" "$ex/swap" 2>/dev/null
		mv -T "$ex/swap" "$ex/swap.real" 2>/dev/null
		ln -sfn ../outside "$ex/swap" 2>/dev/null
		rm -f "$ex/swap"
	done
) &
pids+=($!)
seen=0
for _ in $(seq 300); do
	out=$(cat9p swap/secret)
	[ "$out" = inside ] && seen=$((seen + 1))
	case $out in *SECRET*) fail "read outside during the swap race" ;; esac
done
kill "${pids[-1]}"
echo "ok: swap race never reached outside ($seen of 300 reads saw the inside file)"

# The confined gofer still serves every kind of change.
build_p9tool "$T/p9tool"
timeout 60 "$T/p9tool" exercise "$T/sock" "$ex" || fail "mutations under confinement"
kill -0 "$gpid" || fail "gofer died (seccomp?)"
[ ! -e "$ex/p9tool.d" ] || fail "exercise left files"
echo "ok: confined gofer served every mutation"
