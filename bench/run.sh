#!/bin/bash
# The same work natively, under cvisor and under runsc (gVisor, ptrace
# platform) when installed, in one run; prints a Markdown table of medians and
# ratios and writes it to build/bench.md. Run by `make bench`.
#
#   BENCH_RUNS=5        runs per cell (the median is reported)
#   BENCH_SECONDS=0.3   wall time of one micro-benchmark run
#   BENCH_ROWS="getppid pipe do_true"   a subset of rows
#   RUNSC="runsc --platform=ptrace --network=none --ignore-cgroups"
#   NO_RUNSC=1          skip runsc (and do not install it)
# Rows: micro-benchmarks from bench/micro.c (ns per operation), then whole
# commands start to exit (ms): `do true`, `python3 -c pass`, `gcc -c` of a
# small file. Then a second table, file access: native vs cvisor's
# --file-access=gofer (9P, the default) vs --file-access=direct, for
# bench/files.c loops (stat, open+read+close over /usr/include, a 64 MiB
# sequential read) and whole commands (`find /usr`, a tar extract to /tmp).
set -u
cd "$(dirname "$0")/.."
B=${BUILD:-build}
CVISOR=${CVISOR:-$PWD/$B/cvisor}
RUNS=${BENCH_RUNS:-5}
SECS=${BENCH_SECONDS:-0.3}
RUNSC=${RUNSC:-runsc --platform=ptrace --network=none --ignore-cgroups}
OUT=$B/bench.md
MICRO_ROWS="getppid devnull pipe pipe1 fork forkexec mmap open stat"
CMD_ROWS="do_true python3 gcc_c"
FILE_ROWS="fa_stat fa_openread fa_seqread fa_find fa_tar"
ROWS=${BENCH_ROWS:-$MICRO_ROWS $CMD_ROWS $FILE_ROWS}

