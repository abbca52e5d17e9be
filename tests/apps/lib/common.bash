# Shared by tests/apps/*.sh (sourced, not run). A test exits 0 (pass), 77 (skip,
# the reason as the last line of stdout) or anything else (fail).
#
#   compare NAME CMD ARGS...  runs CMD natively, then as `$CVISOR do -- CMD ARGS...`,
#                             and diffs stdout plus the exit status; on a
#                             difference prints the diff and cvisor's stderr.
#                             The native run must exit with $EXPECT_RC (0).
#   in_cvisor NAME CMD...     runs only in the sandbox; output in $OUT, status in $RC
#   finish                    exits with the verdict
#
# Inside the sandbox the host root is visible read-only (writes go to a memory
# overlay), so inputs are prepared on the host in $T before the runs, and
# results come back only on stdout. Scripts that write make their own
# directory with mktemp under /tmp and print paths relative to it.
set -u
APPS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT_DIR=$(cd "$APPS_DIR/../.." && pwd)
CVISOR=${CVISOR:-$ROOT_DIR/build/cvisor}
NATIVE_TIMEOUT=${NATIVE_TIMEOUT:-120}
CVISOR_TIMEOUT=${CVISOR_TIMEOUT:-300}
T=$(mktemp -d /tmp/cvisor-app.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
failures=0

note() { printf '# %s\n' "$*"; }
skip() {
	echo "$*"
	exit 77
}
bad() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

need_cvisor() {
	if [ ! -x "$CVISOR" ]; then
		bad "no cvisor binary at $CVISOR"
		finish
	fi
}

compare() {
	local name=$1
	shift
	local want=${EXPECT_RC:-0} n=$T/$name.native c=$T/$name.cvisor rc
	timeout -k 5 "$NATIVE_TIMEOUT" "$@" >"$n.out" 2>"$n.err" </dev/null
	rc=$?
	echo "exit status: $rc" >>"$n.out"
	if [ "$rc" != "$want" ]; then
		bad "$name: native run exited $rc, want $want (a wrong test)"
		tail -n 20 "$n.err" | sed 's/^/#   native stderr: /'
		return
	fi
	timeout -k 5 "$CVISOR_TIMEOUT" "$CVISOR" do -- "$@" >"$c.out" 2>"$c.err" </dev/null
	rc=$?
	echo "exit status: $rc" >>"$c.out"
	if diff -u --label native --label cvisor "$n.out" "$c.out" >"$T/$name.diff"; then
		echo "ok - $name"
	else
		bad "$name: output differs between native and cvisor (exit $rc)"
		head -n 80 "$T/$name.diff"
		tail -n 20 "$c.err" | sed 's/^/#   cvisor stderr: /'
	fi
}

in_cvisor() {
	local name=$1
	shift
	timeout -k 5 "$CVISOR_TIMEOUT" "$CVISOR" do -- "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
	RC=$?
	OUT=$(cat "$T/$name.out")
}

finish() {
	if [ "$failures" -gt 0 ]; then
		echo "$failures failure(s)"
		exit 1
	fi
	exit 0
}
