#!/bin/bash
# Runs every test and closes with "N passed, N failed".
#   unit:     tests/unit (cmocka, TAP), plain and under ASan/UBSan
#   syscalls: each program natively first, then inside `cvisor do`, same expectations
#   apps:     tests/apps/*.sh, each compares a real program's output in cvisor with native
#   others:   tests/{oci,security,gofer}/*.sh
# A test script exits 0 (pass), 77 (skip, with the reason on stdout) or else (fail).
# Run a subset with: tests/run.sh unit|syscalls|apps|oci|security|gofer
# File access mode: CVISOR_FILE_ACCESS=direct tests/run.sh ... (default: gofer)
cd "$(dirname "$0")/.."
B=${BUILD:-build}
CVISOR=$PWD/$B/cvisor
# CVISOR_FILE_ACCESS=gofer|direct: every sandbox of the run in that mode
if [ -n "$CVISOR_FILE_ACCESS" ]; then
	CVISOR=$PWD/$B/cvisor-$CVISOR_FILE_ACCESS
	printf '#!/bin/sh\nexec "%s" --file-access=%s "$@"\n' "$PWD/$B/cvisor" "$CVISOR_FILE_ACCESS" >"$CVISOR"
	chmod 755 "$CVISOR"
fi
export CVISOR B
pass=0 fail=0 skip=0
failed=()
want() { [ $# -eq 0 ] || [[ " $* " == *" $1 "* ]]; }
sel=("$@")

result() { # name rc [output-file]
	if [ "$2" = 0 ]; then
		pass=$((pass + 1)); echo "ok - $1"
	elif [ "$2" = 77 ]; then
		skip=$((skip + 1)); echo "ok - $1 # SKIP $(tail -n1 "$3" 2>/dev/null)"
	else
		fail=$((fail + 1)); failed+=("$1"); echo "not ok - $1"
		[ -n "$3" ] && sed 's/^/#   /' "$3" | tail -n 40
	fi
}

in_sel() { [ ${#sel[@]} -eq 0 ] || [[ " ${sel[*]} " == *" $1 "* ]]; }
out=$(mktemp); trap 'rm -f "$out"' EXIT

if in_sel unit; then
	for t in $B/tests/unit/test_* $B/asan/tests/unit/test_*; do
		[ -x "$t" ] || continue
		name=${t#$B/}
		CMOCKA_MESSAGE_OUTPUT=TAP timeout 120 "$t" >"$out" 2>&1
		result "$name" $? "$out"
	done
fi

if in_sel syscalls; then
	for t in $B/tests/syscalls/*; do
		[ -x "$t" ] || continue
		name=syscalls/$(basename "$t")
		timeout 60 "$t" >"$out" 2>&1
		rc=$?
		result "$name (native)" $rc "$out"
		[ $rc = 0 ] || continue
		timeout 120 "$CVISOR" do -- "$t" >"$out" 2>&1
		result "$name (cvisor)" $? "$out"
	done
fi

for dir in apps oci security gofer; do
	in_sel $dir || continue
	for t in tests/$dir/*.sh; do
		[ -f "$t" ] || continue
		timeout 600 bash "$t" >"$out" 2>&1
		rc=$? # before the $(basename) below, which would reset $?
		result "$dir/$(basename "$t" .sh)" $rc "$out"
	done
done

[ ${#failed[@]} -eq 0 ] || printf 'failed: %s\n' "${failed[@]}"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
