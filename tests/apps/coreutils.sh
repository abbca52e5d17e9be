#!/bin/bash
# coreutils and friends on a fixed tree: ls -la, find, sort, cp -r, tar c/x,
# sha256sum, dd, wc, head/tail, xargs, stat, du -b; native vs cvisor.
. "$(dirname "$0")/lib/common.bash"
need_cvisor

cat >"$T/tree.sh" <<'SCRIPT'
set -eu
d=$(mktemp -d /tmp/cvisor-cu.XXXXXX)
trap 'cd /; rm -rf "$d"' EXIT
cd "$d"
umask 022
# the tree: fixed names, contents, modes and times
mkdir -p src/a/b src/c src/empty
for i in $(seq 1 20); do printf 'file %d\n%s\n' "$i" "$(seq -s, 1 "$i")" >"src/a/f$i.txt"; done
seq 1 5000 >src/c/numbers
printf 'z\ny\nx\n10\n9\n100\nB\na\n' >src/c/unsorted
head -c 100000 /dev/zero | tr '\0' 'q' >src/a/b/big
ln -s ../c/numbers src/a/link
ln src/c/numbers src/c/hardlink
chmod 600 src/a/f1.txt
chmod 755 src/a/f2.txt
find src -exec touch -h -d '2021-02-03 04:05:06' {} +
# dir sizes and block counts depend on the file system: drop them
# (and column widths with them: fields are re-joined with single spaces)
lsclean() { awk '$1 ~ /^total/ {next} $NF == ".." {next} {if ($1 ~ /^d/) $5 = "-"; $1 = $1; print}'; }
echo "== ls -la"; ls -la --time-style=+%F_%T src src/a src/c | lsclean
echo "== ls -lR"; ls -lR --time-style=+%F src | lsclean
echo "== ls -i same inode for hard links"
[ "$(stat -c %i src/c/numbers)" = "$(stat -c %i src/c/hardlink)" ] && echo same
echo "== stat"; stat -c '%n %s %a %F %h %Y' src/a/f1.txt src/a/link src/c/numbers src/a/b/big
echo "== find"; find src | sort
find src -type f -name 'f1*' | sort
find src -type l -printf '%p -> %l\n'
find src -size +10k -printf '%p %s\n' | sort
find src -newer src/c/numbers | wc -l
find src -empty -type d
echo "== sort"; sort src/c/unsorted | tr '\n' ' '; echo
sort -n src/c/unsorted | tr '\n' ' '; echo
sort -r -u src/c/unsorted | tr '\n' ' '; echo
sort -t, -k2 -n <<<"$(printf 'a,3\nb,1\nc,2\n')"
echo "== cp -r"; cp -r src copy; cp -a src archive
diff -r src copy && echo "cp -r same"
stat -c '%Y %a' archive/a/f1.txt; stat -c '%a' copy/a/f1.txt
[ -L archive/a/link ] && echo "cp -a keeps links"
echo "== tar"; tar -cf t.tar --sort=name --mtime='2021-01-01' --owner=0 --group=0 --numeric-owner src
tar -tvf t.tar | awk '{print $1, $3, $6}'
sha256sum t.tar | cut -c1-64
mkdir x && tar -C x -xf t.tar && diff -r src x/src && echo "tar round trip ok"
tar -czf t.tgz src && mkdir y && tar -C y -xzf t.tgz && diff -r src y/src && echo "tgz round trip ok"
echo "== sha256sum"; find src -type f | sort | xargs sha256sum
sha256sum src/c/numbers >sums && sha256sum -c sums
md5sum src/a/b/big; cksum src/c/numbers; b2sum src/c/unsorted | cut -c1-32
echo "== dd"; dd if=/dev/zero of=dd.out bs=4096 count=100 2>/dev/null; stat -c %s dd.out
dd if=src/c/numbers of=part bs=1 skip=10 count=20 2>/dev/null; cat part | od -c | head -3
dd if=/dev/urandom of=rnd bs=1M count=2 iflag=fullblock 2>/dev/null; stat -c %s rnd
dd if=src/c/numbers bs=512 2>/dev/null | dd of=piped bs=1000 2>/dev/null; cmp src/c/numbers piped && echo "dd pipe ok"
dd if=src/c/numbers of=conv conv=ucase,notrunc seek=1 bs=100 count=2 2>/dev/null; wc -c conv
echo "== wc"; wc src/c/numbers src/a/f20.txt src/a/b/big
wc -l <src/c/numbers; cat src/a/*.txt | wc -w
echo "== head/tail"; head -n 3 src/c/numbers; tail -n 2 src/c/numbers; head -c 12 src/a/f10.txt
tail -c 5 src/c/numbers; tail -n +4990 src/c/numbers | head -n 2
seq 1 100000 | head -n 1; yes | head -n 3
echo "== xargs"; seq 1 10 | xargs -n 3 echo
find src/a -name '*.txt' -print0 | sort -z | xargs -0 -n 5 wc -l | tail -n 1
seq 1 20 | xargs -P 4 -I{} sh -c 'echo $(( {} * {} ))' | sort -n | tail -n 3
echo "== misc"; du -ab src | sort -k2 | awk '$2 !~ /\/?(src|a|b|c|empty)$/' | head -n 5
cut -d, -f2-4 src/a/f9.txt; paste -d: <(seq 3) <(seq 4 6); tr a-z A-Z <src/a/f3.txt
uniq -c <<<"$(printf 'a\na\nb\na\n')"; comm -12 <(seq 1 5) <(seq 3 8) | tr '\n' ' '; echo
nl src/c/unsorted | head -n 2; expand <<<"$(printf 'a\tb')"; fold -w 5 <<<"abcdefghij"
basename /x/y/z.c .c; dirname /x/y/z.c; realpath -m src/a/../c/./numbers | sed "s|$d|D|"
split -l 2000 src/c/numbers part_ && ls part_*; cat part_* | cmp - src/c/numbers && echo "split ok"
truncate -s 10k tr.bin; stat -c %s tr.bin; od -An -tx1 -N4 tr.bin
mv copy moved && rm -rf moved archive && ls
mkfifo fifo; (echo through-fifo >fifo &); cat fifo
env -i FOO=bar env; printenv HOME >/dev/null || echo "no HOME in env -i"
seq -w 8 11; factor 360; expr 6 \* 7; echo $(( $(date +%s) > 1600000000 ))
SCRIPT

compare tree bash "$T/tree.sh"
compare ls_root ls /
compare ls_etc_names sh -c 'ls -A /etc | head -n 50'
compare cat_passwd cat /etc/passwd
compare sha256_bin sha256sum /bin/sh /usr/bin/env
compare find_usr_include sh -c 'find /usr/include -maxdepth 1 -name "std*.h" | sort'
finish
