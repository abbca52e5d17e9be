#!/bin/bash
# Fuzzes the Gofer's serve loop (tests/fuzz/fuzz_gofer.c) with clang's
# libFuzzer + ASan/UBSan for a short run. Skips (77) without libFuzzer.
source "$(dirname "$0")/../gofer/common.bash"
trap 'cleanup; rm -rf /tmp/fuzz-gofer.*' EXIT
out=$B/fuzz/fuzz_gofer
corpus=$B/fuzz/gofer-corpus
build_fuzzer "$out" tests/fuzz/fuzz_gofer.c src/gofer/*.c src/p9/*.c src/lib/log.c src/lib/fdpass.c \
	src/lib/error.c -lseccomp -lpthread
mkdir -p "$corpus"
# Seed: walk fid 0 (the read-only tree) to "f".
printf '\x14\x00\x00\x00\x6e\x02\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x01\x00f' \
	>"$corpus/walk"
run_fuzzer "$out" "$corpus" 2048
