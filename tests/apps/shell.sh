#!/bin/bash
# sh (dash) and bash scripts: pipes, subshells, redirections to files under
# /tmp, traps, $(...), here-docs, loops, arithmetic; native vs cvisor.
. "$(dirname "$0")/lib/common.bash"
need_cvisor

cat >"$T/posix.sh" <<'SCRIPT'
set -e
d=$(mktemp -d /tmp/cvisor-sh.XXXXXX)
cd "$d"
trap 'cd /; rm -rf "$d"; echo "trap EXIT ran"' EXIT
echo "pipes: $(printf '3\n1\n2\n' | sort | tr '\n' ' ')"
echo "count: $(seq 1 100 | grep -c 7)"
printf 'line1\nline2\n' >f.txt
echo line3 >>f.txt
wc -l <f.txt
cat f.txt nonexistent 2>err.txt || echo "cat failed as expected: $(grep -c 'No such' err.txt)"
exec 3>fd3.txt
echo "via fd 3" >&3
exec 3>&-
cat fd3.txt
( cd /; echo "subshell pwd: $(pwd)"; exit 3 ) || echo "subshell exit: $?"
echo "still in: $(basename "$PWD" | cut -c1-10)"
x=5
( x=6 )
echo "x after subshell: $x"
i=0; sum=0
while [ $i -lt 50 ]; do i=$((i + 1)); sum=$((sum + i * i)); done
echo "sum of squares: $sum"
for w in alpha beta gamma; do printf '%s=%d ' "$w" ${#w}; done; echo
case "hello.c" in *.c) echo "C file";; *) echo other;; esac
cat <<EOT
here-doc with $x and $(echo nested)
EOT
cat <<'EOT'
literal $x $(no)
EOT
echo "arith: $(( (7 * 6) % 5 + 1 )) $(( 1 << 10 )) $(( -7 / 2 ))"
f() { echo "in f: $1 $#"; return 4; }
f a b || echo "f returned $?"
trap 'echo "got USR1"' USR1
kill -USR1 $$
echo "after USR1"
sleep 0.1 & bgpid=$!
wait $bgpid; echo "bg exit: $?"
(sleep 5; echo never) & victim=$!
kill $victim; wait $victim 2>/dev/null || echo "killed bg: $?"
echo "a b  c" | { read -r p q r; echo "read: $p|$q|$r"; }
printf '%s\n' one two three | while read -r l; do echo "L:$l"; done | tail -n 1
mkdir -p a/b/c && touch a/b/c/file && ls -R a | head -20
[ -d a/b ] && [ ! -e a/zzz ] && echo "tests ok"
echo "${UNSET_VAR:-default} ${#PWD} ${PWD##*/}" | cut -d' ' -f1
set -- x y z; echo "args: $# $2 $*"
IFS=:; set -- $(echo "p:q:r"); IFS=' '; echo "split: $2"
echo "$(echo "$(echo deep)")"
umask 027; touch um; ls -l um | cut -c1-10
ln -s f.txt link; readlink link; cat link | head -1
mv f.txt g.txt; [ -e f.txt ] || echo "moved"
rm -r a; [ -e a ] || echo "removed"
command -v sh >/dev/null && echo "command -v ok"
exit 0
SCRIPT

cat >"$T/bash.sh" <<'SCRIPT'
set -euo pipefail
shopt -s extglob
d=$(mktemp -d /tmp/cvisor-bash.XXXXXX)
trap 'rm -rf "$d"' EXIT
cd "$d"
declare -a arr=(zero one two three)
echo "array: ${#arr[@]} ${arr[2]} ${arr[@]:1:2}"
declare -A map=([a]=1 [b]=2)
for k in $(printf '%s\n' "${!map[@]}" | sort); do echo "map $k=${map[$k]}"; done
s="Hello, World"
echo "${s,,} ${s^^} ${s/World/There} ${s:7}"
[[ $s =~ ^Hel+o ]] && echo "regex: ${BASH_REMATCH[0]}"
diff <(seq 1 5) <(seq 1 5) && echo "process substitution ok"
mapfile -t lines < <(printf 'l1\nl2\nl3\n')
echo "mapfile: ${#lines[@]}"
read -r -a parts <<<"x y z"; echo "herestring: ${parts[1]}"
for ((i = 0; i < 3; i++)); do printf '%d' "$i"; done; echo
echo $(( 2**40 )) $(( 0x1f )) $(( 8#17 ))
let "n = 6 * 7"; echo "let: $n"
printf -v pad '%05d' 42; echo "printf -v: $pad"
f() { local v=inner; echo "$v ${FUNCNAME[0]}"; }; f
set +e; false | true; echo "pipefail status: $?"; set -e
( trap 'echo "ERR trapped"' ERR; set +e; false; true )
coproc cat; echo hi >&"${COPROC[1]}"; read -r reply <&"${COPROC[0]}"; echo "coproc: $reply"
exec {fd}>&"${COPROC[1]}"-; exec {fd}>&-; wait "$COPROC_PID" || true
echo {a,b}{1,2} {1..5} {10..1..3}
touch foo.c bar.h baz.c; echo !(*.h)
shopt -s nullglob; x=(*.nomatch); echo "nullglob: ${#x[@]}"
time_out=$( { time sleep 0.01; } 2>&1 ); [[ $time_out == *real* ]] && echo "time ok"
seq 1 1000 > nums; sum=0; while read -r n; do sum=$((sum + n)); done < nums; echo "sum: $sum"
echo "pid differs from subshell: $([[ $BASHPID != $$ ]] && echo yes)"
cat <<-EOT
	tabbed here-doc $((1 + 1))
EOT
kill -0 $$ && echo "kill -0 ok"
trap 'echo "TERM caught"; exit 0' TERM
( sleep 0.05; kill -TERM $$ ) &
while :; do sleep 0.01; done
SCRIPT

compare sh_script sh "$T/posix.sh"
compare dash_script dash "$T/posix.sh"
compare bash_posix bash "$T/posix.sh"
compare bash_script bash "$T/bash.sh"
EXPECT_RC=5 compare sh_c sh -c 'echo $((1+2)) | cat; x=$(echo sub); echo "$x"; exit 5'
finish
