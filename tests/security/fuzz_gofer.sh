#!/bin/bash
# Fuzzes the Gofer's serve loop (tests/fuzz/fuzz_gofer.c) with clang's
# libFuzzer + ASan/UBSan for a short run. Skips (77) without libFuzzer.
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${FUZZ_SECONDS:-20}
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe" /tmp/fuzz-gofer.*' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){return 0;}' >"$probe/p.c"
clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null ||
	{ echo "clang's libFuzzer is missing (libclang-rt-14-dev)"; exit 77; }
out=$B/fuzz/fuzz_gofer
mkdir -p "$B/fuzz/gofer-corpus"
clang -g -O1 -std=gnu17 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -o "$out" tests/fuzz/fuzz_gofer.c src/gofer/*.c src/p9/*.c \
	src/lib/log.c src/lib/error.c -lseccomp -lpthread || exit 1
# Seed: walk fid 0 to "f", open, read; readdir of fid 1.
printf '\x14\x00\x00\x00\x6e\x02\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x01\x00f' \
	>"$B/fuzz/gofer-corpus/walk"
"$out" -max_total_time="$secs" -max_len=2048 -print_final_stats=1 "$B/fuzz/gofer-corpus" 2>&1 |
	tail -n 8
exit "${PIPESTATUS[0]}"
