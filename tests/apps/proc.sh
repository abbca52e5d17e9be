#!/bin/bash
# /proc inside the sandbox: a shell reads its status, pid 1's directory and
# the mount table; `ls /proc` shows the sandbox's pids only; ps works; /dev/tty
# reaches the caller's terminal (when `script` can give us one).
set -u
fail() { echo "$*"; exit 1; }

out=$("$CVISOR" do sh -c 'cat /proc/self/status; ls /proc/1; cat /proc/mounts' 2>/dev/null)
rc=$?
[ $rc = 0 ] || fail "sh -c 'cat /proc/self/status; ...' exited $rc"
grep -q '^Name:	cat$' <<<"$out" || fail "no Name: cat in status: $out"
grep -q '^PPid:	1$' <<<"$out" || fail "cat's parent is not pid 1: $out"
for f in status stat maps cmdline fd exe cwd root mounts task; do
	grep -qx "$f" <<<"$out" || fail "ls /proc/1 lacks $f"
done
grep -q '^proc /proc proc ' <<<"$out" || fail "/proc/mounts lacks /proc: $out"

# the sandbox's pids, never the host's
pids=$("$CVISOR" do sh -c 'ls /proc; true' 2>/dev/null | grep -E '^[0-9]+$' | tr '\n' ' ')
[[ " $pids " == *" 1 "* ]] || fail "ls /proc lacks pid 1: $pids"
n=$(wc -w <<<"$pids")
[ "$n" -le 3 ] || fail "ls /proc lists $n pids: $pids"
[[ " $pids " != *" $$ "* ]] || fail "ls /proc lists the host's pid $$: $pids"

# cmdline, exe and the other side of a pipe
script='tr "\0" " " </proc/self/cmdline; echo; readlink /proc/self/exe; echo x | readlink /proc/self/fd/0'
norm() { sed -e 's/pipe:\[[0-9]*\]/pipe:[N]/'; }
got=$("$CVISOR" do sh -c "$script" 2>/dev/null | norm)
want=$(sh -c "$script" | norm)
[ "$got" = "$want" ] || fail "cmdline/exe/fd: got '$got' want '$want'"

# /dev/stdout and /dev/stderr reopen the caller's files, pipes or regular
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$CVISOR" do sh -c 'echo err >/dev/stderr; echo out >>/dev/stdout' >"$tmp/out" 2>"$tmp/err" ||
	fail "writing /dev/stdout, /dev/stderr to files failed: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = out ] && [ "$(cat "$tmp/err")" = err ] ||
	fail "/dev/std* to files: out='$(cat "$tmp/out")' err='$(cat "$tmp/err")'"
got=$(echo piped | "$CVISOR" do sh -c 'cat /dev/stdin >/dev/stdout' 2>&1 | cat)
[ "$got" = piped ] || fail "/dev/stdin to /dev/stdout through pipes: $got"

# ps reads /proc
if command -v ps >/dev/null; then
	ps_out=$("$CVISOR" do ps -e -o pid=,comm= 2>/dev/null) || fail "ps failed: $ps_out"
	grep -qE '^ *1 ps$' <<<"$ps_out" || fail "ps -e: $ps_out"
fi

# /dev/tty: ENXIO without a terminal, the terminal with one
err=$("$CVISOR" do sh -c 'echo x >/dev/tty' </dev/null 2>&1 >/dev/null | cat)
grep -q 'No such device or address' <<<"$err" || fail "/dev/tty without a terminal: $err"
if command -v script >/dev/null; then
	t=$(timeout 30 script -qec "$CVISOR do sh -c 'echo to-tty >/dev/tty'" /dev/null </dev/null 2>&1 | tr -d '\r')
	grep -q '^to-tty$' <<<"$t" || fail "/dev/tty under script: $t"
fi
exit 0
