#!/bin/bash
# 9P interoperability with diod, both ways:
#  (a) `cvisor gofer` serves a tree; diod's own clients (diodls, diodcat)
#      list and read it over a unix socket; output compared with the host.
#  (b) diod serves a tree; tests/gofer/p9tool (built on src/p9) copies it
#      over 9P; `diff -r` against the host tree; then it creates, changes
#      and removes files through diod (every mutating message).
#  (c) the Sentry mounts diod's tree (`cvisor do --test-9p-mount`) and
#      lists, reads, writes, renames and removes through it.
# Skips (77) when diod is not installed.
source "$(dirname "$0")/common.bash"
command -v diod >/dev/null || skip "diod is not installed"
need_cvisor

# A tree with nesting, binary data, a large file, odd names and symlinks.
tree=$T/tree
mkdir -p "$tree/dir/nested/deeper" "$tree/empty"
echo hello >"$tree/a.txt"
printf 'line1\nline2\n' >"$tree/dir/b.txt"
head -c 300000 /dev/urandom >"$tree/dir/nested/big.bin"
echo deep >"$tree/dir/nested/deeper/c"
echo spaced >"$tree/with space"
for i in $(seq 1 60); do echo "$i" >"$tree/dir/many-$i"; done
ln -s a.txt "$tree/link"
ln -s /etc/passwd "$tree/abs-link"

# (a) cvisor's gofer, diod's clients.
# Confined (own mount namespace, seccomp) when we may; plain otherwise.
confine=--no-confine
[ "$(id -u)" = 0 ] && confine=
"$CVISOR" gofer --listen "$T/gofer.sock" --export "$tree:ro" $confine 2>"$T/gofer.log" &
pids+=($!)
wait_sock "$T/gofer.sock" || fail "gofer did not listen: $(cat "$T/gofer.log")"
for f in a.txt dir/b.txt dir/nested/big.bin dir/nested/deeper/c "with space"; do
	timeout 20 diodcat -s "$T/gofer.sock" -a "$tree" "$f" >"$T/out" ||
		fail "diodcat $f"
	cmp -s "$T/out" "$tree/$f" || fail "diodcat $f: content differs"
done
timeout 20 diodcat -s "$T/gofer.sock" -a "$tree" link >"$T/out" 2>/dev/null &&
	fail "diodcat followed a symlink"
for d in / dir dir/nested; do
	timeout 20 diodls -s "$T/gofer.sock" -a "$tree" "$d" | grep -vx "\.\|\.\." | sort >"$T/ls.9p" ||
		fail "diodls $d"
	(cd "$tree/$d" && ls -A1 | sort) >"$T/ls.host"
	diff -u "$T/ls.host" "$T/ls.9p" || fail "diodls $d differs"
done
echo "ok: diodcat/diodls read cvisor's gofer"

# (b) diod serves, our client copies.
build_p9tool "$T/p9tool"
diod -f -n -N -L "$T/diod.log" -l "$T/diod.sock" -e "$tree" -c /dev/null &
pids+=($!)
wait_sock "$T/diod.sock" || fail "diod did not listen: $(cat "$T/diod.log")"
timeout 60 "$T/p9tool" copy "$T/diod.sock" "$tree" "$T/copy" || fail "p9tool from diod"
diff -r --no-dereference "$tree" "$T/copy" || fail "copy from diod differs"
echo "ok: p9tool read diod's tree"
timeout 60 "$T/p9tool" exercise "$T/diod.sock" "$tree" || fail "p9tool exercise on diod"
diff -r --no-dereference "$tree" "$T/copy" || fail "exercise on diod left changes"
echo "ok: p9tool changed files through diod"

# (c) diod serves, the Sentry's own 9P client mounts it (`do
# --test-9p-mount`, plain 9P2000.L: no fd donation) and works through it.
d9() { timeout 120 "$CVISOR" do --test-9p-mount "$T/diod.sock:$tree:/d9" "$@" </dev/null 2>"$T/d9.err"; }
list='cd "$1" && find . | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum'
sh -c "$list" - "$tree" >"$T/list.host"
d9 sh -c "$list" - /d9 >"$T/list.sentry" || fail "the Sentry on diod: $(tail -n 3 "$T/d9.err")"
diff -u "$T/list.host" "$T/list.sentry" || fail "the Sentry sees diod's tree differently"
out=$(d9 sh -c 'echo via-sentry >/d9/new.txt && mkdir /d9/nd && mv /d9/new.txt /d9/nd/m &&
	cat /d9/nd/m && echo more >>/d9/nd/m && wc -l </d9/nd/m && ls /d9/nd') ||
	fail "writes through diod: $(tail -n 3 "$T/d9.err")"
[ "$out" = "via-sentry
2
m" ] || fail "writes through diod: '$out'"
[ "$(cat "$tree/nd/m")" = "via-sentry
more" ] || fail "writes through diod did not reach the tree"
d9 sh -c 'rm /d9/nd/m && rmdir /d9/nd' || fail "removing through diod: $(tail -n 3 "$T/d9.err")"
[ ! -e "$tree/nd" ] || fail "removing through diod left $tree/nd"
echo "ok: the Sentry mounted diod's tree"

# And the same client against our gofer, for symmetry.
timeout 60 "$T/p9tool" copy "$T/gofer.sock" "$tree" "$T/copy2" || fail "p9tool from gofer"
diff -r --no-dereference "$tree" "$T/copy2" || fail "copy from gofer differs"
echo "ok: p9tool read cvisor's gofer"
