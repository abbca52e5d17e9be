#!/bin/bash
# Builds the 9P decoder fuzz target with clang's libFuzzer (+ASan/UBSan) and
# runs it briefly. Skips (77) when clang or libFuzzer is missing.
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${FUZZ_SECONDS:-20}
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
out=$B/fuzz/fuzz_p9_decode
mkdir -p "$B/fuzz/corpus"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){return 0;}' >"$probe/p.c"
clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null ||
	{ echo "clang's libFuzzer is missing (libclang-rt-14-dev)"; exit 77; }
clang -g -O1 -std=gnu17 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -o "$out" tests/fuzz/fuzz_p9_decode.c src/p9/p9_codec.c || exit 1
# Seeds: a Tversion and a Twalk, so the fuzzer starts from real frames.
printf '\x15\x00\x00\x00\x64\xff\xff\x00\x20\x00\x00\x08\x009P2000.L' >"$B/fuzz/corpus/tversion"
printf '\x17\x00\x00\x00\x6e\x01\x00\x01\x00\x00\x00\x02\x00\x00\x00\x01\x00\x04\x00abcd' \
	>"$B/fuzz/corpus/twalk"
"$out" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 "$B/fuzz/corpus" 2>&1 | tail -n 15
exit "${PIPESTATUS[0]}"
