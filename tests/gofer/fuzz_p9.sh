#!/bin/bash
# Fuzzes the 9P decoder (tests/fuzz/fuzz_p9_decode.c) with clang's libFuzzer
# for a short run. Skips (77) when clang or libFuzzer is missing.
source "$(dirname "$0")/common.bash"
out=$B/fuzz/fuzz_p9_decode
corpus=$B/fuzz/corpus
build_fuzzer "$out" tests/fuzz/fuzz_p9_decode.c src/p9/p9_codec.c
mkdir -p "$corpus"
# Seeds: a Tversion and a Twalk, so the fuzzer starts from real frames.
printf '\x15\x00\x00\x00\x64\xff\xff\x00\x20\x00\x00\x08\x009P2000.L' >"$corpus/tversion"
printf '\x17\x00\x00\x00\x6e\x01\x00\x01\x00\x00\x00\x02\x00\x00\x00\x01\x00\x04\x00abcd' \
	>"$corpus/twalk"
run_fuzzer "$out" "$corpus" 4096
