#!/bin/bash
# What `cvisor do` hands the command: stdin, stdout and stderr kept apart, the
# environment, the working directory, arguments with odd characters, the form
# without `--`, and large outputs through a pipe intact. (tests/run.sh relies on
# the working directory: it runs `cvisor do -- build/tests/syscalls/x`.)
. "$(dirname "$0")/lib/common.bash"
need_cvisor

want() { # description want got
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		bad "$1: want $(printf %q "$2"), got $(printf %q "$3")"
	fi
}
run() { timeout -k 5 "$CVISOR_TIMEOUT" "$CVISOR" do "$@"; }

want "stdin from a pipe" "$(seq 1 1000 | sha256sum)" "$(seq 1 1000 | run -- cat | sha256sum)"
want "stdin from a file" "hello" "$(echo hello >"$T/in"; run -- head -n 1 <"$T/in")"
want "stdout only" "out" "$(run -- sh -c 'echo out; echo err >&2' 2>/dev/null </dev/null)"
want "stderr only" "err" "$(run -- sh -c 'echo out; echo err >&2' 2>&1 >/dev/null </dev/null)"
want "environment" "bar baz" "$(FOO=bar BAR=baz run -- sh -c 'echo "$FOO $BAR"' </dev/null)"
want "working directory" "/usr/share" "$(cd /usr/share && run -- pwd </dev/null)"
want "relative program path" "ok" "$(cd / && run -- bin/sh -c 'echo ok' </dev/null)"
want "arguments" "a b|c d|*|\$HOME|" "$(run -- sh -c 'printf "%s|" "$@"' sh 'a b' 'c d' '*' '$HOME' </dev/null)"
want "empty argument" "3" "$(run -- sh -c 'echo $#' sh '' x '' </dev/null)"
want "without --" "7" "$(run sh -c 'echo 7' </dev/null)"
want "10 MB of output" "$(head -c 10000000 /dev/zero | tr '\0' 'x' | sha256sum)" \
	"$(run -- sh -c "head -c 10000000 /dev/zero | tr '\\0' 'x'" </dev/null | sha256sum)"
want "binary bytes through" "$(head -c 65536 /bin/sh | sha256sum)" "$(run -- head -c 65536 /bin/sh </dev/null | sha256sum)"
want "output to a file" "$(seq 1 5000 | sha256sum)" "$(run -- seq 1 5000 >"$T/out" </dev/null; sha256sum <"$T/out")"
want "stdin at EOF" "0" "$(run -- wc -l </dev/null)"
want "closed stdin reads EOF or EBADF" "done" "$(run -- sh -c 'cat 2>/dev/null; echo done' <&-)"
want "a signal from the host ends it" "143" "$(
	"$CVISOR" do -- sleep 30 </dev/null &
	p=$!
	sleep 1
	kill -TERM $p
	wait $p
	echo $?
)"
finish
