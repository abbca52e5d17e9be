#!/bin/bash
# grep, sed and awk (gawk and mawk) on generated input; native vs cvisor.
. "$(dirname "$0")/lib/common.bash"
need_cvisor

# Input made on the host; the sandbox reads it through its root.
awk 'BEGIN { srand(42); for (i = 1; i <= 20000; i++)
	printf "%05d,%s,%d,%s\n", i, substr("alphabetagammadeltaepsilon", 1 + i % 20, 5),
	int(rand() * 1000), (i % 7 == 0 ? "ERROR" : (i % 3 == 0 ? "WARN" : "INFO")) }' >"$T/data.csv"
printf 'The quick brown fox\njumps over\nthe lazy dog.\n\nfoo=bar\n  key = value  \n# comment\n' >"$T/words.txt"

cat >"$T/text.sh" <<SCRIPT
set -e
D=$T
SCRIPT
cat >>"$T/text.sh" <<'SCRIPT'
echo "== grep"
grep -c ERROR "$D/data.csv"
grep -n 'fox\|dog' "$D/words.txt"
grep -E '^0001[0-9],' "$D/data.csv" | head -n 3
grep -v -e INFO -e WARN "$D/data.csv" | tail -n 2
grep -i -o 'the' "$D/words.txt" | sort | uniq -c
grep -w -F 'over' "$D/words.txt"
grep -P '\d{3},WARN$' "$D/data.csv" | wc -l
grep -l quick "$D/words.txt" "$D/data.csv" | sed "s|$D/||"
grep -r --include='*.txt' -h lazy "$D"
grep -q nomatch "$D/words.txt" || echo "no match: $?"
grep -A1 -B1 'jumps' "$D/words.txt"
echo "== sed"
sed -n '2,4p' "$D/words.txt"
sed 's/o/0/g; s/^the/THE/I' "$D/words.txt"
sed -E 's/^([0-9]+),([a-z]+),.*/\2:\1/' "$D/data.csv" | sort | uniq | head -n 4
sed '/^#/d; /^$/d; s/[[:space:]]*=[[:space:]]*/=/; s/^[[:space:]]*//; s/[[:space:]]*$//' "$D/words.txt"
sed -n '$=' "$D/data.csv"
printf 'a\nb\nc\n' | sed '1!G;h;$!d'
printf 'x y\n' | sed 'y/xy/XY/'
cp "$D/words.txt" /tmp/cvisor-text-$$.txt && sed -i.bak 's/fox/cat/' /tmp/cvisor-text-$$.txt && cat /tmp/cvisor-text-$$.txt | head -n 1 && rm -f /tmp/cvisor-text-$$.txt*
echo "== awk"
for a in gawk mawk; do
	$a -F, '{ sum[$4] += $3; n[$4]++ } END { for (k in sum) printf "%s %d %d\n", k, n[k], sum[k] }' "$D/data.csv" | sort
	$a -F, 'NR % 5000 == 0 { print NR, $1, toupper($2) }' "$D/data.csv"
	$a 'BEGIN { x = 2 ^ 10; printf "%d %.3f %s\n", x, sqrt(2), substr("abcdef", 2, 3) }'
	$a '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n") }' "$D/words.txt"
	$a -F, '$3 > 990 { c++ } END { print "over 990:", c }' "$D/data.csv"
	$a 'BEGIN { n = split("a:b:c", p, ":"); print n, p[3]; print length("hello"), index("hello", "ll") }'
	$a 'BEGIN { printf "%5.2f|%-4s|%x|%c\n", 3.14159, "ab", 255, 65 }'
	$a 'BEGIN { while (("echo piped" | getline l) > 0) print "getline:", l }'
	$a -v v=7 'BEGIN { print v * 6; exit 3 } END { print "end" }' || echo "awk exit: $?"
done
gawk 'BEGIN { PROCINFO["sorted_in"] = "@ind_str_asc"; a["z"]; a["a"]; for (k in a) printf k; print "" }'
gawk '{ print gensub(/(o+)/, "<\\1>", "g") }' "$D/words.txt" | head -n 2
echo "== pipelines"
cut -d, -f4 "$D/data.csv" | sort | uniq -c | sort -rn
tr -s ' ' <"$D/words.txt" | tr 'a-z' 'n-za-m' | head -n 2
sort -t, -k3,3n -k1,1r "$D/data.csv" | head -n 3
join -t, <(cut -d, -f1,2 "$D/data.csv" | head -n 5) <(cut -d, -f1,4 "$D/data.csv" | head -n 5)
SCRIPT

compare text bash "$T/text.sh"
finish
