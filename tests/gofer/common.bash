# Shared by the Gofer's shell tests (sourced, not run: run.sh runs *.sh).
# Leaves the cwd at the repository root and sets B, CVISOR, T (a scratch
# directory removed on exit, with every pid in `pids` killed first).
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
B=${B:-build}
CVISOR=${CVISOR:-$PWD/$B/cvisor}
PATH=$PATH:/usr/sbin
T=$(mktemp -d "/tmp/$(basename "$0" .sh).XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
need_cvisor() { [ -x "$CVISOR" ] || fail "build $CVISOR first"; }
wait_sock() { for _ in $(seq 50); do [ -S "$1" ] && return 0; sleep 0.1; done; return 1; }

# The test client of tests/gofer/p9tool.c, built against the library.
build_p9tool() {
	gcc -std=gnu17 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE -Isrc \
		-o "$1" tests/gofer/p9tool.c "$B/libcvisor.a" || fail "build p9tool"
}

# Builds a libFuzzer target (+ASan/UBSan) from sources and libraries;
# skips the test when clang's libFuzzer is missing.
build_fuzzer() {
	local out=$1
	shift
	command -v clang >/dev/null || skip "clang not installed"
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){return 0;}' >"$T/probe.c"
	clang -fsanitize=fuzzer "$T/probe.c" -o "$T/probe" 2>/dev/null ||
		skip "clang's libFuzzer is missing (libclang-rt-14-dev)"
	mkdir -p "$(dirname "$out")"
	clang -g -O1 -std=gnu17 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o "$out" "$@" || fail "build $out"
}

# Runs a fuzzer for FUZZ_SECONDS (default 20) over a corpus directory.
run_fuzzer() {
	"$1" -max_total_time="${FUZZ_SECONDS:-20}" -max_len="$3" -print_final_stats=1 "$2" 2>&1 |
		tail -n 8
	return "${PIPESTATUS[0]}"
}