mkdir -p "$B/bench"
W=$(mktemp -d /tmp/cvisor-bench.XXXXXX)
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT
MICRO=$PWD/$B/bench/micro
for src in bench/*.c; do
	bin=$PWD/$B/bench/$(basename "$src" .c)
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
		gcc -std=gnu17 -O2 -Wall -Wextra -Werror -o "$bin" "$src" || exit 1
	fi
done
printf 'int f(int x) { return x * 3 + 1; }\nint main(void) { return f(2) - 7; }\n' >"$W/small.c"
FILES=$PWD/$B/bench/files
if [[ " $ROWS " == *" fa_"* ]]; then
	head -c 64M /dev/urandom >"$W/big"
	tar cf "$W/include.tar" -C /usr include
fi

# runsc: install Debian's package when missing and we are root.
have_runsc=0
if [ -z "${NO_RUNSC:-}" ]; then
	if ! command -v runsc >/dev/null && [ "$(id -u)" = 0 ]; then
		echo "bench: installing runsc" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq runsc >/dev/null 2>&1 ||
			echo "bench: apt-get install runsc failed" >&2
	fi
	if command -v runsc >/dev/null; then
		if timeout 60 $RUNSC do /bin/true </dev/null >/dev/null 2>"$W/runsc.err"; then
			have_runsc=1
		else
			echo "bench: \`$RUNSC do true\` fails: $(tail -n 1 "$W/runsc.err")" >&2
		fi
	fi
fi
have_cvisor=0
if [ -x "$CVISOR" ] && timeout 60 "$CVISOR" do -- /bin/true </dev/null >/dev/null 2>"$W/cvisor.err"; then
	have_cvisor=1
else
	echo "bench: \`cvisor do -- true\` fails: $(tail -n 1 "$W/cvisor.err" 2>/dev/null)" >&2
fi

# prefix RUNTIME: the command prefix for a runtime
prefix() {
	case $1 in
	native) echo "" ;;
	cvisor) echo "$CVISOR do --" ;;
	runsc) echo "$RUNSC do" ;;
	gofer | direct) echo "$CVISOR --file-access=$1 do --" ;;
	esac
}

# one RUNTIME ROW: prints one measurement (ns/op or ms) or nothing on failure
one() {
	local rt=$1 row=$2 pre s e out
	pre=$(prefix "$rt")
	case $row in
	do_true | python3 | gcc_c)
		local cmd
		case $row in
		do_true) cmd=(/bin/true) ;;
		python3) cmd=(/usr/bin/python3 -c pass) ;;
		gcc_c) cmd=(gcc -c "$W/small.c" -o "$W/small.$rt.o") ;;
		esac
		s=$(date +%s%N)
		timeout 120 $pre "${cmd[@]}" </dev/null >/dev/null 2>>"$W/$rt.err" || return
		e=$(date +%s%N)
		awk -v d=$((e - s)) 'BEGIN { printf "%.2f\n", d / 1e6 }'
		;;
	fa_stat | fa_openread | fa_seqread)
		local path=/usr/include
		[ $row = fa_seqread ] && path=$W/big
		out=$(timeout 120 $pre "$FILES" "${row#fa_}" "$path" "$SECS" </dev/null 2>>"$W/$rt.err") || return
		set -- $out
		echo "$2"
		;;
	fa_find | fa_tar)
		local cmd
		case $row in
		fa_find) cmd=(find /usr) ;;
		fa_tar) cmd=(sh -c "d=\$(mktemp -d) && tar xf $W/include.tar -C \$d && rm -rf \$d") ;;
		esac
		s=$(date +%s%N)
		timeout 120 $pre "${cmd[@]}" </dev/null >/dev/null 2>>"$W/$rt.err" || return
		e=$(date +%s%N)
		awk -v d=$((e - s)) 'BEGIN { printf "%.2f\n", d / 1e6 }'
		;;
	*)
		out=$(timeout 120 $pre "$MICRO" "$row" "$SECS" </dev/null 2>>"$W/$rt.err") || return
		set -- $out
		[ "${3:-}" = ns/op ] && echo "$2"
		;;
	esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cell() { # RUNTIME ROW -> median or "fail"
	local i vals=""
	for ((i = 0; i < RUNS; i++)); do
		v=$(one "$1" "$2")
		[ -n "$v" ] && vals+="$v"$'\n'
	done
	if [ -z "$vals" ]; then
		echo fail
	else
		printf '%s' "$vals" | median
	fi
}

ratio() { # a b -> a/b with 2 decimals, or -
	awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f\n", a / b; else print "-" }'
}

label() {
	case $1 in
	getppid) echo "getppid (ns/op)" ;;
	devnull) echo "write 1 B to /dev/null (ns/op)" ;;
	pipe) echo "pipe ping-pong round trip (ns/op)" ;;
	pipe1) echo "pipe ping-pong, one CPU (ns/op)" ;;
	fork) echo "fork+exit+wait (ns/op)" ;;
	forkexec) echo "fork+exec true+wait (ns/op)" ;;
	mmap) echo "mmap+touch+munmap 1 MiB (ns/op)" ;;
	open) echo "open+close /etc/hostname (ns/op)" ;;
	stat) echo "stat /etc/hostname (ns/op)" ;;
	do_true) echo "do true, start to exit (ms)" ;;
	python3) echo "python3 -c pass (ms)" ;;
	gcc_c) echo "gcc -c small.c (ms)" ;;
	fa_stat) echo "lstat, files of /usr/include (ns/op)" ;;
	fa_openread) echo "open+read 4 KiB+close, files of /usr/include (ns/op)" ;;
	fa_seqread) echo "sequential read of 64 MiB (ms)" ;;
	fa_find) echo "find /usr >/dev/null (ms)" ;;
	fa_tar) echo "tar xf /usr/include into /tmp (ms)" ;;
	*) echo "$1" ;;
	esac
}

{
	echo "# cvisor benchmarks"
	echo
	echo "$(date -u '+%F %T UTC'), $(uname -r), $(nproc) CPUs, median of $RUNS runs;" \
		"runsc: $([ $have_runsc = 1 ] && echo "\`$RUNSC do\` ($(dpkg-query -W -f='${Version}' runsc 2>/dev/null))" || echo "not available")"
	echo
	echo "| row | native | cvisor | runsc | cvisor/native | runsc/cvisor |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
} >"$OUT"
cat "$OUT"
# the goal: cvisor at least 4x faster than runsc on the system call rows
TARGET_ROWS="getppid devnull pipe pipe1 mmap open stat"
verdict=""
for row in $ROWS; do
	[[ $row == fa_* ]] && continue # the file access table below
	n=$(cell native "$row")
	c=fail r=n/a
	[ $have_cvisor = 1 ] && c=$(cell cvisor "$row")
	[ $have_runsc = 1 ] && r=$(cell runsc "$row")
	rc=$(ratio "$r" "$c")
	line="| $(label "$row") | $n | $c | $r | $(ratio "$c" "$n") | $rc |"
	echo "$line" | tee -a "$OUT"
	if [[ " $TARGET_ROWS " == *" $row "* ]] && [ $have_runsc = 1 ]; then
		if [ "$rc" != - ] && awk -v x="$rc" 'BEGIN { exit !(x >= 4) }'; then
			verdict+="$row: met (${rc}x); "
		elif [ "$rc" = - ]; then
			verdict+="$row: missed (no measurement); "
		else
			verdict+="$row: missed (${rc}x); "
		fi
	fi
done
if [ -n "$verdict" ]; then
	printf '\nTarget runsc/cvisor >= 4 on system call rows: %s\n' "${verdict%; }" | tee -a "$OUT"
fi
if [[ " $ROWS " == *" fa_"* ]]; then
	{
		echo
		echo "## File access: 9P (--file-access=gofer, the default) vs direct"
		echo
		echo "| row | native | 9P | direct | 9P/native | direct/native |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: |"
	} | tee -a "$OUT"
	for row in $ROWS; do
		[[ $row == fa_* ]] || continue
		n=$(cell native "$row")
		g=fail d=fail
		[ $have_cvisor = 1 ] && g=$(cell gofer "$row") && d=$(cell direct "$row")
		echo "| $(label "$row") | $n | $g | $d | $(ratio "$g" "$n") | $(ratio "$d" "$n") |" | tee -a "$OUT"
	done
fi
for rt in native cvisor runsc gofer direct; do
	[ -s "$W/$rt.err" ] && { echo "bench: $rt stderr (last lines):"; tail -n 5 "$W/$rt.err"; } >&2
done
[ -n "${NO_CLIENTS:-}" ] || BENCH_OUT=$OUT bench/clients.sh # NO_CLIENTS=1 skips the clients
echo
echo "written to $OUT"
