#!/bin/bash
# Fuzzes the config.json parser with libFuzzer for FUZZ_SECONDS (15) seconds.
# Skips (77) when clang or its libFuzzer runtime is missing.
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
secs=${FUZZ_SECONDS:-15}
if ! command -v clang >/dev/null; then
	echo "clang is not installed"; exit 77
fi
out=$B/fuzz
mkdir -p "$out"
probe=$(mktemp -d); trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){return 0;}' >"$probe/p.c"
if ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
	echo "clang has no libFuzzer runtime (-fsanitize=fuzzer)"; exit 77
fi
# container*.c drive the Sentry; the parser needs none of them.
srcs=$(ls src/oci/*.c src/lib/error.c src/lib/log.c src/lib/fdpass.c | grep -v /container)
clang -std=gnu17 -g -O1 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all tests/fuzz/fuzz_oci_spec.c $srcs \
	-o "$out/fuzz_oci_spec" $(pkg-config --libs jansson libseccomp) || exit 1

corpus=$out/corpus_oci_spec
mkdir -p "$corpus"
# Seeds: the default spec and a few shapes the mutator can splice.
if [ -x "$B/cvisor" ] && "$B/cvisor" spec --bundle "$probe" 2>/dev/null; then
	cp "$probe/config.json" "$corpus/default.json"
fi
cat >"$corpus/full.json" <<'J'
{"ociVersion":"1.1.0","process":{"terminal":false,"user":{"uid":1,"gid":2,"umask":18,"additionalGids":[3]},"args":["/bin/sh"],"env":["A=1"],"cwd":"/","capabilities":{"bounding":["CAP_KILL"]},"rlimits":[{"type":"RLIMIT_NOFILE","soft":18446744073709551615,"hard":18446744073709551615}],"oomScoreAdj":5},"root":{"path":"rootfs","readonly":true},"mounts":[{"destination":"/t","type":"tmpfs","source":"t","options":["size=1m","mode=755","rbind","rprivate"]}],"hooks":{"prestart":[{"path":"/bin/true","args":["true"],"timeout":3}]},"annotations":{"a":"b"},"linux":{"namespaces":[{"type":"pid"},{"type":"user","path":"/proc/1/ns/user"}],"uidMappings":[{"containerID":0,"hostID":1000,"size":1}],"resources":{"memory":{"limit":1048576,"swap":-1},"cpu":{"shares":2,"quota":1000,"period":100000,"cpus":"0"},"pids":{"limit":5},"devices":[{"allow":false,"access":"rwm"}]},"sysctl":{"a.b":"1"},"cgroupsPath":"/x","maskedPaths":["/proc/kcore"],"seccomp":{"defaultAction":"SCMP_ACT_ALLOW"},"devices":[{"path":"/dev/null","type":"c","major":1,"minor":3,"fileMode":438}]}}
J
echo '{"args":["/bin/sh","-c","id"],"cwd":"/","env":["PATH=/bin"]}' >"$corpus/process.json"

log=$out/fuzz_oci_spec.log
if ! "$out/fuzz_oci_spec" -max_total_time="$secs" -max_len=8192 -timeout=10 \
	-rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$out/" "$corpus" >"$log" 2>&1; then
	tail -n 60 "$log"
	echo "fuzzer found a crash; reproducer in $out (crash-*)"
	exit 1
fi
grep -E 'stat::number_of_executed_units|Done' "$log" | tail -n 2
exit 0
